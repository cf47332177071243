"""Writing events to the outbox. Call :func:`emit` inside the transaction of the change."""

import threading
from contextlib import contextmanager

from django.utils import timezone

from egov.audit.services import _jsonable
from egov.common.prepared import insert

from . import relay
from .models import OutboxEvent

# The engine's event types. Consumers match on these names; they never change meaning.
DOSSIER_SUBMITTED = "dossier.submitted"
DOSSIER_ACCEPTED = "dossier.accepted"
DOSSIER_REFUSED = "dossier.refused"
DOSSIER_REDIRECTED = "dossier.redirected"
SUPPLEMENT_REQUESTED = "dossier.supplement_requested"
SUPPLEMENT_ANSWERED = "dossier.supplement_answered"
STEP_COMPLETED = "dossier.step_completed"
CONSULTATION_REQUESTED = "dossier.consultation_requested"
CONSULTATION_ANSWERED = "dossier.consultation_answered"
APPROVED = "dossier.approved"
REJECTED = "dossier.rejected"
ISSUED = "dossier.issued"
PAYMENT_REQUESTED = "dossier.payment_requested"
PAID = "dossier.paid"
READY_FOR_RETURN = "dossier.ready_for_return"
RETURNED = "dossier.returned"
WITHDRAWN = "dossier.withdrawn"
APOLOGISED = "dossier.apologised"
STEP_OVERDUE = "dossier.step_overdue"
DUE_SOON = "dossier.due_soon"
OVERDUE = "dossier.overdue"
DOCUMENT_GENERATED = "dossier.document_generated"
RATED = "dossier.rated"

ALL = [
    DOSSIER_SUBMITTED, DOSSIER_ACCEPTED, DOSSIER_REFUSED, DOSSIER_REDIRECTED, SUPPLEMENT_REQUESTED,
    SUPPLEMENT_ANSWERED, STEP_COMPLETED, CONSULTATION_REQUESTED, CONSULTATION_ANSWERED, APPROVED, REJECTED,
    ISSUED, PAYMENT_REQUESTED, PAID, READY_FOR_RETURN, RETURNED, WITHDRAWN, APOLOGISED, STEP_OVERDUE, DUE_SOON,
    OVERDUE, DOCUMENT_GENERATED, RATED,
]  # fmt: skip


def emit(event_type, dossier=None, actor=None, **data):
    if event_type not in ALL:
        raise ValueError(f"unknown event type {event_type!r}")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    by_relay = relay.active()
    # Queued by this transaction itself (no relay): marked relayed, so that no relay queues it again.
    relayed_at = None if by_relay else timezone.now()
    event = insert(OutboxEvent(type=event_type, dossier=dossier, actor=actor, data=_jsonable(data),
                               relayed_at=relayed_at))  # fmt: skip
    if by_relay:
        return event  # a worker's relay takes it from the outbox once this commits
    batch = getattr(_batch, "ids", None)
    if batch is not None:
        batch.append(str(event.pk))
    else:
        _queue_dispatch([str(event.pk)])
    return event


_batch = threading.local()


@contextmanager
def one_dispatch():
    """Events emitted inside reach their consumers in one queued message after commit, where
    the transaction queues its own events (no relay: egov/integrations/relay.py).

    A hand-over emits one to three events; queueing a message costs the broker's round
    trip each. The order of events is kept. Nested uses share the outermost batch.
    """
    if getattr(_batch, "ids", None) is not None:
        yield
        return
    _batch.ids = []
    try:
        yield
    except BaseException:
        _batch.ids = None  # the change failed: its events were rolled back with it
        raise
    ids, _batch.ids = _batch.ids, None
    if ids:
        # Queued when the surrounding transaction commits (at once when there is none).
        _queue_dispatch(ids)


def _queue_dispatch(event_ids):
    from egov.common.tasks import enqueue_after_commit

    from .tasks import dispatch_events

    enqueue_after_commit(dispatch_events, event_ids)
