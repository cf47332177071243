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
"""

import threading

from cachetools import LRUCache, TTLCache
from django.core.cache import cache as shared_cache
from django.db import transaction

REFERENCE_SECONDS = 60
GENERATION_KEY = "egov:reference-generation"

_memos = []


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
        generation = shared_cache.get(GENERATION_KEY, 0) if self._shared else None
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
