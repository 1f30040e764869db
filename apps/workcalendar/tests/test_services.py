import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.workcalendar import services
from apps.workcalendar.models import CalendarYear, DayKind, SpecialDay, YearSource
from apps.workcalendar.services import (
    add_workdays,
    calendar_year_enter,
    is_provisional,
    is_workday,
    parse_day_lines,
    provisional_watch,
    workdays_between,
)

from .conftest import ARRANGEMENT_2027

D = datetime.date


def calendar_state() -> tuple:
    return (
        list(CalendarYear.objects.order_by("year").values()),
        list(SpecialDay.objects.order_by("date").values()),
        AuditEvent.objects.count(),
    )


# --- the package years -------------------------------------------------------------------------


@pytest.mark.django_db
def test_2026_spring_festival_and_national_day():
    assert is_workday(D(2026, 2, 14))  # Saturday, adjusted workday
    assert not is_workday(D(2026, 2, 17))  # Spring Festival
    assert is_workday(D(2026, 10, 10))  # Saturday, adjusted workday
    assert not is_workday(D(2026, 10, 1))
    assert is_workday(D(2026, 2, 24))
    assert services.day_name(D(2026, 2, 17)) == "春节"


@pytest.mark.django_db
def test_add_workdays_across_the_spring_festival():
    assert add_workdays(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert add_workdays(D(2026, 2, 27), -5) == D(2026, 2, 13)
    assert workdays_between(D(2026, 2, 13), D(2026, 2, 27)) == 5


def test_a_year_without_data_is_computed_provisionally_and_says_so(no_2027):
    with provisional_watch() as use:
        assert is_workday(D(2027, 3, 1))
        assert not is_workday(D(2027, 1, 1))  # 元旦
        assert not is_workday(D(2027, 2, 5))  # 除夕 (a Friday): 春节 starts on it since 2025
        assert services.day_name(D(2027, 2, 8)) == "春节"  # 初三, a Monday
        assert is_workday(D(2027, 2, 9))  # 初四: bridging days are not guessed
        assert not is_workday(D(2027, 2, 6))  # a Saturday: no make-up workday is guessed
    assert use.years == {2027}
    assert "2027年的节假日安排尚未公布" in use.note
    with provisional_watch() as use:
        # 2026-12-28..31 and 2027-01-04..08 (元旦 rests, the weekend too): ten workdays.
        assert add_workdays(D(2026, 12, 25), 10) == D(2027, 1, 11)
    assert use.used
    with provisional_watch() as use:
        assert add_workdays(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert not use.used  # 2026 is announced: nothing provisional was used


# --- entering a year ---------------------------------------------------------------------------


def test_entering_2027_makes_it_work(no_2027, personas):
    parsed = parse_day_lines(ARRANGEMENT_2027, year=2027)
    cal_year = calendar_year_enter(
        actor=personas.sysadmin,
        year=2027,
        notice="国办发明电〔2026〕X号",
        holidays=parsed.holidays,
        workdays=parsed.workdays,
    )
    assert cal_year.source == YearSource.ADMIN
    assert cal_year.confirmed_by == personas.sysadmin
    # Weekend days inside a holiday range are rest days anyway and are not stored.
    assert cal_year.days.filter(kind=DayKind.HOLIDAY).count() == 11
    assert cal_year.days.filter(kind=DayKind.WORKDAY).count() == 2
    assert not is_workday(D(2027, 2, 8))
    assert is_workday(D(2027, 2, 20))  # Saturday, adjusted workday
    assert not is_workday(D(2027, 2, 13))  # Saturday inside the holiday
    assert is_workday(D(2027, 3, 1))
    assert add_workdays(D(2026, 12, 30), 2) == D(2027, 1, 4)
    assert AuditEvent.objects.filter(object_type="workcalendar.specialday").count() == 13


def test_entering_the_year_clears_the_cache(no_2027, personas):
    assert is_workday(D(2027, 1, 4))  # remembered as provisional in this process
    calendar_year_enter(
        actor=personas.sysadmin,
        year=2027,
        notice="通知",
        holidays=[(D(2027, 1, 1), "元旦"), (D(2027, 1, 4), "元旦")],
        workdays=[],
    )
    assert not is_workday(D(2027, 1, 4))
    assert not is_provisional(2027)


@pytest.mark.parametrize(
    ("holidays", "workdays", "message"),
    [
        ([(D(2026, 12, 31), "元旦")], [], "2026-12-31（星期四）不在2027年内"),
        ([(D(2027, 1, 1), "元旦")], [(D(2027, 3, 3), "")], "本来就是工作日，不能列为调休上班日"),
        ([(D(2027, 2, 6), "春节")], [(D(2027, 2, 6), "春节")], "不能既是法定节假日又是调休上班日"),
        ([(D(2027, 1, 1), "元旦"), (D(2027, 1, 1), "元旦")], [], "重复填写"),
        ([], [(D(2027, 2, 20), "春节")], "请至少填写一个法定节假日"),
    ],
)
def test_impossible_arrangements_change_nothing(no_2027, personas, holidays, workdays, message):
    before = calendar_state()
    with pytest.raises(ValidationError) as excinfo:
        calendar_year_enter(
            actor=personas.sysadmin,
            year=2027,
            notice="通知",
            holidays=holidays,
            workdays=workdays,
        )
    assert any(message in m for m in excinfo.value.messages), excinfo.value.messages
    assert calendar_state() == before
    assert is_provisional(2027)


def test_year_and_notice_are_checked(no_2027, personas):
    before = calendar_state()
    with pytest.raises(ValidationError) as excinfo:
        calendar_year_enter(
            actor=personas.sysadmin,
            year=2099,
            notice=" ",
            holidays=[(D(2099, 1, 1), "元旦")],
            workdays=[],
        )
    assert "只能录入" in excinfo.value.message_dict["year"][0]
    assert "依据文件" in excinfo.value.message_dict["notice"][0]
    assert calendar_state() == before


@pytest.mark.django_db
def test_correcting_a_package_year_changes_only_what_differs(personas):
    cal_year = CalendarYear.objects.get(year=2026)
    parsed = parse_day_lines(services.format_day_lines(cal_year), year=2026)
    rows_before = list(SpecialDay.objects.filter(year=2026).order_by("date").values_list("date"))
    events_before = AuditEvent.objects.filter(object_type="workcalendar.specialday").count()
    # Same arrangement, one holiday removed: 2026-10-07 becomes an ordinary workday.
    holidays = [(day, name) for day, name in parsed.holidays if day != D(2026, 10, 7)]
    calendar_year_enter(
        actor=personas.sysadmin,
        year=2026,
        notice="国办发明电〔2025〕7号",
        holidays=holidays,
        workdays=parsed.workdays,
    )
    cal_year.refresh_from_db()
    assert cal_year.source == YearSource.ADMIN
    rows_after = list(SpecialDay.objects.filter(year=2026).order_by("date").values_list("date"))
    assert len(rows_after) == len(rows_before) - 1
    assert is_workday(D(2026, 10, 7))
    events = AuditEvent.objects.filter(object_type="workcalendar.specialday")
    assert events.count() == events_before + 1  # one row deleted, nothing else touched
    # The package import never overwrites an administrator's year.
    services.import_package_years(years=[2026])
    assert is_workday(D(2026, 10, 7))


# --- parsing -----------------------------------------------------------------------------------


def test_parse_day_lines_reads_ranges_names_and_workdays():
    parsed = parse_day_lines(ARRANGEMENT_2027, year=2027)
    assert parsed.holidays[0] == (D(2027, 1, 1), "元旦")
    assert len(parsed.holidays) == 1 + 9 + 7
    assert parsed.workdays == [(D(2027, 2, 20), "春节"), (D(2027, 10, 9), "国庆节")]
    short = parse_day_lines("2027年2月6日至2月8日 春节\n2027/02/20 春节补班")
    assert [d for d, _ in short.holidays] == [D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8)]
    assert short.workdays == [(D(2027, 2, 20), "春节")]


def test_parse_day_lines_reports_every_bad_line_by_number():
    text = "\n".join(
        [
            "2027-01-01 元旦",
            "元旦 2027-01-02",
            "2027-02-30 春节",
            "2027-03-03 调休上班",
            "2026-12-31 元旦",
            "2027-01-01 元旦",
            "2027-02-10 至 2027-02-01 春节",
        ]
    )
    with pytest.raises(ValidationError) as excinfo:
        parse_day_lines(text, year=2027)
    messages = excinfo.value.messages
    assert [m[:4] for m in messages] == [
        "第2行：",
        "第3行：",
        "第4行：",
        "第5行：",
        "第6行：",
        "第7行：",
    ]
    assert "无法识别日期" in messages[0]
    assert "不存在" in messages[1]
    assert "本来就是工作日" in messages[2]
    assert "不在2027年内" in messages[3]
    assert "与第1行重复" in messages[4]
    assert "结束日期早于开始日期" in messages[5]


@pytest.mark.django_db
def test_format_day_lines_round_trip():
    cal_year = CalendarYear.objects.get(year=2026)
    text = services.format_day_lines(cal_year)
    assert "2026-02-16 至 2026-02-20 春节" in text
    assert "2026-02-14 春节 调休上班" in text
    parsed = parse_day_lines(text, year=2026)
    stored = set(SpecialDay.objects.filter(year=2026).values_list("date", "kind"))
    assert {(d, DayKind.HOLIDAY) for d, _ in parsed.holidays} | {
        (d, DayKind.WORKDAY) for d, _ in parsed.workdays
    } == stored
