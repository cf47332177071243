"""The history of a dossier in plain language, from its outbox events.

The applicant reads "Your dossier was accepted", not internal step names; officers see
the same lines plus the control slip.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.integrations import events

LABELS = {
    events.DOSSIER_SUBMITTED: _("Dossier submitted"),
    events.DOSSIER_ACCEPTED: _("Dossier accepted; the time limit starts"),
    events.DOSSIER_REFUSED: _("Dossier refused at intake"),
    events.DOSSIER_REDIRECTED: _("Not within this unit's scope; the applicant is guided elsewhere"),
    events.SUPPLEMENT_REQUESTED: _("More papers or corrections requested"),
    events.SUPPLEMENT_ANSWERED: _("The applicant sent the papers asked for"),
    events.STEP_COMPLETED: _("Handling step completed"),
    events.CONSULTATION_REQUESTED: _("Partner agencies consulted"),
    events.CONSULTATION_ANSWERED: _("A partner agency answered"),
    events.APPROVED: _("Approved"),
    events.REJECTED: _("Rejected, with written reasons"),
    events.ISSUED: _("Result issued"),
    events.PAYMENT_REQUESTED: _("Fee to be paid"),
    events.PAID: _("Fee paid"),
    events.READY_FOR_RETURN: _("Result ready to collect"),
    events.RETURNED: _("Result returned"),
    events.WITHDRAWN: _("Withdrawn by the applicant"),
    events.APOLOGISED: _("Apology sent with a new date"),
    events.STEP_OVERDUE: _("A handling step ran over its time"),
    events.DUE_SOON: _("The due date is near"),
    events.OVERDUE: _("The due date has passed"),
    events.DOCUMENT_GENERATED: _("A document was issued"),
    events.RATED: _("The applicant rated the service"),
}
# What the public tracking page shows (no internal alerts).
PUBLIC = set(LABELS) - {events.STEP_OVERDUE, events.DUE_SOON, events.OVERDUE, events.STEP_COMPLETED,
                        events.DOCUMENT_GENERATED}  # fmt: skip


def timeline(dossier, public=False):
    rows = []
    for event in dossier.events.order_by("occurred_at", "pk"):
        if public and event.type not in PUBLIC:
            continue
        at = timezone.localtime(event.occurred_at)
        rows.append({"type": event.type, "at": at, "label": str(LABELS.get(event.type, event.type))})
    return rows
