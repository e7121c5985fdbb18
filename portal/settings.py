"""Settings of the JMDC portal, read from the environment.

The embedded default (no variable set) is a developer's portal: DEBUG on, a SQLite file
in ./var, Celery tasks run eagerly in-process. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Django's own CSRF failure page has inline style, which the Content-Security-Policy blocks.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"

# Where the developer's SQLite file and other run-time files live.
VAR_DIR = Path(os.environ.get("JMDC_VAR_DIR", BASE_DIR / "var"))

# The shared data folder (real catalogue snapshots, headers, SIMBAD answers), read at run time.
SHARED_DATA_DIR = Path(os.environ.get("JMDC_SHARED_DIR", BASE_DIR.parent / "shared"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    # After django.contrib.auth: its admin module replaces the user admin (unique addresses).
    "accounts.apps.AccountsConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "jmdc.apps.JmdcConfig",
    "curation.apps.CurationConfig",
    "obsportal.apps.ObsportalConfig",
    "vo.apps.VoConfig",
    "portal.apps.PortalConfig",  # the role groups' permissions (portal/roles.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed table link (the SAMP menu's) stands for its signer: after the session's user.
    "portal.table_links.SignedTableLinkMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security_headers.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "accounts.context_processors.address",
            ],
            # base.html's navigation ({% load navigation %}): the project package is no app.
            "libraries": {"navigation": "portal.navigation"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'jmdc.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive a few users at once (web threads, the worker, a
    # command). WAL lets readers go on while one writer writes; IMMEDIATE makes every
    # transaction take the write lock when it begins, so a second writer waits for it (up to
    # the timeout) instead of failing at its first write with "database is locked" (SQLite
    # cannot upgrade a read transaction into a write one while another writer holds the lock).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Tests run on a file too (not SQLite's shared in-memory database, whose table locks
    # fail at once instead of waiting): the concurrency tests see what production sees.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(VAR_DIR / "test-jmdc.sqlite3")
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a login attempt from a locked-out account or address before
# the password is checked. It needs the request, so tests log in with force_login (or pass
# request= to client.login).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security: on by default, relaxed only where DEBUG needs plain HTTP on 127.0.0.1.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health$"]  # probed over plain HTTP from inside the host
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# How many proxies of ours stand in front of gunicorn, each appending to X-Forwarded-For (0:
# none, the header is ignored). The client's address for the API's throttles and the login
# protection is then the N-th entry from the right (accounts/client_address.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT}: expected 0 or more")

# Login protection (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account,
# or from one client address, further attempts are refused for LOGIN_COOLOFF_MINUTES, on the
# login page and the admin's alike. A success clears that account's count only
# (accounts/signals.py): axes' own reset would also forget the guesses the same address made
# at other accounts, so logging into one's own account between guesses would never lock.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one alone locks
AXES_RESET_ON_SUCCESS = False
# The wait runs from the attempt that locked: trying again during it does not prolong it,
# so the page can say how long to wait.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from our own static
# files only; the pages have no inline script, style or handler (the house habit). Two narrow
# exceptions, each on its own pages only: DRF's browsable API may use style attributes and its
# highlighter's <style> (by hash; lib/api/renderers.BrowsableAPIRenderer), and Swagger UI's page
# data: images for its icons (portal/api/urls.py). Never an inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
# Permissions-Policy (portal/security_headers.py): no page needs any of these.
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
    "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
    "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "usb",
    "xr-spatial-tracking",
]  # fmt: skip

# Celery. With no CELERY_BROKER_URL, the embedded broker: kombu's filesystem transport in
# VAR_DIR/broker, which needs no server and which the worker and beat of `make run` (ops/run)
# serve, so the embedded default queues, retries and sweeps as production does. Eager
# execution (tasks run in the caller) is for the test suite only (tests/conftest.py).
# (The filesystem transport ignores the host; naming one keeps kombu from warning.)
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "") or "filesystem://localhost/"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Producers and consumers share one folder of messages.
        "data_folder_in": str(_broker_dir / "messages"),
        "data_folder_out": str(_broker_dir / "messages"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("messages", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# TAP's async queries have their own queue, consumed by their own worker (ops/stack,
# docker-compose.yml): a user's query may run for TAP_ASYNC_TIMEOUT_SECONDS, and must never
# hold the slots that SIMBAD resolution, OIFITS fits and releases wait for.
CELERY_TASK_ROUTES = {"vo.uws.tasks.run_job": {"queue": "tap"}}
# A broker that is down must not hang a web request: fail fast, the sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers and beat log through LOGGING below (one JSON object per line in production).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# How often beat asks SIMBAD again about the names it has not settled.
SIMBAD_SWEEP_SECONDS = float(os.environ.get("SIMBAD_SWEEP_SECONDS", "600"))
# How often a worker checks that SIMBAD and the ESO archive answer (what /health reports).
REMOTE_PROBE_SECONDS = float(os.environ.get("REMOTE_PROBE_SECONDS", "300"))
# OIFITS fits take seconds: files still waiting after this long are queued again by beat.
OIFITS_SWEEP_SECONDS = float(os.environ.get("OIFITS_SWEEP_SECONDS", "600"))
CELERY_BEAT_SCHEDULE = {
    "probe-remote-services": {
        "task": "jmdc.tasks.probe_remote_services",
        "schedule": REMOTE_PROBE_SECONDS,
    },
    # Whatever SIMBAD has not settled yet (a lost message, a broker that was down, an
    # outage) is picked up here: nothing depends on a message surviving.
    "sweep-pending-stars": {
        "task": "jmdc.tasks.sweep_pending_stars",
        "schedule": SIMBAD_SWEEP_SECONDS,
    },
    # Stars identified while VizieR was down get their JSDC prediction here.
    "sweep-missing-predictions": {
        "task": "jmdc.tasks.sweep_missing_predictions",
        "schedule": SIMBAD_SWEEP_SECONDS,
    },
    "sweep-queued-oifits": {
        "task": "curation.tasks.sweep_queued_oifits",
        "schedule": OIFITS_SWEEP_SECONDS,
    },
    "purge-old-exports": {"task": "jmdc.tasks.purge_old_exports", "schedule": 3600.0},
    # TAP async jobs past their destruction time (already 404 before this runs) and results.
    "destroy-expired-tap-jobs": {"task": "vo.uws.tasks.destroy_expired_jobs", "schedule": 3600.0},
    "harvest-eso-archive": {"task": "obsportal.tasks.scheduled_harvest", "schedule": 86400.0},
    "identify-exposure-targets": {
        "task": "obsportal.tasks.identify_targets_task",
        "schedule": 3600.0,
    },
}

# The REST API (/api/v1/): personal tokens or the browser's session; reads filtered by
# visible_to(user); errors in one JSON shape (lib/api/errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonThrottle",
        "portal.api.throttling.UserThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "lib.api.errors.error_handler",
    # DRF's own form and multipart parsers, and a JSON parser with a depth limit.
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "lib.api.renderers.BrowsableAPIRenderer",
    ],
}
# The cache holds the API's throttling counters: shared by every process through Redis when
# CACHE_URL is set (production), in this process's memory otherwise.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
        }
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Requests per client: anonymous ones by IP, logged-in ones (token or session) by user.
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_ANON_RATE", "120/min"),
    "user": os.environ.get("API_USER_RATE", "1200/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JMDC portal API",
    "DESCRIPTION": (
        "The JMMC Measured stellar Diameters Catalogue (VizieR II/345) and the VLTI exposures. "
        "Authenticate with a personal token (profile page: /accounts/tokens/) as "
        "`Authorization: Token <key>`, or with the browser's session. Errors come as "
        '`{"status", "code", "message", "errors": [{"field", "row", "code", "message"}]}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A star's sources (jmdc SourceFacts) and a submission's source (web, upload, API) are
    # both fields named "source": each enum gets its own name, the submission's keeping its old one.
    "ENUM_NAME_OVERRIDES": {
        "FactSourceEnum": "jmdc.models.SourceFacts.Source",
        "SourceEnum": "curation.models.Submission.Source",  # its name before the other
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.empty_filters_are_absent",
    ],
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

# SIMBAD, through astroquery. Tests point SIMBAD_TAP_URL at a local stand-in.
SIMBAD_TAP_URL = os.environ.get("SIMBAD_TAP_URL", "https://simbad.cds.unistra.fr/simbad/sim-tap")
SIMBAD_TIMEOUT = float(os.environ.get("SIMBAD_TIMEOUT", "30"))
SIMBAD_MAX_REQUESTS_PER_SECOND = float(os.environ.get("SIMBAD_MAX_REQUESTS_PER_SECOND", "5"))
# First retry of a failed resolution task after about this long, doubling each time.
SIMBAD_RETRY_BASE_SECONDS = float(os.environ.get("SIMBAD_RETRY_BASE_SECONDS", "30"))
SIMBAD_USER_AGENT = os.environ.get(
    "SIMBAD_USER_AGENT", "JMDC-portal/0.1 (JMMC Measured stellar Diameters Catalogue curation)"
)

# VizieR (the JSDC, II/346), through astroquery: its votable endpoint. Tests point it at a
# local stand-in.
VIZIER_URL = os.environ.get("VIZIER_URL", "https://vizier.cds.unistra.fr/viz-bin/votable")
VIZIER_TIMEOUT = float(os.environ.get("VIZIER_TIMEOUT", "30"))
VIZIER_MAX_REQUESTS_PER_SECOND = float(os.environ.get("VIZIER_MAX_REQUESTS_PER_SECOND", "2"))

# An exposure is linked to the star SIMBAD names for its target only when the telescope
# pointed this close to SIMBAD's position: Aspro2's own search radius for a target.
OBSPORTAL_TARGET_MATCH_ARCSEC = float(os.environ.get("OBSPORTAL_TARGET_MATCH_ARCSEC", "30"))

# The ESO archive, harvested for VLTI exposures (obsportal/eso.py). Tests point both URLs at a
# local stand-in. Headers are cached on disk by (DP.ID, modification date) when a folder is set.
ESO_TAP_URL = os.environ.get("ESO_TAP_URL", "https://archive.eso.org/tap_obs")
ESO_HEADER_URL = os.environ.get("ESO_HEADER_URL", "https://archive.eso.org/hdr")
ESO_TIMEOUT = float(os.environ.get("ESO_TIMEOUT", "60"))
ESO_MAX_REQUESTS_PER_SECOND = float(os.environ.get("ESO_MAX_REQUESTS_PER_SECOND", "5"))
ESO_USER_AGENT = os.environ.get("ESO_USER_AGENT", "JMDC-portal/0.1 (ObsPortal harvest)")
ESO_HEADER_CACHE_DIR = os.environ.get("ESO_HEADER_CACHE_DIR", str(VAR_DIR / "eso-headers"))
# Where the first harvest starts (the archive's modification dates), and files per TAP page.
ESO_HARVEST_START = os.environ.get("ESO_HARVEST_START", "2000-01-01T00:00:00")
ESO_HARVEST_PAGE = int(os.environ.get("ESO_HARVEST_PAGE", "500"))

# E-mail: through SMTP when a host is configured; else one file per message in
# EMAIL_FILE_PATH when that is set (the end-to-end tests read the links there); else printed
# on the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "JMDC portal <jmdc-noreply@localhost>")
# Seconds to wait for the mail server (the workers' tasks send; none would wait forever).
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "10"))
# Sign-ups per client address and hour: each one e-mails an address nobody has proved yet.
SIGNUP_RATE_PER_HOUR = int(os.environ.get("SIGNUP_RATE_PER_HOUR", "10"))
# A failing mail server: the e-mail task tries again after 1, 2, 4 ... times this (5 tries).
EMAIL_RETRY_BASE_SECONDS = float(os.environ.get("EMAIL_RETRY_BASE_SECONDS", "60"))
# Where the portal's links in e-mails point to.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The DataCite record of each release (jmdc/formats/datacite.py). JMMC's DOI prefix at DataCite
# (10.NNNN), when it has one: a release's DOI is then <prefix>/jmdc.<version> and its record is
# also written as XML; empty, the record is the draft to register a DOI with (JSON only).
DATACITE_DOI_PREFIX = os.environ.get("DATACITE_DOI_PREFIX", "")
# The catalogue's licence as the records state it. JMMC publishes the JMDC spreadsheets and the
# ReadMe of II/345 in JMMC-OpenDev/SearchCal, whose README says "Public code and Open data under
# GPL3 license"; nothing else we hold states one. VizieR's copy is under CDS's own terms.
DATACITE_RIGHTS = os.environ.get("DATACITE_RIGHTS", "GNU General Public License version 3")
DATACITE_RIGHTS_URI = os.environ.get(
    "DATACITE_RIGHTS_URI", "https://www.gnu.org/licenses/gpl-3.0.html"
)
# How long the link that verifies an account's e-mail address stays valid.
EMAIL_VERIFICATION_DAYS = int(os.environ.get("EMAIL_VERIFICATION_DAYS", "3"))

LOGIN_URL = "login"
# Where a signed-in astronomer lands (after login, sign-up and e-mail verification alike): the
# project names it, the accounts app follows it.
LOGIN_REDIRECT_URL = "curation:my_submissions"
LOGOUT_REDIRECT_URL = "jmdc:catalogue"

# Uploads of submission files: refused above this size with a clear message.
SUBMISSION_UPLOAD_MAX_BYTES = int(
    os.environ.get("SUBMISSION_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024))
)
SUBMISSION_MAX_ROWS = int(os.environ.get("SUBMISSION_MAX_ROWS", "5000"))
# A zip upload (the table and its rows' OIFITS files): refused above this size, the zip as sent
# and its files once unpacked (checked from its directory before anything is unpacked: zip bombs),
# and above this many files.
SUBMISSION_ZIP_MAX_BYTES = int(os.environ.get("SUBMISSION_ZIP_MAX_BYTES", str(200 * 1000 * 1000)))
SUBMISSION_ZIP_MAX_FILES = int(os.environ.get("SUBMISSION_ZIP_MAX_FILES", "500"))
# OIFITS files attached to submitted rows (curation/oifits/): their bytes are kept in the database
# (OifitsFile.content, a bytea on PostgreSQL: the web and the worker share no folder, and a backup
# holds them), refused above OIFITS_MAX_BYTES. 50 MB: the calibrated files of today's instruments
# run from tens of kB (PIONIER, 3 channels) to a few MB (MATISSE LOW, 64 channels: 0.2 MB) and tens
# of MB for a night of GRAVITY at high spectral resolution (~1700 channels on 6 baselines in VIS,
# VIS2, T3 and FLUX); above that a file is no longer one star's diameter data but a whole programme,
# and the worker reads the tables it fits into memory. 50 MB in a bytea is fine for PostgreSQL (its
# limit is 1 GB a value, stored compressed out of line by TOAST); the download and the worker hold
# one file in memory at a time.
OIFITS_MAX_BYTES = int(os.environ.get("OIFITS_MAX_BYTES", str(50 * 1000 * 1000)))
# Free texts people write (comments, reasons of a decision or a correction) are stored and
# mailed: longer ones are refused with a message naming the field.
FREE_TEXT_MAX_CHARS = int(os.environ.get("FREE_TEXT_MAX_CHARS", "5000"))
# Filter texts of the catalogue and exposure searches (an identifier, a bibcode, a target):
# longer ones are refused (a 60,000-character LIKE pattern was a 500 on SQLite).
FILTER_TEXT_MAX_CHARS = int(os.environ.get("FILTER_TEXT_MAX_CHARS", "200"))
# Rows per page of every table (?per_page=): clamped into this range.
TABLE_PER_PAGE_MIN, TABLE_PER_PAGE_MAX = 10, 500
# /search counts the matching exposures up to this many ("more than 10,000" beyond): a full
# COUNT(*) grows with the archive.
EXPOSURE_SEARCH_COUNT_MAX = int(os.environ.get("EXPOSURE_SEARCH_COUNT_MAX", "10000"))
# /scs (Simple Cone Search): rows returned when the client gives no MAXREC, and at most.
SCS_MAXREC = int(os.environ.get("SCS_MAXREC", "10000"))
# Exports of more rows than this are written by a task, with a progress page, and kept for
# EXPORT_KEEP_HOURS; smaller ones stream at once.
EXPORT_STREAM_MAX_ROWS = int(os.environ.get("EXPORT_STREAM_MAX_ROWS", "50000"))
EXPORT_KEEP_HOURS = int(os.environ.get("EXPORT_KEEP_HOURS", "24"))
# How long a signed table link (sent to TOPCAT or Aladin through SAMP for a selection holding
# rows the public cannot see) opens its table: long enough to load it, short enough that a
# link pasted somewhere stops granting the sender's visibility soon.
SIGNED_TABLE_LINK_HOURS = int(os.environ.get("SIGNED_TABLE_LINK_HOURS", "2"))

# The Virtual Observatory's name of this portal: the publisher DIDs of exposures and
# measurements (vo/identifiers.py), which DataLink answers and ObsCore's access_url carries,
# and the identifier of the VOResource record (/vo/resource.xml). Fixed: clients keep them.
VO_IVOID_BASE = "ivo://jmmc.fr/jmdc"
# DataLink {links}: IDs one request may ask for (more is a UsageFault, not a slow answer).
DATALINK_MAX_IDS = int(os.environ.get("DATALINK_MAX_IDS", "100"))
# Who answers for the VO services in their registry record (/vo/resource.xml).
VO_CONTACT_NAME = os.environ.get("VO_CONTACT_NAME", "JMMC user support")
VO_CONTACT_EMAIL = os.environ.get("VO_CONTACT_EMAIL", "")
# TAP: rows returned when the query gives no MAXREC, and at most whatever it asks; how long a
# synchronous query, and an asynchronous job, may run; live async jobs per user; how long a
# finished job is kept before its destruction.
TAP_MAXREC_DEFAULT = int(os.environ.get("TAP_MAXREC_DEFAULT", "10000"))
TAP_MAXREC_HARD = int(os.environ.get("TAP_MAXREC_HARD", "100000"))
TAP_SYNC_TIMEOUT_SECONDS = float(os.environ.get("TAP_SYNC_TIMEOUT_SECONDS", "30"))
TAP_ASYNC_TIMEOUT_SECONDS = float(os.environ.get("TAP_ASYNC_TIMEOUT_SECONDS", "600"))
TAP_ASYNC_JOBS_PER_USER = int(os.environ.get("TAP_ASYNC_JOBS_PER_USER", "10"))
TAP_JOB_LIFETIME = datetime.timedelta(days=int(os.environ.get("TAP_JOB_LIFETIME_DAYS", "7")))
# UWS's WAIT: the longest a job document request blocks (a waiting request holds a web worker).
TAP_UWS_MAX_WAIT_SECONDS = float(os.environ.get("TAP_UWS_MAX_WAIT_SECONDS", "10"))
# What one query may cost before it reaches the database (vo/tap/limits.py says why).
TAP_QUERY_MAX_CHARACTERS = int(os.environ.get("TAP_QUERY_MAX_CHARACTERS", "20000"))
TAP_QUERY_MAX_NESTING = int(os.environ.get("TAP_QUERY_MAX_NESTING", "8"))
# Kept jobs and their stored results, per user (anonymous: per address), finished ones too.
TAP_JOBS_PER_OWNER = int(os.environ.get("TAP_JOBS_PER_OWNER", "100"))
TAP_RESULT_BYTES_PER_OWNER = int(os.environ.get("TAP_RESULT_BYTES_PER_OWNER", str(200 * 10**6)))
# Queries (/tap/sync) and new async jobs per client address (vo/throttling.py).
TAP_THROTTLE_RATE = os.environ.get("TAP_THROTTLE_RATE", "60/min")

# One JSON object per line in production (portal/logs.py), plain lines for developers.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: expected plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "portal.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
