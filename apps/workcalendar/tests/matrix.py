"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import ORG_READERS, SYSADMIN, Case, fixed

MATRIX = {
    # working-day calendar
    "workcalendar:year_list": Case(fixed("/calendar/"), ok=ORG_READERS),
    "workcalendar:year_detail": Case(fixed("/calendar/2026/"), ok=ORG_READERS),
    "workcalendar:calculator": Case(fixed("/calendar/calculator/"), ok=ORG_READERS),
    "workcalendar:year_enter": Case(
        fixed("/calendar/enter/"),
        ok=SYSADMIN,
        post={"year": "2027", "notice": "冒充", "days": "2027-01-01 元旦"},
    ),
    "workcalendar:notice_paste": Case(
        fixed("/calendar/notice/"),
        ok=SYSADMIN,
        post={
            "text": "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假。",
            "confirm": "1",
        },
    ),
    "workcalendar:year_edit": Case(
        fixed("/calendar/2026/edit/"),
        ok=SYSADMIN,
        post={"notice": "冒充", "days": "2026-01-01 元旦"},
    ),
}
