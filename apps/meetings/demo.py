"""The sessions' part of the demo organ: a year of six Standing Committee sessions and about twenty
主任会议, run through the services day by day (`clock.use_today`), so that every row, ledger item
and event is what the pages would have written.

Agenda items come from the nine committees' work: the government's and its departments' reports,
a law-enforcement inspection, two regulations through their readings, the court's, procuratorate's
and supervisory commission's reports, a special inquiry, appointments. Later sessions deliberate
faster than earlier ones (the measure's trend); a few opinions are reported late or are overdue.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.core import clock
from apps.core.demo.organ import DEMO_PASSWORD
from apps.core.demo.registry import DemoContext
from apps.organization.choices import LeadershipTitle, UnitKind
from apps.organization.models import ExternalContact, LeadershipPost, Unit
from apps.workcalendar.services import is_workday

from . import services
from .choices import AttendanceStatus, ItemType, MemberTitle, OpinionStatus, Rating, Reading
from .models import CommitteeMember, Session

GOV = "市人民政府"
BODIES: tuple[tuple[str, str, str, str | None], ...] = (
    (GOV, "市政府", UnitKind.GOVERNMENT, None),
    ("市监察委员会", "市监委", UnitKind.SUPERVISION, None),
    ("市中级人民法院", "市中院", UnitKind.COURT, None),
    ("市人民检察院", "市检察院", UnitKind.PROCURATORATE, None),
    ("市财政局", "财政局", UnitKind.DEPARTMENT, GOV),
    ("市发展和改革委员会", "发改委", UnitKind.DEPARTMENT, GOV),
    ("市教育局", "教育局", UnitKind.DEPARTMENT, GOV),
    ("市民政局", "民政局", UnitKind.DEPARTMENT, GOV),
    ("市生态环境局", "生态环境局", UnitKind.DEPARTMENT, GOV),
    ("市市场监督管理局", "市场监管局", UnitKind.DEPARTMENT, GOV),
    ("市农牧局", "农牧局", UnitKind.DEPARTMENT, GOV),
    ("市住房和城乡建设局", "住建局", UnitKind.DEPARTMENT, GOV),
)
# Demo accounts of reporting bodies' contacts (外部单位联络员).
CONTACT_ACCOUNTS = {
    GOV: "shizhengfu",
    "市监察委员会": "shijianwei",
    "市中级人民法院": "zhongyuan",
    "市人民检察院": "jianchayuan",
    "市财政局": "caizhengju",
    "市发展和改革委员会": "fagaiwei",
    "市教育局": "jiaoyuju",
    "市民政局": "minzhengju",
    "市生态环境局": "shengtaihuanjing",
    "市市场监督管理局": "shichangjianguan",
    "市农牧局": "nongmuju",
    "市住房和城乡建设局": "zhujianju",
}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "建国华明丽平军红伟强芳敏静志刚秀英桂兰玉海涛斌波宁洁晓东雪梅文杰春燕振宇永胜德宏立新"


@dataclass(frozen=True)
class PlannedItem:
    title: str
    item_type: str
    committee: str
    planned: int
    body: str | None = None
    presenter: str = ""
    reading: str = Reading.NONE
    appointees: int = 0


APPOINT = PlannedItem(
    "人事任免案", ItemType.APPOINTMENT, "人事代表选举任免联络工作委员会", 20, appointees=3
)
PROPERTY = "《××市物业管理条例（草案）》"
GREENING = "《××市城市绿化条例（修订草案）》"
AGENDAS: tuple[tuple[PlannedItem, ...], ...] = (
    (
        PlannedItem(
            f"{PROPERTY}",
            ItemType.REGULATION,
            "法制工作委员会",
            50,
            "市住房和城乡建设局",
            "市住建局局长",
            Reading.FIRST,
        ),
        PlannedItem(
            "市人民政府关于2025年度国有资产管理情况的综合报告",
            ItemType.WORK_REPORT,
            "预算工作委员会",
            45,
            "市财政局",
            "副市长",
        ),
        PlannedItem(
            "市中级人民法院关于行政审判工作情况的报告",
            ItemType.WORK_REPORT,
            "监察和司法工作委员会",
            40,
            "市中级人民法院",
            "市中院院长",
        ),
        APPOINT,
    ),
    (
        PlannedItem(
            f"{GREENING}",
            ItemType.REGULATION,
            "城乡建设环境保护工作委员会",
            45,
            GOV,
            "副市长",
            Reading.FIRST,
        ),
        PlannedItem(
            "关于检查《中华人民共和国食品安全法》实施情况的报告",
            ItemType.INSPECTION,
            "教育科学文化卫生工作委员会",
            45,
            "市市场监督管理局",
            "常委会副主任",
        ),
        PlannedItem(
            "市人民政府关于教育事业改革发展情况的报告",
            ItemType.WORK_REPORT,
            "教育科学文化卫生工作委员会",
            40,
            "市教育局",
            "市教育局局长",
        ),
        APPOINT,
    ),
    (
        PlannedItem(
            f"{PROPERTY}",
            ItemType.REGULATION,
            "法制工作委员会",
            40,
            None,
            "法工委主任",
            Reading.SECOND,
        ),
        PlannedItem(
            "市人民政府关于2025年市级财政决算的报告",
            ItemType.WORK_REPORT,
            "预算工作委员会",
            40,
            "市财政局",
            "市财政局局长",
        ),
        PlannedItem(
            "市人民检察院关于公益诉讼检察工作情况的报告",
            ItemType.WORK_REPORT,
            "监察和司法工作委员会",
            40,
            "市人民检察院",
            "市检察院检察长",
        ),
        APPOINT,
    ),
    (
        PlannedItem(
            f"{GREENING}",
            ItemType.REGULATION,
            "法制工作委员会",
            40,
            None,
            "法工委主任",
            Reading.SECOND,
        ),
        PlannedItem(
            "关于生态环境保护工作的专题询问",
            ItemType.INQUIRY,
            "城乡建设环境保护工作委员会",
            90,
            "市生态环境局",
            "市生态环境局局长",
        ),
        PlannedItem(
            "市人民政府关于养老服务体系建设情况的报告",
            ItemType.WORK_REPORT,
            "社会建设工作委员会",
            40,
            "市民政局",
            "市民政局局长",
        ),
        APPOINT,
    ),
    (
        PlannedItem(
            f"{PROPERTY}",
            ItemType.REGULATION,
            "法制工作委员会",
            30,
            None,
            "法工委主任",
            Reading.THIRD,
        ),
        PlannedItem(
            "市人民政府关于优化营商环境工作情况的报告",
            ItemType.WORK_REPORT,
            "财政经济工作委员会",
            40,
            "市发展和改革委员会",
            "副市长",
        ),
        PlannedItem(
            "市监察委员会关于开展反腐败国际追逃追赃工作情况的专项报告",
            ItemType.WORK_REPORT,
            "监察和司法工作委员会",
            40,
            "市监察委员会",
            "市监委主任",
        ),
        PlannedItem(
            "市人民政府关于农村牧区人居环境整治情况的报告",
            ItemType.WORK_REPORT,
            "农牧工作委员会",
            40,
            "市农牧局",
            "市农牧局局长",
        ),
        APPOINT,
    ),
    (
        PlannedItem(
            f"{GREENING}",
            ItemType.REGULATION,
            "法制工作委员会",
            30,
            None,
            "法工委主任",
            Reading.THIRD,
        ),
        PlannedItem(
            "市人民政府关于今年以来预算执行情况的报告",
            ItemType.WORK_REPORT,
            "预算工作委员会",
            40,
            "市财政局",
            "市财政局局长",
        ),
        PlannedItem("关于召开市人民代表大会会议的决定（草案）", ItemType.DECISION, "办公室", 10),
        APPOINT,
    ),
)
# How long items run against their plan, session by session: the later, the faster.
PACE = (1.28, 1.2, 1.1, 1.02, 0.93)
VOTED = {ItemType.APPOINTMENT, ItemType.DECISION}


@dataclass
class MeetingsSummary:
    sessions: int
    directors_meetings: int
    items: int
    opinions: int
    overdue: int


def _author() -> User:
    author = User.objects.filter(role=Role.OFFICE_STAFF).order_by("id").first()
    if author is None:
        raise RuntimeError("演示机关尚未生成办公室账号。")
    return author


def _session_day(day: datetime.date) -> datetime.date:
    """The next Tuesday to Thursday that is a working day."""
    while day.weekday() not in (1, 2, 3) or not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def _bodies(rng: random.Random) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    encoded = make_password(DEMO_PASSWORD)
    for order, (name, short, kind, parent) in enumerate(BODIES):
        unit, _ = Unit.everything.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "parent": units.get(parent) if parent else None,
                "sort_order": 100 + order,
            },
        )
        units[name] = unit
        if not unit.external_contacts.exists():
            contact = ExternalContact.objects.create(
                unit=unit,
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                title="办公室秘书科科长",
                phone=f"0471-{rng.randint(6000000, 6999999)}",
            )
            if name in CONTACT_ACCOUNTS:
                User.objects.create(
                    username=CONTACT_ACCOUNTS[name],
                    first_name=contact.name,
                    role=Role.EXTERNAL,
                    external_contact=contact,
                    password=encoded,
                    must_change_password=False,
                )
    return units


def _members(rng: random.Random, start: datetime.date) -> list[CommitteeMember]:
    members: list[CommitteeMember] = []
    posts = LeadershipPost.objects.on(clock.today()).select_related("person").order_by("sort_order")
    titles = {
        LeadershipTitle.DIRECTOR: MemberTitle.DIRECTOR,
        LeadershipTitle.DEPUTY_DIRECTOR: MemberTitle.DEPUTY_DIRECTOR,
        LeadershipTitle.SECRETARY_GENERAL: MemberTitle.SECRETARY_GENERAL,
    }
    for post in posts:
        account = User.objects.filter(person=post.person).first()
        members.append(
            CommitteeMember.objects.create(
                name=post.person.name,
                title=titles.get(post.title, MemberTitle.MEMBER),
                person=post.person,
                user=account,
                term_start=start,
                sort_order=len(members),
            )
        )
    names: set[str] = {m.name for m in members}
    while len(members) < 35:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        if name in names:
            continue
        names.add(name)
        members.append(
            CommitteeMember.objects.create(
                name=name, title=MemberTitle.MEMBER, term_start=start, sort_order=len(members)
            )
        )
    return members


def _contact(body: Unit) -> User:
    account = User.objects.filter(external_contact__unit=body, role=Role.EXTERNAL).first()
    if account is not None:
        return account
    # A body that another area brought with its contact but no account gets one here.
    contact = body.external_contacts.first()
    assert contact is not None
    return User.objects.create(
        username=f"contact{body.pk}",
        first_name=contact.name,
        role=Role.EXTERNAL,
        external_contact=contact,
        password=make_password(DEMO_PASSWORD),
        must_change_password=False,
    )


def generate_meetings(
    *, seed: int = 1, today: datetime.date | None = None, years: int = 1
) -> MeetingsSummary:
    today = today or clock.today()
    rng = random.Random(seed * 11 + 12)
    author = _author()
    units = {u.name: u for u in Unit.objects.all()} | _bodies(rng)
    # Each year's six sessions end twelve days after its "today" (a year earlier each time); the
    # benchmark asks for ten years of them.
    lasts = [
        _session_day(today + datetime.timedelta(days=12 - 364 * back))
        for back in range(years - 1, -1, -1)
    ]
    first_day = lasts[0] - datetime.timedelta(days=61 * 5)
    with clock.use_today(first_day - datetime.timedelta(days=40)):
        members = _members(rng, datetime.date(first_day.year - 2, 1, 20))
    directors = 0
    opinions = 0
    overdue = 0
    items_total = 0

    def directors_meeting(day: datetime.date, topics: str):
        nonlocal directors
        if day > today:
            return None
        with clock.use_today(day):
            directors += 1
            return services.directors_meeting_create(actor=author, date=day, topics=topics)

    for year_index, last in enumerate(lasts):
        days = [_session_day(last - datetime.timedelta(days=61 * (5 - n))) for n in range(6)]
        base_number = 20 + 6 * year_index
        for index, (day, agenda) in enumerate(zip(days, AGENDAS, strict=True)):
            decided_on = day - datetime.timedelta(days=18)
            with clock.use_today(decided_on - datetime.timedelta(days=7)):
                session = services.session_create(
                    actor=author, date=day, number=base_number + index + 1
                )
                for planned in agenda:
                    services.item_add(
                        actor=author,
                        session=session,
                        spec=services.ItemSpec(
                            title=planned.title
                            + (f"（{Reading(planned.reading).label}）" if planned.reading else ""),
                            item_type=planned.item_type,
                            committee=units[planned.committee],
                            planned_minutes=planned.planned,
                            reporting_body=units[planned.body] if planned.body else None,
                            presenter=planned.presenter,
                            reading=planned.reading,
                        ),
                    )
            items_total += len(agenda)
            meeting = directors_meeting(decided_on, f"研究{session}议程；听取会议筹备情况汇报")
            if meeting is None:
                continue
            with clock.use_today(decided_on):
                services.agenda_decide(actor=author, session=session, directors_meeting=meeting)
            # The notice: seven days ahead, but the fourth session's went out late (agenda changed).
            late = index == 3
            notice_day = day - datetime.timedelta(days=5 if late else 9)
            if notice_day > today:
                continue
            with clock.use_today(notice_day):
                services.notice_send(
                    actor=author,
                    session=session,
                    confirm_late=late,
                    late_reason="主任会议调整议程后重新发出通知" if late else "",
                )
            _materials(rng, session, today, author, index=index, late_body=index == 1)
            if day > today:
                continue
            _hold(rng, session, members, PACE[index] if index < len(PACE) else 0.9, author)
            directors_meeting(day + datetime.timedelta(days=6), f"研究{session}审议意见")
            sent, late_count = _opinions(rng, session, members, today, author, index)
            opinions += sent
            overdue += late_count
            directors_meeting(day + datetime.timedelta(days=30), "听取审议意见研究处理情况汇报")
        # The remaining 主任会议 of the year: the annual plan and the mid-year review.
        directors_meeting(days[0] - datetime.timedelta(days=35), "研究年度工作要点和议题计划")
        directors_meeting(days[3] - datetime.timedelta(days=30), "听取上半年工作情况汇报")
        directors_meeting(days[1] - datetime.timedelta(days=28), "研究代表建议重点督办工作")
        directors_meeting(days[4] - datetime.timedelta(days=28), "研究执法检查和专题询问工作方案")
    return MeetingsSummary(6 * years, directors, items_total, opinions, overdue)


def _materials(
    rng: random.Random,
    session: Session,
    today: datetime.date,
    author: User,
    *,
    index: int,
    late_body: bool,
) -> None:
    """Each body uploads before its deadline (one, in the second session, two days late); the
    office receives it the next day. Later sessions' materials are shorter."""
    shrink = 1 - 0.06 * index
    for n, item in enumerate(session.items.select_related("reporting_body").order_by("order")):
        if item.reporting_body is None or item.materials_due is None:
            continue
        due = item.materials_due
        upload = (
            due + datetime.timedelta(days=2)
            if late_body and n == 1
            else due - datetime.timedelta(days=rng.randint(0, 3))
        )
        if upload > today:
            continue
        pages = max(4, round(rng.randint(10, 22) * shrink))
        with clock.use_today(upload):
            services.material_upload(
                actor=_contact(item.reporting_body),
                item=item,
                title=item.title.split("（")[0],
                pages=pages,
                characters=pages * rng.randint(680, 820),
            )
        if upload + datetime.timedelta(days=1) <= today:
            with clock.use_today(upload + datetime.timedelta(days=1)):
                services.materials_receive(actor=author, item=item)


