"""A deterministic record of party building and publicity for the demo organ: last year complete,
this year up to the demo's today.

Each year: 15 party group meetings, every one opening with a 第一议题; 12 三重一大 decisions
recorded through the services (consultation, materials, each member in turn with the secretary
last; one with a recusal) and followed up as ledger items; requests and reports to the municipal
party committee; a responsibility list for every leader and unit head; branch activities in every
unit (a few short of the rules, so that the shortfall shows); about 150 publicity pieces across the
four channels, some adopted by higher levels, and twelve issues of the internal publication. Last
year's branch secretaries' review (three secretaries) is published.

Meetings and decisions go through the services, which enforce the rules, and are audited as any
such change is; the bulk rows (lists, activities, articles, ballots) are written directly, and one
audit event summarises them. Built without the ledger (`seed_demo --skip ledger`), no decision is
followed up there.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.core.demo.registry import DemoContext
from apps.documents import rules as document_rules
from apps.documents import selectors as document_selectors
from apps.organization.choices import UnitKind
from apps.organization.models import LeadershipPost, Person, Unit, UnitMembership
from apps.workcalendar.services import is_workday

from . import rules, services
from .choices import (
    ActivityKind,
    AgendaKind,
    ArticleKind,
    ArticleStatus,
    Channel,
    CheckResult,
    IssueStatus,
    MajorCategory,
    Presence,
    Rating,
    ReportKind,
    ResponsibilityKind,
    ReviewerKind,
    ReviewMode,
    ReviewStatus,
    Vote,
)
from .models import (
    Article,
    BranchActivity,
    HigherReport,
    PublicationIssue,
    ResponsibilityItem,
    ResponsibilityList,
    Review,
    ReviewBallot,
    ReviewCriterion,
    ReviewScore,
    ReviewSubject,
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
)
MAJORS = (
    (MajorCategory.DECISION, "机关年度工作要点", None),
    (MajorCategory.APPOINTMENT, "机关内设机构处级干部任免", None),
    (MajorCategory.PROJECT, "常委会会议室智能化改造项目", Decimal("180")),
    (MajorCategory.FUNDS, "代表履职服务平台运维经费", Decimal("96")),
    (MajorCategory.DECISION, "机关作风建设专项行动方案", None),
    (MajorCategory.PROJECT, "机关办公楼维修改造", Decimal("260")),
    (MajorCategory.APPOINTMENT, "选派干部参加驻村帮扶", None),
    (MajorCategory.FUNDS, "代表培训专项经费", Decimal("75")),
    (MajorCategory.DECISION, "机关干部年度考核办法", None),
    (MajorCategory.PROJECT, "基层立法联系点建设", Decimal("120")),
    (MajorCategory.APPOINTMENT, "机关职级晋升", None),
    (MajorCategory.FUNDS, "机关年度政府采购计划", Decimal("150")),
)
IMPORTANT = (
    "研究常委会年度监督工作计划",
    "研究机关党建工作要点",
    "研究代表建议督办工作",
    "研究意识形态工作责任制落实情况",
    "研究巡察整改工作",
    "研究机关安全保密工作",
)
PARTY_DUTIES = (
    "履行党风廉政建设“一岗双责”，每季度研究一次分管领域党风廉政建设工作",
    "带头讲党课，指导联系支部开展“三会一课”和主题党日",
)
WORK_DUTIES = (
    "牵头完成年度立法、监督重点任务",
    "推动代表建议按期办结，满意率达到95%以上",
    "做好分管领域意识形态和宣传信息工作",
)
ADOPTERS = (
    "省人大常委会办公厅",
    "中共市委办公室",
    "《人民代表报》",
    "《中国人大》杂志",
    "省人大网",
)
ARTICLE_TOPICS = (
    "开展执法检查",
    "召开代表座谈会",
    "赴基层开展立法调研",
    "组织主题党日活动",
    "开展预算联网监督",
    "推进代表建议办理",
    "举办机关干部培训",
    "开展专题询问",
)
MAJOR_MEETINGS = (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13)
RECUSAL_MEETING = 6


@dataclass(frozen=True)
class PartySummary:
    meetings: int
    decisions: int
    lists: int
    activities: int
    articles: int
    ballots: int


def _author() -> User:
    author = User.objects.filter(role="office_staff", person__isnull=False).order_by("id").first()
    if author is None:
        raise RuntimeError("演示机关尚未生成办公室账号。")
    return author


def _workday_on_or_after(day: datetime.date) -> datetime.date:
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def meeting_dates(year: int) -> list[datetime.date]:
    """15 dates: around the 10th of every month, and the 25th of March, July and November."""
    days = [datetime.date(year, m, 10) for m in range(1, 13)]
    days += [datetime.date(year, m, 25) for m in (3, 7, 11)]
    return sorted(_workday_on_or_after(d) for d in days)


def _heads(day: datetime.date) -> list[UnitMembership]:
    return list(
        UnitMembership.objects.on(day)
        .filter(is_head=True, unit__is_active=True)
        .select_related("person", "unit")
        .order_by("unit__sort_order", "id")
    )


def _with_ledger() -> bool:
    """Whether the demo has its ledger (`seed_demo --skip ledger` builds it without)."""
    from apps.ledger.models import Checklist

    return Checklist.objects.exists()


def _meetings(
    rng: random.Random, year: int, until: datetime.date, author: User, ledger: bool
) -> tuple[int, int]:
    office = Unit.objects.filter(kind=UnitKind.OFFICE).order_by("sort_order").first()
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order"))
    assert author.person is not None
    held = decided = 0
    for index, day in enumerate(meeting_dates(year)):
        if day > until:
            break
        members = rules.party_group_on(day)
        secretary = rules.secretary_on(day) or members[0]
        absent: dict[int, str] = {}
        if index % 4 == 3:  # now and then one member is away (quorum of two thirds still met)
            away = members[1 + index % (len(members) - 1)]
            absent[away.pk] = rng.choice(("参加全省人大工作会议", "带队赴外地调研", "因病请假"))
        attendees = [
            services.AttendeeSpec(p, Presence.ABSENT, absent[p.pk])
            if p.pk in absent
            else services.AttendeeSpec(p, Presence.PRESENT)
            for p in members
        ]
        heads = _heads(day)
        visitors = {h.person.pk: h.person for h in heads if h.unit_id == getattr(office, "pk", 0)}
        attendees += [
            services.AttendeeSpec(p, Presence.NON_VOTING)
            for p in visitors.values()
            if p.pk not in {m.pk for m in members}
        ]
        meeting = services.meeting_create(
            actor=author,
            date=day,
            place="机关党组会议室",
            presider=secretary,
            recorder=author.person,
            attendees=attendees,
        )
        held += 1
        first = services.agenda_add(
            actor=author,
            meeting=meeting,
            kind=AgendaKind.FIRST_TOPIC,
            title=f"传达学习{FIRST_TOPICS[(year + index) % len(FIRST_TOPICS)]}",
        )
        services.agenda_conclude(
            actor=author,
            item=first,
            conclusion="会议认真传达学习，要求机关各单位结合人大工作实际抓好贯彻落实。",
        )
        if index in MAJOR_MEETINGS:
            category, matter, amount = MAJORS[MAJOR_MEETINGS.index(index)]
            item = services.agenda_add(
                actor=author, meeting=meeting, kind=AgendaKind.MAJOR, title=f"研究{matter}"
            )
            present = [p for p in members if p.pk not in absent]
            recusals = []
            if index == RECUSAL_MEETING:
                concerned = present[1]
                recusals = [services.RecusalSpec(concerned, "本人近亲属所在单位参与项目")]
                present = [p for p in present if p.pk != concerned.pk]
            order = [p for p in present if p.pk != secretary.pk]
            if secretary in present:
                order.append(secretary)
            decision = services.decision_record(
                actor=author,
                item=item,
                spec=services.DecisionSpec(
                    category=category,
                    matter=matter,
                    amount=amount,
                    consulted_with="党组书记、分管领导和办公室",
                    consulted_on=day - datetime.timedelta(days=rng.randint(3, 10)),
                    materials=f"{matter}方案、相关依据和征求意见情况",
                    opinions=[
                        services.OpinionSpec(
                            p,
                            Vote.ABSTAIN if n == 0 and index % 5 == 2 else Vote.AGREE,
                            "同意" if n else "原则同意，建议细化时间安排",
                        )
                        for n, p in enumerate(order)
                    ],
                    recusals=recusals,
                ),
            )
            decided += 1
            deadline = min(day + datetime.timedelta(days=90), datetime.date(year + 1, 6, 30))
            if ledger and decision.result == "passed":
                services.agenda_to_ledger(
                    actor=author,
                    item=item,
                    lead_unit=office if index % 2 == 0 else units[1 + index % (len(units) - 1)],
                    deadline=deadline,
                )
        topic = IMPORTANT[index % len(IMPORTANT)]
        other = services.agenda_add(
            actor=author, meeting=meeting, kind=AgendaKind.IMPORTANT, title=topic
        )
        services.agenda_conclude(
            actor=author, item=other, conclusion=f"原则同意，由办公室牵头{topic[2:]}。"
        )
    return held, decided


def _reports(year: int, until: datetime.date, author: User) -> None:
    for n, month in enumerate((2, 4, 6, 8, 10, 12)):
        day = _workday_on_or_after(datetime.date(year, month, 15))
        if day > until:
            break
        kind = ReportKind.REQUEST if n % 2 == 0 else ReportKind.REPORT
        report = services.report_create(
            actor=author,
            kind=kind,
            title=(
                f"关于{('调整机关内设机构', '召开常委会会议有关事项', '机关干部选任')[n // 2]}的请示"
                if kind == ReportKind.REQUEST
                else f"关于{year}年{('一季度', '上半年', '前三季度')[n // 2]}党建工作情况的报告"
            ),
            recipient="中共市委",
            submitted_on=day,
            due_date=day + datetime.timedelta(days=20) if kind == ReportKind.REQUEST else None,
        )
        answered = day + datetime.timedelta(days=12)
        if kind == ReportKind.REQUEST and answered <= until:
            # Registered as a 收文 of the documents area (收文号), linked back to the request.
            services.report_answer(
                actor=author, report=report, answer="原则同意，请按程序办理。", answered_on=answered
            )
        elif kind == ReportKind.REQUEST:
            _draft_request(report, author)


def _draft_request(report: HigherReport, author: User) -> None:
    """The request still waiting goes out through the documents area: its 发文 is drafted."""
    signer = document_selectors.leaders().first()
    if signer is None or not document_rules.can_draft(author):
        return
    services.report_draft(
        actor=author,
        report=report,
        body=f"{report.recipient}：\n现将{report.title[2:-3]}有关事项请示如下。\n妥否，请批示。",
        signer=signer,
    )


def _lists(rng: random.Random, year: int, until: datetime.date, author: User, ledger: bool) -> int:
    start = datetime.date(year, 1, 2)
    people: dict[int, tuple[Person, str]] = {}
    for post in LeadershipPost.objects.on(start).select_related("person").order_by("sort_order"):
        people.setdefault(post.person_id, (post.person, post.get_title_display()))
    for head in _heads(start):
        people.setdefault(head.person_id, (head.person, f"{head.unit.short_name}{head.post_title}"))
    lists = ResponsibilityList.objects.bulk_create(
        ResponsibilityList(year=year, person=p, post=post[:64], created_by=author)
        for p, post in people.values()
    )
    midyear = until >= datetime.date(year, 7, 15)
    year_end = until >= datetime.date(year, 12, 25)
    items = []
    for lst in lists:
        duties = [(ResponsibilityKind.PARTY, d) for d in PARTY_DUTIES] + [
            (ResponsibilityKind.WORK, d) for d in rng.sample(WORK_DUTIES, 2)
        ]
        for n, (kind, content) in enumerate(duties, start=1):
            done = rng.random() < 0.85
            items.append(
                ResponsibilityItem(
                    responsibility_list=lst,
                    order=n,
                    kind=kind,
                    content=content,
                    evidence="已按计划落实，相关会议记录和材料已归档。" if midyear else "",
                    midyear=(CheckResult.ON_TRACK if done else CheckResult.BEHIND)
                    if midyear
                    else "",
                    year_end=(CheckResult.DONE if done else CheckResult.ON_TRACK)
                    if year_end
                    else "",
                )
            )
    ResponsibilityItem.objects.bulk_create(items)
    behind = ResponsibilityItem.objects.filter(
        responsibility_list__year=year, midyear=CheckResult.BEHIND
    ).first()
    office = Unit.objects.filter(kind=UnitKind.OFFICE).first()
    if ledger and behind is not None and office is not None:
        services.responsibility_to_ledger(
            actor=author,
            item=behind,
            lead_unit=office,
            deadline=min(until + datetime.timedelta(days=60), datetime.date(year + 1, 6, 30)),
        )
    return len(lists)


def _activities(rng: random.Random, year: int, until: datetime.date, author: User) -> int:
    plan = {
        ActivityKind.GENERAL_MEETING: [3, 6, 9, 12],
        ActivityKind.COMMITTEE: list(range(1, 13)),
        ActivityKind.GROUP: list(range(1, 13)),
        ActivityKind.THEME_DAY: list(range(1, 13)),
        ActivityKind.LECTURE: [7],
        ActivityKind.BRAND: [5, 10],
    }
    titles = {
        ActivityKind.GENERAL_MEETING: "支部党员大会",
        ActivityKind.COMMITTEE: "支部委员会会议",
        ActivityKind.GROUP: "党小组会",
        ActivityKind.THEME_DAY: "主题党日：学思想、强党性、重实践、建新功",
        ActivityKind.LECTURE: "专题党课：坚持人民代表大会制度",
        ActivityKind.BRAND: "“人大先锋”党建品牌活动",
    }
    rows = []
    for position, unit in enumerate(Unit.objects.filter(is_active=True).order_by("sort_order")):
        expected = max(
            3,
            UnitMembership.objects.on(datetime.date(year, 1, 2))
            .filter(unit=unit, person__political_status__in=["cpc", "cpc_probationary"])
            .count(),
        )
        for kind, months in plan.items():
            skipped = set()
            if position == 3 and kind == ActivityKind.GENERAL_MEETING:
                skipped = {9}  # one branch falls a quarter short
            if position == 5 and kind == ActivityKind.COMMITTEE:
                skipped = {2, 8}
            for month in months:
                if month in skipped:
                    continue
                day = _workday_on_or_after(datetime.date(year, month, 5 + (position % 10)))
                if day > until:
                    continue
                rows.append(
                    BranchActivity(
                        branch=unit,
                        kind=kind,
                        date=day,
                        title=titles[kind],
                        expected=expected,
                        present=max(0, expected - rng.choice((0, 0, 0, 1, 1, 2))),
                        created_by=author,
                    )
                )
    BranchActivity.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _articles(rng: random.Random, year: int, until: datetime.date, author: User) -> int:
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order"))
    staff: dict[int, list[Person]] = {}
    heads: dict[int, Person] = {}
    for m in UnitMembership.objects.on(datetime.date(year, 1, 2)).select_related("person"):
        staff.setdefault(m.unit_id, []).append(m.person)
        if m.is_head:
            heads[m.unit_id] = m.person
    issues = PublicationIssue.objects.bulk_create(
        PublicationIssue(
            year=year,
            number=month,
            planned_on=_workday_on_or_after(datetime.date(year, month, 20)),
            created_by=author,
        )
        for month in range(1, 13)
    )
    for planned in issues:
        if planned.planned_on <= until:
            planned.status, planned.published_on = IssueStatus.PUBLISHED, planned.planned_on
    PublicationIssue.objects.bulk_update(issues, ["status", "published_on"])
    channels = (
        [Channel.WEBSITE] * 9
        + [Channel.WECHAT] * 7
        + [Channel.NEWSPAPER] * 2
        + [Channel.INTERNAL] * 2
    )
    rows = []
    for n in range(150):
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=int(n * 365 / 150) + 1)
        day = min(day, datetime.date(year, 12, 31))
        unit = units[n % len(units)] if n % 3 else units[0]
        assert author.person is not None
        people = staff.get(unit.pk) or [author.person]
        channel = channels[n % len(channels)]
        kind = ArticleKind.INFORMATION if n % 5 in (1, 3) else ArticleKind.ARTICLE
        published = day <= until
        status = ArticleStatus.PUBLISHED if published else ArticleStatus.DRAFT
        if not published and day > until + datetime.timedelta(days=20):
            continue  # drafts of the coming weeks only; submitted ones go through the services
        adopted = published and (
            (channel == Channel.NEWSPAPER or kind == ArticleKind.INFORMATION) and n % 4 == 1
        )
        issue: PublicationIssue | None = (
            issues[day.month - 1] if channel == Channel.INTERNAL else None
        )
        rows.append(
            Article(
                kind=kind,
                title=f"{unit.short_name}{ARTICLE_TOPICS[n % len(ARTICLE_TOPICS)]}",
                body=f"近日，{unit.name}{ARTICLE_TOPICS[n % len(ARTICLE_TOPICS)]}。\n活动取得良好效果。",
                unit=unit,
                author=rng.choice(people),
                channel=channel,
                status=status,
                unit_reviewer=heads.get(unit.pk) if published else None,
                office_reviewer=author.person if published else None,
                issue=issue if published else None,
                published_on=(issue.planned_on if issue else day) if published else None,
                adopted_by=ADOPTERS[n % len(ADOPTERS)] if adopted else "",
                adopted_on=day + datetime.timedelta(days=5) if adopted else None,
            )
        )
    Article.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _review(rng: random.Random, year: int, author: User) -> int:
    """Last year's review, held in January: three secretaries, about twenty reviewers each."""
    day = datetime.date(year + 1, 1, 15)
    heads = _heads(day)[:3]
    review = Review.objects.create(
        year=year,
        title=f"{year}年度支部书记抓党建述职评议",
        mode=ReviewMode.RATING,
        status=ReviewStatus.PUBLISHED,
        published_at=clock.now(),
        created_by=author,
    )
    criteria = ReviewCriterion.objects.bulk_create(
        ReviewCriterion(review=review, order=n, name=name, max_points=points)
        for n, (name, points) in enumerate(
            (
                ("履行第一责任人职责", 30),
                ("党建与业务融合", 30),
                ("作风建设和廉政建设", 20),
                ("党建品牌和特色活动", 20),
            ),
            start=1,
        )
    )
    subjects = ReviewSubject.objects.bulk_create(
        ReviewSubject(
            review=review,
            secretary=h.person,
            branch=h.unit,
            report=f"{year}年，{h.unit.short_name}党支部坚持以党建引领业务……（述职报告）",
            submitted_at=clock.now(),
        )
        for h in heads
    )
    members = {p.pk for p in rules.party_group_on(day)}
    pool = list(
        Person.objects.filter(is_active=True, memberships__end_date__isnull=True)
        .distinct()
        .order_by("id")
    )
    reviewers = [p for p in pool if p.pk in members] + rng.sample(
        [p for p in pool if p.pk not in members], min(17, len(pool))
    )
    leaning = (
        (Rating.GOOD, Rating.GOOD, Rating.FAIRLY_GOOD),
        (Rating.GOOD, Rating.FAIRLY_GOOD, Rating.FAIRLY_GOOD, Rating.AVERAGE),
        (Rating.FAIRLY_GOOD, Rating.AVERAGE, Rating.AVERAGE, Rating.POOR),
    )
    maximum = sum(c.max_points for c in criteria)
    ballots, scores = [], []
    for subject, lean in zip(subjects, leaning, strict=False):
        for reviewer in reviewers:
            if reviewer.pk == subject.secretary_id:
                continue
            values = []
            for c in criteria:
                rating = rng.choice(lean)
                points = (Decimal(services.RATING_POINTS[rating]) / 100 * c.max_points).quantize(
                    Decimal("0.01")
                )
                values.append((c, points, rating))
            total = sum((v for _, v, _ in values), Decimal(0))
            ballot = ReviewBallot(
                subject=subject,
                reviewer=reviewer,
                reviewer_kind=ReviewerKind.PARTY_GROUP
                if reviewer.pk in members
                else (ReviewerKind.MEMBER if reviewer.is_party_member else ReviewerKind.STAFF),
                total=total,
                rating=services._overall_rating(total, maximum),
                created_at=clock.now(),
            )
            ballots.append(ballot)
            scores.append(values)
    ReviewBallot.objects.bulk_create(ballots)
    ReviewScore.objects.bulk_create(
        ReviewScore(ballot=b, criterion=c, points=p, rating=r)
        for b, values in zip(ballots, scores, strict=True)
        for c, p, r in values
    )
    return len(ballots)


