"""Settings shared by every run mode.

Everything a deployment may change is read from the environment through one typed
helper (django-environ). The defaults are the *embedded* run mode: SQLite in WAL mode,
files on local disk, e-mail to a folder, Celery on a file-system broker. Production sets
DATABASE_URL, CELERY_BROKER_URL and friends (see README.md and production.py).
"""

import urllib.parse
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("EGOV_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def origin_of(url):
    """scheme://host[:port] of ``url`` (what a Content-Security-Policy names)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# The embedded default keeps everything it writes (database, files, mail, broker) here.
for _sub in ("", "media", "mail", "broker", "broker-processed", "broker-control", "static", "cache"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)

# --- Core -------------------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The embedded default needs *a* key; production.py refuses to start without a real one.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="embedded-insecure-key-change-me-in-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("EGOV_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "mozilla_django_oidc",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "oauth2_provider",
    "django_countries",
    "viewflow",
    "viewflow.workflow",
    # our apps, one noun each, in their layers (lowest first; .importlinter checks them)
    "egov.common",
    "egov.audit",
    "egov.agencies",
    "egov.calendar",
    "egov.accounts",
    "egov.catalog",
    "egov.integrations",
    "workflows",
    "egov.dossiers",
    "egov.payments",
    "egov.documents",
    "egov.notifications",
    "egov.stats",
    "egov.privacy",
    "egov.api",
    "egov.portal",
    "egov.backoffice",
    # Plug-in apps (smart-city apps contributing procedures, templates, flows, event handlers).
    *env.list("EGOV_PLUGINS", default=[]),
    "egov.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "egov.accounts.two_factor.StaffSecondFactorMiddleware",
    "egov.common.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "egov.integrations.middleware.ApiClientAuditMiddleware",
    # A database that is restarting answers 503 + Retry-After, not 500 (egov/common/availability.py).
    "egov.common.availability.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "egov.urls"
WSGI_APPLICATION = "egov.wsgi.application"
ASGI_APPLICATION = "egov.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "egov.common.context_processors.site",
                "egov.accounts.context_processors.national_eid",
                "egov.notifications.views.unread_count",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

# Embedded default: one SQLite file in WAL mode, so readers never wait for the writer and
# the web process and the Celery worker can share it. IMMEDIATE transactions take the
# write lock up front instead of failing half-way with "database is locked".
_SQLITE_PATH = VAR_DIR / "egov.sqlite3"
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{_SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------

# Shared by every process: throttles and lockouts count across web workers. The embedded
# default keeps it in files under var/cache; production sets CACHE_URL to Redis.
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
# Reverse proxies in front of the web processes whose X-Forwarded-For is believed (read from
# the right): 0 (the embedded default) believes the connection's address only.
EGOV_TRUSTED_PROXIES = env.int("EGOV_TRUSTED_PROXIES", default=0)

# --- Accounts ---------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Login throttling: after AXES_FAILURE_LIMIT failures an account is locked for a while.
    "axes.backends.AxesStandaloneBackend",
    "egov.accounts.backends.EmailOrPhoneBackend",
    # The national e-ID (VNeID) through OpenID Connect; inert until OIDC_RP_CLIENT_ID is set.
    "egov.accounts.oidc.NationalEIDBackend",
]

# A staff session ends after this much inactivity (citizens keep Django's default).
EGOV_STAFF_SESSION_IDLE_SECONDS = env.int("EGOV_STAFF_SESSION_IDLE_SECONDS", default=2 * 3600)
# Staff accounts need a second factor (TOTP) to reach any staff page or the API by session.
EGOV_STAFF_2FA = env.bool("EGOV_STAFF_2FA", default=True)
# Personal API tokens are valid this many days (manage.py issue_token --days, the account page).
EGOV_TOKEN_DAYS = env.int("EGOV_TOKEN_DAYS", default=30)
OTP_TOTP_ISSUER = "Một Cửa"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
# Per account, whatever spelling reached it (upper case, the e-mail, the phone in any form):
# the failures count against the account itself (egov/accounts/backends.py).
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "egov.accounts.backends.lockout_key"
AXES_CLIENT_IP_CALLABLE = "egov.common.ratelimit.client_address"
# And per client address, with a high threshold: a commune office or a service centre puts
# all its staff and kiosk users behind one public address, which must not lock the desk out,
# but one address trying passwords across many accounts is stopped.
EGOV_LOGIN_ADDRESS_RATE = env.str("EGOV_LOGIN_ADDRESS_RATE", default="100/hour")
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Apps acting as a citizen (OAuth 2.0; egov/accounts/oauth/, docs/oauth.md) ---------------
# Authorisation code with PKCE S256 only, exact redirect URIs, short access tokens, rotating
# refresh tokens (a replayed one revokes its whole family), tokens stored hashed, every RFC 9700
# (OAuth security best practice) gate of django-oauth-toolkit on.
EGOV_OAUTH_ACCESS_SECONDS = env.int("EGOV_OAUTH_ACCESS_SECONDS", default=600)
EGOV_OAUTH_REFRESH_DAYS = env.int("EGOV_OAUTH_REFRESH_DAYS", default=30)
OAUTH2_PROVIDER = {
    # The scopes and their words: egov/accounts/oauth/scopes.py (the one vocabulary).
    "SCOPES_BACKEND_CLASS": "egov.accounts.oauth.scopes.Scopes",
    "OAUTH2_VALIDATOR_CLASS": "egov.accounts.oauth.validator.Validator",
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": EGOV_OAUTH_ACCESS_SECONDS,
    # Unused this long after its access token expired, a refresh token is dead.
    "REFRESH_TOKEN_EXPIRE_SECONDS": EGOV_OAUTH_REFRESH_DAYS * 86400,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "PKCE_REQUIRED": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    # https, and the private-use schemes of the province's mobile apps (e.g. vn.gov.quangtri.motcua).
    "ALLOWED_REDIRECT_URI_SCHEMES": env.list("EGOV_OAUTH_REDIRECT_SCHEMES", default=["https"]),
    "ALLOW_URI_WILDCARDS": False,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OAUTH2_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["none", "client_secret_basic", "client_secret_post"],
    # Registered by superusers in the admin, audited; codes and tokens read-only there.
    "APPLICATION_ADMIN_CLASS": "egov.accounts.oauth.admin.ApplicationAdmin",
    "ACCESS_TOKEN_ADMIN_CLASS": "egov.accounts.oauth.admin.AccessTokenAdmin",
    "REFRESH_TOKEN_ADMIN_CLASS": "egov.accounts.oauth.admin.RefreshTokenAdmin",
    "GRANT_ADMIN_CLASS": "egov.accounts.oauth.admin.GrantAdmin",
    "ID_TOKEN_ADMIN_CLASS": "egov.accounts.oauth.admin.IDTokenAdmin",
}

# --- National e-ID (OpenID Connect) -----------------------------------------------------
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="") or None
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256" if OIDC_OP_JWKS_ENDPOINT else "HS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
# The claim carrying the 12-digit personal identification number.
EGOV_OIDC_PERSONAL_ID_CLAIM = env.str("EGOV_OIDC_PERSONAL_ID_CLAIM", default="personal_id")
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time -----------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "egov_language"

# --- Static and uploaded files ----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded papers are personal data: never served by URL, only through permission-checked views.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------------

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Một Cửa <no-reply@localhost>")

# --- Celery -----------------------------------------------------------------------------

# Embedded default: a file-system broker in var/, so a worker runs beside the web server
# without any service. Production: CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem"):
    # Messages written whole (egov/common/filesystem_broker.py).
    CELERY_BROKER_TRANSPORT = "egov.common.filesystem_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # Broadcast (remote control) messages too; kombu's default is ./control in the cwd.
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
        # Every 0.1 s, not kombu's 1 s: a receipt is ready about a second sooner after the
        # desk accepts.
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only when it finished, so a worker killed mid-task leaves it queued.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {}  # apps add their periodic work in egov/celery.py
# Events reach their consumers through the outbox relay that every Celery worker runs
# (egov/integrations/relay.py): a web process only writes them in its transaction. With
# tasks run eagerly (the tests), the process relays in the committing thread instead.
# How often an idle relay looks for new events, in seconds (a busy one goes on at once).
EGOV_OUTBOX_RELAY_POLL = env.float("EGOV_OUTBOX_RELAY_POLL", default=0.1)
# Webhooks go over https to public addresses only (egov/integrations/outbound.py). True lets
# plain http and loopback/private addresses through: for the tests and closed networks only.
EGOV_WEBHOOK_ALLOW_PRIVATE = env.bool("EGOV_WEBHOOK_ALLOW_PRIVATE", default=False)

# --- REST API ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First the header schemes, so an unauthenticated call gets 401 with WWW-Authenticate.
        "egov.api.auth.ApiKeyAuthentication",
        "egov.api.auth.TokenAuthentication",
        "egov.api.auth.BearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated", "egov.api.auth.ScopeRequired", "egov.api.auth.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["egov.api.auth.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "egov.api.pagination.Pagination",
    # JSON bounded in size and depth, without NUL characters (egov/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "egov.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "egov.api.errors.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # ?format= is ours (open data: json or csv), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    # Public tracking guesses codes and keys: slow it down per client address.
    "DEFAULT_THROTTLE_RATES": {"track": env.str("EGOV_TRACK_RATE", default="30/minute")},
    # The client address behind trusted proxies, as egov.common.ratelimit.client_address reads it.
    "NUM_PROXIES": EGOV_TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Một Cửa API",
    "DESCRIPTION": (
        "The one-stop engine's REST API: the procedure catalogue, dossiers, officers' tasks, "
        "public tracking and the working-day calendar. Authenticate with a browser session "
        "or `Authorization: Token <key>`; apps acting as a citizen `Authorization: Bearer <token>` "
        "(OAuth 2.0, docs/oauth.md)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "egov.dossiers.models.Dossier.Status",
        "DossierChannelEnum": "egov.dossiers.models.Channel",
        "VersionStatusEnum": "egov.catalog.models.ProcedureVersion.Status",
        "TaskStatusEnum": "viewflow.workflow.status.STATUS",
    },
}

# --- The one-stop engine ----------------------------------------------------------------

# How "N working days" is counted: "civil_code" (the receipt day is not counted, due at the
# close of the N-th working day; Civil Code art. 147-148) or "working_hours" (N x 8 office
# hours from the receipt time, as some provincial systems do).
EGOV_WORKING_DAY_RULE = env.str("EGOV_WORKING_DAY_RULE", default="civil_code")
# Office hours used when an agency has none of its own: intervals in local time.
EGOV_DEFAULT_OFFICE_HOURS = [["07:30", "11:30"], ["13:00", "17:00"]]
# Dossier code layout (domain notes section 5); the 2025 circular may change it.
EGOV_DOSSIER_CODE_FORMAT = env.str("EGOV_DOSSIER_CODE_FORMAT", default="{unit}-{date:%y%m%d}-{seq:04d}")
# Organisation certificate (PKCS#12) for PAdES signatures on issued documents; unset = unsigned.
EGOV_SIGNING_P12 = env.str("EGOV_SIGNING_P12", default="")
EGOV_SIGNING_P12_PASSWORD = env.str("EGOV_SIGNING_P12_PASSWORD", default="")
# SMS: "file" (var/sms/outbox.log, the embedded default) or "http" (the operator's gateway).
# Online payment through a gateway speaking VNPAY's protocol (egov/payments/providers/vnpay.py).
# The embedded default is the gateway simulator that make run starts on the loopback
# (gateway_simulator/); production.py has no default: set all four to offer online payment.
EGOV_VNPAY_PAY_URL = env.str("EGOV_VNPAY_PAY_URL", default="http://127.0.0.1:8765/paymentv2/vpcpay.html")
EGOV_VNPAY_API_URL = env.str("EGOV_VNPAY_API_URL", default="http://127.0.0.1:8765/merchant_webapi/api/transaction")
EGOV_VNPAY_TMN_CODE = env.str("EGOV_VNPAY_TMN_CODE", default="MOTCUA01")
EGOV_VNPAY_HASH_SECRET = env.str("EGOV_VNPAY_HASH_SECRET", default="simulator-secret-not-for-production")
# Where our pages may send a form besides themselves (Content-Security-Policy form-action): the
# payer's way to the gateway is a form posted here and redirected there.
EGOV_FORM_ACTION_ORIGINS = [origin_of(EGOV_VNPAY_PAY_URL)] if EGOV_VNPAY_PAY_URL else []

EGOV_SMS_PROVIDER = env.str("EGOV_SMS_PROVIDER", default="file")
EGOV_SMS_URL = env.str("EGOV_SMS_URL", default="")
EGOV_SMS_TOKEN = env.str("EGOV_SMS_TOKEN", default="")
EGOV_SMS_SENDER = env.str("EGOV_SMS_SENDER", default="MOTCUA")
# JSON body sent to the gateway; {phone}, {text} and {sender} are filled in.
EGOV_SMS_BODY = env.str("EGOV_SMS_BODY", default='{"to": "{phone}", "message": "{text}", "from": "{sender}"}')
# Strip Vietnamese diacritics (many gateways bill 70 characters per SMS with them, 160 without).
EGOV_SMS_ASCII = env.bool("EGOV_SMS_ASCII", default=True)
# Uploads: one request may not be larger than this (a document's own max_mb applies too).
# A document still pending this long after it was asked for is rendered again (a worker died).
EGOV_DOCUMENT_STALL_SECONDS = env.int("EGOV_DOCUMENT_STALL_SECONDS", default=300)
# The audit trail's sealing key lives outside the database (egov/audit/sealing.py): the
# value itself, or a file holding it; the embedded default makes var/audit.key on first use.
EGOV_AUDIT_KEY = env.str("EGOV_AUDIT_KEY", default="")
EGOV_AUDIT_KEY_FILE = env.str("EGOV_AUDIT_KEY_FILE", default=str(VAR_DIR / "audit.key"))
EGOV_AUDIT_KEY_CREATE = True
# Where the head of the sealed chain is anchored, signed and timestamped (hourly, by beat).
EGOV_AUDIT_ANCHOR_FILE = env.str("EGOV_AUDIT_ANCHOR_FILE", default=str(VAR_DIR / "audit-anchors.log"))
# Retention (personal data law): years a closed dossier's papers and personal data are kept when
# its procedure names no period of its own; days an untouched draft is kept.
EGOV_RETENTION_YEARS = env.int("EGOV_RETENTION_YEARS", default=10)
EGOV_DRAFT_RETENTION_DAYS = env.int("EGOV_DRAFT_RETENTION_DAYS", default=90)
# The embedded default's mail and SMS spools (var/mail, var/sms) are emptied after this many days.
EGOV_SPOOL_DAYS = env.int("EGOV_SPOOL_DAYS", default=7)
EGOV_MAX_UPLOAD_BYTES = env.int("EGOV_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
# What one account may hold and do (a citizen filling the disk, or the memory of an export).
EGOV_MAX_DRAFTS = env.int("EGOV_MAX_DRAFTS", default=20)
EGOV_MAX_FILES_PER_DOCUMENT = env.int("EGOV_MAX_FILES_PER_DOCUMENT", default=10)
EGOV_MAX_FILES_PER_DOSSIER = env.int("EGOV_MAX_FILES_PER_DOSSIER", default=40)
EGOV_MAX_UPLOAD_BYTES_PER_USER = env.int("EGOV_MAX_UPLOAD_BYTES_PER_USER", default=500 * 1024 * 1024)
EGOV_UPLOAD_RATE = env.str("EGOV_UPLOAD_RATE", default="120/hour")
FILE_UPLOAD_HANDLERS = [
    "egov.common.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# ClamAV (clamd) for uploaded files, e.g. unix:///run/clamav/clamd.ctl; unset = no virus scan.
EGOV_CLAMAV_ADDRESS = env.str("EGOV_CLAMAV_ADDRESS", default="")
# Procedures run by a custom flow instead of the generic one, e.g.
# Four eyes on the catalogue: a procedure version is published only when a second procedure
# administrator approves the request of the first (docs/procedure-format.md, "Publishing").
EGOV_PUBLISH_NEEDS_APPROVAL = env.bool("EGOV_PUBLISH_NEEDS_APPROVAL", default=False)

# EGOV_CUSTOM_FLOWS="2.000908=workflows.custom.desk_same_day.DeskSameDayFlow"
EGOV_CUSTOM_FLOWS = env.dict("EGOV_CUSTOM_FLOWS", default={})
# Demo accounts' password (seed_demo); never used in production.
EGOV_DEMO_PASSWORD = env.str("EGOV_DEMO_PASSWORD", default="demo-Mot-Cua-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO; its warnings (refused URLs) still show.
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
