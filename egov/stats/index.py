"""The national service index (Decision 766/QĐ-TTg): 100 points in five groups — publicity,
progress and results of handling, digitisation, online service (online payment included),
satisfaction — scored for a province, a unit (as the receiving or the deciding unit), a sector
and a period.

Each indicator is a share (numerator ÷ denominator) times its points. The group maxima are
the Decision's; how a group's points are divided among its indicators is this table's reading
of the Government Office's scoring guidance, kept here and nowhere else so that a province can
follow the guidance when it changes. An indicator the product has no data for is *not
measured* (shown as such, never as zero) and its points are left out of the measured total.

The counts come from the rollups (egov/stats/selectors.py), like every other figure; the
dossiers behind a share are listed by ``dossiers_behind`` (the drill-down).
"""

import dataclasses
import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from egov.catalog.models import ProcedureVersion
from egov.dossiers.models import Dossier, Payment, Rating

from .rollups import COMPLETION
from .selectors import ROLES, figures, of_unit

GROUPS = {
    "publicity": (18, gettext_lazy("Publicity and transparency")),
    "progress": (20, gettext_lazy("Progress and results of handling")),
    "digitisation": (22, gettext_lazy("Digitisation of dossiers")),
    "online": (22, gettext_lazy("Online service")),
    "satisfaction": (18, gettext_lazy("Satisfaction")),
}


@dataclasses.dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    max_points: int
    name: str
    formula: str
    # (numerator, denominator) from the period's figures; None: not measured.
    share: object = None
    # Which dossiers are behind it (a key of BEHIND), for the drill-down.
    behind: str = ""
    not_measured_because: str = ""


def _on_time(counts, scope):
    return counts["completed_early"] + counts["completed_on_time"], counts["completed"]


def _online_filing(counts, scope):
    return counts["received_online"] + counts["received_api"], counts["received"]


def _fully_online_procedures(counts, scope):
    """Of the procedures the unit received dossiers under in the period, those whose version in
    force at the period's end is offered fully online."""
    by_procedure = figures(*scope["dates"], group_by="procedure", **scope["filters"])
    handled = {row["key"] for row in by_procedure if row["received"]}
    moment = scope["end"]
    in_force = ProcedureVersion.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=moment),
        procedure__code__in=handled, status=ProcedureVersion.Status.PUBLISHED, effective_from__lte=moment,
    )  # fmt: skip
    fully = in_force.filter(online_level=ProcedureVersion.OnlineLevel.FULL).values_list("procedure__code", flat=True)
    fully = set(fully)
    return len(fully), len(handled)


def _paid_online(counts, scope):
    return counts["paid_online"], counts["fees_paid"]


def _satisfied(counts, scope):
    return counts["rating_satisfied"], counts["rating_count"]


INDICATORS = [
    Indicator("publicity", "publicity", 18,
              gettext_lazy("Procedures and dossier progress published on the national portal"),
              gettext_lazy("procedures published on time and in full, and dossiers whose progress is synchronised, "
                           "on the National Public Service Portal"),
              not_measured_because=gettext_lazy("Needs the link with the national procedure database and portal, "
                                                "which this product does not have yet.")),
    Indicator("on_time", "progress", 20, gettext_lazy("Dossiers completed early or on time"),
              gettext_lazy("(completed early + completed on time) ÷ completed × 20"), _on_time, behind="completed"),
    Indicator("digitisation", "digitisation", 22, gettext_lazy("Dossiers and results digitised and reused"),
              gettext_lazy("dossiers whose papers are digitised at receipt, results issued electronically and "
                           "digitised data reused"),
              not_measured_because=gettext_lazy("Digitising the papers received at the desk is not part of the "
                                                "product yet.")),
    Indicator("online_filing", "online", 8, gettext_lazy("Dossiers filed online"),
              gettext_lazy("dossiers received online (portal and API) ÷ dossiers received × 8"), _online_filing,
              behind="received"),
    Indicator("fully_online", "online", 6, gettext_lazy("Procedures handled fully online"),
              gettext_lazy("procedures offered fully online ÷ procedures with dossiers received in the period × 6"),
              _fully_online_procedures, behind="received"),
    Indicator("online_payment", "online", 8, gettext_lazy("Fees paid online"),
              gettext_lazy("fees paid online ÷ fees paid × 8"), _paid_online, behind="paid"),
    Indicator("satisfied", "satisfaction", 18, gettext_lazy("Ratings that are satisfied"),
              gettext_lazy("ratings of 4 or 5 (of 5) ÷ ratings × 18"), _satisfied, behind="rated"),
]  # fmt: skip


