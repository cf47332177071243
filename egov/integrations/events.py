"""Writing events to the outbox. Call :func:`emit` inside the transaction of the change."""

from django.db import transaction

from egov.audit.services import jsonable

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
    """Write one event into the outbox; the relay takes it once the transaction commits."""
    if event_type not in ALL:
        raise ValueError(f"unknown event type {event_type!r}")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    event = OutboxEvent.objects.create(type=event_type, dossier=dossier, actor=actor, data=jsonable(data))
    transaction.on_commit(relay.wake)
    return event
