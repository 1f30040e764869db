"""Home-page panel of the working-day calendar, for whoever maintains it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from apps.accounts.permissions import Capability, has_capability
from apps.core import clock
from apps.core.navigation import HomePanel

from . import selectors


def provisional_year_panel(user: Any) -> HomePanel | None:
    """Remind the system administrator to enter this or next year's arrangement: until then the
    calendar works from the statutory holidays alone (预估) and every date reaching into the year
    carries that mark."""
    if not has_capability(user, Capability.MANAGE_CALENDAR):
        return None
    this_year = clock.today().year
    urgent = selectors.notice_season()
    items = [
        {
            "label": f"录入{year}年节假日安排",
            "url": reverse("workcalendar:notice_paste") + f"?year={year}",
            "meta": "现按预估" if urgent or year == this_year else "10—12月公布",
            "tone": "warning" if urgent or year == this_year else "info",
        }
        for year in selectors.provisional_years()
    ]
    if not items:
        return None
    return HomePanel(
        title="工作日历",
        items=items,
        more_url=reverse("workcalendar:year_list"),
        order=8,
    )
