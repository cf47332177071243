"""Every way a dossier can go, driven through the services with data built for the test
(tests/factories.py): what the routing module decides (workflows/routing.py), the status
derived from it (egov/dossiers/status.py), the control slip and the events."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from egov.common.errors import InvalidInput
from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.integrations.models import OutboxEvent
from tests.factories import AgencyFactory, commune, officer, step, submitted

pytestmark = pytest.mark.django_db


def open_task(dossier):
    return dossier.tasks.get(flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])


def complete(user, dossier, outcome, data=None, note=""):
    task = open_task(dossier)
    services.complete_task(user, task.pk, outcome, data or {}, note)
    return Dossier.objects.get(pk=dossier.pk)


def event_types(dossier):
    return list(OutboxEvent.objects.filter(dossier=dossier).order_by("occurred_at", "pk").values_list("type", flat=True))


def slip(dossier):
    return [(row.step_key, row.outcome, row.receiver_role) for row in dossier.handovers.order_by("handed_at", "pk")]


def test_propose_refusal_moves_on_to_the_head_who_rejects():
    world = commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward", "propose_refusal"]),
        step("approve", Role.APPROVER, ["approve", "reject"]),
    ])  # fmt: skip
    dossier = submitted(world)
    dossier = complete(world.intake, dossier, "accept")
    dossier = complete(world.case_officer, dossier, "propose_refusal", note="Thiếu điều kiện về diện tích.")
    assert dossier.status == Dossier.Status.AWAITING_APPROVAL
    assert open_task(dossier).step_key == "approve"
    dossier = complete(world.approver, dossier, "reject", note="Không đủ điều kiện.")
    assert dossier.status == Dossier.Status.REJECTED and dossier.completed_at and dossier.timeliness == "early"
    assert dossier.decision_note == "Không đủ điều kiện." and dossier.issued_at is None
    assert not dossier.tasks.filter(status__in=["NEW", "ASSIGNED"]).exists()
    assert slip(dossier) == [("intake", "accept", "case_officer"), ("appraise", "propose_refusal", "approver"),
                             ("approve", "reject", "")]  # fmt: skip
    assert event_types(dossier)[-2:] == ["dossier.step_completed", "dossier.rejected"]


def test_a_proposal_of_refusal_needs_written_reasons():
    world = commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward", "propose_refusal"]),
        step("approve", Role.APPROVER, ["approve", "reject"]),
    ])  # fmt: skip
    dossier = complete(world.intake, submitted(world), "accept")
    with pytest.raises(InvalidInput) as refused:
        complete(world.case_officer, dossier, "propose_refusal")
    assert "note" in refused.value.errors
    assert open_task(dossier).step_key == "appraise"
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.IN_PROGRESS


def test_redirect_at_intake_ends_the_dossier_without_a_clock():
    world = commune()
    dossier = complete(world.intake, submitted(world), "redirect", note="Thuộc thẩm quyền của Sở Tư pháp.")
    assert dossier.status == Dossier.Status.REDIRECTED
    assert dossier.accepted_at is None and dossier.due_at is None and dossier.completed_at
    assert dossier.decision_note == "Thuộc thẩm quyền của Sở Tư pháp."
    assert event_types(dossier) == ["dossier.submitted", "dossier.redirected"]
    assert slip(dossier) == [("intake", "redirect", "")]


def test_a_consultation_as_the_last_step_issues_the_result_when_the_last_partner_answers():
    world = commune()
    health, environment = AgencyFactory(level="department"), AgencyFactory(level="department")
    partners = [officer(Role.PARTNER, health), officer(Role.PARTNER, environment)]
    world = commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward"]),
        {**step("consult"), "consult": [{"agency": health.code, "role": "partner"},
                                        {"agency": environment.code, "role": "partner"}]},
    ])  # fmt: skip
    dossier = complete(world.intake, submitted(world), "accept")
    dossier = complete(world.case_officer, dossier, "forward")
    assert dossier.status == Dossier.Status.AWAITING_PARTNER
    consults = list(dossier.tasks.filter(kind="consult", status="NEW").order_by("pk"))
    assert [t.agency for t in consults] == [health, environment]
    assert "dossier.consultation_requested" in event_types(dossier)

    services.complete_task(partners[0], consults[0].pk, "answer", {}, "Đồng ý.")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.AWAITING_PARTNER and dossier.issued_at is None
    services.complete_task(partners[1], consults[1].pk, "answer", {}, "Đồng ý, có lưu ý.")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.READY_FOR_RETURN
    assert dossier.issued_at and dossier.timeliness == "early"
    assert open_task(dossier).kind == "return"
    assert event_types(dossier)[-4:] == ["dossier.consultation_answered", "dossier.consultation_answered",
                                         "dossier.issued", "dossier.ready_for_return"]  # fmt: skip
    assert slip(dossier)[-2:] == [("consult", "answer", "partner"), ("consult", "answer", "intake_officer")]
    dossier = complete(world.intake, dossier, "returned", {"how": "desk"})
    assert dossier.status == Dossier.Status.RETURNED


def test_a_dossier_completed_late_from_start_to_end():
    world = commune(time_limit={"working_days": 1}, steps=[
        step("appraise", Role.CASE_OFFICER, ["forward"], budget_hours=2),
        step("approve", Role.APPROVER, ["approve"], budget_hours=2),
        step("issue", Role.CLERK, ["issue"], budget_hours=2),
    ])  # fmt: skip
    dossier = complete(world.intake, submitted(world), "accept")
    due = dossier.due_at
    dossier = complete(world.case_officer, dossier, "forward")
    # Days pass: the legal time limit runs out before the head approves.
    later = due + datetime.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=later):
        from egov.dossiers.services.timers import fire_due_timers

        assert fire_due_timers(now=later)["overdue"] == 1
        dossier = complete(world.approver, dossier, "approve")
        dossier = complete(world.clerk, dossier, "issue")
        assert dossier.status == Dossier.Status.READY_FOR_RETURN and dossier.timeliness == "late"
        services.apologise(world.approver, dossier, later + datetime.timedelta(days=2), "Quá tải hồ sơ.")
        dossier = complete(world.intake, Dossier.objects.get(pk=dossier.pk), "returned", {"how": "post"})
    assert dossier.status == Dossier.Status.RETURNED and dossier.timeliness == "late"
    assert dossier.issued_at > due and dossier.returned_how == "post"
    types = event_types(dossier)
    assert types.index("dossier.overdue") < types.index("dossier.issued") < types.index("dossier.returned")
    assert "dossier.apologised" in types
    assert [row[1] for row in slip(dossier)] == ["accept", "forward", "approve", "issue", "returned"]


def test_send_back_returns_to_the_named_step_and_supplement_comes_back_to_the_same_step():
    world = commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward", "supplement"]),
        step("approve", Role.APPROVER, ["approve", "send_back"], send_back_to="appraise"),
    ])  # fmt: skip
    dossier = complete(world.intake, submitted(world), "accept")
    dossier = complete(world.case_officer, dossier, "forward")
    dossier = complete(world.approver, dossier, "send_back", note="Xem lại địa chỉ.")
    assert dossier.status == Dossier.Status.IN_PROGRESS and open_task(dossier).step_key == "appraise"
    dossier = complete(world.case_officer, dossier, "supplement", {"fields": ["full_name"]}, "Sửa họ tên.")
    assert dossier.status == Dossier.Status.SUPPLEMENT_REQUESTED
    assert dossier.clock_pauses.filter(ended_at__isnull=True).exists()
    services.answer_supplement(world.citizen, dossier, {"full_name": "Nguyễn Văn Đã Sửa"})
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.IN_PROGRESS and open_task(dossier).step_key == "appraise"
    assert dossier.data["full_name"] == "Nguyễn Văn Đã Sửa"


def test_a_fee_before_processing_is_paid_first():
    world = commune(payment="before_processing", fees=[
        {"code": "fee", "name": {"vi": "Lệ phí", "en": "Fee"}, "amount": 50000},
    ])  # fmt: skip
    dossier = complete(world.intake, submitted(world), "accept")
    assert dossier.status == Dossier.Status.AWAITING_PAYMENT and open_task(dossier).kind == "payment"
    services.confirm_payment(world.intake, dossier, "BL-0001")
    dossier.refresh_from_db()
    assert dossier.payment_status == "paid" and dossier.status == Dossier.Status.IN_PROGRESS
    assert open_task(dossier).step_key == "appraise"
    assert timezone.now() >= dossier.accepted_at
