"""What a webhook subscriber sees (security review M1): the events of the dossiers its app may
read through the API, by the same rule (ApiClient.dossier_condition), and nothing else; a
subscription's filters narrow that, never widen it. Event data carry no free text: the
reasons stay on the dossier and in the audit trail, where the messages still find them."""

import datetime
import importlib
import json
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from egov.audit.models import AuditRecord
from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.selectors import visible_dossiers
from egov.integrations.catalogue import describe
from egov.integrations.clients import issue_key, register_client
from egov.integrations.models import OutboxEvent, Scope, WebhookDelivery, WebhookSubscription
from egov.integrations.tasks import deliver_due_webhooks
from tests.factories import AgencyFactory, commune, step, submitted

from .receiver import Receiver
from .test_webhooks_and_clients import app_client, submit_through_portal

pytestmark = pytest.mark.django_db

# What the review's citizen wrote when withdrawing: name, ID card number, phone.
REASON = "Tôi là Nguyễn Văn An, CCCD 045090001234, SĐT 0912345678, không cần nữa"


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def other_receiver():
    running = Receiver()
    yield running
    running.stop()


def complete(user, dossier, outcome, data=None, note=""):
    task = dossier.tasks.get(flow_task_type="HUMAN", status__in=["NEW", "ASSIGNED"])
    services.complete_task(user, task.pk, outcome, data or {}, note)
    dossier.refresh_from_db()


def received(receiver):
    return [delivery["event"] for delivery in receiver.received]


def test_a_client_of_one_agency_receives_nothing_of_another_s_dossiers(receiver, other_receiver, run_after_commit):
    """The review's replay: "Camlo reader" reads Cam Lộ's dossiers; a Đông Hà dossier is
    withdrawn with the citizen's ID number and phone in the reason. Its subscription (no
    filters) gets Cam Lộ's events only, and no reason at all; a subscription filtered to
    Đông Hà gets nothing, since a filter cannot widen what the client may read."""
    camlo, dongha = commune(), commune()
    reader = register_client("Camlo reader", [Scope.DOSSIERS_READ, Scope.EVENTS_RECEIVE], agencies=[camlo.agency])
    key = issue_key(reader)
    WebhookSubscription.objects.create(client=reader, url=receiver.url)
    WebhookSubscription.objects.create(client=reader, url=other_receiver.url, agencies=[dongha.agency.code])
    with run_after_commit():
        theirs, ours = submitted(dongha), submitted(camlo)
        complete(dongha.intake, theirs, "accept")
        complete(camlo.intake, ours, "accept")
        services.withdraw(dongha.citizen, theirs, REASON)
        services.withdraw(camlo.citizen, ours, REASON)
    events = received(receiver)
    assert {event["subject"] for event in events} == {ours.code}
    assert {event["data"]["dossier_id"] for event in events} == {str(ours.pk)}
    types = [event["type"].removeprefix("vn.gov.motcua.") for event in events]
    assert {"dossier.submitted", "dossier.accepted", "dossier.withdrawn", "dossier.document_generated"} <= set(types)
    bodies = b" ".join(delivery["body"] for delivery in receiver.received).decode()
    assert theirs.code not in bodies and str(theirs.pk) not in bodies
    assert "045090001234" not in bodies and "0912345678" not in bodies and "reason" not in bodies
    assert other_receiver.received == []
    assert not WebhookDelivery.objects.filter(event__dossier=theirs).exists()
    # The same rule as the API's: what the client lists is what it was sent.
    listed = app_client(key).get("/api/v1/dossiers/").json()["results"]
    assert {row["id"] for row in listed} == {str(ours.pk)}


def test_a_client_receives_the_dossiers_it_filed_and_no_others(receiver, run_after_commit):
    """Without dossiers:read (and listed at another agency) an app reads, and receives, only
    what it filed."""
    world = commune()
    portal = register_client("Cổng quốc gia", [Scope.DOSSIERS_SUBMIT, Scope.EVENTS_RECEIVE],
                             agencies=[AgencyFactory()])  # fmt: skip
    key = issue_key(portal)
    WebhookSubscription.objects.create(client=portal, url=receiver.url)
    with run_after_commit():
        filed = submit_through_portal(world, key)
        someone_elses = submitted(world)
        complete(world.intake, someone_elses, "accept")
    assert {event["subject"] for event in received(receiver)} == {filed["code"]}
    assert "dossier.submitted" in {event["type"].removeprefix("vn.gov.motcua.") for event in received(receiver)}
    assert set(visible_dossiers(portal.service_user).values_list("code", flat=True)) == {filed["code"]}


def test_deliveries_the_client_may_no_longer_read_are_not_sent(receiver, run_after_commit):
    """Rights are checked again when a delivery is posted: an app moved to another agency while
    its receiver was down gets none of the first agency's waiting events."""
    world = commune()
    reader = register_client("Đọc hồ sơ", [Scope.DOSSIERS_READ, Scope.EVENTS_RECEIVE], agencies=[world.agency])
    WebhookSubscription.objects.create(client=reader, url=receiver.url)
    receiver.down = True
    with run_after_commit():
        submitted(world)
    waiting = WebhookDelivery.objects.filter(status="pending").count()
    assert waiting >= 1
    reader.agencies.set([AgencyFactory()])
    receiver.down = False
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=2)):
        deliver_due_webhooks()
    assert receiver.received == []
    gave_up = WebhookDelivery.objects.filter(status="dead")
    assert gave_up.count() == waiting
    assert all(delivery.last_error.startswith("Not sent: the client may no longer") for delivery in gave_up)


