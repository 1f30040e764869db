"""Every write of the sessions area. Each service validates completely first, then changes what it
must in one transaction, locking the session row where two people could act at once (the sign-in
desk and the 会中 screen), and writes a `SessionEvent`.

The two follow-ups the organ tracks — a reporting body's materials before a session, and its
handling of the deliberation opinions after it — are tracked items of the ledger, assigned to the
body: the ledger's deadlines, warnings, reminders and timeline serve them, not a copy here.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from apps.accounts.models import User
from apps.core import clock
from apps.ledger import services as ledger
from apps.ledger.choices import FeedbackRule, Source
from apps.ledger.choices import Status as LedgerStatus
from apps.ledger.deadlines import DeadlineSpec, add_one_month
from apps.ledger.models import Checklist, TrackedItem
from apps.notifications.services import notify
from apps.organization.models import Unit
from apps.workcalendar.services import add_workdays

from . import scopes
from .choices import (
    CAST,
    AttendanceStatus,
    ItemType,
    MemberChoice,
    OpinionStatus,
    Rating,
    Reading,
    SessionEventKind,
    SessionStatus,
    SignInMethod,
    VoteMode,
)
from .models import (
    AgendaItem,
    Attendance,
    CommitteeMember,
    DirectorsMeeting,
    Material,
    MemberVote,
    Observer,
    Opinion,
    OpinionRating,
    Session,
    SessionEvent,
    Speech,
    Vote,
)

MAX_MATERIAL_BYTES = 50 * 1024 * 1024
MATERIALS_LIST = "{year}年常委会会议材料报送"
OPINIONS_LIST = "{year}年常委会审议意见办理"


def _require(condition: bool, message: str = "您无权执行此操作。") -> None:
    if not condition:
        raise PermissionDenied(message)


def _event(
    session: Session,
    kind: str,
    actor: User | None,
    *,
    item: AgendaItem | None = None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> SessionEvent:
    return SessionEvent.record(
        session=session,
        item=item,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


def _refuse_status(session: Session, allowed: Collection[str], action: str) -> None:
    if session.status not in allowed:
        raise ValidationError(
            f"该会议当前为“{session.get_status_display()}”，不能{action}。"
            f"（只有{'、'.join(SessionStatus(s).label for s in sorted(allowed))}的会议可以{action}）"
        )


# ---------------------------------------------------------------------------------------------
# Quorum and passing: both against all members of the Standing Committee on the session's day.


@dataclass(frozen=True)
class Quorum:
    total: int  # all members whose term covers the session's day
    present: int
    on_leave: int

    @property
    def needed(self) -> int:
        """The fewest present members that make more than half of all members."""
        return self.total // 2 + 1

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.present * 2 > self.total

    @property
    def not_recorded(self) -> int:
        return self.total - self.present - self.on_leave


def members_total(day: datetime.date) -> int:
    return CommitteeMember.objects.on(day).count()


def quorum_of(session: Session) -> Quorum:
    members = CommitteeMember.objects.on(session.date)
    rows = Attendance.objects.filter(session=session, member__in=members)
    present = rows.filter(status=AttendanceStatus.PRESENT).count()
    on_leave = rows.filter(status=AttendanceStatus.LEAVE).count()
    return Quorum(total=members.count(), present=present, on_leave=on_leave)


def passes(yes: int, total: int) -> bool:
    """Adopted with more than half of all members (not of those present or voting)."""
    return total > 0 and yes * 2 > total


# ---------------------------------------------------------------------------------------------
# Sessions, the 主任会议 and the agenda


@transaction.atomic
def directors_meeting_create(
    *, actor: User, date: datetime.date, topics: str = ""
) -> DirectorsMeeting:
    _require(scopes.can_run(actor), "只有办公室可以登记主任会议。")
    number = (
        DirectorsMeeting.objects.filter(year=date.year).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return DirectorsMeeting.objects.create(
        year=date.year, number=number, date=date, topics=topics.strip(), created_by=actor
    )


@transaction.atomic
def session_create(
    *,
    actor: User,
    date: datetime.date,
    end_date: datetime.date | None = None,
    number: int | None = None,
    place: str = "常委会会议室",
    notice_days: int = 7,
    materials_workdays: int = 5,
) -> Session:
    """拟定: the office drafts a session from the year's plan; the 主任会议 decides its agenda."""
    _require(scopes.can_run(actor), "只有办公室可以拟定常委会会议。")
    end_date = end_date or date
    errors: dict[str, str] = {}
    if end_date < date:
        errors["end_date"] = "结束日期不能早于会议日期。"
    if number is not None and Session.objects.filter(number=number).exists():
        errors["number"] = f"已有第{number}次会议。"
    if not 1 <= notice_days <= 60:
        errors["notice_days"] = "提前通知天数须在1到60之间。"
    if not 1 <= materials_workdays <= 30:
        errors["materials_workdays"] = "材料提前报送工作日数须在1到30之间。"
    if not place.strip():
        errors["place"] = "请填写会议地点。"
    if errors:
        raise ValidationError(errors)
    if number is None:
        number = (Session.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    session = Session.objects.create(
        number=number,
        date=date,
        end_date=end_date,
        place=place.strip(),
        notice_days=notice_days,
        materials_workdays=materials_workdays,
        created_by=actor,
    )
    _event(session, SessionEventKind.CREATED, actor, to_status=SessionStatus.DRAFT)
    return session


@dataclass
class ItemSpec:
    title: str
    item_type: str
    committee: Unit
    planned_minutes: int
    reporting_body: Unit | None = None
    presenter: str = ""
    reading: str = Reading.NONE


def _validate_item(spec: ItemSpec) -> None:
    errors: dict[str, str] = {}
    if not spec.title.strip():
        errors["title"] = "请填写议题名称。"
    elif len(spec.title) > 200:
        errors["title"] = "议题名称不能超过200字。"
    if spec.item_type not in ItemType.values:
        errors["item_type"] = "未知的议题类型。"
    if spec.reading not in Reading.values:
        errors["reading"] = "未知的审次。"
    elif spec.item_type == ItemType.REGULATION and not spec.reading:
        errors["reading"] = "法规草案须注明一审、二审或三审。"
    elif spec.item_type != ItemType.REGULATION and spec.reading:
        errors["reading"] = "只有法规草案有审次。"
    if spec.committee.is_external:
        errors["committee"] = "承办工作委员会须是机关的工作委员会或办公室。"
    if spec.reporting_body is not None and not spec.reporting_body.is_external:
        errors["reporting_body"] = "报告单位须是一府一委两院或政府部门。"
    if not 1 <= spec.planned_minutes <= 480:
        errors["planned_minutes"] = "计划时长须在1到480分钟之间。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def item_add(*, actor: User, session: Session, spec: ItemSpec) -> AgendaItem:
    """A proposed agenda item; the agenda can change until the 主任会议 decides it."""
    _require(scopes.can_run(actor), "只有办公室可以编排议程。")
    _validate_item(spec)
    session = _locked(session)
    _refuse_status(session, {SessionStatus.DRAFT}, "修改议程")
    order = (session.items.aggregate(n=Max("order"))["n"] or 0) + 1
    return AgendaItem.objects.create(
        session=session,
        order=order,
        title=spec.title.strip(),
        item_type=spec.item_type,
        reading=spec.reading,
        reporting_body=spec.reporting_body,
        presenter=spec.presenter.strip(),
        committee=spec.committee,
        planned_minutes=spec.planned_minutes,
    )


@transaction.atomic
def item_remove(*, actor: User, item: AgendaItem) -> None:
    _require(scopes.can_run(actor), "只有办公室可以编排议程。")
    session = _locked(item.session)
    _refuse_status(session, {SessionStatus.DRAFT}, "修改议程")
    item.delete()


def _ledger_list(actor: User, template: str, year: int, source: str) -> Checklist:
    name = template.format(year=year)
    existing = Checklist.objects.filter(name=name).first()
    if existing is not None:
        return existing
    return ledger.checklist_create(
        actor=actor,
        name=name,
        year=year,
        source=source,
        description="由常委会会议服务自动建立。",
    )


def _track_for_body(
    *,
    actor: User,
    checklist: Checklist,
    title: str,
    content: str,
    body: Unit,
    deadline: datetime.date,
    feedback_rule: str = FeedbackRule.NONE,
) -> TrackedItem:
    """A ledger item assigned to an external body, tracked by the actor's office."""
    spec = ledger.ItemSpec(
        checklist=checklist,
        title=title[:200],
        content=content,
        lead_unit=body,
        deadline=DeadlineSpec(date=deadline),
        source=Source.SC_RESOLUTION,
        trackers=[actor.person] if actor.person is not None else [],
        feedback_rule=feedback_rule,
    )
    item = ledger.item_create(actor=actor, spec=spec)
    return ledger.item_assign(actor=actor, item=item)


def _notify_body(body: Unit, title: str, url: str = "") -> None:
    contacts = list(
        User.objects.filter(external_contact__unit=body, is_active=True, role="external")
    )

    def send() -> None:
        for user in contacts:
            notify(recipient=user, title=title, url=url, category="meetings")

    transaction.on_commit(send)


def materials_due_for(session: Session) -> datetime.date:
    return add_workdays(session.date, -session.materials_workdays)


@transaction.atomic
def agenda_decide(*, actor: User, session: Session, directors_meeting: DirectorsMeeting) -> Session:
    """The 主任会议 decides the agenda: each reporting body owes its material by the deadline,
    a ledger item assigned to it."""
    _require(scopes.can_run(actor), "只有办公室可以登记主任会议的决定。")
    session = _locked(session)
    _refuse_status(session, {SessionStatus.DRAFT}, "决定议程")
    items = list(session.items.select_related("reporting_body"))
    if not items:
        raise ValidationError("议程中还没有议题，不能提交主任会议决定。")
    if directors_meeting.date > session.date:
        raise ValidationError("决定议程的主任会议须在会议日期之前召开。")
    due = materials_due_for(session)
    checklist = _ledger_list(actor, MATERIALS_LIST, session.date.year, Source.SC_RESOLUTION)
    for item in items:
        item.materials_due = due
        if item.reporting_body is not None:
            item.materials_item = _track_for_body(
                actor=actor,
                checklist=checklist,
                title=f"报送{session}材料：{item.title}",
                content=f"请于{due:%Y年%m月%d日}前报送会议材料（{item.get_item_type_display()}）。",
                body=item.reporting_body,
                deadline=due,
            )
            _notify_body(item.reporting_body, f"请报送{session}材料：{item.title}")
        item.save(update_fields=["materials_due", "materials_item"])
    session.status = SessionStatus.AGENDA_DECIDED
    session.directors_meeting = directors_meeting
    session.save(update_fields=["status", "directors_meeting"])
    _event(
        session,
        SessionEventKind.AGENDA_DECIDED,
        actor,
        note=str(directors_meeting),
        from_status=SessionStatus.DRAFT,
        to_status=SessionStatus.AGENDA_DECIDED,
    )
    return session


def notice_deadline(session: Session) -> datetime.date:
    """The last day the notice may go out: `notice_days` before the session."""
    return session.date - datetime.timedelta(days=session.notice_days)


class LateNotice(ValidationError):
    """The notice goes out later than the configured days before the session: the secretariat
    must confirm, with a reason."""


@transaction.atomic
def notice_send(
    *, actor: User, session: Session, confirm_late: bool = False, late_reason: str = ""
) -> Session:
    """会议通知 to all members, with the date and the agenda."""
    _require(scopes.can_run(actor), "只有办公室可以发出会议通知。")
    session = _locked(session)
    _refuse_status(session, {SessionStatus.AGENDA_DECIDED}, "发出会议通知")
    today = clock.today()
    if today > session.date:
        raise ValidationError("会议日期已过，不能再发出会议通知。")
    late = today > notice_deadline(session)
    if late and not confirm_late:
        raise LateNotice(
            f"按规定应在会议{session.notice_days}日前（{notice_deadline(session):%Y年%m月%d日}前）"
            f"发出通知，今天发出已逾期。确需发出，请勾选确认并说明理由。",
            code="late_notice",
        )
    if late and not late_reason.strip():
        raise ValidationError({"late_reason": "逾期发出通知须说明理由。"})
    session.status = SessionStatus.NOTIFIED
    session.notice_sent_at = clock.now()
    session.notice_late_reason = late_reason.strip()[:200] if late else ""
    session.save(update_fields=["status", "notice_sent_at", "notice_late_reason"])
    if late:
        _event(session, SessionEventKind.LATE_NOTICE_CONFIRMED, actor, note=late_reason.strip())
    _event(
        session,
        SessionEventKind.NOTIFIED,
        actor,
        from_status=SessionStatus.AGENDA_DECIDED,
        to_status=SessionStatus.NOTIFIED,
    )
    members = list(
        User.objects.filter(
            committee_terms__in=CommitteeMember.objects.on(session.date), is_active=True
        ).distinct()
    )
    title = f"会议通知：{session}定于{session.date:%Y年%m月%d日}召开"

    def send() -> None:
        for user in members:
            notify(recipient=user, title=title, category="meetings")

    transaction.on_commit(send)
    return session


# ---------------------------------------------------------------------------------------------
# Materials: uploaded by the reporting body against the ledger deadline


def _advance_to_reported(actor: User, tracked: TrackedItem, text: str) -> None:
    """The body's answer closes its side of a ledger item: 签收 if not yet, then 报办结."""
    tracked.refresh_from_db()
    if tracked.status == LedgerStatus.ASSIGNED:
        tracked = ledger.item_acknowledge(actor=actor, item=tracked)
    if tracked.status in {LedgerStatus.ACKNOWLEDGED, LedgerStatus.IN_PROGRESS}:
        ledger.item_report_completion(actor=actor, item=tracked, text=text)


@transaction.atomic
def material_upload(
    *,
    actor: User,
    item: AgendaItem,
    title: str,
    pages: int,
    characters: int,
    file: UploadedFile | None = None,
) -> Material:
    """A new version of an item's material, from its reporting body (or the office for it)."""
    body = scopes.body_of(actor)
    by_body = body is not None and body == item.reporting_body_id
    _require(by_body or scopes.can_run(actor), "只能为本单位报告的议题报送材料。")
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写材料名称。"
    if not 1 <= pages <= 5000:
        errors["pages"] = "页数须在1到5000之间。"
    if not 1 <= characters <= 5_000_000:
        errors["characters"] = "字数须在1到500万之间。"
    if file is not None and (file.size or 0) > MAX_MATERIAL_BYTES:
        errors["file"] = "材料文件不能超过50MB。"
    if errors:
        raise ValidationError(errors)
    session = _locked(item.session)
    _refuse_status(
        session,
        {SessionStatus.AGENDA_DECIDED, SessionStatus.NOTIFIED, SessionStatus.OPEN},
        "报送材料",
    )
    version = (item.materials.aggregate(n=Max("version"))["n"] or 0) + 1
    material = Material.objects.create(
        item=item,
        version=version,
        title=title.strip()[:200],
        file=file or "",
        pages=pages,
        characters=characters,
        uploaded_by=actor,
        uploaded_at=clock.now(),
    )
    if by_body and item.materials_item_id:
        assert item.materials_item is not None
        _advance_to_reported(
            actor, item.materials_item, f"已报送《{material.title}》（第{version}版）。"
        )
    return material


@transaction.atomic
def materials_receive(*, actor: User, item: AgendaItem) -> None:
    """The office receives the body's material: the ledger item is verified and closed."""
    _require(scopes.can_run(actor), "只有办公室可以确认收到材料。")
    if item.materials_item_id is None:
        raise ValidationError("该议题没有材料报送事项。")
    tracked = TrackedItem.objects.get(pk=item.materials_item_id)
    if tracked.status != LedgerStatus.REPORTED:
        raise ValidationError("报告单位尚未报送材料。")
    latest = item.materials.first()
    tracked = ledger.item_verify(actor=actor, item=tracked)
    ledger.item_close(
        actor=actor, item=tracked, evidence=f"已收到材料《{latest.title if latest else ''}》。"
    )


# ---------------------------------------------------------------------------------------------
# The meeting: opening, attendance, timing, speeches, votes, closing


@transaction.atomic
def session_open(*, actor: User, session: Session) -> Session:
    _require(scopes.can_run(actor), "只有办公室可以宣布开会。")
    session = _locked(session)
    _refuse_status(session, {SessionStatus.NOTIFIED}, "开会")
    session.status = SessionStatus.OPEN
    session.opened_at = clock.now()
    session.save(update_fields=["status", "opened_at"])
    _event(
        session,
        SessionEventKind.OPENED,
        actor,
        from_status=SessionStatus.NOTIFIED,
        to_status=SessionStatus.OPEN,
    )
    return session


ATTENDANCE_OPEN: frozenset[str] = frozenset({SessionStatus.NOTIFIED, SessionStatus.OPEN})


def _check_member(session: Session, member: CommitteeMember) -> None:
    if not CommitteeMember.objects.on(session.date).filter(pk=member.pk).exists():
        raise ValidationError(f"{member.name}在会议日期不是常委会组成人员，请按列席登记。")


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    session: Session,
    member: CommitteeMember,
    status: str,
    reason: str = "",
    method: str = SignInMethod.SECRETARIAT,
) -> Attendance:
    """签到 or 请假 for a member. A member already recorded the other way is refused: clear the
    row first (a member cannot be both present and on leave)."""
    own = scopes.member_of(actor)
    _require(
        scopes.can_run(actor) or (own is not None and own.pk == member.pk),
        "只有会务人员或本人可以签到。",
    )
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": "未知的出席情况。"})
    if status == AttendanceStatus.LEAVE and not reason.strip():
        raise ValidationError({"reason": "请假须填写事由。"})
    session = _locked(session)
    _refuse_status(session, ATTENDANCE_OPEN, "登记出席情况")
    _check_member(session, member)
    existing = Attendance.objects.filter(session=session, member=member).first()
    if existing is not None:
        if existing.status == status:
            return existing  # a second tap changes nothing
        raise ValidationError(
            f"{member.name}已登记为“{existing.get_status_display()}”，不能同时"
            f"{'签到' if status == AttendanceStatus.PRESENT else '请假'}；如登记有误，请先撤销。"
        )
    return Attendance.objects.create(
        session=session,
        member=member,
        status=status,
        reason=reason.strip()[:200] if status == AttendanceStatus.LEAVE else "",
        method=method if status == AttendanceStatus.PRESENT else "",
        recorded_at=clock.now(),
        recorded_by=actor,
    )


