"""Data-subject rights: a copy of one's data, erasure on request.

Erasure anonymises the account (name, numbers, contact details) and deletes drafts; the
dossiers themselves are kept, because the register and the archives are kept by law, but
they then point to an anonymous person.
"""

import json
import shutil
import tempfile
import zipfile

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import ErasureRequest, User
from egov.audit.services import record
from egov.calendar.clock import WorkingCalendar
from egov.dossiers.models import Dossier

ERASURE_WORKING_DAYS = 2


def export(user):
    """A zip with data.json and the files: what the system holds about ``user``, written to
    a temporary file (streamed to the person by the view: never whole in memory, and each
    paper is copied in chunks). Returns the open file, at its start."""
    data = {
        "account": {f: getattr(user, f) for f in ["username", "full_name", "personal_id", "email", "phone", "address",
                                                    "date_of_birth", "preferred_language", "date_joined"]},
        "consents": list(user.consents.values("purpose", "text", "language", "given_at")),
        "dossiers": [],
        "notifications": list(user.notifications.values("channel", "subject", "body", "created_at", "sent_at")),
    }  # fmt: skip
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for dossier in Dossier.objects.filter(applicant=user).select_related("version"):
            data["dossiers"].append({
                "id": str(dossier.pk), "code": dossier.code, "procedure": dossier.version.display_name,
                "status": dossier.status, "data": dossier.data, "submitted_at": dossier.submitted_at,
                "due_at": dossier.due_at, "completed_at": dossier.completed_at,
            })  # fmt: skip
            folder = f"dossiers/{dossier.code or dossier.pk}"
            for item in dossier.attachments.all():
                _copy_into(archive, item.file, f"{folder}/papers/{item.pk}.{item.extension}")
            for document in dossier.documents.filter(status="ready"):
                name = f"{folder}/documents/{document.kind}-{document.verification_code}.pdf"
                _copy_into(archive, document.file, name)
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    record(user, "privacy.export", user)
    out.seek(0)
    return out


def _copy_into(archive, stored, name):
    with stored.open("rb") as source, archive.open(name, "w", force_zip64=True) as target:
        shutil.copyfileobj(source, target, 1024 * 1024)


def request_erasure(user, reason=""):
    if user.erasure_requests.filter(status=ErasureRequest.Status.OPEN).exists():
        return user.erasure_requests.filter(status=ErasureRequest.Status.OPEN).first()
    now = timezone.now()
    calendar = WorkingCalendar()
    due = calendar.closing(calendar.nth_working_day_after(calendar.local_date(now), ERASURE_WORKING_DAYS))
    erasure = ErasureRequest.objects.create(user=user, due_at=due, reason=(reason or "")[:2000])
    record(user, "privacy.erasure_requested", user)
    return erasure


@transaction.atomic
def anonymise(erasure, staff):
    user = erasure.user
    user.dossiers.filter(status="draft").delete()
    user.full_name = _("Anonymised person")
    user.personal_id = ""
    user.email = ""
    user.phone = ""
    user.address = ""
    user.date_of_birth = None
    user.username = f"erased-{user.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    User.objects.filter(pk=user.pk).update(first_name="", last_name="")
    erasure.status = ErasureRequest.Status.DONE
    erasure.handled_by = staff
    erasure.handled_at = timezone.now()
    erasure.save()
    record(staff, "privacy.anonymised", user)
