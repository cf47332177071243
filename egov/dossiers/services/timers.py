"""Timers of the dossiers: step budgets running out, dossier due dates nearing and passing.

Viewflow's own timer dispatcher covers its default task table only; our tasks carry their
deadline in an indexed column, so one sweep (Celery beat, every minute; the embedded run
mode runs beat too) finds what is due with two index range scans. Each flag is set with a
conditional UPDATE, so two sweeps running at once flag and escalate a thing once.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from egov.accounts.selectors import officers_with_role
from egov.audit import services as audit
from egov.common.vocabulary import Role
from egov.integrations import events
from workflows.models import OPEN_TASK_STATUSES, DossierTask

from ..models import Dossier

# "Due soon": within this much time of the legal due date.
DUE_SOON = datetime.timedelta(hours=24)


def fire_due_timers(now=None):
    now = now or timezone.now()
    fired = {"step_overdue": 0, "due_soon": 0, "overdue": 0}
    for task in DossierTask.objects.filter(
        status__in=OPEN_TASK_STATUSES, due_at__lte=now, flagged_at__isnull=True, flow_task_type="HUMAN"
    ).select_related("dossier", "agency")[:1000]:
        with transaction.atomic():
            if DossierTask.objects.filter(pk=task.pk, flagged_at__isnull=True).update(flagged_at=now):
                _escalate_step(task, now)
                fired["step_overdue"] += 1
    open_dossiers = Dossier.objects.filter(status__in=Dossier.OPEN_STATUSES, issued_at__isnull=True)
    for dossier in open_dossiers.filter(due_at__lte=now + DUE_SOON, due_soon_flagged_at__isnull=True)[:1000]:
        with transaction.atomic():
            if Dossier.objects.filter(pk=dossier.pk, due_soon_flagged_at__isnull=True).update(due_soon_flagged_at=now):
                events.emit(events.DUE_SOON, dossier, code=dossier.code, due_at=dossier.due_at)
                fired["due_soon"] += 1
    for dossier in open_dossiers.filter(due_at__lt=now, overdue_flagged_at__isnull=True)[:1000]:
        with transaction.atomic():
            if Dossier.objects.filter(pk=dossier.pk, overdue_flagged_at__isnull=True).update(overdue_flagged_at=now):
                managers = _managers(dossier.receiving_agency_id)
                after = {"due_at": dossier.due_at, "escalated_to": managers}
                audit.record(None, "dossier.overdue", dossier, after=after)
                events.emit(events.OVERDUE, dossier, code=dossier.code, due_at=dossier.due_at, escalated_to=managers)
                fired["overdue"] += 1
    return fired


def _managers(agency_id):
    return sorted(officers_with_role(Role.CENTER_MANAGER, agency_id).values_list("username", flat=True))


def _escalate_step(task, now):
    dossier = task.dossier
    # The centre manager of the receiving unit follows every dossier it received.
    managers = _managers(dossier.receiving_agency_id)
    audit.record(
        None,
        "task.overdue",
        dossier,
        after={"task": task.pk, "step": task.step_key, "due_at": task.due_at, "escalated_to": managers},
    )
    events.emit(
        events.STEP_OVERDUE,
        dossier,
        code=dossier.code,
        step=task.step_key,
        role=task.role,
        agency=task.agency.code if task.agency else None,
        step_due_at=task.due_at,
        escalated_to=managers,
    )