@transaction.atomic
def attendance_clear(*, actor: User, session: Session, member: CommitteeMember) -> None:
    _require(scopes.can_run(actor), "只有会务人员可以撤销登记。")
    session = _locked(session)
    _refuse_status(session, ATTENDANCE_OPEN, "撤销出席登记")
    if session.items.filter(votes__isnull=False).exists():
        raise ValidationError("已有表决结果，出席情况不能再撤销。")
    Attendance.objects.filter(session=session, member=member).delete()


@transaction.atomic
def observer_add(*, actor: User, session: Session, name: str, affiliation: str = "") -> Observer:
    _require(scopes.can_run(actor), "只有会务人员可以登记列席人员。")
    if not name.strip():
        raise ValidationError({"name": "请填写列席人员姓名。"})
    return Observer.objects.create(
        session=session, name=name.strip()[:32], affiliation=affiliation.strip()[:100]
    )


def _overlapping(
    item: AgendaItem, start: datetime.datetime, end: datetime.datetime | None
) -> AgendaItem | None:
    """Another item of the same plenary whose time overlaps [start, end) (end None: running)."""
    others = AgendaItem.objects.filter(session_id=item.session_id, actual_start__isnull=False)
    for other in others.exclude(pk=item.pk):
        other_end = other.actual_end
        starts_before_other_ends = other_end is None or start < other_end
        ends_after_other_starts = end is None or end > other.actual_start  # type: ignore[operator]
        if starts_before_other_ends and ends_after_other_starts:
            return other
    return None