def _hold(
    rng: random.Random,
    session: Session,
    members: list[CommitteeMember],
    pace: float,
    author: User,
) -> None:
    """Open, sign in, deliberate item after item at the session's pace, vote, close."""
    day = session.date
    with clock.use_today(day):
        session = services.session_open(actor=author, session=session)
        on_leave = set(rng.sample(range(3, len(members)), rng.randint(2, 5)))
        for n, member in enumerate(members):
            if n in on_leave:
                services.attendance_record(
                    actor=author,
                    session=session,
                    member=member,
                    status=AttendanceStatus.LEAVE,
                    reason=rng.choice(["公务出差", "参加上级会议", "病假", "外出学习"]),
                )
            else:
                services.attendance_record(
                    actor=author, session=session, member=member, status=AttendanceStatus.PRESENT
                )
        services.observer_add(
            actor=author, session=session, name="市人民政府副市长", affiliation="列席"
        )
    present = len(members) - len(on_leave)
    tz = clock.localtime().tzinfo
    cursor = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz)
    with clock.use_today(day + datetime.timedelta(days=1)):
        for item in session.items.order_by("order"):
            minutes = max(5, round(item.planned_minutes * pace * rng.uniform(0.92, 1.08)))
            if cursor.time() >= datetime.time(12, 0):
                cursor = datetime.datetime.combine(day, datetime.time(14, 30), tzinfo=tz)
            end = cursor + datetime.timedelta(minutes=minutes)
            services.item_set_times(actor=author, item=item, start=cursor, end=end)
            if item.item_type == ItemType.REGULATION and item.reading == Reading.FIRST:
                _speeches(rng, item, day, tz, members, author)
            cursor = end + datetime.timedelta(minutes=5)
        for item in session.items.order_by("order"):
            if item.item_type in VOTED or item.reading == Reading.THIRD:
                subjects = (
                    [f"{rng.choice(SURNAMES)}某某" for _ in range(3)]
                    if item.item_type == ItemType.APPOINTMENT
                    else [""]
                )
                for subject in dict.fromkeys(subjects):
                    no = rng.randint(0, 2)
                    abstain = rng.randint(0, 2)
                    services.vote_record(
                        actor=author,
                        item=item,
                        subject=subject,
                        yes=present - no - abstain,
                        no=no,
                        abstain=abstain,
                        not_voted=0,
                    )
        services.session_close(
            actor=author,
            session=session,
            minutes=f"{session}审议了{session.items.count()}项议题，表决通过了有关决定和任免事项。",
        )


