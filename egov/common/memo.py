"""Per-process memory of the reference rows read on every hand-over: the definition of a
dossier's pinned procedure version, the agencies, the working calendar.

Read from the database each time, they cost a statement each and most of a hand-over's
time in the ORM (``bench/lifecycle.py``). They change rarely:

* a published procedure version never changes (a change is a new version), so its parsed
  definition is kept, least recently used out first; drafts are never kept;
* agencies and calendar days are edited by administrators now and then: they are kept
  for :data:`REFERENCE_SECONDS`. A change saved through this process forgets them at
  once (model signals); the other processes — other web workers, the Celery worker —
  see it within that time.
"""

import threading

from cachetools import LRUCache, TTLCache

REFERENCE_SECONDS = 60

_memos = []


class Memo:
    def __init__(self, cache):
        self._cache = cache
        self._lock = threading.Lock()  # cachetools' caches are not thread-safe
        _memos.append(self)

    def get(self, key, load, keep=None):
        """The value for ``key``, loaded with ``load()`` when not remembered; remembered only
        if ``keep(value)`` (default: always)."""
        with self._lock:
            try:
                return self._cache[key]
            except KeyError:
                pass
        value = load()
        if keep is None or keep(value):
            with self._lock:
                self._cache[key] = value
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
    """A memo for rarely edited reference rows, kept REFERENCE_SECONDS."""
    return Memo(TTLCache(maxsize=maxsize, ttl=REFERENCE_SECONDS))


def forget_all():
    """For tests, whose databases come and go under a long-lived process."""
    for memo in _memos:
        memo.forget()
