"""The outbox relay: events go from the outbox to their consumers without the web process.

A change writes its events into the outbox in its own transaction (events.emit) and is done:
no message to queue at commit, no broker on the request's path. Each Celery worker runs one
relay thread (started in egov/celery.py), which looks for events no relay has taken yet,
marks them taken and queues them for their consumers in one ``dispatch_events`` message.

Several workers may run relays at once: taking events is a claim in one transaction (rows
locked and skipped by the others on PostgreSQL; SQLite lets one writer in at a time), so an
event is queued by one of them. An idle relay only reads. A claim whose message cannot be
sent (the broker is down) is given back and tried again; if a relay dies between its claim
and the message, or the message is lost, the minute's sweep dispatches what is still
undispatched (tasks.redispatch_events). Every consumer is idempotent.

With tasks run eagerly (the tests) or ``EGOV_OUTBOX_RELAY`` off, a transaction queues its
own events at commit instead (events.one_dispatch), and marks them relayed.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from egov.common import publisher

from .models import OutboxEvent

logger = logging.getLogger(__name__)

# Longest wait between tries while the database or the broker cannot be reached.
MAX_BACKOFF = 5.0


def active():
    """Whether events reach their consumers through the relay rather than a message queued by
    the transaction that wrote them."""
    return settings.EGOV_OUTBOX_RELAY and not publisher.eager()


def relay_once(limit=publisher.MAX_MERGED):
    """Claim up to ``limit`` events no relay has taken, oldest first, and queue them for their
    consumers. Returns how many were claimed; raises if the message could not be sent, after
    giving the claim back."""
    from .tasks import dispatch_events

    with _forks_wait:
        ids = _claim(limit)
    if not ids:
        return 0
    # Sent once the claim is committed, so that no write lock is held while the broker
    # answers; a failure gives the events back to the next try (or another relay).
    try:
        publisher.send(dispatch_events, ([str(pk) for pk in ids],), {})
    except Exception:
        with _forks_wait:
            OutboxEvent.objects.filter(pk__in=ids, dispatched_at__isnull=True).update(relayed_at=None)
        raise
    return len(ids)


def _claim(limit):
    waiting = OutboxEvent.objects.filter(relayed_at__isnull=True, dispatched_at__isnull=True)
    if not waiting.exists():  # a read: an idle relay never takes SQLite's write lock
        return []
    with transaction.atomic():
        ids = list(
            waiting.order_by("occurred_at", "pk")
            .select_for_update(skip_locked=True)  # another relay's claim is skipped, not awaited
            .values_list("pk", flat=True)[:limit]
        )
        OutboxEvent.objects.filter(pk__in=ids).update(relayed_at=timezone.now())
    return ids


# A worker's pool may fork a new child while the relay thread is inside the database: the
# child would inherit SQLite's locks mid-call. Forks wait while the relay is in the database,
# and on SQLite the relay holds no connection between rounds.
_forks_wait = threading.Lock()


def _after_fork_in_child():
    global _forks_wait, _relay
    _forks_wait = threading.Lock()
    _relay = None  # the parent's thread is not in the child


os.register_at_fork(
    before=lambda: _forks_wait.acquire(),
    after_in_parent=lambda: _forks_wait.release(),
    after_in_child=_after_fork_in_child,
)


class Relay:
    """The thread that runs :func:`relay_once` while its worker runs."""

    def __init__(self, poll=None):
        self.poll = settings.EGOV_OUTBOX_RELAY_POLL if poll is None else poll
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="egov-outbox-relay", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=5.0):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self):
        failures = 0
        # SQLite: no connection is kept open between rounds, so none is inherited by a fork.
        between_rounds = connection.vendor == "sqlite"
        try:
            while not self._stop.is_set():
                try:
                    claimed = relay_once()
                except Exception:
                    # The database or the broker is away (a restart, a failover): say so
                    # once, then retry with a growing pause on a fresh connection.
                    if not failures:
                        logger.warning("the outbox relay cannot take events; retrying", exc_info=True)
                    failures += 1
                    _close()
                    self._stop.wait(min(MAX_BACKOFF, self.poll * 2**failures))
                    continue
                if between_rounds:
                    _close()
                if failures:
                    logger.warning("the outbox relay takes events again")
                    failures = 0
                if claimed < publisher.MAX_MERGED:  # a full batch: more are waiting, go on at once
                    self._stop.wait(self.poll)
        finally:
            _close()


def _close():
    """Close this thread's connection, never while a fork copies the process."""
    with _forks_wait:
        connection.close()


_relay = None


def start_relay():
    """Start this process's relay (a Celery worker at start; see egov/celery.py)."""
    global _relay
    if settings.EGOV_OUTBOX_RELAY and _relay is None:
        _relay = Relay().start()


def stop_relay():
    global _relay
    if _relay is not None:
        _relay.stop()
        _relay = None
