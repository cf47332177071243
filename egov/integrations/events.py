"""The engine's events, each declared once, and writing them to the outbox.

A declaration says everything the product does with an event type:

* ``label`` — the line of the dossier's history; ``public`` — whether the applicant and the
  public tracking page see it (internal alerts are not shown);
* ``data`` — the fields of its data beyond the dossier's identity (JSON Schema properties),
  published at ``GET /api/v1/events/types/`` for webhook subscribers. Never free text (a
  reason, a note): data go to other systems and stay in the outbox; what a person wrote
  stays on the dossier (``decision_note``, ``apology_reason``, the supplement request) and
  in the audit record, where the consumers that need it read it;
* ``documents`` — the documents it makes (kinds of egov/documents/models.py);
* ``notify`` — who hears about it by default, by which channels (administrators change the
  rules in the admin), and the default wording: ``email`` (subject, body; also the in-app
  notice) and ``sms``; ``{{ … }}`` are filled in by egov/notifications/services.py;
* ``counts`` — the figures it adds to (rules of egov/stats/rollups.py).

Consumers match on the type's name, which never changes meaning. Call :func:`emit` inside
the transaction of the change; the outbox relay takes the event once it commits.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

from egov.common.jsonable import jsonable

from . import relay
from .models import OutboxEvent

# Audiences and channels of the default rules (egov/notifications/models.py names them so).
APPLICANT, NEXT_OFFICERS, CENTER_MANAGER = "applicant", "next_officers", "center_manager"
ALL_CHANNELS = ("email", "sms", "in_app")
QUIET = ("email", "in_app")


@dataclass(frozen=True)
class EventType:
    name: str
    label: str
    public: bool = True
    data: dict = field(default_factory=dict)
    documents: tuple = ()
    notify: dict = field(default_factory=dict)
    email: tuple | None = None
    sms: str | None = None
    counts: tuple = ()


TYPES = {}


def declare(name, label, **details):
    TYPES[name] = EventType(name, label, **details)
    return name


DATE_TIME = {"type": "string", "format": "date-time"}

DOSSIER_SUBMITTED = declare(
    "dossier.submitted", _("Dossier submitted"),
    data={"channel": {"type": "string", "enum": ["online", "in_person", "post", "api"]}},
    notify={APPLICANT: ALL_CHANNELS, NEXT_OFFICERS: QUIET},
    email=(N_("Dossier {{ code }} received"),
           N_("Dear {{ name }},\n\nyour dossier {{ code }} ({{ procedure }}) was received. The one-stop desk will "
              "check it; you will be told when it is accepted.\n\nFollow it at {{ link }}")),
    sms=N_("Dossier {{ code }} received online. Track: {{ link }}"),
    counts=("received",),
)  # fmt: skip
DOSSIER_ACCEPTED = declare(
    "dossier.accepted", _("Dossier accepted; the time limit starts"),
    documents=("receipt",),
    notify={APPLICANT: ALL_CHANNELS, NEXT_OFFICERS: QUIET},
    email=(N_("Dossier {{ code }} accepted"),
           N_("Dear {{ name }},\n\nyour dossier {{ code }} ({{ procedure }}) was accepted. The result is due on "
              "{{ due }}. The receipt is on the dossier's page: {{ link }}")),
    sms=N_("Dossier {{ code }} accepted; result due {{ due }}."),
)  # fmt: skip
DOSSIER_REFUSED = declare(
    "dossier.refused", _("Dossier refused at intake"),
    documents=("refusal",),
    notify={APPLICANT: ALL_CHANNELS},
    email=(N_("Dossier {{ code }} refused"),
           N_("Dear {{ name }},\n\nyour dossier {{ code }} could not be received: {{ reason }}\n\n{{ link }}")),
    sms=N_("Dossier {{ code }} refused at intake. Reasons: {{ link }}"),
    counts=("refused",),
)  # fmt: skip
DOSSIER_REDIRECTED = declare(
    "dossier.redirected", _("Not within this unit's scope; the applicant is guided elsewhere"),
    notify={APPLICANT: ALL_CHANNELS},
    email=(N_("Dossier {{ code }}: another agency handles it"),
           N_("Dear {{ name }},\n\nyour dossier {{ code }} is not within this unit's scope: {{ reason }}\n\n"
              "{{ link }}")),
    sms=N_("Dossier {{ code }} is not within this unit's scope: {{ link }}"),
    counts=("refused",),
)  # fmt: skip
SUPPLEMENT_REQUESTED = declare(
    "dossier.supplement_requested", _("More papers or corrections requested"),
    documents=("supplement_request",),
    notify={APPLICANT: ALL_CHANNELS},
    email=(N_("Dossier {{ code }}: more papers needed"),
           N_("Dear {{ name }},\n\nto go on with your dossier {{ code }}, please supplement it: {{ reason }}\n\n"
              "Answer at {{ link }}")),
    sms=N_("Dossier {{ code }} needs more papers: {{ link }}"),
    counts=("supplement_requested",),
)  # fmt: skip
SUPPLEMENT_ANSWERED = declare(
    "dossier.supplement_answered", _("The applicant sent the papers asked for"),
    notify={NEXT_OFFICERS: QUIET},
)
STEP_COMPLETED = declare(
    "dossier.step_completed", _("Handling step completed"), public=False,
    data={"step": {"type": "string"}, "outcome": {"type": "string"}},
    notify={NEXT_OFFICERS: QUIET},
)  # fmt: skip
CONSULTATION_REQUESTED = declare(
    "dossier.consultation_requested", _("Partner agencies consulted"),
    data={"step": {"type": "string"}, "agencies": {"type": "array", "items": {"type": "string"}}},
    notify={NEXT_OFFICERS: QUIET},
)  # fmt: skip
CONSULTATION_ANSWERED = declare(
    "dossier.consultation_answered", _("A partner agency answered"),
    notify={NEXT_OFFICERS: QUIET},
)
APPROVED = declare(
    "dossier.approved", _("Approved"),
    data={"step": {"type": "string"}, "outcome": {"type": "string"}},
    notify={NEXT_OFFICERS: QUIET},
)  # fmt: skip
REJECTED = declare(
    "dossier.rejected", _("Rejected, with written reasons"),
    documents=("refusal", "control_slip"),
    notify={APPLICANT: ALL_CHANNELS},
    email=(N_("Dossier {{ code }}: decision"),
           N_("Dear {{ name }},\n\nyour request ({{ procedure }}, dossier {{ code }}) was refused: {{ reason }}\n\n"
              "The written reasons are on {{ link }}")),
    sms=N_("Dossier {{ code }} refused. Reasons: {{ link }}"),
    counts=("completed", "refused"),
)  # fmt: skip
ISSUED = declare(
    "dossier.issued", _("Result issued"),
    documents=("result",),
    counts=("completed",),
)  # fmt: skip
PAYMENT_REQUESTED = declare(
    "dossier.payment_requested", _("Fee to be paid"),
    data={"amount": {"type": "integer", "description": "đồng"}},
    notify={APPLICANT: ALL_CHANNELS, NEXT_OFFICERS: QUIET},
    email=(N_("Dossier {{ code }}: fee to pay"),
           N_("Dear {{ name }},\n\nthe fee of your dossier {{ code }} is due before the result is handed over. "
              "{{ link }}")),
    sms=N_("Dossier {{ code }}: please pay the fee before collecting the result."),
)  # fmt: skip
PAID = declare(
    "dossier.paid", _("Fee paid"),
    documents=("fee_receipt",),
    counts=("paid",),
)  # fmt: skip
READY_FOR_RETURN = declare(
    "dossier.ready_for_return", _("Result ready to collect"),
    notify={APPLICANT: ALL_CHANNELS, NEXT_OFFICERS: QUIET},
    email=(N_("Dossier {{ code }}: the result is ready"),
           N_("Dear {{ name }},\n\nthe result of your dossier {{ code }} ({{ procedure }}) is ready. {{ link }}")),
    sms=N_("Dossier {{ code }}: the result is ready. {{ link }}"),
)  # fmt: skip
RETURNED = declare(
    "dossier.returned", _("Result returned"),
    documents=("control_slip",),
)  # fmt: skip
WITHDRAWN = declare(
    "dossier.withdrawn", _("Withdrawn by the applicant"),
    documents=("stop_notice",),
    notify={APPLICANT: QUIET},
    email=(N_("Dossier {{ code }} withdrawn"),
           N_("Dear {{ name }},\n\nyour dossier {{ code }} was withdrawn as you asked. {{ link }}")),
    counts=("withdrawn",),
)  # fmt: skip
APOLOGISED = declare(
    "dossier.apologised", _("Apology sent with a new date"),
    data={"new_due_at": DATE_TIME},
    documents=("apology",),
    notify={APPLICANT: ALL_CHANNELS},
    email=(N_("Dossier {{ code }}: new date"),
           N_("Dear {{ name }},\n\nwe apologise: your dossier {{ code }} will be late. Reason: {{ reason }}. "
              "New date: {{ new_due }}.\n\n{{ link }}")),
    sms=N_("Dossier {{ code }} is late; new date {{ new_due }}. We apologise."),
)  # fmt: skip
STEP_OVERDUE = declare(
    "dossier.step_overdue", _("A handling step ran over its time"), public=False,
    data={"step": {"type": "string"}, "role": {"type": "string"}, "agency": {"type": "string"},
          "step_due_at": DATE_TIME, "escalated_to": {"type": "array", "items": {"type": "string"}}},
    notify={CENTER_MANAGER: QUIET},
)  # fmt: skip
DUE_SOON = declare(
    "dossier.due_soon", _("The due date is near"), public=False,
    data={"due_at": DATE_TIME},
    notify={CENTER_MANAGER: QUIET},
)  # fmt: skip
OVERDUE = declare(
    "dossier.overdue", _("The due date has passed"), public=False,
    data={"due_at": DATE_TIME, "escalated_to": {"type": "array", "items": {"type": "string"}}},
    notify={CENTER_MANAGER: QUIET},
)  # fmt: skip
DOCUMENT_GENERATED = declare(
    "dossier.document_generated", _("A document was issued"), public=False,
    data={"document": {"type": "string", "format": "uuid"}, "kind": {"type": "string"},
          "verification_code": {"type": "string"}, "sha256": {"type": "string"}},
)  # fmt: skip
RATED = declare(
    "dossier.rated", _("The applicant rated the service"),
    data={"score": {"type": "integer", "minimum": 1, "maximum": 5}},
    counts=("rating",),
)  # fmt: skip

ALL = list(TYPES)


def emit(event_type, dossier=None, actor=None, **data):
    """Write one event into the outbox; the relay takes it once the transaction commits."""
    if event_type not in TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    actor = actor if getattr(actor, "is_authenticated", False) else None
    event = OutboxEvent.objects.create(type=event_type, dossier=dossier, actor=actor, data=jsonable(data))
    transaction.on_commit(relay.wake)
    return event
