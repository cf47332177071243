"""External apps: keys and scopes, the inbound channel, signed webhooks delivered once, in order."""

import datetime
import hashlib
import hmac
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from egov.audit.models import AuditRecord
from egov.common.vocabulary import Role
from egov.dossiers.models import Dossier
from egov.integrations.clients import issue_key, register_client, revoke_keys
from egov.integrations.models import Scope, WebhookDelivery, WebhookSubscription
from egov.integrations.tasks import deliver_due_webhooks
from tests.dossiers.helpers import act, file_dossier, officer_for, open_tasks, upload
from tests.factories import commune, draft, step

NEW_CITIZEN = {"personal_id": "045185009999", "full_name": "Đinh Thị Cổng Quốc Gia", "phone": "0987654321"}


@pytest.fixture
def world(db):
    """A commune receiving and deciding its procedure in the steps of a licence (appraise, approve,
    issue), an officer for every role there and a citizen (tests/factories.py)."""
    return commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward", "supplement"]),
        step("approve", Role.APPROVER, ["approve", "reject"]),
        step("issue", Role.CLERK, ["issue"]),
    ])  # fmt: skip


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def app_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def national_portal(receiver=None, scopes=(Scope.DOSSIERS_SUBMIT, Scope.EVENTS_RECEIVE), rate="600/minute"):
    client = register_client("Cổng Dịch vụ công quốc gia", list(scopes), contact_email="ops@dichvucong.gov.vn")
    client.rate = rate
    client.save()
    subscription = None
    if receiver is not None:
        subscription = WebhookSubscription.objects.create(client=client, url=receiver.url)
    return client, issue_key(client), subscription


def filed_by(client, dossier):
    """``dossier`` as if ``client`` had filed it: one it may read, so its events go to it."""
    Dossier.objects.filter(pk=dossier.pk).update(created_by=client.service_user)
    return dossier


def form(world, full_name):
    """The world's form filled in: the applicant's name, the commune that decides."""
    return {"full_name": full_name, "commune": world.agency.code}


def submit_through_portal(world, key):
    portal = app_client(key)
    answer = portal.post("/api/v1/dossiers/", {"procedure": world.code, "data": form(world, NEW_CITIZEN["full_name"]),
                                               "applicant": NEW_CITIZEN}, format="json")  # fmt: skip
    assert answer.status_code == 201, answer.json()
    dossier_id = answer.json()["id"]
    for key_ in [document.key for document in world.version.spec.documents if document.required is True]:
        assert upload(portal, dossier_id, key_).status_code == 201
    answer = portal.post(f"/api/v1/dossiers/{dossier_id}/submit/")
    assert answer.status_code == 200, answer.json()
    return answer.json()


def drive(world, dossier_id):
    while tasks := open_tasks(dossier_id, world.manager):
        task = tasks[0]
        outcome = {"intake": "accept", "appraise": "forward", "approve": "approve", "issue": "issue",
                   "return": "returned"}[task["step"]]  # fmt: skip
        assert act(officer_for(task), task["id"], outcome).status_code == 200


def verify(delivery, secret):
    headers = delivery["headers"]
    expected = hmac.new(secret.encode(), f"{headers['Webhook-Timestamp']}.".encode() + delivery["body"],
                        hashlib.sha256).hexdigest()  # fmt: skip
    return hmac.compare_digest(headers["Webhook-Signature"], f"v1={expected}")


def test_inbound_submission_and_every_event_delivered_once_signed_in_order(world, receiver, run_after_commit):
    client, key, subscription = national_portal(receiver)
    with run_after_commit():
        submitted = submit_through_portal(world, key)
    from egov.accounts.models import User

    citizen = User.objects.get(personal_id=NEW_CITIZEN["personal_id"])
    assert citizen.full_name == NEW_CITIZEN["full_name"] and submitted["applicant"]["full_name"] == citizen.full_name
    with run_after_commit():
        drive(world, submitted["id"])
    events = [d["event"] for d in receiver.received]
    types = [e["type"].removeprefix("vn.gov.motcua.") for e in events]
    milestones = [t for t in types if t != "dossier.document_generated"]
    assert milestones[0] == "dossier.submitted" and milestones[-1] == "dossier.returned"
    assert types.count("dossier.document_generated") == 3  # receipt, result, control slip
    assert {"dossier.accepted", "dossier.approved", "dossier.issued", "dossier.ready_for_return"} <= set(types)
    ids = [e["id"] for e in events]
    assert len(ids) == len(set(ids))  # exactly once per idempotency id
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)  # in order
    assert all(verify(d, subscription.secret) for d in receiver.received)
    assert all(e["specversion"] == "1.0" and e["subject"] == submitted["code"] for e in events)
    assert all(d["headers"]["Webhook-Id"] == d["event"]["id"] for d in receiver.received)
    # The portal reads back the dossier it filed, not others.
    portal = app_client(key)
    assert portal.get(f"/api/v1/dossiers/{submitted['id']}/").json()["status"] == "returned"
    assert AuditRecord.objects.filter(action="api.call", object_id=str(client.pk)).count() >= 4