def _speeches(rng, item, day, tz, members, author) -> None:
    for group in ("第一组", "第二组", "第三组"):
        start = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=tz)
        for speaker in rng.sample(members, 3):
            end = start + datetime.timedelta(minutes=rng.randint(4, 9))
            services.speech_add(
                actor=author,
                item=item,
                group=group,
                speaker=speaker.name,
                started_at=start,
                ended_at=end,
                note=rng.choice(
                    ["建议进一步明确部门职责", "建议细化法律责任条款", "建议加强与上位法衔接"]
                ),
            )
            start = end


def _opinions(
    rng: random.Random,
    session: Session,
    members: list[CommitteeMember],
    today: datetime.date,
    author: User,
    index: int,
) -> tuple[int, int]:
    """Opinions on each item with a reporting body: sent ten days after; reported in one to three
    months (the third session's last one not yet, overdue; the second's one late); rated two weeks
    after the report (the first session's court report rated unsatisfactory and handled again)."""
    sent = overdue = 0
    sent_on = session.date + datetime.timedelta(days=10)
    if sent_on > today:
        return 0, 0
    items = [
        i
        for i in session.items.select_related("reporting_body").order_by("order")
        if i.reporting_body_id
    ]
    for n, item in enumerate(items):
        with clock.use_today(sent_on):
            opinion = services.opinion_save(
                actor=author,
                item=item,
                text="一、进一步提高思想认识，压实工作责任。\n二、聚焦突出问题，完善制度机制。\n三、加强跟踪问效，按期报告研究处理情况。",
                deadline_months=3 if n % 2 == 0 else 2,
            )
            services.opinion_sign(actor=author, opinion=opinion)
            opinion = services.opinion_send(actor=author, opinion=opinion)
        sent += 1
        assert opinion.deadline is not None
        if index == 2 and n == len(items) - 1:
            overdue += opinion.deadline < today
            continue  # not reported yet
        report_on = (
            opinion.deadline + datetime.timedelta(days=9)
            if (index == 1 and n == 0)
            else opinion.deadline - datetime.timedelta(days=rng.randint(5, 25))
        )
        if report_on > today:
            continue
        contact = _contact(item.reporting_body)  # type: ignore[arg-type]
        with clock.use_today(report_on):
            opinion = services.opinion_report(
                actor=contact,
                opinion=opinion,
                text="已逐条研究，制定整改措施并落实，现将研究处理情况报告如下。",
            )
        rehandle = index == 0 and item.item_type == ItemType.WORK_REPORT and n == 2
        rated_on = report_on + datetime.timedelta(days=14)
        if rated_on > today:
            continue
        with clock.use_today(rated_on):
            _rate(rng, opinion, members, author, unsatisfied=rehandle)
            opinion = services.opinion_conclude(actor=author, opinion=opinion)
        if opinion.status == OpinionStatus.REHANDLE:
            again = rated_on + datetime.timedelta(days=30)
            if again <= today:
                with clock.use_today(again):
                    opinion = services.opinion_report(
                        actor=contact,
                        opinion=opinion,
                        text="根据测评意见重新研究处理，补充报告如下。",
                    )
                if again + datetime.timedelta(days=14) <= today:
                    with clock.use_today(again + datetime.timedelta(days=14)):
                        _rate(rng, opinion, members, author, unsatisfied=False)
                        services.opinion_conclude(actor=author, opinion=opinion)
    return sent, overdue


