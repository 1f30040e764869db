"""Writes of the liaison stations: their reception days (接待日), generated from a rule such as
“每月第一个星期五” or entered one by one, and the matters constituents raise there, turned into a
suggestion or a ledger item.

A rule date that is not a working day (a statutory holiday, or a weekday made a rest day by the
State Council's arrangement) is moved to the next working day, and the day says so
(“原定10月2日（国庆节），顺延至10月9日”): constituents expect the station open on a working day and
the deputies on duty are free then. A day entered by hand is kept on the date typed, even a weekend
(some stations receive on Saturdays); the station page marks it 非工作日. Dates computed on a year
whose holidays are not announced yet are flagged 预估 like the ledger's deadlines.

Each write validates first, refuses bad input with a Chinese message and changes nothing, then
writes inside one transaction.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.models import User
from apps.core import clock
from apps.ledger import services as ledger
from apps.ledger.choices import Source
from apps.ledger.deadlines import DeadlineSpec, on_or_after_workday
from apps.ledger.models import Checklist, TrackedItem
from apps.organization.models import Unit
from apps.workcalendar.services import day_name, flagged

from . import scopes, services
from .models import (
    Deputy,
    ReceptionDay,
    Station,
    StationMatter,
    Suggestion,
    SuggestionEvent,
)

NTH_NAMES = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个"}
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五")
MAX_MONTHS = 12
ON_DUTY_PER_DAY = 2


def _require_office(actor: User) -> None:
    if not scopes.runs_suggestions(actor):
        raise PermissionDenied("只有办公室可以安排代表接待日。")


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> datetime.date:
    """The `nth` (1–4) `weekday` (0 = Monday) of the month: every month has at least four."""
    first = datetime.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    day = 1 + offset + 7 * (nth - 1)
    assert day <= calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day)


def rule_text(nth: int, weekday: int, start: datetime.time, end: datetime.time) -> str:
    return f"每月{NTH_NAMES[nth]}{WEEKDAY_NAMES[weekday]} {start:%H:%M}—{end:%H:%M}"


def _day_label(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass(frozen=True)
class RuleSpec:
    nth: int
    weekday: int
    start: datetime.time
    end: datetime.time
    first_month: datetime.date  # any day of the first month to generate
    months: int
    topic: str = "代表接待日"


@dataclass(frozen=True)
class Generated:
    created: int
    kept: int  # rule dates that already had their day
    moved: list[ReceptionDay]


def _validate_rule(spec: RuleSpec) -> None:
    errors: dict[str, str] = {}
    if spec.nth not in NTH_NAMES:
        errors["nth"] = "请选择每月第一至第四个。"
    if spec.weekday not in range(len(WEEKDAY_NAMES)):
        errors["weekday"] = "接待日须安排在星期一至星期五。"
    if spec.start >= spec.end:
        errors["end"] = "结束时间须晚于开始时间。"
    if not 1 <= spec.months <= MAX_MONTHS:
        errors["months"] = f"一次生成1至{MAX_MONTHS}个月的接待日。"
    if len(spec.topic) > 200:
        errors["topic"] = "主题不能超过200字。"
    if errors:
        raise ValidationError(errors)


def _rotation(station: Station) -> list[Deputy]:
    return list(station.deputies.order_by("name", "id"))


@transaction.atomic
def reception_rule_generate(*, actor: User, station: Station, spec: RuleSpec) -> Generated:
    """Save the station's rule and create its reception days for `months` months from
    `first_month` (days before today are not created; a rule date already generated is kept).
    The deputies of the station take duty in turn, two a day, editable day by day."""
    _require_office(actor)
    _validate_rule(spec)
    station = Station.objects.select_for_update().get(pk=station.pk)
    station.reception_nth = spec.nth
    station.reception_weekday = spec.weekday
    station.reception_start = spec.start
    station.reception_end = spec.end
    station.reception_rule = rule_text(spec.nth, spec.weekday, spec.start, spec.end)
    station.save()
    today = clock.today()
    existing = set(
        station.reception_days.filter(planned_date__isnull=False).values_list(
            "planned_date", flat=True
        )
    )
    rotation = _rotation(station)
    turn = station.reception_days.count() * ON_DUTY_PER_DAY
    created, kept, moved = 0, 0, []
    year, month = spec.first_month.year, spec.first_month.month
    for _ in range(spec.months):
        planned = nth_weekday(year, month, spec.nth, spec.weekday)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if planned < today:
            continue
        if planned in existing:
            kept += 1
            continue
        day, provisional = flagged(functools.partial(on_or_after_workday, planned))
        note = ""
        if day != planned:
            reason = day_name(planned) or "非工作日"
            note = f"原定{_day_label(planned)}（{reason}），顺延至{_day_label(day)}"
        reception = ReceptionDay.objects.create(
            station=station,
            date=day,
            start=spec.start,
            end=spec.end,
            topic=spec.topic.strip() or "代表接待日",
            planned_date=planned,
            note=note,
            provisional=provisional,
        )
        if rotation:
            reception.on_duty.set(
                rotation[(turn + n) % len(rotation)]
                for n in range(min(ON_DUTY_PER_DAY, len(rotation)))
            )
            turn += ON_DUTY_PER_DAY
        created += 1
        if note:
            moved.append(reception)
    return Generated(created, kept, moved)


@dataclass(frozen=True)
class ReceptionSpec:
    date: datetime.date
    start: datetime.time
    end: datetime.time
    topic: str
    on_duty: Sequence[Deputy]


@transaction.atomic
def reception_day_save(
    *, actor: User, station: Station, spec: ReceptionSpec, reception: ReceptionDay | None = None
) -> ReceptionDay:
    """Add a reception day by hand, or change one (its date, time, topic or deputies on duty)."""
    _require_office(actor)
    errors: dict[str, str] = {}
    if spec.start >= spec.end:
        errors["end"] = "结束时间须晚于开始时间。"
    if len(spec.topic) > 200:
        errors["topic"] = "主题不能超过200字。"
    strangers = [d.name for d in spec.on_duty if d.station_id != station.pk]
    if strangers:
        errors["on_duty"] = f"{'、'.join(strangers)}不是本站代表，不能安排值班。"
    if reception is not None:
        reception = ReceptionDay.objects.select_for_update().get(pk=reception.pk)
        if reception.station_id != station.pk:
            raise ValidationError("该接待日不属于本站。")
        if reception.activity_id is not None:
            errors["date"] = "该接待日已登记接待情况，不能再修改。"
    if errors:
        raise ValidationError(errors)
    if reception is None:
        reception = ReceptionDay(station=station)
    if reception.date != spec.date:
        _, reception.provisional = flagged(lambda: on_or_after_workday(spec.date))
        if reception.planned_date is not None:
            reception.note = (
                f"原定{_day_label(reception.planned_date)}，调整至{_day_label(spec.date)}"
            )
    reception.date = spec.date
    reception.start = spec.start
    reception.end = spec.end
    reception.topic = spec.topic.strip() or "代表接待日"
    reception.save()
    reception.on_duty.set(spec.on_duty)
    return reception


# ---------------------------------------------------------------- matters raised at a station


def _locked_matter(matter: StationMatter) -> StationMatter:
    """The matter's row, locked: of two people converting it at once, the second waits here and
    then finds it converted."""
    locked = (
        StationMatter.objects.select_for_update()
        .select_related("activity__station")
        .get(pk=matter.pk)
    )
    if locked.suggestion_id is not None:
        raise ValidationError("该问题已转为代表建议，不能重复转办。")
    if locked.item_id is not None:
        raise ValidationError("该问题已转为督办事项，不能重复转办。")
    return locked


def _origin(matter: StationMatter) -> str:
    activity = matter.activity
    return f"{activity.station.name}{activity.date:%Y年%m月%d日}“{activity.title}”群众反映"


def _mark(matter: StationMatter, actor: User, **target: Any) -> None:
    for name, value in target.items():
        setattr(matter, name, value)
    matter.converted_at = clock.now()
    matter.converted_by = actor
    matter.save(update_fields=[*target, "converted_at", "converted_by"])


@dataclass(frozen=True)
class MatterSuggestionSpec:
    proposer: Deputy
    checklist: Checklist
    title: str
    content: str
    topic: str = ""


@transaction.atomic
def matter_to_suggestion(
    *, actor: User, matter: StationMatter, spec: MatterSuggestionSpec
) -> Suggestion:
    """A matter becomes a suggestion in the name of a deputy who attended the activity,
    registered by the office as submitted (it then goes through review like any other)."""
    if not scopes.runs_suggestions(actor):
        raise PermissionDenied("只有办公室可以转办群众反映的问题。")
    locked = _locked_matter(matter)
    if not locked.activity.attendees.filter(pk=spec.proposer.pk).exists():
        raise ValidationError(
            {"proposer": f"{spec.proposer.name}未参加该次活动，不能以其名义提出建议。"}
        )
    suggestion = services.suggestion_create(
        actor=actor,
        spec=services.SuggestionSpec(
            checklist=spec.checklist,
            title=spec.title,
            content=spec.content,
            topic=spec.topic,
            proposer=spec.proposer,
        ),
    )
    SuggestionEvent.record(
        suggestion=suggestion,
        action="源自联络站群众反映",
        actor=actor,
        to_status=suggestion.status,
        note=_origin(locked),
    )
    _mark(locked, actor, suggestion=suggestion)
    return suggestion


@dataclass(frozen=True)
class MatterItemSpec:
    unit: Unit
    deadline: datetime.date
    title: str
    content: str


MATTERS_LIST = "{year}年代表联络站群众反映问题交办清单"


def _matters_checklist(actor: User, year: int) -> Checklist:
    name = MATTERS_LIST.format(year=year)
    existing = Checklist.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return ledger.checklist_create(
        actor=actor,
        name=name,
        year=year,
        source=Source.OTHER,
        description="代表之家（联络站）接待中群众反映、交有关单位办理的问题。",
    )


@transaction.atomic
def matter_to_item(*, actor: User, matter: StationMatter, spec: MatterItemSpec) -> TrackedItem:
    """A matter becomes a ledger item assigned to the relevant body with a deadline, on the
    ledger's own services (交办, then its usual lifecycle), tracked by the office person."""
    if not scopes.runs_suggestions(actor):
        raise PermissionDenied("只有办公室可以转办群众反映的问题。")
    locked = _locked_matter(matter)
    today = clock.today()
    errors: dict[str, str] = {}
    if not spec.title.strip():
        errors["title"] = "请填写事项名称。"
    elif len(spec.title.strip()) > 200:
        errors["title"] = "事项名称不能超过200字。"
    if spec.deadline <= today:
        errors["deadline"] = "办结时限须晚于今天。"
    elif spec.deadline > today + datetime.timedelta(days=366):
        errors["deadline"] = "办结时限不能超过一年。"
    if errors:
        raise ValidationError(errors)
    content = f"{spec.content.strip()}\n（来源：{_origin(locked)}）".strip()
    item = ledger.item_create(
        actor=actor,
        spec=ledger.ItemSpec(
            checklist=_matters_checklist(actor, today.year),
            title=spec.title.strip(),
            content=content,
            category="群众反映问题",
            lead_unit=spec.unit,
            deadline=DeadlineSpec(date=spec.deadline),
            source=Source.OTHER,
            trackers=[actor.person] if actor.person is not None else [],
        ),
    )
    item = ledger.item_assign(actor=actor, item=item, note=_origin(locked))
    _mark(locked, actor, item=item)
    return item
