"""The legal clock: supplements at intake and during handling, apology, timers."""

import datetime

import pytest
from django.utils import timezone

from egov.calendar.clock import WorkingCalendar
from egov.dossiers.models import Dossier
from egov.dossiers.tasks import fire_due_timers
from egov.integrations.models import OutboxEvent
from tests.dossiers.helpers import do
from tests.factories import administrator, household, household_data, household_draft, paper
from workflows.models import DossierTask

from .helpers import act, client_for, file_dossier, officer_for, open_tasks, upload

pytestmark = pytest.mark.django_db


def first_task(dossier_id, admin):
    return open_tasks(dossier_id, admin)[0]


def filed():
    """A household-business dossier filed through the API in a commune of its own, and an
    administrator who sees it."""
    world = household()
    return world, administrator(), file_dossier(world.citizen, world.code, household_data(world))["id"]


def test_supplement_at_intake_does_not_start_the_clock_and_loops():
    world, admin, dossier_id = filed()
    citizen = world.citizen
    for _round in range(2):  # the loop works repeatedly
        task = first_task(dossier_id, admin)
        assert task["step"] == "intake"
        answer = act(officer_for(task), task["id"], "supplement", {"documents": ["owner_id"]}, "Bản chụp mờ.")
        assert answer.status_code == 200, answer.json()
        dossier = Dossier.objects.get(pk=dossier_id)
        assert dossier.status == "supplement_requested" and dossier.accepted_at is None and dossier.due_at is None
        client = client_for(citizen)
        early = client.post(f"/api/v1/dossiers/{dossier_id}/supplement/", {"note": "Gửi lại"})
        assert early.status_code == 400 and early.json()["code"] == "incomplete"
        assert upload(client, dossier_id, "owner_id").status_code == 201
        answer = client.post(f"/api/v1/dossiers/{dossier_id}/supplement/", {"note": "Đã gửi bản rõ"})
        assert answer.status_code == 200, answer.json()
        assert answer.json()["status"] == "submitted"
    dossier = Dossier.objects.get(pk=dossier_id)
    assert dossier.clock_pauses.count() == 0
    assert dossier.attachments.filter(document_key="owner_id", replaced_at__isnull=False).count() == 2
    task = first_task(dossier_id, admin)
    assert act(officer_for(task), task["id"], "accept").status_code == 200
    assert Dossier.objects.get(pk=dossier_id).accepted_at is not None


def test_supplement_during_handling_pauses_the_clock():
    world, admin, dossier_id = filed()
    citizen = world.citizen
    task = first_task(dossier_id, admin)
    act(officer_for(task), task["id"], "accept")
    dossier = Dossier.objects.get(pk=dossier_id)
    original_due = dossier.due_at
    for _round in range(2):
        task = first_task(dossier_id, admin)
        assert task["step"] == "appraise"
        answer = act(officer_for(task), task["id"], "supplement", {"fields": ["business_name"]}, "Tên trùng.")
        assert answer.status_code == 200, answer.json()
        pause = Dossier.objects.get(pk=dossier_id).clock_pauses.get(ended_at__isnull=True)
        # The applicant answers two working days later: the due date moves on by two working days.
        calendar = WorkingCalendar()
        later = calendar.closing(calendar.nth_working_day_after(calendar.local_date(pause.started_at), 2))
        type(pause).objects.filter(pk=pause.pk).update(started_at=pause.started_at)
        from unittest import mock

        with mock.patch("django.utils.timezone.now", return_value=later):
            answer = client_for(citizen).post(
                f"/api/v1/dossiers/{dossier_id}/supplement/", {"data": {"business_name": "Gió Lào 2"}}
            )
        assert answer.status_code == 200, answer.json()
        assert answer.json()["status"] == "in_progress"
    dossier = Dossier.objects.get(pk=dossier_id)
    assert dossier.data["business_name"] == "Gió Lào 2"
    assert dossier.clock_pauses.filter(ended_at__isnull=False).count() == 2
    calendar = WorkingCalendar()
    assert calendar.working_days_between(calendar.local_date(original_due), calendar.local_date(dossier.due_at)) == 4
    assert first_task(dossier_id, admin)["step"] == "appraise"


