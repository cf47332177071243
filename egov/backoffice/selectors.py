"""The workspace's queue: filters, sorting and the timeliness colour, in one bounded query."""

import datetime

from django.db.models import Q
from django.utils import timezone

from egov.dossiers import selectors

SCOPES = {"mine": selectors.my_tasks, "queue": selectors.team_queue, "unit": selectors.unit_tasks}
# The legal due date is read from the task (dossier_due_at, kept in step with the dossier) so
# that filtering and sorting a long queue needs no join to the dossiers.
SORTS = {"received": "dossier__submitted_at", "-received": "-dossier__submitted_at", "due": "dossier_due_at",
         "-due": "-dossier_due_at", "budget": "due_at", "created": "created"}  # fmt: skip
DUE_SOON = datetime.timedelta(hours=24)


def queue(user, scope="queue", procedure="", step="", state="", text="", sort="created"):
    # The list shows columns only: leave the large JSON (the version's whole definition, the
    # form data) in the database instead of decoding it for every row.
    tasks = (
        SCOPES.get(scope, selectors.team_queue)(user)
        .select_related("dossier__version")
        .defer("data", "dossier__data", "dossier__time_limit", "dossier__fee_lines", "dossier__version__definition")
    )
    if procedure:
        tasks = tasks.filter(dossier__procedure__code=procedure)
    if step:
        tasks = tasks.filter(step_key=step)
    now = timezone.now()
    if state == "overdue":
        tasks = tasks.filter(Q(due_at__lt=now) | Q(dossier_due_at__lt=now))
    elif state == "due_soon":
        tasks = tasks.filter(Q(due_at__range=(now, now + DUE_SOON)) | Q(dossier_due_at__range=(now, now + DUE_SOON)))
    tasks = selectors.search_tasks(tasks, text)
    return tasks.order_by(SORTS.get(sort, "created"), "pk")


def colour(task, now=None):
    """on_track / due_soon / overdue, from the step budget and the dossier's legal due date."""
    now = now or timezone.now()
    deadlines = [d for d in (task.due_at, task.dossier.due_at) if d]
    if any(d < now for d in deadlines):
        return "overdue"
    if any(d < now + DUE_SOON for d in deadlines):
        return "due_soon"
    return "on_track"
