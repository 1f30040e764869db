"""Who must hear when a year's official arrangement replaces its provisional one.

Areas that store dates computed from workdays (ledger deadlines and warning dates, attendance
results, …) register a listener from their own `AppConfig.ready()`. The calendar calls every
listener inside the transaction that saves the arrangement, so the new days and every date
recomputed from them commit together, or not at all. The calendar imports no area.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ArrangementChange:
    """The years whose arrangement was announced or corrected, who did it, the reason shown on
    each moved date, and the days whose kind (workday or rest) or name changed."""

    years: tuple[int, ...]
    actor: Any  # the account that entered the notice, or None for a package upgrade
    reason: str  # e.g. "因2027年节假日安排公布"
    days: frozenset[datetime.date] = field(default_factory=frozenset)


# A listener recomputes what it stored from the changed years and returns how many records moved.
ArrangementListener = Callable[[ArrangementChange], int]

_LISTENERS: dict[str, ArrangementListener] = {}


def register_arrangement_listener(name: str, listener: ArrangementListener) -> None:
    """Register (or replace, by name, so a reloaded app never registers twice) a listener."""
    _LISTENERS[name] = listener


def arrangement_listeners() -> dict[str, ArrangementListener]:
    return dict(_LISTENERS)


def notify_arrangement_changed(change: ArrangementChange) -> dict[str, int]:
    """Run every listener (inside the caller's transaction); how many records each moved."""
    return {name: listener(change) for name, listener in _LISTENERS.items()}
