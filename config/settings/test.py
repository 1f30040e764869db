"""The test suite: fast hashing, in-memory caches, tasks run immediately unless a test says otherwise."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# A fixed key; no checkpoint file unless a test gives it a directory of its own (tmp_path), since
# one file shared by tests with different databases would not match any of them.
AUDIT_HMAC_KEY = DEVELOPMENT_AUDIT_KEY  # noqa: F405
AUDIT_CHECKPOINT_DIR = ""
TALK_SM4_KEY = DEVELOPMENT_TALK_KEY  # noqa: F405
