"""Settings, all from environment variables, each with a default that works locally.

A fresh checkout runs with nothing set: SQLite files and uploads under ``./var``, the
django-q2 queue in its own SQLite file, no Redis. ``DATABASE_URL`` and ``REDIS_URL``
move the same code to PostgreSQL and Redis.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: str) -> int:
    return int(os.getenv(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.getenv(name, default).split(",") if part.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.getenv("DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", "True")

INSECURE_SECRET_KEY = "django-insecure-local-development-only-never-in-production"
SECRET_KEY = os.getenv("SECRET_KEY", INSECURE_SECRET_KEY)
if not DEBUG and (SECRET_KEY == INSECURE_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development default or shorter than 50 characters. "
        "Set SECRET_KEY to a long random value, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

# By default the address `make run` serves on, so links in emails reach it on any PORT.
SITE_URL = os.getenv("SITE_URL", f"http://127.0.0.1:{os.getenv('PORT', '8000')}").rstrip("/")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    # daphne first: its runserver replaces Django's, serving HTTP and WebSocket alike.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "django_q",
    "axes",
    "pipeline",
    "projects",
]

MIDDLEWARE = [
    # First, so that a database too busy to answer (anywhere below) becomes a 503.
    "config.overload.DatabaseBusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "projects.middleware.TokenAuthMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into its 429 answer. Sync only, so
    # that the whole chain and the view run in one hop to a thread (config/throttle.py).
    "config.throttle.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "projects.context_processors.membership",
            ],
        },
    },
]


# Databases. SQLite: WAL lets the web process read while a worker writes; IMMEDIATE
# takes the write lock at BEGIN, because a deferred transaction that reads and then
# writes fails at once with "database is locked" whatever the timeout.
# Connections persist (CONN_MAX_AGE None): opening one runs the PRAGMAs and registers
# Django's functions, and closing one may checkpoint the WAL, ~2 ms of a report GET's 6.
# A process keeps one per thread that touches the database (the web reuses its request
# threads, config/threads.py), and Django still drops one left unusable by an error.
def sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASE_URL = os.getenv("DATABASE_URL", "")
REDIS_URL = os.getenv("REDIS_URL", "")

# PostgreSQL: each process keeps a bounded pool (psycopg_pool through Django) instead of a
# connection per thread, so connections = processes x DB_POOL_MAX_SIZE at most, whatever
# the traffic. A request that finds the pool empty waits DB_POOL_TIMEOUT seconds, then is
# answered 503 with Retry-After (config/overload.py). DB_POOL_MAX_SIZE=0 turns the pool off
# (a connection per request thread, closed after each request).
DB_POOL_MAX_SIZE = envint("DB_POOL_MAX_SIZE", "4")
DB_POOL_TIMEOUT = float(os.getenv("DB_POOL_TIMEOUT", "10"))
# How many daphne processes `serve` starts on its port.
WEB_PROCESSES = envint("WEB_PROCESSES", "2")
# The niceness `serve` gives the worker (supervise --cluster and qcluster): runs take the
# CPU the web leaves, so a busy worker does not slow every page and API call.
WORKER_NICE = envint("WORKER_NICE", "10")
# How many requests each runs (middleware and view) at a time; the rest wait their turn
# on the event loop (config/threads.py). Like DB_POOL_MAX_SIZE: a request never waits
# for a connection its process is holding for another.
WEB_THREADS = envint("WEB_THREADS", "4")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    postgres = DATABASES["default"]["ENGINE"].endswith("postgresql")
    # django-q2 forks its workers from a process that has used the database, after
    # closing its connections; with a pool, "closing" hands the connection back to a
    # pool the child inherits, socket and all, and parent and children then talk over
    # one session (each reading the others' replies). The cluster's processes connect
    # directly instead: one connection each, really closed before a fork.
    cluster_process = len(sys.argv) > 1 and sys.argv[1] == "qcluster"
    if postgres and DB_POOL_MAX_SIZE > 0 and not cluster_process:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            # Opened on demand, given back after an idle minute: a quiet process holds
            # none, and the cap is what another program sharing the server must leave.
            "min_size": 0,
            "max_size": DB_POOL_MAX_SIZE,
            "max_idle": 60,
            "timeout": DB_POOL_TIMEOUT,
        }
    elif postgres:
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # The queue lives in its own file so that the workers' polling never takes the
    # application database's write lock.
    DATABASES = {
        "default": sqlite(DATA_DIR / "cma.sqlite3"),
        "queue": sqlite(DATA_DIR / "queue.sqlite3"),
    }
DATABASE_ROUTERS = ["config.routers.QueueRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: an event is published once and each daphne hands it to its own
            # sockets, instead of one Redis message per socket (500 sockets on a run were
            # 2,000 Redis round trips a second). Pub/sub does not keep a message for a
            # process that is away; the consumers fill any gap from the event table.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 15}], "prefix": "cma"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # In-memory groups never cross processes: the pipeline's relay feeds them from the
    # event table instead (see pipeline/events.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "pipeline.layers.ScalableInMemoryChannelLayer"}}

# django-q2. The engine owns recovery of runs (heartbeat + sweep), so the broker must
# never redeliver on its own in a loop: one attempt, failures acknowledged. A task is
# killed after `timeout` seconds; `retry` (when an unacknowledged task is handed out
# again) must exceed it, or a long task runs twice.
Q_WORKERS = envint("Q_WORKERS", "2")
Q_CLUSTER = {
    "name": "cma",
    "workers": Q_WORKERS,
    "recycle": 200,
    "timeout": 1800,
    "retry": 1980,
    "max_attempts": 1,
    "ack_failures": True,
    "save_limit": 500,
    "catch_up": False,
    # Without Redis the queue is a table the pusher reads every `poll` seconds when it is
    # empty: a run waits half of it on average before a worker starts it. 0.1 s costs
    # about 1% of a core while idle (0.5 s: 0.5%), measured on the embedded default.
    "poll": 0.1,
    "label": "Tasks",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default" if DATABASE_URL else "queue"

# The pipeline engine (pipeline/). Runs belong to projects; the engine never imports them.
# Like AUTH_USER_MODEL: set before the first migrate, never changed on a database.
PIPELINE_SUBJECT_MODEL = "projects.Project"
PIPELINE_DEFAULT = "cma"
PIPELINE_EVENT_TRANSPORT = "redis" if REDIS_URL else "relay"
# A worker's heartbeat beats this often; a run silent for PIPELINE_STALE_SECONDS lost
# its worker and the sweep recovers it.
PIPELINE_HEARTBEAT_SECONDS = envint("PIPELINE_HEARTBEAT_SECONDS", "5")
PIPELINE_STALE_SECONDS = envint("PIPELINE_STALE_SECONDS", "60")
PIPELINE_WS_PING_SECONDS = envint("PIPELINE_WS_PING_SECONDS", "20")
# Extra modules that register pipelines (the tests' toy pipeline, for a real worker).
PIPELINE_MODULES = envlist("PIPELINE_MODULES", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password guesses (config/throttle.py): axes' check comes first, Django's own backend
# (config/auth.py: its session user comes with the firm) then checks the password.
# Attempts live in the database, shared by every web process. A session names the backend
# that signed it in: ModelBackend stays listed so that sessions it signed in before
# MemberBackend replaced it stay signed in (MemberBackend's refusal is final, so a wrong
# password is not checked twice).
AUTHENTICATION_BACKENDS = [
    "config.throttle.ThrottleBackend",
    "config.auth.MemberBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "10")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
# Either alone locks: one account guessed from many addresses, or one address trying many
# accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "config.throttle.normalise_username"
AXES_LOCKOUT_CALLABLE = "config.throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Behind proxies their address would be everyone's: with THROTTLE_PROXY_COUNT=N the client's
# is the one the N-th proxy from us appended to X-Forwarded-For.
THROTTLE_PROXY_COUNT = envint("THROTTLE_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "config.throttle.client_address"
AXES_VERBOSE = False
# Axes' check looks for its middleware by name; MIDDLEWARE has it as a sync-only subclass
# (config/throttle.py), last as axes asks.
SILENCED_SYSTEM_CHECKS = ["axes.W002"]
CSRF_FAILURE_VIEW = "config.http.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "project-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-in"
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start without it
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads and reports are never served as static media: only views that check the
# firm hand them out, so MEDIA_URL is deliberately not routed anywhere.
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", DATA_DIR / "files")).resolve()
MEDIA_URL = "/private-files-are-not-served/"

MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", "25")
MAX_UPLOAD_FILES = envint("MAX_UPLOAD_FILES", "20")
# Django's own guard sits above ours, so a user sees our clearer message first.
DATA_UPLOAD_MAX_NUMBER_FILES = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_TEMP_DIR = None

EMAIL_URL = os.getenv("EMAIL_URL", "console://" if DEBUG else f"file://{DATA_DIR / 'mail'}")
_email = dj_email_url.parse(EMAIL_URL)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"]
if EMAIL_URL.startswith("file:///") and EMAIL_FILE_PATH and not EMAIL_FILE_PATH.startswith("/"):
    # dj-email-url reads file:///srv/mail as the relative "srv/mail" (it wants four
    # slashes): the mail would land under whatever directory the server started in.
    EMAIL_FILE_PATH = "/" + EMAIL_FILE_PATH
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "CMA Pipeline <cma@localhost>")

# Database sessions, their read compiled once (config/sessions.py): every signed-in page
# reads one first. In the database, so a logout ends the session in every process.
SESSION_ENGINE = "config.sessions"

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "False")
    SILENCED_SYSTEM_CHECKS += [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
