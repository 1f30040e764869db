"""Settings shared by every environment. Environment-specific files import from here."""

from typing import Any

import dj_database_url

from config.env import BASE_DIR, env_int, env_list, env_secret, env_str
from config.keys import sm4_key

SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789"
)
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "apps.core",
    "apps.audit",
    "apps.accounts",
    "apps.organization",
    "apps.workcalendar",
    "apps.notifications",
    "apps.imports",
    "apps.ledger",
    "apps.approvals",
    "apps.attendance",
    "apps.documents",
    "apps.growth",
    "apps.meetings",
    "apps.deputies",
    "apps.party",
    "apps.notices",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.audit.middleware.AuditContextMiddleware",
    "apps.accounts.middleware.PasswordExpiryMiddleware",
    "apps.accounts.middleware.OutsiderGateMiddleware",
]

# Request size (等保: bounded input). A request declaring a larger body is refused with 413 before
# it is read (apps/core/middleware.py): attachments are at most 20 MB each, a few per form.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 50 * 1024 * 1024)
# The form fields other than files, together: bounds every free text a form can carry (a 2 MB
# feedback text is refused with 400); forms cap each text further with a clear message.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# An uploaded file larger than this goes to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)

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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.shell",
            ],
        },
    },
]

# One environment variable chooses the database: SQLite embedded by default, PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several writers (web + worker) on one file: wait for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.RoleBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保三级 password policy: strong hashing, length ≥ 12, three character classes, history of five.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "apps.accounts.validators.CommonPasswordVariantValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "apps.accounts.validators.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
# 三员分立: a change to an administrator's account asked for by one administrator must be
# confirmed by another within this many hours, or it lapses.
ADMIN_CHANGE_REQUEST_HOURS = env_int("ADMIN_CHANGE_REQUEST_HOURS", 72)
# Sign-in failures: LOGIN_MAX_FAILURES failures from one address within LOGIN_THROTTLE_MINUTES
# throttle that address (whatever the names tried); an account is locked for LOGIN_LOCKOUT_MINUTES
# only when failures against it within that time come from LOGIN_LOCK_ADDRESSES different
# addresses, so one machine can never lock an account — an administrator's — by its name alone.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_THROTTLE_MINUTES = env_int("LOGIN_THROTTLE_MINUTES", 15)
LOGIN_LOCK_ADDRESSES = env_int("LOGIN_LOCK_ADDRESSES", 3)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)

# The reverse proxies in front of gunicorn (e.g. 127.0.0.1 for nginx on the same host): only a
# request from one of them has its client address read from X-Forwarded-For (apps/audit/context).
TRUSTED_PROXY_IPS = env_list("DJANGO_TRUSTED_PROXY_IPS", [])

# Idle timeout: the session lives SESSION_COOKIE_AGE seconds after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content security policy: everything from this host only; no inline script.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work: Django's tasks framework with a database-backed queue (no extra server needed).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@organ.invalid")

AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)

# The audit chain's HMAC-SM3 key lives outside the database (apps/audit/services.py): whoever can
# write to the database but does not hold this key cannot rewrite the trail undetected. It comes
# from AUDIT_HMAC_KEY or from the file named by AUDIT_HMAC_KEY_FILE; local, test and bench settings
# fall back to DEVELOPMENT_AUDIT_KEY, production refuses to start without a real one.
DEVELOPMENT_AUDIT_KEY = b"development-only-audit-hmac-key-never-use-in-production"
AUDIT_HMAC_KEY: bytes | None = env_secret("AUDIT_HMAC_KEY", "AUDIT_HMAC_KEY_FILE")
AUDIT_HMAC_KEY_FILE = env_str("AUDIT_HMAC_KEY_FILE", "")  # checked for its permissions
AUDIT_HMAC_KEY_MIN_BYTES = 32
# Signed checkpoints of the chain head are appended to a file in this directory (outside the
# database) and to the log; verify_audit_chain compares the chain against them. Empty: none.
AUDIT_CHECKPOINT_DIR = env_str("AUDIT_CHECKPOINT_DIR", "")

# Secrets that travel in URLs, kept out of every log line (apps/core/logfilters.py): the iCal
# subscription token. Group 1 is kept, what follows it up to the next "/" or space is replaced.
LOG_REDACT_PATTERNS = [r"(/ical/)[^/\s?]+"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "apps.core.logfilters.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        # The development server's request lines, as Django formats them, without the secrets.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact"],
        },
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # The audit checkpoints (INFO) belong in the log whatever the general level: the log is
        # their second copy outside the database.
        "apps.audit.checkpoints": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# The closed-loop ledger: yellow from N workdays before a deadline; the warning climbs to the unit
# head when an item is overdue, and to the leading leader after N more workdays overdue.
LEDGER = {
    "YELLOW_WORKDAYS": env_int("LEDGER_YELLOW_WORKDAYS", 3),
    "ESCALATE_TO_LEADER_WORKDAYS": env_int("LEDGER_ESCALATE_TO_LEADER_WORKDAYS", 3),
    "MAX_IMPORT_ROWS": env_int("LEDGER_MAX_IMPORT_ROWS", 2000),
    "MAX_IMPORT_BYTES": env_int("LEDGER_MAX_IMPORT_BYTES", 5 * 1024 * 1024),
}

