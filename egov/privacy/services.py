"""Data-subject rights: a copy of one's data, erasure on request.

Erasure goes through every store of personal data (egov/privacy/stores.py). Filed dossiers
that the archives law keeps stay, restricted, until their retention period ends; the person
sees which, and until when, before asking (:func:`plan`).
"""

import dataclasses
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

from . import stores
from .retention import kept_until

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


@dataclasses.dataclass
class ErasurePlan:
    """What erasure would do for a person, now: shown to them before they ask, and to the
    officer who carries it out."""

    drafts: int
    in_progress: list  # filed dossiers not closed yet: erasure waits for them
    kept: list  # (dossier, date): closed dossiers the archives law keeps, and until when

    @property
    def can_proceed(self):
        return not self.in_progress


def plan(user):
    mine = Dossier.objects.filter(applicant=user).select_related("procedure", "version").order_by("submitted_at")
    closed = mine.filter(status__in=Dossier.FINAL_STATUSES, purged_at__isnull=True)
    return ErasurePlan(
        drafts=mine.filter(status=Dossier.Status.DRAFT).count(),
        in_progress=list(mine.exclude(status=Dossier.Status.DRAFT).exclude(status__in=Dossier.FINAL_STATUSES)),
        kept=[(dossier, kept_until(dossier)) for dossier in closed],
    )


class ErasureMustWait(Exception):
    """The person has dossiers in progress: the administration is still handling them under
    the law, with their contact details. Erasure follows once they close (or are withdrawn)."""

    def __init__(self, dossiers):
        self.dossiers = dossiers
        codes = ", ".join(dossier.code for dossier in dossiers)
        super().__init__(_("Dossiers still in progress: %(codes)s. Erasure can follow once they are closed.")
                         % {"codes": codes})  # fmt: skip


def identifying_marks(user):
    """What identifies the person in free text and files: searched for in the spools."""
    return frozenset(value for value in (user.full_name, user.personal_id, user.email, user.phone) if value)


def anonymise(erasure, staff):
    """Carry out an erasure request through every store (egov/privacy/stores.py). Raises
    :class:`ErasureMustWait` while dossiers are in progress; changes nothing then."""
    user = erasure.user
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        intended = plan(user)
        if not intended.can_proceed:
            raise ErasureMustWait(intended.in_progress)
        now = timezone.now()
        sweep = stores.Sweep(
            now=now, person=user, marks=identifying_marks(user),
            dossiers=frozenset(Dossier.objects.filter(applicant=user).values_list("pk", flat=True)),
            kept=frozenset(dossier.pk for dossier, _until in intended.kept),
        )  # fmt: skip
        stores.erase(sweep)
        erasure.status = ErasureRequest.Status.DONE
        erasure.handled_by = staff
        erasure.handled_at = now
        erasure.answer = _answer(sweep, intended)
        erasure.save(update_fields=["status", "handled_by", "handled_at", "answer"])  # the reason is blanked
        record(staff, "privacy.anonymised", user, after={"kept": len(intended.kept), **sweep.counts})
    sweep.delete_files()
    return sweep


def _answer(sweep, intended):
    """The record of what was done, in words that name no one (dossier codes and dates)."""
    lines = [_("Personal data erased.")]
    for dossier, until in intended.kept:
        lines.append(_("%(code)s kept under the archives law until %(date)s, restricted.")
                     % {"code": dossier.code, "date": until.strftime("%d/%m/%Y")})  # fmt: skip
    return "\n".join(str(line) for line in lines)