def _validate_times(
    item: AgendaItem, start: datetime.datetime, end: datetime.datetime | None
) -> None:
    if end is not None and end <= start:
        raise ValidationError("议题的结束时间须晚于开始时间。")
    if start > clock.now() or (end is not None and end > clock.now()):
        raise ValidationError("不能登记尚未到来的时间。")
    other = _overlapping(item, start, end)
    if other is not None:
        raise ValidationError(
            f"与议题“{other.title}”的时间重叠：同一全体会议不能同时审议两个议题。"
        )


@transaction.atomic
def item_tap(*, actor: User, item: AgendaItem) -> AgendaItem:
    """One tap on the 会中 screen: starts the item now, or ends it if it is running."""
    _require(scopes.can_run(actor), "只有会务人员可以登记议题时间。")
    session = _locked(item.session)
    _refuse_status(session, {SessionStatus.OPEN}, "登记议题时间")
    item = AgendaItem.objects.get(pk=item.pk)
    now = clock.now().replace(microsecond=0)
    if item.actual_start is None:
        _validate_times(item, now, None)
        item.actual_start = now
        item.save(update_fields=["actual_start"])
        _event(session, SessionEventKind.ITEM_STARTED, actor, item=item)
    elif item.actual_end is None:
        _validate_times(item, item.actual_start, now)
        item.actual_end = now
        item.save(update_fields=["actual_end"])
        _event(session, SessionEventKind.ITEM_ENDED, actor, item=item)
    else:
        raise ValidationError(f"议题“{item.title}”已审议结束；如时间有误，请在议题页更正。")
    return item


