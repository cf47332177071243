"""Counting requests per client address or per key in the shared cache (Redis in production,
a folder of files in the embedded default): every web process sees the same counts.

``client_address(request)`` is the real client's address: the connection's, or behind
``EGOV_TRUSTED_PROXIES`` reverse proxies the one the outermost trusted proxy saw (read from
the right of ``X-Forwarded-For``; what a client writes on the left is never believed).
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "EGOV_TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-min(proxies, len(hops))] if hops else remote


SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate):
    """'30/minute' → (30, 60)."""
    count, period = rate.split("/")
    return int(count), SECONDS[period]


class Limit:
    """At most ``rate`` (e.g. '30/minute') events per key in a fixed window."""

    def __init__(self, name, rate):
        self.name = name
        self.allowed, self.window = parse_rate(rate)

    def _key(self, key):
        return f"egov:limit:{self.name}:{key}:{int(time.time() // self.window)}"

    def count(self, key):
        return cache.get(self._key(key), 0)

    def exceeded(self, key):
        return self.count(key) >= self.allowed

    def hit(self, key):
        """Count one event; True while it is within the limit."""
        cache_key = self._key(key)
        if cache.add(cache_key, 1, timeout=self.window + 1):
            return True
        try:
            return cache.incr(cache_key) <= self.allowed
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=self.window + 1)
            return True
