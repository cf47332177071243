"""Production: PostgreSQL, Redis, secrets from the environment, hardened HTTP.

Every value that differs from the embedded default is required here, so a half-configured
server refuses to start instead of running insecurely.
"""

from .base import *  # noqa: F403
from .base import env, origin_of

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")  # no default: must be set
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_BROKER_TRANSPORT = None  # the URL's own (base.py picks one for the embedded broker)
CACHES = {"default": env.cache_url("CACHE_URL", default="rediscache://127.0.0.1:6379/1")}
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# HTTPS everywhere: the service sits behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Every staff account proves a second factor in production, whatever the environment says.
EGOV_STAFF_2FA = True
# The audit trail's sealing key is provisioned by the operator, outside the database and the
# application's data folder (EGOV_AUDIT_KEY or EGOV_AUDIT_KEY_FILE); never made on the fly.
EGOV_AUDIT_KEY_CREATE = False
# Behind a TLS-terminating proxy, its X-Forwarded-For tells the real client address.
EGOV_TRUSTED_PROXIES = env.int("EGOV_TRUSTED_PROXIES", default=1)

# Online payment: none unless the province's gateway is configured (base.py's defaults are
# the embedded simulator's).
EGOV_VNPAY_PAY_URL = env.str("EGOV_VNPAY_PAY_URL", default="")
EGOV_VNPAY_API_URL = env.str("EGOV_VNPAY_API_URL", default="")
EGOV_VNPAY_TMN_CODE = env.str("EGOV_VNPAY_TMN_CODE", default="")
EGOV_VNPAY_HASH_SECRET = env.str("EGOV_VNPAY_HASH_SECRET", default="")
EGOV_FORM_ACTION_ORIGINS = [origin_of(EGOV_VNPAY_PAY_URL)] if EGOV_VNPAY_PAY_URL else []
