"""The demo ledger: the organ's year of supervision, rectification and key tasks, with history.

Built in bulk (the benchmark asks for 50,000 items), but every row is one the services could have
written: each item's events follow the lifecycle from creation to its present state, so timelines,
warnings and statistics read true. Deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.registry import summarised_load
from apps.audit.services import record_event
from apps.core import clock
from apps.core.demo.registry import DemoContext
from apps.organization.choices import UnitKind
from apps.organization.models import LeadershipPost, Unit, UnitMembership
from apps.workcalendar.services import add_workdays

from . import deadlines
from .choices import EventKind, FeedbackRule, ItemKind, MilestoneStatus, Source, Status
from .demo_content import INSPECTION_PROBLEMS, KEY_TASK_TOPICS, MILESTONE_STEPS, PARTY_GROUP_MATTERS
from .models import Checklist, ItemEvent, Milestone, ProgressReport, TrackedItem

BATCH = 2000


@dataclass
class LedgerSummary:
    checklists: int = 0
    items: int = 0
    closed: int = 0
    overdue: int = 0
    events: int = 0


@dataclass
class _World:
    rng: random.Random
    today: datetime.date
    year: int
    office_user: User
    office_people: list[int]
    leaders: list[int]
    units: dict[str, Unit]
    members: dict[int, list[int]]
    heads: dict[int, int]
    accounts: dict[int, int]  # person id → user id
    warn_cache: dict[datetime.date, tuple[datetime.date, bool]] = field(default_factory=dict)

    def warn_from(self, day: datetime.date) -> tuple[datetime.date, bool]:
        """The warning date of a deadline and whether it is provisional (预估)."""
        if day not in self.warn_cache:
            self.warn_cache[day] = deadlines.warn_from_flagged(day)
        return self.warn_cache[day]

    def actor_for(self, person_id: int | None) -> int:
        return self.accounts.get(person_id or 0, self.office_user.pk)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _workday_on_or_after(day: datetime.date) -> datetime.date:
    return deadlines.on_or_after_workday(day)


def demo_year(today: datetime.date) -> int:
    """The work year the demo ledger tells: this year from March, last year before (in January a
    ledger of this year has only just been assigned, and the office is closing last year's)."""
    return today.year if today.month >= 3 else today.year - 1


def _world(seed: int, today: datetime.date) -> _World:
    office_user = (
        User.objects.filter(role=Role.OFFICE_STAFF, is_active=True).order_by("id").first()
        or User.objects.filter(role=Role.UNIT_HEAD).order_by("id").first()
    )
    if office_user is None:
        raise ValueError("没有办公室工作人员账号，请先生成演示机关（seed_demo）。")
    units = {u.name: u for u in Unit.objects.filter(is_active=True)}
    members: dict[int, list[int]] = {}
    heads: dict[int, int] = {}
    for unit_id, person_id, is_head in UnitMembership.objects.on(today).values_list(
        "unit_id", "person_id", "is_head"
    ):
        members.setdefault(unit_id, []).append(person_id)
        if is_head:
            heads.setdefault(unit_id, person_id)
    office = [u for u in units.values() if u.kind == UnitKind.OFFICE]
    office_people = members.get(office[0].pk, []) if office else []
    leaders = list(
        LeadershipPost.objects.on(today).order_by("sort_order").values_list("person_id", flat=True)
    )
    accounts = dict(User.objects.filter(person__isnull=False).values_list("person_id", "id"))
    return _World(
        rng=random.Random(seed),
        today=today,
        year=demo_year(today),
        office_user=office_user,
        office_people=office_people[:6],
        leaders=leaders,
        units=units,
        members={k: sorted(v) for k, v in members.items()},
        heads=heads,
        accounts=accounts,
    )


@dataclass
class _Plan:
    """An item to write, with the story of its life up to today."""

    item: TrackedItem
    co_unit_ids: list[int]
    tracker_ids: list[int]
    milestones: list[Milestone]
    events: list[ItemEvent]
    reports: list[ProgressReport]
    children: list[_Plan] = field(default_factory=list)


def _story(
    w: _World, item: TrackedItem, milestone_specs: list[tuple[str, datetime.date]]
) -> tuple[list[ItemEvent], list[ProgressReport], list[Milestone]]:
    """Advance the item from draft to a plausible state as of `w.today`, writing its events."""
    rng, today = w.rng, w.today
    office_actor = w.office_user.pk
    unit_actor = w.actor_for(item.responsible_person_id)
    events: list[ItemEvent] = []
    reports: list[ProgressReport] = []
    assigned = item.assigned_at.date() if item.assigned_at else today

    clock = [_at(assigned, 8)]

    def moment(day: datetime.date) -> datetime.datetime:
        # Strictly increasing times, so the timeline's order is the order of the story.
        at = max(_at(day, 9, rng.randrange(60)), clock[0] + datetime.timedelta(minutes=7))
        clock[0] = at
        return at

    def event(kind: str, day: datetime.date, actor: int, frm: str, to: str, note: str = "", **data):
        events.append(
            ItemEvent(
                item=item,
                kind=kind,
                actor_id=actor,
                created_at=moment(day),
                from_status=frm,
                to_status=to,
                note=note,
                data=data,
            )
        )

    event(EventKind.CREATED, assigned, office_actor, "", Status.DRAFT)
    event(
        EventKind.TRANSITION,
        assigned,
        office_actor,
        Status.DRAFT,
        Status.ASSIGNED,
        "请按时限办理并反馈",
    )
    item.status = Status.ASSIGNED
    ack = add_workdays(assigned, rng.choice([1, 1, 2]))
    if ack > today:
        return events, reports, _milestones(w, item, milestone_specs, None)
    event(EventKind.TRANSITION, ack, unit_actor, Status.ASSIGNED, Status.ACKNOWLEDGED, "已签收")
    item.status, item.acknowledged_at = Status.ACKNOWLEDGED, _at(ack, 10)

    # How it ends: most on time, some late, a few still overdue; the future is still open.
    roll = rng.random()
    if item.deadline < today - datetime.timedelta(days=10):
        fate = "on_time" if roll < 0.78 else "late" if roll < 0.9 else "overdue"
    elif item.deadline < today:
        fate = "on_time" if roll < 0.5 else "reported" if roll < 0.7 else "overdue"
    else:
        fate = "early" if roll < 0.15 else "open"
    if fate in {"on_time", "early"}:
        span = max((item.deadline - ack).days, 1)
        finish = ack + datetime.timedelta(days=rng.randint(max(span // 2, 1), span))
    elif fate == "late":
        finish = item.deadline + datetime.timedelta(days=rng.randint(3, 20))
    elif fate == "reported":
        finish = min(item.deadline - datetime.timedelta(days=rng.randint(0, 3)), today)
    else:
        finish = None
    finish = min(_workday_on_or_after(finish), today) if finish else None

    # Monthly progress notes until the finish (or today).
    end = finish or today
    day, percent = ack, 0
    started = False
    while True:
        day += datetime.timedelta(days=rng.randint(24, 35))
        if day >= end:  # checked first: a day past the end may fall in a year the calendar lacks
            break
        day = _workday_on_or_after(day)
        if day >= end:
            break
        percent = min(percent + rng.randint(10, 30), 90)
        status_before = item.status
        if not started:
            event(EventKind.TRANSITION, day, unit_actor, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
            item.status, started = Status.IN_PROGRESS, True
            status_before = Status.IN_PROGRESS
        note = f"已完成{percent}%：按方案推进，{rng.choice(['召开推进会', '完成实地调研', '形成初步意见', '协调相关部门'])}。"
        event(
            EventKind.FEEDBACK,
            day,
            unit_actor,
            status_before,
            item.status,
            note,
            percent=percent,
            late=False,
        )
        reports.append(
            ProgressReport(
                item=item,
                reporter_id=unit_actor,
                text=note,
                percent=percent,
                created_at=_at(day, 15),
            )
        )
    item.progress = percent
    if item.feedback_rule != FeedbackRule.NONE:
        item.feedback_from = reports[-1].created_at.date() if reports else ack
        item.feedback_due, item.feedback_provisional = deadlines.next_feedback_due_flagged(
            item.feedback_rule, item.feedback_workdays, item.feedback_from
        )
    milestones = _milestones(w, item, milestone_specs, finish)
    if finish is None:
        if item.status == Status.ACKNOWLEDGED and rng.random() < 0.7:
            event(EventKind.TRANSITION, ack, unit_actor, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
            item.status = Status.IN_PROGRESS
        return events, reports, milestones
    if item.status == Status.ACKNOWLEDGED:
        event(EventKind.TRANSITION, finish, unit_actor, Status.ACKNOWLEDGED, Status.IN_PROGRESS)
    event(
        EventKind.TRANSITION,
        finish,
        unit_actor,
        Status.IN_PROGRESS,
        Status.REPORTED,
        "已按要求办结，附相关材料。",
    )
    item.status, item.reported_at, item.progress = Status.REPORTED, _at(finish, 16), 100
    item.feedback_due, item.feedback_from, item.feedback_provisional = None, None, False
    if fate == "reported":
        return events, reports, milestones
    verified = min(add_workdays(finish, rng.choice([1, 2])), today)
    if rng.random() < 0.08 and verified < today:
        event(
            EventKind.RETURNED,
            verified,
            office_actor,
            Status.REPORTED,
            Status.IN_PROGRESS,
            "佐证材料不全，请补充后重新报送。",
        )
        event(
            EventKind.TRANSITION,
            verified,
            unit_actor,
            Status.IN_PROGRESS,
            Status.REPORTED,
            "已补充材料。",
        )
    event(
        EventKind.TRANSITION,
        verified,
        office_actor,
        Status.REPORTED,
        Status.VERIFIED,
        "经核验，办理结果属实。",
    )
    item.status, item.verified_at, item.verifier_id = (
        Status.VERIFIED,
        _at(verified, 11),
        office_actor,
    )
    closed = min(add_workdays(verified, rng.choice([0, 1])), today)
    if (today - closed).days <= 7 and rng.random() < 0.6:
        return events, reports, milestones
    evidence = "办理结果经核验属实，相关材料已归档，予以销号。"
    event(EventKind.TRANSITION, closed, office_actor, Status.VERIFIED, Status.CLOSED, evidence)
    item.status, item.closed_at, item.closing_evidence = Status.CLOSED, _at(closed, 17), evidence
    return events, reports, milestones


def _milestones(
    w: _World,
    item: TrackedItem,
    specs: list[tuple[str, datetime.date]],
    finish: datetime.date | None,
) -> list[Milestone]:
    rows = []
    for n, (title, deadline) in enumerate(specs):
        done = (finish is not None and deadline <= finish) or (
            deadline < w.today and w.rng.random() < 0.85
        )
        rows.append(
            Milestone(
                item=item,
                title=title,
                deadline=deadline,
                warn_from=w.warn_from(deadline)[0],
                warn_provisional=w.warn_from(deadline)[1],
                status=MilestoneStatus.DONE if done else MilestoneStatus.PENDING,
                done_at=_at(min(deadline, w.today), 16) if done else None,
                sort_order=n,
            )
        )
    return rows


def _pick(w: _World, unit: Unit) -> int | None:
    people = [p for p in w.members.get(unit.pk, []) if p != w.heads.get(unit.pk)]
    return w.rng.choice(people) if people else w.heads.get(unit.pk)


def _new_item(
    w: _World,
    checklist: Checklist,
    *,
    serial: str,
    title: str,
    kind: str,
    unit: Unit,
    assigned: datetime.date,
    deadline: datetime.date,
    category: str = "",
    leader: int | None = None,
    parent: TrackedItem | None = None,
    feedback_rule: str = FeedbackRule.MONTHLY,
) -> TrackedItem:
    deadline = _workday_on_or_after(deadline)
    return TrackedItem(
        checklist=checklist,
        parent=parent,
        kind=kind,
        serial=serial,
        source=checklist.source,
        title=title,
        content=f"{title}。请{unit.short_name}牵头，按时间节点推进，按要求反馈办理进展。",
        category=category,
        leading_leader_id=leader,
        lead_unit=unit,
        responsible_person_id=_pick(w, unit),
        deadline=deadline,
        warn_from=w.warn_from(deadline)[0],
        warn_provisional=w.warn_from(deadline)[1],
        feedback_rule=feedback_rule,
        assigned_at=_at(assigned, 9, 30),
        created_by=w.office_user,
    )


def _plan_year(w: _World, suffix: str) -> Iterator[tuple[Checklist, list[_Plan]]]:
    rng, year = w.rng, w.year
    committees = [u for u in w.units.values() if u.kind == UnitKind.COMMITTEE]
    office = next((u for u in w.units.values() if u.kind == UnitKind.OFFICE), committees[0])
    by_name = {u.name: u for u in committees}
    leader = lambda n: w.leaders[n % len(w.leaders)] if w.leaders else None  # noqa: E731

    def plan(
        item: TrackedItem, specs: Sequence[tuple[str, datetime.date]] = (), co: Sequence[int] = ()
    ) -> _Plan:
        events, reports, milestones = _story(w, item, list(specs))
        return _Plan(
            item,
            list(co),
            rng.sample(w.office_people, min(2, len(w.office_people))),
            milestones,
            events,
            reports,
        )

    # 1. The party group's assigned matters (党组交办事项).
    checklist = Checklist(
        name=f"{year}年党组交办事项清单{suffix}",
        year=year,
        source=Source.PARTY_GROUP,
        created_by=w.office_user,
    )
    plans = []
    for n, (title, category) in enumerate(PARTY_GROUP_MATTERS, start=1):
        unit = rng.choice([*committees, office])
        if n > len(PARTY_GROUP_MATTERS) - 3:
            # The last matters came from a recent party group meeting: just assigned.
            assigned = add_workdays(w.today, -rng.randint(0, 2))
            deadline = datetime.date(year, 12, 28)
        else:
            assigned = _workday_on_or_after(
                datetime.date(year, 2, 24) + datetime.timedelta(days=rng.randint(0, 30))
            )
            deadline = datetime.date(
                year, rng.choice([6, 7, 9, 10, 11, 12]), rng.choice([15, 20, 28])
            )
        item = _new_item(
            w,
            checklist,
            serial=f"{n:03d}",
            title=title,
            kind=ItemKind.MATTER,
            unit=unit,
            assigned=assigned,
            deadline=deadline,
            category=category,
            leader=leader(n),
        )
        co = [u.pk for u in rng.sample(committees, 2) if u.pk != unit.pk]
        plans.append(plan(item, co=co))
    yield checklist, plans

    # 2. Inspection feedback, problem by problem, each broken into measures (巡察反馈问题整改).
    checklist = Checklist(
        name=f"{year}年巡察反馈问题整改清单{suffix}",
        year=year,
        source=Source.INSPECTION,
        created_by=w.office_user,
    )
    plans = []
    for n, (title, measures) in enumerate(INSPECTION_PROBLEMS, start=1):
        unit = rng.choice([office, *committees[:3]])
        assigned = _workday_on_or_after(datetime.date(year, 4, 8))
        deadline = datetime.date(year, rng.choice([8, 9, 10, 12]), 30)
        problem = _new_item(
            w,
            checklist,
            serial=f"{n:03d}",
            title=title,
            kind=ItemKind.PROBLEM,
            unit=unit,
            assigned=assigned,
            deadline=deadline,
            leader=leader(n),
        )
        problem_plan = _Plan(problem, [], w.office_people[:1], [], [], [])
        for m, measure_title in enumerate(measures, start=1):
            measure_unit = rng.choice([unit, unit, *committees])
            measure_deadline = deadline - datetime.timedelta(days=rng.randint(10, 60))
            measure = _new_item(
                w,
                checklist,
                serial=f"{n:03d}-{m}",
                title=measure_title,
                kind=ItemKind.MEASURE,
                unit=measure_unit,
                assigned=assigned,
                deadline=measure_deadline,
                leader=leader(n),
                parent=problem,
            )
            problem_plan.children.append(plan(measure))
        # The problem's own history: it closes only when every measure has closed.
        events, reports, _ = _story(w, problem, [])
        open_children = [c for c in problem_plan.children if c.item.status != Status.CLOSED]
        if open_children and problem.status in {Status.REPORTED, Status.VERIFIED, Status.CLOSED}:
            # Roll the problem back to 'in progress': the measures are not all done.
            keep = [
                e
                for e in events
                if e.to_status not in {Status.REPORTED, Status.VERIFIED, Status.CLOSED}
            ]
            events = keep
            problem.status, problem.reported_at, problem.verified_at, problem.closed_at = (
                Status.IN_PROGRESS,
                None,
                None,
                None,
            )
            problem.verifier_id, problem.closing_evidence, problem.progress = None, "", 60
            if not any(e.to_status == Status.IN_PROGRESS for e in events):
                ack_day = problem.acknowledged_at.date() if problem.acknowledged_at else w.today
                events.append(
                    ItemEvent(
                        item=problem,
                        kind=EventKind.TRANSITION,
                        actor_id=w.actor_for(problem.responsible_person_id),
                        created_at=_at(ack_day, 11),
                        from_status=Status.ACKNOWLEDGED,
                        to_status=Status.IN_PROGRESS,
                    )
                )
        problem_plan.events, problem_plan.reports = events, reports
        plans.append(problem_plan)
    yield checklist, plans

    # 3. The key-work calendar: 60 key tasks of the nine committees with milestones (行事历).
    checklist = Checklist(
        name=f"{year}年常委会重点工作任务清单{suffix}",
        year=year,
        source=Source.WORK_POINTS,
        created_by=w.office_user,
    )
    plans = []
    n = 0
    for unit_name, topics in KEY_TASK_TOPICS.items():
        unit = by_name.get(unit_name) or rng.choice(committees)
        for topic in topics:
            n += 1
            assigned = _workday_on_or_after(datetime.date(year, 1, 20))
            deadline = datetime.date(
                year, rng.choice([5, 6, 8, 9, 10, 11, 12]), rng.choice([10, 20, 25])
            )
            steps = MILESTONE_STEPS[: rng.randint(3, 5)]
            span = (deadline - assigned).days
            specs = [
                (
                    step,
                    _workday_on_or_after(
                        assigned + datetime.timedelta(days=span * (k + 1) // (len(steps) + 1))
                    ),
                )
                for k, step in enumerate(steps)
            ]
            item = _new_item(
                w,
                checklist,
                serial=f"{n:03d}",
                title=topic,
                kind=ItemKind.KEY_TASK,
                unit=unit,
                assigned=assigned,
                deadline=deadline,
                category="重点任务",
                leader=leader(n),
                feedback_rule=FeedbackRule.MONTHLY,
            )
            plans.append(plan(item, specs))
    yield checklist, plans


def generate_ledger(
    *, seed: int = 2026, today: datetime.date | None = None, copies: int = 1
) -> LedgerSummary:
    """Write the demo ledger (`copies` > 1 repeats the year's lists, for the benchmark)."""
    today = today or clock.today()
    w = _world(seed, today)
    summary = LedgerSummary()
    # A bulk load: audited by the one summary event below, not by a row per saved list.
    with transaction.atomic(), summarised_load():
        for copy in range(copies):
            suffix = "" if copy == 0 else f"（第{copy + 1}批）"
            for checklist, plans in _plan_year(w, suffix):
                checklist.save()
                summary.checklists += 1
                _write(checklist, plans, summary, today)
        record_event(
            action=AuditAction.CREATE,
            object_type="ledger.demo",
            object_repr="演示督办台账（批量生成）",
            actor_username="seed_demo",
            detail={"清单": summary.checklists, "事项": summary.items, "动态": summary.events},
        )
    return summary


def _write(
    checklist: Checklist, plans: list[_Plan], summary: LedgerSummary, today: datetime.date
) -> None:
    # Problems first, so that their measures can point at them.
    for level in (plans, [c for p in plans for c in p.children]):
        for p in level:
            p.item.yellow_from, p.item.red_from = deadlines.warning_dates(
                deadline=p.item.deadline,
                warn_from=p.item.warn_from,
                feedback_due=p.item.feedback_due,
                pending_milestones=[
                    (m.deadline, m.warn_from)
                    for m in p.milestones
                    if m.status == MilestoneStatus.PENDING
                ],
            )
            p.item.checklist = checklist
            if p.item.parent is not None:
                p.item.parent_id = p.item.parent.pk
        TrackedItem.objects.bulk_create([p.item for p in level], batch_size=BATCH)
        summary.items += len(level)
        summary.closed += sum(p.item.status == Status.CLOSED for p in level)
        summary.overdue += sum(
            p.item.status not in {Status.CLOSED, Status.CANCELLED} and p.item.deadline < today
            for p in level
        )
        co = TrackedItem.co_units.through
        co.objects.bulk_create(
            [co(trackeditem_id=p.item.pk, unit_id=u) for p in level for u in p.co_unit_ids],
            batch_size=BATCH,
        )
        tr = TrackedItem.trackers.through
        tr.objects.bulk_create(
            [tr(trackeditem_id=p.item.pk, person_id=t) for p in level for t in p.tracker_ids],
            batch_size=BATCH,
        )
        for p in level:
            # The rows were built before the item had a primary key: point them at it now.
            for milestone in p.milestones:
                milestone.item = p.item
            for event in p.events:
                event.item = p.item
            for report in p.reports:
                report.item = p.item
        Milestone.objects.bulk_create([m for p in level for m in p.milestones], batch_size=BATCH)
        events = [e for p in level for e in p.events]
        ItemEvent.objects.bulk_create(events, batch_size=BATCH)
        ProgressReport.objects.bulk_create([r for p in level for r in p.reports], batch_size=BATCH)
        summary.events += len(events)


def demo_step(context: DemoContext) -> str:
    """The ledger's part of `seed_demo` (registered in `apps.py`)."""
    from .demo_bodies import generate_body_items

    ledger = generate_ledger(seed=context.seed, today=context.today)
    with summarised_load():
        for_body = generate_body_items(context.today)
    return (
        f"已生成督办台账：{ledger.checklists} 张清单、{ledger.items} 个事项"
        f"（党组交办事项22项、巡察反馈问题24条及其整改措施、9个工委60项重点任务），"
        f"已销号 {ledger.closed} 项，逾期 {ledger.overdue} 项，办理动态 {ledger.events} 条；"
        f"另交办市人民政府督办事项 {for_body} 项（其联络员在“本单位督办事项”中办理）。"
    )
