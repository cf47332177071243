"""The outbox relay: the one way an event reaches its consumers.

A change writes its events into the outbox in its own transaction (events.emit) and is
done: no message to queue, no broker on the request's path. A relay claims the events no
relay has taken yet, marks them taken and queues them for their consumers in one
``dispatch_events`` message (egov/integrations/tasks.py), which runs them in order.

* Each Celery worker runs one relay thread (started in egov/celery.py). It looks every
  ``EGOV_OUTBOX_RELAY_POLL`` seconds, and at once when a transaction of its own process
  wrote events (:func:`wake`, called at commit).
* With tasks run eagerly (``CELERY_TASK_ALWAYS_EAGER``: the tests, or debugging without a
  worker) the process relays in the committing thread instead (:class:`InlineRelay`): the
  same claim, the same message, the same consumers.

Several relays may run at once: a claim is one transaction (rows locked and skipped by the
others on PostgreSQL; SQLite lets one writer in at a time), so each event is queued by one
of them. A claim whose message cannot be sent (the broker is down) is given back; a claim
that did not end in a dispatch within a minute (a lost message, a worker that died,
consumers that failed) is given back by the minute's sweep (:func:`give_back_stalled`).
Every consumer is idempotent.
"""

import contextlib
import datetime
import logging
import os
import threading

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import OutboxEvent

logger = logging.getLogger(__name__)

# Events in one claim (one message); a full claim is followed by the next at once.
BATCH = 100
# Longest wait between tries while the database or the broker cannot be reached.
MAX_BACKOFF = 5.0
# A claim not dispatched after this long is given back to the relays.
STALL = datetime.timedelta(minutes=1)


def relay_once(limit=BATCH):
    """Claim up to ``limit`` events no relay has taken, oldest first, and queue them for their
    consumers. Returns how many were claimed; raises if the message could not be sent, after
    giving the claim back."""
    from .tasks import dispatch_events

    with _forks_wait:
        ids = _claim(limit)
    if not ids:
        return 0
    # Sent once the claim is committed, so that no write lock is held while the broker answers.
    try:
        dispatch_events.apply_async(args=([str(pk) for pk in ids],))
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


def give_back_stalled(now=None):
    """Claims older than a minute and still not dispatched go back to the relays; events
    no relay took within a minute are reported (is a worker running?)."""
    cutoff = (now or timezone.now()) - STALL
    stalled = OutboxEvent.objects.filter(dispatched_at__isnull=True, relayed_at__lt=cutoff)
    given_back = stalled.update(relayed_at=None)
    if given_back:
        logger.warning("%d events were claimed over a minute ago and not dispatched; given back", given_back)
    waiting = OutboxEvent.objects.filter(dispatched_at__isnull=True, relayed_at__isnull=True, occurred_at__lt=cutoff)
    if (count := waiting.count()) > given_back:
        logger.error(
            "%d events waited over a minute for the outbox relay: is a Celery worker running, "
            "and what does its log say? (egov/integrations/relay.py)",
            count - given_back,
        )
    return given_back


# A worker's pool may fork a new child while the relay thread is inside the database: the
# child would inherit SQLite's locks mid-call. Forks wait while the relay is in the database,
# and on SQLite the relay holds no connection between rounds.
_forks_wait = threading.Lock()


def _after_fork_in_child():
    global _forks_wait, _running
    _forks_wait = threading.Lock()
    _running = None  # the parent's thread is not in the child


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
        self._wake = threading.Event()
        self._thread = None

    def start(self):
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="egov-outbox-relay", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=5.0):
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self):
        self._wake.set()

    def _pause(self, seconds):
        self._wake.wait(seconds)
        self._wake.clear()

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
                if claimed < BATCH:  # a full batch: more are waiting, go on at once
                    self._pause(self.poll)
        finally:
            _close()


def _close():
    """Close this thread's connection, never while a fork copies the process."""
    with _forks_wait:
        connection.close()


class InlineRelay:
    """The relay of a process that runs its tasks eagerly (the tests; debugging without a
    worker): it relays in the committing thread, until no event is left unclaimed. An event
    written by a consumer while it runs is taken after the current claims, in order."""

    def __init__(self):
        self._local = threading.local()

    def wake(self):
        if getattr(self._local, "busy", False):
            self._local.again = True
            return
        self._local.busy = True
        try:
            self._local.again = True
            while self._local.again:
                self._local.again = False
                while relay_once():
                    pass
        finally:
            self._local.busy = False

    def start(self):
        return self

    def stop(self):
        pass


_running = None


def start_relay(relay=None):
    """Run a relay in this process: a worker's thread (egov/celery.py), or ``relay``."""
    global _running
    stop_relay()
    _running = (relay if relay is not None else Relay()).start()
    return _running


def stop_relay():
    global _running
    if _running is not None:
        _running.stop()
        _running = None


@contextlib.contextmanager
def paused():
    """This process relays nothing meanwhile: the demo's history plays a past whose events are
    counted into the figures but never sent (egov/demo/history.py); they are left for it."""
    global _running
    running, _running = _running, None
    try:
        yield
    finally:
        _running = running


def wake():
    """A transaction of this process wrote events and committed: its relay, if it runs one,
    looks now rather than at its next poll (events.emit registers this at commit)."""
    if _running is not None:
        _running.wake()
