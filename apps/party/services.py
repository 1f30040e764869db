"""Every write of party building and publicity. Each service validates completely, then writes in
one transaction; bad input raises a ValidationError with a Chinese message and changes nothing.

What a meeting decides is followed up in the ledger: `agenda_to_ledger` and
`responsibility_to_ledger` register and assign a ledger item through the ledger's own services.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from apps.accounts.models import User
from apps.core import clock
from apps.core.locks import hold_until_commit
from apps.documents import services as document_services
from apps.documents.choices import DocumentType, OutgoingStatus, Urgency
from apps.documents.models import IncomingDocument
from apps.organization.models import Person, Unit

from . import notices, rules
from .choices import (
    ARTICLE_FLOW,
    RATING_POINTS,
    ActivityKind,
    AgendaKind,
    ArticleKind,
    ArticleStatus,
    Channel,
    CheckResult,
    CheckStage,
    DecisionResult,
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
    AgendaItem,
    Article,
    ArticleEvent,
    BranchActivity,
    DecisionOpinion,
    DecisionRecusal,
    HigherReport,
    MajorDecision,
    MeetingAttendance,
    PartyMeeting,
    PublicationIssue,
    ResponsibilityItem,
    ResponsibilityList,
    Review,
    ReviewBallot,
    ReviewCriterion,
    ReviewScore,
    ReviewSubject,
)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


class Errors:
    """Collects messages per field; `raise_if_any()` raises them as one ValidationError."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# ---------------------------------------------------------------------------------------------
# Settings: the organ's rules, configurable
# ---------------------------------------------------------------------------------------------


def two_thirds_kinds() -> frozenset[str]:
    """Agenda kinds that need two thirds of the party group present (人事, 三重一大 by default)."""
    return frozenset(
        getattr(settings, "PARTY_TWO_THIRDS_KINDS", (AgendaKind.PERSONNEL, AgendaKind.MAJOR))
    )


def large_sum_threshold() -> Decimal:
    """The organ's threshold of a large sum (大额资金, 万元)."""
    return Decimal(str(getattr(settings, "PARTY_LARGE_SUM_WAN", 50)))


def activity_requirements() -> dict[str, int]:
    """What the rules require of each branch in a year (e.g. 支部党员大会 each quarter)."""
    default = {
        ActivityKind.GENERAL_MEETING: 4,
        ActivityKind.COMMITTEE: 12,
        ActivityKind.GROUP: 12,
        ActivityKind.LECTURE: 1,
        ActivityKind.THEME_DAY: 12,
    }
    return dict(getattr(settings, "PARTY_ACTIVITY_REQUIREMENTS", default))


def _numbered[M: (PartyMeeting, PublicationIssue)](model: type[M], year: int, **fields: Any) -> M:
    """Create a row numbered next in its year (第N次, 第N期). Two at once: the second waits on the
    lock of the year's numbering until the first has committed, then counts its row too; should a
    row still take the number (the constraint refuses it), it counts again (in a savepoint)."""
    hold_until_commit(f"{model._meta.label_lower}:number:{year}")
    for _ in range(5):
        numbers = model.objects.filter(year=year).values_list("number", flat=True)
        number = max(numbers, default=0) + 1
        try:
            with transaction.atomic():
                return model.objects.create(year=year, number=number, **fields)
        except IntegrityError:
            continue
    raise ValidationError("编号冲突，请稍后重试。")


# ---------------------------------------------------------------------------------------------
# Party group meetings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendeeSpec:
    person: Person
    presence: str
    reason: str = ""


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    date: datetime.date | None,
    place: str,
    presider: Person | None,
    recorder: Person | None,
    attendees: Sequence[AttendeeSpec],
) -> PartyMeeting:
    """Register a meeting, numbered in its year, with every party group member's presence."""
    _require(rules.keeps_party_records(actor), "只有办公室可以登记党组会议。")
    errors = Errors()
    if date is None:
        errors.add("date", "请填写会议日期。")
        errors.raise_if_any()
    assert date is not None
    if not place.strip():
        errors.add("place", "请填写会议地点。")
    if recorder is None:
        errors.add("recorder", "请指定记录人。")
    members = {p.pk: p for p in rules.party_group_on(date)}
    if not members:
        errors.add("date", f"{date:%Y年%m月%d日}没有在任的党组成员，不能登记党组会议。")
    seen: set[int] = set()
    for a in attendees:
        if a.person.pk in seen:
            errors.add("attendees", f"{a.person.name}重复登记。")
        seen.add(a.person.pk)
        if a.presence not in Presence.values:
            errors.add("attendees", f"{a.person.name}的出席情况不正确。")
        elif a.person.pk in members and a.presence == Presence.NON_VOTING:
            errors.add("attendees", f"{a.person.name}是党组成员，应登记为出席或请假。")
        elif a.person.pk not in members and a.presence != Presence.NON_VOTING:
            errors.add("attendees", f"{a.person.name}不是党组成员，只能列席。")
        if a.presence == Presence.ABSENT and not a.reason.strip():
            errors.add("attendees", f"请填写{a.person.name}的请假原因。")
    for pk, person in members.items():
        if pk not in seen:
            errors.add("attendees", f"请登记党组成员{person.name}的出席情况。")
    present = {
        a.person.pk for a in attendees if a.presence == Presence.PRESENT and a.person.pk in members
    }
    if presider is None:
        errors.add("presider", "请指定主持人。")
    elif presider.pk not in present:
        errors.add("presider", "主持人须是出席会议的党组成员。")
    errors.raise_if_any()
    assert presider is not None and recorder is not None
    meeting = _numbered(
        PartyMeeting,
        date.year,
        date=date,
        place=place.strip(),
        presider=presider,
        recorder=recorder,
        members_total=len(members),
        created_by=actor,
    )
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(
            meeting=meeting,
            person=a.person,
            presence=a.presence,
            is_member=a.person.pk in members,
            reason=a.reason.strip(),
        )
        for a in attendees
    )
    notices.meeting_scheduled(meeting)
    return meeting


