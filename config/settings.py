"""Accord settings: everything that differs between machines comes from the environment."""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (make run and make test set DEBUG for you)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"
# The key of the suppression list's digests (leads.suppression). Unset, it is SECRET_KEY, and a
# rotated SECRET_KEY must stay in SUPPRESSION_SECRET_FALLBACKS (else the erased and unsubscribed
# addresses it hashed stop matching); set it on its own to rotate SECRET_KEY freely.
SUPPRESSION_SECRET = env_str("SUPPRESSION_SECRET") or SECRET_KEY
SUPPRESSION_SECRET_FALLBACKS = env_list("SUPPRESSION_SECRET_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its widget templates, so that templates/django/forms/ can override two of them.
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_q",
    "axes",
    "core",
    "audit",
    "teams",
    "leads",
    "scoring",
    "handoff",
    "reports",
    "notifications",
    "sla",
    "webhooks",
    "intake",
    "privacy",
    "pages",
    "bench",
    # Last: its post_migrate handler grants role permissions once every app's exist.
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the body (the CSRF check reads a form post).
    "core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the two above: a signed-in person's saved language and time zone.
    "accounts.middleware.ReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns a login refused for too many failures into the login page saying so.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees a view's exception first: domain refusals become pages or fragments.
    "core.middleware.DomainErrorMiddleware",
    "core.middleware.StatementTimeoutMiddleware",
]
# How long the server worked on each request, in a Server-Timing header (manage.py bench turns
# it on in the server it measures; off by default, as it tells any client the server's timing).
SERVER_TIMING = env_bool("SERVER_TIMING", default=False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "core.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
            ],
        },
    },
]

# Form widgets render through the templates above: templates/django/forms/widgets/ gives the
# inputs people type words into dir="auto".
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file without
    # "database is locked" errors; IMMEDIATE makes a writing transaction take the lock up front.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not shared-cache memory, so concurrency tests can lock rows from several threads;
    # one per test run, so that runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Accord's statements are short (a queue page, a lock, a grouped report): PostgreSQL's JIT
    # compiles a plan whose estimated cost looks large for up to a few hundred milliseconds,
    # more than such a statement takes to run, so it is off for Accord's connections.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
