"""The demo organ's documents: a year of outgoing and incoming documents with their history.

Written in bulk (the benchmark asks for 100,000 documents), but every row is one the services could
have written: each outgoing document's events follow 拟稿 → 核稿 → 会签 → 签发 → 用印 → 印发 →
传阅 up to its present state, with working-hour timestamps, some 退回 and revisions, 文号
consecutive per 代字 in the order of signing, and the latest documents still in circulation.
A few leaders' instructions on incoming documents become ledger items through the services.
Deterministic for a given seed and day.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.core.demo.registry import DemoContext
from apps.organization.choices import UnitKind
from apps.organization.models import LeadershipPost, Unit, UnitMembership

from . import services
from .choices import (
    CountersignStatus,
    DocumentType,
    EventKind,
    IncomingStatus,
    MaterialKind,
    MaterialStatus,
    OutgoingStatus,
    Secrecy,
    Urgency,
)
from .models import (
    Countersign,
    Distribution,
    DocumentEvent,
    DocumentVersion,
    DraftingGroup,
    IncomingDocument,
    Material,
    NumberSequence,
    OutgoingDocument,
)

BATCH = 2000

# 文种, weight, 代字, title patterns ({topic} filled in), body opening.
KINDS: list[tuple[str, int, str, list[str]]] = [
    (
        DocumentType.NOTICE,
        34,
        "常办发",
        [
            "关于开展{topic}的通知",
            "关于做好{topic}有关工作的通知",
            "关于印发《{topic}工作方案》的通知",
        ],
    ),
    (DocumentType.BULLETIN, 10, "常办发", ["关于{topic}情况的通报"]),
    (DocumentType.REPORT, 12, "常办报", ["关于{topic}情况的报告"]),
    (DocumentType.REQUEST, 9, "常办报", ["关于{topic}的请示"]),
    (DocumentType.LETTER, 16, "常办函", ["关于商请支持{topic}的函", "关于征求{topic}意见的函"]),
    (DocumentType.REPLY, 3, "常办函", ["关于同意{topic}的批复"]),
    (DocumentType.MINUTES, 8, "常办纪", ["主任会议研究{topic}的纪要"]),
    (DocumentType.OPINION, 5, "常办发", ["关于进一步加强{topic}的意见"]),
    (DocumentType.DECISION, 3, "常办发", ["关于表彰{topic}先进集体和先进个人的决定"]),
]
TOPICS = [
    "年度立法调研",
    "代表建议办理",
    "机关作风建设",
    "常委会会议服务保障",
    "预算审查监督",
    "国有资产管理情况监督",
    "执法检查",
    "机关考勤管理",
    "基层立法联系点建设",
    "代表履职培训",
    "机关公文处理",
    "巡察反馈问题整改",
    "青年理论学习小组建设",
    "专题询问",
    "机关安全生产",
    "民生实事项目监督",
    "地方性法规清理",
    "人大代表联络站建设",
    "机关财务管理",
    "年度工作要点落实",
    "常委会组成人员学习",
    "备案审查",
    "机关党建品牌创建",
    "重点工作督查",
]
PARAGRAPHS = [
    "为深入贯彻落实常委会党组工作部署，进一步提高工作质量和效率，结合机关实际，现就有关事项{verb}如下。",
    "一、总体要求",
    "坚持以服务常委会运行、服务机关运转、服务代表履职为主线，突出问题导向，注重工作实效。",
    "二、主要任务",
    "（一）明确责任分工。各单位要明确分管领导和具体责任人，细化工作措施，确保各项任务落到实处。",
    "（二）加强协调配合。办公室负责统筹协调，各工作委员会按照职责分工抓好落实，形成工作合力。",
    "三、工作要求",
    "各单位要高度重视，严格按照时间节点推进工作，有关情况请及时报送办公室。",
]
INCOMING_SOURCES = [
    ("市委办公室", "市委办"),
    ("市人民政府办公室", "市政办"),
    ("省人大常委会办公厅", "省人大办"),
    ("市中级人民法院", "市中法"),
    ("市人民检察院", "市检"),
    ("市监察委员会", "市监委"),
    ("市财政局", "市财"),
    ("市发展和改革委员会", "市发改"),
]
INCOMING_TITLES = [
    "关于报送{topic}情况的函",
    "关于征求{topic}意见建议的函",
    "关于做好{topic}工作的通知",
    "关于{topic}有关情况的报告",
    "关于商请协助开展{topic}的函",
]


GROUPS = [
    ("综合文稿组", "常委会工作报告、机关年度工作总结和领导讲话", "办公室"),
    ("法制文稿组", "立法工作报告、法规草案说明和审议意见", "法制工作委员会"),
    ("调研文稿组", "专题调研报告和执法检查报告", "财政经济工作委员会"),
    ("代表工作文稿组", "代表工作报告和代表建议办理情况报告", "人事代表选举任免联络工作委员会"),
]
MATERIALS = {
    "综合文稿组": [
        ("市人大常委会工作报告", MaterialKind.SC_REPORT),
        ("机关年度工作总结", MaterialKind.SUMMARY),
        ("主任在常委会会议上的讲话", MaterialKind.SPEECH),
        ("机关“三服务”工作情况报告", MaterialKind.WORK_REPORT),
    ],
    "法制文稿组": [
        ("年度立法工作情况报告", MaterialKind.WORK_REPORT),
        ("关于地方性法规实施情况的调研报告", MaterialKind.RESEARCH),
        ("基层立法联系点工作情况报告", MaterialKind.WORK_REPORT),
    ],
    "调研文稿组": [
        ("关于预算执行情况的调研报告", MaterialKind.RESEARCH),
        ("关于优化营商环境情况的调研报告", MaterialKind.RESEARCH),
        ("执法检查报告", MaterialKind.RESEARCH),
    ],
    "代表工作文稿组": [
        ("代表建议办理情况的报告", MaterialKind.WORK_REPORT),
        ("代表履职工作情况报告", MaterialKind.WORK_REPORT),
        ("代表工作信息简报", MaterialKind.INFORMATION),
    ],
}


@dataclass
class DocumentsSummary:
    outgoing: int = 0
    issued: int = 0
    in_flow: int = 0
    returned: int = 0
    countersigned: int = 0
    incoming: int = 0
    instructions_to_ledger: int = 0
    events: int = 0
    groups: int = 0
    materials: int = 0


@dataclass
class _World:
    rng: random.Random
    today: datetime.date
    start: datetime.date
    office: Unit
    office_users: list[User]
    leaders: list[int]  # person ids
    leader_users: dict[int, User]
    units: list[Unit]
    members: dict[int, list[User]]  # unit id → accounts
    heads: dict[int, User]  # unit id → the head's account
    numbers: dict[tuple[str, int], int] = field(default_factory=dict)
    unit_of: dict[int, int] = field(default_factory=dict)  # account id → its (first) unit id

    def __post_init__(self) -> None:
        for unit_id, accounts in self.members.items():
            for account in accounts:
                self.unit_of.setdefault(account.pk, unit_id)


def _world(seed: int, today: datetime.date) -> _World | None:
    day = today
    units = list(Unit.objects.order_by("sort_order"))
    office = next((u for u in units if u.kind == UnitKind.OFFICE), None)
    memberships = UnitMembership.objects.on(day).select_related("person")
    accounts = {
        u.person_id: u
        for u in User.objects.filter(is_active=True, person__isnull=False).select_related("person")
    }
    members: dict[int, list[User]] = {}
    heads: dict[int, User] = {}
    for membership in memberships.order_by("unit_id", "id"):
        user = accounts.get(membership.person_id)
        if user is None:
            continue
        members.setdefault(membership.unit_id, []).append(user)
        if membership.is_head:
            heads.setdefault(membership.unit_id, user)
    leaders = list(
        LeadershipPost.objects.on(day).order_by("id").values_list("person_id", flat=True)
    )
    leader_users = {pid: accounts[pid] for pid in leaders if pid in accounts}
    office_users = (
        [u for u in members.get(office.pk, []) if u.role in {Role.OFFICE_STAFF, Role.UNIT_HEAD}]
        if office
        else []
    )
    if office is None or not office_users or not leader_users or not heads:
        return None
    return _World(
        rng=random.Random(seed * 7919 + 11),
        today=today,
        start=datetime.date(today.year, 1, 1),
        office=office,
        office_users=office_users,
        leaders=list(leader_users),
        leader_users=leader_users,
        units=[u for u in units if u.pk in members],
        members=members,
        heads=heads,
    )


def _workday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


class _Clock:
    """Moves a document's time forward in working hours (09:00–17:30 on weekdays)."""

    def __init__(self, rng: random.Random, start: datetime.date) -> None:
        self.rng = rng
        day = _workday(start)
        self.moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9, rng.randrange(0, 60, 5)))
        )

    def advance(self, low_hours: float, high_hours: float) -> datetime.datetime:
        hours = self.rng.uniform(low_hours, high_hours)
        local = timezone.localtime(self.moment)
        while hours > 0:
            end_of_day = local.replace(hour=17, minute=30)
            room = (end_of_day - local).total_seconds() / 3600
            if hours <= room:
                local += datetime.timedelta(hours=hours)
                break
            hours -= max(room, 0)
            next_day = _workday(local.date() + datetime.timedelta(days=1))
            local = local.replace(
                year=next_day.year, month=next_day.month, day=next_day.day, hour=9, minute=0
            )
        self.moment = local
        return local