def keeps_meeting(user: Any, meeting: PartyMeeting) -> bool:
    """Adds agenda items and records decisions: the recorder, or the office account that
    registered the meeting."""
    if not rules.is_business(user):
        return False
    return meeting.recorder_id == user.person_id or meeting.created_by_id == user.pk


@dataclass(frozen=True)
class Quorum:
    total: int
    present: int

    def reached(self, fraction: Fraction) -> bool:
        """More than half (1/2) is strict; two thirds (2/3) is at least."""
        if self.total == 0:
            return False
        if fraction == Fraction(1, 2):
            return self.present * 2 > self.total
        return Fraction(self.present, self.total) >= fraction

    def needed(self, fraction: Fraction) -> int:
        for n in range(self.total + 1):
            if Quorum(self.total, n).reached(fraction):
                return n
        return self.total + 1


def quorum(meeting: PartyMeeting) -> Quorum:
    present = meeting.attendances.filter(is_member=True, presence=Presence.PRESENT).count()
    return Quorum(meeting.members_total, present)


def required_fraction(kind: str) -> Fraction:
    return Fraction(2, 3) if kind in two_thirds_kinds() else Fraction(1, 2)


def _check_quorum(meeting: PartyMeeting, kind: str, errors: Errors) -> None:
    q = quorum(meeting)
    fraction = required_fraction(kind)
    if not q.reached(fraction):
        share = "三分之二以上" if fraction == Fraction(2, 3) else "半数以上"
        errors.add(
            "__all__",
            f"会议未达到法定人数：{AgendaKind(kind).label}议题须有{share}党组成员到会"
            f"（应到{q.total}人，须至少{q.needed(fraction)}人，实到{q.present}人），不能作出决定。",
        )


@transaction.atomic
def agenda_add(
    *, actor: User, meeting: PartyMeeting, kind: str, title: str, conclusion: str = ""
) -> AgendaItem:
    _require(keeps_meeting(actor, meeting), "只有会议记录人可以登记议题。")
    meeting = PartyMeeting.objects.select_for_update().get(pk=meeting.pk)
    errors = Errors()
    count = meeting.items.count()
    if kind not in AgendaKind.values:
        errors.add("kind", "未知的议题类型。")
    elif count == 0 and kind != AgendaKind.FIRST_TOPIC:
        errors.add("kind", "党组会议须以“第一议题”开篇：请先登记第一议题。")
    elif count > 0 and kind == AgendaKind.FIRST_TOPIC:
        errors.add("kind", "“第一议题”须排在首位，本次会议已登记第一议题。")
    if not title.strip():
        errors.add("title", "请填写议题名称。")
    elif len(title.strip()) > 200:
        errors.add("title", "议题名称不能超过200字。")
    errors.raise_if_any()
    return AgendaItem.objects.create(
        meeting=meeting, order=count + 1, kind=kind, title=title.strip(), conclusion=conclusion
    )


@transaction.atomic
def agenda_conclude(*, actor: User, item: AgendaItem, conclusion: str) -> AgendaItem:
    """Record what the meeting agreed on an item (议定事项); needs the quorum of its kind."""
    _require(keeps_meeting(actor, item.meeting), "只有会议记录人可以登记议定事项。")
    errors = Errors()
    if not conclusion.strip():
        errors.add("conclusion", "请填写议定事项。")
    if item.kind == AgendaKind.MAJOR:
        errors.add("conclusion", "三重一大议题须按程序记录集体决策，不能直接填写议定事项。")
    _check_quorum(item.meeting, item.kind, errors)
    errors.raise_if_any()
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    locked.conclusion = conclusion.strip()
    locked.save(update_fields=["conclusion"])
    return locked


@dataclass(frozen=True)
class OpinionSpec:
    member: Person
    vote: str
    opinion: str = ""


@dataclass(frozen=True)
class RecusalSpec:
    member: Person
    reason: str


@dataclass
class DecisionSpec:
    category: str
    matter: str
    consulted_with: str
    consulted_on: datetime.date | None
    materials: str
    opinions: Sequence[OpinionSpec] = field(default_factory=list)
    recusals: Sequence[RecusalSpec] = field(default_factory=list)
    amount: Decimal | None = None


