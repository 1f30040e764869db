"""Writes of the attendance area: clocks, requests (through the approvals engine), results, points,
and the administrator's settings. Each validates first, then changes inside one transaction."""

from __future__ import annotations

import datetime
import ipaddress
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.approvals.models import ApprovalRequest
from apps.approvals.services import approval_submit, approval_withdraw
from apps.core import clock, quantities
from apps.organization.models import Person, UnitMembership
from apps.workcalendar.registry import ArrangementChange
from apps.workcalendar.services import day_name, is_workday, provisional_watch

from .choices import (
    ACTIVE_REQUEST_STATUSES,
    FLOW_CODES,
    ClockKind,
    ClockSource,
    DayPart,
    DayStatus,
    LeaveType,
    PointBasis,
    RequestKind,
    RequestStatus,
)
from .judge import CalendarFact, ClockFact, Hours, RequestFact, judge_day
from .models import (
    AttendancePolicy,
    AttendanceRequest,
    ClockRecord,
    DailyResult,
    PointEntry,
    PointRule,
    Schedule,
    YearPoints,
)

FALLBACK_SCHEDULE = Schedule(name="系统默认作息（尚未配置）")

# ---------------------------------------------------------------------------------------------
# Networks and schedules
# ---------------------------------------------------------------------------------------------