def _body(rng: random.Random, doc_type: str) -> str:
    verb = (
        "通知"
        if doc_type == DocumentType.NOTICE
        else "报告"
        if doc_type == DocumentType.REPORT
        else "说明"
    )
    lines = [p.replace("{verb}", verb) for p in PARAGRAPHS]
    if rng.random() < 0.5:
        lines.insert(6, "（三）强化督促检查。办公室将适时对工作开展情况进行督查，并通报有关情况。")
    return "\n".join(lines)


@dataclass
class _Outgoing:
    document: OutgoingDocument
    versions: list[DocumentVersion] = field(default_factory=list)
    countersigns: list[Countersign] = field(default_factory=list)
    distribution: list[Distribution] = field(default_factory=list)
    events: list[DocumentEvent] = field(default_factory=list)


def _plan_outgoing(
    w: _World, n: int, created: datetime.date, summary: DocumentsSummary
) -> _Outgoing:
    rng = w.rng
    kind, _weight, prefix, titles = rng.choices(KINDS, weights=[k[1] for k in KINDS])[0]
    unit = rng.choice(w.units)
    drafter = rng.choice(w.members[unit.pk])
    signer_id = rng.choice(w.leaders)
    topic = rng.choice(TOPICS)
    t = _Clock(rng, created)
    document = OutgoingDocument(
        title=rng.choice(titles).format(topic=topic),
        doc_type=kind,
        prefix=prefix,
        drafting_unit=unit,
        drafter=drafter,
        signer_id=signer_id,
        recipients="各工作委员会，办公室各处室" if kind != DocumentType.REPORT else "市委",
        copy_to="常委会各位领导",
        secrecy=Secrecy.SECRET if rng.random() < 0.03 else Secrecy.NONE,
        urgency=Urgency.URGENT if rng.random() < 0.1 else Urgency.NONE,
        public=rng.random() < 0.2,
        created_at=t.moment,
    )
    plan = _Outgoing(document)
    body = _body(rng, kind)
    status: str = OutgoingStatus.DRAFT
    last = t.moment

    def event(kind_: str, actor: User, to: str, note: str = "") -> None:
        nonlocal status, last
        moment = t.moment
        plan.events.append(
            DocumentEvent(
                kind=kind_,
                actor=actor,
                created_at=moment,
                from_status=status if plan.events else "",
                to_status=to,
                waited=(moment - last) if plan.events else None,
                note=note,
            )
        )
        status, last = to, moment

    def version(author: User, step: str, note: str, text: str) -> None:
        plan.versions.append(
            DocumentVersion(
                number=len(plan.versions) + 1,
                body=text,
                author=author,
                step=step,
                note=note,
                created_at=t.moment,
            )
        )

    version(drafter, OutgoingStatus.DRAFT, "初稿", body)
    event(EventKind.DRAFTED, drafter, OutgoingStatus.DRAFT)
    # How far this document has got: the latest ones are still in circulation.
    age = (w.today - created).days
    stop = 99 if age > 20 else rng.choice([1, 2, 3, 4, 5, 6, 7, 99])

    def reached(step: int) -> bool:
        return stop > step and t.moment.date() <= w.today

    head = w.heads.get(unit.pk)
    office_user = rng.choice(w.office_users)
    if not reached(1):
        return plan
    t.advance(1, 16)
    own_head = head is not None and head.pk == drafter.pk
    event(
        EventKind.SUBMITTED,
        drafter,
        OutgoingStatus.OFFICE_REVIEW if own_head else OutgoingStatus.UNIT_REVIEW,
    )
    if not own_head and head is not None:
        if not reached(2):
            return plan
        t.advance(2, 20)
        if rng.random() < 0.3:
            body = body.replace("确保各项任务落到实处", "确保各项任务按期落实、件件有回音")
            version(head, OutgoingStatus.UNIT_REVIEW, "压实责任表述", body)
            event(EventKind.REVISED, head, status, f"第{len(plan.versions)}稿")
        event(EventKind.UNIT_APPROVED, head, OutgoingStatus.OFFICE_REVIEW)
    if not reached(3):
        return plan
    t.advance(2, 24)
    if rng.random() < 0.12:
        # 退回: the office sends it back; the drafter revises and sends it again.
        event(EventKind.RETURNED, office_user, OutgoingStatus.DRAFT, "请精简篇幅，压缩套话")
        summary.returned += 1
        t.advance(2, 16)
        body = "\n".join(line for line in body.split("\n") if "强化督促检查" not in line)
        version(drafter, OutgoingStatus.DRAFT, "按办公室意见精简", body)
        event(EventKind.REVISED, drafter, OutgoingStatus.DRAFT, f"第{len(plan.versions)}稿")
        t.advance(0.5, 4)
        event(EventKind.SUBMITTED, drafter, OutgoingStatus.OFFICE_REVIEW)
        t.advance(1, 8)
    countersign_units = [u for u in w.units if u.pk != unit.pk and u.pk in w.heads]
    chosen = rng.sample(countersign_units, k=min(len(countersign_units), rng.choice([1, 2])))
    if rng.random() < 0.3 and chosen:
        plan.countersigns = [Countersign(unit=u) for u in chosen]
        summary.countersigned += 1
        event(EventKind.OFFICE_APPROVED, office_user, OutgoingStatus.COUNTERSIGN)
        if not reached(4):
            return plan
        for countersign in plan.countersigns:
            t.advance(1, 20)
            agree = rng.random() < 0.8
            countersign.status = CountersignStatus.AGREED if agree else CountersignStatus.OPINION
            countersign.answered_by = w.heads[countersign.unit.pk]
            countersign.answered_at = t.moment
            countersign.opinion = "" if agree else "建议补充经费保障和时间安排。"
            event(
                EventKind.COUNTERSIGNED,
                countersign.answered_by,
                OutgoingStatus.COUNTERSIGN,
                f"{countersign.unit.name}：{countersign.get_status_display()}",
            )
        last_head = w.heads[plan.countersigns[-1].unit.pk]
        event(EventKind.COUNTERSIGNED, last_head, OutgoingStatus.SIGN_OFF, "会签完毕")
    else:
        event(EventKind.OFFICE_APPROVED, office_user, OutgoingStatus.SIGN_OFF)
    if not reached(5):
        return plan
    t.advance(2, 30)
    signer = w.leader_users[signer_id]
    # The number itself is given after all documents are planned, in the order of signing.
    document.year = t.moment.year
    document.signed_at = t.moment
    event(EventKind.SIGNED, signer, OutgoingStatus.SIGNED)
    event(EventKind.NUMBERED, signer, OutgoingStatus.SIGNED)
    if not reached(6):
        return plan
    t.advance(0.5, 6)
    event(EventKind.SEALED, office_user, OutgoingStatus.SEALED)
    if not reached(7):
        return plan
    t.advance(0.5, 6)
    document.issued_at = t.moment
    readers = [
        u
        for target in rng.sample(w.units, k=rng.choice([1, 2, 3]))
        for u in w.members[target.pk][:6]
    ]
    readers = list({u.pk: u for u in readers}.values())
    for reader in readers:
        read = t.moment + datetime.timedelta(hours=rng.uniform(0.5, 60))
        unread = rng.random() < 0.08 or read.date() > w.today
        plan.distribution.append(
            Distribution(
                recipient=reader,
                unit_id=w.unit_of.get(reader.pk),
                delivered_at=t.moment,
                read_at=None if unread else read,
            )
        )
    event(EventKind.ISSUED, office_user, OutgoingStatus.ISSUED, f"分发{len(readers)}人")
    summary.issued += 1
    if rng.random() < 0.01:
        t.advance(4, 40)
        document.void_reason = "发现数据有误，另行发文"
        event(EventKind.VOIDED, office_user, OutgoingStatus.VOIDED, document.void_reason)
    return plan


