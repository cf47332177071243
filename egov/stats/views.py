"""The operations-centre dashboard: figures, trend, drill-down, overdue dossiers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from egov.accounts.selectors import agencies_where
from egov.agencies.models import Agency
from egov.common.vocabulary import Role

from .periods import Period
from .selectors import figures, overdue_dossiers
from .workload import open_tasks_of, workload


@login_required
def dashboard(request):
    user = request.user
    managed = agencies_where(user, Role.CENTER_MANAGER)
    sees_all = user.is_superuser or bool(agencies_where(user, Role.PROCEDURE_ADMIN))
    if not sees_all and not managed:
        raise PermissionDenied()
    code = request.GET.get("agency", "")
    agency = Agency.objects.filter(code=code).first() if code else None
    if agency is None and not sees_all:
        agency = Agency.objects.filter(pk__in=managed).order_by("code").first()
    if agency is not None and not sees_all and agency.pk not in managed:
        raise PermissionDenied()
    today = timezone.localdate()
    start = parse_date(request.GET.get("from", "")) or today.replace(month=1, day=1)
    end = parse_date(request.GET.get("to", "")) or today
    procedure = request.GET.get("procedure") or None
    totals = figures(start, end, agency, procedure)
    trend = figures(start, end, agency, procedure, group_by="month")
    breakdown = figures(start, end, agency, procedure, group_by="procedure" if agency else "agency")
    names = dict(Agency.objects.values_list("code", "name"))
    return render(request, "stats/dashboard.html", {
        "agency": agency, "start": start, "end": end, "procedure": procedure, "totals": totals,
        "trend": {"labels": [r["key"] for r in trend], "received": [r["received"] for r in trend],
                  "completed": [r["completed"] for r in trend],
                  "on_time": [round(100 * (r["on_time_rate"] or 0), 1) for r in trend]},
        "breakdown": [{**r, "name": names.get(r["key"], r["key"])} for r in breakdown],
        "by_agency": agency is None, "overdue": overdue_dossiers(agency), "open_data_period": Period.last_month(),
        "report_periods": Period.last_ended(),
        "sees_team": agency is not None and (user.is_superuser or agency.pk in managed),
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
