"""A deterministic year of growing people for the demo organ.

The weekly 机关集中学习 on Monday afternoons (每周一下午, generated on the working-day calendar),
monthly 党组理论学习中心组 and youth group sessions, quarterly branch study in every unit, with
realistic topics, a 第一议题 and its follow-up; rolls with a few absences with reasons (and the
approved leaves of the attendance demo excusing whoever was away); 18 mentoring pairs with logs
and mid-term evaluations; the youth group from the reference date; heart-to-heart talks across the
leaders and unit heads (summaries SM4-encrypted) with their annual duties; training records.

Rows are written in bulk; one audit event summarises the load, as the organ's own demo does.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.core.demo.registry import DemoContext
from apps.organization.choices import LeadershipTitle, Rank
from apps.organization.models import LeadershipPost, PartyGroupMembership, Unit, UnitMembership
from apps.workcalendar.services import is_workday

from . import selectors, services
from .choices import (
    EvaluationStage,
    EvaluatorRole,
    Grade,
    GuidanceKind,
    Presence,
    SessionStatus,
    SignInMethod,
    StudyKind,
    TalkKind,
    TrainingKind,
)
from .crypto import encrypt_summary
from .models import (
    GuidanceEntry,
    MentorEvaluation,
    MentorPair,
    StudyAttendance,
    StudyPlan,
    StudyReflection,
    StudySession,
    StudyTopic,
    Talk,
    TalkDuty,
    TrainingRecord,
    YouthMembership,
)

FIRST_TOPICS = (
    "习近平总书记在中央人大工作会议上的重要讲话精神",
    "习近平总书记关于坚持和完善人民代表大会制度的重要思想",
    "习近平总书记在全国两会期间的重要讲话精神",
    "习近平总书记关于全过程人民民主的重要论述",
    "习近平总书记关于加强和改进作风建设的重要论述",
    "习近平总书记在中央政治局集体学习时的重要讲话精神",
    "习近平总书记关于调查研究的重要论述",
    "习近平总书记关于依法治国的重要论述",
    "习近平总书记考察本省时的重要讲话精神",
    "习近平总书记关于党的自我革命的重要论述",
    "习近平总书记在庆祝全国人民代表大会成立七十周年大会上的重要讲话精神",
    "习近平总书记关于党纪学习教育的重要指示精神",
)
OTHER_TOPICS = (
    "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》",
    "《中华人民共和国监督法》及本省实施办法",
    "《中国共产党纪律处分条例》",
    "市人大常委会年度工作要点",
    "《市人大常委会学习调研横向交流工作管理办法》",
    "人大代表建议办理工作的经验做法",
    "地方立法技术规范",
    "公文处理与文稿起草规范",
    "预算审查监督和国有资产管理情况报告制度",
    "全过程人民民主基层实践案例",
)
FOLLOW_UPS = (
    "已在党组会议上研究贯彻落实措施",
    "已转化为年度工作要点相关任务",
    "各工委结合立法监督工作提出落实意见",
    "在代表联络站开展宣讲",
    "纳入机关作风建设年度安排",
)
ABSENCE_REASONS = (
    "参加市委专题会议",
    "陪同常委会领导调研",
    "参加省人大培训",
    "处理紧急公务",
    "就医",
)
PLACES = ("机关三楼第一会议室", "机关五楼学习室", "常委会第二会议室")
TALK_PHRASES = (
    "交流了近期工作思路和个人成长规划，对做好本职工作提出希望。",
    "就工作中出现的问题提醒其注意工作方法，本人表示认同并将改进。",
    "了解思想动态和家庭困难，鼓励其发挥专业特长。",
    "围绕岗位职责和廉洁自律要求进行谈话，提出具体要求。",
)
GUIDANCE = {
    GuidanceKind.DRAFTING: "指导起草调研报告，逐段修改结构和提法",
    GuidanceKind.MEETING: "带领组织常委会会议会务，讲解议程安排和会场保障要点",
    GuidanceKind.RESEARCH: "共同开展专题调研，指导拟订调研提纲和座谈安排",
    GuidanceKind.TALK: "谈心交流，了解工作中的困惑并给予方法指导",
    GuidanceKind.OTHER: "布置专项任务，跟踪完成情况并讲评",
}
COURSES = (
    ("机关干部履职能力提升培训班", "市人大常委会办公室", 3, Decimal("24")),
    ("人大代表工作业务培训", "市人大常委会办公室", 2, Decimal("16")),
    ("公文写作专题培训", "市人大常委会办公室", 1, Decimal("6")),
)
EXTERNAL = (
    ("全省人大系统干部培训班", "省人大常委会", 5, Decimal("36")),
    ("市委党校中青年干部培训班", "市委党校", 10, Decimal("60")),
    ("网络学院在线学习专题", "省干部网络学院", 1, Decimal("8")),
)


@dataclass(frozen=True)
class GrowthSummary:
    sessions: int
    skipped: int
    roll_rows: int
    first_topics: int
    pairs: int
    youth: int
    talks: int
    training: int


def _author() -> User:
    """The office account that 'entered' the demo (the General Office keeps these registers)."""
    author = (
        User.objects.filter(role="office_staff").order_by("id").first()
        or User.objects.filter(role__in=["unit_head", "leader"]).order_by("id").first()
        or User.objects.order_by("id").first()
    )
    if author is None:
        raise RuntimeError("演示机关尚未生成账号。")
    return author


def _weekdays(start: datetime.date, end: datetime.date, weekday: int) -> list[datetime.date]:
    day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    days = []
    while day <= end:
        days.append(day)
        day += datetime.timedelta(days=7)
    return days


def _topics(rng: random.Random, index: int, with_first: bool) -> list[services.TopicSpec]:
    topics = []
    if with_first:
        topics.append(
            services.TopicSpec(
                FIRST_TOPICS[index % len(FIRST_TOPICS)],
                is_first_topic=True,
                follow_up=rng.choice(FOLLOW_UPS) if rng.random() < 0.7 else "",
            )
        )
    topics.append(services.TopicSpec(rng.choice(OTHER_TOPICS)))
    return topics


def _fill_roll(
    rng: random.Random, session: StudySession, author: User, absent_share: float
) -> None:
    """Compute the roll, then sign most people in and record a few absences with reasons: the
    computed absences are replaced by the final rows in one bulk write."""
    at_end = timezone.make_aware(datetime.datetime.combine(session.date, session.end_time))
    services.session_roll_compute(session=session, now=at_end + datetime.timedelta(hours=1))
    absent = list(session.attendances.filter(presence=Presence.ABSENT))
    start = timezone.make_aware(datetime.datetime.combine(session.date, session.start_time))
    final = []
    for row in absent:
        roll = rng.random()
        row.pk = None
        if roll < absent_share:
            row.presence, row.reason = Presence.EXCUSED, rng.choice(ABSENCE_REASONS)
            row.recorded_by = author
        elif roll >= absent_share + 0.004:  # the rest stay absent without a reason (in red)
            row.presence = Presence.PRESENT
            row.method = SignInMethod.QR if rng.random() < 0.85 else SignInMethod.SECRETARY
            row.signed_at = start - datetime.timedelta(
                minutes=rng.randint(0, 20), seconds=rng.randint(0, 59)
            )
            row.recorded_by = author
        final.append(row)
    session.attendances.filter(presence=Presence.ABSENT).delete()
    StudyAttendance.objects.bulk_create(final, batch_size=1000)
    services._store_figures(session)


@transaction.atomic
def generate_growth(*, seed: int, today: datetime.date | None = None) -> GrowthSummary:
    today = today or clock.today()
    rng = random.Random(seed * 7 + 14)
    author = _author()
    year_start = datetime.date(today.year, 1, 1)
    office = Unit.objects.filter(kind="office").order_by("sort_order").first()
    office_head = (
        UnitMembership.objects.on(today)
        .filter(unit=office, is_head=True)
        .select_related("person")
        .first()
        if office
        else None
    )
    director = LeadershipPost.objects.on(today).filter(title=LeadershipTitle.DIRECTOR).first()

    # 1. The weekly organ study on Monday afternoons, on the calendar, for the whole year.
    # Created in bulk (one row): StudyPlan is tracked, and the load is summarised in one event.
    [plan] = StudyPlan.objects.bulk_create(
        [
            StudyPlan(
                name="机关集中学习（每周一下午）",
                kind=StudyKind.ORGAN,
                year=today.year,
                weekday=0,
                start_time=datetime.time(15, 0),
                end_time=datetime.time(17, 0),
                place=PLACES[0],
                host=office_head.person if office_head else None,
                created_by=author,
            )
        ]
    )
    services.plan_generate(plan=plan, title="机关集中学习", since=None, audit=False)
    sessions: list[StudySession] = list(plan.sessions.order_by("date"))
    # 2. Monthly center group and youth group sessions, quarterly branch study in every unit.
    extra: list[StudySession] = []
    for month in range(1, 13):
        first_thursday = _weekdays(
            datetime.date(today.year, month, 1), datetime.date(today.year, month, 28), 3
        )[0]
        for kind, day, title, host in (
            (
                StudyKind.CENTER_GROUP,
                first_thursday,
                "党组理论学习中心组集体学习",
                director.person if director else None,
            ),
            (
                StudyKind.YOUTH,
                first_thursday + datetime.timedelta(days=7),
                "青年理论学习小组专题学习",
                None,
            ),
        ):
            while not is_workday(day):
                day += datetime.timedelta(days=1)
            extra.append(
                StudySession(
                    kind=kind,
                    title=title,
                    date=day,
                    start_time=datetime.time(9, 0),
                    end_time=datetime.time(11, 30),
                    place=PLACES[1 + (kind == StudyKind.YOUTH)],
                    host=host,
                    requires_reflection=kind == StudyKind.YOUTH,
                    created_by=author,
                )
            )
    for quarter_month in (3, 6, 9, 12):
        for unit in Unit.objects.filter(is_active=True).order_by("sort_order"):
            day = datetime.date(today.year, quarter_month, 10 + unit.sort_order % 10)
            while not is_workday(day):
                day += datetime.timedelta(days=1)
            extra.append(
                StudySession(
                    kind=StudyKind.BRANCH,
                    title=f"{unit.short_name}党支部主题党日学习",
                    date=day,
                    start_time=datetime.time(16, 0),
                    end_time=datetime.time(17, 30),
                    place=f"{unit.short_name}会议室",
                    unit=unit,
                    created_by=author,
                )
            )
    sessions += StudySession.objects.bulk_create(extra)

    # 3. The youth group (members from the year's reference date).
    reference = selectors.youth_reference_date(today.year)
    with clock.use_today(max(reference, year_start)):
        services.youth_group_recompute(on=year_start, audit=False)
    services.youth_group_recompute(
        on=today, audit=False
    )  # newcomers of the year join when they arrive

    # 4. Topics, materials and rolls of the sessions held so far.
    topics: list[StudyTopic] = []
    index = 0
    for session in sorted(sessions, key=lambda s: s.date):
        if session.status != SessionStatus.SCHEDULED:
            continue
        with_first = session.kind in {StudyKind.ORGAN, StudyKind.CENTER_GROUP}
        for order, topic in enumerate(_topics(rng, index, with_first)):
            topics.append(
                StudyTopic(
                    session=session,
                    order=order,
                    title=topic.title,
                    is_first_topic=topic.is_first_topic,
                    follow_up=topic.follow_up,
                )
            )
        index += with_first
    StudyTopic.objects.bulk_create(topics)
    held = [s for s in sessions if s.status == SessionStatus.SCHEDULED and s.date < today]
    for session in held:
        _fill_roll(rng, session, author, absent_share=0.03)
    for session in sessions:
        if session.status == SessionStatus.SCHEDULED and session.date >= today:
            services.session_roll_compute(session=session)
    reflections = [
        StudyReflection(
            session_id=row.session_id,
            person_id=row.person_id,
            text=f"通过本次学习，进一步加深了对{rng.choice(FIRST_TOPICS)}的理解，"
            "将把学习成果转化为做好人大工作的实际成效，在文稿起草和服务代表中改进作风、提高能力。",
            submitted_at=timezone.make_aware(
                datetime.datetime.combine(row.session.date, datetime.time(20, 0))
            ),
        )
        for row in StudyAttendance.objects.filter(
            session__in=[s for s in held if s.requires_reflection], presence=Presence.PRESENT
        ).select_related("session")
        if rng.random() < 0.8
    ]
    StudyReflection.objects.bulk_create(reflections)

    pairs = _mentoring(rng, today, author)
    talks = _talks(rng, today, author)
    training = _training(rng, today, author)
    summary = GrowthSummary(
        sessions=sum(1 for s in sessions if s.status == SessionStatus.SCHEDULED),
        skipped=sum(1 for s in sessions if s.status == SessionStatus.SKIPPED),
        roll_rows=StudyAttendance.objects.count(),
        first_topics=len({t.title for t in topics if t.is_first_topic}),
        pairs=pairs,
        youth=YouthMembership.objects.filter(left_on__isnull=True).count(),
        talks=talks,
        training=training,
    )
    record_event(
        action=AuditAction.CREATE,
        object_type="growth.demo",
        object_repr="干部成长演示数据（批量导入）",
        actor_username="seed_demo",
        detail={
            "学习活动": summary.sessions,
            "结对": pairs,
            "谈心谈话": talks,
            "培训记录": training,
        },
    )
    return summary


def _mentoring(rng: random.Random, today: datetime.date, author: User) -> int:
    """18 pairs: 副处级 cadres with section-level and young cadres, preferably of the same unit."""
    start = (today - datetime.timedelta(days=200)).replace(day=1)
    end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    postings = {
        m.person_id: m.unit_id for m in UnitMembership.objects.on(today).select_related("person")
    }
    mentors = [
        m.person
        for m in UnitMembership.objects.on(today)
        .filter(person__rank=Rank.DIVISION_DEPUTY, person__is_active=True)
        .select_related("person")
        .order_by("unit__sort_order", "person_id")
    ]
    candidates = selectors.mentee_candidates(on=today)
    rng.shuffle(candidates)
    if not mentors:
        return 0
    pairs = []
    load: dict[int, int] = {}
    for mentee in candidates[:18]:
        same_unit = [m for m in mentors if postings.get(m.pk) == postings.get(mentee.pk)]
        pool = same_unit or mentors
        mentor = min(pool, key=lambda m: (load.get(m.pk, 0), m.pk))
        load[mentor.pk] = load.get(mentor.pk, 0) + 1
        pairs.append(
            MentorPair(
                mentor=mentor,
                mentee=mentee,
                start_date=start,
                end_date=end,
                goals="一年内能够独立起草调研报告和会议材料，熟悉常委会会议组织流程，掌握调研协调方法。",
                created_by=author,
            )
        )
    MentorPair.objects.bulk_create(pairs)
    entries, evaluations = [], []
    midpoint = start + (end - start) / 2
    heads = {m.unit_id: m.person_id for m in UnitMembership.objects.on(today).filter(is_head=True)}
    for pair in pairs:
        for _ in range(rng.randint(4, 8)):
            kind = rng.choice(list(GuidanceKind))
            day = start + datetime.timedelta(days=rng.randint(0, max((today - start).days - 1, 0)))
            entries.append(
                GuidanceEntry(
                    pair=pair,
                    date=day,
                    kind=kind,
                    content=GUIDANCE[kind],
                    by_person_id=pair.mentor_id if rng.random() < 0.7 else pair.mentee_id,
                )
            )
        if today >= midpoint:
            moment = timezone.make_aware(datetime.datetime.combine(midpoint, datetime.time(10, 0)))
            head = heads.get(postings.get(pair.mentee_id, 0))
            for role, evaluator in (
                (EvaluatorRole.MENTOR, pair.mentor_id),
                (EvaluatorRole.UNIT_HEAD, head),
            ):
                if evaluator:
                    evaluations.append(
                        MentorEvaluation(
                            pair=pair,
                            stage=EvaluationStage.MIDTERM,
                            role=role,
                            grade=rng.choice([Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.PASS]),
                            comment="进步明显，文稿质量和会务组织能力均有提升，下一阶段加强调研统筹。",
                            evaluator_id=evaluator,
                            evaluated_at=moment,
                        )
                    )
    GuidanceEntry.objects.bulk_create(entries)
    MentorEvaluation.objects.bulk_create(evaluations)
    return len(pairs)


def _talks(rng: random.Random, today: datetime.date, author: User) -> int:
    """Each 副主任 and the 秘书长 in charge of one or two units, each unit head of their own unit;
    talks with most (not all) of the people concerned, so that coverage shows what is missing."""
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order"))
    leaders = [
        post.person
        for post in LeadershipPost.objects.on(today)
        .exclude(title=LeadershipTitle.DIRECTOR)
        .select_related("person")
        .order_by("sort_order")
    ]
    duties: list[tuple[TalkDuty, list[Unit]]] = []
    for n, leader in enumerate(leaders):
        charge = [units[(2 * n) % len(units)], units[(2 * n + 1) % len(units)]] if units else []
        duties.append((TalkDuty(year=today.year, leader=leader), charge))
    for head in (
        UnitMembership.objects.on(today).filter(is_head=True).select_related("unit", "person")
    ):
        duties.append((TalkDuty(year=today.year, leader=head.person), [head.unit]))
    seen: set[int] = set()
    duties = [d for d in duties if not (d[0].leader_id in seen or seen.add(d[0].leader_id))]  # type: ignore[func-returns-value]
    TalkDuty.objects.bulk_create([d for d, _ in duties])
    for duty, charge in duties:
        duty.units.set(charge)
    members: dict[int, list[int]] = {}
    for posting in UnitMembership.objects.on(today).filter(person__is_active=True):
        members.setdefault(posting.unit_id, []).append(posting.person_id)
    talks = []
    days = max((today - datetime.date(today.year, 1, 1)).days, 1)
    secretary = PartyGroupMembership.objects.on(today).filter(role="secretary").first()
    for duty, charge in duties:
        for unit in charge:
            for person_id in members.get(unit.pk, []):
                if person_id == duty.leader_id or rng.random() > 0.7:
                    continue
                talks.append(
                    Talk(
                        talker_id=duty.leader_id,
                        talkee_id=person_id,
                        date=datetime.date(today.year, 1, 1)
                        + datetime.timedelta(days=rng.randrange(days)),
                        kind=rng.choice(
                            [
                                TalkKind.ROUTINE,
                                TalkKind.ROUTINE,
                                TalkKind.REMINDER,
                                TalkKind.APPOINTMENT,
                            ]
                        ),
                        place="谈话人办公室",
                        summary_cipher=encrypt_summary(rng.choice(TALK_PHRASES)),
                        recorded_by=author,
                    )
                )
    if secretary is not None:
        for duty, _ in duties[: len(leaders)]:
            talks.append(
                Talk(
                    talker_id=secretary.person_id,
                    talkee_id=duty.leader_id,
                    date=today,
                    kind=TalkKind.ROUTINE,
                    summary_cipher=encrypt_summary("听取分管工作情况，交流班子建设意见。"),
                    recorded_by=author,
                )
            )
    talks = [t for t in talks if t.talker_id != t.talkee_id]
    Talk.objects.bulk_create(talks, batch_size=500)
    return len(talks)


def _training(rng: random.Random, today: datetime.date, author: User) -> int:
    people = list(
        UnitMembership.objects.on(today)
        .filter(person__is_active=True)
        .values_list("person_id", flat=True)
    )
    records = []
    for n, (title, organiser, days, hours) in enumerate(COURSES):
        start = datetime.date(today.year, 3 + 3 * n, 10)
        if start > today:
            continue
        for person_id in people:
            if rng.random() < 0.85:
                records.append(
                    TrainingRecord(
                        person_id=person_id,
                        kind=TrainingKind.ORGAN,
                        title=title,
                        organiser=organiser,
                        start_date=start,
                        end_date=start + datetime.timedelta(days=days - 1),
                        hours=hours,
                        recorded_by=author,
                    )
                )
    for person_id in people:
        for title, organiser, days, hours in EXTERNAL:
            if rng.random() < 0.35:
                start = datetime.date(today.year, 1, 1) + datetime.timedelta(
                    days=rng.randrange(
                        max((today - datetime.date(today.year, 1, 1)).days - days, 1)
                    )
                )
                records.append(
                    TrainingRecord(
                        person_id=person_id,
                        kind=TrainingKind.EXTERNAL,
                        title=title,
                        organiser=organiser,
                        start_date=start,
                        end_date=start + datetime.timedelta(days=days - 1),
                        hours=hours,
                        certificate_no=f"PX{today.year}{rng.randint(10000, 99999)}",
                        recorded_by=author,
                    )
                )
    TrainingRecord.objects.bulk_create(records, batch_size=1000)
    return len(records)


def demo_step(context: DemoContext) -> str:
    """Growing people's part of `seed_demo` (registered in `apps.py`)."""
    s = generate_growth(seed=context.seed, today=context.today)
    return (
        f"已生成干部成长数据：学习 {s.sessions} 次（节假日停学 {s.skipped} 次，出勤记录 {s.roll_rows} 条，"
        f"“第一议题” {s.first_topics} 项）、传帮带结对 {s.pairs} 对、青年理论学习小组 {s.youth} 人、"
        f"谈心谈话 {s.talks} 次、培训记录 {s.training} 条。"
    )
