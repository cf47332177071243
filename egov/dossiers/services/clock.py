"""The legal clock of a dossier: started at acceptance, paused while the applicant owes
papers asked for during handling, judged when the result is ready, extended once by an
apology (the dossier still counts as late)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from egov.accounts.selectors import has_role
from egov.calendar.clock import WorkingCalendar, timeliness
from egov.common.errors import InvalidInput, NotAllowed
from egov.common.vocabulary import Role
from egov.integrations import events
from workflows.models import OPEN_TASK_STATUSES, DossierTask

from ..models import ClockPause
from ..selectors import dossier_for_update
from .common import log


def calendar_of(dossier):
    return WorkingCalendar.for_agency(dossier.deciding_agency or dossier.receiving_agency)


def start(dossier, moment):
    dossier.accepted_at = moment
    dossier.due_at = calendar_of(dossier).due(moment, dossier.time_limit)


def pause(dossier, supplement, moment):
    ClockPause.objects.create(
        dossier=dossier, started_at=moment, reason=_("Supplement requested"), supplement=supplement
    )


def resume(dossier, moment):
    """End the open pause and move the due date on by the paused working time."""
    open_pause = dossier.clock_pauses.filter(ended_at__isnull=True).first()
    if open_pause is None:
        return
    open_pause.ended_at = moment
    open_pause.save(update_fields=["ended_at"])
    if dossier.due_at:
        dossier.due_at = calendar_of(dossier).shift_for_pause(dossier.due_at, open_pause.started_at, moment)
        DossierTask.objects.filter(dossier=dossier, status__in=OPEN_TASK_STATUSES).update(dossier_due_at=dossier.due_at)


def judge(dossier, moment):
    """Early, on time or late: the result against the legal due date (never the apology's)."""
    return timeliness(moment, dossier.due_at) if dossier.due_at else ""


@transaction.atomic
def apologise(user, dossier, new_due_at, reason):
    """The apology and new date (Mẫu 04), by the head of the deciding agency; once only."""
    dossier = dossier_for_update(dossier.pk)
    if not (
        has_role(user, Role.APPROVER, dossier.deciding_agency_id)
        or has_role(user, Role.CENTER_MANAGER, dossier.receiving_agency_id)
    ):
        raise NotAllowed(_("Only the head of the deciding agency or the centre manager sends an apology."))
    if not dossier.is_open or dossier.accepted_at is None:
        raise InvalidInput(_("Only a dossier being handled can be extended."), code="not_open")
    if dossier.extended_due_at:
        raise InvalidInput(_("An apology with a new date can be sent only once."), code="already_apologised")
    if isinstance(new_due_at, str):
        try:
            new_due_at = parse_datetime(new_due_at.strip())
        except ValueError:  # well formed, but no such date or offset (2026-13-45, +99:00)
            new_due_at = None
    if isinstance(new_due_at, datetime.datetime) and timezone.is_naive(new_due_at):
        new_due_at = timezone.make_aware(new_due_at)
    if not isinstance(new_due_at, datetime.datetime):
        raise InvalidInput(errors={"new_due_at": [_("Enter a date and time.")]})
    if new_due_at <= max(dossier.due_at, timezone.now()):
        raise InvalidInput(errors={"new_due_at": [_("The new date must be after the current due date.")]})
    if not (reason or "").strip():
        raise InvalidInput(errors={"reason": [_("Give the reason for the delay.")]})
    dossier.extended_due_at = new_due_at
    dossier.apology_reason = reason.strip()
    dossier.save(update_fields=["extended_due_at", "apology_reason", "updated_at"])
    # The reason is free text: on the dossier and in the audit record, never in the event.
    log(user, "dossier.apologise", dossier, events.APOLOGISED, note=dossier.apology_reason, new_due_at=new_due_at)
    return dossier
