"""The centre manager's view of people: per officer of one unit, the work in hand and the
work done in a period (issue 26). Read from the tasks themselves: a unit has tens of
officers and a month a few thousand tasks, so one grouped query for the open work and one
pass over the period's finished tasks are enough."""

import dataclasses
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from egov.accounts.models import RoleAssignment, User
from workflows.models import OPEN_TASK_STATUSES, DossierTask


@dataclasses.dataclass
class Officer:
    user: User
    roles: list
    open: int = 0
    overdue: int = 0
    completed: int = 0
    in_time: int = 0
    hours: float = 0.0  # the finished tasks' time from arrival to completion, in all

    @property
    def on_time_share(self):
        return self.in_time / self.completed if self.completed else None

    @property
    def average_hours(self):
        return round(self.hours / self.completed, 1) if self.completed else None


def workload(agency, start, end, now=None):
    """(officers of ``agency`` with their figures, the unit's open tasks nobody holds)."""
    now = now or timezone.now()
    officers = {}
    grants = RoleAssignment.objects.filter(agency=agency, active=True, user__is_active=True).select_related("user")
    for grant in grants.order_by("user__full_name", "user__username"):
        officer = officers.setdefault(grant.user_id, Officer(grant.user, []))
        officer.roles.append(grant.get_role_display())
    tasks = DossierTask.objects.filter(agency=agency)
    in_hand = (tasks.filter(status__in=OPEN_TASK_STATUSES, owner__isnull=False).values("owner")
               .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now))))  # fmt: skip
    for row in in_hand:
        if row["owner"] in officers:
            officers[row["owner"]].open, officers[row["owner"]].overdue = row["n"], row["late"]
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    finished = tasks.filter(completed_by__isnull=False, finished__gte=since, finished__lt=until)
    for who, created, done, due in finished.values_list("completed_by", "created", "finished", "due_at"):
        officer = officers.get(who)
        if officer is None:  # a former officer of the unit
            continue
        officer.completed += 1
        officer.in_time += due is None or done <= due
        officer.hours += (done - created).total_seconds() / 3600
    unheld = tasks.filter(status__in=OPEN_TASK_STATUSES, owner__isnull=True).exclude(role="")
    return list(officers.values()), unheld.select_related("dossier").order_by("due_at")[:100]


def open_tasks_of(agency, officer):
    return (DossierTask.objects.filter(agency=agency, owner=officer, status__in=OPEN_TASK_STATUSES)
            .select_related("dossier").order_by("due_at"))  # fmt: skip
