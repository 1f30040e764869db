"""A deterministic year of attendance for the demo organ: clocks, requests with their approvals,
results and points.

Mostly normal days; some late arrivals and early departures; rare absences; forgotten clock-outs
(and a few forgotten clock-ins), some of them corrected through an approved 补卡 request; leaves,
trips and outings approved through the approvals engine (a few refused). Clocks are written with
`bulk_create` (one audit event summarises the load); requests go through the real services so the
approval chains are the real ones.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import User
from apps.approvals.choices import StageStatus
from apps.approvals.services import approval_decide
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.core.demo.registry import DemoContext
from apps.organization.models import UnitMembership
from apps.workcalendar.services import is_workday

from . import services
from .choices import ClockKind, ClockSource, LeaveType, RequestKind, RequestStatus
from .models import AttendanceRequest, ClockRecord

LEAVE_WEIGHTS = (
    (LeaveType.ANNUAL, 50),
    (LeaveType.SICK, 20),
    (LeaveType.PERSONAL, 20),
    (LeaveType.FAMILY_VISIT, 5),
    (LeaveType.BEREAVEMENT, 3),
    (LeaveType.MARRIAGE, 2),
)
DESTINATIONS = ("省城", "北京", "所辖县区", "兄弟城市", "市直部门")


@dataclass(frozen=True)
class SeedSummary:
    people: int
    clocks: int
    requests: int
    results: int
    scored: int


def _stamp(
    day: datetime.date, time: datetime.time, minutes: int, seconds: int
) -> datetime.datetime:
    base = datetime.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
    return base + datetime.timedelta(minutes=minutes, seconds=seconds)


def _decide(request: AttendanceRequest, rng: random.Random) -> None:
    """Walk the chain as its approvers would; about one request in twenty is refused."""
    if request.approval is None:
        return
    refuse = rng.random() < 0.05
    while True:
        stage = request.approval.stages.filter(status=StageStatus.PENDING).first()
        if stage is None:
            return
        approve = not (refuse and stage.order == 0)
        approval_decide(
            actor=stage.approver,
            request=request.approval,
            approve=approve,
            comment="同意" if approve else "近期工作安排较多，请调整时间",
        )
        request.approval.refresh_from_db()
        if not approve:
            return


def seed_attendance(
    *, year: int = 2026, until: datetime.date | None = None, seed: int = 2026
) -> SeedSummary:
    """Generate the year (up to `until`, default yesterday) for everyone posted in the organ.
    Refuses to run twice on the same year (demo clocks already there)."""
    rng = random.Random(seed)
    yesterday = clock.today() - datetime.timedelta(days=1)
    start = datetime.date(year, 1, 1)
    end = min(until or yesterday, datetime.date(year, 12, 31), yesterday)
    if end < start:
        raise ValidationError(f"{year}年尚未开始，无法生成考勤演示数据。")
    if ClockRecord.objects.filter(day__year=year, source=ClockSource.IMPORT).exists():
        raise ValidationError(f"{year}年的考勤演示数据已经生成过。")

    postings = list(
        UnitMembership.objects.filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("person_id", "start_date")
        .values_list("person_id", "unit_id", "start_date", "end_date")
    )
    people = sorted({p for p, _, _, _ in postings})
    accounts = {u.person_id: u for u in User.objects.filter(person_id__in=people, is_active=True)}
    workdays = [
        start + datetime.timedelta(days=n)
        for n in range((end - start).days + 1)
        if is_workday(start + datetime.timedelta(days=n))
    ]
    book = services.ScheduleBook.load()

    # 1. Requests, through the real services (their approvals recompute the covered days later).
    requests = 0
    covered: dict[int, set[datetime.date]] = {}
    for person_id in people:
        user = accounts.get(person_id)
        if user is None or not workdays:
            continue
        plans = [(RequestKind.LEAVE, rng.randint(1, 4)) for _ in range(rng.randint(1, 3))]
        plans += [(RequestKind.TRIP, rng.randint(2, 4)) for _ in range(rng.randint(0, 2))]
        plans += [(RequestKind.OUTING, 1) for _ in range(rng.randint(0, 3))]
        for kind, length in plans:
            first = rng.randrange(len(workdays))
            days = workdays[first : first + length]
            try:
                request = services.request_submit(
                    user=user,
                    kind=kind,
                    leave_type=rng.choices(
                        [t for t, _ in LEAVE_WEIGHTS], [w for _, w in LEAVE_WEIGHTS]
                    )[0]
                    if kind == RequestKind.LEAVE
                    else "",
                    start_date=days[0],
                    end_date=days[-1],
                    destination=rng.choice(DESTINATIONS) if kind != RequestKind.LEAVE else "",
                    reason={
                        RequestKind.LEAVE: "个人事务",
                        RequestKind.TRIP: "参加上级人大培训及调研",
                        RequestKind.OUTING: "赴市直部门对接工作",
                    }[kind],
                    now=_stamp(days[0], datetime.time(9, 0), -60 * 24 * 3, 0),
                )
            except (ValidationError, PermissionDenied):
                continue  # an overlap with an earlier plan, or no approver: skipped
            requests += 1
            _decide(request, rng)
            request.refresh_from_db()
            if request.status == RequestStatus.APPROVED:
                covered.setdefault(person_id, set()).update(days)

    # 2. Clocks for every workday not covered by an approved request.
    clocks: list[ClockRecord] = []
    forgotten: list[tuple[int, datetime.date, str]] = []
    # Habits differ: about a third of the staff keep a clean record all year (full attendance),
    # most slip now and then, a few are habitually late or forgetful.
    habits: dict[int, tuple[float, float, float, float, float]] = {}
    for person_id in people:
        profile = rng.random()
        if profile < 0.3:
            habits[person_id] = (0.0, 0.0, 0.0, 0.0, 0.0)
        elif profile < 0.85:
            habits[person_id] = (0.0005, 0.015, 0.005, 0.005, 0.002)
        else:
            habits[person_id] = (0.003, 0.07, 0.02, 0.02, 0.005)
    for person_id, unit_id, since, until_day in postings:
        absent_p, late_p, early_p, out_p, in_p = habits[person_id]
        for day in workdays:
            if day < since or (until_day and day > until_day):
                continue
            if day in covered.get(person_id, set()):
                continue
            schedule = book.for_person(person_id, unit_id)
            work_start, work_end, _ = schedule.hours_on(day)
            roll = rng.random()
            if roll < absent_p:
                continue  # absent
            late = roll < absent_p + late_p
            early = absent_p + late_p <= roll < absent_p + late_p + early_p
            arrive = rng.randint(6, 45) if late else -rng.randint(2, 30)
            leave = -rng.randint(10, 50) if early else rng.randint(0, 70)
            edge = absent_p + late_p + early_p
            forget_out = edge <= roll < edge + out_p
            forget_in = edge + out_p <= roll < edge + out_p + in_p
            if not forget_in:
                clocks.append(
                    ClockRecord(
                        person_id=person_id,
                        at=_stamp(day, work_start, arrive, rng.randint(0, 59)),
                        day=day,
                        kind=ClockKind.IN,
                        source=ClockSource.IMPORT,
                    )
                )
            else:
                forgotten.append((person_id, day, ClockKind.IN))
            if not forget_out:
                clocks.append(
                    ClockRecord(
                        person_id=person_id,
                        at=_stamp(day, work_end, leave, rng.randint(0, 59)),
                        day=day,
                        kind=ClockKind.OUT,
                        source=ClockSource.IMPORT,
                    )
                )
            else:
                forgotten.append((person_id, day, ClockKind.OUT))
    with transaction.atomic():
        ClockRecord.objects.bulk_create(clocks, batch_size=2000)
        record_event(
            action=AuditAction.CREATE,
            object_type="attendance.clockrecord",
            object_repr=f"{year}年考勤演示数据",
            detail={"打卡记录": len(clocks), "人员": len(people), "截至": end.isoformat()},
        )

    # 3. About a third of the forgotten clocks are corrected through an approved 补卡.
    for person_id, day, missed in forgotten:
        user = accounts.get(person_id)
        if user is None or rng.random() > 0.35:
            continue
        services.results_compute_range(start=day, end=day, person_ids=[person_id])
        try:
            request = services.request_submit(
                user=user,
                kind=RequestKind.CORRECTION,
                start_date=day,
                reason="忘记打卡，有会议记录为证",
                correction_kind=missed,
                correction_time=datetime.time(8, 50)
                if missed == ClockKind.IN
                else datetime.time(17, 40),
            )
        except (ValidationError, PermissionDenied):
            continue
        requests += 1
        _decide(request, rng)

    results = services.results_compute_range(start=start, end=end)
    scored = services.points_compute(year=year)
    return SeedSummary(
        people=len(people), clocks=len(clocks), requests=requests, results=results, scored=scored
    )


def demo_step(context: DemoContext) -> str:
    """Attendance's part of `seed_demo`: this year up to yesterday, and last year too before March
    (so that a demo built in January still has a year of attendance and year-end points)."""
    yesterday = context.today - datetime.timedelta(days=1)
    years = [yesterday.year - 1, yesterday.year] if yesterday.month < 3 else [yesterday.year]
    lines = []
    for year in years:
        summary = seed_attendance(year=year, seed=context.seed)
        lines.append(
            f"已生成{year}年考勤演示数据：{summary.people} 人，打卡 {summary.clocks} 次，"
            f"请假出差等申请 {summary.requests} 件，每日考勤结果 {summary.results} 条。"
        )
    return "\n".join(lines)
