"""The history of a dossier in plain language, from its outbox events.

The applicant reads "Your dossier was accepted", not internal step names; officers see
the same lines plus the control slip. The words are the events' own labels
(egov/integrations/events.py); internal alerts are not shown to the public.
"""

from django.utils import timezone

from egov.integrations.events import TYPES


def timeline(dossier, public=False):
    rows = []
    for event in dossier.events.order_by("occurred_at", "pk"):
        declared = TYPES.get(event.type)
        if public and not (declared and declared.public):
            continue
        at = timezone.localtime(event.occurred_at)
        rows.append({"type": event.type, "at": at, "label": str(declared.label if declared else event.type)})
    return rows
