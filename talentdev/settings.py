"""Settings for talentdev, read from environment variables.

Development defaults need no servers: SQLite in var/, Celery over a local filesystem
transport, mail printed to the console. TALENTDEV_ENV=production turns on the
hardened mode that `manage.py check --deploy` accepts; it requires SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL to be set. Any variable can instead be read from a
file named by <NAME>_FILE (Docker secrets).
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.FileAwareEnv()

ENVIRONMENT = env.str("TALENTDEV_ENV", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise environ.ImproperlyConfigured("TALENTDEV_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = env.bool("DEBUG", default=False)
else:
    # A development-only key: production refuses to start without SECRET_KEY.
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DEBUG = env.bool("DEBUG", default=True)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The OAuth 2.0 server behind the API's client credentials; its account app only
    # because the server needs it: people still sign in through Django's own views.
    "allauth",
    "allauth.account",
    "allauth.idp.oidc",
    "simple_history",
    "talentdev.jobs",
    "people",
    "objectives",
    "programs",
    "coaching",
    "measurement",
    "api",
    "talentdev",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files carry the policies too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "talentdev.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The audit history of HR records: who changed one, and through which channel.
    "simple_history.middleware.HistoryRequestMiddleware",
    "talentdev.core.audit.AuditChannelMiddleware",
    # Last, as axes asks: it turns a sign-in refused for a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

# The benchmark (manage.py bench) reads each page's server time and query count from a
# Server-Timing header; nothing else should reveal them.
BENCH_TIMING = env.bool("BENCH_TIMING", default=False)
if BENCH_TIMING:
    MIDDLEWARE.insert(0, "talentdev.middleware.ServerTimingMiddleware")

# The admin shows each record's audit history; reverting from it would save around the services.
SIMPLE_HISTORY_REVERT_DISABLED = True

ROOT_URLCONF = "talentdev.urls"
WSGI_APPLICATION = "talentdev.wsgi.application"

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
                "areas.navigation.navigation",
            ],
        },
    },
]


def _pg_arguments(options: str) -> list[str]:
    """`options` split where libpq splits it: at whitespace not escaped by a backslash."""
    arguments, current, escaped = [], "", False
    for char in options:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            current += char
            escaped = True
        elif char.isspace():
            if current:
                arguments.append(current)
            current = ""
        else:
            current += char
    if current:
        arguments.append(current)
    return arguments


def _pg_name(assignment: str) -> str:
    # The server reads "Random-Page-Cost" as random_page_cost.
    return assignment.split("=", 1)[0].strip().lower().replace("-", "_")


def pg_setting_names(options: str) -> set[str]:
    """The names of the server settings PostgreSQL connection `options` set, written as
    command-line switches ("-c name=value", "-cname=value" or "--name=value")."""
    names, arguments = set(), _pg_arguments(options)
    for i, argument in enumerate(arguments):
        if argument == "-c" and i + 1 < len(arguments):
            names.add(_pg_name(arguments[i + 1]))
        elif argument.startswith("--"):
            names.add(_pg_name(argument[2:]))
        elif argument.startswith("-c") and len(argument) > 2:
            names.add(_pg_name(argument[2:]))
    return names


def pg_options_with(options: str, defaults: dict[str, str]) -> str:
    """`options` as given, followed by each of `defaults` (name: value) it does not set
    itself: what a DATABASE_URL asks for is kept, and wins where it asks for the same."""
    own = pg_setting_names(options)
    added = [f"-c {name}={value}" for name, value in defaults.items() if name not in own]
    return " ".join([options.strip(), *added]).strip()


DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'talentdev.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a web process, a worker and beat at once: wait for locks.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
    # Covering indexes (Index(include=…)) serve PostgreSQL's index-only scans; SQLite keeps
    # their key columns, which is all it needs, and need not warn about the rest.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    # A database that does not answer fails a request or a job in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
    # PostgreSQL compiles a query with JIT once its estimated cost is high; for the
    # product's queries that compilation costs more than it saves (1.8 s of a 2.8 s sponsor
    # figure, measured on a company of 50,000). DATABASE_JIT=on leaves it to the server.
    planner = {
        # The default cost of a random read assumes a spinning disk. A company's people and
        # enrolments sit in memory or on SSD, where an index probe costs about what a
        # sequential read does: with the default, a 2,400-learner roster is joined to its
        # people by hashing all 51,000 of them rather than probing 2,400 (4x the time).
        "random_page_cost": f"{env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}",
        # Every server-side cursor here (QuerySet.iterator(): downloads, jobs) reads to the
        # end, so plan it for the whole result, not for its first rows.
        "cursor_tuple_fraction": "1",
    }
    if not env.bool("DATABASE_JIT", default=False):
        planner["jit"] = "off"
    # Added to the options DATABASE_URL carries (?options=-c statement_timeout=…), except
    # a setting the URL makes itself.
    _options = DATABASES["default"]["OPTIONS"]
    _options["options"] = pg_options_with(_options.get("options", ""), planner)
# The navigation's, the pathway's and the team pages' reads are planned once per
# connection (core.prepared).
DATABASE_PREPARED_QUERIES = env.bool("DATABASE_PREPARED_QUERIES", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Sign-in lock-out (django-axes, recorded in the database): failed sign-ins are counted per
# account and per address over the cool-off; an account is locked after AXES_FAILURE_LIMIT,
# an address (which many colleagues may share) after AXES_ADDRESS_FAILURE_LIMIT. The lock
# lifts AXES_COOLOFF_MINUTES after the last counted failure; HR admins clear one sooner in
# the admin (Access attempts). people.signin holds the page, the log and the address.
AXES_HANDLER = "people.signin.SignInAttempts"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # this order: SignInAttempts reads it
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
# Tries made while locked are refused without counting, so the lock lifts when it said.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success clears the account's own failures (people.signin), not its address's: one good
# sign-in must not wipe out the record of another account being guessed from there.
AXES_RESET_ON_SUCCESS = False
# Failures are what is kept; successful sign-ins would make a table that grows for ever.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "people.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "talentdev.core.addresses.client_address"
# No "AXES: BEGIN version ..." banner at every start and management command; the failures
# and lock-outs are still logged at WARNING (people.signin logs who and from where).
AXES_VERBOSE = False
# Proxies in front of the app that each append the address they saw to X-Forwarded-For:
# the lock-out counts by the address the outermost of them saw. Production sits behind one.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
# Front-end packages come from npm (package-lock.json) and are served from node_modules.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"

EMAIL_CONFIG = env.email_url(
    "EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"
)
vars().update(EMAIL_CONFIG)
# Seconds a mail server may take to answer: a hung one delays emails, never the other jobs.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)
# Seconds a claim on one email lasts unless renewed while sending: how soon an email whose
# sending was interrupted is tried again.
EMAIL_CLAIM_LEASE = env.float("EMAIL_CLAIM_LEASE", default=20.0)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="talentdev <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The sponsor pages read each program's learner figures as a job last counted them
# (measurement.figures) while the count is younger than this, and count live otherwise. The
# job runs every 15 minutes, the pace of the progress sweep those figures follow.
PROGRAM_FIGURES_MAX_AGE = timedelta(minutes=env.int("PROGRAM_FIGURES_MAX_AGE_MINUTES", default=40))

# Celery: Redis when REDIS_URL is set, otherwise a filesystem transport so that the
# demo runs a real worker and beat with no server at all.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker waits out a broker outage of any length rather than exiting after 100 tries.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A broker that does not answer costs a page or a scan this long, once (see core/broker.py).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("BROKER_CONNECT_TIMEOUT", default=2.0)
BROKER_RETRY_AFTER = env.float("BROKER_RETRY_AFTER", default=10.0)

# Each kind of job has its queue, so reminders never wait behind a hung mail server: one
# worker reads the job queues, another the email queue. The prefix keeps two installs (or a
# test run) sharing one Redis apart.
CELERY_QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
QUEUES = {
    name: f"{CELERY_QUEUE_PREFIX}{name}"
    for name in ("default", "reminders", "progress", "rollups", "email")
}
CELERY_TASK_DEFAULT_QUEUE = QUEUES["default"]
CELERY_TASK_ROUTES = {
    "coaching.tasks.scan_reminders": {"queue": QUEUES["reminders"]},
    "programs.tasks.*": {"queue": QUEUES["progress"]},
    "measurement.tasks.*": {"queue": QUEUES["rollups"]},
    "people.tasks.deliver_notification_emails": {"queue": QUEUES["email"]},
}
# Where no task sets its own: a job that runs longer is stopped, and retried by its schedule.
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # The Redis transport with the fix that keeps a worker alive through a broker restart.
    CELERY_BROKER_TRANSPORT = "talentdev.core.redis_transport:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Longer than the longest countdown (retry backoff, 5 min) plus the longest hard
        # time limit (16 min): a late ack is never redelivered early, and a message held by
        # a worker killed outright comes back within this.
        "visibility_timeout": int(timedelta(minutes=30).total_seconds()),
        "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=10.0),
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        # Publishing tries once: the circuit breaker in core/broker.py, not a retry loop
        # inside a page or a scan, handles a broker that is down.
        "max_retries": 0,
    }
else:
    # The folders are made by `make install` (var/celery/…), not on import.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }

# The cache every process shares: Redis when configured (the API's rate limits are counted
# there), otherwise each process's memory, which is all the one-process demo needs.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cache",
        }
    }

# The HR REST API (/api/v1/): OAuth 2.0 client credentials for HR systems, the session for
# people in the browser. Problems are answered as RFC 9457 problem details.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ClientTokenAuthentication",
        "api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.scopes.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.paging.SyncCursorPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_response",
    "DATETIME_FORMAT": "iso-8601",
}
# Requests a client (or a signed-in person) may make a minute, counted in the shared cache.
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=600)
# Largest request body the API reads, in bytes (a bulk of 500 people fits in well under 1 MB).
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=2 * 1024 * 1024)
# How long an Idempotency-Key's first response is replayed.
API_IDEMPOTENCY_TTL = timedelta(hours=env.int("API_IDEMPOTENCY_TTL_HOURS", default=24))
SPECTACULAR_SETTINGS = {
    "TITLE": "talentdev HR API",
    "DESCRIPTION": (
        "People in, programs and evidence out. Authenticate with OAuth 2.0 client "
        "credentials (POST /api/v1/oauth/token) and send the token as a Bearer token."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its documentation pages are public: they describe, they hold no data.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Many models have a `status`: each set of choices is named after its model.
    "ENUM_NAME_OVERRIDES": {
        # frameworks and pathways share draft / published / retired
        "PublicationStatusEnum": "objectives.models.CompetencyFramework.Status",
        "ProgramStatusEnum": "programs.models.Program.Status",
        "EnrolmentStatusEnum": "programs.models.Enrolment.Status",
        "StepProgressStatusEnum": "programs.models.StepProgress.Status",
        "AssignmentStatusEnum": "programs.models.Assignment.Status",
        "FeedbackWindowStatusEnum": "coaching.models.FeedbackWindow.Status",
        "SponsorReviewStatusEnum": "measurement.models.SponsorReview.Status",
        "StepKindEnum": "programs.models.Step.Kind",
        "AssessmentKindEnum": "measurement.models.Assessment.Kind",
        "MetricKindEnum": "measurement.models.OutcomeMetric.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_component",
    ],
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "oauth2": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "/api/v1/oauth/token",
                        "scopes": {},
                    }
                },
            }
        }
    },
}
# The OAuth server: opaque access tokens that live an hour, stored only as hashes, as are
# client secrets. Clients are made by HR admins in the product (api.clients).
IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN = 60 * 60
IDP_OIDC_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

# Reminders: before a feedback window closes (hours, e.g. "4,1"), and before due dates.
FEEDBACK_REMINDER_LEAD_TIMES = [
    timedelta(hours=float(hours))
    for hours in env.list("FEEDBACK_REMINDER_LEAD_HOURS", default=["4", "1"])
]
DUE_REMINDER_LEAD = timedelta(hours=env.float("DUE_REMINDER_LEAD_HOURS", default=24))
FEEDBACK_MISSED_NOTIFY_MANAGER = env.bool("FEEDBACK_MISSED_NOTIFY_MANAGER", default=True)
# Links in emails point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Opt in to the https default that Django 6 makes standard for URL form fields.
FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Demo logins share one password; seed_demo refuses to run in production.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="talentdev-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Content-Security-Policy (django-csp): pages run only the app's own scripts and styles, no
# inline code and no eval. A deployment that must allow more adds sources per directive
# with CSP_<DIRECTIVE>_EXTRA (e.g. CSP_IMG_SRC_EXTRA=https://cdn.example.com), or sends
# the policy as report-only with CSP_REPORT_ONLY while it finds out what breaks.
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
}
for _directive, _sources in _CSP_DIRECTIVES.items():
    _extra = env.list(f"CSP_{_directive.upper().replace('-', '_')}_EXTRA", default=[])
    _sources.extend(source for source in _extra if source not in _sources)
_CSP_REPORT_URI = env.str("CSP_REPORT_URI", default="")
if _CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = [_CSP_REPORT_URI]
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Browser features the product never uses are denied to it and to anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Django's defaults, stated because the README documents them: no MIME sniffing, the
# referrer only to this site, no framing (also in the CSP above).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # Health checks come from inside the container network over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
