"""The one clock of the platform: every "now" and "today" in the code comes from here.

Tests set the time with `time-machine` (which moves what these functions return), and the demo
takes a fixed `--today`; no service, selector or view calls `date.today()` or `timezone.now()`
itself, so the whole product can be run on any date.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    """The current moment, timezone-aware (UTC inside, shown in Asia/Shanghai)."""
    return timezone.now()


def today() -> datetime.date:
    """Today's date in the organ's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def localtime() -> datetime.datetime:
    """The current moment in the organ's time zone."""
    return timezone.localtime(now())
