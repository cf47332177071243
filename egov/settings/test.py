"""Tests: fast password hashing, in-memory e-mail, background work run in-process.

DATABASE_URL still decides the database, so the same suite runs on SQLite and PostgreSQL.
"""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process when queued; integration tests start a real worker instead.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Each xdist worker gets its own file; a file (not :memory:) lets threads share it.
    # EGOV_TEST_SQLITE: another file, for test runs side by side in one checkout.
    DATABASES["default"]["TEST"] = {"NAME": env.str("EGOV_TEST_SQLITE", default=str(BASE_DIR / "var" / "test.sqlite3"))}
# Each test counts its own throttles and lockouts: a cache of its own per xdist worker (a
# Redis database each in the CI's second run; in memory otherwise), emptied between tests.
if env.str("CACHE_URL", default="").startswith("redis"):
    _worker = int(env.str("PYTEST_XDIST_WORKER", default="gw0").lstrip("gw") or 0)
    CACHES = {"default": env.cache_url_config(env.str("CACHE_URL").rsplit("/", 1)[0] + f"/{2 + _worker}")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The example plug-in is installed in the tests, as a province would install its own.
if "plugins.street_vending" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "plugins.street_vending"]  # noqa: F405
# A fixed sealing key (the tests that anchor the chain point the anchor file at a folder of their own).
EGOV_AUDIT_KEY = "test-audit-key-not-for-production"
# Never the embedded instance's anchors (var/audit-anchors.log, sealed with its own key): a
# folder of each test process's own.
EGOV_AUDIT_ANCHOR_FILE = str(Path(tempfile.mkdtemp(prefix="egov-test-anchors-")) / "audit-anchors.log")
# Webhooks are posted to a receiver on 127.0.0.1 over plain http (tests/integrations/receiver.py);
# the tests of the refusal switch this off, as it is in production.
EGOV_WEBHOOK_ALLOW_PRIVATE = True
# The second factor and login throttling have their own tests, which switch them on.
EGOV_STAFF_2FA = False
AXES_ENABLED = False
# Tests read English messages; the Vietnamese ones (the default language) are checked where
# they matter: rendered documents, notifications, the reference image.
LANGUAGE_CODE = "en"
# Every test client builds the middleware anew: WhiteNoise looks files up when asked instead
# of indexing STATIC_ROOT each time (a `make run` leaves a thousand files there).
WHITENOISE_AUTOREFRESH = True