def test_event_data_carry_no_free_text(receiver, run_after_commit):
    """Every note and reason a person writes, down every path that takes one: none is in any
    event's data nor in any webhook; they are on the dossier and in the audit trail, and the
    applicant's messages quote them as before."""
    world = commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward", "supplement"]),
        step("approve", Role.APPROVER, ["approve", "reject"]),
    ])  # fmt: skip
    reader = register_client("Đọc tất cả", [Scope.DOSSIERS_READ, Scope.EVENTS_RECEIVE])
    WebhookSubscription.objects.create(client=reader, url=receiver.url)
    texts = {name: f"FREE-TEXT-{name} của Nguyễn Văn An, CCCD 045090001234" for name in (
        "accept", "refuse", "redirect", "supplement", "answer", "reject", "withdraw", "apology", "rating")}  # fmt: skip
    with run_after_commit():
        complete(world.intake, submitted(world), "refuse", note=texts["refuse"])
        complete(world.intake, submitted(world), "redirect", note=texts["redirect"])
        rejected = submitted(world)
        complete(world.intake, rejected, "accept", note=texts["accept"])
        complete(world.case_officer, rejected, "supplement", {"fields": ["full_name"]}, texts["supplement"])
        services.answer_supplement(world.citizen, rejected, {"full_name": "Nguyễn Văn Đã Sửa"}, texts["answer"])
        complete(world.case_officer, rejected, "forward")
        complete(world.approver, rejected, "reject", note=texts["reject"])
        withdrawn = submitted(world)
        services.withdraw(world.citizen, withdrawn, texts["withdraw"])
        late = submitted(world)
        complete(world.intake, late, "accept")
        services.apologise(world.approver, late, timezone.now() + datetime.timedelta(days=30), texts["apology"])
        done = submitted(world)
        complete(world.intake, done, "accept")
        complete(world.case_officer, done, "forward")
        complete(world.approver, done, "approve")
        complete(world.intake, done, "returned", {"how": "desk"})
        services.rate(world.citizen, done, 4, texts["rating"])

    data = json.dumps([event.data for event in OutboxEvent.objects.all()], ensure_ascii=False, default=str)
    webhooks = b" ".join(delivery["body"] for delivery in receiver.received).decode()
    for name, text in texts.items():
        assert text not in data and text not in webhooks, name
    assert "045090001234" not in data and "045090001234" not in webhooks
    assert {"dossier.withdrawn", "dossier.apologised", "dossier.refused", "dossier.rejected"} <= {
        event["type"].removeprefix("vn.gov.motcua.") for event in received(receiver)}  # fmt: skip
    schemas = {row["type"]: row["data_schema"]["properties"] for row in describe()}
    assert "reason" not in schemas["dossier.withdrawn"] and "reason" not in schemas["dossier.apologised"]
    assert "new_due_at" in schemas["dossier.apologised"]
    # Where the free text belongs: the dossier. The audit record says only that there was one.
    withdrawn.refresh_from_db()
    late.refresh_from_db()
    assert withdrawn.decision_note == texts["withdraw"] and late.apology_reason == texts["apology"]
    audited = AuditRecord.objects.filter(action__in=["dossier.withdraw", "dossier.apologise"])
    assert {entry.action: entry.after["note"] for entry in audited} == {"dossier.withdraw": True, "dossier.apologise": True}
    assert not any("045090001234" in f"{entry.note} {entry.after}" for entry in audited)
    # The messages to the applicant read the reasons from the dossier, word for word.
    letters = " ".join(f"{message.subject} {message.body}" for message in mail.outbox)
    for name in ("refuse", "redirect", "reject", "apology"):
        assert texts[name] in letters, name


def test_events_stored_before_lose_their_reason():
    """The migration takes the reasons out of the events already in the outbox; the rest of
    their data stays."""
    world = commune()
    dossier = submitted(world)
    old = OutboxEvent.objects.create(type="dossier.withdrawn", dossier=dossier,
                                     data={"code": dossier.code, "status": "withdrawn", "reason": REASON})  # fmt: skip
    apology = OutboxEvent.objects.create(type="dossier.apologised", dossier=dossier,
                                         data={"new_due_at": "2027-01-04T10:00:00+07:00", "reason": REASON})  # fmt: skip
    migration = importlib.import_module("egov.integrations.migrations.0006_event_data_without_free_text")
    migration.strip_reasons(apps, None)
    old.refresh_from_db()
    apology.refresh_from_db()
    assert old.data == {"code": dossier.code, "status": "withdrawn"}
    assert apology.data == {"new_due_at": "2027-01-04T10:00:00+07:00"}