def _write_outgoing(plans: list[_Outgoing], summary: DocumentsSummary) -> None:
    for plan in plans:
        plan.document.status = plan.events[-1].to_status
    OutgoingDocument.objects.bulk_create([p.document for p in plans], batch_size=BATCH)
    for plan in plans:
        for version in plan.versions:
            version.document = plan.document
        for countersign in plan.countersigns:
            countersign.document = plan.document
        for row in plan.distribution:
            row.document = plan.document
        for event in plan.events:
            event.outgoing = plan.document
    DocumentVersion.objects.bulk_create([v for p in plans for v in p.versions], batch_size=BATCH)
    Countersign.objects.bulk_create([c for p in plans for c in p.countersigns], batch_size=BATCH)
    Distribution.objects.bulk_create([d for p in plans for d in p.distribution], batch_size=BATCH)
    events = [e for p in plans for e in p.events]
    DocumentEvent.objects.bulk_create(events, batch_size=BATCH)
    summary.events += len(events)
    signed = [p for p in plans if p.document.signed_at is not None]
    for plan in signed:
        plan.document.signed_version = plan.versions[-1]
    OutgoingDocument.objects.bulk_update(
        [p.document for p in signed], ["signed_version"], batch_size=BATCH
    )
    summary.outgoing += len(plans)
    summary.in_flow += sum(
        p.document.status not in {OutgoingStatus.ISSUED, OutgoingStatus.VOIDED} for p in plans
    )