@transaction.atomic
def item_set_times(
    *,
    actor: User,
    item: AgendaItem,
    start: datetime.datetime,
    end: datetime.datetime | None,
) -> AgendaItem:
    """Correct an item's times by hand (the tap was missed or late)."""
    _require(scopes.can_run(actor), "只有会务人员可以登记议题时间。")
    session = _locked(item.session)
    _refuse_status(session, {SessionStatus.OPEN, SessionStatus.CLOSED}, "更正议题时间")
    _validate_times(item, start, end)
    item.actual_start, item.actual_end = start, end
    item.save(update_fields=["actual_start", "actual_end"])
    _event(
        session,
        SessionEventKind.ITEM_ENDED if end else SessionEventKind.ITEM_STARTED,
        actor,
        item=item,
        note="手工更正时间",
    )
    return item


@transaction.atomic
def speech_add(
    *,
    actor: User,
    item: AgendaItem,
    group: str,
    speaker: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    note: str = "",
) -> Speech:
    """A turn in group deliberation; groups sit at the same time, a group's turns do not."""
    _require(scopes.can_run(actor), "只有会务人员可以登记审议发言。")
    errors: dict[str, str] = {}
    if not group.strip():
        errors["group"] = "请填写审议小组。"
    if not speaker.strip():
        errors["speaker"] = "请填写发言人。"
    if ended_at <= started_at:
        errors["ended_at"] = "发言的结束时间须晚于开始时间。"
    if errors:
        raise ValidationError(errors)
    clash = Speech.objects.filter(
        item__session_id=item.session_id,
        group=group.strip(),
        started_at__lt=ended_at,
        ended_at__gt=started_at,
    ).first()
    if clash is not None:
        raise ValidationError(f"与{clash.group}{clash.speaker}的发言时间重叠。")
    return Speech.objects.create(
        item=item,
        group=group.strip()[:16],
        speaker=speaker.strip()[:32],
        started_at=started_at,
        ended_at=ended_at,
        note=note.strip()[:500],
    )


