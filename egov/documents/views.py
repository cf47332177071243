"""The public verification page a document's QR code points to."""

import hashlib
import hmac

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .models import Document
from .selectors import by_verification_code

MAX_CHECK_BYTES = 20 * 1024 * 1024


def mask_name(name):
    """'Nguyễn Văn An' → 'N. V. An': enough to recognise a paper, not to profile its holder."""
    words = (name or "").split()
    return " ".join([w[0] + "." for w in words[:-1]] + words[-1:])


@require_http_methods(["GET", "POST"])
def verify(request, code):
    document = by_verification_code(code)
    if document is not None and document.status not in (Document.Status.READY, Document.Status.SUPERSEDED):
        document = None
    check = None
    claimed = (request.GET.get("sha256") or "").strip().lower()
    if request.method == "POST" and document is not None:
        upload = request.FILES.get("file")
        if upload is not None and upload.size <= MAX_CHECK_BYTES:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            claimed = digest.hexdigest()
    if claimed and document is not None:
        check = "match" if hmac.compare_digest(claimed, document.sha256) else "mismatch"
    facts = dict(document.facts) if document else {}
    if facts.get("holder"):
        facts["holder"] = mask_name(facts["holder"])
    status = 404 if document is None else 200
    return render(request, "documents/verify.html", {"document": document, "facts": facts, "check": check,
                                                     "code": code}, status=status)  # fmt: skip
