"""The centre manager's view of people (issue 26, item 4): per officer of their own unit, the
tasks in hand, the overdue ones, what was completed in the period and how fast; a task given
to another officer from that page."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from egov.dossiers import services
from egov.stats.workload import workload
from tests.factories import AgencyFactory, CitizenFactory, commune, submitted
from workflows.models import DossierTask

pytestmark = pytest.mark.django_db


def intake_task(dossier):
    return DossierTask.objects.get(dossier=dossier, kind="intake")


def test_each_officer_of_the_unit_with_work_in_hand_and_done():
    world = commune()
    done, held, late = submitted(world), submitted(world), submitted(world)
    services.complete_task(world.intake, intake_task(done).pk, "accept")  # its step's time is not over
    services.claim(world.intake, intake_task(held).pk)
    services.claim(world.intake, intake_task(late).pk)
    DossierTask.objects.filter(pk=intake_task(late).pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    submitted(world)  # nobody's yet

    today = timezone.localdate()
    officers, unheld = workload(world.agency, today, today)
    desk = next(o for o in officers if o.user == world.intake)
    assert (desk.open, desk.overdue, desk.completed, desk.in_time) == (2, 1, 1, 1)
    assert desk.on_time_share == 1.0 and desk.average_hours is not None
    assert {o.user for o in officers} == {world.intake, world.case_officer, world.approver, world.clerk, world.manager}
    assert [t.dossier.code for t in unheld if t.kind == "intake"] and all(t.owner_id is None for t in unheld)
    # The accepted dossier's appraisal waits for the case officer: in the unit's open, unheld work.
    assert any(t.kind == "step" and t.dossier_id == done.pk for t in unheld)


def test_only_the_units_manager_sees_it_and_gives_tasks_from_it():
    world = commune()
    dossier = submitted(world)
    page = Client()
    page.force_login(world.manager)
    answer = page.get("/dashboard/team/", {"agency": world.agency.code})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert world.intake.full_name in html and dossier.code in html
    task = intake_task(dossier)
    back = f"/dashboard/team/?agency={world.agency.code}"
    given = page.post(f"/backoffice/tasks/{task.pk}/", {"action": "reassign", "user": world.intake.username,
                                                          "next": back})  # fmt: skip
    assert given.status_code == 302 and given["Location"] == back
    task.refresh_from_db()
    assert task.owner == world.intake

    other = commune(AgencyFactory())
    for who, status in ((other.manager, 403), (world.intake, 403), (CitizenFactory(), 403)):
        visitor = Client()
        visitor.force_login(who)
        assert visitor.get("/dashboard/team/", {"agency": world.agency.code}).status_code == status