def _vote_session(actor: User, item: AgendaItem) -> tuple[Session, Quorum]:
    """The locked session of a vote being recorded: open, with a quorum."""
    _require(scopes.can_run(actor), "只有会务人员可以登记表决结果。")
    session = _locked(item.session)
    _refuse_status(session, {SessionStatus.OPEN}, "表决")
    quorum = quorum_of(session)
    if not quorum.reached:
        raise ValidationError(
            f"出席会议的组成人员{quorum.present}人，未超过全体组成人员{quorum.total}人的半数"
            f"（至少须{quorum.needed}人），不能表决。"
        )
    return session, quorum


def _vote_subject(item: AgendaItem, subject: str) -> str:
    """What is voted on: the item, or one person of a 任免案 (each appointee voted separately)."""
    subject = subject.strip()[:100]
    if item.item_type == ItemType.APPOINTMENT and not subject:
        raise ValidationError({"subject": "任免案须逐人表决，请填写被任免人员。"})
    if Vote.objects.filter(item=item, subject=subject).exists():
        raise ValidationError(f"“{subject or item.title}”已有表决结果。")
    return subject


def _vote_note(vote: Vote) -> str:
    return (
        f"{vote.subject or vote.item.title}：赞成{vote.yes}、反对{vote.no}、弃权{vote.abstain}、"
        f"未按{vote.not_voted}，{'通过' if vote.passed else '未通过'}"
        + ("（逐人记录）" if vote.mode == VoteMode.ROLL else "")
    )