def validate_decision(item: AgendaItem, spec: DecisionSpec) -> None:
    meeting = item.meeting
    errors = Errors()
    if item.kind != AgendaKind.MAJOR:
        errors.add("__all__", "只有“三重一大”议题需要记录集体决策。")
        errors.raise_if_any()
    if MajorDecision.objects.filter(item=item).exists():
        errors.add("__all__", "该议题已作出决策，不能重复表决。")
        errors.raise_if_any()
    if spec.category not in MajorCategory.values:
        errors.add("category", "请选择三重一大事项类别。")
    if not spec.matter.strip():
        errors.add("matter", "请填写决策事项。")
    if not spec.consulted_with.strip() or spec.consulted_on is None:
        errors.add("consulted_with", "三重一大事项须经会前酝酿：请填写酝酿对象和酝酿日期。")
    elif spec.consulted_on > meeting.date:
        errors.add("consulted_on", "会前酝酿日期不能晚于会议日期。")
    if not spec.materials.strip():
        errors.add("materials", "请列明提交会议研究的材料。")
    if spec.category == MajorCategory.FUNDS:
        threshold = large_sum_threshold()
        if spec.amount is None:
            errors.add("amount", "大额资金使用事项须填写金额。")
        elif spec.amount < threshold:
            errors.add(
                "amount",
                f"金额{spec.amount}万元低于本机关大额资金标准{threshold}万元，不属于三重一大事项。",
            )
    if spec.amount is not None and spec.amount < 0:
        errors.add("amount", "金额不能为负数。")
    _check_quorum(meeting, item.kind, errors)
    rows = {a.person_id: a for a in meeting.attendances.filter(is_member=True)}
    present = {pk for pk, a in rows.items() if a.presence == Presence.PRESENT}
    recused: set[int] = set()
    for r in spec.recusals:
        if r.member.pk not in present:
            errors.add("recusals", f"{r.member.name}不是出席会议的党组成员，无须登记回避。")
        if not r.reason.strip():
            errors.add("recusals", f"请填写{r.member.name}回避的原因。")
        recused.add(r.member.pk)
    spoken: list[int] = []
    if not spec.opinions:
        errors.add("opinions", "请按发言顺序登记每位党组成员的表态意见。")
    for o in spec.opinions:
        if o.member.pk in recused:
            errors.add("opinions", f"{o.member.name}已回避，不能参与表态和表决。")
        elif o.member.pk not in present:
            errors.add("opinions", f"{o.member.name}不是出席会议的党组成员，不能参与表决。")
        if o.member.pk in spoken:
            errors.add("opinions", f"{o.member.name}重复表态。")
        if o.vote not in Vote.values:
            errors.add("opinions", f"{o.member.name}的表决意见不正确。")
        spoken.append(o.member.pk)
    for pk in sorted(present - recused - set(spoken)):
        errors.add("opinions", f"{rows[pk].person.name}出席会议且未回避，须逐一表态。")
    secretary = rules.secretary_on(meeting.date)
    last_speaker = (
        secretary
        if secretary is not None and secretary.pk in present and secretary.pk not in recused
        else meeting.presider
    )
    if spoken and spoken[-1] != last_speaker.pk:
        errors.add("opinions", f"须由{last_speaker.name}末位表态：主要负责人应最后发表意见。")
    errors.raise_if_any()


@transaction.atomic
def decision_record(*, actor: User, item: AgendaItem, spec: DecisionSpec) -> MajorDecision:
    """Record a 三重一大 decision: consultation, materials, opinions in order with the secretary
    last, recusals, the vote and its result (同意超过应参加表决成员半数为通过)."""
    _require(keeps_meeting(actor, item.meeting), "只有会议记录人可以记录集体决策。")
    # Lock the item so that two recorders cannot both record a decision.
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    validate_decision(item, spec)
    assert spec.consulted_on is not None
    votes = [o.vote for o in spec.opinions]
    entitled = item.meeting.members_total - len(spec.recusals)
    agree = votes.count(Vote.AGREE)
    passed = agree * 2 > entitled
    decision = MajorDecision.objects.create(
        item=item,
        category=spec.category,
        matter=spec.matter.strip(),
        amount=spec.amount,
        consulted_with=spec.consulted_with.strip(),
        consulted_on=spec.consulted_on,
        materials=spec.materials.strip(),
        result=DecisionResult.PASSED if passed else DecisionResult.REJECTED,
        agree=agree,
        disagree=votes.count(Vote.DISAGREE),
        abstain=votes.count(Vote.ABSTAIN),
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    DecisionOpinion.objects.bulk_create(
        DecisionOpinion(
            decision=decision, order=n, member=o.member, vote=o.vote, opinion=o.opinion.strip()
        )
        for n, o in enumerate(spec.opinions, start=1)
    )
    DecisionRecusal.objects.bulk_create(
        DecisionRecusal(decision=decision, member=r.member, reason=r.reason.strip())
        for r in spec.recusals
    )
    verdict = "通过" if passed else "未通过"
    item.conclusion = (
        f"{spec.matter.strip()}：同意{agree}票，不同意{decision.disagree}票，"
        f"弃权{decision.abstain}票，{verdict}。"
    )
    item.save(update_fields=["conclusion"])
    return decision


def _party_checklist(actor: User, year: int, name: str) -> Any:
    from apps.ledger import services as ledger
    from apps.ledger.choices import Source
    from apps.ledger.models import Checklist

    return Checklist.objects.filter(name=name).first() or ledger.checklist_create(
        actor=actor, name=name, year=year, source=Source.PARTY_GROUP
    )


def _to_ledger(
    *,
    actor: User,
    checklist_name: str,
    year: int,
    title: str,
    content: str,
    lead_unit: Unit | None,
    deadline: datetime.date | None,
    leading_leader: Person | None,
    note: str,
) -> Any:
    from apps.ledger import services as ledger
    from apps.ledger.choices import Source
    from apps.ledger.deadlines import DeadlineSpec

    errors = Errors()
    if lead_unit is None:
        errors.add("lead_unit", "请选择牵头单位。")
    if deadline is None:
        errors.add("deadline", "请填写办结时限。")
    errors.raise_if_any()
    assert lead_unit is not None and deadline is not None
    checklist = _party_checklist(actor, year, checklist_name)
    heads = ledger.unit_heads(lead_unit)
    spec = ledger.ItemSpec(
        checklist=checklist,
        title=title[:200],
        content=content,
        lead_unit=lead_unit,
        deadline=DeadlineSpec(date=deadline),
        source=Source.PARTY_GROUP,
        leading_leader=leading_leader,
        responsible_person=heads[0] if heads else None,
        trackers=[actor.person] if actor.person else [],
    )
    item = ledger.item_create(actor=actor, spec=spec)
    return ledger.item_assign(actor=actor, item=item, note=note)


@transaction.atomic
def agenda_to_ledger(
    *,
    actor: User,
    item: AgendaItem,
    lead_unit: Unit | None,
    deadline: datetime.date | None,
    leading_leader: Person | None = None,
) -> AgendaItem:
    """落实: what the meeting decided becomes a ledger item, assigned to its lead unit."""
    _require(keeps_meeting(actor, item.meeting), "只有会议记录人可以把议定事项交办落实。")
    _require(rules.keeps_party_records(actor), "只有办公室可以把议定事项交办督办。")
    locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    errors = Errors()
    if locked.ledger_item_id is not None:
        errors.add("__all__", "该议定事项已交办，不能重复交办。")
    elif locked.kind == AgendaKind.MAJOR:
        decision = MajorDecision.objects.filter(item=locked).first()
        if decision is None:
            errors.add("__all__", "该三重一大事项尚未经集体决策，不能交办落实。")
        elif decision.result != DecisionResult.PASSED:
            errors.add("__all__", "该三重一大事项未获通过，不能交办落实。")
    elif not locked.conclusion.strip():
        errors.add("__all__", "请先登记议定事项，再交办落实。")
    if not errors.by_field:
        _check_quorum(locked.meeting, locked.kind, errors)
    errors.raise_if_any()
    meeting = locked.meeting
    ledger_item = _to_ledger(
        actor=actor,
        checklist_name=f"{meeting.year}年党组会议议定事项清单",
        year=meeting.year,
        title=f"落实{meeting}议定事项：{locked.title}",
        content=locked.conclusion,
        lead_unit=lead_unit,
        deadline=deadline,
        leading_leader=leading_leader,
        note=f"由{meeting}议定事项交办",
    )
    locked.ledger_item = ledger_item
    locked.save(update_fields=["ledger_item"])
    return locked


# ---------------------------------------------------------------------------------------------
# Requests and reports to the higher party organisation
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *,
    actor: User,
    kind: str,
    title: str,
    recipient: str,
    submitted_on: datetime.date | None,
    due_date: datetime.date | None,
) -> HigherReport:
    _require(rules.keeps_party_records(actor), "只有办公室可以登记请示报告。")
    errors = Errors()
    if kind not in ReportKind.values:
        errors.add("kind", "请选择请示或报告。")
    if not title.strip():
        errors.add("title", "请填写标题。")
    if not recipient.strip():
        errors.add("recipient", "请填写报送对象。")
    if submitted_on is None:
        errors.add("submitted_on", "请填写报送日期。")
    elif due_date is not None and due_date < submitted_on:
        errors.add("due_date", "办理时限不能早于报送日期。")
    if kind == ReportKind.REQUEST and due_date is None:
        errors.add("due_date", "请示须填写办理时限。")
    errors.raise_if_any()
    assert submitted_on is not None
    return HigherReport.objects.create(
        year=submitted_on.year,
        kind=kind,
        title=title.strip(),
        recipient=recipient.strip(),
        submitted_on=submitted_on,
        due_date=due_date,
        responsible=actor,
        created_by=actor,
    )


