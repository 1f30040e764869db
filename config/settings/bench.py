"""The benchmark harness (bench/run.py): production-like, but on plain HTTP at 127.0.0.1.

It starts from `base` rather than `production` because production insists on a secret key from the
environment, HTTPS-only cookies (which a client on http://127.0.0.1 would never send back) and a
Redis cache; everything that shapes a request's cost is kept: DEBUG off, Argon2 hashing, persistent
database connections, the full middleware stack. Static files are served by WhiteNoise from a
collectstatic run into bench/results/ (plain StaticFilesStorage, no manifest to build).
"""

import dj_database_url

from config.env import BASE_DIR, env_int, env_str

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "bench-only-key-never-used-outside-127.0.0.1-" + "x" * 20)
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False

# PostgreSQL, as in production; bench/run.py passes DATABASE_URL for the database it created.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_organ"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}

ROOT_URLCONF = "config.urls_bench"

# Server-Timing header with the request's server time and SQL query count, measured outermost.
BENCH_SERVER_TIMING = True
MIDDLEWARE = ["apps.core.middleware.ServerTimingMiddleware", *MIDDLEWARE]

STATIC_ROOT = BASE_DIR / "bench" / "results" / "staticfiles"

AUDIT_HMAC_KEY = AUDIT_HMAC_KEY or DEVELOPMENT_AUDIT_KEY  # noqa: F405
AUDIT_CHECKPOINT_DIR = str(BASE_DIR / "bench" / "results" / "audit")
TALK_SM4_KEY = TALK_SM4_KEY or DEVELOPMENT_TALK_KEY  # noqa: F405