def _rate(rng, opinion, members, author, *, unsatisfied: bool) -> None:
    raters = rng.sample(members, 25)
    weights = (2, 3, 5) if unsatisfied else (6, 3, 1)
    ratings = {
        m: rng.choices([Rating.SATISFIED, Rating.BASICALLY, Rating.UNSATISFIED], weights)[0]
        for m in raters
    }
    services.opinion_rate(actor=author, opinion=opinion, ratings=ratings)


def demo_step(context: DemoContext) -> str:
    """The sessions' part of `seed_demo` (registered in `apps.py`). It runs through the services,
    so it needs the ledger (materials and opinions are followed up there): skipped with it."""
    from apps.audit.models import AuditAction
    from apps.audit.registry import summarised_load
    from apps.audit.services import record_event
    from apps.ledger.models import Checklist

    if not Checklist.objects.exists():
        return "未生成督查督办数据，跳过常委会会议演示数据（材料报送和审议意见靠它跟踪）。"
    with summarised_load():
        s = generate_meetings(seed=context.seed, today=context.today)
    record_event(
        action=AuditAction.CREATE,
        object_type="meetings.demo",
        object_repr="常委会会议演示数据（批量导入）",
        actor_username="seed_demo",
        detail={"会议": s.sessions, "议题": s.items, "主任会议": s.directors_meetings},
    )
    return (
        f"已生成常委会会议 {s.sessions} 次（议题 {s.items} 项）、主任会议 {s.directors_meetings} 次、"
        f"交办审议意见 {s.opinions} 件（逾期未报告 {s.overdue} 件）；报告单位联络员账号："
        f"shizhengfu（市人民政府）、caizhengju（市财政局）等{len(CONTACT_ACCOUNTS)}个。"
    )