REPORT_DOCUMENT_TYPES = {
    ReportKind.REQUEST: DocumentType.REQUEST,
    ReportKind.REPORT: DocumentType.REPORT,
}


def report_warning_days() -> int:
    """How many days before its 办理时限 an unanswered request is flagged 即将到期 (default 3)."""
    return int(getattr(settings, "PARTY_REPORT_WARNING_DAYS", 3))


@transaction.atomic
def report_draft(
    *,
    actor: User,
    report: HigherReport,
    body: str,
    signer: Person | None,
    urgency: str = Urgency.NONE,
) -> HigherReport:
    """起草发文: the request or report goes out as an outgoing document of the documents area
    (拟稿 → 核稿 → 签发 with its 文号 → 印发); the register follows the document's state."""
    _require(rules.keeps_party_records(actor), "只有办公室可以起草请示报告的发文。")
    locked = HigherReport.objects.select_for_update().get(pk=report.pk)
    current = locked.outgoing
    if current is not None and current.status != OutgoingStatus.VOIDED:
        raise ValidationError(
            {
                "body": f"该{locked.get_kind_display()}已有发文（{current.number or '拟稿中'}），"
                "不能重复起草；如需重拟，请先在公文中作废原稿。"
            }
        )
    if locked.answered_on is not None:
        raise ValidationError({"body": f"该{locked.get_kind_display()}已答复，不能再起草发文。"})
    document = document_services.outgoing_create(
        actor=actor,
        spec=document_services.DraftSpec(
            title=locked.title,
            doc_type=REPORT_DOCUMENT_TYPES[ReportKind(locked.kind)],
            body=body,
            signer=signer,
            recipients=locked.recipient,
            urgency=urgency,
        ),
    )
    locked.outgoing = document
    locked.responsible = locked.responsible or actor
    locked.save(update_fields=["outgoing", "responsible"])
    return locked


def answer_title(report: HigherReport) -> str:
    return f"{report.recipient}关于《{report.title}》的答复"[:200]


@transaction.atomic
def report_answer(
    *,
    actor: User,
    report: HigherReport,
    answer: str,
    answered_on: datetime.date | None,
    source_number: str = "",
    incoming_number: str = "",
) -> HigherReport:
    """登记答复: the answer is an incoming document. Given a 收文号 the answer already registered
    in the documents area is linked; otherwise it is registered there now (签收登记, 收文号)."""
    _require(rules.keeps_party_records(actor), "只有办公室可以登记答复。")
    errors = Errors()
    if report.answered_on is not None:
        errors.add("answer", "该请示报告已登记答复，不能重复登记。")
    if not answer.strip():
        errors.add("answer", "请填写答复意见。")
    if answered_on is None:
        errors.add("answered_on", "请填写答复日期。")
    elif answered_on < report.submitted_on:
        errors.add("answered_on", "答复日期不能早于报送日期。")
    if len(source_number) > 60:
        errors.add("source_number", "来文字号不能超过60字。")
    incoming = None
    number = incoming_number.strip()
    if number:
        incoming = IncomingDocument.objects.filter(number=number).first()
        if incoming is None:
            errors.add("incoming_number", f"没有收文号为“{number[:40]}”的收文，请核对。")
        elif HigherReport.objects.filter(answer_document=incoming).exclude(pk=report.pk).exists():
            errors.add("incoming_number", f"{incoming.number}已登记为另一件请示报告的答复。")
        elif incoming.received_on < report.submitted_on:
            errors.add(
                "incoming_number", f"{incoming.number}的收文日期早于报送日期，不是本件的答复。"
            )
    errors.raise_if_any()
    assert answered_on is not None
    locked = HigherReport.objects.select_for_update().get(pk=report.pk)
    if locked.answered_on is not None:
        raise ValidationError({"answer": "该请示报告已登记答复，不能重复登记。"})
    if incoming is None:
        incoming = document_services.incoming_register(
            actor=actor,
            spec=document_services.IncomingSpec(
                title=answer_title(locked),
                source_organ=locked.recipient,
                received_on=answered_on,
                source_number=source_number.strip(),
            ),
        )
    locked.answer, locked.answered_on, locked.answer_document = (
        answer.strip(),
        answered_on,
        incoming,
    )
    locked.save(update_fields=["answer", "answered_on", "answer_document"])
    notices.report_answered(locked)
    return locked


