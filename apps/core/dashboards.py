"""Each role's first screen, assembled from what the areas register (figures, trends, panels).

- 常委会领导: the leaders' dashboard (领导驾驶舱): the organ's figures, the per-unit table, the
  trends across the year, then the panels (what he personally leads, approvals).
- 单位负责人: the unit head's desk: the unit's figures (within his scope), then the panels (the
  unit's items red first, what waits for his decision, who is away today).
- staff: the panels (today's clock state, my items due soon, my requests).
- 三员: their own duties only (pending accounts, change requests, the audit chain).
- outsiders (外部单位联络员、人大代表): only the panels registered for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apps.accounts.choices import ADMIN_ROLES, Role
from apps.accounts.permissions import is_outsider
from apps.core import clock
from apps.organization.models import Unit

from .figures import (
    BoardTable,
    Figure,
    FigureValue,
    TableData,
    figure_values,
    one_build,
    tables_for,
    trends_for,
    unit_table,
)
from .navigation import HomePanel, home_panels_for

LAYOUTS: dict[str, str] = {
    Role.LEADER: "leader",
    Role.UNIT_HEAD: "desk",
    Role.OFFICE_STAFF: "staff",
    Role.STAFF: "staff",
}


@dataclass
class UnitRow:
    unit: Unit
    cells: list[tuple[int, str]]  # (value, url) per column


@dataclass
class Dashboard:
    layout: str
    figures: list[FigureValue] = field(default_factory=list)
    columns: list[Figure] = field(default_factory=list)
    unit_rows: list[UnitRow] = field(default_factory=list)
    trends: list[dict[str, Any]] = field(default_factory=list)
    tables: list[tuple[BoardTable, TableData]] = field(default_factory=list)
    panels: list[HomePanel] = field(default_factory=list)


def layout_for(user: Any) -> str:
    if getattr(user, "role", None) in ADMIN_ROLES:
        return "admin"
    if is_outsider(user):
        return "outsider"  # only the panels registered for outsiders
    return LAYOUTS.get(str(getattr(user, "role", "")), "staff")


def dashboard_for(user: Any) -> Dashboard:
    with one_build():
        return _build(user)


def _build(user: Any) -> Dashboard:
    today = clock.today()
    board = Dashboard(layout=layout_for(user), panels=home_panels_for(user))
    if board.layout in {"leader", "desk", "staff"}:
        # Staff see only the figures that concern them personally (none of the organ's), and the
        # others are not even counted: at 50,000 items each costs a scan of the staff's scope.
        personal = (lambda f: f.key.endswith(".mine")) if board.layout == "staff" else None
        board.figures = figure_values(user, today, only=personal)
    if board.layout == "leader":
        board.columns, table = unit_table(user, today)
        units = Unit.objects.filter(is_active=True).order_by("sort_order", "id")
        board.unit_rows = [
            UnitRow(
                unit,
                [
                    (table.get(unit.pk, {}).get(column.key, 0), column.url(user, unit.pk))
                    for column in board.columns
                ],
            )
            for unit in units
        ]
        board.trends = trends_for(user, today)
    if board.layout in {"leader", "desk"}:
        board.tables = tables_for(user, today, board.layout)
    return board
