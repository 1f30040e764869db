"""The key-work calendar page and the feed settings page (the feeds themselves: test_ical.py)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.ledger import feeds, services
from apps.ledger.calendar_days import calendar_day_entries
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.models import CalendarFeedToken, TrackedItem
from apps.ledger.selectors import calendar_entries
from apps.ledger.services import MilestoneSpec
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.services import clear_cache

# The fixtures below are dated around 2026-11: the clock is set to match.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

URL = reverse("ledger:calendar")
LEGAL_TITLE = "推进立法联系点建设"
FINANCE_TITLE = "开展预算联网监督"


class _Cells(HTMLParser):
    """The text of every element carrying data-date, keyed by that date."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.cells: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        date = values.get("data-date")
        if date:
            self.cells[date] = ""
            self.classes[date] = values.get("class") or ""
        if tag not in {"br", "input", "img", "meta", "link"}:
            self._stack.append((tag, date))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, date in reversed(self._stack):
            if date:
                self.cells[date] += data
                break


def cells(response) -> _Cells:
    parser = _Cells()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def legal_item(personas, make_item):
    """法工委 leads it (zhou responsible, zhao leading, sun tracking): due 2026-12-15, node 12-01."""
    return services.item_assign(actor=personas.sun, item=make_item(title=LEGAL_TITLE))


@pytest.fixture
def finance_item(personas, make_item):
    """财经委 leads it (wu responsible), no leading leader, nobody tracking; due 2026-12-15."""
    item = make_item(
        title=FINANCE_TITLE,
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        leading_leader=None,
        trackers=[],
        milestones=[],
    )
    return services.item_assign(actor=personas.sun, item=item)


# ---------------------------------------------------------------------------------------------
# Who may open it
# ---------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
@pytest.mark.parametrize("url_name", ["ledger:calendar", "ledger:feed_settings"])
def test_the_three_administrators_get_403(client, personas, name, url_name):
    client.force_login(getattr(personas, name))
    assert client.get(reverse(url_name)).status_code == 403
    assert not CalendarFeedToken.objects.exists()


# ---------------------------------------------------------------------------------------------
# Month and week
# ---------------------------------------------------------------------------------------------

SCOPES = {
    # persona: (sees the 法工委 item, sees the 财经委 item)
    "zhao": (True, True),  # a leader sees every item (issue 10)
    "qian": (True, True),  # head of the office: the office sees everything
    "sun": (True, True),
    "li": (True, False),
    "zhou": (True, False),
    "wu": (False, True),
}