# ---------------------------------------------------------------------------------------------
# Responsibility lists (一岗双责)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def list_create(
    *,
    actor: User,
    year: int,
    person: Person | None,
    post: str,
    items: Sequence[tuple[str, str]],
) -> ResponsibilityList:
    """A holder's list for the year: (kind, content) pairs, with both kinds of duty (一岗双责)."""
    _require(rules.keeps_party_records(actor), "只有办公室可以制定责任清单。")
    errors = Errors()
    if person is None:
        errors.add("person", "请选择责任人。")
    elif ResponsibilityList.objects.filter(year=year, person=person).exists():
        errors.add("person", f"{person.name}{year}年的责任清单已经制定。")
    if not post.strip():
        errors.add("post", "请填写职务。")
    kinds = {k for k, _ in items}
    if any(k not in ResponsibilityKind.values for k in kinds):
        errors.add("items", "责任类别不正确。")
    if any(not c.strip() for _, c in items):
        errors.add("items", "责任内容不能为空。")
    if kinds != set(ResponsibilityKind.values):
        errors.add("items", "一岗双责：清单须同时包含党建和党风廉政建设责任与业务工作责任。")
    errors.raise_if_any()
    assert person is not None
    responsibility_list = ResponsibilityList.objects.create(
        year=year, person=person, post=post.strip(), created_by=actor
    )
    ResponsibilityItem.objects.bulk_create(
        ResponsibilityItem(
            responsibility_list=responsibility_list, order=n, kind=k, content=c.strip()
        )
        for n, (k, c) in enumerate(items, start=1)
    )
    return responsibility_list


def may_record_evidence(user: Any, item: ResponsibilityItem) -> bool:
    return rules.is_business(user) and (
        item.responsibility_list.person_id == user.person_id or rules.keeps_party_records(user)
    )


@transaction.atomic
def item_evidence(*, actor: User, item: ResponsibilityItem, evidence: str) -> ResponsibilityItem:
    _require(may_record_evidence(actor, item), "只有责任人本人或办公室可以填写履责记实。")
    if not evidence.strip():
        raise ValidationError({"evidence": "请填写履责记实。"})
    locked = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    locked.evidence = evidence.strip()
    locked.save(update_fields=["evidence"])
    return locked


@transaction.atomic
def item_check(
    *, actor: User, item: ResponsibilityItem, stage: str, result: str
) -> ResponsibilityItem:
    _require(rules.keeps_party_records(actor), "只有办公室可以检查责任清单落实情况。")
    item = ResponsibilityItem.objects.select_for_update().get(pk=item.pk)
    errors = Errors()
    if stage not in CheckStage.values:
        errors.add("stage", "请选择年中或年终检查。")
    if result not in CheckResult.values:
        errors.add("result", "请选择检查结果。")
    if stage == CheckStage.YEAR_END and not item.evidence.strip():
        errors.add("result", "年终检查前须有履责记实。")
    errors.raise_if_any()
    locked = item
    name = "midyear" if stage == CheckStage.MIDYEAR else "year_end"
    setattr(locked, name, result)
    locked.save(update_fields=[name])
    notices.item_checked(locked, stage)
    return locked


@transaction.atomic
def responsibility_to_ledger(
    *,
    actor: User,
    item: ResponsibilityItem,
    lead_unit: Unit | None,
    deadline: datetime.date | None,
) -> ResponsibilityItem:
    _require(rules.keeps_party_records(actor), "只有办公室可以把清单事项转为督办事项。")
    locked = (
        ResponsibilityItem.objects.select_for_update()
        .select_related("responsibility_list__person")
        .get(pk=item.pk)
    )
    if locked.ledger_item_id is not None:
        raise ValidationError("该清单事项已转为督办事项。")
    owner = locked.responsibility_list
    leader = owner.person if owner.person.leadership_posts.exists() else None
    ledger_item = _to_ledger(
        actor=actor,
        checklist_name=f"{owner.year}年一岗双责责任清单事项",
        year=owner.year,
        title=f"{owner.person.name}责任清单：{locked.content}",
        content=locked.content,
        lead_unit=lead_unit,
        deadline=deadline,
        leading_leader=leader,
        note="由一岗双责责任清单转办",
    )
    locked.ledger_item = ledger_item
    locked.save(update_fields=["ledger_item"])
    return locked


# ---------------------------------------------------------------------------------------------
# Branch secretaries' review (述职评议)
# ---------------------------------------------------------------------------------------------

MIN_BALLOTS_SHOWN = 3
"""Aggregates of fewer ballots are not shown: they would let a secretary guess who scored what."""


