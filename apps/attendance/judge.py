"""How one day is judged: a pure function of the calendar, the schedule, the clocks and the requests.

Kept apart from the database so the rules can be read (and tested) in one place. Every branch adds
the sentence that explains it to `reasons`; nothing is decided without saying why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from apps.core import quantities

from .choices import ClockKind, ClockSource, DayPart, DayStatus, RequestKind

HALF = Decimal("0.5")
ONE = Decimal("1")
ZERO = Decimal("0")


@dataclass(frozen=True)
class CalendarFact:
    """What the working-day calendar says about a day. `provisional_note` is set when the year's
    holiday arrangement is not announced yet and the day was judged from the statutory holidays."""

    is_workday: bool = False
    name: str = ""
    provisional_note: str = ""

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_note)


@dataclass(frozen=True)
class Hours:
    schedule_id: int | None
    schedule_name: str
    scope: str
    start: datetime.time
    end: datetime.time
    midday: datetime.time
    season: str
    grace_minutes: int
    half_day_minutes: int


@dataclass(frozen=True)
class ClockFact:
    id: int
    at: datetime.datetime  # local time
    kind: str
    source: str
    correction_id: int | None = None


@dataclass(frozen=True)
class RequestFact:
    id: int
    kind: str
    label: str
    start_date: datetime.date
    end_date: datetime.date
    day_part: str

    def parts_on(self, day: datetime.date) -> set[str]:
        if not (self.start_date <= day <= self.end_date):
            return set()
        if self.day_part == DayPart.AM:
            return {"am"}
        if self.day_part == DayPart.PM:
            return {"pm"}
        return {"am", "pm"}


@dataclass
class Judgement:
    status: str
    is_workday: bool = False
    provisional: bool = False
    expected_start: datetime.time | None = None
    expected_end: datetime.time | None = None
    first_in: datetime.datetime | None = None
    last_out: datetime.datetime | None = None
    late_minutes: int = 0
    early_minutes: int = 0
    is_late: bool = False
    is_early: bool = False
    missing_in: bool = False
    missing_out: bool = False
    absence_days: Decimal = ZERO
    leave_days: Decimal = ZERO
    away_days: Decimal = ZERO
    reasons: list[str] = field(default_factory=list)
    explanation: dict[str, Any] = field(default_factory=dict)


def _minutes(a: datetime.datetime, b: datetime.datetime) -> int:
    """Whole minutes from a to b (seconds are not rounded up: 09:05:59 is 5 minutes late)."""
    return int((b - a).total_seconds() // 60)


def _clock_text(clock: ClockFact) -> str:
    how = "补卡" if clock.source == ClockSource.CORRECTION else "打卡"
    return f"{clock.at:%H:%M:%S} {how}（{ClockKind(clock.kind).label}，记录#{clock.id}）"


def judge_day(
    *,
    day: datetime.date,
    calendar: CalendarFact,
    hours: Hours,
    clocks: list[ClockFact],
    requests: list[RequestFact],
    ended: bool,
) -> Judgement:
    """The result of `day` for one person. `ended` is False while the day is still under way:
    a missing clock-out is only called missing once the day is over, and never closed for them."""
    explanation: dict[str, Any] = {
        "calendar": {
            "workday": calendar.is_workday,
            "name": calendar.name,
            "provisional": calendar.provisional,
        },
        "schedule": {
            "id": hours.schedule_id,
            "name": hours.schedule_name,
            "scope": hours.scope,
            "season": hours.season,
            "start": f"{hours.start:%H:%M}",
            "end": f"{hours.end:%H:%M}",
            "grace_minutes": hours.grace_minutes,
            "half_day_minutes": hours.half_day_minutes,
        },
        "clocks": [
            {"id": c.id, "at": f"{c.at:%H:%M:%S}", "kind": c.kind, "source": c.source}
            for c in clocks
        ],
        "requests": [
            {"id": r.id, "kind": r.kind, "label": r.label, "day_part": r.day_part} for r in requests
        ],
    }
    result = Judgement(status=DayStatus.NORMAL, explanation=explanation)
    reasons = result.reasons
    clock_list = "；".join(_clock_text(c) for c in clocks)

    result.provisional = calendar.provisional
    weekday = "一二三四五六日"[day.weekday()]
    if not calendar.is_workday:
        holiday = bool(calendar.name)  # only holidays and adjusted workdays carry a name
        result.status = DayStatus.HOLIDAY if holiday else DayStatus.REST
        what = f"法定节假日（{calendar.name}）" if holiday else f"休息日（星期{weekday}）"
        reasons.append(f"工作日历：{day:%Y-%m-%d} 为{what}，不计考勤。")
        if calendar.provisional:
            reasons.append(f"（预估）{calendar.provisional_note}")
        if clocks:
            reasons.append(f"当日有打卡记录，仅作留存：{clock_list}。")
        return result

    result.is_workday = True
    adjusted = f"（调休上班日：{calendar.name}）" if calendar.name else f"（星期{weekday}）"
    reasons.append(f"工作日历：{day:%Y-%m-%d} 为工作日{adjusted}。")
    if calendar.provisional:
        reasons.append(f"（预估）{calendar.provisional_note}")

    covered: set[str] = set()
    for request in requests:
        parts = request.parts_on(day)
        if not parts:
            continue
        covered |= parts
        share = ONE if parts == {"am", "pm"} else HALF
        if request.kind == RequestKind.LEAVE:
            result.leave_days += share
        else:
            result.away_days += share
        part_text = "全天" if parts == {"am", "pm"} else ("上午" if "am" in parts else "下午")
        reasons.append(
            f"已批准的{request.label}（申请#{request.id}，{request.start_date:%m-%d}至"
            f"{request.end_date:%m-%d}）覆盖当日{part_text}。"
        )
    result.leave_days = min(result.leave_days, ONE)
    result.away_days = min(result.away_days, ONE - result.leave_days)

    if covered == {"am", "pm"}:
        first = next(r for r in requests if r.parts_on(day))
        result.status = {
            RequestKind.LEAVE: DayStatus.LEAVE,
            RequestKind.TRIP: DayStatus.TRIP,
        }.get(RequestKind(first.kind), DayStatus.OUTING)
        if clocks:
            reasons.append(f"当日打卡记录不影响结果：{clock_list}。")
        return result

    start, end = hours.start, hours.end
    if "am" in covered:
        start = hours.midday
    if "pm" in covered:
        end = hours.midday
    result.expected_start, result.expected_end = start, end
    reasons.append(
        f"作息：{hours.schedule_name}（{hours.scope}，{hours.season}）"
        f"应到 {start:%H:%M}、应退 {end:%H:%M}，弹性 {hours.grace_minutes} 分钟，"
        f"迟到或早退超过 {hours.half_day_minutes} 分钟计旷工半天。"
    )
    portion = HALF if covered else ONE

    ins = [c for c in clocks if c.kind == ClockKind.IN]
    outs = [c for c in clocks if c.kind == ClockKind.OUT]
    clock_in = min(ins, key=lambda c: c.at) if ins else None
    clock_out = max(outs, key=lambda c: c.at) if outs else None
    if clock_in:
        result.first_in = clock_in.at
    if clock_out:
        result.last_out = clock_out.at
    if clocks:
        reasons.append(f"打卡记录：{clock_list}。")
    else:
        reasons.append("当日无打卡记录。")

    if not clocks:
        if not ended:
            result.status = DayStatus.IN_PROGRESS
            reasons.append("当日尚未结束，暂不判定。")
            return result
        result.status = DayStatus.ABSENT
        result.absence_days = portion
        reasons.append(
            f"工作日无打卡且无已批准的请假、出差或公出：计旷工{quantities.days(portion)}。"
        )
        return result

    base = datetime.datetime.combine(day, start, tzinfo=(clocks[0].at.tzinfo))
    finish = datetime.datetime.combine(day, end, tzinfo=(clocks[0].at.tzinfo))
    half_absences = 0
    if clock_in is not None:
        late = max(0, _minutes(base, clock_in.at))
        result.late_minutes = late
        if late > hours.half_day_minutes:
            half_absences += 1
            reasons.append(
                f"上班打卡 {clock_in.at:%H:%M} 晚于应到时间 {late} 分钟，超过 "
                f"{hours.half_day_minutes} 分钟，计旷工半天。"
            )
        elif late > hours.grace_minutes:
            result.is_late = True
            reasons.append(
                f"上班打卡 {clock_in.at:%H:%M} 晚于应到时间 {start:%H:%M}"
                f"（含弹性 {hours.grace_minutes} 分钟），迟到 {late} 分钟。"
            )
        else:
            reasons.append(f"上班打卡 {clock_in.at:%H:%M} 按时。")
    else:
        result.missing_in = True
        reasons.append("上班缺卡：当日没有上班打卡记录（可申请补卡）。")

    if clock_out is not None:
        early = max(0, _minutes(clock_out.at, finish))
        result.early_minutes = early
        if early > hours.half_day_minutes:
            half_absences += 1
            reasons.append(
                f"下班打卡 {clock_out.at:%H:%M} 早于应退时间 {early} 分钟，超过 "
                f"{hours.half_day_minutes} 分钟，计旷工半天。"
            )
        elif early > hours.grace_minutes:
            result.is_early = True
            reasons.append(
                f"下班打卡 {clock_out.at:%H:%M} 早于应退时间 {end:%H:%M}，早退 {early} 分钟。"
            )
        else:
            reasons.append(f"下班打卡 {clock_out.at:%H:%M} 按时。")
    elif ended:
        result.missing_out = True
        reasons.append("下班缺卡：当日没有下班打卡记录。系统不会自动补全，请申请补卡。")
    else:
        reasons.append("尚未下班打卡（当日未结束）。")

    if half_absences:
        result.absence_days = min(portion, HALF * half_absences)
        result.status = DayStatus.ABSENT
    elif result.missing_in:
        result.status = DayStatus.MISSING_IN
    elif result.missing_out:
        result.status = DayStatus.MISSING_OUT
    elif clock_out is None:
        result.status = DayStatus.IN_PROGRESS
    elif result.is_late and result.is_early:
        result.status = DayStatus.LATE_AND_EARLY
    elif result.is_late:
        result.status = DayStatus.LATE
    elif result.is_early:
        result.status = DayStatus.EARLY
    else:
        result.status = DayStatus.NORMAL
        reasons.append("结论：正常。")
    return result