@transaction.atomic
def vote_record(
    *,
    actor: User,
    item: AgendaItem,
    yes: int,
    no: int,
    abstain: int,
    not_voted: int,
    subject: str = "",
) -> Vote:
    """表决, counts only (the default): needs a quorum; the counts must add up to the members
    present; passing is computed against all members."""
    if min(yes, no, abstain, not_voted) < 0:
        raise ValidationError("表决票数不能为负数。")
    session, quorum = _vote_session(actor, item)
    counted = yes + no + abstain + not_voted
    if counted != quorum.present:
        raise ValidationError(
            f"赞成、反对、弃权、未按合计{counted}票，与出席人数{quorum.present}人不符。"
        )
    subject = _vote_subject(item, subject)
    vote = Vote.objects.create(
        item=item,
        subject=subject,
        mode=VoteMode.COUNTS,
        yes=yes,
        no=no,
        abstain=abstain,
        not_voted=not_voted,
        members_total=quorum.total,
        present=quorum.present,
        passed=passes(yes, quorum.total),
        recorded_at=clock.now(),
        recorded_by=actor,
    )
    _event(session, SessionEventKind.VOTED, actor, item=item, note=_vote_note(vote))
    return vote


def _roll(
    session: Session,
    given: Mapping[CommitteeMember, str],
    existing: Mapping[int, str],
) -> dict[int, str]:
    """Each member's vote (member id → choice) for every member of the session's day: what is
    given, else what was recorded, else 未按 if present and 缺席 if not. Refused, with every
    problem named, if a choice is unknown, a member not a member on the day, an absent member
    赞成/反对/弃权, or a present member 缺席."""
    members = {m.pk: m for m in CommitteeMember.objects.on(session.date).order_by("sort_order")}
    present = set(
        Attendance.objects.filter(
            session=session, status=AttendanceStatus.PRESENT, member_id__in=members
        ).values_list("member_id", flat=True)
    )
    errors: list[str] = []
    for member, choice in given.items():
        if choice not in MemberChoice.values:
            errors.append(f"{member.name}的表决情况无法识别。")
        elif member.pk not in members:
            errors.append(f"{member.name}在会议日期不是常委会组成人员，不能参加表决。")
    if errors:
        raise ValidationError(errors)
    given_by_pk = {m.pk: c for m, c in given.items()}
    roll: dict[int, str] = {}
    for pk, member in members.items():
        choice = given_by_pk.get(pk) or existing.get(pk) or MemberChoice.NOT_VOTED
        if pk in present:
            if choice == MemberChoice.ABSENT:
                if pk in given_by_pk:
                    errors.append(f"{member.name}已签到出席，不能登记为缺席（未表决请选未按）。")
                choice = MemberChoice.NOT_VOTED
        else:
            if choice in CAST:
                errors.append(
                    f"{member.name}未签到出席，不能登记为{MemberChoice(choice).label}"
                    "（未出席的组成人员只能是未按或缺席）。"
                )
            choice = MemberChoice.ABSENT
        roll[pk] = choice
    if errors:
        raise ValidationError(errors)
    return roll


def _count_roll(vote: Vote, roll: Mapping[int, str], quorum: Quorum) -> None:
    """The vote's counts and result, computed from its members' votes."""
    values = list(roll.values())
    vote.yes = values.count(MemberChoice.YES)
    vote.no = values.count(MemberChoice.NO)
    vote.abstain = values.count(MemberChoice.ABSTAIN)
    vote.not_voted = values.count(MemberChoice.NOT_VOTED)
    vote.present = len(values) - values.count(MemberChoice.ABSENT)
    vote.members_total = quorum.total
    vote.passed = passes(vote.yes, quorum.total)


@transaction.atomic
def vote_record_roll(
    *,
    actor: User,
    item: AgendaItem,
    choices: Mapping[CommitteeMember, str],
    subject: str = "",
) -> Vote:
    """表决 recorded member by member: one row per member of the session's day (present members
    not given are 未按, absent ones 缺席); the counts and the result, against all members, are
    computed from the rows."""
    session, quorum = _vote_session(actor, item)
    subject = _vote_subject(item, subject)
    roll = _roll(session, choices, {})
    now = clock.now()
    vote = Vote(item=item, subject=subject, mode=VoteMode.ROLL, recorded_at=now, recorded_by=actor)
    _count_roll(vote, roll, quorum)
    vote.save()
    MemberVote.objects.bulk_create(
        MemberVote(vote=vote, member_id=pk, choice=choice, recorded_at=now, recorded_by=actor)
        for pk, choice in roll.items()
    )
    _event(session, SessionEventKind.VOTED, actor, item=item, note=_vote_note(vote))
    return vote


@transaction.atomic
def member_votes_record(*, actor: User, vote: Vote, choices: Mapping[CommitteeMember, str]) -> Vote:
    """Record or correct members' votes on a per-member vote while the session is open (two
    secretaries may each take part of the room); the counts and result are computed again."""
    if not choices:
        raise ValidationError("请至少登记一位组成人员的表决情况。")
    session, quorum = _vote_session(actor, vote.item)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.mode != VoteMode.ROLL:
        raise ValidationError("该表决只记票数，没有逐人记录。")
    rows = {row.member_id: row for row in MemberVote.objects.filter(vote=vote)}
    roll = _roll(session, choices, {pk: row.choice for pk, row in rows.items()})
    now = clock.now()
    changed = 0
    for pk, choice in roll.items():
        row = rows.get(pk)
        if row is None:
            MemberVote.objects.create(
                vote=vote, member_id=pk, choice=choice, recorded_at=now, recorded_by=actor
            )
        elif row.choice != choice:
            row.choice, row.recorded_at, row.recorded_by = choice, now, actor
            row.save(update_fields=["choice", "recorded_at", "recorded_by"])
        else:
            continue
        changed += 1
    _count_roll(vote, roll, quorum)
    vote.save(
        update_fields=["yes", "no", "abstain", "not_voted", "present", "members_total", "passed"]
    )
    if changed:
        _event(
            session,
            SessionEventKind.VOTED,
            actor,
            item=vote.item,
            note=f"更正{changed}位组成人员的表决情况；{_vote_note(vote)}",
        )
    return vote


