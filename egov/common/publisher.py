"""Messages for the broker leave from a background thread, not from the request.

Publishing a Celery message costs Celery's own work (about 0.2 ms) and a round trip to the
broker; with the broker down, kombu's connection retries. A request whose change has
committed should wait for none of that. So at commit a web process hands its messages to
this process's publisher, which sends what has gathered within ``LINGER``: the messages of
a ``merge_lists`` task from many commits leave as one. (Events do not come this way: the
outbox relay that every worker runs takes them, egov/integrations/relay.py, except where
transactions queue their own.)

Nothing is lost when a process dies with messages in hand: each one names a durable row
(an outbox event, a document to render, a webhook delivery, a notification) that a
periodic sweep takes up (egov/celery.py). A graceful exit sends what is left first.

Worker processes (``publish_at_once``) and eager mode (the tests) publish at once: a
worker's messages are not on anybody's request, and a worker's child may end without
running exit handlers.
"""

import atexit
import logging
import os
import queue
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

# How long the publisher gathers after the first message before sending. Events reach
# webhooks and the statistics this much later; under load, many commits share a message.
LINGER = 0.025
# Event ids in one merged message; a larger batch is split, so that several workers share it.
MAX_MERGED = 100
# How long a graceful exit waits for the last messages.
EXIT_WAIT = 5.0

_at_once = False


def publish_at_once():
    """This process sends each message itself (a Celery worker; see egov/celery.py)."""
    global _at_once
    _at_once = True


def eager():
    """Whether tasks run in-process when queued (the tests). Django's setting, which Celery's
    configuration reads (egov/celery.py): asking Celery (``app.conf.task_always_eager``)
    walks its namespaced lookups, 25 µs on every commit."""
    return getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)


def publish(task, args, kwargs):
    """Send ``task(*args, **kwargs)``, now or from the background thread."""
    if _at_once or eager():
        _send(task, args, kwargs)
    else:
        _publisher.put(task, args, kwargs)


def send(task, args, kwargs):
    """The one place that talks to the broker; a failure is raised to the caller (the outbox
    relay gives its claim back on one)."""
    task.apply_async(args=args, kwargs=kwargs)


def _send(task, args, kwargs):
    try:
        send(task, args, kwargs)
    except Exception:  # a broker outage must not fail the caller; the sweeps pick it up
        logger.warning("could not queue %s; the periodic sweep will retry", task.name, exc_info=True)


def merged(messages):
    """The messages with those of a ``merge_lists`` task folded into one, at the place of
    the first, whose single argument is their lists joined in order (split at
    ``MAX_MERGED``). Each task's messages keep their order; different tasks have none to
    keep (workers take them in parallel)."""
    out, lists = [], {}
    for task, args, kwargs in messages:
        if getattr(task, "merge_lists", False) and len(args) == 1 and isinstance(args[0], list) and not kwargs:
            if task.name not in lists:
                lists[task.name] = (task, [])
                out.append(task.name)
            lists[task.name][1].extend(args[0])
        else:
            out.append((task, args, kwargs))
    for entry in out:
        if isinstance(entry, str):
            task, items = lists[entry]
            for start in range(0, len(items), MAX_MERGED):
                yield task, (items[start : start + MAX_MERGED],), {}
        else:
            yield entry


class Publisher:
    """One background thread per process, started at the first message (after a fork too:
    a forked child gets its own queue and thread, not its parent's)."""

    _STOP = object()

    def __init__(self, linger=LINGER):
        self.linger = linger
        self._pid = None
        self._thread = None
        self._guard = threading.Lock()
        self._exit_hook = False
        # A child forked while another thread held the guard would find it held forever.
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self):
        self._pid = None
        self._guard = threading.Lock()

    def put(self, task, args, kwargs):
        if self._pid != os.getpid() or not self._thread.is_alive():
            self._start()
        self._queue.put((task, args, kwargs))

    def _start(self):
        with self._guard:
            if self._pid == os.getpid():
                if self._thread.is_alive():
                    return
                logger.error("the publisher thread had stopped; started again")  # its queue is kept
            else:
                self._queue = queue.SimpleQueue()
            self._wake = threading.Event()
            self._thread = threading.Thread(target=self._run, name="egov-publisher", daemon=True)
            self._thread.start()
            self._pid = os.getpid()
            if not self._exit_hook:
                atexit.register(self.close)
                self._exit_hook = True

    def close(self, timeout=EXIT_WAIT):
        """Send what is gathered now and stop the thread (at exit; the tests call it too)."""
        if self._pid != os.getpid():
            return
        self._queue.put(self._STOP)
        self._wake.set()
        self._thread.join(timeout)
        self._pid = None

    def _run(self):
        stopping = False
        while not stopping:
            batch = [self._queue.get()]
            if batch[0] is not self._STOP:
                # Wait out the window rather than wake for each message: a wake-up takes
                # the interpreter from the request thread. close() cuts the wait short.
                self._wake.wait(self.linger)
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if any(item is self._STOP for item in batch):
                stopping = True
                batch = [item for item in batch if item is not self._STOP]
            try:
                self._send_batch(batch)
            except Exception:  # the thread must outlive any batch; the sweeps send what it lost
                logger.exception("could not publish a batch of %d messages", len(batch))

    @staticmethod
    def _send_batch(batch):
        try:
            messages = list(merged(batch))
        except Exception:  # a message that cannot be folded goes as it came, with the rest
            logger.exception("could not fold the messages; sending them one by one")
            messages = batch
        for task, args, kwargs in messages:
            _send(task, args, kwargs)


_publisher = Publisher()
