"""The outbox relay (egov/integrations/relay.py): a web process only writes its events; a
worker's relay claims them, each once, oldest first, and queues them for their consumers.
The real worker tests (test_real_worker.py) run the whole path against Redis and PostgreSQL."""

import datetime
import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.common import publisher
from egov.dossiers import services
from egov.integrations import events, relay
from egov.integrations.models import OutboxEvent
from egov.stats.models import CountedEvent
from tests.dossiers.helpers import draft_with_papers

pytestmark = pytest.mark.django_db(transaction=True)

DISPATCH = "egov.integrations.tasks.dispatch_events"
SEND = publisher.send  # what talks to the broker (eager here: runs the task)


def submitted(demo, count=1):
    """Dossiers submitted as a web process submits them: the relay is on, tasks are queued."""
    dossiers = [draft_with_papers(demo["congdan"]) for _ in range(count)]
    for dossier in dossiers:
        services.submit(demo["congdan"], dossier)
    return dossiers


def relayed_ids(sent):
    return [event_id for name, args, _kw in sent if name == DISPATCH for event_id in args[0]]


def test_a_web_process_writes_its_events_and_queues_nothing_for_them(demo, sent):
    assert relay.active()
    [dossier] = submitted(demo)
    publisher._publisher.close()
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is None and event.dispatched_at is None
    assert relayed_ids(sent) == []  # no message on the request's path


def test_the_relay_claims_each_event_once_and_its_consumers_run(demo, sent, settings, monkeypatch):
    [dossier] = submitted(demo)
    # The consumers run here, as a worker runs them once the relay's message arrives.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(publisher, "send", SEND)
    assert relay.relay_once() == 1
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is not None and event.dispatched_at is not None
    assert CountedEvent.objects.filter(event=event).exists()  # the statistics counted it
    assert relay.relay_once() == 0


def test_an_idle_relay_only_reads(demo, sent):
    with CaptureQueriesContext(connection) as queries:
        assert relay.relay_once() == 0
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


def test_oldest_first_in_batches(demo, sent):
    submitted(demo, count=3)
    order = [str(pk) for pk in OutboxEvent.objects.order_by("occurred_at", "pk").values_list("pk", flat=True)]
    assert relay.relay_once(limit=2) == 2
    assert relay.relay_once(limit=2) == 1
    publisher._publisher.close()
    assert relayed_ids(sent) == order  # (the publisher folds the two claims into one message)


def test_events_a_transaction_queued_itself_are_not_relayed(demo, settings, sent):
    settings.EGOV_OUTBOX_RELAY = False  # or tasks run eagerly: the transaction queues its own
    assert not relay.active()
    [dossier] = submitted(demo)
    publisher._publisher.close()
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert relayed_ids(sent) == [str(event.pk)] and event.relayed_at is not None
    # Its consumers have not run yet (the worker is slow): still, a relay leaves it alone.
    assert event.dispatched_at is None
    settings.EGOV_OUTBOX_RELAY = True
    assert relay.relay_once() == 0


def test_a_claim_whose_message_cannot_be_sent_is_given_back(demo, sent, monkeypatch):
    [dossier] = submitted(demo)

    def broker_down(task, args, kwargs):
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(publisher, "send", broker_down)
    with pytest.raises(ConnectionError):
        relay.relay_once()
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is None  # not lost: the next try takes it
    monkeypatch.undo()
    monkeypatch.setattr(publisher, "send", lambda task, args, kwargs: sent.append((task.name, args, kwargs)))
    assert relay.relay_once() == 1
    assert relayed_ids(sent) == [str(event.pk)]


def test_the_sweep_says_when_no_relay_took_events(demo, sent, caplog):
    from egov.integrations.tasks import redispatch_events

    [dossier] = submitted(demo)
    OutboxEvent.objects.update(occurred_at=timezone.now() - datetime.timedelta(minutes=5))
    with caplog.at_level(logging.ERROR, logger="egov.integrations.tasks"):
        redispatch_events()
    assert "1 events waited over a minute for the outbox relay" in caplog.text
    assert OutboxEvent.objects.get(dossier=dossier).dispatched_at is not None  # taken by the sweep


def test_relays_running_at_once_claim_every_event_exactly_once(demo, sent):
    submitted(demo, count=4)
    with transaction.atomic():
        for i in range(60):
            events.emit(events.STEP_COMPLETED, None, None, step=f"s{i}")
    expected = {str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True)}
    claims, errors = [], []

    def run():
        try:
            while (claimed := relay.relay_once(limit=5)) or OutboxEvent.objects.filter(relayed_at=None).exists():
                claims.append(claimed)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    publisher._publisher.close()
    assert errors == []
    ids = relayed_ids(sent)
    assert sorted(ids) == sorted(expected)  # every one relayed, none twice
    assert sum(claims) == len(expected)


def test_the_worker_thread_relays_without_being_asked(demo, sent):
    runner = relay.Relay(poll=0.01).start()
    try:
        [dossier] = submitted(demo)
        event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not OutboxEvent.objects.filter(pk=event.pk, relayed_at__isnull=False).exists():
            time.sleep(0.01)
    finally:
        runner.stop()
    publisher._publisher.close()
    assert relayed_ids(sent) == [str(event.pk)]


def test_the_thread_outlives_a_database_that_is_away(monkeypatch, settings):
    calls = []

    def flaky(limit=None):
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise ConnectionError("the database restarts")
        return 0

    monkeypatch.setattr(relay, "relay_once", flaky)
    runner = relay.Relay(poll=0.01).start()
    try:
        deadline = time.monotonic() + 5
        while len(calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        runner.stop()
    assert len(calls) >= 3 and not runner._thread.is_alive()


def test_a_worker_starts_and_stops_its_relay(settings, monkeypatch):
    from egov.celery import _start_outbox_relay, _stop_outbox_relay

    monkeypatch.setattr(relay, "_relay", None)
    _start_outbox_relay()  # what the worker_ready signal runs
    running = relay._relay
    assert running is not None and running._thread.is_alive()
    _stop_outbox_relay()
    assert relay._relay is None and not running._thread.is_alive()
    settings.EGOV_OUTBOX_RELAY = False
    _start_outbox_relay()
    assert relay._relay is None
