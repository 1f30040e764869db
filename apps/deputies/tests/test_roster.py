"""The roster import and the duty records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.deputies import selectors, services, statistics
from apps.deputies.importing import ROSTER_IMPORT, parse_levels
from apps.deputies.models import Deputy, DutyPointRule, Station
from apps.imports.layout import SheetRow
from apps.imports.registry import Context

D = datetime.date


def context(user):
    return Context(actor=user, options={}, today=D(2026, 3, 1))


def row(number, **cells):
    return SheetRow(number=number, cells=cells)


def test_levels_in_full_or_short_and_several_in_one_cell():
    assert parse_levels("全国、市") == ["national", "city"]
    assert parse_levels("县(区)人大代表") == ["county"]
    with pytest.raises(ValueError, match="未知的代表层级“省”"):
        parse_levels("省")


def test_a_roster_row_with_an_unknown_level_or_station_is_refused(personas):
    Station.objects.create(name="城东代表之家", kind="home")
    checked = ROSTER_IMPORT.check(
        [
            row(2, name="张明", levels="市", station="城东代表之家", phone="1"),
            row(3, name="李华", levels="省", station="城东代表之家"),
            row(4, name="王芳", levels="县", station="月球代表之家"),
        ],
        context(personas.sun),
    )
    assert checked.errors() == [
        {"row": 3, "reason": "未知的代表层级“省”（可填全国、自治区、市、县（区）、乡（镇））"},
        {"row": 4, "reason": "未找到代表之家（联络站）“月球代表之家”"},
    ]
    assert not Deputy.objects.exists()


def test_the_roster_imports_and_a_second_import_updates(personas):
    station = Station.objects.create(name="城东代表之家", kind="home")
    rows = [
        row(
            2,
            name="张明",
            levels="全国、市",
            station="城东代表之家",
            phone="138",
            delegation="城区代表团",
        )
    ]
    applied = ROSTER_IMPORT.apply(
        ROSTER_IMPORT.check(rows, context(personas.sun)), context(personas.sun)
    )
    assert applied.created == 1
    deputy = Deputy.objects.get()
    assert deputy.station == station
    assert sorted(deputy.mandates.values_list("level", flat=True)) == ["city", "national"]
    applied = ROSTER_IMPORT.apply(
        ROSTER_IMPORT.check(rows, context(personas.sun)), context(personas.sun)
    )
    assert (applied.created, applied.updated, Deputy.objects.count()) == (0, 1, 1)
    assert ROSTER_IMPORT.can_import(personas.sun) and not ROSTER_IMPORT.can_import(personas.zhou)


def test_a_deputy_needs_a_known_level_once(personas):
    with pytest.raises(ValidationError, match="未知的代表层级"):
        services.deputy_save(
            actor=personas.sun, spec=services.DeputySpec("张明", [services.MandateSpec("province")])
        )
    with pytest.raises(ValidationError, match="只能登记一次"):
        services.deputy_save(
            actor=personas.sun,
            spec=services.DeputySpec("张明", [services.MandateSpec("city")] * 2),
        )
    with pytest.raises(PermissionDenied):
        services.deputy_save(
            actor=personas.zhou, spec=services.DeputySpec("张明", [services.MandateSpec("city")])
        )
    assert not Deputy.objects.exists()


def test_duty_points_follow_the_configured_rule_and_stations_total_them(personas):
    station = Station.objects.create(name="城东代表之家", kind="home")
    deputy = services.deputy_save(
        actor=personas.sun,
        spec=services.DeputySpec(
            "张明", [services.MandateSpec("city", "城区代表团")], station=station
        ),
    )
    DutyPointRule.objects.create(kind="reception", points=Decimal("4"))
    services.activity_record(
        actor=personas.sun, station=station, date=D(2026, 3, 12), title="接待日", attendees=[deputy]
    )
    services.duty_record(deputy=deputy, kind="training", date=D(2026, 4, 1), title="培训")
    assert selectors.duty_totals(deputy)["total"] == Decimal("5")
    [row_] = statistics.station_rows(Station.objects.all())
    assert (row_.deputy_count, row_.reception_count, row_.points) == (1, 1, Decimal("5"))
    assert statistics.delegation_totals() == [
        {"delegation": "城区代表团", "deputies": 1, "points": Decimal("5")}
    ]
    with pytest.raises(ValidationError, match="未知的履职类型"):
        services.duty_record(deputy=deputy, kind="party", date=D(2026, 4, 1), title="x")


def test_duties_from_another_area_are_recorded_once(personas):
    from apps.deputies.registry import _SOURCES, DutyEntry, register_duty_source

    deputy = services.deputy_save(
        actor=personas.sun, spec=services.DeputySpec("张明", [services.MandateSpec("city")])
    )

    def sessions(year):
        return [DutyEntry(deputy.pk, "session", D(year, 1, 20), "出席市人大会议", "sessions:1")]

    register_duty_source("sessions", sessions)
    try:
        assert services.collect_duties(2026) == 1
        assert services.collect_duties(2026) == 0
    finally:
        _SOURCES.pop("sessions")
    assert deputy.duties.get().points == Decimal("5")
