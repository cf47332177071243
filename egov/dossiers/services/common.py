"""What every dossier service does besides its own change: the audit record, the event,
the control slip."""

from django.utils import timezone

from egov.audit import services as audit
from egov.calendar.clock import timeliness
from egov.integrations import events

from ..models import Handover


def log(actor, action, dossier, event_type=None, note="", **data):
    """Audit record + outbox event, in the caller's transaction. ``note`` (free text: a
    reason, an officer's note) goes to the audit record only; ``data`` to both, so it holds
    no free text (egov/integrations/events.py)."""
    audit.record(actor, action, dossier, after={"status": dossier.status, **data}, note=note)
    if event_type:
        events.emit(event_type, dossier, actor, code=dossier.code, status=dossier.status, **data)


def record_handover(dossier, task, actor, outcome, note, moment, following):
    """One row of the control slip for a task just completed; ``following`` are the tasks
    open after it (one receiver when there is exactly one)."""
    moment = moment or timezone.now()
    following = [t for t in following if t.pk != task.pk]
    receiver = following[0] if len(following) == 1 else None
    step = dossier.spec.step(task.step_key) if task.step_index is not None and task.step_index >= 0 else None
    return Handover.objects.create(
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
    )
