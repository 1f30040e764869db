"""Home-page panel of the working-day calendar, for whoever maintains it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.accounts.permissions import Capability, has_capability
from apps.core.navigation import HomePanel

from . import selectors


def missing_year_panel(user: Any) -> HomePanel | None:
    """Warn the system administrator when next year's (or, worse, this year's) holiday
    arrangement is missing: every deadline computed in workdays past 31 December would fail."""
    if not has_capability(user, Capability.MANAGE_CALENDAR):
        return None
    items = []
    this_year = selectors.this_year_missing()
    if this_year is not None:
        items.append(
            {
                "label": f"{this_year}年节假日安排尚未录入，工作日无法计算",
                "url": reverse("workcalendar:year_enter") + f"?year={this_year}",
                "meta": "请立即录入",
                "tone": "danger",
            }
        )
    next_year = selectors.next_year_missing()
    if next_year is not None:
        season = selectors.notice_season()
        items.append(
            {
                "label": f"{next_year}年节假日安排尚未录入",
                "url": reverse("workcalendar:year_enter") + f"?year={next_year}",
                "meta": "国务院办公厅通知发布后请及时录入"
                if season
                else "通知通常于10月至12月发布",
                "tone": "warning" if season else "info",
            }
        )
    if not items:
        return None
    return HomePanel(
        title="工作日历",
        items=items,
        more_url=reverse("workcalendar:year_list"),
        order=8,
    )
