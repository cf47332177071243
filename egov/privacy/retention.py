"""Retention: personal data are kept as long as the procedure's retention period, then removed.

A closed dossier (returned, refused, rejected, withdrawn, redirected) whose retention period
has run out since it closed loses what identifies its applicant: the papers they uploaded,
the form data, their notes on supplement answers and the working documents made from them
(receipt, requests, control slip). It is then tied to one shared anonymised applicant.

What stays is what the administration must keep and what the figures are made of: the
dossier code, procedure, agencies, dates, timeliness, fee, status, hand-overs, and the result
document with its verification record (the citizen holds the paper; a QR scan must still
answer). Abandoned drafts, which were never filed, are deleted after
``EGOV_DRAFT_RETENTION_DAYS``.

Run by ``manage.py enforce_retention`` and daily by Celery beat.
"""

import dataclasses
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import record
from egov.documents.models import Kind
from egov.dossiers.models import Dossier, search_text_of

SENTINEL_USERNAME = "anonymised-applicant"


@dataclasses.dataclass
class Outcome:
    purged: int = 0
    papers_deleted: int = 0
    documents_deleted: int = 0
    drafts_deleted: int = 0


def anonymised_applicant():
    """The one inactive account that purged dossiers point to (the applicant may not be null)."""
    user, _created = get_user_model().objects.get_or_create(
        username=SENTINEL_USERNAME,
        defaults={"full_name": _("Anonymised person"), "is_active": False, "kind": "citizen"},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def retention_years(procedure):
    return procedure.retention_years if procedure.retention_years is not None else settings.EGOV_RETENTION_YEARS


def _years_before(moment, years):
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def expired_dossiers(now=None):
    """Closed, not yet purged dossiers whose procedure's retention period has run out."""
    now = now or timezone.now()
    closed = (
        Dossier.objects.filter(status__in=Dossier.FINAL_STATUSES, purged_at__isnull=True)
        .annotate(closed_at=Coalesce("completed_at", "updated_at"))
        .select_related("procedure")
    )
    by_years = {}
    for procedure_id, years in closed.values_list("procedure_id", "procedure__retention_years").distinct():
        by_years.setdefault(settings.EGOV_RETENTION_YEARS if years is None else years, []).append(procedure_id)
    for years, procedures in sorted(by_years.items()):
        expired = closed.filter(procedure_id__in=procedures, closed_at__lt=_years_before(now, years))
        yield from expired.order_by("pk").only("pk", "procedure__retention_years").iterator(chunk_size=500)


def abandoned_drafts(now=None):
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EGOV_DRAFT_RETENTION_DAYS)
    return Dossier.objects.filter(status=Dossier.Status.DRAFT, updated_at__lt=cutoff)


def purge(dossier, sentinel, outcome):
    """Remove the personal data of one dossier. Files are deleted after the rows are committed."""
    files = []
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
        if dossier.purged_at:
            return
        for attachment in dossier.attachments.all():
            files.append(attachment.file)
            outcome.papers_deleted += 1
        dossier.attachments.all().delete()
        working = dossier.documents.exclude(kind=Kind.RESULT)
        for document in working:
            if document.file:
                files.append(document.file)
            outcome.documents_deleted += 1
        working.delete()
        dossier.supplement_requests.update(answer_note="")
        before = {"applicant": dossier.applicant_id}
        dossier.data = {}
        dossier.applicant = sentinel
        dossier.purged_at = timezone.now()
        dossier.save(update_fields=["data", "applicant", "purged_at", "updated_at"])
        dossier.write_search_text(search_text_of(dossier.code))  # the code alone: the applicant's name goes
        record(None, "retention.purged", dossier, before=before, note=f"{retention_years(dossier.procedure)} years")
        outcome.purged += 1
    for stored in files:  # after commit: a rolled-back purge must still find its files
        stored.storage.delete(stored.name)


def delete_abandoned_drafts(outcome, now=None):
    for draft in abandoned_drafts(now).iterator():
        with transaction.atomic():
            files = [a.file for a in draft.attachments.all()]
            record(None, "retention.draft_deleted", draft)
            draft.delete()
        for stored in files:
            stored.storage.delete(stored.name)
        outcome.drafts_deleted += 1


def enforce(now=None, dry_run=False):
    """Apply the retention periods. With ``dry_run``, count what would go and change nothing."""
    outcome = Outcome()
    if dry_run:
        for dossier in expired_dossiers(now):
            outcome.purged += 1
            outcome.papers_deleted += dossier.attachments.count()
            outcome.documents_deleted += dossier.documents.exclude(kind=Kind.RESULT).count()
        outcome.drafts_deleted = abandoned_drafts(now).count()
        return outcome
    sentinel = anonymised_applicant()
    for pk in [d.pk for d in expired_dossiers(now)]:  # keys first: purging changes what the query finds
        dossier = Dossier(pk=pk)
        purge(dossier, sentinel, outcome)
    delete_abandoned_drafts(outcome, now)
    return outcome

