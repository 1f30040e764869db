"""Dates computed before next year's holidays are announced: 预估, then recomputed on announcement."""

import datetime

import pytest

from apps.ledger import services
from apps.ledger.choices import EventKind, FeedbackRule
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.services import MilestoneSpec
from apps.notifications.models import Notification
from apps.workcalendar import services as calendar
from apps.workcalendar.models import CalendarYear

D = datetime.date
ASSIGNED = datetime.datetime(
    2026, 12, 20, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)

# A fictional 2027 arrangement: 元旦 as the law says; 春节 with two make-up Saturdays, the first on
# 30 January, which the provisional year (no make-up days guessed) counted as a rest day.
HOLIDAYS_2027 = [(D(2027, 1, 1), "元旦")] + [
    (D(2027, 2, 5) + datetime.timedelta(days=n), "春节") for n in range(9)
]
WORKDAYS_2027 = [(D(2027, 1, 30), "春节"), (D(2027, 2, 20), "春节")]


@pytest.fixture
def december_2026(db, time_machine):
    CalendarYear.objects.filter(year=2027).delete()
    calendar.clear_cache()
    time_machine.move_to(ASSIGNED)


def enter_2027(actor, holidays=HOLIDAYS_2027, workdays=WORKDAYS_2027):
    return calendar.calendar_year_enter(
        actor=actor,
        year=2027,
        notice="国务院办公厅关于2027年部分节假日安排的通知（测试）",
        holidays=holidays,
        workdays=workdays,
    )


def test_thirty_workdays_assigned_on_20_december_are_provisional_then_move(
    december_2026, personas, make_item, django_capture_on_commit_callbacks
):
    item = make_item(
        deadline=DeadlineSpec(workdays=30, base=D(2026, 12, 20)),
        feedback_rule=FeedbackRule.MONTHLY,
        milestones=[MilestoneSpec("完成初稿", D(2027, 1, 20))],
    )
    item = services.item_assign(actor=personas.sun, item=item)
    item.refresh_from_db()
    # Provisional 2027: 元旦 rests, no make-up day, so the 30th workday is Monday 1 February.
    assert (item.deadline, item.deadline_provisional) == (D(2027, 2, 1), True)
    assert item.deadline_note == "2026年12月20日后30个工作日"
    assert (item.feedback_due, item.feedback_provisional) == (D(2027, 1, 20), True)
    assert item.warn_from == D(2027, 1, 27) and item.warn_provisional
    assert item.milestones.get().warn_provisional

    with django_capture_on_commit_callbacks(execute=True):
        enter_2027(personas.sysadmin)
    item.refresh_from_db()
    # Saturday 30 January is a make-up workday: it is the 30th workday.
    assert (item.deadline, item.deadline_provisional) == (D(2027, 1, 30), False)
    assert (item.warn_from, item.warn_provisional) == (D(2027, 1, 27), False)
    assert (item.feedback_due, item.feedback_provisional) == (D(2027, 1, 20), False)
    assert not item.milestones.get().warn_provisional
    assert item.red_from == D(2027, 1, 21)  # the feedback owed on 20 January comes first
    event = item.events.get(kind=EventKind.RECALCULATED)
    assert event.note == ("因2027年节假日安排公布，办结时限由2027-02-01调整为2027-01-30。")
    assert event.actor == personas.sysadmin
    notice = Notification.objects.get(recipient=personas.zhou, title__startswith="时限调整")
    assert "办结时限由2027-02-01调整为2027-01-30" in notice.body


def test_typed_dates_never_move_and_unchanged_items_get_no_event(
    december_2026, personas, make_item
):
    typed = make_item(deadline=DeadlineSpec(date=D(2027, 2, 1)), milestones=[])
    assert not typed.deadline_provisional and typed.warn_provisional
    unchanged = make_item(
        title="另一事项", deadline=DeadlineSpec(date=D(2027, 3, 1)), milestones=[]
    )
    enter_2027(personas.sysadmin)
    typed.refresh_from_db()
    assert typed.deadline == D(2027, 2, 1)
    # Three workdays before 1 February now include Saturday 30 January.
    assert typed.warn_from == D(2027, 1, 28) and not typed.warn_provisional
    assert typed.events.filter(kind=EventKind.RECALCULATED).count() == 1
    unchanged.refresh_from_db()
    assert unchanged.warn_from == D(2027, 2, 24) and not unchanged.warn_provisional
    assert not unchanged.events.filter(kind=EventKind.RECALCULATED).exists()