def _number_in_signing_order(w: _World) -> None:
    """文号 consecutive per 代字 and year in the order the documents were signed, as
    `services.take_number` gives them; the 编号 events say the number."""
    signed = (
        OutgoingDocument.objects.filter(signed_at__isnull=False)
        .order_by("prefix", "year", "signed_at", "id")
        .only("pk", "prefix", "year")
    )
    batch: list[OutgoingDocument] = []
    for document in signed.iterator(chunk_size=BATCH):
        assert document.year is not None
        key = (document.prefix, document.year)
        w.numbers[key] = w.numbers.get(key, 0) + 1
        document.serial = w.numbers[key]
        document.number = services.format_number(document.prefix, document.year, document.serial)
        batch.append(document)
        if len(batch) >= BATCH:
            OutgoingDocument.objects.bulk_update(batch, ["serial", "number"])
            batch = []
    OutgoingDocument.objects.bulk_update(batch, ["serial", "number"])
    DocumentEvent.objects.filter(kind=EventKind.NUMBERED, outgoing__isnull=False).update(
        note=Subquery(
            OutgoingDocument.objects.filter(pk=OuterRef("outgoing_id")).values("number")[:1]
        )
    )


def _plan_incoming(
    w: _World, n: int, received: datetime.date
) -> tuple[IncomingDocument, list[DocumentEvent]]:
    rng = w.rng
    organ, short = rng.choice(INCOMING_SOURCES)
    t = _Clock(rng, received)
    office_user = rng.choice(w.office_users)
    year = received.year
    key = ("收", year)
    w.numbers[key] = w.numbers.get(key, 0) + 1
    serial = w.numbers[key]
    document = IncomingDocument(
        serial=serial,
        year=year,
        number=services.format_number("收", year, serial),
        title=rng.choice(INCOMING_TITLES).format(topic=rng.choice(TOPICS)),
        source_organ=organ,
        source_number=f"{short}函〔{year}〕{rng.randint(1, 300)}号",
        secrecy=Secrecy.SECRET if rng.random() < 0.03 else Secrecy.NONE,
        urgency=Urgency.URGENT if rng.random() < 0.15 else Urgency.NONE,
        received_on=t.moment.date(),
        due_on=t.moment.date() + datetime.timedelta(days=rng.choice([10, 15, 20, 30])),
        registered_by=office_user,
        created_at=t.moment,
    )
    events: list[DocumentEvent] = []
    status: str = IncomingStatus.REGISTERED
    last = t.moment

    def event(kind: str, actor: User, to: str, note: str = "") -> None:
        nonlocal status, last
        events.append(
            DocumentEvent(
                kind=kind,
                actor=actor,
                created_at=t.moment,
                from_status=status if events else "",
                to_status=to,
                waited=(t.moment - last) if events else None,
                note=note,
            )
        )
        status, last = to, t.moment

    event(EventKind.REGISTERED, office_user, IncomingStatus.REGISTERED)
    age = (w.today - received).days
    stop = 99 if age > 25 else rng.choice([1, 2, 3, 4, 99])
    leader_id = rng.choice(w.leaders)
    unit = rng.choice([u for u in w.units if u.pk != w.office.pk] or w.units)
    steps = [
        (1, 1, 8),
        (2, 2, 30),
        (3, 2, 24),
        (4, 16, 120),
        (5, 4, 40),
    ]
    for step, low, high in steps:
        if stop <= step:
            break
        t.advance(low, high)
        if t.moment.date() > w.today:
            break
        if step == 1:
            document.proposal = f"拟请{unit.short_name}研提办理意见，呈{w.leader_users[leader_id].display_name}阅示。"
            document.leader_id = leader_id
            event(EventKind.PROPOSED, office_user, IncomingStatus.PROPOSED, document.proposal)
        elif step == 2:
            document.instruction = f"请{unit.short_name}认真研究办理，按时反馈。"
            document.handling_unit = unit
            document.instructed_at = t.moment
            event(
                EventKind.INSTRUCTED,
                w.leader_users[leader_id],
                IncomingStatus.INSTRUCTED,
                document.instruction,
            )
        elif step == 3:
            event(EventKind.HANDLED, w.heads.get(unit.pk, office_user), IncomingStatus.HANDLING)
        elif step == 4:
            document.result = "已按要求办理并书面反馈来文单位。"
            event(
                EventKind.DONE,
                w.heads.get(unit.pk, office_user),
                IncomingStatus.DONE,
                document.result,
            )
        else:
            event(EventKind.ARCHIVED, office_user, IncomingStatus.ARCHIVED)
    document.status = status
    return document, events


