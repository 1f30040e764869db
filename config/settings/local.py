"""Development and the embedded demo: SQLite, DEBUG on, plain HTTP on 127.0.0.1."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)

# A fixed audit key so that a developer's database verifies across restarts; never in production.
AUDIT_HMAC_KEY = AUDIT_HMAC_KEY or DEVELOPMENT_AUDIT_KEY  # noqa: F405
AUDIT_CHECKPOINT_DIR = AUDIT_CHECKPOINT_DIR or str(BASE_DIR / "var" / "audit")  # noqa: F405
# A fixed talk key so that a developer's demo talks stay readable across restarts; never in production.
TALK_SM4_KEY = TALK_SM4_KEY or DEVELOPMENT_TALK_KEY  # noqa: F405
