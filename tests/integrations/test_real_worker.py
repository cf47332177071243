"""With a real Celery worker on Redis and PostgreSQL: a worker killed in the middle of the
deliveries loses nothing; after a restart every event arrives, once. Events reach the worker
as in production: this process only writes them, the worker's outbox relay takes them."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from egov.integrations.clients import issue_key, register_client
from egov.integrations.models import Scope, WebhookDelivery, WebhookSubscription
from tests.dossiers.helpers import drive_to_end, file_dossier

from .receiver import Receiver

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not settings.CELERY_BROKER_URL.startswith("redis"), reason="needs Redis (the CI's second run)"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (the CI's second run)"),
]


@pytest.fixture(autouse=True)
def one_worker_at_a_time():
    """The drills share one Redis queue (and purge it): under pytest-xdist they take turns."""
    import fcntl
    import tempfile
    from pathlib import Path

    with open(Path(tempfile.gettempdir()) / "egov-real-worker.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def start_worker():
    db = connection.settings_dict
    env = dict(os.environ, CELERY_TASK_ALWAYS_EAGER="false", DJANGO_SETTINGS_MODULE="egov.settings.test",
               DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "egov", "worker", "--pool=solo", "--loglevel=WARNING",
         "-Q", "celery", "--without-mingle", "--without-gossip"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_worker_killed_mid_delivery_loses_nothing(demo, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    receiver = Receiver()
    # It reads every dossier (dossiers:read, no procedure or agency listed): every event is its own.
    client = register_client("Ứng dụng giao thông", [Scope.EVENTS_RECEIVE, Scope.DOSSIERS_SUBMIT, Scope.DOSSIERS_READ])
    issue_key(client)
    WebhookSubscription.objects.create(client=client, url=receiver.url)
    from egov.celery import app

    app.control.purge()
    worker = start_worker()
    try:
        # Work arrives while the worker runs; kill it hard once some deliveries are through.
        for _ in range(3):
            drive_to_end(file_dossier(demo["congdan"], "2.000575")["id"], demo["quantri"])
        deadline = time.time() + 60
        while len(receiver.received) < 3 and time.time() < deadline:
            time.sleep(0.2)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        delivered_before = len(receiver.received)
        worker = start_worker()
        # The periodic sweeps (beat, every minute) are what a restarted deployment runs.
        from egov.integrations.models import OutboxEvent
        from egov.integrations.tasks import deliver_due_webhooks, redispatch_events

        deadline = time.time() + 120
        while time.time() < deadline:
            redispatch_events.delay()
            deliver_due_webhooks.delay()
            time.sleep(2)
            expected = OutboxEvent.objects.count()  # documents made meanwhile add their own events
            settled = not OutboxEvent.objects.filter(dispatched_at__isnull=True).exists()
            if settled and WebhookDelivery.objects.filter(status="delivered").count() == expected:
                break
        ids = [d["event"]["id"] for d in receiver.received]
        assert delivered_before >= 3
        assert WebhookDelivery.objects.filter(status="delivered").count() == expected
        assert len(set(ids)) == expected  # every event arrived
        assert len(ids) - len(set(ids)) <= 1  # at most the one in flight when the worker died came twice
        assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()  # all through the relay
    finally:
        worker.kill()
        receiver.stop()


def test_worker_killed_mid_rendering_every_document_is_made_once(demo, settings):
    """Documents (receipts, results, control slips) asked for while the worker dies are all
    made after a restart, each exactly once."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from egov.celery import app
    from egov.documents.models import Document
    from egov.documents.tasks import render_stalled_documents
    from egov.integrations.tasks import redispatch_events

    app.control.purge()
    worker = start_worker()
    try:
        dossiers = [file_dossier(demo["congdan"], "2.000575")["id"] for _ in range(4)]
        for dossier_id in dossiers:
            drive_to_end(dossier_id, demo["quantri"])
        deadline = time.time() + 60
        while not Document.objects.filter(status="ready").exists() and time.time() < deadline:
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)  # in the middle of the renders
        worker.wait(10)
        worker = start_worker()
        deadline = time.time() + 180
        while time.time() < deadline:
            redispatch_events.delay()  # what beat runs every minute
            render_stalled_documents.delay(older_than=0)
            time.sleep(2)
            if not Document.objects.exclude(status="ready").exists() and Document.objects.count() >= 12:
                break
        for dossier_id in dossiers:
            kinds = sorted(Document.objects.filter(dossier_id=dossier_id).values_list("kind", flat=True))
            assert kinds == ["control_slip", "receipt", "result"], kinds  # one of each, none twice
        assert not Document.objects.exclude(status="ready").exists()
        assert all(d.file and d.sha256 for d in Document.objects.all())
    finally:
        worker.kill()
