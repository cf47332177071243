"""Files of a dossier served through a permission check (never from a public media URL)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from egov.audit.services import record
from egov.common.errors import NotFound

from .models import Attachment
from .selectors import visible_dossiers


@login_required
def attachment(request, pk):
    try:
        item = Attachment.objects.select_related("dossier").get(pk=pk)
    except (Attachment.DoesNotExist, ValidationError, ValueError):
        raise Http404()
    if not visible_dossiers(request.user).filter(pk=item.dossier_id).exists():
        raise Http404()
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, NotFound):
        raise Http404()
    document = item.dossier.spec.document(item.document_key)
    if document is not None and document.sensitive:
        # Identity scans are personal data: every read is on the record.
        record(request.user, "attachment.read", item.dossier, after={"attachment": str(item.pk),
                                                                     "document": item.document_key})  # fmt: skip
    download = request.GET.get("download") == "1"
    response = FileResponse(handle, content_type=item.content_type, as_attachment=download,
                            filename=item.original_name)  # fmt: skip
    # Shown inline (PDF, images) but never run as a page of this site.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
