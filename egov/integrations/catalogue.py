"""The published catalogue of event types: what each means and the shape of its data.

Every event is a CloudEvents 1.0 JSON object whose ``type`` is ``vn.gov.motcua.<event type>``
and whose ``data`` holds the dossier's identity plus the fields listed here.
"""

from . import events

DOSSIER_DATA = {
    "dossier_id": {"type": "string", "format": "uuid"},
    "code": {"type": ["string", "null"], "description": "dossier code, <unit>-<YYMMDD>-<NNNN>"},
    "status": {"type": "string"},
    "procedure": {"type": "string", "description": "procedure code"},
}
EXTRA = {
    events.DOSSIER_SUBMITTED: {"channel": {"type": "string", "enum": ["online", "in_person", "post", "api"]}},
    events.STEP_COMPLETED: {"step": {"type": "string"}, "outcome": {"type": "string"}},
    events.APPROVED: {"step": {"type": "string"}, "outcome": {"type": "string"}},
    events.APOLOGISED: {"new_due_at": {"type": "string", "format": "date-time"}, "reason": {"type": "string"}},
    events.PAYMENT_REQUESTED: {"amount": {"type": "integer", "description": "đồng"}},
    events.STEP_OVERDUE: {"step": {"type": "string"}, "role": {"type": "string"}, "agency": {"type": "string"},
                          "step_due_at": {"type": "string", "format": "date-time"},
                          "escalated_to": {"type": "array", "items": {"type": "string"}}},
    events.DUE_SOON: {"due_at": {"type": "string", "format": "date-time"}},
    events.OVERDUE: {"due_at": {"type": "string", "format": "date-time"},
                     "escalated_to": {"type": "array", "items": {"type": "string"}}},
    events.DOCUMENT_GENERATED: {"document": {"type": "string", "format": "uuid"}, "kind": {"type": "string"},
                                "verification_code": {"type": "string"}, "sha256": {"type": "string"}},
    events.WITHDRAWN: {"reason": {"type": "string"}},
}  # fmt: skip


def describe():
    from egov.dossiers.timeline import LABELS


    rows = []
    for event_type in events.ALL:
        rows.append({
            "type": event_type,
            "cloudevents_type": f"vn.gov.motcua.{event_type}",
            "description": str(LABELS.get(event_type, event_type)),
            "data_schema": {"type": "object", "properties": {**DOSSIER_DATA, **EXTRA.get(event_type, {})},
                            "required": ["dossier_id", "status", "procedure"]},
        })  # fmt: skip
    return rows

