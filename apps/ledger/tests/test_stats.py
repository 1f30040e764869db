"""Supervision statistics: the figures on a known set of items, the charts' data, the scope."""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.models import Milestone, TrackedItem
from apps.ledger.selectors import closed_per_month, warning_distribution

pytestmark = pytest.mark.django_db

URL = reverse("ledger:statistics")


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def close(personas, item, acknowledger):
    item = services.item_assign(actor=personas.sun, item=item)
    item = services.item_acknowledge(actor=acknowledger, item=item)
    item = services.item_report_completion(actor=acknowledger, item=item, text="已完成")
    item = services.item_verify(actor=personas.sun, item=item)
    return services.item_close(actor=personas.sun, item=item, evidence="办结报告")


def fake_history(item, *, deadline, assigned=None, closed=None):
    """Rewrite an item's dates as if it had lived through them (the services stamp today)."""
    changes = {"deadline": deadline, "warn_from": deadline - datetime.timedelta(days=5)}
    if assigned is not None:
        changes["assigned_at"] = noon(assigned)
    if closed is not None:
        changes["closed_at"] = noon(closed)
    TrackedItem.objects.filter(pk=item.pk).update(**changes)
    Milestone.objects.filter(item=item).update(deadline=deadline, warn_from=deadline)
    services.refresh_warning_dates(TrackedItem.objects.get(pk=item.pk))


@pytest.fixture
def known_set(personas, make_item):
    """法工委: one closed on time (10 days), one closed late (20 days), one overdue.
    财经委: one open, not yet due."""
    on_time = close(personas, make_item(title="按期办结"), personas.zhou)
    fake_history(on_time, deadline=days_ago(10), assigned=days_ago(22), closed=days_ago(12))
    late = close(personas, make_item(title="逾期办结"), personas.zhou)
    fake_history(late, deadline=days_ago(20), assigned=days_ago(35), closed=days_ago(15))
    overdue = services.item_assign(actor=personas.sun, item=make_item(title="逾期未办结"))
    fake_history(overdue, deadline=days_ago(3))
    finance = make_item(
        title="开展预算联网监督",
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        leading_leader=None,
        trackers=[],
        milestones=[],
    )
    finance = services.item_assign(actor=personas.sun, item=finance)
    fake_history(finance, deadline=timezone.localdate() + datetime.timedelta(days=60))
    make_item(title="草稿不计入")  # a draft is not counted anywhere
    return {"on_time": on_time, "late": late, "overdue": overdue, "finance": finance}


