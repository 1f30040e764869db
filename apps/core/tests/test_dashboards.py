"""Each role's first screen (issue 10): the leaders' dashboard, the unit head's desk, the staff home
and the administrators' home, with every figure linked to the rows behind it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.dashboards import dashboard_for
from apps.core.testing.html import assert_no_external_refs
from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.services import ItemSpec

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
ASSIGNED = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
LATER = datetime.datetime(2026, 12, 21, 10, 0, tzinfo=TZ)  # a Monday


def make_items(personas, count: int, unit=None, deadline=datetime.date(2026, 12, 15)) -> None:
    with time_machine.travel(ASSIGNED, tick=False):
        checklist = services.checklist_create(
            actor=personas.sun,
            name=f"清单{count}{(unit or personas.legal).short_name}",
            year=2026,
            source=Source.PARTY_GROUP,
        )
        for n in range(count):
            item = services.item_create(
                actor=personas.sun,
                spec=ItemSpec(
                    checklist=checklist,
                    title=f"事项{n}",
                    lead_unit=unit or personas.legal,
                    deadline=DeadlineSpec(date=deadline),
                    leading_leader=personas.zhao.person,
                    responsible_person=personas.zhou.person,
                    trackers=[],
                    milestones=[],
                ),
            )
            services.item_assign(actor=personas.sun, item=item)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_external_refs(html)
    return html


@time_machine.travel(LATER, tick=False)
def test_the_director_sees_the_organ_at_a_glance(client, personas):
    make_items(personas, 2)
    make_items(personas, 1, unit=personas.finance)
    html = home(client, personas.zhao)
    board = dashboard_for(personas.zhao)
    values = {v.figure.key: v.value for v in board.figures}
    assert values["ledger.overdue"] == 3 and values["ledger.red"] == 3
    assert "approvals.organ" in values and "attendance.away" in values
    assert "各单位情况" in html and "督办事项每月销号" in html
    rows = {row.unit.short_name: row.cells for row in board.unit_rows}
    overdue_column = [c.key for c in board.columns].index("ledger.overdue")
    assert rows["法工委"][overdue_column][0] == 2
    assert rows["财经委"][overdue_column][0] == 1
    assert "今日尚未打卡" not in html


@time_machine.travel(LATER, tick=False)
def test_every_figure_and_cell_opens_for_its_viewer(client, personas):
    make_items(personas, 1)
    for name in ("zhao", "qian", "sun", "li", "zhou", "wu"):
        user = getattr(personas, name)
        client.force_login(user)
        board = dashboard_for(user)
        urls = {v.url for v in board.figures}
        urls |= {url for row in board.unit_rows for _, url in row.cells}
        for url in urls:
            assert client.get(url).status_code == 200, (name, url)


@time_machine.travel(LATER, tick=False)
def test_the_unit_head_sees_his_units_items_red_first(client, personas):
    make_items(personas, 9)
    html = home(client, personas.li)
    assert "本单位督办事项（红色在前）" in html
    assert "暂无需要您办理的督办事项" not in html
    values = {v.figure.key: v.value for v in dashboard_for(personas.li).figures}
    assert values["ledger.red"] == 9
    assert "approvals.organ" not in values
    assert "本单位今日不在岗" in html
    # Another unit's head sees none of them.
    assert {v.figure.key: v.value for v in dashboard_for(personas.wu).figures}.get(
        "ledger.red", 0
    ) == 0


@time_machine.travel(LATER, tick=False)
def test_staff_see_their_own_work_only(client, personas):
    make_items(personas, 1)
    html = home(client, personas.zhou)
    assert "我的督办事项" in html
    assert "各单位情况" not in html
    assert {v.figure.key for v in dashboard_for(personas.zhou).figures} <= {"approvals.mine"}


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
def test_the_three_administrators_see_only_their_duties(client, personas, name):
    html = home(client, getattr(personas, name))
    board = dashboard_for(getattr(personas, name))
    assert board.layout == "admin" and not board.figures and not board.unit_rows
    assert "督办" not in html


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@time_machine.travel(LATER, tick=False)
def test_the_dashboard_answers_in_constant_queries(client, personas):
    make_items(personas, 1)
    small = _queries(client, personas.zhao)
    make_items(personas, 12)
    make_items(personas, 12, unit=personas.finance)
    assert _queries(client, personas.zhao) == small


@time_machine.travel(LATER, tick=False)
def test_the_leader_sees_this_weeks_key_work_from_every_calendar_source(client, personas):
    from apps.ledger import calendar_sources
    from apps.ledger.calendar_sources import CalendarEvent

    make_items(personas, 5, deadline=datetime.date(2026, 12, 23))  # Wednesday of this week
    make_items(personas, 1, deadline=datetime.date(2026, 12, 30))  # next week

    def sessions(user, start, end):
        return [
            CalendarEvent(
                "test-1", datetime.date(2026, 12, 24), "常委会第9次会议", "常委会会议", "/x/"
            )
        ]

    calendar_sources.register_calendar_source("zz-test", sessions)
    try:
        html = home(client, personas.zhao)
        panel = next(
            p for p in dashboard_for(personas.zhao).panels if p.title.startswith("本周重点工作")
        )
    finally:
        calendar_sources._SOURCES.pop("zz-test")
    assert "本周重点工作（12月21日—12月27日）" in html
    labels = [item["label"] for item in panel.items]
    assert labels.count("事项0") == 1 and "事项3" not in labels  # three a day, then "还有N项"
    assert "12月23日 周三还有2项到期事项" in labels
    assert "常委会第9次会议" in labels
    assert all(item["url"] for item in panel.items)
    client.force_login(personas.zhao)
    for item in panel.items:
        if item["url"] != "/x/":
            assert client.get(item["url"]).status_code == 200, item["url"]
    # Only leaders get the panel on their first screen.
    assert not any(p.title.startswith("本周重点工作") for p in dashboard_for(personas.li).panels)


def _clone_items(template_item, count: int, prefix: str, **changes) -> None:
    """`count` more items like `template_item`, written at once (bulk_create), as at scale."""
    from apps.ledger.models import TrackedItem

    rows = []
    for n in range(count):
        row = TrackedItem.objects.get(pk=template_item.pk)
        row.pk = None
        row.serial = f"{prefix}{n:05d}"
        row.title = f"批量事项{n}"
        for field, value in changes.items():
            setattr(row, field, value)
        rows.append(row)
    TrackedItem.objects.bulk_create(rows, batch_size=500)


@time_machine.travel(LATER, tick=False)
def test_every_first_screen_answers_in_the_same_queries_at_small_and_larger_sizes(client, personas):
    """Done-when of issue 10, at test size: the leaders' dashboard, the unit head's desk and the
    staff home cost the same number of queries with a few items and with hundreds (bench/
    dashboard.py measures 50,000 on PostgreSQL)."""
    from apps.ledger.models import TrackedItem

    make_items(personas, 1)
    make_items(personas, 1, unit=personas.finance, deadline=datetime.date(2026, 12, 23))
    viewers = {"leader": personas.zhao, "desk": personas.li, "staff": personas.zhou}
    for user in viewers.values():
        _queries(client, user)  # the first request fills the calendar's cache
    small = {role: _queries(client, user) for role, user in viewers.items()}
    legal = TrackedItem.objects.filter(lead_unit=personas.legal).first()
    this_week = TrackedItem.objects.filter(lead_unit=personas.finance).first()
    _clone_items(legal, 300, "A")
    _clone_items(this_week, 200, "B")
    _clone_items(
        legal, 100, "C", deadline=datetime.date(2027, 3, 1), red_from=None, yellow_from=None
    )
    assert TrackedItem.objects.count() == 602
    larger = {role: _queries(client, user) for role, user in viewers.items()}
    assert larger == small