@transaction.atomic
def session_close(*, actor: User, session: Session, minutes: str = "") -> Session:
    _require(scopes.can_run(actor), "只有办公室可以宣布闭会。")
    session = _locked(session)
    _refuse_status(session, {SessionStatus.OPEN}, "闭会")
    running = session.items.filter(actual_start__isnull=False, actual_end__isnull=True).first()
    if running is not None:
        raise ValidationError(f"议题“{running.title}”尚未结束，不能闭会。")
    session.status = SessionStatus.CLOSED
    session.closed_at = clock.now()
    session.minutes = minutes.strip()
    session.save(update_fields=["status", "closed_at", "minutes"])
    _event(
        session,
        SessionEventKind.CLOSED,
        actor,
        from_status=SessionStatus.OPEN,
        to_status=SessionStatus.CLOSED,
    )
    return session


@transaction.atomic
def minutes_save(*, actor: User, session: Session, minutes: str) -> Session:
    _require(scopes.can_run(actor), "只有办公室可以整理会议纪要。")
    session = _locked(session)
    _refuse_status(session, {SessionStatus.CLOSED}, "整理会议纪要")
    if not minutes.strip():
        raise ValidationError({"minutes": "请填写会议纪要。"})
    session.minutes = minutes.strip()
    session.save(update_fields=["minutes"])
    _event(session, SessionEventKind.MINUTES, actor)
    return session


# ---------------------------------------------------------------------------------------------
# Deliberation opinions (审议意见), followed up on the ledger


def _add_months(day: datetime.date, months: int) -> datetime.date:
    for _ in range(months):
        day = add_one_month(day)
    return day


@transaction.atomic
def opinion_save(
    *,
    actor: User,
    item: AgendaItem,
    text: str,
    deadline_months: int = 3,
    threshold_percent: int = 60,
    needs_rating: bool = True,
) -> Opinion:
    """Compile (or revise, before signing) the opinions on an item deliberated at a closed
    session."""
    _require(
        scopes.can_compile_opinion(actor, item), "只有办公室或承办工作委员会可以整理审议意见。"
    )
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "请填写审议意见。"
    if not 1 <= deadline_months <= 12:
        errors["deadline_months"] = "办理期限须在1到12个月之间。"
    if not 1 <= threshold_percent <= 100:
        errors["threshold_percent"] = "满意度通过线须在1%到100%之间。"
    if item.reporting_body_id is None:
        errors["text"] = "该议题没有报告单位，无需交办审议意见。"
    if errors:
        raise ValidationError(errors)
    if Session.objects.get(pk=item.session_id).status != SessionStatus.CLOSED:
        raise ValidationError("会议闭会后才能整理审议意见。")
    opinion = Opinion.objects.select_for_update().filter(item=item).first()
    if opinion is not None and opinion.status != OpinionStatus.DRAFT:
        raise ValidationError("审议意见已签发，不能再修改。")
    values = {
        "text": text.strip(),
        "deadline_months": deadline_months,
        "threshold_percent": threshold_percent,
        "needs_rating": needs_rating,
    }
    if opinion is None:
        return Opinion.objects.create(item=item, **values)
    for name, value in values.items():
        setattr(opinion, name, value)
    opinion.save(update_fields=list(values))
    return opinion


