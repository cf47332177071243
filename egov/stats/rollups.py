"""Keeping the rollups: each event adds to one day's row; the same figures can be recomputed
straight from the dossiers to check them (``manage.py check_rollups``)."""

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from egov.calendar.clock import WorkingCalendar
from egov.common.vocabulary import Timeliness
from egov.dossiers.models import Dossier, Payment, Rating, SupplementRequest
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


SATISFIED = 4  # a score of 4 or 5 (of 5) counts as satisfied in the national index


def _rating(event, dossier):
    score = int(event.data.get("score", 0))
    return {"rating_count": 1, "rating_sum": score, "rating_satisfied": int(score >= SATISFIED)}


def _paid(event, dossier):
    """A fee paid, and whether online (the provider recorded on the dossier's payment)."""
    payment = dossier.payments.filter(status=Payment.Status.PAID).order_by("-paid_at").first()
    return {"fees_paid": 1, "paid_online": int(payment is not None and payment.provider not in ("", "counter"))}


# The figures an event adds to, by the names its declaration counts (egov/integrations/events.py).
FIGURES = {
    "received": _received,
    "supplement_requested": lambda event, dossier: {"supplement_requested": 1},
    "refused": lambda event, dossier: {"refused": 1},
    "withdrawn": lambda event, dossier: {"withdrawn": 1},
    "completed": _completed,
    "rating": _rating,
    "paid": _paid,
}


def deltas(event):
    """{counter: increment} for an event."""
    declared = TYPES.get(event.type)
    found = {}
    for name in declared.counts if declared else ():
        for counter, value in FIGURES[name](event, event.dossier).items():
            found[counter] = found.get(counter, 0) + value
    return found


def deciding_unit(dossier):
    return dossier.deciding_agency_id or dossier.receiving_agency_id


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
            day=day, agency_id=dossier.receiving_agency_id, deciding_agency_id=deciding_unit(dossier),
            procedure_id=dossier.procedure_id, defaults={"sector_id": dossier.version.sector_id},
        )  # fmt: skip
        DailyFigure.objects.filter(pk=row.pk).update(**{name: F(name) + value for name, value in changes.items()})


def on_event(event):
    apply(event)


def direct(start, end):
    """The same counters, straight from the dossiers:
    {(day, receiving agency_id, deciding agency_id, procedure_id): {counter: n}}."""

    result = {}

    def add(moment, d, counter, value=1):
        day = timezone.localdate(moment)
        if not value or not start <= day <= end:
            return
        key = (day, d.receiving_agency_id, deciding_unit(d), d.procedure_id)
        result.setdefault(key, dict.fromkeys(COUNTERS, 0))[counter] += value

    dossiers = Dossier.objects.exclude(status="draft").exclude(receiving_agency=None).select_related("version")
    for d in dossiers.iterator(chunk_size=2000):
        if d.submitted_at:
            add(d.submitted_at, d, "received")
            add(d.submitted_at, d, f"received_{d.channel}")
        if d.status in ("refused", "redirected", "rejected") and d.completed_at:
            add(d.completed_at, d, "refused")
        if d.status == "withdrawn" and d.completed_at:
            add(d.completed_at, d, "withdrawn")
        done_at = d.issued_at if d.issued_at else (d.completed_at if d.status == "rejected" else None)
        if d.timeliness in COMPLETION and done_at:
            add(done_at, d, COMPLETION[d.timeliness])
            add(done_at, d, "working_days_total", working_days(d))
    for s in SupplementRequest.objects.select_related("dossier").exclude(dossier__receiving_agency=None):
        add(s.requested_at, s.dossier, "supplement_requested")
    for r in Rating.objects.select_related("dossier"):
        add(r.created_at, r.dossier, "rating_count")
        add(r.created_at, r.dossier, "rating_sum", r.score)
        add(r.created_at, r.dossier, "rating_satisfied", int(r.score >= SATISFIED))
    for p in Payment.objects.filter(status=Payment.Status.PAID).select_related("dossier"):
        add(p.paid_at, p.dossier, "fees_paid")
        add(p.paid_at, p.dossier, "paid_online", int(p.provider not in ("", "counter")))
    return result


def stored(start, end):
    rows = DailyFigure.objects.filter(day__gte=start, day__lte=end)
    rows = rows.values("day", "agency_id", "deciding_agency_id", "procedure_id", *COUNTERS)
    return {(r.pop("day"), r.pop("agency_id"), r.pop("deciding_agency_id"), r.pop("procedure_id")): r for r in rows}


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

