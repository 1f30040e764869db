"""各单位考勤 on the leaders' dashboard (issue 10): this month to date and today by unit, every
number linked to the unit's notice, in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.attendance import services
from apps.attendance.choices import ClockKind, RequestStatus
from apps.attendance.figures import attendance_board
from apps.attendance.models import AttendanceRequest
from apps.core.dashboards import dashboard_for
from apps.core.testing.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
LAST_FRIDAY = dt.date(2026, 2, 27)


def _board(user):
    board = dashboard_for(user)
    tables = {table.key: data for table, data in board.tables}
    return tables.get("attendance.by_unit")


def _row(data, unit):
    return {label: [cell.text for cell in cells] for label, cells in data.rows}[unit]


@pytest.mark.today("2026-03-02")
def test_the_leader_sees_attendance_today_and_this_month_by_unit(client, personas, clock):
    clock(personas.zhou.person, MONDAY, "08:50")  # on time, day under way
    clock(personas.li.person, MONDAY, "09:20")  # late (09:00 + 5 minutes' grace)
    # wu (财经委) has no clock at 10:00: 缺卡. sun (办公室) is on an approved leave today.
    leave = services.request_submit(
        user=personas.sun,
        kind="leave",
        leave_type="annual",
        start_date=MONDAY,
        end_date=MONDAY,
        reason="休假",
    )
    AttendanceRequest.objects.filter(pk=leave.pk).update(status=RequestStatus.APPROVED)
    data = _board(personas.zhao)
    assert data is not None
    # 应出勤 正常 迟到 早退 缺卡 请假 出差 正常率, month to date then today.
    today_legal = _row(data, "法工委")[8:]
    assert today_legal == ["2", "1", "1", "0", "0", "0", "0", "50.0%"]
    assert _row(data, "财经委")[8:] == ["1", "0", "0", "0", "1", "0", "0", "0.0%"]
    assert _row(data, "办公室")[8:13] == ["2", "0", "0", "0", "1"]
    assert _row(data, "办公室")[13] == "1"  # 请假 1天, not "1.0"
    # On the 2nd of March the month to date is today (the 1st was a Sunday).
    assert _row(data, "法工委")[:8] == today_legal
    # Leaders hold no posting: nobody counts them.
    assert sum(int(_row(data, unit)[8]) for unit in ("办公室", "法工委", "财经委")) == 5
    client.force_login(personas.zhao)
    html = client.get("/").content.decode()
    assert "各单位考勤（本月至今、今日）" in html
    for _, cells in data.rows:
        for cell in cells:
            if cell.url:
                assert client.get(cell.url).status_code == 200, cell.url


@pytest.mark.today("2026-03-02")
def test_the_month_to_date_adds_the_judged_days(personas, workday_pair):
    workday_pair(personas.zhou.person, LAST_FRIDAY)  # February: not this month
    services.results_compute_range(start=LAST_FRIDAY, end=LAST_FRIDAY)
    data = attendance_board(personas.zhao, MONDAY)
    assert _row(data, "法工委")[0] == "2"  # today only: the 27th is last month


@pytest.mark.today("2026-03-02")
def test_only_leaders_see_the_table_and_staff_none(personas):
    assert _board(personas.zhao) is not None
    assert _board(personas.zhou) is None
    assert _board(personas.li) is None  # the unit head's desk has its own panels


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@pytest.mark.today("2026-03-02")
def test_the_table_answers_in_constant_queries(client, personas, clock):
    _queries(client, personas.zhao)  # the first request fills the calendar's cache
    small = _queries(client, personas.zhao)
    for n in range(30):
        person = PersonFactory(name=f"干部{n}")
        MembershipFactory(person=person, unit=personas.finance, start_date=dt.date(2020, 1, 1))
        clock(person, MONDAY, "08:40", ClockKind.IN)
    services.results_compute_range(start=dt.date(2026, 3, 1), end=MONDAY)
    assert _queries(client, personas.zhao) == small