class _Table(HTMLParser):
    """{row id: {stat: text}} of the table with the given id."""

    def __init__(self, table_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_id = table_id
        self.inside = False
        self.rows: dict[str, dict[str, str]] = {}
        self._row: str | None = None
        self._stat: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "table" and values.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr" and values.get("data-row-id"):
            self._row = values["data-row-id"]
            self.rows[self._row] = {}
        elif self.inside and self._row and tag == "td":
            self._stat = values.get("data-stat")
            if self._stat:
                self.rows[self._row][self._stat] = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td":
            self._stat = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._row and self._stat:
            self.rows[self._row][self._stat] += data.strip()


def table(response, table_id="stats-by-unit"):
    parser = _Table(table_id)
    parser.feed(response.content.decode())
    return parser.rows


def chart_data(response):
    match = re.search(
        r'<script id="ledger-stats" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries the charts' data"
    return json.loads(match.group(1))


def test_the_known_set_gives_the_known_figures(client, personas, known_set):
    client.force_login(personas.sun)
    response = client.get(URL)
    assert response.status_code == 200
    rows = table(response)
    assert rows[str(personas.legal.pk)] == {
        "total": "3",
        "open": "1",
        "closed": "2",
        "closed_on_time": "1",
        "on_time_rate": "50.0%",
        "overdue": "1",
        "standing": "0",
        "avg_days_to_close": "15",
    }
    assert rows[str(personas.finance.pk)] == {
        "total": "1",
        "open": "1",
        "closed": "0",
        "closed_on_time": "0",
        "on_time_rate": "—",
        "overdue": "0",
        "standing": "0",
        "avg_days_to_close": "—",
    }
    totals = response.context["by_unit_totals"]
    assert totals["total"] == 4 and totals["closed"] == 2 and totals["overdue"] == 1
    assert totals["on_time_rate"] == 50.0 and totals["avg_days_to_close"] == 15.0
    by_list = table(response, "stats-by-checklist")
    [list_row] = by_list.values()
    assert list_row["total"] == "4" and list_row["on_time_rate"] == "50.0%"
    html = response.content.decode()
    # json_script's <script type="application/json"> is data, never run, so the CSP does not
    # apply to it; assert_csp_safe does not know that yet, so the data block is left out here.
    assert_csp_safe(
        re.sub(
            r'<script id="ledger-stats" type="application/json">.*?</script>', "", html, flags=re.S
        )
    )
    assert_no_external_refs(html)
    assert "vendor/echarts/echarts.min.js" in html and "ledger/stats.js" in html


def test_the_charts_data_matches_the_table(client, personas, known_set):
    client.force_login(personas.sun)
    data = chart_data(client.get(URL))
    assert data["units"] == ["法工委", "财经委"]  # short names: long ones collide on the axis
    assert data["onTimeRate"] == [50.0, None]
    # Stacked: open and not overdue, overdue, closed — together the total.
    assert data["open"] == [0, 1]
    assert data["overdue"] == [1, 0]
    assert data["closed"] == [2, 0]
    warnings = {w["key"]: w["value"] for w in data["warnings"]}
    assert warnings == {"red": 1, "yellow": 0, "green": 1}
    assert [w["name"] for w in data["warnings"]] == ["红色预警", "黄色预警（临期）", "绿色（正常）"]
    assert len(data["months"]) == len(data["closedPerMonth"]) == 12
    assert sum(data["closedPerMonth"]) == 2
    this_month = timezone.localdate()
    assert data["months"][-1] == f"{this_month.year}年{this_month.month}月"


def test_closed_per_month_counts_in_the_right_month(personas, known_set):
    rows = closed_per_month(personas.sun)
    by_label = {row["month"]: row["count"] for row in rows}
    expected: dict[str, int] = {}
    for n in (12, 15):
        day = days_ago(n)
        label = f"{day.year}年{day.month}月"
        expected[label] = expected.get(label, 0) + 1
    for label, count in expected.items():
        assert by_label[label] == count
    # Long ago: outside the 12 months shown.
    TrackedItem.objects.filter(pk=known_set["late"].pk).update(closed_at=noon(days_ago(800)))
    assert sum(row["count"] for row in closed_per_month(personas.sun)) == 1


def test_each_aggregate_is_one_query(personas, known_set, django_assert_num_queries):
    personas.sun.refresh_from_db()  # no cached unit ids from earlier calls
    with django_assert_num_queries(1):
        warning_distribution(personas.sun)
    with django_assert_num_queries(1):
        closed_per_month(personas.sun)


def test_the_page_queries_stay_few(client, personas, known_set, django_assert_max_num_queries):
    client.force_login(personas.sun)
    with django_assert_max_num_queries(14):
        client.get(URL)


def test_each_role_sees_its_own_scope(client, personas, known_set):
    expected = {
        "zhao": {personas.legal.pk, personas.finance.pk},  # a leader sees every item
        "qian": {personas.legal.pk, personas.finance.pk},
        "sun": {personas.legal.pk, personas.finance.pk},
        "li": {personas.legal.pk},
        "zhou": {personas.legal.pk},
        "wu": {personas.finance.pk},
    }
    for name, units in expected.items():
        client.force_login(getattr(personas, name))
        response = client.get(URL)
        assert response.status_code == 200, name
        assert {int(pk) for pk in table(response)} == units, name
    client.force_login(personas.wu)
    data = chart_data(client.get(URL))
    assert data["units"] == ["财经委"]
    assert {w["key"]: w["value"] for w in data["warnings"]} == {"red": 0, "yellow": 0, "green": 1}
    assert "法制工作委员会" not in client.get(URL).content.decode()


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_get_403(client, personas, name):
    client.force_login(getattr(personas, name))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_a_checklist_narrows_every_figure(client, personas, known_set, make_item):
    rectification = services.checklist_create(
        actor=personas.sun, name="2026年巡察反馈问题整改清单", year=2026, source=Source.INSPECTION
    )
    item = make_item(
        checklist=rectification,
        title="整改措施落实",
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        leading_leader=None,
        trackers=[],
        milestones=[],
    )
    item = services.item_assign(actor=personas.sun, item=item)
    fake_history(item, deadline=days_ago(1))
    client.force_login(personas.sun)
    response = client.get(URL, {"checklist": rectification.pk})
    rows = table(response)
    assert list(rows) == [str(personas.finance.pk)]
    assert rows[str(personas.finance.pk)]["total"] == "1"
    assert rows[str(personas.finance.pk)]["overdue"] == "1"
    data = chart_data(response)
    assert {w["key"]: w["value"] for w in data["warnings"]} == {"red": 1, "yellow": 0, "green": 0}
    assert f'<option value="{rectification.pk}" selected>' in response.content.decode()


def test_an_unknown_checklist_says_so_and_shows_everything(client, personas, known_set):
    client.force_login(personas.sun)
    for bad in ("999", "abc"):
        response = client.get(URL, {"checklist": bad})
        assert response.status_code == 200
        assert "所选清单不存在" in response.content.decode()
        assert len(table(response)) == 2


def test_no_items_shows_an_empty_state(client, personas):
    client.force_login(personas.zhou)
    response = client.get(URL)
    assert response.status_code == 200
    assert "暂无统计数据" in response.content.decode()
    assert chart_data(response)["units"] == []