def moments(period):
    """The period's first and following-day midnights, local time (what its days cover)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, zone)
    return start, datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, zone)


def score(period, agency=None, role="receiving", sector=None):
    """The index of ``period`` for the province or ``agency`` (as ``role``), within ``sector``."""
    filters = {"agency": agency, "sector": sector, "role": role}
    counts = figures(period.start, period.end, **filters)
    scope = {"dates": (period.start, period.end), "filters": filters, "end": moments(period)[1]}
    components = []
    for indicator in INDICATORS:
        measured = indicator.share is not None
        numerator, denominator = indicator.share(counts, scope) if measured else (None, None)
        value = numerator / denominator if denominator else None
        components.append({
            "key": indicator.key, "group": indicator.group, "name": str(indicator.name),
            "max_points": indicator.max_points, "weight": indicator.max_points / 100, "formula": str(indicator.formula),
            "measured": measured, "numerator": numerator, "denominator": denominator,
            "value": round(value, 4) if value is not None else None,
            "points": round(value * indicator.max_points, 2) if value is not None else None,
            "not_measured_because": str(indicator.not_measured_because), "behind": indicator.behind,
        })  # fmt: skip
    groups = []
    for key, (top, name) in GROUPS.items():
        own = [c for c in components if c["group"] == key]
        groups.append({"key": key, "name": str(name), "max_points": top, "components": own,
                       "points": _sum(c["points"] for c in own if c["measured"]),
                       "measured_max_points": sum(c["max_points"] for c in own if c["measured"])})  # fmt: skip
    return {
        "period": str(period), "agency": agency.code if agency else None, "role": role, "sector": sector,
        "groups": groups,
        "total": {"points": _sum(g["points"] for g in groups), "max_points": 100,
                  "measured_max_points": sum(g["measured_max_points"] for g in groups)},
    }  # fmt: skip


def _sum(values):
    """A sum of points, None when none of them could be scored (no dossier at all)."""
    scored = [value for value in values if value is not None]
    return round(sum(scored), 2) if scored else None


# The dossiers behind an indicator, for the drill-down: those its denominator counts.
BEHIND = {
    "completed": gettext_lazy("Dossiers completed in the period"),
    "received": gettext_lazy("Dossiers received in the period"),
    "rated": gettext_lazy("Dossiers rated in the period"),
    "paid": gettext_lazy("Dossiers whose fee was paid in the period"),
}


def dossiers_behind(which, period, agency=None, role="receiving", sector=None):
    """The dossiers a share of ``period`` counts, the most recent first."""
    start, end = moments(period)
    dossiers = Dossier.objects.exclude(receiving_agency=None)
    if which == "completed":  # as the rollups count a completion: the result issued, or the rejection
        dossiers = dossiers.filter(
            Q(issued_at__gte=start, issued_at__lt=end)
            | Q(issued_at__isnull=True, status=Dossier.Status.REJECTED, completed_at__gte=start, completed_at__lt=end),
            timeliness__in=list(COMPLETION),
        ).order_by("-issued_at", "-completed_at")
    elif which == "received":
        dossiers = dossiers.filter(submitted_at__gte=start, submitted_at__lt=end).order_by("-submitted_at")
    elif which == "paid":
        paid = Payment.objects.filter(status=Payment.Status.PAID, paid_at__gte=start, paid_at__lt=end)
        dossiers = dossiers.filter(pk__in=paid.values("dossier_id")).prefetch_related("payments")
        dossiers = dossiers.order_by("-submitted_at")
    elif which == "rated":
        rated = Rating.objects.filter(created_at__gte=start, created_at__lt=end).values("dossier_id")
        dossiers = dossiers.filter(pk__in=rated).order_by("-submitted_at")
    else:
        raise KeyError(which)
    if agency is not None:
        dossiers = dossiers.filter(of_unit(agency, ROLES[role][1]))
    if sector:
        dossiers = dossiers.filter(version__sector__code=sector)
    return dossiers.select_related("version", "receiving_agency", "deciding_agency", "rating")
