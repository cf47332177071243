"""Which engine events make which documents (domain notes section 4)."""

from egov.integrations import events

from .models import Kind

DOCUMENTS_FOR_EVENT = {
    events.DOSSIER_ACCEPTED: [Kind.RECEIPT],
    events.SUPPLEMENT_REQUESTED: [Kind.SUPPLEMENT_REQUEST],
    events.DOSSIER_REFUSED: [Kind.REFUSAL],
    events.REJECTED: [Kind.REFUSAL, Kind.CONTROL_SLIP],
    events.APOLOGISED: [Kind.APOLOGY],
    events.WITHDRAWN: [Kind.STOP_NOTICE],
    events.ISSUED: [Kind.RESULT],
    events.RETURNED: [Kind.CONTROL_SLIP],
}


def on_event(event):
    from .services import request_document

    for kind in DOCUMENTS_FOR_EVENT.get(event.type, []):
        if event.dossier_id is not None:
            request_document(event.dossier, kind, event=event)
