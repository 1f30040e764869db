"""The key-work calendar page and the feed settings page (the feeds themselves: test_ical.py)."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.core.testing.html import assert_csp_safe, assert_no_external_refs
from apps.ledger import feeds, services
from apps.ledger.models import CalendarFeedToken
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.services import clear_cache

pytestmark = pytest.mark.django_db

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
    "zhao": (True, False),  # leads the 法工委 item only
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


def test_a_year_without_calendar_data_is_said_once_and_still_drawn(client, personas):
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2099-06-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("2099年的法定节假日和调休安排尚未录入") == 1
    found = cells(response)
    assert len(found.cells) == 35
    assert "cal-weekend" in found.classes["2099-06-13"]  # a Saturday, by the plain weekday rule


def test_next_years_days_closing_a_december_grid_need_no_warning(client, personas):
    CalendarYear.objects.filter(year=2027).delete()
    clear_cache()
    client.force_login(personas.zhou)
    response = client.get(URL, {"date": "2026-12-10"})
    assert "2027-01-03" in cells(response).cells
    assert "尚未录入" not in response.content.decode()
    week = client.get(URL, {"view": "week", "date": "2026-12-31"})
    assert week.content.decode().count("2027年的法定节假日和调休安排尚未录入") == 1


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
