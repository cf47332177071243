"""Keeping the rollups: each event adds to one day's row; the same figures can be recomputed
straight from the dossiers to check them (``manage.py check_rollups``)."""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from egov.calendar.clock import WorkingCalendar
from egov.common.vocabulary import Timeliness
from egov.dossiers.models import Dossier, Rating, SupplementRequest
from egov.integrations.events import TYPES

from .models import COUNTERS, CountedEvent, DailyFigure

# The completion counter of each timeliness.
COMPLETION = {value: f"completed_{value}" for value in Timeliness.values}


def working_days(dossier):
    """Working days from acceptance to the result (what the average time to complete sums)."""
    end = dossier.issued_at or dossier.completed_at
    if not dossier.accepted_at or not end:
        return 0
    calendar = WorkingCalendar()
    return calendar.working_days_between(calendar.local_date(dossier.accepted_at), calendar.local_date(end))


def _received(event, dossier):
    return {"received": 1, f"received_{dossier.channel}": 1}


def _completed(event, dossier):
    """A result, or a refusal after handling, against the due date (when it has one)."""
    if dossier.timeliness not in COMPLETION:
        return {}
    return {COMPLETION[dossier.timeliness]: 1, "working_days_total": working_days(dossier)}


def _rating(event, dossier):
    return {"rating_count": 1, "rating_sum": int(event.data.get("score", 0))}


# The figures an event adds to, by the names its declaration counts (egov/integrations/events.py).
FIGURES = {
    "received": _received,
    "supplement_requested": lambda event, dossier: {"supplement_requested": 1},
    "refused": lambda event, dossier: {"refused": 1},
    "withdrawn": lambda event, dossier: {"withdrawn": 1},
    "completed": _completed,
    "rating": _rating,
}


def deltas(event):
    """{counter: increment} for an event."""
    declared = TYPES.get(event.type)
    found = {}
    for name in declared.counts if declared else ():
        for counter, value in FIGURES[name](event, event.dossier).items():
            found[counter] = found.get(counter, 0) + value
    return found


def apply(event):
    """Count ``event`` once (outbox consumer)."""
    if event.dossier_id is None or event.dossier.receiving_agency_id is None:
        return
    changes = {k: v for k, v in deltas(event).items() if v}
    if not changes:
        return
    dossier = event.dossier
    day = timezone.localdate(event.occurred_at)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CountedEvent.objects.create(event=event)
        except IntegrityError:
            return  # already counted
        row, _created = DailyFigure.objects.get_or_create(
            day=day, agency_id=dossier.receiving_agency_id, procedure_id=dossier.procedure_id,
            defaults={"sector_id": dossier.version.sector_id},
        )  # fmt: skip
        DailyFigure.objects.filter(pk=row.pk).update(**{name: F(name) + value for name, value in changes.items()})


def on_event(event):
    apply(event)


def direct(start, end):
    """The same counters, straight from the dossiers: {(day, agency_id, procedure_id): {counter: n}}."""

    result = {}

    def add(day, agency, procedure, counter, value=1):
        if not value:
            return
        key = (day, agency, procedure)
        result.setdefault(key, dict.fromkeys(COUNTERS, 0))[counter] += value

    def local(moment):
        return timezone.localdate(moment)

    dossiers = Dossier.objects.exclude(status="draft").exclude(receiving_agency=None).select_related("version")
    for d in dossiers.iterator(chunk_size=2000):
        if d.submitted_at and start <= local(d.submitted_at) <= end:
            add(local(d.submitted_at), d.receiving_agency_id, d.procedure_id, "received")
            add(local(d.submitted_at), d.receiving_agency_id, d.procedure_id, f"received_{d.channel}")
        ended_refused = d.status in ("refused", "redirected", "rejected")
        if ended_refused and d.completed_at and start <= local(d.completed_at) <= end:
            add(local(d.completed_at), d.receiving_agency_id, d.procedure_id, "refused")
        if d.status == "withdrawn" and d.completed_at and start <= local(d.completed_at) <= end:
            add(local(d.completed_at), d.receiving_agency_id, d.procedure_id, "withdrawn")
        done_at = d.issued_at if d.issued_at else (d.completed_at if d.status == "rejected" else None)
        if d.timeliness in COMPLETION and done_at and start <= local(done_at) <= end:
            add(local(done_at), d.receiving_agency_id, d.procedure_id, COMPLETION[d.timeliness])
            add(local(done_at), d.receiving_agency_id, d.procedure_id, "working_days_total", working_days(d))
    for s in SupplementRequest.objects.select_related("dossier"):
        if start <= local(s.requested_at) <= end and s.dossier.receiving_agency_id:
            add(local(s.requested_at), s.dossier.receiving_agency_id, s.dossier.procedure_id, "supplement_requested")
    for r in Rating.objects.select_related("dossier"):
        if start <= local(r.created_at) <= end:
            add(local(r.created_at), r.dossier.receiving_agency_id, r.dossier.procedure_id, "rating_count")
            add(local(r.created_at), r.dossier.receiving_agency_id, r.dossier.procedure_id, "rating_sum", r.score)
    return result


def stored(start, end):
    rows = DailyFigure.objects.filter(day__gte=start, day__lte=end)
    rows = rows.values("day", "agency_id", "procedure_id", *COUNTERS)
    return {(r.pop("day"), r.pop("agency_id"), r.pop("procedure_id")): r for r in rows}


def differences(start, end):
    """Where the rollups and the dossiers disagree (an empty list when they agree)."""
    left, right = stored(start, end), direct(start, end)
    found = []
    for key in set(left) | set(right):
        a = left.get(key, dict.fromkeys(COUNTERS, 0))
        b = right.get(key, dict.fromkeys(COUNTERS, 0))
        for counter in COUNTERS:
            if a[counter] != b[counter]:
                found.append((key, counter, a[counter], b[counter]))
    return found


def totals(queryset):
    return queryset.aggregate(**{name: Sum(name) for name in COUNTERS})