# Spreadsheet imports (apps/imports): every upload is read within these bounds. The archive is
# checked before anything is parsed (members, total unpacked size, compression ratio of each member
# over 256 KB), then each worksheet is streamed with a cap on row elements (blank rows included)
# and cells. With these values a worker reading any upload stays within about 128 MB above its
# baseline (measured by apps/imports/tests/test_bounds.py with generated zip bombs).
IMPORTS = {
    "MAX_UPLOAD_BYTES": env_int("IMPORTS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
    "MAX_UNPACKED_BYTES": env_int("IMPORTS_MAX_UNPACKED_BYTES", 32 * 1024 * 1024),
    "MAX_MEMBERS": env_int("IMPORTS_MAX_MEMBERS", 200),
    "MAX_RATIO": env_int("IMPORTS_MAX_RATIO", 100),
    "MAX_ROWS": env_int("IMPORTS_MAX_ROWS", 2000),
    "MAX_SHEET_ROWS": env_int("IMPORTS_MAX_SHEET_ROWS", 50_000),
    "MAX_CELLS": env_int("IMPORTS_MAX_CELLS", 200_000),
    "MAX_COLUMNS": env_int("IMPORTS_MAX_COLUMNS", 100),
}
# Official documents (公文): the PDF embeds free GB 2312 fonts in the four official styles (仿宋,
# 小标宋, 黑体, 楷体), read from this directory; Debian's texlive-lang-chinese installs the Fandol
# family here. The .docx names the official fonts and needs no files.
DOCUMENTS_FONT_DIR = env_str(
    "DOCUMENTS_FONT_DIR", "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
)
DOCUMENTS: dict[str, Any] = {
    "DEFAULT_PREFIX": env_str("DOCUMENTS_DEFAULT_PREFIX", "常办发"),  # 发文代字
    "MAX_DRAFT_CHARS": env_int("DOCUMENTS_MAX_DRAFT_CHARS", 50_000),
    "MAX_ATTACHMENT_BYTES": env_int("DOCUMENTS_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024),
    # Office formats, the national OFD, images and plain text; never executables or archives.
    "ATTACHMENT_EXTENSIONS": env_list(
        "DOCUMENTS_ATTACHMENT_EXTENSIONS",
        ["pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "txt", "jpg", "jpeg", "png"],
    ),
}

# Growing people (apps/growth): the study sign-in window and QR code lifetime, the youth group's age
# limit and reference day, and the default annual training requirement (the office may set each
# year's own on the training page).
GROWTH: dict[str, Any] = {
    "SIGN_IN_EARLY_MINUTES": env_int("GROWTH_SIGN_IN_EARLY_MINUTES", 30),
    "SIGN_IN_LATE_MINUTES": env_int("GROWTH_SIGN_IN_LATE_MINUTES", 0),
    "QR_TOKEN_SECONDS": env_int("GROWTH_QR_TOKEN_SECONDS", 300),
    "YOUTH_AGE_LIMIT": env_int("GROWTH_YOUTH_AGE_LIMIT", 40),
    "YOUTH_REFERENCE_DAY": env_str("GROWTH_YOUTH_REFERENCE_DAY", "01-01"),
    "ANNUAL_TRAINING_HOURS": env_int("GROWTH_ANNUAL_TRAINING_HOURS", 90),
    "MAX_TRAINING_HOURS_PER_DAY": env_int("GROWTH_MAX_TRAINING_HOURS_PER_DAY", 8),
}

# Deputies' suggestions (apps/deputies). The clocks follow 《全国人民代表大会代表建议、批评和意见
# 处理办法》 and the local rules modelled on it: "自交办之日起三个月内答复", extended with the office's
# consent to at most "六个月". They are counted in calendar months as the Civil Code (第二百零一条至
# 第二百零三条) counts a period given in months: the corresponding day of the last month (its last
# day when it has none), moved to the next working day when it falls on a holiday. A regulation that
# counts working days instead sets CLOCK_RULE "workdays" with ANSWER/MAX_WORKDAYS. The return of a
# misassigned suggestion and the office's own steps are counted in working days ("N个工作日内").
DEPUTIES: dict[str, Any] = {
    "CLOCK_RULE": env_str("DEPUTIES_CLOCK_RULE", "months"),
    "ANSWER_MONTHS": env_int("DEPUTIES_ANSWER_MONTHS", 3),
    "MAX_MONTHS": env_int("DEPUTIES_MAX_MONTHS", 6),
    "ANSWER_WORKDAYS": env_int("DEPUTIES_ANSWER_WORKDAYS", 60),
    "MAX_WORKDAYS": env_int("DEPUTIES_MAX_WORKDAYS", 120),
    "RETURN_WORKDAYS": env_int("DEPUTIES_RETURN_WORKDAYS", 10),
    "CO_OPINION_MONTHS": env_int("DEPUTIES_CO_OPINION_MONTHS", 1),
    "REHANDLE_MONTHS": env_int("DEPUTIES_REHANDLE_MONTHS", 1),
    "FEEDBACK_MONTHS": env_int("DEPUTIES_FEEDBACK_MONTHS", 1),
}

# Heart-to-heart talk summaries are encrypted with SM4 under this key, which lives outside the
# database: TALK_SM4_KEY (32 hex digits) or the file named by TALK_SM4_KEY_FILE. Local, test and
# bench settings fall back to DEVELOPMENT_TALK_KEY; production refuses to start without a real one.
DEVELOPMENT_TALK_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
TALK_SM4_KEY: bytes | None = sm4_key("TALK_SM4_KEY")
