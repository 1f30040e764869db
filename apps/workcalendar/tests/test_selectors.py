import datetime

import pytest

from apps.workcalendar import selectors
from apps.workcalendar.models import CalendarYear
from apps.workcalendar.services import year_data

D = datetime.date


@pytest.mark.django_db
def test_year_months_marks_holidays_workdays_and_weekends():
    months = selectors.year_months(2026, year_data(2026), today=D(2026, 2, 17))
    assert len(months) == 12
    february = months[1]
    days = {day.date: day for week in february.weeks for day in week if day is not None}
    assert len(days) == 28
    assert days[D(2026, 2, 14)].kind == "workday"
    assert days[D(2026, 2, 17)].kind == "holiday" and days[D(2026, 2, 17)].name == "春节"
    assert days[D(2026, 2, 17)].is_today
    assert days[D(2026, 2, 22)].kind == "weekend"
    assert days[D(2026, 2, 24)].kind == "normal"
    assert february.holiday_count == 6 and february.workday_count == 2
    # Monday-first weeks: 1 February 2026 is a Sunday, the last cell of the first row.
    assert february.weeks[0][:6] == [None] * 6 and february.weeks[0][6].date == D(2026, 2, 1)


@pytest.mark.django_db
def test_year_list_counts_days():
    row = selectors.year_list().get(year=2026)
    assert row.workday_count == 6  # 1-4, 2-14, 2-28, 5-9, 9-20, 10-10
    assert row.holiday_count > 10


@pytest.mark.django_db
def test_provisional_years():
    CalendarYear.objects.filter(year=2027).delete()
    assert selectors.provisional_years(D(2026, 11, 28)) == [2027]
    assert selectors.provisional_years(D(2025, 11, 28)) == []
    assert selectors.provisional_years(D(2027, 1, 4)) == [2027, 2028]
    assert selectors.notice_season(D(2026, 11, 28)) and not selectors.notice_season(D(2026, 5, 1))
