"""The figures of the national service index (domain notes section 7), from the rollups."""

from django.db.models import Q, Sum
from django.utils import timezone

from egov.agencies.models import Agency
from egov.dossiers.models import Dossier

from .models import COUNTERS, DailyFigure

GROUPS = {"agency": "agency__code", "sector": "sector__code", "procedure": "procedure__code", "month": None}
# A unit's figures are those of the dossiers it receives, or of those it decides (the national
# index ranks both): the rollups' column and the dossiers' column for each.
ROLES = {"receiving": ("agency", "receiving_agency"), "deciding": ("deciding_agency", "deciding_agency")}


def _derived(row):
    completed = row["completed_early"] + row["completed_on_time"] + row["completed_late"]
    in_time = row["completed_early"] + row["completed_on_time"]
    received = row["received"]
    return {
        **row,
        "completed": completed,
        "on_time_rate": round(in_time / completed, 4) if completed else None,
        "average_working_days": round(row["working_days_total"] / completed, 2) if completed else None,
        "online_share": round((row["received_online"] + row["received_api"]) / received, 4) if received else None,
        "paid_at_counter": row["fees_paid"] - row["paid_online"],
        "paid_online_share": round(row["paid_online"] / row["fees_paid"], 4) if row["fees_paid"] else None,
        "satisfaction": round(row["rating_sum"] / row["rating_count"], 2) if row["rating_count"] else None,
        "satisfied_share": round(row["rating_satisfied"] / row["rating_count"], 4) if row["rating_count"] else None,
    }


def of_unit(agency, field):
    """A unit's own rows and those of the units directly under it (a district's communes):
    ``field`` in a short list of units, which the (unit, …) indexes answer without a join."""
    return Q(**{f"{field}__in": Agency.objects.filter(Q(pk=agency.pk) | Q(parent=agency.pk)).values("pk")})


def _filtered(start, end, agency=None, procedure=None, sector=None, procedures=None, role="receiving"):
    rows = DailyFigure.objects.filter(day__gte=start, day__lte=end)
    if procedures is not None:  # the procedures a reader may see (an API client's list)
        rows = rows.filter(procedure__code__in=procedures)
    if agency is not None:
        rows = rows.filter(of_unit(agency, ROLES[role][0]))
    if procedure:
        rows = rows.filter(procedure__code=procedure)
    if sector:
        rows = rows.filter(sector__code=sector)
    return rows


def figures(start, end, agency=None, procedure=None, sector=None, group_by=None, procedures=None, role="receiving"):
    """Totals for the period, or one row per agency / sector / procedure / month; within
    ``procedures`` when given; ``agency`` as the unit receiving or deciding (``role``).
    What is open now is :func:`in_progress`'s."""
    rows = _filtered(start, end, agency, procedure, sector, procedures, role)
    sums = {name: Sum(name, default=0) for name in COUNTERS}
    if group_by == "month":
        from django.db.models.functions import TruncMonth

        grouped = rows.annotate(key=TruncMonth("day")).values("key").annotate(**sums).order_by("key")
        return [_derived({**r, "key": r["key"].strftime("%Y-%m")}) for r in grouped]
    if group_by in GROUPS:
        field = f"{ROLES[role][0]}__code" if group_by == "agency" else GROUPS[group_by]
        grouped = rows.values(field).annotate(**sums).order_by(field)
        return [_derived({**{k: v for k, v in r.items() if k != field}, "key": r[field]}) for r in grouped]
    totals = rows.aggregate(**sums)
    return _derived({name: totals[name] or 0 for name in COUNTERS})


def total_of(rows):
    """The totals of grouped rows (a period's months add up to the period)."""
    return _derived({name: sum(row[name] for row in rows) for name in COUNTERS})


def in_progress(agency=None, procedure=None, sector=None, procedures=None, role="receiving"):
    """Open dossiers now, within time or overdue (the open set is small and indexed)."""
    open_dossiers = Dossier.objects.filter(status__in=Dossier.OPEN_STATUSES)
    if procedures is not None:
        open_dossiers = open_dossiers.filter(procedure__code__in=procedures)
    if agency is not None:
        open_dossiers = open_dossiers.filter(of_unit(agency, ROLES[role][1]))
    if procedure:
        open_dossiers = open_dossiers.filter(procedure__code=procedure)
    if sector:
        open_dossiers = open_dossiers.filter(version__sector__code=sector)
    # Two plain counts rather than one with a filter: for the whole province each reads one
    # index alone (status, due_at; and the partial index of open, unissued dossiers).
    total = open_dossiers.count()
    overdue = open_dossiers.filter(due_at__lt=timezone.now(), issued_at__isnull=True).count()
    return {"in_progress": total, "in_progress_overdue": overdue, "in_progress_in_time": total - overdue}


def overdue_dossiers(agency=None, limit=50):
    rows = Dossier.objects.filter(status__in=Dossier.OPEN_STATUSES, due_at__lt=timezone.now(), issued_at__isnull=True)
    if agency is not None:
        rows = rows.filter(of_unit(agency, "receiving_agency"))
    return rows.select_related("version", "receiving_agency").order_by("due_at")[:limit]