@transaction.atomic
def generate_party(*, seed: int, today: datetime.date | None = None) -> PartySummary:
    today = today or clock.today()
    rng = random.Random(seed * 11 + 15)
    author = _author()
    meetings = decisions = lists = activities = articles = 0
    ledger = _with_ledger()
    for year, until in (
        (today.year - 1, datetime.date(today.year - 1, 12, 31)),
        (today.year, today),
    ):
        held, decided = _meetings(rng, year, until, author, ledger)
        meetings += held
        decisions += decided
        _reports(year, until, author)
        lists += _lists(rng, year, until, author, ledger)
        activities += _activities(rng, year, until, author)
        articles += _articles(rng, year, until, author)
    ballots = _review(rng, today.year - 1, author)
    summary = PartySummary(meetings, decisions, lists, activities, articles, ballots)
    record_event(
        action=AuditAction.CREATE,
        object_type="party.demo",
        object_repr="党建宣传演示数据（批量导入）",
        actor_username="seed_demo",
        detail={
            "党组会议": meetings,
            "三重一大": decisions,
            "责任清单": lists,
            "支部活动": activities,
            "宣传稿件": articles,
        },
    )
    return summary


def demo_step(context: DemoContext) -> str:
    """Party building's part of `seed_demo` (registered in `apps.py`)."""
    s = generate_party(seed=context.seed, today=context.today)
    return (
        f"已生成党建宣传数据（上年全年和今年截至今日）：党组会议 {s.meetings} 次、三重一大决策 "
        f"{s.decisions} 项、一岗双责责任清单 {s.lists} 份、支部活动 {s.activities} 次、"
        f"宣传稿件 {s.articles} 篇、述职评议票 {s.ballots} 张。"
    )
