"""The outbox relay (egov/integrations/relay.py), the one way an event reaches its consumers:
a web process only writes its events; a relay claims them, each once, oldest first, and
queues them for their consumers. The tests relay inline at commit, the same claim and the
same message; test_real_worker.py runs the whole path with a worker, Redis and PostgreSQL."""

import datetime
import logging
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from egov.dossiers import services
from egov.integrations import events, relay
from egov.integrations.models import OutboxEvent
from egov.stats.models import CountedEvent
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    """A commune deciding its own procedure, its officers and a citizen (tests/factories.py)."""
    return factories.commune()


def submitted(world, count=1):
    """``count`` dossiers of the world's procedure, drafted with their papers, then submitted."""
    dossiers = [factories.draft(world) for _ in range(count)]
    for dossier in dossiers:
        services.submit(world.citizen, dossier, consent=True)
    return dossiers


def flat(sent):
    return [event_id for message in sent for event_id in message]


def test_a_web_process_writes_its_events_and_queues_nothing_for_them(world, sent):
    [dossier] = submitted(world)
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is None and event.dispatched_at is None
    assert sent == []  # no message on the request's path


def test_the_tests_relay_at_commit_as_a_worker_would(world):
    [dossier] = submitted(world)
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is not None and event.dispatched_at is not None
    assert event.relayed_at <= event.dispatched_at
    assert CountedEvent.objects.filter(event=event).exists()  # the statistics counted it


def test_the_relay_claims_each_event_once_and_its_consumers_run(world, sent, monkeypatch):
    from egov.integrations.tasks import dispatch_events

    [dossier] = submitted(world)
    monkeypatch.undo()  # the message is sent (eagerly: the consumers run here, as in a worker)
    assert relay.relay_once() == 1
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is not None and event.dispatched_at is not None
    assert CountedEvent.objects.filter(event=event).exists()
    assert relay.relay_once() == 0
    assert dispatch_events.name == "egov.integrations.tasks.dispatch_events"


def test_an_idle_relay_only_reads(sent):
    with CaptureQueriesContext(connection) as queries:
        assert relay.relay_once() == 0
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]


def test_oldest_first_in_batches(world, sent):
    submitted(world, count=3)
    order = [str(pk) for pk in OutboxEvent.objects.order_by("occurred_at", "pk").values_list("pk", flat=True)]
    assert relay.relay_once(limit=2) == 2
    assert relay.relay_once(limit=2) == 1
    assert sent == [order[:2], order[2:]]


def test_a_claim_whose_message_cannot_be_sent_is_given_back(world, sent, monkeypatch):
    from egov.integrations.tasks import dispatch_events

    [dossier] = submitted(world)

    def broker_down(*args, **kwargs):
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(dispatch_events, "apply_async", broker_down)
    with pytest.raises(ConnectionError):
        relay.relay_once()
    event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
    assert event.relayed_at is None  # not lost: the next try takes it
    monkeypatch.setattr(dispatch_events, "apply_async", lambda args=(), **options: sent.append(list(args[0])))
    assert relay.relay_once() == 1
    assert sent == [[str(event.pk)]]


def test_the_sweep_gives_stalled_claims_back_and_says_when_no_relay_took_events(world, sent, caplog):
    from egov.integrations.tasks import redispatch_events

    submitted(world, count=2)
    assert relay.relay_once(limit=1) == 1  # claimed; its message is lost (the worker died)
    claimed = OutboxEvent.objects.get(relayed_at__isnull=False)
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    OutboxEvent.objects.update(occurred_at=long_ago)
    OutboxEvent.objects.filter(pk=claimed.pk).update(relayed_at=long_ago)
    with caplog.at_level(logging.WARNING, logger="egov.integrations.relay"):
        redispatch_events()
    assert "1 events were claimed over a minute ago and not dispatched; given back" in caplog.text
    assert "1 events waited over a minute for the outbox relay" in caplog.text
    assert not OutboxEvent.objects.filter(relayed_at__isnull=False).exists()
    assert relay.relay_once() == 2  # the relay takes both again
    assert sorted(sent[1]) == sorted(str(pk) for pk in OutboxEvent.objects.values_list("pk", flat=True))


def test_relays_running_at_once_claim_every_event_exactly_once(world, sent):
    submitted(world, count=4)
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
    assert errors == []
    assert sorted(flat(sent)) == sorted(expected)  # every one relayed, none twice
    assert sum(claims) == len(expected)


def test_the_worker_thread_relays_without_being_asked(world, sent):
    runner = relay.Relay(poll=0.01).start()
    try:
        [dossier] = submitted(world)
        event = OutboxEvent.objects.get(dossier=dossier, type=events.DOSSIER_SUBMITTED)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not flat(sent):
            time.sleep(0.01)
    finally:
        runner.stop()
    assert flat(sent) == [str(event.pk)]


def test_a_commit_wakes_the_relay_of_its_process_at_once(world, sent):
    runner = relay.start_relay(relay.Relay(poll=60))  # it would not look again for a minute
    try:
        time.sleep(0.2)  # its first look found nothing
        started = time.monotonic()
        [dossier] = submitted(world)
        while time.monotonic() - started < 10 and not flat(sent):
            time.sleep(0.01)
        waited = time.monotonic() - started
    finally:
        relay.stop_relay()
    assert flat(sent) == [str(OutboxEvent.objects.get(dossier=dossier).pk)]
    assert waited < 30 and not runner._thread.is_alive()


def test_the_thread_outlives_a_database_that_is_away(monkeypatch):
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


def test_a_worker_starts_and_stops_its_relay(sent):
    from egov.celery import _start_outbox_relay, _stop_outbox_relay

    _start_outbox_relay()  # what the worker_ready signal runs
    running = relay._running
    assert isinstance(running, relay.Relay) and running._thread.is_alive()
    _stop_outbox_relay()
    assert relay._running is None and not running._thread.is_alive()