@transaction.atomic
def review_create(
    *,
    actor: User,
    year: int,
    title: str,
    mode: str,
    criteria: Sequence[tuple[str, int]],
    subjects: Sequence[tuple[Person, Unit]],
) -> Review:
    _require(rules.keeps_party_records(actor), "只有办公室可以组织述职评议。")
    errors = Errors()
    if Review.objects.filter(year=year).exists():
        errors.add("year", f"{year}年的述职评议已经建立。")
    if not title.strip():
        errors.add("title", "请填写评议名称。")
    if mode not in ReviewMode.values:
        errors.add("mode", "请选择评价方式。")
    if not criteria:
        errors.add("criteria", "请设置至少一项评议内容。")
    if any(not name.strip() or points <= 0 for name, points in criteria):
        errors.add("criteria", "评议内容须有名称，满分须大于0。")
    if not subjects:
        errors.add("subjects", "请选择述职的支部书记。")
    people = [p.pk for p, _ in subjects]
    if len(set(people)) != len(people):
        errors.add("subjects", "同一名支部书记不能重复列入。")
    errors.raise_if_any()
    review = Review.objects.create(year=year, title=title.strip(), mode=mode, created_by=actor)
    ReviewCriterion.objects.bulk_create(
        ReviewCriterion(review=review, order=n, name=name.strip(), max_points=points)
        for n, (name, points) in enumerate(criteria, start=1)
    )
    ReviewSubject.objects.bulk_create(
        ReviewSubject(review=review, secretary=p, branch=u) for p, u in subjects
    )
    notices.review_opened(review)
    return review


@transaction.atomic
def report_submit(*, actor: User, subject: ReviewSubject, report: str) -> ReviewSubject:
    _require(
        rules.is_business(actor) and actor.person_id == subject.secretary_id,
        "只有支部书记本人可以提交述职报告。",
    )
    errors = Errors()
    if subject.review.status != ReviewStatus.OPEN:
        errors.add("report", "评议已结束，不能修改述职报告。")
    if not report.strip():
        errors.add("report", "请填写述职报告。")
    errors.raise_if_any()
    locked = ReviewSubject.objects.select_for_update().get(pk=subject.pk)
    locked.report = report.strip()
    locked.submitted_at = clock.now()
    locked.save(update_fields=["report", "submitted_at"])
    notices.report_submitted(locked)
    return locked


def reviewer_kind(person: Person, day: datetime.date) -> str:
    if any(p.pk == person.pk for p in rules.party_group_on(day)):
        return ReviewerKind.PARTY_GROUP
    return ReviewerKind.MEMBER if person.is_party_member else ReviewerKind.STAFF


def may_score(user: Any) -> bool:
    return rules.is_business(user) and bool(user.person_id)


def _score_value(
    review: Review, criterion: ReviewCriterion, raw: Any, errors: Errors
) -> tuple[Decimal, str] | None:
    if review.mode == ReviewMode.RATING:
        if raw not in Rating.values:
            errors.add("scores", f"请为“{criterion.name}”选择好、较好、一般或差。")
            return None
        share = Decimal(RATING_POINTS[Rating(raw)]) / 100
        return (share * criterion.max_points).quantize(Decimal("0.01")), raw
    try:
        points = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        errors.add("scores", f"“{criterion.name}”的分值须是数字。")
        return None
    if not points.is_finite() or not 0 <= points <= criterion.max_points:
        errors.add("scores", f"“{criterion.name}”的分值须在0至{criterion.max_points}之间。")
        return None
    return points.quantize(Decimal("0.01")), ""


def _overall_rating(total: Decimal, maximum: int) -> str:
    share = total * 100 / maximum if maximum else Decimal(0)
    if share >= 90:
        return Rating.GOOD
    if share >= 75:
        return Rating.FAIRLY_GOOD
    if share >= 60:
        return Rating.AVERAGE
    return Rating.POOR


@transaction.atomic
def ballot_submit(
    *, actor: User, subject: ReviewSubject, scores: Mapping[int, Any]
) -> ReviewBallot:
    """A reviewer's scores for one secretary: once only, never of themselves, all criteria."""
    _require(may_score(actor), "只有机关干部可以参加评议。")
    # The subject's row is the lock that serialises two submissions of the same reviewer.
    subject = ReviewSubject.objects.select_for_update().select_related("review").get(pk=subject.pk)
    review = subject.review
    errors = Errors()
    if review.status != ReviewStatus.OPEN:
        errors.add("__all__", "评议已结束，不能再打分。")
    if subject.secretary_id == actor.person_id:
        errors.add("__all__", "不能评议自己的述职。")
    if ReviewBallot.objects.filter(subject=subject, reviewer_id=actor.person_id).exists():
        errors.add("__all__", "您已评议过该支部书记，不能重复评议。")
    if subject.submitted_at is None:
        errors.add("__all__", "该支部书记尚未提交述职报告，暂不能评议。")
    errors.raise_if_any()
    criteria = list(review.criteria.all())
    values: dict[int, tuple[Decimal, str]] = {}
    for criterion in criteria:
        if criterion.pk not in scores or scores[criterion.pk] in ("", None):
            errors.add("scores", f"请对“{criterion.name}”作出评价。")
            continue
        value = _score_value(review, criterion, scores[criterion.pk], errors)
        if value is not None:
            values[criterion.pk] = value
    errors.raise_if_any()
    total = sum((v for v, _ in values.values()), Decimal(0))
    maximum = sum(c.max_points for c in criteria)
    assert actor.person is not None and actor.person_id is not None
    try:
        with transaction.atomic():
            ballot = ReviewBallot.objects.create(
                subject=subject,
                reviewer_id=actor.person_id,
                reviewer_kind=reviewer_kind(actor.person, clock.today()),
                total=total,
                rating=_overall_rating(total, maximum),
                created_at=clock.now(),
            )
    except IntegrityError:
        raise ValidationError("您已评议过该支部书记，不能重复评议。") from None
    ReviewScore.objects.bulk_create(
        ReviewScore(ballot=ballot, criterion_id=pk, points=points, rating=rating)
        for pk, (points, rating) in values.items()
    )
    notices.ballot_cast(actor, subject)
    return ballot


