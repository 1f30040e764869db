"""Reception days (接待日): generated from a station's rule and moved past holidays, entered by hand,
refused on bad input, and shown on the key-work calendar, in the iCal feed and on the deputy's phone."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.deputies import stations
from apps.deputies.factories import make_deputy
from apps.deputies.models import ReceptionDay, Station
from apps.ledger import feeds
from apps.ledger.calendar_sources import calendar_events
from apps.ledger.deadlines import on_or_after_workday
from apps.workcalendar.services import day_name, is_workday

T = datetime.time


@pytest.fixture
def station(personas):
    station = Station.objects.create(name="城东代表之家", kind="home")
    make_deputy("戴代表", account=personas.dai, station=station)
    make_deputy("马代表", station=station)
    make_deputy("牛代表", station=station)
    return station


def rule(first: datetime.date, months: int = 3, **changes) -> stations.RuleSpec:
    values = dict(nth=1, weekday=4, start=T(9), end=T(11, 30), first_month=first, months=months)
    values.update(changes)
    return stations.RuleSpec(**values)


def test_nth_weekday():
    assert stations.nth_weekday(2026, 10, 1, 4) == datetime.date(2026, 10, 2)
    assert stations.nth_weekday(2026, 5, 2, 3) == datetime.date(2026, 5, 14)
    assert stations.nth_weekday(2027, 2, 4, 0) == datetime.date(2027, 2, 22)
    assert stations.rule_text(1, 4, T(9), T(11, 30)) == "每月第一个星期五 09:00—11:30"


@pytest.mark.today("2026-09-01")
def test_rule_days_move_past_national_day_and_rotate_the_deputies(personas, station):
    result = stations.reception_rule_generate(
        actor=personas.sun, station=station, spec=rule(datetime.date(2026, 9, 1))
    )
    assert result.created == 3 and result.kept == 0
    station.refresh_from_db()
    assert station.reception_rule == "每月第一个星期五 09:00—11:30"
    days = list(station.reception_days.order_by("date"))
    assert [d.planned_date for d in days] == [
        datetime.date(2026, 9, 4),
        datetime.date(2026, 10, 2),
        datetime.date(2026, 11, 6),
    ]
    october = days[1]
    # 10月2日 is a National Day holiday: the day moves to the next working day and says so.
    assert not is_workday(datetime.date(2026, 10, 2))
    assert october.date == on_or_after_workday(datetime.date(2026, 10, 2)) > october.planned_date
    assert is_workday(october.date)
    assert october.moved and "原定10月2日（国庆节），顺延至" in october.note
    assert result.moved == [october]
    assert days[0].date == days[0].planned_date and not days[0].note
    # Two on duty a day, the station's deputies in turn.
    duty = [sorted(d.name for d in day.on_duty.all()) for day in days]
    assert all(len(names) == 2 for names in duty)
    assert {name for names in duty for name in names} == {"戴代表", "马代表", "牛代表"}
    # Generating again keeps the days already there.
    again = stations.reception_rule_generate(
        actor=personas.sun, station=station, spec=rule(datetime.date(2026, 9, 1), months=4)
    )
    assert (again.created, again.kept) == (1, 3)
    assert station.reception_days.count() == 4


@pytest.mark.today("2027-01-10")
def test_a_rule_day_on_the_spring_festival_eve_moves(personas, station):
    # 2027: 除夕 is Friday 5 February, a statutory holiday since the 2024 revision.
    stations.reception_rule_generate(
        actor=personas.sun, station=station, spec=rule(datetime.date(2027, 2, 1), months=1)
    )
    day = station.reception_days.get()
    assert day.planned_date == datetime.date(2027, 2, 5)
    assert day_name(day.planned_date)
    assert day.date == on_or_after_workday(day.planned_date) > day.planned_date
    assert day.note.startswith("原定2月5日（")


@pytest.mark.today("2026-09-15")
def test_rule_days_before_today_are_not_created(personas, station):
    result = stations.reception_rule_generate(
        actor=personas.sun, station=station, spec=rule(datetime.date(2026, 8, 1), months=4)
    )
    assert result.created == 2  # August and September's first Fridays are past: October, November


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": T(12), "end": T(9)}, "end"),
        ({"months": 0}, "months"),
        ({"months": 13}, "months"),
        ({"weekday": 5}, "weekday"),
        ({"nth": 5}, "nth"),
    ],
)
@pytest.mark.today("2026-09-01")
def test_bad_rules_are_refused_and_change_nothing(personas, station, changes, field):
    with pytest.raises(ValidationError) as error:
        stations.reception_rule_generate(
            actor=personas.sun, station=station, spec=rule(datetime.date(2026, 9, 1), **changes)
        )
    assert field in error.value.message_dict
    station.refresh_from_db()
    assert station.reception_rule == "" and station.reception_nth == 0
    assert not ReceptionDay.objects.exists()


@pytest.mark.today("2026-09-01")
def test_only_the_office_arranges_reception_days(personas, station):
    for actor in (personas.li, personas.dai):
        with pytest.raises(PermissionDenied):
            stations.reception_rule_generate(
                actor=actor, station=station, spec=rule(datetime.date(2026, 9, 1))
            )
    assert not ReceptionDay.objects.exists()


@pytest.mark.today("2026-09-01")
def test_a_day_by_hand_and_its_bad_input(personas, station):
    dai, ma = station.deputies.get(name="戴代表"), station.deputies.get(name="马代表")
    stranger = make_deputy("外站代表")
    spec = stations.ReceptionSpec(
        date=datetime.date(2026, 9, 19), start=T(9), end=T(11), topic="周末接待", on_duty=[dai]
    )
    saturday = stations.reception_day_save(actor=personas.sun, station=station, spec=spec)
    assert saturday.date == datetime.date(2026, 9, 19) and saturday.planned_date is None
    with pytest.raises(ValidationError) as error:
        stations.reception_day_save(
            actor=personas.sun,
            station=station,
            spec=stations.ReceptionSpec(
                date=datetime.date(2026, 9, 21), start=T(9), end=T(11), topic="", on_duty=[stranger]
            ),
        )
    assert "外站代表不是本站代表" in error.value.message_dict["on_duty"][0]
    with pytest.raises(ValidationError):
        stations.reception_day_save(
            actor=personas.sun,
            station=station,
            reception=saturday,
            spec=stations.ReceptionSpec(
                date=datetime.date(2026, 9, 22), start=T(11), end=T(9), topic="", on_duty=[ma]
            ),
        )
    saturday.refresh_from_db()
    assert saturday.date == datetime.date(2026, 9, 19)
    assert list(saturday.on_duty.all()) == [dai]
    assert ReceptionDay.objects.count() == 1


@pytest.mark.today("2026-09-01")
def test_calendar_feed_and_phone_show_reception_days(client, personas, station):
    stations.reception_rule_generate(
        actor=personas.sun, station=station, spec=rule(datetime.date(2026, 9, 1))
    )
    first = station.reception_days.order_by("date").first()
    start, end = datetime.date(2026, 9, 1), datetime.date(2026, 12, 31)
    office = [e for day in calendar_events(personas.sun, start, end).values() for e in day]
    assert len([e for e in office if e.category == "代表接待日"]) == 3
    event = next(e for e in office if e.uid == f"deputies-reception-{first.pk}")
    assert event.label == "城东代表之家接待日" and "值班代表：" in event.description
    dai_days = set(
        station.deputies.get(name="戴代表").reception_duties.values_list("pk", flat=True)
    )
    mine = [e for day in calendar_events(personas.dai, start, end).values() for e in day]
    assert {e.uid for e in mine} == {f"deputies-reception-{pk}" for pk in dai_days}
    assert not calendar_events(personas.gov, start, end)
    # The key-work calendar page and the personal iCal feed.
    client.force_login(personas.sun)
    page = client.get(reverse("ledger:calendar"), {"date": "2026-09-04"})
    assert "城东代表之家接待日" in page.content.decode()
    token = feeds.feed_token_for(personas.sun).token
    body = client.get(reverse("ledger:person_feed", args=[token])).content.decode()
    assert f"deputies-reception-{first.pk}@" in body and "【代表接待日】" in body
    # The deputy's phone page lists their own days on duty.
    client.force_login(personas.dai)
    home = client.get(reverse("deputies:my_home")).content.decode()
    assert "我的接待日值班" in home and "城东代表之家" in home


@pytest.mark.today("2026-09-01")
def test_station_page_and_its_forms(client, personas, station):
    client.force_login(personas.sun)
    url = reverse("deputies:station_detail", args=[station.pk])
    assert client.get(url).status_code == 200
    post = {
        "nth": "1",
        "weekday": "4",
        "start": "09:00",
        "end": "11:30",
        "first_month": "2026-09-01",
        "months": "3",
        "topic": "",
    }
    response = client.post(reverse("deputies:station_action", args=[station.pk, "rule"]), post)
    assert response.status_code == 302 and station.reception_days.count() == 3
    page = client.get(url).content.decode()
    assert "顺延" in page and "每月第一个星期五" in page
    bad = client.post(
        reverse("deputies:station_action", args=[station.pk, "rule"]),
        {**post, "months": "40"},
        follow=True,
    )
    assert "接待日规则填写有误" in bad.content.decode()
    assert station.reception_days.count() == 3
    client.force_login(personas.li)
    refused = client.post(reverse("deputies:station_action", args=[station.pk, "rule"]), post)
    assert refused.status_code == 403
