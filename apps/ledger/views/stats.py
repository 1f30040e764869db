"""Supervision statistics (督办统计): per unit and per list, with charts drawn by ledger/stats.js.

The tables are the figures; the charts draw the same figures and the tables stay on the page as
their accessible fallback (and what prints).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.accounts.decorators import business_required
from apps.core import params
from apps.core.types import AuthenticatedRequest

from .. import selectors


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The whole organ's row: sums, and rates recomputed from the sums (not averaged)."""
    if not rows:
        return None
    keys = ("total", "open", "closed", "closed_dated", "closed_on_time", "overdue", "standing")
    totals: dict[str, Any] = {key: sum(row[key] for row in rows) for key in keys}
    dated = totals["closed_dated"]  # standing tasks count neither as on time nor as late
    totals["on_time_rate"] = round(100 * totals["closed_on_time"] / dated, 1) if dated else None
    # Every closed item was assigned first (the lifecycle requires it), so a row's average weighs
    # by its closed count.
    timed = [
        (row["avg_days_to_close"], row["closed"])
        for row in rows
        if row["avg_days_to_close"] is not None
    ]
    weight = sum(count for _, count in timed)
    totals["avg_days_to_close"] = (
        round(sum(days * count for days, count in timed) / weight, 1) if weight else None
    )
    return totals


@business_required
@require_GET
def statistics_view(request: AuthenticatedRequest) -> HttpResponse:
    """`?checklist=<id>`: the figures of the items the user may see, per unit and per list."""
    checklists = list(selectors.checklists_for(request.user))
    checklist = None
    raw = request.GET.get("checklist", "").strip()
    if raw:
        wanted = params.parse_id(raw)
        checklist = next((c for c in checklists if c.pk == wanted), None)
        if checklist is None:
            messages.error(request, "所选清单不存在，已显示全部清单的统计。")
    checklist_id = checklist.pk if checklist else None

    by_unit = selectors.statistics(request.user, by="unit", checklist_id=checklist_id)
    by_checklist = selectors.statistics(request.user, by="checklist", checklist_id=checklist_id)
    warnings = selectors.warning_distribution(request.user, checklist_id)
    monthly = selectors.closed_per_month(request.user, checklist_id)
    chart_data = {
        "units": [row["short_name"] for row in by_unit],
        "onTimeRate": [row["on_time_rate"] for row in by_unit],
        "open": [row["open"] - row["overdue"] for row in by_unit],
        "overdue": [row["overdue"] for row in by_unit],
        "closed": [row["closed"] for row in by_unit],
        "warnings": warnings,
        "months": [row["month"] for row in monthly],
        "closedPerMonth": [row["count"] for row in monthly],
    }
    return render(
        request,
        "ledger/statistics.html",
        {
            "checklists": checklists,
            "checklist": checklist,
            "by_unit": by_unit,
            "by_unit_totals": _totals(by_unit),
            "by_checklist": by_checklist,
            "by_checklist_totals": _totals(by_checklist),
            "warnings": warnings,
            "open_total": sum(row["value"] for row in warnings),
            "monthly": monthly,
            "chart_data": chart_data,
        },
    )