def _locked_opinion(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update().select_related("item__session").get(pk=opinion.pk)


def _refuse_opinion(opinion: Opinion, allowed: set[str], action: str) -> None:
    if opinion.status not in allowed:
        raise ValidationError(f"审议意见当前为“{opinion.get_status_display()}”，不能{action}。")


@transaction.atomic
def opinion_sign(*, actor: User, opinion: Opinion) -> Opinion:
    """签发 by the secretariat, after the leader's approval on paper."""
    _require(scopes.can_run(actor), "只有办公室可以签发审议意见。")
    opinion = _locked_opinion(opinion)
    _refuse_opinion(opinion, {OpinionStatus.DRAFT}, "签发")
    opinion.status = OpinionStatus.SIGNED
    opinion.signed_at = clock.now()
    opinion.save(update_fields=["status", "signed_at"])
    return opinion


@transaction.atomic
def opinion_send(*, actor: User, opinion: Opinion) -> Opinion:
    """交办: the signed opinions go to the reporting body as a tracked ledger item, with monthly
    feedback and the ledger's warnings, reminders and escalation."""
    _require(scopes.can_run(actor), "只有办公室可以交办审议意见。")
    opinion = _locked_opinion(opinion)
    _refuse_opinion(opinion, {OpinionStatus.SIGNED}, "交办")
    item = opinion.item
    assert item.reporting_body is not None
    today = clock.today()
    deadline = _add_months(today, opinion.deadline_months)
    checklist = _ledger_list(actor, OPINIONS_LIST, item.session.date.year, Source.SC_RESOLUTION)
    opinion.tracked_item = _track_for_body(
        actor=actor,
        checklist=checklist,
        title=f"研究处理{item.session}关于{item.title}的审议意见",
        content=opinion.text,
        body=item.reporting_body,
        deadline=deadline,
        feedback_rule=FeedbackRule.MONTHLY,
    )
    opinion.status = OpinionStatus.SENT
    opinion.sent_at = clock.now()
    opinion.deadline = deadline
    opinion.save(update_fields=["tracked_item", "status", "sent_at", "deadline"])
    _notify_body(item.reporting_body, f"请研究处理审议意见：{item.title}")
    return opinion


@transaction.atomic
def opinion_report(*, actor: User, opinion: Opinion, text: str) -> Opinion:
    """研究处理情况的报告 from the reporting body: its side of the ledger item is done."""
    opinion = _locked_opinion(opinion)
    body = scopes.body_of(actor)
    _require(body is not None and body == opinion.item.reporting_body_id, "只能报告本单位的事项。")
    if not text.strip():
        raise ValidationError({"text": "请填写研究处理情况。"})
    _refuse_opinion(opinion, {OpinionStatus.SENT, OpinionStatus.REHANDLE}, "报送处理情况")
    assert opinion.tracked_item is not None
    _advance_to_reported(actor, opinion.tracked_item, text.strip())
    opinion.status = OpinionStatus.REPORTED
    opinion.report = text.strip()
    opinion.reported_at = clock.now()
    opinion.save(update_fields=["status", "report", "reported_at"])
    return opinion


@transaction.atomic
def opinion_rate(
    *, actor: User, opinion: Opinion, ratings: Mapping[CommitteeMember, str]
) -> list[OpinionRating]:
    """满意度测评: each member's rating of the body's report, entered by the secretariat."""
    _require(scopes.can_run(actor), "只有办公室可以登记满意度测评。")
    opinion = _locked_opinion(opinion)
    _refuse_opinion(opinion, {OpinionStatus.REPORTED}, "测评")
    if not opinion.needs_rating:
        raise ValidationError("该审议意见不开展满意度测评。")
    if not ratings:
        raise ValidationError("请至少登记一位组成人员的测评。")
    members = set(CommitteeMember.objects.on(clock.today()).values_list("pk", flat=True))
    for member, rating in ratings.items():
        if rating not in Rating.values:
            raise ValidationError(f"{member.name}的评价无法识别。")
        if member.pk not in members:
            raise ValidationError(f"{member.name}现在不是常委会组成人员，不能参加测评。")
    done = set(
        OpinionRating.objects.filter(opinion=opinion, round=opinion.rating_round).values_list(
            "member_id", flat=True
        )
    )
    if repeated := [m.name for m in ratings if m.pk in done]:
        raise ValidationError(f"{'、'.join(repeated)}已参加本轮测评。")
    now = clock.now()
    return OpinionRating.objects.bulk_create(
        OpinionRating(
            opinion=opinion, member=member, round=opinion.rating_round, rating=rating, rated_at=now
        )
        for member, rating in ratings.items()
    )


def satisfaction(opinion: Opinion, round: int | None = None) -> tuple[int, int]:
    """(满意 + 基本满意, all ratings) of a round (the current one by default)."""
    rows = OpinionRating.objects.filter(opinion=opinion, round=round or opinion.rating_round)
    total = rows.count()
    good = rows.filter(rating__in=[Rating.SATISFIED, Rating.BASICALLY]).count()
    return good, total


@transaction.atomic
def opinion_conclude(*, actor: User, opinion: Opinion) -> Opinion:
    """Accept the body's report (the ledger item is verified and closed) or, when the rating falls
    below the threshold, send it back to be handled again (the ledger item is returned)."""
    _require(scopes.can_run(actor), "只有办公室可以作出测评结论。")
    opinion = _locked_opinion(opinion)
    _refuse_opinion(opinion, {OpinionStatus.REPORTED}, "作出结论")
    assert opinion.tracked_item is not None
    tracked = opinion.tracked_item
    fields = ["status"]
    accepted = True
    if opinion.needs_rating:
        good, total = satisfaction(opinion)
        if total == 0:
            raise ValidationError("尚未登记满意度测评，不能作出结论。")
        opinion.satisfied_percent = round(good * 100 / total)
        fields.append("satisfied_percent")
        accepted = good * 100 >= opinion.threshold_percent * total
    if accepted:
        tracked = ledger.item_verify(actor=actor, item=tracked)
        evidence = "研究处理情况的报告已审议" + (
            f"，满意度{opinion.satisfied_percent}%" if opinion.needs_rating else ""
        )
        ledger.item_close(actor=actor, item=tracked, evidence=evidence + "。")
        opinion.status = OpinionStatus.ACCEPTED
        opinion.closed_at = clock.now()
        fields.append("closed_at")
    else:
        ledger.item_return(
            actor=actor,
            item=tracked,
            reason=f"满意度测评{opinion.satisfied_percent}%，低于{opinion.threshold_percent}%，请重新研究处理。",
        )
        opinion.status = OpinionStatus.REHANDLE
        opinion.rating_round += 1
        fields.append("rating_round")
    opinion.save(update_fields=fields)
    return opinion
