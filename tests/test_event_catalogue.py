"""Every event type the catalogue advertises to webhook subscribers (GET /api/v1/events/types/)
is emitted by the product, and nothing else is: dossiers taken down every path there is,
with the outbox relayed at commit as in production (documents are made, the relay runs)."""

import datetime

import pytest
from django.utils import timezone

from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.services.timers import fire_due_timers
from egov.integrations.events import TYPES
from egov.integrations.models import OutboxEvent
from tests.factories import AgencyFactory, commune, officer, step, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def complete(user, dossier, outcome, data=None, note=""):
    task = dossier.tasks.get(flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    services.complete_task(user, task.pk, outcome, data or {}, note)


def test_every_advertised_event_is_emitted_and_nothing_else(api):
    partner_unit = AgencyFactory(level="department")
    partner = officer(Role.PARTNER, partner_unit)
    world = commune(
        payment="before_result", time_limit={"working_days": 5},
        fees=[{"code": "fee", "name": {"vi": "Lệ phí", "en": "Fee"}, "amount": 30000}],
        steps=[
            step("appraise", Role.CASE_OFFICER, ["forward", "supplement", "propose_refusal"]),
            {**step("consult"), "consult": [{"agency": partner_unit.code, "role": "partner"}]},
            step("approve", Role.APPROVER, ["approve", "send_back", "reject"]),
            step("issue", Role.CLERK, ["issue"]),
        ],
    )
    # All the way: a supplement, a consultation, the fee, the result, a rating.
    full = submitted(world)
    complete(world.intake, full, "accept")
    complete(world.case_officer, full, "supplement", {"fields": ["full_name"]}, "Sửa họ tên.")
    services.answer_supplement(world.citizen, full, {"full_name": "Nguyễn Văn Đã Sửa"})
    complete(world.case_officer, full, "forward")
    complete(partner, full, "answer", note="Đồng ý.")
    complete(world.approver, full, "approve")
    complete(world.clerk, full, "issue")
    services.confirm_payment(world.intake, full, "BL-1")
    complete(world.intake, full, "returned", {"how": "desk"})
    full.refresh_from_db()
    services.rate(world.citizen, full, 5, "Nhanh.")
    # Refused at intake, not within scope, rejected after handling, withdrawn.
    complete(world.intake, submitted(world), "refuse", note="Thiếu giấy tờ.")
    complete(world.intake, submitted(world), "redirect", note="Thuộc cấp tỉnh.")
    rejected = submitted(world)
    complete(world.intake, rejected, "accept")
    complete(world.case_officer, rejected, "propose_refusal", note="Không đủ điều kiện.")
    complete(partner, rejected, "answer", note="Không đồng ý.")
    complete(world.approver, rejected, "reject", note="Không đủ điều kiện.")
    services.withdraw(world.citizen, submitted(world), "Không cần nữa.")
    # Late: a step over its budget, the due date near, then passed, and an apology.
    late = submitted(world)
    complete(world.intake, late, "accept")
    late.refresh_from_db()
    fire_due_timers(now=late.due_at + datetime.timedelta(hours=1))
    services.apologise(world.approver, late, timezone.now() + datetime.timedelta(days=10), "Quá tải.")

    emitted = set(OutboxEvent.objects.values_list("type", flat=True))
    assert emitted == set(TYPES), f"advertised, never sent: {set(TYPES) - emitted}; sent, not advertised: {emitted - set(TYPES)}"
    assert not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()  # every one relayed and dispatched
    advertised = {row["type"] for row in api.get("/api/v1/events/types/").json()["types"]}
    assert advertised == set(TYPES)