def parse_networks(
    lines: Iterable[str],
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    errors = []
    for line in lines:
        try:
            networks.append(ipaddress.ip_network(line, strict=False))
        except ValueError:
            errors.append(line)
    if errors:
        raise ValidationError(
            {
                "allowed_networks": f"无法识别的 IP 地址或网段：{'、'.join(errors)}（示例：10.12.0.0/16）。"
            }
        )
    return networks


def network_refusal(policy: AttendancePolicy, ip_address: str | None) -> str | None:
    """Why a clock from `ip_address` is refused, or None when it is allowed."""
    lines = policy.network_lines()
    if not lines:
        return None
    allowed = "、".join(lines)
    if not ip_address:
        return f"无法识别您的网络地址，打卡未记录。允许打卡的网络：{allowed}。"
    try:
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return f"无法识别您的网络地址（{ip_address}），打卡未记录。允许打卡的网络：{allowed}。"
    for network in parse_networks(lines):
        if address.version == network.version and address in network:
            return None
    return (
        f"您当前的网络地址 {ip_address} 不在机关允许打卡的网络范围内，打卡未记录。"
        f"允许打卡的网络：{allowed}。请连接机关内网后再打卡，或在事后申请补卡。"
    )


@dataclass
class ScheduleBook:
    """Every schedule, indexed for person > unit > organ resolution (one query)."""

    by_person: dict[int, Schedule]
    by_unit: dict[int, Schedule]
    default: Schedule

    @classmethod
    def load(cls) -> ScheduleBook:
        by_person: dict[int, Schedule] = {}
        by_unit: dict[int, Schedule] = {}
        default: Schedule | None = None
        for schedule in Schedule.objects.select_related("unit", "person").order_by("id"):
            if schedule.person_id:
                by_person[schedule.person_id] = schedule
            elif schedule.unit_id:
                by_unit[schedule.unit_id] = schedule
            elif default is None:
                default = schedule
        return cls(by_person, by_unit, default or FALLBACK_SCHEDULE)

    def for_person(self, person_id: int, unit_id: int | None) -> Schedule:
        return (
            self.by_person.get(person_id)
            or (self.by_unit.get(unit_id) if unit_id else None)
            or self.default
        )

    def hours(self, schedule: Schedule, day: datetime.date) -> Hours:
        start, end, season = schedule.hours_on(day)
        return Hours(
            schedule_id=schedule.pk,
            schedule_name=schedule.name,
            scope=schedule.scope_label,
            start=start,
            end=end,
            midday=schedule.midday,
            season=season,
            grace_minutes=schedule.grace_minutes,
            half_day_minutes=schedule.half_day_minutes,
        )


def calendar_fact(day: datetime.date) -> CalendarFact:
    with provisional_watch() as use:
        workday, name = is_workday(day), day_name(day)
    return CalendarFact(is_workday=workday, name=name, provisional_note=use.note)


def unit_on(person_id: int, day: datetime.date) -> int | None:
    membership = (
        UnitMembership.objects.on(day).filter(person_id=person_id).order_by("-start_date").first()
    )
    return membership.unit_id if membership else None


# ---------------------------------------------------------------------------------------------
# Clocks
# ---------------------------------------------------------------------------------------------


# A clock-out this soon after the clock-in, or before the end of the working day, is asked about
# first (issue 10: a 下班打卡 right after the 上班打卡 got no warning; a second tap meant to be
# a repeat became the day's clock-out and an early leave).
CLOCK_OUT_CONFIRM_WITHIN = datetime.timedelta(hours=1)


class ClockOutNeedsConfirmation(ValidationError):
    """The tap would record an early clock-out: nothing was written; ask, then tap with
    `confirmed=True`."""


def clock_out_warning(
    *, person_id: int, first_in: datetime.datetime | None, local: datetime.datetime
) -> str:
    """Why a clock-out now deserves a second look, or "" (a clock-out that needs no question)."""
    if first_in is None:
        return ""
    day = local.date()
    _, end, _ = ScheduleBook.load().for_person(person_id, unit_on(person_id, day)).hours_on(day)
    since = local - timezone.localtime(first_in)
    if since < CLOCK_OUT_CONFIRM_WITHIN:
        minutes = max(int(since.total_seconds() // 60), 0)
        return (
            f"您在 {timezone.localtime(first_in):%H:%M} 已上班打卡，距今仅 {minutes} 分钟。"
            f"现在打卡将记为下班打卡，早于下班时间 {end:%H:%M} 的将计为早退。确认要下班打卡吗？"
        )
    if local.time() < end:
        return (
            f"现在（{local:%H:%M}）早于下班时间 {end:%H:%M}，此时下班打卡将按早退判定"
            "（已批准的请假、公出除外）。确认要下班打卡吗？"
        )
    return ""


@dataclass(frozen=True)
class ClockOutcome:
    record: ClockRecord
    created: bool


def next_clock_kind(
    *, person_id: int, day: datetime.date, local_time: datetime.time, has_in: bool
) -> str:
    """The first tap of a day is the clock-in, unless it comes after the end of the working day
    (a forgotten clock-in: recording it as an arrival at 17:30 would call it a 8-hour late);
    every later tap is a clock-out, and the last one counts."""
    if has_in:
        return ClockKind.OUT
    schedule = ScheduleBook.load().for_person(person_id, unit_on(person_id, day))
    _, end, _ = schedule.hours_on(day)
    return ClockKind.OUT if local_time >= end else ClockKind.IN


def clock_tap(
    *,
    user: User,
    ip_address: str | None,
    now: datetime.datetime | None = None,
    confirmed: bool = False,
) -> ClockOutcome:
    """Record a clock for the user's person at the server's time (the client's clock is never
    asked). A tap within the policy's window after the previous one is that same record.

    The one rule of the "same tap": under the person's row lock, the time of record is read
    *after* the lock is held, and any tap of the person at or after (time − window) is the same
    tap. Taps are serialised by the lock and each reads the clock only once it holds it, so every
    earlier tap's time is ≤ this one's: no interleaving makes a second row (the probe saw an IN
    and an OUT 0.4 ms apart when the time was taken before the lock and the window ended at it).
    `now` is for tests and imports that give the time themselves.
    """
    if not user.person_id:
        raise PermissionDenied("您的账号未关联人员，无需打卡。")
    policy = AttendancePolicy.current()
    refusal = network_refusal(policy, ip_address)
    if refusal:
        raise ValidationError(refusal)
    window = datetime.timedelta(seconds=policy.duplicate_window_seconds)
    with transaction.atomic():
        # Lock the person row: two taps arriving together must not both pass the window check.
        Person.objects.select_for_update().filter(pk=user.person_id).first()
        now = now or clock.now()
        local = timezone.localtime(now)
        # The window reaches both ways: a tap stamped a moment "later" by another worker whose
        # clock runs a little ahead is the same tap too.
        recent = (
            ClockRecord.objects.filter(
                person_id=user.person_id,
                source=ClockSource.TAP,
                at__range=(now - window, now + window),
            )
            .order_by("-at")
            .first()
        )
        if recent is not None:
            return ClockOutcome(recent, False)
        first_in = (
            ClockRecord.objects.filter(
                person_id=user.person_id, day=local.date(), kind=ClockKind.IN
            )
            .order_by("at")
            .values_list("at", flat=True)
            .first()
        )
        kind = next_clock_kind(
            person_id=user.person_id,
            day=local.date(),
            local_time=local.time(),
            has_in=first_in is not None,
        )
        if kind == ClockKind.OUT and not confirmed:
            warning = clock_out_warning(person_id=user.person_id, first_in=first_in, local=local)
            if warning:
                raise ClockOutNeedsConfirmation(warning)
        record = ClockRecord.objects.create(
            person_id=user.person_id,
            at=now,
            day=local.date(),
            kind=kind,
            source=ClockSource.TAP,
            ip_address=ip_address,
        )
    return ClockOutcome(record, True)


# ---------------------------------------------------------------------------------------------
# Daily results
# ---------------------------------------------------------------------------------------------

RESULT_FIELDS = [
    "unit",
    "status",
    "is_workday",
    "provisional",
    "schedule",
    "expected_start",
    "expected_end",
    "first_in",
    "last_out",
    "late_minutes",
    "early_minutes",
    "is_late",
    "is_early",
    "missing_in",
    "missing_out",
    "absence_days",
    "leave_days",
    "away_days",
    "reasons",
    "explanation",
    "computed_at",
]


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def results_compute_range(
    *,
    start: datetime.date,
    end: datetime.date,
    person_ids: Iterable[int] | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """(Re)compute the results of everyone posted to a unit (or of `person_ids`) from `start` to
    `end`, never past today. A fixed number of queries whatever the number of people; rows are
    upserted in batches. Returns the number of results written."""
    now = now or clock.now()
    rows = judge_range(start=start, end=end, person_ids=person_ids, now=now)
    with transaction.atomic():
        DailyResult.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["person", "day"],
            update_fields=RESULT_FIELDS,
        )
    return len(rows)


def judge_range(
    *,
    start: datetime.date,
    end: datetime.date,
    person_ids: Iterable[int] | None = None,
    now: datetime.datetime | None = None,
) -> list[DailyResult]:
    """The results `results_compute_range` writes, judged in memory and not saved (the leaders'
    dashboard reads today's this way: today is judged only at night). A fixed number of queries."""
    now = now or clock.now()
    today = timezone.localdate(now)
    end = min(end, today)
    if start > end:
        return []
    ids = set(person_ids) if person_ids is not None else None

    memberships = UnitMembership.objects.filter(start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if ids is not None:
        memberships = memberships.filter(person_id__in=ids)
    postings: dict[int, list[tuple[datetime.date, datetime.date | None, int]]] = defaultdict(list)
    for person_id, posted_unit, since, until in memberships.order_by("start_date").values_list(
        "person_id", "unit_id", "start_date", "end_date"
    ):
        postings[person_id].append((since, until, posted_unit))

    clocks = ClockRecord.objects.filter(day__range=(start, end))
    requests = AttendanceRequest.objects.filter(
        status=RequestStatus.APPROVED, start_date__lte=end, end_date__gte=start
    ).exclude(kind=RequestKind.CORRECTION)
    if ids is not None:
        clocks = clocks.filter(person_id__in=ids)
        requests = requests.filter(person_id__in=ids)
    clocks_by: dict[tuple[int, datetime.date], list[ClockFact]] = defaultdict(list)
    for cid, pid, day, at, kind, source, correction_id in clocks.values_list(
        "id", "person_id", "day", "at", "kind", "source", "correction_id"
    ):
        clocks_by[(pid, day)].append(
            ClockFact(cid, timezone.localtime(at), kind, source, correction_id)
        )
    requests_by: dict[int, list[RequestFact]] = defaultdict(list)
    for request in requests:
        requests_by[request.person_id].append(
            RequestFact(
                request.pk,
                request.kind,
                request.label,
                request.start_date,
                request.end_date,
                request.day_part,
            )
        )
    book = ScheduleBook.load()
    facts = {day: calendar_fact(day) for day in _days(start, end)}

    rows: list[DailyResult] = []
    for person_id, person_postings in postings.items():
        for day in facts:
            unit_id: int | None = next(
                (
                    unit
                    for since, until, unit in reversed(person_postings)
                    if since <= day and (until is None or until >= day)
                ),
                None,
            )
            if unit_id is None:
                continue  # not posted in the organ that day: no attendance to judge
            schedule = book.for_person(person_id, unit_id)
            judgement = judge_day(
                day=day,
                calendar=facts[day],
                hours=book.hours(schedule, day),
                clocks=sorted(clocks_by.get((person_id, day), []), key=lambda c: c.at),
                requests=requests_by.get(person_id, []),
                ended=day < today,
            )
            rows.append(
                DailyResult(
                    person_id=person_id,
                    day=day,
                    unit_id=unit_id,
                    status=judgement.status,
                    is_workday=judgement.is_workday,
                    provisional=judgement.provisional,
                    schedule_id=schedule.pk,
                    expected_start=judgement.expected_start,
                    expected_end=judgement.expected_end,
                    first_in=judgement.first_in,
                    last_out=judgement.last_out,
                    late_minutes=judgement.late_minutes,
                    early_minutes=judgement.early_minutes,
                    is_late=judgement.is_late,
                    is_early=judgement.is_early,
                    missing_in=judgement.missing_in,
                    missing_out=judgement.missing_out,
                    absence_days=judgement.absence_days,
                    leave_days=judgement.leave_days,
                    away_days=judgement.away_days,
                    reasons=judgement.reasons,
                    explanation=judgement.explanation,
                    computed_at=now,
                )
            )
    return rows


def result_compute(
    *, person: Person, day: datetime.date, now: datetime.datetime | None = None
) -> DailyResult | None:
    """(Re)compute one person's day; None when the day is in the future or the person was not
    posted in the organ."""
    results_compute_range(start=day, end=day, person_ids=[person.pk], now=now)
    return DailyResult.objects.filter(person=person, day=day).first()


def rejudge_after_arrangement(change: ArrangementChange) -> int:
    """Judge again the results of the changed years that were judged provisionally, or that fall
    on a day whose kind changed, and the year-end points computed from them. Runs inside the
    calendar's transaction; returns how many results were written."""
    rows = DailyResult.objects.filter(day__year__in=change.years).filter(
        Q(provisional=True) | Q(day__in=change.days)
    )
    span = rows.aggregate(first=Min("day"), last=Max("day"))
    if span["first"] is None:
        return 0
    written = results_compute_range(
        start=span["first"],
        end=span["last"],
        person_ids=set(rows.values_list("person_id", flat=True)),
    )
    for year in change.years:
        if YearPoints.objects.filter(year=year).exists():
            points_compute(year=year)
    return written


def compute_yesterday() -> int:
    """The nightly job: yesterday's results for everyone (idempotent: an upsert)."""
    yesterday = clock.today() - datetime.timedelta(days=1)
    return results_compute_range(start=yesterday, end=yesterday)


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------


def _workday_count(start: datetime.date, end: datetime.date) -> int:
    return sum(1 for day in _days(start, end) if is_workday(day))


def _overlapping(
    person_id: int, start: datetime.date, end: datetime.date, day_part: str
) -> AttendanceRequest | None:
    candidates = AttendanceRequest.objects.filter(
        person_id=person_id,
        status__in=ACTIVE_REQUEST_STATUSES,
        start_date__lte=end,
        end_date__gte=start,
    ).exclude(kind=RequestKind.CORRECTION)
    for other in candidates:
        # A morning and an afternoon of the same single day do not overlap.
        if start == end == other.start_date == other.end_date and {day_part, other.day_part} == {
            DayPart.AM,
            DayPart.PM,
        }:
            continue
        return other
    return None


def _check_correction(
    person: Person, day: datetime.date, kind: str, at: datetime.time | None, now: datetime.datetime
) -> None:
    errors: dict[str, str] = {}
    local_now = timezone.localtime(now)
    if not kind:
        errors["correction_kind"] = "请选择补上班卡还是下班卡。"
    if at is None:
        errors["correction_time"] = "请填写实际到岗或离岗的时间。"
    if errors:
        raise ValidationError(errors)
    if day > local_now.date() or (day == local_now.date() and at and at > local_now.time()):
        raise ValidationError({"start_date": "不能为尚未到来的时间补卡。"})
    fact = calendar_fact(day)
    if not fact.is_workday:
        raise ValidationError({"start_date": f"{day:%Y-%m-%d} 不是工作日，无需补卡。"})
    if ClockRecord.objects.filter(person=person, day=day, kind=kind).exists():
        raise ValidationError(
            {"correction_kind": f"{day:%Y-%m-%d} 已有{ClockKind(kind).label}记录，无需补卡。"}
        )
    if AttendanceRequest.objects.filter(
        person=person,
        kind=RequestKind.CORRECTION,
        start_date=day,
        correction_kind=kind,
        status__in=ACTIVE_REQUEST_STATUSES,
    ).exists():
        raise ValidationError({"start_date": "该日已有同类补卡申请（审批中或已批准）。"})
    result = result_compute(person=person, day=day, now=now)
    if result is not None and result.status in {
        DayStatus.NORMAL,
        DayStatus.LEAVE,
        DayStatus.TRIP,
        DayStatus.OUTING,
    }:
        raise ValidationError(
            {
                "start_date": f"{day:%Y-%m-%d} 的考勤结果为“{result.get_status_display()}”，无需补卡。"
            }
        )


# Date bounds of a request (the probe filed leave dated 2004, and leave longer than a year): it
# starts at most a year back (leave recorded afterwards) and a year ahead, and spans at most a
# year; its reason has a length cap like every free text.
REQUEST_DAYS_BACK = 366
REQUEST_DAYS_AHEAD = 366
REQUEST_MAX_SPAN_DAYS = 366
REQUEST_REASON_MAX = 1000


@transaction.atomic
def request_submit(
    *,
    user: User,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    reason: str,
    leave_type: str = "",
    day_part: str = DayPart.FULL,
    destination: str = "",
    correction_kind: str = "",
    correction_time: datetime.time | None = None,
    now: datetime.datetime | None = None,
) -> AttendanceRequest:
    """Submit a leave, trip, outing or correction for the user's own person, and start its
    approval. Refused requests raise ValidationError and leave nothing behind."""
    now = now or clock.now()
    if not user.person_id:
        raise PermissionDenied("您的账号未关联人员，不能提交考勤申请。")
    if kind not in RequestKind.values:
        raise ValidationError({"kind": "请选择申请类别。"})
    if kind == RequestKind.CORRECTION:
        end_date = start_date
        day_part = DayPart.FULL
    end_date = end_date or start_date
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "请填写事由。"
    if kind == RequestKind.LEAVE and leave_type not in LeaveType.values:
        errors["leave_type"] = "请选择假别。"
    elif len(reason) > REQUEST_REASON_MAX:
        errors["reason"] = f"事由不能超过{REQUEST_REASON_MAX}字。"
    today = timezone.localdate(now)
    if start_date < today - datetime.timedelta(days=REQUEST_DAYS_BACK):
        errors["start_date"] = f"不能为{REQUEST_DAYS_BACK}天以前的日期提交申请。"
    elif start_date > today + datetime.timedelta(days=REQUEST_DAYS_AHEAD):
        errors["start_date"] = f"最多只能提前{REQUEST_DAYS_AHEAD}天提交申请。"
    if end_date < start_date:
        errors["end_date"] = "结束日期不能早于开始日期。"
    elif (end_date - start_date).days + 1 > REQUEST_MAX_SPAN_DAYS:
        errors["end_date"] = f"一次申请最长{REQUEST_MAX_SPAN_DAYS}天，更长的请分段申请。"
    if day_part != DayPart.FULL and start_date != end_date:
        errors["day_part"] = "只有一天之内的申请可以选择上午或下午。"
    if errors:
        raise ValidationError(errors)
    person = Person.objects.select_for_update().get(pk=user.person_id)  # one request at a time

    if kind == RequestKind.CORRECTION:
        _check_correction(person, start_date, correction_kind, correction_time, now)
        days = Decimal("0")
    else:
        workdays = _workday_count(start_date, end_date)
        if workdays == 0:
            raise ValidationError({"start_date": "所选日期均为休息日或法定节假日，无需申请。"})
        days = Decimal("0.5") if day_part != DayPart.FULL else Decimal(workdays)
        other = _overlapping(person.pk, start_date, end_date, day_part)
        if other is not None:
            raise ValidationError(
                {
                    "start_date": f"与已有申请重叠：{other.label} {other.period_label}"
                    f"（{other.get_status_display()}，申请#{other.pk}）。"
                }
            )
    request = AttendanceRequest.objects.create(
        person=person,
        applicant=user,
        kind=kind,
        leave_type=leave_type if kind == RequestKind.LEAVE else "",
        start_date=start_date,
        end_date=end_date,
        day_part=day_part,
        days=days,
        destination=destination,
        reason=reason.strip(),
        correction_kind=correction_kind if kind == RequestKind.CORRECTION else "",
        correction_time=correction_time if kind == RequestKind.CORRECTION else None,
        created_at=now,
    )
    days_text = quantities.workdays(days) if kind != RequestKind.CORRECTION else ""
    approval = approval_submit(
        flow_code=FLOW_CODES[RequestKind(kind)],
        applicant=user,
        subject=request,
        title=f"{person.name} {request.label} {request.period_label} {days_text}".strip(),
        amount=days,
    )
    request.approval = approval
    request.save(update_fields=["approval"])
    return request


def on_request_decided(approval: ApprovalRequest) -> None:
    """Registered with the approvals engine; runs inside the deciding transaction."""
    from apps.approvals.choices import RequestStatus as ApprovalStatus

    request = AttendanceRequest.objects.select_for_update().filter(approval=approval).first()
    if request is None:
        return
    request.status = {
        ApprovalStatus.APPROVED: RequestStatus.APPROVED,
        ApprovalStatus.REJECTED: RequestStatus.REJECTED,
        ApprovalStatus.WITHDRAWN: RequestStatus.WITHDRAWN,
    }.get(ApprovalStatus(approval.status), RequestStatus.PENDING)
    request.decided_at = approval.decided_at or clock.now()
    request.save(update_fields=["status", "decided_at"])
    if request.status != RequestStatus.APPROVED:
        return
    if request.kind == RequestKind.CORRECTION and request.correction_time is not None:
        at = datetime.datetime.combine(
            request.start_date, request.correction_time, tzinfo=timezone.get_current_timezone()
        )
        ClockRecord.objects.create(
            person=request.person,
            at=at,
            day=request.start_date,
            kind=request.correction_kind,
            source=ClockSource.CORRECTION,
            correction=request,
        )
    # The days it covers are judged again now, not at the next nightly run.
    results_compute_range(
        start=request.start_date, end=request.end_date, person_ids=[request.person_id]
    )


def describe_request(request: AttendanceRequest) -> str:
    text = f"{request.person.name} · {request.label} · {request.period_label}"
    if request.kind != RequestKind.CORRECTION:
        text += f" · {quantities.workdays(request.days)}"
    else:
        text += f" · {request.correction_time:%H:%M}" if request.correction_time else ""
    return f"{text} · 事由：{request.reason[:40]}"


def request_withdraw(*, user: User, request: AttendanceRequest) -> AttendanceRequest:
    if request.approval is None:
        raise ValidationError("该申请没有审批记录，无法撤回。")
    approval_withdraw(actor=user, request=request.approval)
    request.refresh_from_db()
    return request


# ---------------------------------------------------------------------------------------------
# Settings (system administrator)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def policy_update(
    *,
    allowed_networks: str,
    duplicate_window_seconds: int,
    points_total_cap: Decimal,
) -> AttendancePolicy:
    lines = [line.strip() for line in allowed_networks.splitlines() if line.strip()]
    parse_networks(lines)
    if not 0 <= duplicate_window_seconds <= 3600:
        raise ValidationError({"duplicate_window_seconds": "请填写 0 到 3600 之间的秒数。"})
    if points_total_cap < 0:
        raise ValidationError({"points_total_cap": "总分上限不能为负数。"})
    policy = AttendancePolicy.current()
    policy.allowed_networks = "\n".join(lines)
    policy.duplicate_window_seconds = duplicate_window_seconds
    policy.points_total_cap = points_total_cap
    policy.save(update_fields=["allowed_networks", "duplicate_window_seconds", "points_total_cap"])
    return policy


def schedule_check(schedule: Schedule) -> None:
    """Rules a schedule form cannot express field by field."""
    errors: dict[str, str] = {}
    if schedule.work_end <= schedule.work_start:
        errors["work_end"] = "下班时间须晚于上班时间。"
    if bool(schedule.summer_from) != bool(schedule.summer_to):
        errors["summer_to"] = "夏季作息的起止日期须同时填写。"
    if schedule.summer_from and not (schedule.summer_work_start and schedule.summer_work_end):
        errors["summer_work_start"] = "填写了夏季作息日期，请同时填写夏季上下班时间。"
    if (
        schedule.summer_work_start
        and schedule.summer_work_end
        and schedule.summer_work_end <= schedule.summer_work_start
    ):
        errors["summer_work_end"] = "夏季下班时间须晚于夏季上班时间。"
    if not schedule.unit_id and not schedule.person_id:
        other_default = Schedule.objects.filter(unit__isnull=True, person__isnull=True).exclude(
            pk=schedule.pk
        )
        if other_default.exists():
            errors["unit"] = "机关默认作息只能有一个：请选择适用单位或人员，或修改已有的默认作息。"
    if schedule.unit_id and schedule.person_id:
        errors["person"] = "一条作息只能适用于一个单位或一个人员。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_save(*, schedule: Schedule) -> Schedule:
    schedule_check(schedule)
    schedule.save()
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: Schedule) -> None:
    schedule.delete()


@transaction.atomic
def point_rule_save(*, rule: PointRule) -> PointRule:
    if rule.cap is not None and rule.cap < 0:
        raise ValidationError({"cap": "上限填写绝对值，不能为负数。"})
    if rule.points == 0:
        raise ValidationError({"points": "分值不能为 0。"})
    rule.save()
    return rule


# ---------------------------------------------------------------------------------------------
# Year-end points
# ---------------------------------------------------------------------------------------------


def _capped(raw: Decimal, cap: Decimal | None) -> Decimal:
    if cap is None or abs(raw) <= cap:
        return raw
    return cap if raw > 0 else -cap


@transaction.atomic
def points_compute(*, year: int, person_ids: Iterable[int] | None = None) -> int:
    """Turn the year's daily results into points per person, rule by rule, each entry linked to
    the results it counts. Replaces the year's previous computation. Returns the people scored."""
    rules = list(PointRule.objects.filter(is_active=True).order_by("order", "id"))
    cap_total = AttendancePolicy.current().points_total_cap
    results = DailyResult.objects.filter(day__year=year, is_workday=True)
    if person_ids is not None:
        ids = list(person_ids)
        results = results.filter(person_id__in=ids)
    per_person: dict[int, dict[str, Any]] = {}
    for rid, pid, late, early, m_in, m_out, absence, status in results.values_list(
        "id",
        "person_id",
        "is_late",
        "is_early",
        "missing_in",
        "missing_out",
        "absence_days",
        "status",
    ).order_by("person_id", "day"):
        counts = per_person.setdefault(
            pid,
            {"late": [], "early": [], "absence": [], "missing": [], "workdays": 0, "problems": 0},
        )
        counts["workdays"] += 1
        if status == DayStatus.IN_PROGRESS:
            continue
        if late:
            counts["late"].append(rid)
        if early:
            counts["early"].append(rid)
        if absence:
            counts["absence"].append((rid, absence))
        for _ in range(int(m_in) + int(m_out)):
            counts["missing"].append(rid)
        if late or early or absence or m_in or m_out:
            counts["problems"] += 1

    stale = YearPoints.objects.filter(year=year)
    if person_ids is not None:
        stale = stale.filter(person_id__in=ids)
    stale.delete()
    now = clock.now()
    plans: list[tuple[YearPoints, list[tuple[PointEntry, list[int]]]]] = []
    for pid, counts in per_person.items():
        entries: list[tuple[PointEntry, list[int]]] = []
        for rule in rules:
            linked: list[int]
            if rule.basis == PointBasis.FULL_ATTENDANCE:
                if counts["problems"]:
                    continue
                occurrences, raw = 1, rule.points
                linked = []
                note = f"全年 {counts['workdays']} 个工作日无迟到、早退、缺卡、旷工"
            elif rule.basis == PointBasis.ABSENCE:
                linked = [rid for rid, _ in counts["absence"]]
                days = sum((d for _, d in counts["absence"]), Decimal("0"))
                occurrences, raw = len(linked), rule.points * days
                note = f"旷工合计{quantities.days(days)}"
            else:
                key = {"late": "late", "early": "early", "missing_clock": "missing"}[rule.basis]
                linked = counts[key]
                occurrences, raw = len(linked), rule.points * len(linked)
                note = f"{PointBasis(rule.basis).label.removeprefix('每次')} {occurrences} 次"
            if occurrences == 0:
                continue
            points = _capped(raw, rule.cap)
            if points != raw:
                note += f"，按本项上限 {rule.cap} 计"
            entries.append(
                (
                    PointEntry(
                        rule=rule,
                        rule_name=rule.name,
                        basis=rule.basis,
                        occurrences=occurrences,
                        raw_points=raw,
                        points=points,
                        note=note,
                    ),
                    sorted(set(linked)),
                )
            )
        raw_total = sum((e.points for e, _ in entries), Decimal("0"))
        plans.append(
            (
                YearPoints(
                    person_id=pid,
                    year=year,
                    raw_total=raw_total,
                    total=_capped(raw_total, cap_total),
                    computed_at=now,
                ),
                entries,
            )
        )
    YearPoints.objects.bulk_create([p for p, _ in plans], batch_size=1000)
    for year_points, entries in plans:
        for entry, _ in entries:
            entry.year_points = year_points
    all_entries = [entry for _, entries in plans for entry in entries]
    PointEntry.objects.bulk_create([e for e, _ in all_entries], batch_size=1000)
    Through = PointEntry.results.through
    Through.objects.bulk_create(
        [
            Through(pointentry_id=entry.pk, dailyresult_id=rid)
            for entry, linked in all_entries
            for rid in linked
        ],
        batch_size=5000,
    )
    return len(plans)