@pytest.mark.parametrize("name", SCOPES)
def test_month_puts_each_visible_entry_in_its_day(client, personas, legal_item, finance_item, name):
    sees_legal, sees_finance = SCOPES[name]
    client.force_login(getattr(personas, name))
    response = client.get(URL, {"date": "2026-12-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年12月" in html
    found = cells(response)
    # The grid runs Monday 2026-11-30 to Sunday 2027-01-03: five whole weeks.
    days = list(found.cells)
    assert days[0] == "2026-11-30" and days[-1] == "2027-01-03"
    assert len(found.cells) == 35
    deadline_cell = found.cells["2026-12-15"]
    assert (LEGAL_TITLE in deadline_cell) is sees_legal
    assert (FINANCE_TITLE in deadline_cell) is sees_finance
    assert ("完成调研" in found.cells["2026-12-01"]) is sees_legal
    assert all(LEGAL_TITLE not in text for day, text in found.cells.items() if day != "2026-12-15")
    legal_link = reverse("ledger:item_detail", args=[legal_item.pk])
    finance_link = reverse("ledger:item_detail", args=[finance_item.pk])
    assert (legal_link in html) is sees_legal
    assert (finance_link in html) is sees_finance
    assert_csp_safe(html)
    assert_no_external_refs(html)


def test_week_has_seven_days_with_the_entries_of_each(client, personas, legal_item, finance_item):
    client.force_login(personas.zhou)
    response = client.get(URL, {"view": "week", "date": "2026-12-16"})
    assert response.status_code == 200
    found = cells(response)
    assert list(found.cells) == [f"2026-12-{day}" for day in range(14, 21)]
    assert LEGAL_TITLE in found.cells["2026-12-15"] and "截止" in found.cells["2026-12-15"]
    assert FINANCE_TITLE not in response.content.decode()
    assert "12月15日 周二" in found.cells["2026-12-15"]
    assert "周视图" in response.content.decode()


def test_wu_sees_only_finance_in_the_week(client, personas, legal_item, finance_item):
    client.force_login(personas.wu)
    response = client.get(URL, {"view": "week", "date": "2026-11-30"})
    found = cells(response)
    assert "完成调研" not in found.cells["2026-12-01"]
    response = client.get(URL, {"view": "week", "date": "2026-12-15"})
    assert FINANCE_TITLE in cells(response).cells["2026-12-15"]
    assert LEGAL_TITLE not in response.content.decode()


def test_entries_are_coloured_by_warning(client, personas, legal_item, finance_item):
    today = timezone.localdate()
    services.item_cancel(actor=personas.sun, item=finance_item, reason="不再督办")
    # Move the 法工委 item into the past: it is overdue (red) today.
    type(legal_item).objects.filter(pk=legal_item.pk).update(
        deadline=today - datetime.timedelta(days=2), warn_from=today - datetime.timedelta(days=9)
    )
    services.refresh_warning_dates(type(legal_item).objects.get(pk=legal_item.pk))
    client.force_login(personas.sun)
    response = client.get(
        URL, {"view": "week", "date": (today - datetime.timedelta(days=2)).isoformat()}
    )
    html = response.content.decode()
    assert "cal-entry-red" in html and "（逾期）" in html
    # A cancelled item leaves the calendar.
    assert FINANCE_TITLE not in html


def test_navigation_keeps_the_view_and_the_unit(client, personas, legal_item):
    client.force_login(personas.sun)
    response = client.get(URL, {"date": "2026-12-10", "unit": personas.legal.pk})
    assert (
        response.context["previous_url"]
        == f"{URL}?view=month&date=2026-11-01&unit={personas.legal.pk}"
    )
    assert (
        response.context["next_url"] == f"{URL}?view=month&date=2027-01-01&unit={personas.legal.pk}"
    )
    week = client.get(URL, {"view": "week", "date": "2026-12-10"})
    assert week.context["previous_url"] == f"{URL}?view=week&date=2026-12-03"
    assert week.context["next_url"] == f"{URL}?view=week&date=2026-12-17"
    assert week.context["today_url"].endswith(f"date={timezone.localdate().isoformat()}")


def test_the_unit_filter_shows_one_unit(client, personas, legal_item, finance_item):
    client.force_login(personas.sun)
    response = client.get(URL, {"date": "2026-12-10", "unit": personas.finance.pk})
    found = cells(response)
    assert FINANCE_TITLE in found.cells["2026-12-15"]
    assert LEGAL_TITLE not in found.cells["2026-12-15"]
    assert f'<option value="{personas.finance.pk}" selected>' in response.content.decode()


def test_a_unit_filter_for_an_unknown_unit_says_so_and_shows_all(client, personas, legal_item):
    client.force_login(personas.sun)
    response = client.get(URL, {"date": "2026-12-10", "unit": "abc"})
    assert response.status_code == 200
    assert "所选单位不存在" in response.content.decode()
    assert LEGAL_TITLE in cells(response).cells["2026-12-15"]


def test_holidays_and_adjusted_workdays_are_marked(client, personas):
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2026-10-01"})
    found = cells(response)
    assert "国庆节" in found.cells["2026-10-01"]
    assert "cal-holiday" in found.classes["2026-10-01"]
    assert "调休上班" in found.cells["2026-10-10"]
    assert "cal-workday" in found.classes["2026-10-10"]
    assert "调休上班" not in found.cells["2026-10-01"]
    # An ordinary Wednesday is neither.
    assert "cal-normal" in found.classes["2026-10-14"]
    assert "cal-weekend" in found.classes["2026-10-18"]


def test_a_year_without_calendar_data_is_drawn_provisionally_and_said_once(client, personas):
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2099-10-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("2099年的节假日安排尚未公布") == 1
    found = cells(response)
    assert "cal-weekend" in found.classes["2099-10-10"]  # a Saturday, by the plain weekday rule
    assert "cal-holiday" in found.classes["2099-10-01"]  # 国庆节, as the law fixes it


def test_next_years_days_closing_a_december_grid_need_no_warning(client, personas):
    CalendarYear.objects.filter(year=2027).delete()
    clear_cache()
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2026-12-10"})
    assert "2027-01-03" in cells(response).cells
    assert "cal-holiday" in cells(response).classes["2027-01-01"]
    assert "尚未公布" not in response.content.decode()
    week = client.get(URL, {"view": "week", "date": "2026-12-31"})
    assert week.content.decode().count("2027年的节假日安排尚未公布") == 1


def test_a_bad_date_says_so_and_shows_this_month(client, personas):
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2026-13-45"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "日期“2026-13-45”无法识别" in html
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月" in html
    assert response.context["day"] == today


def test_an_unknown_view_falls_back_to_the_month(client, personas):
    client.force_login(personas.zhou)
    response = client.get(URL, {"view": "year", "date": "2026-12-10"})
    assert response.status_code == 200
    assert response.context["view"] == "month"


def test_the_page_has_the_phone_list_labels(client, personas, legal_item):
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2026-12-10"})
    html = response.content.decode()
    # Every cell carries its full date, which calendar.css shows when the grid becomes a list.
    assert "12月15日 周二" in cells(response).cells["2026-12-15"]
    assert "ledger/calendar.css" in html


def test_the_calendar_writes_nothing(client, personas, legal_item):
    client.force_login(personas.sun)
    before = AuditEvent.objects.count()
    client.get(URL, {"date": "2026-12-10"})
    assert AuditEvent.objects.count() == before


def test_month_queries_do_not_grow_with_entries(
    client, personas, make_item, django_assert_max_num_queries
):
    for n in range(6):
        services.item_assign(actor=personas.sun, item=make_item(title=f"事项{n}"))
    client.force_login(personas.sun)
    with django_assert_max_num_queries(15):
        client.get(URL, {"date": "2026-12-10"})


# ---------------------------------------------------------------------------------------------
# A busy day: the first few entries and "还有N项"
# ---------------------------------------------------------------------------------------------

# A Wednesday after the fixtures' dates (2026-12-01, 2026-12-15), like them still ahead.
BUSY_DAY = datetime.date(2026, 12, 16)


def recolour(items, **dates):
    """Change stored dates behind the services' back, then let them re-derive the colour."""
    TrackedItem.objects.filter(pk__in=[item.pk for item in items]).update(**dates)
    for item in TrackedItem.objects.filter(pk__in=[item.pk for item in items]):
        services.refresh_warning_dates(item)


@pytest.fixture
def fill_busy_day(personas, make_item):
    """Assign `count` 法工委 items due on BUSY_DAY, titled 忙碌事项00, 忙碌事项01, ..."""

    def fill(count, start=0):
        items = [
            services.item_assign(
                actor=personas.sun,
                item=make_item(
                    title=f"忙碌事项{n:02d}",
                    deadline=DeadlineSpec(date=BUSY_DAY),
                    milestones=[],
                ),
            )
            for n in range(start, start + count)
        ]
        # Green until a test says otherwise: no warning before the day itself.
        recolour(items, warn_from=BUSY_DAY)
        return items

    return fill


def test_a_busy_day_shows_four_and_links_to_the_rest(client, personas, fill_busy_day):
    fill_busy_day(7)
    client.force_login(personas.sun)
    response = client.get(URL, {"date": BUSY_DAY.isoformat()})
    cell = cells(response).cells[BUSY_DAY.isoformat()]
    assert cell.count("忙碌事项") == 4
    assert "还有3项" in cell
    html = response.content.decode()
    assert f'href="/ledger/?due={BUSY_DAY.isoformat()}"' in html
    assert "共 7 项" in html  # the toolbar still counts every entry of the month
    assert_csp_safe(html)


def test_the_rest_link_keeps_the_unit_filter(client, personas, fill_busy_day):
    fill_busy_day(5)
    client.force_login(personas.sun)
    response = client.get(URL, {"date": BUSY_DAY.isoformat(), "unit": personas.legal.pk})
    assert "还有1项" in cells(response).cells[BUSY_DAY.isoformat()]
    link = f"/ledger/?due={BUSY_DAY.isoformat()}&amp;unit={personas.legal.pk}"
    assert f'href="{link}"' in response.content.decode()


def test_a_day_with_four_or_fewer_has_no_rest_link(client, personas, fill_busy_day):
    fill_busy_day(4)
    client.force_login(personas.sun)
    response = client.get(URL, {"date": BUSY_DAY.isoformat()})
    cell = cells(response).cells[BUSY_DAY.isoformat()]
    assert cell.count("忙碌事项") == 4
    assert "还有" not in cell and "?due=" not in response.content.decode()


def test_the_rest_link_leads_to_the_ledger_of_that_day(client, personas, fill_busy_day):
    fill_busy_day(7)
    client.force_login(personas.sun)
    response = client.get(reverse("ledger:item_list"), {"due": BUSY_DAY.isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"忙碌事项{n:02d}" in html for n in range(7))


def test_a_week_day_shows_twelve(client, personas, fill_busy_day):
    fill_busy_day(14)
    client.force_login(personas.sun)
    response = client.get(URL, {"view": "week", "date": BUSY_DAY.isoformat()})
    cell = cells(response).cells[BUSY_DAY.isoformat()]
    assert cell.count("忙碌事项") == 12
    assert "还有2项" in cell


def test_a_busy_day_shows_red_then_yellow_then_the_rest(client, personas, fill_busy_day):
    today = timezone.localdate()
    items = fill_busy_day(7)
    # The last items registered are the urgent ones: colour, not registration order, ranks them.
    recolour([items[6]], feedback_due=today - datetime.timedelta(days=1))  # a missed feedback
    recolour(items[4:6], warn_from=today)  # due soon
    client.force_login(personas.sun)
    response = client.get(URL, {"date": BUSY_DAY.isoformat()})
    cell = cells(response).cells[BUSY_DAY.isoformat()]
    order = [cell.index(f"忙碌事项{n:02d}") for n in (6, 4, 5, 0)]
    assert order == sorted(order)
    assert "忙碌事项01" not in cell
    assert "还有3项" in cell


def test_deadlines_come_before_milestones_of_the_same_colour(personas, make_item):
    day = BUSY_DAY
    with_node = services.item_assign(
        actor=personas.sun,
        item=make_item(
            title="先登记带节点",
            deadline=DeadlineSpec(date=day + datetime.timedelta(days=10)),
            milestones=[MilestoneSpec("节点甲", day), MilestoneSpec("节点乙", day)],
        ),
    )
    later = services.item_assign(
        actor=personas.sun,
        item=make_item(title="后登记截止", deadline=DeadlineSpec(date=day), milestones=[]),
    )
    # All green: no warning before the day itself.
    with_node.milestones.update(warn_from=day)
    recolour([with_node, later], warn_from=day)
    result = calendar_day_entries(personas.sun, day, day, per_day=2)
    assert result.totals == {day: 3}
    assert [(entry.kind, entry.title) for entry in result.shown[day]] == [
        ("deadline", "后登记截止"),
        ("milestone", "节点甲"),
    ]
    # A milestone due soon (yellow) outranks a green deadline.
    with_node.milestones.filter(title="节点乙").update(warn_from=timezone.localdate())
    result = calendar_day_entries(personas.sun, day, day, per_day=1)
    assert [entry.title for entry in result.shown[day]] == ["节点乙"]
    assert result.shown[day][0].warning == "yellow"


def _entry_key(entry):
    return (entry.day, entry.kind, entry.item_id, entry.title)


def test_the_scope_and_colours_match_calendar_entries(
    personas, legal_item, finance_item, fill_busy_day
):
    """Same items, same entries, same colours as the selector that fetches every entry."""
    fill_busy_day(3)
    start, end = datetime.date(2026, 11, 1), BUSY_DAY + datetime.timedelta(days=31)
    for name in SCOPES:
        user = getattr(personas, name)
        for unit_id in (None, personas.finance.pk):
            every = calendar_entries(user, start, end, unit_id)
            capped = calendar_day_entries(user, start, end, unit_id, per_day=1000)
            assert sum(capped.totals.values()) == len(every)
            shown = [entry for day in capped.shown.values() for entry in day]
            assert sorted(shown, key=_entry_key) == sorted(every, key=_entry_key)


def _month_queries(client, day):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"date": day.isoformat()})
    assert response.status_code == 200
    return len(queries)


def test_month_queries_are_the_same_for_5_and_60_entries_a_day(client, personas, fill_busy_day):
    client.force_login(personas.sun)
    fill_busy_day(5)
    _month_queries(client, BUSY_DAY)  # warm the working-day calendar's cache
    few = _month_queries(client, BUSY_DAY)
    fill_busy_day(55, start=5)
    many = _month_queries(client, BUSY_DAY)
    assert few == many
    assert (
        "还有56项"
        in cells(client.get(URL, {"date": BUSY_DAY.isoformat()})).cells[BUSY_DAY.isoformat()]
    )


# ---------------------------------------------------------------------------------------------
# Feed settings and reset
# ---------------------------------------------------------------------------------------------


def test_feed_settings_show_the_personal_and_unit_addresses(client, personas):
    client.force_login(personas.zhou)
    response = client.get(reverse("ledger:feed_settings"))
    assert response.status_code == 200
    token = CalendarFeedToken.objects.get(user=personas.zhou).token
    html = response.content.decode()
    assert f"http://testserver/ledger/ical/{token}/person.ics" in html
    assert f'http://testserver/ledger/ical/{token}/unit.ics"' in html  # zhou's one unit: no ?unit
    assert f"unit.ics?unit={personas.finance.pk}" not in html  # not another unit's
    assert "Outlook" in html and "iPhone" in html
    assert_csp_safe(html)
    assert_no_external_refs(html)
    # A second visit keeps the same token.
    client.get(reverse("ledger:feed_settings"))
    assert CalendarFeedToken.objects.get(user=personas.zhou).token == token


def test_the_office_may_subscribe_to_any_unit(client, personas):
    client.force_login(personas.sun)
    html = client.get(reverse("ledger:feed_settings")).content.decode()
    token = feeds.feed_token_for(personas.sun).token
    assert f"/ledger/ical/{token}/unit.ics?unit={personas.finance.pk}" in html
    assert f"/ledger/ical/{token}/unit.ics?unit={personas.legal.pk}" in html


def test_reset_gives_a_new_token_and_the_old_one_stops_working(client, personas):
    old = feeds.feed_token_for(personas.zhou).token
    assert client.get(reverse("ledger:person_feed", args=[old])).status_code == 200
    client.force_login(personas.zhou)
    response = client.post(reverse("ledger:feed_reset"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:feed_settings")
    new = CalendarFeedToken.objects.get(user=personas.zhou).token
    assert new != old and len(new) >= 43
    client.logout()
    assert client.get(reverse("ledger:person_feed", args=[old])).status_code == 404
    assert client.get(reverse("ledger:unit_feed", args=[old])).status_code == 404
    assert client.get(reverse("ledger:person_feed", args=[new])).status_code == 200
    event = AuditEvent.objects.filter(object_type="ledger.calendarfeedtoken").latest("id")
    assert old not in str(event.detail) and new not in str(event.detail)


def test_reset_is_post_only_and_not_for_administrators(client, personas):
    client.force_login(personas.zhou)
    assert client.get(reverse("ledger:feed_reset")).status_code == 405
    assert not CalendarFeedToken.objects.exists()
    client.force_login(personas.sysadmin)
    assert client.post(reverse("ledger:feed_reset")).status_code == 403
    assert not CalendarFeedToken.objects.exists()
