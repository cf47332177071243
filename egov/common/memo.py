"""Per-process memory of the reference rows read on every hand-over: the definition of a
dossier's pinned procedure version, the agencies, the working calendar.

Read from the database each time, they cost a statement each and most of a hand-over's
time in the ORM (``bench/lifecycle.py``). They change rarely:

* a published procedure version never changes (a change is a new version), so its parsed
  definition is kept, least recently used out first; drafts are never kept;
* agencies and calendar days are edited by administrators now and then. A change calls
  :func:`reference_changed`: this process forgets at once and again at commit, and the
  shared cache's generation number moves on at commit, so that every other process (web
  workers, the Celery worker) reloads on its next read. With a cache that is not shared
  (the embedded default, one process) the memory also expires after REFERENCE_SECONDS.

The generation number is one round trip to the shared cache (Redis in production). Read on
every lookup, a hand-over paid it for each agency and calendar year it touched, more than
the memory saved; inside :func:`one_look` (an operation: a submission, a hand-over) it is
read once and every lookup of the operation sees the same reference rows.
"""

import threading
from contextlib import contextmanager

from cachetools import LRUCache, TTLCache
from django.core.cache import cache as shared_cache
from django.db import transaction

REFERENCE_SECONDS = 60
GENERATION_KEY = "egov:reference-generation"

_memos = []
_operation = threading.local()  # the generation read once inside one_look()


@contextmanager
def one_look():
    """Read the shared generation once for everything done inside (nested uses share it)."""
    if getattr(_operation, "active", False):
        yield
        return
    _operation.active, _operation.generation = True, None
    try:
        yield
    finally:
        _operation.active, _operation.generation = False, None


def _generation():
    if not getattr(_operation, "active", False):
        return shared_cache.get(GENERATION_KEY, 0)
    if _operation.generation is None:
        _operation.generation = shared_cache.get(GENERATION_KEY, 0)
    return _operation.generation


class Memo:
    def __init__(self, cache, shared=False):
        self._cache = cache
        self._shared = shared  # checked against the shared generation number
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe
        _memos.append(self)

    def get(self, key, load, keep=None):
        """The value for ``key``, loaded with ``load()`` when not remembered; remembered only
        if ``keep(value)`` (default: always)."""
        # Read the generation before loading: a change committed during the load leaves the
        # kept value with an old number, and the next read loads again.
        generation = _generation() if self._shared else None
        with self._lock:
            entry = self._cache.get(key)
        if entry is not None and entry[0] == generation:
            return entry[1]
        value = load()
        if keep is None or keep(value):
            with self._lock:
                self._cache[key] = (generation, value)
        return value

    def forget(self, key=None):
        with self._lock:
            if key is None:
                self._cache.clear()
            else:
                self._cache.pop(key, None)


def lasting(maxsize):
    """A memo for what never changes once kept (least recently used out first)."""
    return Memo(LRUCache(maxsize=maxsize))


def reference(maxsize):
    """A memo for rarely edited reference rows (see reference_changed)."""
    return Memo(TTLCache(maxsize=maxsize, ttl=REFERENCE_SECONDS), shared=True)


def reference_changed():
    """An agency or a calendar day changed: forget now, and everywhere once committed."""
    _forget_references()
    transaction.on_commit(_next_generation)


def _next_generation():
    _forget_references()  # a read between the change and its commit kept the old rows
    try:
        shared_cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new number will do
        shared_cache.set(GENERATION_KEY, 1, timeout=None)


def _forget_references():
    for memo in _memos:
        if memo._shared:
            memo.forget()


def forget_all():
    """For tests, whose databases come and go under a long-lived process."""
    for memo in _memos:
        memo.forget()
