"""Standing tasks (长期坚持): no final deadline, followed up by feedback, shown as 长期."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.ledger import selectors, services
from apps.ledger.choices import FeedbackRule, Status
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.importing import STANDING, parse_deadline

pytestmark = pytest.mark.django_db

# Mid-year, so that every date the tests compute falls in a year with calendar data.
MID_YEAR = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


def standing_item(make_item, **overrides):
    overrides.setdefault("feedback_rule", FeedbackRule.MONTHLY)
    return make_item(
        standing=True,
        deadline=DeadlineSpec(date=datetime.date(2026, 12, 31)),
        milestones=[],
        **overrides,
    )


@pytest.mark.parametrize("text", ["长期坚持", "持续推进", "常态化", "长期", "常态化开展"])
def test_the_usual_words_for_a_standing_task(text):
    assert parse_deadline(text, year=2026, today=datetime.date(2026, 6, 15)) is STANDING


def test_a_standing_task_needs_a_feedback_rule(make_item):
    with pytest.raises(ValidationError, match="长期坚持的事项须有反馈要求"):
        standing_item(make_item, feedback_rule=FeedbackRule.NONE)


@time_machine.travel(MID_YEAR, tick=False)
def test_red_for_missed_feedback_never_for_its_deadline(personas, make_item):
    item = standing_item(make_item)
    assert item.is_standing and item.deadline_note == "长期坚持"
    assert item.red_from.year == 9999  # a draft owes no feedback yet
    item = services.item_assign(actor=personas.sun, item=item)
    item.refresh_from_db()
    assert item.feedback_due is not None
    assert item.red_from == item.feedback_due + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime(2027, 1, 5, 9, 0, tzinfo=datetime.UTC)):
        overdue = selectors.ledger_items(personas.sun, selectors.LedgerFilters(figure="overdue"))
        assert item not in overdue  # past 12-31, yet not overdue by deadline


@time_machine.travel(MID_YEAR, tick=False)
def test_statistics_count_it_neither_on_time_nor_late(personas, make_item, client):
    item = services.item_assign(actor=personas.sun, item=standing_item(make_item))
    services.item_acknowledge(actor=personas.zhou, item=item)
    rows = selectors.statistics(personas.sun)
    legal = next(row for row in rows if row["name"] == "法制工作委员会")
    assert (legal["standing"], legal["overdue"], legal["on_time_rate"]) == (1, 0, None)
    client.force_login(personas.sun)
    html = client.get(reverse("ledger:item_list")).content.decode()
    assert "长期</span>" in html


@time_machine.travel(MID_YEAR, tick=False)
def test_the_form_registers_a_standing_task(client, personas, checklist):
    client.force_login(personas.sun)
    response = client.post(
        reverse("ledger:item_create"),
        {
            "checklist": checklist.pk,
            "kind": "matter",
            "title": "常态化开展立法调研",
            "source": "party_group",
            "lead_unit": personas.legal.pk,
            "deadline_mode": "standing",
            "feedback_rule": FeedbackRule.MONTHLY,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item = checklist.items.get()
    assert (item.is_standing, item.status, item.deadline) == (
        True,
        Status.DRAFT,
        datetime.date(2026, 12, 31),
    )


@time_machine.travel(MID_YEAR, tick=False)
def test_no_deadline_reminder_and_no_calendar_entry_for_a_standing_task(personas, make_item):
    from apps.ledger.feeds import feed_events, person_feed_items
    from apps.ledger.reminders import send_reminders
    from apps.notifications.models import Notification

    item = services.item_assign(actor=personas.sun, item=standing_item(make_item))
    with time_machine.travel(datetime.datetime(2027, 1, 4, 1, 0, tzinfo=datetime.UTC)):
        send_reminders(datetime.date(2027, 1, 4))
    titles = list(Notification.objects.values_list("title", flat=True))
    assert not any("【逾期】" in t or "【临期】" in t for t in titles), titles
    items = person_feed_items(personas.zhou)
    assert item in items  # still the person's item, but it has no day to mark in a calendar
    events = feed_events(items, today=datetime.date(2026, 12, 1), item_url=str)
    assert not [event for event in events if event.day == datetime.date(2026, 12, 31)]


@time_machine.travel(MID_YEAR, tick=False)
def test_a_standing_task_followed_up_every_quarter(personas, make_item):
    item = standing_item(make_item, feedback_rule=FeedbackRule.QUARTERLY)
    item = services.item_assign(actor=personas.sun, item=item)
    item.refresh_from_db()
    # Assigned on Monday 2026-06-15: the first report is owed three months later, on Tuesday
    # 2026-09-15 (a working day), and the item turns red the day after it.
    assert item.feedback_due == datetime.date(2026, 9, 15)
    assert item.red_from == datetime.date(2026, 9, 16)


def test_three_months_from_the_end_of_a_month_keeps_to_the_month():
    from apps.ledger.deadlines import add_months

    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 10, 31), 1) == datetime.date(2026, 11, 30)
    assert add_months(datetime.date(2026, 12, 5), 1) == datetime.date(2027, 1, 5)
