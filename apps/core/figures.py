"""Dashboard figures: each count the organ watches, defined once by the area that owns it.

An area registers a `Figure` in its `AppConfig.ready`: how to count it for a user (within what the
user may see), how to count it per unit in one query, and the link to the list of rows behind it.
The leaders' dashboard, the unit head's desk and the home pages show figures from this registry;
the area's own list filters use the same definition, so the numbers always agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from .gates import BUSINESS, allows


@dataclass(frozen=True)
class Figure:
    key: str  # "ledger.overdue"
    label: str  # "超期未办结"
    area: str  # "督查督办"
    count: Callable[[Any, datetime.date], int]
    url: Callable[[Any, int | None], str]  # (user, unit id or None) → the filtered list
    per_unit: Callable[[Any, datetime.date], dict[int, int]] | None = None
    measure: str = "项"  # what the number counts: 项, 人, 件 ...
    tone: str = "secondary"  # danger, warning, info, success, secondary
    note: str = ""  # one line saying exactly what is counted
    gate: str = BUSINESS
    order: int = 100


@dataclass(frozen=True)
class FigureValue:
    figure: Figure
    value: int
    url: str


_FIGURES: dict[str, Figure] = {}

# A dict the figures of one dashboard build share (e.g. the ledger counts its five figures in one
# query); outside a build every call gets a fresh one, so nothing is ever stale.
_BUILD_CACHE: ContextVar[dict[Any, Any] | None] = ContextVar("figure_build_cache", default=None)


@contextmanager
def one_build() -> Iterator[None]:
    token = _BUILD_CACHE.set({})
    try:
        yield
    finally:
        _BUILD_CACHE.reset(token)


def build_cache() -> dict[Any, Any]:
    cache = _BUILD_CACHE.get()
    return cache if cache is not None else {}


def register_figure(figure: Figure) -> Figure:
    return _FIGURES.setdefault(figure.key, figure)


def figure(key: str) -> Figure:
    return _FIGURES[key]


def figures_for(user: Any) -> list[Figure]:
    return sorted(
        (f for f in _FIGURES.values() if allows(user, f.gate)), key=lambda f: (f.order, f.key)
    )


def figure_values(
    user: Any,
    today: datetime.date,
    unit_id: int | None = None,
    only: Callable[[Figure], bool] | None = None,
) -> list[FigureValue]:
    """Every figure the user may see (or those `only` keeps: the others are not counted at all),
    counted within the user's scope (or one unit of it)."""
    values = []
    for found in figures_for(user):
        if only is not None and not only(found):
            continue
        if unit_id is None:
            value = found.count(user, today)
        elif found.per_unit is not None:
            value = found.per_unit(user, today).get(unit_id, 0)
        else:
            continue
        values.append(FigureValue(found, value, found.url(user, unit_id)))
    return values


def unit_table(user: Any, today: datetime.date) -> tuple[list[Figure], dict[int, dict[str, int]]]:
    """The figures that count per unit, and for each unit id its counts by figure key."""
    columns = [f for f in figures_for(user) if f.per_unit is not None]
    table: dict[int, dict[str, int]] = {}
    for column in columns:
        assert column.per_unit is not None
        for unit_id, value in column.per_unit(user, today).items():
            table.setdefault(unit_id, {})[column.key] = value
    return columns, table


@dataclass(frozen=True)
class Trend:
    """A series across the year, drawn as a chart on the leaders' dashboard (with its table)."""

    key: str
    label: str
    series: Callable[[Any, datetime.date], list[tuple[str, int]]]
    url: Any = ""  # the page behind the chart (a lazy reverse)
    measure: str = "项"
    gate: str = BUSINESS
    order: int = 100


_TRENDS: dict[str, Trend] = {}


def register_trend(trend: Trend) -> Trend:
    return _TRENDS.setdefault(trend.key, trend)


def trends_for(user: Any, today: datetime.date) -> list[dict[str, Any]]:
    rows = []
    for trend in sorted(_TRENDS.values(), key=lambda t: (t.order, t.key)):
        if allows(user, trend.gate):
            points = trend.series(user, today)
            rows.append(
                {"trend": trend, "labels": [p[0] for p in points], "values": [p[1] for p in points]}
            )
    return rows


@dataclass(frozen=True)
class TableCell:
    text: str
    url: str = ""
    tone: str = ""  # a Bootstrap colour name for the number, or ""


@dataclass(frozen=True)
class TableData:
    """What a dashboard table shows: the column heads (optionally grouped under a header row of
    (label, span)), one row per unit or thing with its cells, and a line saying what is counted."""

    columns: list[str]
    rows: list[tuple[str, list[TableCell]]]
    groups: list[tuple[str, int]] = field(default_factory=list)
    note: str = ""
    more_url: str = ""


@dataclass(frozen=True)
class BoardTable:
    """A table on a dashboard that an area builds in a constant number of queries (e.g. attendance
    today and this month by unit). `layouts` names the dashboards that show it."""

    key: str
    title: str
    build: Callable[[Any, datetime.date], TableData | None]
    gate: str = BUSINESS
    layouts: frozenset[str] = frozenset({"leader"})
    order: int = 100


_TABLES: dict[str, BoardTable] = {}


def register_table(table: BoardTable) -> BoardTable:
    return _TABLES.setdefault(table.key, table)


def tables_for(user: Any, today: datetime.date, layout: str) -> list[tuple[BoardTable, TableData]]:
    built = []
    for table in sorted(_TABLES.values(), key=lambda t: (t.order, t.key)):
        if layout in table.layouts and allows(user, table.gate):
            data = table.build(user, today)
            if data is not None:
                built.append((table, data))
    return built