def generate_documents(
    *,
    seed: int = 2026,
    today: datetime.date | None = None,
    outgoing: int = 260,
    incoming: int = 180,
    to_ledger: bool = True,
) -> DocumentsSummary:
    """Write the demo year of documents (larger counts for the benchmark); with `to_ledger`, a
    few leaders' instructions become ledger items."""
    today = today or clock.today()
    summary = DocumentsSummary()
    w = _world(seed, today)
    if w is None:
        return summary
    span = max((today - w.start).days, 1)

    def days(count: int) -> list[datetime.date]:
        return sorted(
            w.start + datetime.timedelta(days=w.rng.randrange(span + 1)) for _ in range(count)
        )

    with transaction.atomic():
        plans: list[_Outgoing] = []
        for n, day in enumerate(days(outgoing)):
            plans.append(_plan_outgoing(w, n, day, summary))
            if len(plans) >= BATCH:
                _write_outgoing(plans, summary)
                plans = []
        if plans:
            _write_outgoing(plans, summary)
        _number_in_signing_order(w)
        received = [_plan_incoming(w, n, day) for n, day in enumerate(days(incoming))]
        for start in range(0, len(received), BATCH):
            chunk = received[start : start + BATCH]
            IncomingDocument.objects.bulk_create([d for d, _ in chunk])
            for document, events in chunk:
                for event in events:
                    event.incoming = document
            events = [e for _, es in chunk for e in es]
            DocumentEvent.objects.bulk_create(events, batch_size=BATCH)
            summary.events += len(events)
        summary.incoming = len(received)
        _drafting_groups(w, summary)
        NumberSequence.objects.bulk_create(
            [NumberSequence(prefix=p, year=y, last=last) for (p, y), last in w.numbers.items()]
        )
        record_event(
            action=AuditAction.CREATE,
            object_type="documents.demo",
            object_repr="演示公文（批量生成）",
            actor_username="seed_demo",
            detail={"发文": summary.outgoing, "收文": summary.incoming, "动态": summary.events},
        )
    if to_ledger:
        summary.instructions_to_ledger = _instructions_to_ledger(w, received)
    return summary


