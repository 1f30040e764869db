"""Development and the embedded demo: SQLite, DEBUG on, plain HTTP on 127.0.0.1."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DJANGO_DEBUG", True)
