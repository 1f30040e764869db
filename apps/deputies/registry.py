"""Duty records that other areas know of (a deputy attending a session, an inspection, ...).

An area registers a source from its own `AppConfig.ready()`; `services.collect_duties(year)`
asks every source for its entries and records each once (by its source key), so attending the
sessions of the sessions area reaches the deputies' records without either area importing the
other's models.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DutyEntry:
    deputy_id: int
    kind: str  # a DutyKind value
    date: datetime.date
    title: str
    source_key: str  # unique per deputy, e.g. "sessions:attendance:42"


DutySource = Callable[[int], Iterable[DutyEntry]]
_SOURCES: dict[str, DutySource] = {}


def register_duty_source(name: str, source: DutySource) -> None:
    _SOURCES[name] = source


def duty_sources() -> dict[str, DutySource]:
    return dict(_SOURCES)