def test_apology_once_keeps_the_legal_due_date():
    world, admin, dossier_id = filed()
    task = first_task(dossier_id, admin)
    act(officer_for(task), task["id"], "accept")
    due = Dossier.objects.get(pk=dossier_id).due_at
    new_date = (due + datetime.timedelta(days=7)).isoformat()
    head = client_for(world.approver)
    assert client_for(world.case_officer).post(
        f"/api/v1/dossiers/{dossier_id}/apologise/", {"new_due_at": new_date, "reason": "x"}
    ).status_code == 403
    answer = head.post(f"/api/v1/dossiers/{dossier_id}/apologise/", {"new_due_at": new_date, "reason": "Chờ xác minh"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["due_at"] == answer.json()["due_at"] and answer.json()["extended_due_at"]
    again = head.post(f"/api/v1/dossiers/{dossier_id}/apologise/", {"new_due_at": new_date, "reason": "Lần nữa"})
    assert again.status_code == 400 and again.json()["code"] == "already_apologised"
    assert Dossier.objects.get(pk=dossier_id).due_at == due


def test_timer_flags_and_escalates_an_overdue_step_by_itself():
    world, admin, dossier_id = filed()
    task = first_task(dossier_id, admin)
    act(officer_for(task), task["id"], "accept")
    step = DossierTask.objects.get(dossier_id=dossier_id, step_key="appraise")
    assert step.due_at is not None and step.flagged_at is None
    # Nobody touches the dossier; time passes beyond the step's 12-hour budget.
    later = step.due_at + datetime.timedelta(minutes=1)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        fire_due_timers.delay()
        fire_due_timers.delay()  # a second sweep flags nothing twice
    step.refresh_from_db()
    assert step.flagged_at == later
    escalations = OutboxEvent.objects.filter(dossier_id=dossier_id, type="dossier.step_overdue")
    assert escalations.count() == 1
    assert escalations.get().data["escalated_to"] == [world.manager.username]
    listed = client_for(world.case_officer).get("/api/v1/tasks/?scope=queue").json()["results"]
    assert [t["flagged_at"] is not None for t in listed if t["id"] == step.pk] == [True]


@pytest.mark.parametrize("hours_before,expected", [(30, []), (10, ["dossier.due_soon"])])
def test_due_soon_and_overdue_sweep(hours_before, expected):
    _world, admin, dossier_id = filed()
    task = first_task(dossier_id, admin)
    act(officer_for(task), task["id"], "accept")
    due = Dossier.objects.get(pk=dossier_id).due_at
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=due - datetime.timedelta(hours=hours_before)):
        fire_due_timers()
    types = list(OutboxEvent.objects.filter(dossier_id=dossier_id, type__in=["dossier.due_soon", "dossier.overdue"])
                 .values_list("type", flat=True))
    assert types == expected
    with mock.patch("django.utils.timezone.now", return_value=due + datetime.timedelta(minutes=5)):
        fire_due_timers()
    assert OutboxEvent.objects.filter(dossier_id=dossier_id, type="dossier.overdue").count() == 1
    assert timezone.now() < due + datetime.timedelta(days=30)


@pytest.mark.django_db(transaction=False)
def test_open_tasks_carry_the_dossier_due_date_through_a_pause():
    """The queues filter and sort on the task's copy of the legal due date: it must follow
    the dossier when a supplement pause moves the date."""
    from egov.dossiers import services

    world = household()
    citizen = world.citizen
    dossier = services.submit(citizen, household_draft(world), consent=True)
    dossier = do(world.intake, dossier, "accept")
    step = DossierTask.objects.get(dossier=dossier, flow_task_type="HUMAN", status="NEW")
    assert step.dossier_due_at == dossier.due_at is not None
    dossier = do(world.case_officer, dossier, "supplement", data={"documents": ["owner_id"]},
                 note="Bản chụp mờ")
    due_before = dossier.due_at
    # The applicant answers three days later: the legal due date moves on by the paused time.
    dossier.clock_pauses.update(started_at=timezone.now() - datetime.timedelta(days=3))
    services.add_attachment(citizen, dossier, "owner_id", paper())
    services.answer_supplement(citizen, dossier, {}, "Đã bổ sung")
    dossier.refresh_from_db()
    assert dossier.due_at > due_before
    open_task = DossierTask.objects.get(dossier=dossier, flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    assert open_task.dossier_due_at == dossier.due_at