# Reports may read from a replica (core/databases.py): REPORTS_DATABASE_URL adds the `reports`
# alias, with the primary's options; unset, reports read the primary. In tests the alias
# mirrors the default database.
REPORTS_DATABASE_URL = env_str("REPORTS_DATABASE_URL")
if REPORTS_DATABASE_URL:
    DATABASES["reports"] = {
        **dj_database_url.parse(
            REPORTS_DATABASE_URL,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
REPORTS_DATABASE = "reports" if REPORTS_DATABASE_URL else "default"
DATABASE_ROUTERS = ["core.databases.ReportsRouter"]
# The longest one SQL statement of a web request may run on PostgreSQL, in milliseconds (0: no
# bound); the worker's long jobs are not bound (core/statements.py).
WEB_STATEMENT_TIMEOUT_MS = env_int("WEB_STATEMENT_TIMEOUT_MS", 20_000)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# What every process must agree on (the web-form limits, the API throttles) is counted by
# core.counters: in Redis when it is configured, else in a table of the database, never in one
# process's memory. The cache itself holds only what a process may forget.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# How long a login lasts, in seconds (two weeks), and whether it ends with the browser instead.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

# Login throttling (django-axes, accounts/lockouts.py). Failures are counted per username *and*
# address: a guesser is stopped on that account from that address, while the person keeps
# logging in from their own (counting per username alone would let anyone lock anyone out from
# everywhere; per address alone would lock out a whole office behind one NAT). Counts live in
# the database, so every web process sees them. An administrator unlocks at /accounts/lockouts/.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
# A failure while locked out starts the wait again, so "try again in N minutes" stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockouts.lockout_response"
# Only failures are recorded (and dropped once their cool-off has passed), not every login.
AXES_DISABLE_ACCESS_LOG = True
# The client's address behind TRUSTED_PROXIES reverse proxies (core/addresses.py).
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"
# No banner on every manage.py command (make run's output stays readable).
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("th", _("Thai")),
    ("zh-hans", _("Simplified Chinese")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date, time and number format per language (config/formats/ says which and why).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# The currency reports convert into for a team that names none (teams.Team.reporting_currency).
ACCORD_REPORTING_CURRENCY = env_str("ACCORD_REPORTING_CURRENCY", "USD")
if not re.fullmatch(r"[A-Z]{3}", ACCORD_REPORTING_CURRENCY):
    raise ImproperlyConfigured(
        f"ACCORD_REPORTING_CURRENCY={ACCORD_REPORTING_CURRENCY!r} is not an ISO 4217 code (USD)."
    )
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise before any view.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "core.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 20 * 1024 * 1024)
# The largest file a person may upload (a spreadsheet import). A request announcing a larger body
# is refused before it is read (core.middleware.RequestSizeMiddleware).
MAX_UPLOAD_SIZE = env_int("MAX_UPLOAD_SIZE", 50 * 1024 * 1024)
# Uploaded import files, and the rows an import kept, are deleted this many days after the upload
# (intake.imports.retention, run daily from core.schedules).
IMPORT_FILE_RETENTION_DAYS = env_int("IMPORT_FILE_RETENTION_DAYS", 30)

# Email: the console in development, SMTP otherwise (the EMAIL_* variables say where).
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        # Shorter than the e-mail lease (notifications/emails.py), so a hung server frees it.
        "timeout": env_int("EMAIL_TIMEOUT", 30),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Accord <accord@localhost>")

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS only outside development: redirect, then tell browsers to remember it (HSTS). Behind a
# TLS-terminating proxy, SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https says how the
# proxy marks HTTPS requests. The health check answers over plain HTTP for load balancers.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# How many reverse proxies in front of Accord append to X-Forwarded-For: login lockouts and
# web-form limits count the client's address, not the proxy's (core/addresses.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header and len(_proxy_ssl_header) != 2:
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER takes a header and a value, e.g. HTTP_X_FORWARDED_PROTO,https."
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) or None
# Content Security Policy: the browser runs only scripts and styles served from our own static
# files, never inline code, inline event handlers, style attributes or eval, so an injected tag
# or attribute does nothing (static/js/accord.js holds the page behaviours; htmx runs with
# allowEval off). data: images are Pico's form icons. No framing, plugins or <base>; forms post
# only to Accord.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# django-q2. Traps designed against: `retry` is longer than `timeout` (else a slow task is
# handed to a second worker while the first still runs); `max_attempts` bounds redelivery; tasks
# take ids and are idempotent because a task may still run twice after a worker dies.
Q_CLUSTER = {
    "name": "accord",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": env_int("Q_TIMEOUT", 600),
    "retry": env_int("Q_RETRY", 720),
    "max_attempts": 3,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 1000,
    "queue_limit": 50,
    "label": "Background tasks",
    # Each cluster runs the scheduler in its guard loop; several at once dispatch a due
    # schedule once (docs/deploy.md). Q_SCHEDULER=0 leaves it to a cluster that has it on.
    "scheduler": env_bool("Q_SCHEDULER", default=True),
    # The SLA scan's own queue, worked by its own cluster (`manage.py worker` starts both), so a
    # long import or rescoring on the main queue cannot delay an escalation. Started with
    # Q_CLUSTER_NAME=sla, a cluster takes its settings from here.
    "ALT_CLUSTERS": {"sla": {"workers": 1, "timeout": 300, "retry": 360}},
}
# The queue the SLA scan runs on ("": the main queue, for a site that runs one plain qcluster).
SLA_QUEUE = env_str("SLA_QUEUE", "sla")
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
if Q_CLUSTER["retry"] <= Q_CLUSTER["timeout"]:
    raise ImproperlyConfigured("Q_RETRY must be longer than Q_TIMEOUT or tasks run twice.")

# Webhooks go to public https addresses only (webhooks/addresses.py). Plain http is for
# development; loopback for tests and a receiver on this machine. `check --deploy` warns about both.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", default=False)

# A worker heartbeat older than this makes /healthz answer 503.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 180)

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes anonymous calls 401 rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API speaks JSON only, so the schema lists one media type and StrictInput sees JSON types.
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.CursorPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # Per user (so per token) and per anonymous address, shared by every process
    # (core.throttling); 429 answers carry Retry-After.
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.AnonThrottle", "core.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "6000/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accord API",
    "DESCRIPTION": (
        "Leads, activities, the MQL agreement, the SDR queue and SLA reports. "
        "Authenticate with a session or `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The contract is public, like any published API reference; the endpoints are not.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.forbid_unknown_fields",
        "core.api.empty_means_left_out",
        "core.api.text_without_nul",
        "config.api_links.add_links",
    ],
    # One name per choice set, so clients generated from the schema get stable enum names.
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "leads.models.ActivityKind",
        "LeadStageEnum": "leads.models.Stage",
        "LeadStatusEnum": "leads.models.LeadStatus",
        "OpportunityStageEnum": "handoff.models.OpportunityStage",
        "ConsentScopeEnum": "leads.models.ConsentScope",
        # Each acceptance check of handoff.serializers.AcceptSerializer: only true is an answer.
        "TickedEnum": [(True, True)],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
