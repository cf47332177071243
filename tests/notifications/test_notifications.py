"""Citizens and officers hear about what matters, once, in their language."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from egov.notifications.models import MessageTemplate, Notification
from egov.notifications.tasks import send_due_notifications
from tests.dossiers.helpers import act, file_dossier, officer_for, open_tasks
from tests.factories import CitizenFactory, commune


class SmsGateway:
    def __init__(self):
        self.received, self.down = [], False
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                gateway.received.append({"auth": self.headers.get("Authorization"), **body})
                self.send_response(200)
                self.end_headers()

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def gateway(settings):
    running = SmsGateway()
    settings.EGOV_SMS_PROVIDER = "http"
    settings.EGOV_SMS_URL = running.url
    settings.EGOV_SMS_TOKEN = "sms-token"
    yield running
    running.server.shutdown()


@pytest.fixture
def run_after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def world(db):
    """A commune deciding its own procedure, an officer for every role there, a citizen
    (tests/factories.py)."""
    return commune()


def file(world, citizen=None):
    """The world's procedure filed online with its papers, through the API (its JSON)."""
    citizen = citizen or world.citizen
    return file_dossier(citizen, world.code, {"full_name": citizen.full_name, "commune": world.agency.code})


def drive(world, dossier_id, plan):
    for outcome, data, note in plan:
        task = open_tasks(dossier_id, world.manager)[0]
        assert act(officer_for(task), task["id"], outcome, data, note).status_code == 200


def test_the_applicant_is_told_at_every_milestone_once_in_their_language(world, gateway, run_after_commit):
    citizen = world.citizen
    citizen.preferred_language = "en"
    citizen.save()
    with run_after_commit():
        dossier = file(world)
        drive(world, dossier["id"], [("accept", {}, ""), ("supplement", {"documents": ["application"]}, "Blurred ID")])
    to_citizen = [m for m in mail.outbox if citizen.email in m.to]
    subjects = [m.subject for m in to_citizen]
    assert any("received" in s for s in subjects) and any("accepted" in s for s in subjects)
    assert any("more papers" in s for s in subjects)
    assert len(subjects) == len(set(subjects))  # once each
    accepted = next(m for m in to_citizen if "accepted" in m.subject)
    assert dossier["code"] in accepted.body
    sms = [m for m in gateway.received if m["to"] == citizen.phone]
    assert len(sms) == 3 and all(m["auth"] == "Bearer sms-token" for m in sms)
    assert all(m["message"].isascii() for m in sms)  # diacritics stripped for the gateway
    # Redelivering the events sends nothing again.
    from egov.integrations.dispatch import dispatch
    from egov.integrations.models import OutboxEvent

    before = len(mail.outbox)
    with run_after_commit():
        for event in OutboxEvent.objects.filter(dossier_id=dossier["id"]):
            OutboxEvent.objects.filter(pk=event.pk).update(dispatched_at=None)
            dispatch(event.pk)
    assert len(mail.outbox) == before
    # In-app notices show in the portal.
    from django.test import Client

    web = Client()
    web.force_login(citizen)
    page = web.get("/notices/").content.decode()
    assert "more papers" in page and Notification.objects.filter(recipient=citizen, read_at__isnull=False).exists()


def test_sms_retried_until_the_gateway_recovers_never_twice(world, gateway, run_after_commit):
    gateway.down = True
    with run_after_commit():
        dossier = file(world)
        drive(world, dossier["id"], [("accept", {}, "")])
    failed = Notification.objects.filter(channel="sms", status="failed")
    assert failed.count() == 2 and gateway.received == []
    gateway.down = False
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        send_due_notifications()
        send_due_notifications()
    assert len(gateway.received) == 2
    assert Notification.objects.filter(channel="sms", status="sent").count() == 2


def test_an_administrators_template_is_used_for_the_next_message(world, run_after_commit):
    MessageTemplate.objects.create(event_type="dossier.accepted", channel="email", language="vi",
                                   subject="Đã nhận hồ sơ {{ code }}", body="Kính gửi {{ name }}: hẹn trả {{ due }}.")
    with run_after_commit():
        dossier = file(world)
        drive(world, dossier["id"], [("accept", {}, "")])
    message = next(m for m in mail.outbox if m.subject.startswith("Đã nhận hồ sơ"))
    assert message.subject == f"Đã nhận hồ sơ {dossier['code']}" and f"Kính gửi {world.citizen.full_name}" in message.body


def test_officers_of_the_next_step_and_the_manager_on_escalation(world, run_after_commit):
    from egov.dossiers.services.timers import fire_due_timers

    desk = world.intake
    with run_after_commit():
        dossier = file(world)
    assert any(desk.email in (m.to[0] if m.to else "") or m.subject for m in mail.outbox)
    assert Notification.objects.filter(recipient=desk, channel="in_app").exists()
    with run_after_commit():
        drive(world, dossier["id"], [("accept", {}, "")])
        from workflows.models import DossierTask

        step = DossierTask.objects.get(dossier_id=dossier["id"], step_key="appraise")
        with mock.patch("django.utils.timezone.now", return_value=step.due_at + datetime.timedelta(minutes=1)):
            fire_due_timers()
    told = Notification.objects.get(recipient=world.case_officer, event__type="dossier.accepted", channel="in_app")
    assert told.subject == f"Hồ sơ {dossier['code']} đang chờ bạn xử lý"  # the officer's words, in Vietnamese
    assert Notification.objects.filter(recipient=world.manager, event__type="dossier.step_overdue").exists()


def test_preferences_page(world, run_after_commit):
    from django.test import Client

    web = Client()
    web.force_login(world.citizen)
    assert web.post("/notices/preferences/", {"email": "on", "language": "en"}).status_code == 302
    citizen = world.citizen.__class__.objects.get(pk=world.citizen.pk)
    assert citizen.preferred_language == "en" and not citizen.notification_preference.sms
    with run_after_commit():
        file(world, citizen)
    assert not Notification.objects.filter(recipient=citizen, channel="sms").exists()
    assert Notification.objects.filter(recipient=citizen, channel="email", language="en").exists()


@pytest.mark.django_db(transaction=True)
def test_a_message_is_sent_outside_any_transaction_while_its_row_is_leased():
    """Claim, commit, send, record: a slow gateway never holds a lock, and a sweep meanwhile
    leaves the message being sent alone."""
    from django.db import connection

    from egov.integrations import events
    from egov.notifications import services

    event = events.emit(events.DOSSIER_SUBMITTED, None, None)
    notification = Notification.objects.create(event=event, recipient=CitizenFactory(), channel="sms",
                                               language="vi", address="0912345678", body="Hồ sơ đã nhận")  # fmt: skip
    seen = {}

    class SlowGateway:
        def send(self, phone, text):
            row = Notification.objects.get(pk=notification.pk)
            seen["in_transaction"] = connection.in_atomic_block
            seen["leased"] = row.next_attempt_at > timezone.now() and row.attempts == 1
            seen["claimed_again"] = services._claim(notification.pk)

    with mock.patch("egov.notifications.services.get_sms_provider", return_value=SlowGateway()):
        services.send(notification.pk)
    assert seen == {"in_transaction": False, "leased": True, "claimed_again": None}
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 1
