"""Other areas' 第一议题 for the growth area's register.

The register lists every 第一议题 the organ studied; some are studied outside the growth area's own
sessions (the party group's meetings take their 第一议题 first). Such an area registers a source
from its own `AppConfig.ready()`; the growth area imports no area that registers one.

A source receives the reader (or None) and the year (or None for every year) and returns its
entries in a constant number of queries; `url` is empty where the reader may not open the record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FirstTopicEntry:
    title: str
    date: datetime.date
    label: str  # where it was studied, e.g. "党组会议（第3次）"
    url: str = ""
    follow_up: str = ""


FirstTopicSource = Callable[[Any, int | None], Iterable[FirstTopicEntry]]

_SOURCES: dict[str, FirstTopicSource] = {}


def register_first_topic_source(name: str, source: FirstTopicSource) -> None:
    """Register (or replace, by name, so a reloaded app never registers twice) a source."""
    _SOURCES[name] = source


def first_topic_sources() -> dict[str, FirstTopicSource]:
    return dict(_SOURCES)