def test_receiver_down_then_back_gets_everything_in_order(world, receiver, run_after_commit):
    client, key, subscription = national_portal(receiver)
    receiver.down = True
    with run_after_commit():
        submitted = submit_through_portal(world, key)
        drive(world, submitted["id"])
    assert receiver.received == []
    pending = WebhookDelivery.objects.filter(status="pending").count()
    from egov.integrations.models import OutboxEvent

    assert pending == OutboxEvent.objects.filter(dossier_id=submitted["id"]).count() >= 7
    receiver.down = False
    later = timezone.now() + datetime.timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        for _sweep in range(3):  # the periodic sweep, a few minutes apart
            deliver_due_webhooks()
    events = [d["event"] for d in receiver.received]
    assert len(events) == pending and len({e["id"] for e in events}) == pending
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    assert WebhookDelivery.objects.filter(status="delivered").count() == pending


def test_an_event_waits_for_an_older_one_not_handed_to_the_consumers_yet(world, receiver):
    """Workers take events in parallel: a newer event's delivery may be made before an older
    one's. It waits until the older event has been through its consumers."""
    from egov.integrations import webhooks
    from egov.integrations.models import OutboxEvent

    client, _key, subscription = national_portal(receiver)
    dossier = filed_by(client, draft(world))
    now = timezone.now()
    older = OutboxEvent.objects.create(type="dossier.submitted", dossier=dossier, occurred_at=now)
    newer = OutboxEvent.objects.create(type="dossier.accepted", dossier=dossier, dispatched_at=now,
                                       occurred_at=now + datetime.timedelta(milliseconds=5))  # fmt: skip
    delivery = WebhookDelivery.objects.create(subscription=subscription, event=newer)
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert receiver.received == [] and delivery.status == "pending" and delivery.next_attempt_at > now
    OutboxEvent.objects.filter(pk=older.pk).update(dispatched_at=timezone.now())
    webhooks.deliver(delivery.pk)  # not yet: it was put off for a few seconds
    assert receiver.received == []
    with mock.patch("django.utils.timezone.now", return_value=delivery.next_attempt_at):
        webhooks.deliver(delivery.pk)
    assert [d["event"]["id"] for d in receiver.received] == [str(newer.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_delivery_in_flight_is_leased_and_no_lock_is_held_while_posting(world, receiver):
    """The POST happens after the claim committed: a second worker (or the sweep) leaves a
    delivery being posted alone, and the receiver can read the database meanwhile."""
    from django.db import connection

    from egov.integrations import webhooks
    from egov.integrations.models import OutboxEvent

    client, _key, subscription = national_portal(receiver)
    dossier = filed_by(client, draft(world))
    event = OutboxEvent.objects.create(type="dossier.submitted", dossier=dossier, dispatched_at=timezone.now())
    delivery = WebhookDelivery.objects.create(subscription=subscription, event=event)
    seen = {}

    def while_posting(*args, **kwargs):
        row = WebhookDelivery.objects.get(pk=delivery.pk)
        seen["in_transaction"] = connection.in_atomic_block
        seen["leased"] = row.next_attempt_at > timezone.now() and row.attempts == 1
        seen["claimed_again"] = webhooks._claim(delivery.pk)
        return 204  # the status the receiver answered

    with mock.patch("egov.integrations.outbound.post", side_effect=while_posting):
        webhooks.deliver(delivery.pk)
    assert seen == {"in_transaction": False, "leased": True, "claimed_again": None}
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 1


def test_a_dead_subscription_is_disabled_and_its_owner_told(world, receiver, run_after_commit, settings):
    from django.core import mail

    from egov.integrations import webhooks

    client, key, subscription = national_portal(receiver)
    receiver.down = True
    with run_after_commit():
        submitted = submit_through_portal(world, key)
        drive(world, submitted["id"])
    with mock.patch.object(webhooks, "DISABLE_AFTER", 3), run_after_commit():
        for hours in range(1, 4):  # the sweep keeps retrying as time passes
            with mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(hours=hours)):
                deliver_due_webhooks()
    subscription.refresh_from_db()
    assert not subscription.active and subscription.disabled_at
    assert mail.outbox and "ops@dichvucong.gov.vn" in mail.outbox[0].to


def test_keys_scopes_rotation_and_rate_limits(world):
    from django.core.cache import cache

    client, key, _ = national_portal(scopes=[Scope.EVENTS_RECEIVE])
    reader = app_client(key)
    denied = reader.post("/api/v1/dossiers/", {"procedure": world.code}, format="json")
    assert denied.status_code == 403
    assert app_client("nope.nope").get("/api/v1/dossiers/").status_code == 401
    second = issue_key(client)
    assert app_client(second).get("/api/v1/dossiers/").status_code == 200  # both keys valid while rotating
    revoke_keys(client, keep_prefix=second.split(".")[0])
    assert app_client(key).get("/api/v1/dossiers/").status_code == 401
    client.rate = "3/minute"
    client.save()
    cache.clear()
    statuses = [app_client(second).get("/api/v1/dossiers/").status_code for _ in range(4)]
    assert statuses[-1] == 429
    # A citizen's dossier is not readable by a client that did not file it and lacks dossiers:read.
    theirs = file_dossier(world.citizen, world.code, form(world, world.citizen.full_name))
    client.rate = "600/minute"
    client.save()
    cache.clear()
    assert app_client(second).get(f"/api/v1/dossiers/{theirs['id']}/").status_code == 404