def _drafting_groups(w: _World, summary: DocumentsSummary) -> None:
    """The organ's four drafting groups and their year of materials: drafts, review rounds (some
    sent back once), and the leaders' 签批."""
    units = {u.name: u for u in w.units}
    for order, (name, duty, unit_name) in enumerate(GROUPS):
        unit = units.get(unit_name) or w.office
        head = w.heads.get(unit.pk) or w.office_users[0]
        if head.person is None:
            continue
        group = DraftingGroup.objects.create(
            name=name, duty=duty, lead_unit=unit, head=head.person, sort_order=order
        )
        staff = [u for u in w.members.get(unit.pk, []) if u.pk != head.pk]
        writers = w.rng.sample(staff, k=min(len(staff), 4)) or [head]
        group.members.set([u.person for u in writers if u.person])
        summary.groups += 1
        for title, kind in MATERIALS.get(name, []):
            _material_year(w, group, head, writers, title, kind)
            summary.materials += 1


@dataclass
class _State:
    status: str
    last: datetime.datetime


def _material_year(
    w: _World, group: DraftingGroup, head: User, writers: list[User], title: str, kind: str
) -> None:
    rng = w.rng
    drafter = rng.choice(writers)
    created = w.start + datetime.timedelta(
        days=rng.randrange(max((w.today - w.start).days - 10, 1))
    )
    t = _Clock(rng, created)
    leader_id = rng.choice(w.leaders)
    material = Material.objects.create(
        group=group,
        title=f"{w.today.year}年{title}",
        kind=kind,
        drafter=drafter,
        leader_id=leader_id,
        created_at=t.moment,
    )
    body = "\n".join(p.replace("{verb}", "报告") for p in PARAGRAPHS)
    versions: list[DocumentVersion] = []
    events: list[DocumentEvent] = []
    state = _State(status=MaterialStatus.DRAFTING, last=t.moment)

    def version(author: User, text: str, note: str) -> DocumentVersion:
        row = DocumentVersion.objects.create(
            material=material,
            number=len(versions) + 1,
            body=text,
            author=author,
            step=state.status,
            note=note,
            created_at=t.moment,
        )
        versions.append(row)
        return row

    def event(
        kind_: str, actor: User, to: str, note: str = "", about: DocumentVersion | None = None
    ) -> None:
        events.append(
            DocumentEvent(
                material=material,
                version=about,
                kind=kind_,
                actor=actor,
                created_at=t.moment,
                from_status=state.status if events else "",
                to_status=to,
                waited=(t.moment - state.last) if events else None,
                note=note,
            )
        )
        state.status, state.last = to, t.moment

    version(drafter, body, "初稿")
    event(EventKind.DRAFTED, drafter, MaterialStatus.DRAFTING)
    rounds = rng.choice([1, 1, 2, 2, 3])
    for n in range(rounds):
        t.advance(8, 40)
        event(EventKind.SUBMITTED, drafter, MaterialStatus.REVIEW, about=versions[-1])
        t.advance(4, 30)
        if n < rounds - 1:
            event(
                EventKind.REVIEWED,
                head,
                MaterialStatus.DRAFTING,
                "请压缩篇幅，补充数据和典型案例。",
                versions[-1],
            )
            t.advance(8, 30)
            body = (
                body.replace("注重工作实效", "注重工作实效，用数据和案例说话")
                if n == 0
                else body + "\n（补充典型案例）"
            )
            version(drafter, body, f"按第{n + 1}轮审核意见修改")
            event(EventKind.REVISED, drafter, MaterialStatus.DRAFTING, f"第{len(versions)}稿")
    if t.moment.date() > w.today:
        material.status = state.status
    else:
        event(EventKind.SENT_FOR_SIGN_OFF, head, MaterialStatus.SIGN_OFF, "审核通过", versions[-1])
        t.advance(4, 40)
        if t.moment.date() <= w.today and rng.random() < 0.85:
            event(
                EventKind.APPROVED,
                w.leader_users[leader_id],
                MaterialStatus.APPROVED,
                "同意。",
                versions[-1],
            )
            material.approval, material.approved_at = "同意。", t.moment
            material.approved_version = versions[-1]
    material.status = state.status
    material.save(update_fields=["status", "approval", "approved_at", "approved_version"])
    DocumentEvent.objects.bulk_create(events)