def test_a_warning_date_that_moves_is_explained(december_2026, personas, make_item):
    item = make_item(deadline=DeadlineSpec(date=D(2027, 2, 3)), milestones=[])
    assert item.warn_from == D(2027, 1, 29)
    enter_2027(personas.sysadmin)
    item.refresh_from_db()
    assert item.warn_from == D(2027, 1, 30)
    assert item.events.get(kind=EventKind.RECALCULATED).note == (
        "因2027年节假日安排公布，临期预警起始日由2027-01-29调整为2027-01-30。"
    )


def test_a_refused_arrangement_moves_nothing(december_2026, personas, make_item):
    item = make_item(deadline=DeadlineSpec(workdays=30, base=D(2026, 12, 20)), milestones=[])
    with pytest.raises(Exception, match="不能既是法定节假日又是调休上班日"):
        enter_2027(personas.sysadmin, workdays=[*WORKDAYS_2027, (D(2027, 2, 6), "春节")])
    item.refresh_from_db()
    assert (item.deadline, item.deadline_provisional) == (D(2027, 2, 1), True)
    assert not item.events.filter(kind=EventKind.RECALCULATED).exists()
    assert calendar.is_provisional(2027)


def test_a_package_upgrade_moves_them_too(december_2026, personas, make_item, monkeypatch, capsys):
    import chinese_calendar
    from django.core.management import call_command

    item = make_item(deadline=DeadlineSpec(workdays=30, base=D(2026, 12, 20)), milestones=[])
    holidays = dict(chinese_calendar.holidays)
    holidays.update({day: "Spring Festival" for day, _ in HOLIDAYS_2027 if _ == "春节"})
    holidays[D(2027, 1, 1)] = "New Year's Day"
    workdays = dict(chinese_calendar.workdays)
    workdays.update({day: "Spring Festival" for day, _ in WORKDAYS_2027})
    monkeypatch.setattr(chinese_calendar, "holidays", holidays)
    monkeypatch.setattr(chinese_calendar, "workdays", workdays)
    call_command("calendar_load_package")
    assert "新增 2027 年" in capsys.readouterr().out
    item.refresh_from_db()
    assert (item.deadline, item.deadline_provisional) == (D(2027, 1, 30), False)
    event = item.events.get(kind=EventKind.RECALCULATED)
    assert event.actor is None and event.note.startswith("因2027年节假日安排公布")
    # Running it again finds nothing to do and writes nothing.
    call_command("calendar_load_package")
    assert item.events.filter(kind=EventKind.RECALCULATED).count() == 1


def test_a_correction_of_an_announced_year_moves_open_items(personas, make_item, time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC))
    item = make_item(deadline=DeadlineSpec(workdays=5, base=D(2026, 9, 28)), milestones=[])
    # 29, 30 September, 8, 9 October and Saturday 10 October (a make-up workday).
    assert item.deadline == D(2026, 10, 10) and not item.deadline_provisional
    cal_year = CalendarYear.objects.get(year=2026)
    parsed = calendar.parse_day_lines(calendar.format_day_lines(cal_year), year=2026)
    # Correction: 10 October is no longer a make-up workday.
    workdays = [(day, name) for day, name in parsed.workdays if day != D(2026, 10, 10)]
    calendar.calendar_year_enter(
        actor=personas.sysadmin,
        year=2026,
        notice="更正",
        holidays=parsed.holidays,
        workdays=workdays,
    )
    item.refresh_from_db()
    assert item.deadline == D(2026, 10, 12)
    assert item.events.get(kind=EventKind.RECALCULATED).note.startswith(
        "因2026年节假日安排更正，办结时限由2026-10-10调整为2026-10-12"
    )
