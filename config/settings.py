"""Dampingi settings. Every deployment-specific value comes from the environment.

See docs/operations.md for the full list of variables.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY",
    # A fixed key is only acceptable for local trial runs; production must set one.
    "insecure-local-trial-key-change-me" if DEBUG or env_bool("DAMPINGI_LOCAL_TRIAL", False) else None,
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "dampingi.core",
    "dampingi.accounts",
    "dampingi.regions",
    "dampingi.audit",
    "dampingi.clients",
    "dampingi.cases",
    "dampingi.assessments",
    "dampingi.plans",
    "dampingi.instruments",
    "dampingi.ecomaps",
    "dampingi.genograms",
    "dampingi.summaries",
    "dampingi.directory",
    "dampingi.notifications",
    "dampingi.referrals",
    "dampingi.conferences",
    "dampingi.imports",
    "dampingi.bench",
    "dampingi.reports",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dampingi.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "dampingi.notifications.context_processors.unread_count",
            ],
            "string_if_invalid": env_str("DAMPINGI_TEMPLATE_INVALID", ""),
        },
    }
]
FORM_RENDERER = "dampingi.core.forms.DampingiFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; a busy timeout avoids
    # "database is locked" under the light concurrency of a local install.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel plans for the app's queries: a page's statements take milliseconds, a parallel
    # plan's workers take longer to start than they save and take the cores that other requests
    # need (on 2 cores at 100,000 clients the visibility test went parallel: 1.5 -> 7 ms, more
    # under load; docs/performance.md). No JIT either: compiling a search statement took 30-80 ms.
    # Migration core.0001 also sets jit off on the database, but a database copied from a
    # template or restored from a plain dump loses that setting; the connection's does not.
    # libpq's "options"; DAMPINGI_PG_OPTIONS replaces them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env_str(
        "DAMPINGI_PG_OPTIONS", "-c max_parallel_workers_per_gather=0 -c jit=off"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("DAMPINGI_TIME_ZONE", "Asia/Jakarta")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DAMPINGI_SESSION_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The address of the site, for links in e-mails.
DAMPINGI_SITE_URL = env_str("DAMPINGI_SITE_URL", "http://127.0.0.1:8000")
# Uploaded registers wait here for the import worker: on several app machines, a shared directory.
DAMPINGI_IMPORTS_INBOX = Path(env_str("DAMPINGI_IMPORTS_INBOX", str(BASE_DIR / "imports-inbox")))
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Dampingi <dampingi@localhost>")

# Background tasks (huey): reminders and notifications. With REDIS_URL set, the queue lives in
# Redis (production, several app processes); otherwise in a SQLite file beside the database, so
# that a local install needs nothing more. The worker runs as `manage.py run_huey`.
_REDIS_URL = env_str("REDIS_URL", "")
HUEY = {
    "name": "dampingi",
    "immediate": env_bool("DAMPINGI_TASKS_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": env_int("DAMPINGI_TASK_WORKERS", 1), "worker_type": "thread"},
}
if _REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": _REDIS_URL}
else:
    HUEY |= {
        "huey_class": "huey.SqliteHuey",
        "filename": env_str("DAMPINGI_TASKS_DB", str(BASE_DIR / "tasks.sqlite3")),
    }

# Lists show this many rows a page.
DAMPINGI_PAGE_SIZE = env_int("DAMPINGI_PAGE_SIZE", 25)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DAMPINGI_LOG_LEVEL", "INFO")},
    # WeasyPrint (the PDF summary) reports each rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