def _instructions_to_ledger(
    w: _World, received: list[tuple[IncomingDocument, list[DocumentEvent]]]
) -> int:
    """A few recent instructions are turned into ledger items by the office, through the
    services (so the ledger holds them as it holds any item it tracks)."""
    candidates = [
        d for d, _ in received if d.status in {IncomingStatus.INSTRUCTED, IncomingStatus.HANDLING}
    ][-4:]
    made = 0
    office_user = w.office_users[0]
    for document in candidates:
        deadline = min(
            (document.due_on or w.today) + datetime.timedelta(days=7),
            datetime.date(w.today.year, 12, 31),
        )
        deadline = max(deadline, w.today)
        try:
            services.incoming_to_ledger(actor=office_user, document=document, deadline=deadline)
        except ValidationError:
            continue  # a deadline the ledger refuses: leave that instruction to the office
        made += 1
    return made


def demo_step(context: DemoContext) -> str:
    """The documents' part of `seed_demo` (registered in `apps.py`)."""
    from apps.ledger.models import Checklist

    # Without the ledger's demo (`seed_demo --skip ledger`) the ledger stays empty.
    documents = generate_documents(
        seed=context.seed, today=context.today, to_ledger=Checklist.objects.exists()
    )
    return (
        f"已生成公文：发文 {documents.outgoing} 件（已印发 {documents.issued} 件，"
        f"流转中 {documents.in_flow} 件，会签 {documents.countersigned} 件，"
        f"退回 {documents.returned} 次），收文 {documents.incoming} 件，"
        f"领导批示转督办事项 {documents.instructions_to_ledger} 项，办理动态 {documents.events} 条；"
        f"文稿起草小组 {documents.groups} 个，材料 {documents.materials} 篇。"
    )
