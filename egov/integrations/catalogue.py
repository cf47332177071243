"""The published catalogue of event types: what each means and the shape of its data.

Every event is a CloudEvents 1.0 JSON object whose ``type`` is ``vn.gov.motcua.<event type>``
and whose ``data`` holds the dossier's identity plus the fields its declaration lists
(egov/integrations/events.py).
"""

from .events import TYPES

DOSSIER_DATA = {
    "dossier_id": {"type": "string", "format": "uuid"},
    "code": {"type": ["string", "null"], "description": "dossier code, <unit>-<YYMMDD>-<NNNN>"},
    "status": {"type": "string"},
    "procedure": {"type": "string", "description": "procedure code"},
}


def describe():
    return [
        {
            "type": declared.name,
            "cloudevents_type": f"vn.gov.motcua.{declared.name}",
            "description": str(declared.label),
            "data_schema": {"type": "object", "properties": {**DOSSIER_DATA, **declared.data},
                            "required": ["dossier_id", "status", "procedure"]},
        }  # fmt: skip
        for declared in TYPES.values()
    ]
