"""The documents an engine event makes (its declaration's ``documents``, domain notes section 4)."""

from egov.integrations.events import TYPES


def on_event(event):
    from .services import request_document

    declared = TYPES.get(event.type)
    if declared is None or event.dossier_id is None:
        return
    for kind in declared.documents:
        request_document(event.dossier, kind, event=event)