@transaction.atomic
def review_publish(*, actor: User, review: Review) -> Review:
    _require(rules.keeps_party_records(actor), "只有办公室可以公布评议结果。")
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status == ReviewStatus.PUBLISHED:
        raise ValidationError("评议结果已经公布。")
    if not ReviewBallot.objects.filter(subject__review=locked).exists():
        raise ValidationError("尚无评议票，不能公布结果。")
    locked.status = ReviewStatus.PUBLISHED
    locked.published_at = clock.now()
    locked.save(update_fields=["status", "published_at"])
    notices.review_published(locked)
    return locked


# ---------------------------------------------------------------------------------------------
# Branch activities
# ---------------------------------------------------------------------------------------------


def may_record_activity(user: Any, branch_id: int) -> bool:
    return rules.keeps_party_records(user) or rules.heads_unit(user, branch_id)


@transaction.atomic
def activity_record(
    *,
    actor: User,
    branch: Unit | None,
    kind: str,
    date: datetime.date | None,
    title: str,
    expected: int | None,
    present: int | None,
) -> BranchActivity:
    errors = Errors()
    if branch is None:
        errors.add("branch", "请选择党支部。")
        errors.raise_if_any()
    assert branch is not None
    _require(may_record_activity(actor, branch.pk), "只有办公室或本支部所在单位负责人可以登记。")
    if kind not in ActivityKind.values:
        errors.add("kind", "请选择活动类型。")
    if date is None:
        errors.add("date", "请填写活动日期。")
    elif date > clock.today():
        errors.add("date", "不能登记尚未举行的活动。")
    if not title.strip():
        errors.add("title", "请填写活动主题。")
    if expected is None or expected <= 0:
        errors.add("expected", "应到人数须大于0。")
    if present is None or present < 0:
        errors.add("present", "请填写实到人数。")
    elif expected is not None and present > expected:
        errors.add("present", "实到人数不能多于应到人数。")
    errors.raise_if_any()
    assert date is not None and expected is not None and present is not None
    return BranchActivity.objects.create(
        branch=branch,
        kind=kind,
        date=date,
        title=title.strip(),
        expected=expected,
        present=present,
        created_by=actor,
    )


# ---------------------------------------------------------------------------------------------
# Publicity (宣传) and the internal publication
# ---------------------------------------------------------------------------------------------


def _article_event(article: Article, actor: User, before: str, note: str = "") -> None:
    ArticleEvent.record(
        article=article, actor=actor, from_status=before, to_status=article.status, note=note
    )


@transaction.atomic
def article_create(*, actor: User, kind: str, title: str, body: str, channel: str) -> Article:
    _require(rules.is_business(actor) and bool(actor.person_id), "只有机关干部可以起草稿件。")
    errors = Errors()
    units = sorted(rules.current_unit_ids(actor))
    if not units:
        errors.add("__all__", "您目前不在任何单位任职，不能以单位名义供稿。")
    if kind not in ArticleKind.values:
        errors.add("kind", "请选择稿件类型。")
    if not title.strip():
        errors.add("title", "请填写标题。")
    elif len(title.strip()) > 200:
        errors.add("title", "标题不能超过200字。")
    if not body.strip():
        errors.add("body", "请填写正文。")
    if channel not in Channel.values:
        errors.add("channel", "请选择拟发布渠道。")
    errors.raise_if_any()
    assert actor.person_id is not None
    article = Article.objects.create(
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        unit_id=units[0],
        author_id=actor.person_id,
        channel=channel,
    )
    _article_event(article, actor, ArticleStatus.DRAFT, "起草")
    return article


