"""Data-subject rights: consent on record, a copy of one's data, erasure on request.

Erasure anonymises the account (name, numbers, contact details) and deletes drafts; the
dossiers themselves are kept, because the register and the archives are kept by law, but
they then point to an anonymous person.
"""

import io
import json
import zipfile

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from egov.audit.services import record
from egov.calendar.clock import WorkingCalendar

from .models import Consent, ErasureRequest, User

ERASURE_WORKING_DAYS = 2

CONSENT_TEXTS = {
    "registration": gettext_noop(
        "The one-stop service centre processes your name, personal identification number and contact details to "
        "handle your dossiers and tell you about them, under the Law on Personal Data Protection (91/2025/QH15) and "
        "Decree 356/2025/NĐ-CP. You can download your data or ask for its erasure at any time."
    ),
    "application": gettext_noop(
        "To handle this dossier, the one-stop service centre and the agencies that take part in the procedure "
        "process the personal data in the form and the papers you send. They are used for this dossier only and kept "
        "for the retention period of the procedure, then removed, under the Law on Personal Data Protection "
        "(91/2025/QH15)."
    ),
}  # fmt: skip


def consent_text(purpose):
    return _(CONSENT_TEXTS[purpose])


def record_consent(user, purpose, reference=""):
    """Keep the very text the person was shown, in the language they read it in."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return Consent.objects.create(
        user=user, purpose=purpose, text=consent_text(purpose), language=language, reference=str(reference)
    )


def export(user):
    """A zip with data.json and the files: what the system holds about ``user``."""
    from egov.dossiers.models import Dossier

    data = {
        "account": {f: getattr(user, f) for f in ["username", "full_name", "personal_id", "email", "phone", "address",
                                                    "date_of_birth", "preferred_language", "date_joined"]},
        "consents": list(user.consents.values("purpose", "text", "language", "given_at")),
        "dossiers": [],
        "notifications": list(user.notifications.values("channel", "subject", "body", "created_at", "sent_at")),
    }  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for dossier in Dossier.objects.filter(applicant=user).select_related("version"):
            data["dossiers"].append({
                "id": str(dossier.pk), "code": dossier.code, "procedure": dossier.version.display_name,
                "status": dossier.status, "data": dossier.data, "submitted_at": dossier.submitted_at,
                "due_at": dossier.due_at, "completed_at": dossier.completed_at,
            })  # fmt: skip
            for item in dossier.attachments.all():
                with item.file.open("rb") as handle:
                    archive.writestr(f"dossiers/{dossier.code or dossier.pk}/papers/{item.pk}.{item.extension}",
                                     handle.read())  # fmt: skip
            for document in dossier.documents.filter(status="ready"):
                with document.file.open("rb") as handle:
                    archive.writestr(f"dossiers/{dossier.code or dossier.pk}/documents/{document.kind}-"
                                     f"{document.verification_code}.pdf", handle.read())  # fmt: skip
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str))
    record(user, "privacy.export", user)
    return out.getvalue()


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
