"""Retention: personal data are kept as long as the procedure's retention period, then removed.

A closed dossier (returned, refused, rejected, withdrawn, redirected) whose retention period
has run out since it closed loses everything that identifies its applicant, in every store
(egov/privacy/stores.py): papers, form data, reasons and notes, messages, the documents, and
the result's file. It is then tied to one shared anonymised applicant.

What stays is what the figures are made of and what a QR check needs: the dossier code,
procedure, agencies, dates, timeliness, fee, status, the steps of the control slip without
their notes, and the result's verification record (its checksum, without a name: a held copy
can still be checked). Abandoned drafts, which were never filed, are deleted after
``EGOV_DRAFT_RETENTION_DAYS``; the mail and SMS spools of the embedded default after
``EGOV_SPOOL_DAYS``.

Run by ``manage.py enforce_retention`` and daily by Celery beat.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from egov.audit.services import record
from egov.documents.models import Kind
from egov.dossiers.models import Dossier

from . import stores


@dataclasses.dataclass
class Outcome:
    purged: int = 0
    papers_deleted: int = 0
    documents_deleted: int = 0
    drafts_deleted: int = 0
    spooled_deleted: int = 0


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


def kept_until(dossier):
    """The day a closed dossier's retention period ends (its personal data go the next night)."""
    closed_at = dossier.completed_at or dossier.updated_at
    return _years_before(closed_at, -retention_years(dossier.procedure)).date()


def purge(dossier, outcome):
    """Remove the personal data of one dossier, through every store (egov/privacy/stores.py).
    Files are deleted after the rows are committed."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
        if dossier.purged_at:
            return
        sweep = stores.Sweep(now=timezone.now(), dossier=dossier)
        before = {"applicant": dossier.applicant_id}
        stores.purge(sweep)
        record(None, "retention.purged", dossier, before=before,
               after={"years": retention_years(dossier.procedure), **sweep.counts})  # fmt: skip
        outcome.purged += 1
        outcome.papers_deleted += sweep.counts.get("papers", 0)
        outcome.documents_deleted += sweep.counts.get("documents", 0)
    sweep.delete_files()


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
    for pk in [d.pk for d in expired_dossiers(now)]:  # keys first: purging changes what the query finds
        purge(Dossier(pk=pk), outcome)
    delete_abandoned_drafts(outcome, now)
    outcome.spooled_deleted = stores.scrub_spools((), older_than=(now or timezone.now()) - spool_days())
    return outcome


def spool_days():
    return datetime.timedelta(days=settings.EGOV_SPOOL_DAYS)

