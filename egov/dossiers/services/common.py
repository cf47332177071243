"""What every dossier service does besides its own change: audit, event, status."""

from django.utils import timezone

from egov.audit import services as audit
from egov.common.prepared import insert
from egov.integrations import events
from workflows.models import DossierTask

from ..models import Dossier, Handover
from ..selectors import open_supplement, open_task_rows


def log(actor, action, dossier, event_type=None, note="", **data):
    """Audit record + outbox event, in the caller's transaction."""
    audit.record(actor, action, dossier, after={"status": dossier.status, **data}, note=note)
    if event_type:
        events.emit(event_type, dossier, actor, code=dossier.code, status=dossier.status, **data)


def status_from_tasks(dossier, tasks=None, supplement_open=None):
    """The status an open dossier shows, from where its workflow stands.

    Callers that know whether a supplement request is open (an officer's hand-over: none
    can be open while an officer holds the dossier, unless the hand-over asked for one)
    say so and save the query.
    """
    if supplement_open is None:
        supplement_open = open_supplement(dossier) is not None
    if supplement_open:
        return Dossier.Status.SUPPLEMENT_REQUESTED
    tasks = open_task_rows(dossier) if tasks is None else tasks
    kinds = {task.kind for task in tasks}
    if DossierTask.Kind.CONSULT in kinds:
        return Dossier.Status.AWAITING_PARTNER
    if DossierTask.Kind.PAYMENT in kinds:
        return Dossier.Status.AWAITING_PAYMENT
    if DossierTask.Kind.RETURN in kinds:
        return Dossier.Status.READY_FOR_RETURN
    if DossierTask.Kind.INTAKE in kinds:
        return Dossier.Status.SUBMITTED
    if any(task.role == "approver" for task in tasks):
        return Dossier.Status.AWAITING_APPROVAL
    return Dossier.Status.IN_PROGRESS


def record_handover(dossier, task, actor, outcome, note="", moment=None, following=None):
    """One row of the control slip for a task just completed."""
    from egov.calendar.clock import timeliness

    moment = moment or timezone.now()
    following = [t for t in (open_task_rows(dossier) if following is None else following) if t.pk != task.pk]
    receiver = following[0] if len(following) == 1 else None
    step = dossier.spec.step(task.step_key) if task.step_index is not None and task.step_index >= 0 else None
    return insert(Handover(
        dossier=dossier,
        step_key=task.step_key,
        step_name=step.raw.get("name", {}) if step else {},
        agency_id=task.agency_id,
        giver=actor,
        receiver_role=receiver.role if receiver else "",
        receiver_agency_id=receiver.agency_id if receiver else None,
        handed_at=moment,
        step_started_at=task.created,
        step_due_at=task.due_at,
        timeliness=timeliness(moment, task.due_at) if task.due_at else "",
        outcome=outcome,
        note=note,
    ))
