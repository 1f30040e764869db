"""The one clock of the platform: every "now" and "today" in the code comes from here.

Tests set the time with `time-machine` (which moves what these functions return), and the demo
takes a fixed `--today` through `use_today()`; no service, selector or view calls `date.today()`
or `timezone.now()` itself, so the whole product can be run on any date.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Iterator

from django.utils import timezone

# How far the organ's clock runs from the machine's, inside a `use_today()` block.
_OFFSET: contextvars.ContextVar[datetime.timedelta] = contextvars.ContextVar(
    "organ_clock_offset", default=datetime.timedelta(0)
)


def now() -> datetime.datetime:
    """The current moment, timezone-aware (UTC inside, shown in Asia/Shanghai)."""
    return timezone.now() + _OFFSET.get()


def today() -> datetime.date:
    """Today's date in the organ's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def localtime() -> datetime.datetime:
    """The current moment in the organ's time zone."""
    return timezone.localtime(now())


@contextlib.contextmanager
def use_today(day: datetime.date) -> Iterator[None]:
    """Run the block as if today were `day`, at the same time of day (the clock keeps ticking).
    For commands that build data for a chosen date, such as `seed_demo --today`; rows that Django
    stamps itself (`auto_now`) keep the machine's time."""
    real = timezone.localtime(timezone.now())
    moment = timezone.make_aware(datetime.datetime.combine(day, real.time()))
    token = _OFFSET.set(moment - real)
    try:
        yield
    finally:
        _OFFSET.reset(token)
