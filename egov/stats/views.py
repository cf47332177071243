"""The operations-centre pages: the dashboard (figures, trend, drill-down, overdue dossiers),
the national service index and the dossiers behind it, the officers' workload."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from egov.accounts.selectors import agencies_where, reads_figures
from egov.agencies.models import Agency
from egov.catalog.models import Sector
from egov.common.vocabulary import Role

from .index import BEHIND, dossiers_behind, score
from .periods import BadPeriod, Period
from .selectors import ROLES, figures, in_progress, overdue_dossiers, total_of
from .workload import open_tasks_of, workload


def _unit_in_reach(request):
    """(the unit asked for, or None for the province; the units the user manages): centre
    managers see their own units, procedure administrators and superusers the whole province."""
    user = request.user
    managed = agencies_where(user, Role.CENTER_MANAGER)
    sees_all = user.is_superuser or bool(agencies_where(user, Role.PROCEDURE_ADMIN))
    if not reads_figures(user):
        raise PermissionDenied()
    code = request.GET.get("agency", "")
    agency = Agency.objects.filter(code=code).first() if code else None
    if agency is None and not sees_all:
        agency = Agency.objects.filter(pk__in=managed).order_by("code").first()
    if agency is not None and not sees_all and agency.pk not in managed:
        raise PermissionDenied()
    return agency, managed


@login_required
def dashboard(request):
    user = request.user
    agency, managed = _unit_in_reach(request)
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "")) or today.replace(month=1, day=1)
    end = parse_date(request.GET.get("to", "")) or today
    procedure = request.GET.get("procedure") or None
    role = request.GET.get("role") if request.GET.get("role") in ROLES else "receiving"
    trend = figures(start, end, agency, procedure, group_by="month", role=role)
    # The period's totals are its months' (one reading of the rollups fewer), plus what is open now.
    totals = total_of(trend) | in_progress(agency, procedure, role=role)
    breakdown = figures(start, end, agency, procedure, group_by="procedure" if agency else "agency", role=role)
    names = dict(Agency.objects.values_list("code", "name"))
    return render(request, "stats/dashboard.html", {
        "agency": agency, "start": start, "end": end, "procedure": procedure, "totals": totals, "role": role,
        "trend": {"labels": [r["key"] for r in trend], "received": [r["received"] for r in trend],
                  "completed": [r["completed"] for r in trend],
                  "on_time": [round(100 * (r["on_time_rate"] or 0), 1) for r in trend]},
        "breakdown": [{**r, "name": names.get(r["key"], r["key"])} for r in breakdown],
        "by_agency": agency is None, "overdue": overdue_dossiers(agency), "open_data_period": Period.last_month(),
        "report_periods": Period.last_ended(),
        "sees_team": agency is not None and (user.is_superuser or agency.pk in managed),
    })  # fmt: skip


def _index_scope(request):
    """The period, unit, role and sector of the index pages, from the query string."""
    agency, _managed = _unit_in_reach(request)
    try:
        period = Period.parse(request.GET.get("period") or str(timezone.localdate().year), years=True)
    except BadPeriod as exc:
        raise Http404(str(exc)) from exc
    role = request.GET.get("role") if request.GET.get("role") in ROLES else "receiving"
    return {"period": period, "agency": agency, "role": role, "sector": request.GET.get("sector") or None}


@login_required
def service_index(request):
    """The national service index of a period for the province or a unit, each indicator with
    its formula and a link to the dossiers behind it."""
    scope = _index_scope(request)
    return render(request, "stats/index.html", {
        **scope, "index": score(**scope), "roles": ROLES, "periods": [Period(timezone.localdate().year),
                                                                      *Period.last_ended()],
        "sectors": Sector.objects.order_by("code"),
    })  # fmt: skip


@login_required
def index_dossiers(request):
    """The drill-down: the dossiers an indicator of the index counts (the first 200)."""
    scope = _index_scope(request)
    behind = request.GET.get("behind", "")
    if behind not in BEHIND:
        raise Http404()
    dossiers = dossiers_behind(behind, **scope)
    return render(request, "stats/index_dossiers.html", {
        **scope, "behind": behind, "title": BEHIND[behind], "count": dossiers.count(), "dossiers": dossiers[:200],
    })  # fmt: skip


@login_required
def team(request):
    """Per officer of one unit: work in hand, work done, on time; tasks reassigned from here.
    For the unit's centre manager (and administrators) only."""
    user = request.user
    agency = Agency.objects.filter(code=request.GET.get("agency", "")).first()
    managed = agencies_where(user, Role.CENTER_MANAGER)
    if agency is None and managed:
        agency = Agency.objects.filter(pk__in=managed).order_by("code").first()
    if agency is None or not (user.is_superuser or agency.pk in managed):
        raise PermissionDenied()
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "")) or today.replace(day=1)
    end = parse_date(request.GET.get("to", "")) or today
    officers, unheld = workload(agency, start, end)
    holders = {}  # role -> officers who may take a task of it here
    for officer in officers:
        for grant in officer.user.role_assignments.filter(agency=agency, active=True):
            holders.setdefault(grant.role, []).append(officer.user)
    in_hand = [(officer, list(open_tasks_of(agency, officer.user))) for officer in officers if officer.open]
    return render(request, "stats/team.html", {
        "agency": agency, "start": start, "end": end, "officers": officers, "unheld": unheld,
        "in_hand": in_hand, "holders": holders, "now": timezone.now(),
    })  # fmt: skip