def _locked_article(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _step(
    article: Article, actor: User, allowed: set[str], to: str, note: str = "", **changes: Any
) -> Article:
    if article.status not in allowed:
        raise ValidationError(f"稿件当前状态为“{article.get_status_display()}”，不能执行此操作。")
    before = article.status
    article.status = to
    for name, value in changes.items():
        setattr(article, name, value)
    article.save(update_fields=["status", *changes])
    _article_event(article, actor, before, note)
    return article


@transaction.atomic
def article_submit(*, actor: User, article: Article) -> Article:
    """一审: the author submits; the unit head and the office's head decide it in the approvals
    engine (flow "party.article"), whose outcome comes back through `on_article_decided`."""
    from apps.approvals.services import approval_submit

    locked = _locked_article(article)
    _require(locked.author_id == actor.person_id, "只有作者本人可以提交稿件。")
    locked = _step(locked, actor, {ArticleStatus.DRAFT}, ArticleStatus.SUBMITTED, "作者提交审核")
    locked.approval = approval_submit(
        flow_code=ARTICLE_FLOW,
        applicant=actor,
        subject=locked,
        title=f"宣传稿件审核：{locked.title}"[:200],
    )
    locked.save(update_fields=["approval"])
    return locked


def current_reviewer(article: Article) -> Any:
    """The account whose review the piece waits for, or None."""
    from apps.approvals.services import current_stage

    if article.status != ArticleStatus.SUBMITTED or article.approval is None:
        return None
    stage = current_stage(article.approval)
    return stage.approver if stage else None


def unit_reviewed(article: Article) -> bool:
    """The unit head has approved (二审 done): from then on the office sees the piece."""
    from apps.approvals.choices import StageStatus

    return bool(
        article.approval_id
        and article.approval.stages.filter(order=0, status=StageStatus.APPROVED).exists()  # type: ignore[union-attr]
    )


@transaction.atomic
def article_review(*, actor: User, article: Article, approve: bool, reason: str = "") -> Article:
    """二审 and 三审: the current reviewer approves, or returns the piece to its author."""
    from apps.approvals.services import approval_decide

    locked = _locked_article(article)
    if locked.status != ArticleStatus.SUBMITTED or locked.approval is None:
        raise ValidationError(f"稿件当前状态为“{locked.get_status_display()}”，不能审核。")
    if not approve and not reason.strip():
        raise ValidationError({"reason": "请填写退回原因。"})
    approval_decide(actor=actor, request=locked.approval, approve=approve, comment=reason.strip())
    return Article.objects.get(pk=locked.pk)


def on_article_decided(approval: Any) -> None:
    """Registered with the approvals engine; runs inside the deciding transaction."""
    from apps.approvals.choices import RequestStatus, StageStatus

    article = Article.objects.select_for_update().filter(approval=approval).first()
    if article is None:
        return
    approvers = {
        stage.order: stage.approver
        for stage in approval.stages.filter(status=StageStatus.APPROVED).select_related("approver")
    }
    before = article.status
    if approval.status == RequestStatus.APPROVED:
        article.status = ArticleStatus.APPROVED
        article.unit_reviewer_id = getattr(approvers.get(0), "person_id", None)
        article.office_reviewer_id = getattr(approvers.get(1), "person_id", None)
        note = "单位负责人、办公室审核通过"
    else:
        article.status = ArticleStatus.DRAFT
        article.approval = None
        stage = approval.stages.filter(status=StageStatus.REJECTED).first()
        note = f"退回：{stage.comment}"[:200] if stage else "作者撤回"
    article.save(update_fields=["status", "unit_reviewer", "office_reviewer", "approval"])
    actor = approval.stages.exclude(decided_at=None).order_by("-decided_at").first()
    _article_event(article, actor.approver if actor else approval.applicant, before, note)


@transaction.atomic
def article_publish(
    *,
    actor: User,
    article: Article,
    published_on: datetime.date | None,
    issue: PublicationIssue | None = None,
) -> Article:
    _require(rules.keeps_party_records(actor), "只有办公室可以发布稿件。")
    locked = _locked_article(article)
    if locked.status != ArticleStatus.APPROVED:
        raise ValidationError("稿件未完成三审（作者提交、单位负责人审核、办公室审核），不能发布。")
    errors = Errors()
    if published_on is None:
        errors.add("published_on", "请填写发布日期。")
    if locked.channel == Channel.INTERNAL and issue is None:
        errors.add("issue", "刊发于内部刊物的稿件须选择期刊。")
    errors.raise_if_any()
    return _step(
        locked,
        actor,
        {ArticleStatus.APPROVED},
        ArticleStatus.PUBLISHED,
        f"发布于{locked.get_channel_display()}",
        published_on=published_on,
        issue=issue,
    )


@transaction.atomic
def article_adopt(
    *, actor: User, article: Article, adopted_by: str, adopted_on: datetime.date | None
) -> Article:
    """采用: a higher level took the piece up (often scored in the annual evaluation)."""
    _require(rules.keeps_party_records(actor), "只有办公室可以登记采用情况。")
    locked = _locked_article(article)
    errors = Errors()
    if locked.status != ArticleStatus.PUBLISHED:
        errors.add("__all__", "只有已发布或已报送的稿件可以登记采用。")
    if not adopted_by.strip():
        errors.add("adopted_by", "请填写采用单位。")
    if adopted_on is None:
        errors.add("adopted_on", "请填写采用日期。")
    elif locked.published_on and adopted_on < locked.published_on:
        errors.add("adopted_on", "采用日期不能早于发布日期。")
    errors.raise_if_any()
    locked.adopted_by, locked.adopted_on = adopted_by.strip(), adopted_on
    locked.save(update_fields=["adopted_by", "adopted_on"])
    return locked


@transaction.atomic
def issue_create(
    *, actor: User, year: int, planned_on: datetime.date | None, title: str = ""
) -> PublicationIssue:
    _require(rules.keeps_party_records(actor), "只有办公室可以编辑内部刊物。")
    if planned_on is None:
        raise ValidationError({"planned_on": "请填写计划出刊日期。"})
    return _numbered(
        PublicationIssue,
        year,
        title=title.strip() or "人大机关工作",
        planned_on=planned_on,
        created_by=actor,
    )


@transaction.atomic
def issue_publish(
    *, actor: User, issue: PublicationIssue, published_on: datetime.date | None
) -> PublicationIssue:
    """出刊: the issue's approved internal articles are published with it."""
    _require(rules.keeps_party_records(actor), "只有办公室可以出刊。")
    locked = PublicationIssue.objects.select_for_update().get(pk=issue.pk)
    errors = Errors()
    if locked.status == IssueStatus.PUBLISHED:
        errors.add("__all__", "本期已经出刊。")
    if published_on is None:
        errors.add("published_on", "请填写出刊日期。")
    planned = list(
        Article.objects.filter(
            channel=Channel.INTERNAL, status=ArticleStatus.APPROVED, issue=locked
        )
    )
    if not planned and not locked.articles.exists():
        errors.add("__all__", "本期尚无审核通过的稿件，不能出刊。")
    errors.raise_if_any()
    for article in planned:
        article_publish(actor=actor, article=article, published_on=published_on, issue=locked)
    locked.status, locked.published_on = IssueStatus.PUBLISHED, published_on
    locked.save(update_fields=["status", "published_on"])
    return locked


@transaction.atomic
def issue_plan(*, actor: User, issue: PublicationIssue, article: Article) -> Article:
    """Plan an approved internal article into an issue being edited."""
    _require(rules.keeps_party_records(actor), "只有办公室可以编排期刊。")
    locked = _locked_article(article)
    errors = Errors()
    if issue.status != IssueStatus.EDITING:
        errors.add("__all__", "本期已出刊，不能再编排稿件。")
    if locked.channel != Channel.INTERNAL:
        errors.add("__all__", "只有拟刊发于内部刊物的稿件可以编入期刊。")
    if locked.status != ArticleStatus.APPROVED:
        errors.add("__all__", "稿件须经三审通过后方可编入期刊。")
    errors.raise_if_any()
    locked.issue = issue
    locked.save(update_fields=["issue"])
    return locked
