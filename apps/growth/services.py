"""Writes of growing people. Each validates first and refuses bad input with a Chinese message
(a ValidationError or PermissionDenied), then changes inside one transaction.

Talks are recorded and read only here: each read of a talk's content writes an audit event, and
the events name the record by number only (`Talk.__str__`), never its parties or content.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from apps.accounts.permissions import is_business, is_office, restrict
from apps.attendance.models import AttendancePolicy
from apps.attendance.selectors import approved_absences
from apps.attendance.services import network_refusal
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.organization.models import Person, Unit, UnitMembership
from apps.workcalendar.registry import ArrangementChange
from apps.workcalendar.services import day_name, flagged, is_workday

from . import selectors
from .choices import (
    EvaluationStage,
    EvaluatorRole,
    GuidanceKind,
    PairStatus,
    Presence,
    SessionStatus,
    SignInMethod,
    StudyKind,
    TalkKind,
    TrainingKind,
)
from .crypto import decrypt_summary, encrypt_summary
from .models import (
    GuidanceEntry,
    MenteeSummary,
    MentorEvaluation,
    MentorPair,
    StudyAttendance,
    StudyMaterial,
    StudyPlan,
    StudyReflection,
    StudySession,
    StudyTopic,
    Talk,
    TalkDuty,
    TrainingRecord,
    TrainingRequirement,
    YouthMembership,
)
from .scopes import organises

# The audit action of reading confidential content. The audit area names it VIEW once the documents
# area's migration lands; the stored value is the same.
READ_ACTION = getattr(AuditAction, "VIEW", "view")
WEEKDAYS = "一二三四五六日"
MAX_TEXT = 5000


def _require_business(user: Any) -> None:
    if not is_business(user):
        raise PermissionDenied("该功能仅限机关业务人员使用，管理员账号不能操作。")


def _require_office(user: Any) -> None:
    if not is_business(user) or not is_office(user):
        raise PermissionDenied("只有办公室（机关人事）可以进行该操作。")


def _clean_text(value: str, field_name: str, label: str, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field_name: f"请填写{label}。"})
    if len(text) > MAX_TEXT:
        raise ValidationError({field_name: f"{label}不能超过 {MAX_TEXT} 字。"})
    return text


# ---------------------------------------------------------------------------------------------
# Study sessions
# ---------------------------------------------------------------------------------------------


@dataclass
class TopicSpec:
    title: str
    is_first_topic: bool = False
    follow_up: str = ""


@dataclass
class SessionSpec:
    kind: str
    title: str
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    place: str
    host: Person | None = None
    unit: Unit | None = None
    requires_reflection: bool = False
    topics: list[TopicSpec] = field(default_factory=list)
    materials: list[tuple[str, str, UploadedFile | None]] = field(default_factory=list)


def _check_session(spec: SessionSpec, user: Any) -> None:
    errors: dict[str, str] = {}
    if spec.kind not in StudyKind.values:
        errors["kind"] = "请选择学习类型。"
    if not spec.title.strip():
        errors["title"] = "请填写学习主题。"
    if not spec.place.strip():
        errors["place"] = "请填写学习地点。"
    if spec.end_time <= spec.start_time:
        errors["end_time"] = "结束时间须晚于开始时间。"
    if spec.kind == StudyKind.BRANCH and spec.unit is None:
        errors["unit"] = "党支部学习须选择支部所在单位。"
    firsts = [i for i, t in enumerate(spec.topics) if t.is_first_topic]
    if firsts and firsts != [0]:
        errors["topics"] = "“第一议题”只能是第一项学习内容。"
    for _, link, _ in spec.materials:
        if link and not link.startswith("/"):
            errors["materials"] = (
                "学习材料链接只能指向本平台内的页面（以 / 开头），不能链接外部网站。"
            )
    if errors:
        raise ValidationError(errors)
    probe = StudySession(kind=spec.kind, unit=spec.unit, host=spec.host)
    if not organises(user, probe):
        raise PermissionDenied("只有办公室、主持人或本支部所在单位负责人可以安排该学习。")


@transaction.atomic
def session_create(*, user: Any, spec: SessionSpec, plan: StudyPlan | None = None) -> StudySession:
    _require_business(user)
    _check_session(spec, user)
    session = StudySession.objects.create(
        plan=plan,
        kind=spec.kind,
        title=spec.title.strip(),
        date=spec.date,
        start_time=spec.start_time,
        end_time=spec.end_time,
        place=spec.place.strip(),
        host=spec.host,
        unit=spec.unit if spec.kind == StudyKind.BRANCH else None,
        requires_reflection=spec.requires_reflection,
        created_by=user,
    )
    _write_topics(session, spec.topics)
    for title, link, upload in spec.materials:
        StudyMaterial.objects.create(
            session=session, title=title.strip() or "学习材料", link=link, file=upload or ""
        )
    session_roll_compute(session=session)
    return session


def _write_topics(session: StudySession, topics: list[TopicSpec]) -> None:
    StudyTopic.objects.bulk_create(
        StudyTopic(
            session=session,
            order=order,
            title=topic.title.strip()[:300],
            is_first_topic=topic.is_first_topic and order == 0,
            follow_up=topic.follow_up.strip()[:300],
        )
        for order, topic in enumerate(topics)
        if topic.title.strip()
    )


@transaction.atomic
def topic_follow_up(*, user: Any, topic: StudyTopic, text: str) -> StudyTopic:
    """Record where a topic was followed up (贯彻落实), for the 第一议题 register."""
    if not organises(user, topic.session):
        raise PermissionDenied("只有办公室或主持人可以登记贯彻落实情况。")
    topic.follow_up = _clean_text(text, "follow_up", "贯彻落实情况")[:300]
    topic.save(update_fields=["follow_up"])
    return topic


@transaction.atomic
def session_move(
    *, user: Any, session: StudySession, date: datetime.date, note: str
) -> StudySession:
    """Move a session by hand: the date is then kept when the holiday arrangement changes."""
    if not organises(user, session):
        raise PermissionDenied("只有办公室或主持人可以调整学习日期。")
    if session.attendances.filter(presence=Presence.PRESENT).exists():
        raise ValidationError({"date": "已有人签到的学习不能再调整日期。"})
    session.date = date
    session.date_fixed = True
    session.date_provisional = False
    session.status = SessionStatus.SCHEDULED
    session.date_note = _clean_text(note, "note", "调整原因")[:200]
    session.save(update_fields=["date", "date_fixed", "date_provisional", "status", "date_note"])
    session_roll_compute(session=session)
    return session


# ---------------------------------------------------------------------------------------------
# The recurring plan on the working-day calendar
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    date: datetime.date | None  # None: no workday that week, the session is skipped
    note: str
    provisional: bool


def place_in_week(planned: datetime.date) -> Placement:
    """The planned day when it is a workday; else the next workday of the same week (a make-up
    workday counts); else none. Says whether a provisional year was used."""

    def place() -> Placement:
        if is_workday(planned):
            return Placement(planned, "", False)
        reason = day_name(planned) or "休息日"
        day = planned
        while (day + datetime.timedelta(days=1)).isocalendar().week == planned.isocalendar().week:
            day += datetime.timedelta(days=1)
            if is_workday(day):
                return Placement(
                    day,
                    f"{planned:%m月%d日}为{reason}，顺延至{day:%m月%d日}（星期{WEEKDAYS[day.weekday()]}）",
                    False,
                )
        return Placement(None, f"本周{reason}放假，停学一次", False)

    placement, provisional = flagged(place)
    return Placement(placement.date, placement.note, provisional)


def plan_days(plan: StudyPlan) -> list[datetime.date]:
    """Every planned weekday of the plan's year."""
    day = datetime.date(plan.year, 1, 1)
    day += datetime.timedelta(days=(plan.weekday - day.weekday()) % 7)
    days = []
    while day.year == plan.year:
        days.append(day)
        day += datetime.timedelta(days=7)
    return days


@transaction.atomic
def plan_create(
    *,
    user: Any,
    name: str,
    kind: str,
    year: int,
    start_time: datetime.time,
    end_time: datetime.time,
    place: str,
    host: Person | None = None,
    weekday: int = 0,
    requires_reflection: bool = False,
    title: str = "",
) -> StudyPlan:
    """A weekly plan for a year, and its sessions from today on (past weeks are not invented)."""
    _require_office(user)
    errors: dict[str, str] = {}
    if kind not in StudyKind.values or kind == StudyKind.BRANCH:
        errors["kind"] = "请选择学习类型（党支部学习请逐次安排）。"
    if not 0 <= weekday <= 6:
        errors["weekday"] = "请选择星期一至星期日。"
    if end_time <= start_time:
        errors["end_time"] = "结束时间须晚于开始时间。"
    if not name.strip():
        errors["name"] = "请填写计划名称。"
    if not place.strip():
        errors["place"] = "请填写学习地点。"
    today = clock.today()
    if not today.year - 1 <= year <= today.year + 1:
        errors["year"] = f"只能制定 {today.year - 1} 至 {today.year + 1} 年的计划。"
    if StudyPlan.objects.filter(kind=kind, year=year, name=name.strip()).exists():
        errors["name"] = "该年度已有同名的学习计划。"
    if errors:
        raise ValidationError(errors)
    plan = StudyPlan.objects.create(
        name=name.strip(),
        kind=kind,
        year=year,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        place=place.strip(),
        host=host,
        requires_reflection=requires_reflection,
        created_by=user,
    )
    plan_generate(plan=plan, title=title.strip() or plan.name, since=today)
    return plan


def plan_generate(
    *, plan: StudyPlan, title: str, since: datetime.date | None = None, audit: bool = True
) -> list[StudySession]:
    """Create the plan's sessions for each planned weekday on or after `since` that has none yet:
    moved or skipped by the calendar (`place_in_week`)."""
    existing = set(plan.sessions.values_list("planned_date", flat=True))
    sessions = []
    for planned in plan_days(plan):
        if (since and planned < since - datetime.timedelta(days=planned.weekday())) or (
            planned in existing
        ):
            continue
        placement = place_in_week(planned)
        sessions.append(
            StudySession(
                plan=plan,
                kind=plan.kind,
                title=title,
                date=placement.date or planned,
                planned_date=planned,
                date_note=placement.note,
                date_provisional=placement.provisional,
                status=SessionStatus.SCHEDULED if placement.date else SessionStatus.SKIPPED,
                start_time=plan.start_time,
                end_time=plan.end_time,
                place=plan.place,
                host=plan.host,
                requires_reflection=plan.requires_reflection,
                created_by=plan.created_by,
            )
        )
    created = StudySession.objects.bulk_create(sessions)
    if not audit:  # the demo summarises its whole load in one event
        return created
    record_event(
        action=AuditAction.CREATE,
        obj=plan,
        detail={
            "生成学习活动": len(created),
            "停学周": sum(1 for s in created if s.status == SessionStatus.SKIPPED),
        },
    )
    return created


def replan_after_arrangement(change: ArrangementChange) -> int:
    """Registered with the calendar: when a year's holidays are announced (or corrected), place
    again the planned sessions of that year that were placed provisionally or fall in a week whose
    days changed; a session moved by hand, or already signed into, stays. Returns the number moved."""
    weeks = {(d.isocalendar().year, d.isocalendar().week) for d in change.days}
    moved = 0
    candidates = StudySession.objects.filter(
        plan__isnull=False, date_fixed=False, planned_date__year__in=change.years
    ).exclude(attendances__presence=Presence.PRESENT)
    # Lock by id: PostgreSQL refuses FOR UPDATE together with the DISTINCT a join may need.
    ids = list(candidates.values_list("pk", flat=True).distinct())
    for session in StudySession.objects.filter(pk__in=ids).order_by("pk").select_for_update():
        assert session.planned_date is not None
        iso = session.planned_date.isocalendar()
        if not session.date_provisional and (iso.year, iso.week) not in weeks:
            continue
        placement = place_in_week(session.planned_date)
        status = SessionStatus.SCHEDULED if placement.date else SessionStatus.SKIPPED
        new_date = placement.date or session.planned_date
        if (new_date, status, placement.note, placement.provisional) == (
            session.date,
            session.status,
            session.date_note,
            session.date_provisional,
        ):
            continue
        session.date, session.status = new_date, status
        session.date_note = f"{change.reason}：{placement.note}" if placement.note else ""
        session.date_provisional = placement.provisional
        session.save(update_fields=["date", "status", "date_note", "date_provisional"])
        moved += 1
    return moved


# ---------------------------------------------------------------------------------------------
# Signing in and the roll
# ---------------------------------------------------------------------------------------------

SIGNER_SALT = "growth.study.sign-in"


def sign_in_token(session: StudySession) -> str:
    """What the host's QR code carries: the session, signed and time-stamped (it expires)."""
    return signing.TimestampSigner(salt=SIGNER_SALT).sign(str(session.pk))


def _check_token(session: StudySession, token: str) -> None:
    try:
        value = signing.TimestampSigner(salt=SIGNER_SALT).unsign(
            token or "", max_age=settings.GROWTH["QR_TOKEN_SECONDS"]
        )
    except signing.SignatureExpired:
        raise ValidationError("签到二维码已过期，请扫描主持人屏幕上的最新二维码。") from None
    except signing.BadSignature:
        raise ValidationError("签到二维码无效，请扫描主持人屏幕上的二维码。") from None
    if value != str(session.pk):
        raise ValidationError("该二维码不是本次学习的签到码。")


def _check_window(session: StudySession, now: datetime.datetime) -> None:
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(f"本次学习{session.get_status_display()}，无需签到。")
    opens, closes = selectors.session_window(session)
    if not opens <= now <= closes:
        raise ValidationError(
            f"不在签到时间内：本次学习的签到时间为 {opens:%Y-%m-%d %H:%M} 至 {closes:%H:%M}。"
        )


def _unit_on(person_id: int, day: datetime.date) -> int | None:
    posting = UnitMembership.objects.on(day).filter(person_id=person_id).first()
    return posting.unit_id if posting else None


@transaction.atomic
def qr_sign_in(
    *,
    user: Any,
    session: StudySession,
    token: str,
    ip_address: str | None,
    person_id: int | None = None,
    now: datetime.datetime | None = None,
) -> tuple[StudyAttendance, bool]:
    """Sign the user's own person in, from the allowed network (the attendance area's policy),
    within the session's window, with a current QR token. Returns (row, created)."""
    _require_business(user)
    if not user.person_id:
        raise PermissionDenied("您的账号未关联人员，无需签到。")
    if person_id is not None and person_id != user.person_id:
        raise PermissionDenied("扫码签到只能为本人签到；为他人登记请由会务人员在签到表中操作。")
    now = now or clock.now()
    _check_token(session, token)
    _check_window(session, now)
    refusal = network_refusal(AttendancePolicy.current(), ip_address)
    if refusal:
        raise ValidationError(refusal.replace("打卡", "签到"))
    StudySession.objects.select_for_update().filter(pk=session.pk).first()
    if not selectors.required_people(session).filter(pk=user.person_id).exists():
        raise ValidationError("您不在本次学习的应参加人员名单中，如需列席请联系会务人员。")
    row = StudyAttendance.objects.filter(session=session, person_id=user.person_id).first()
    if row is not None and row.presence == Presence.PRESENT:
        return row, False
    row = row or StudyAttendance(session=session, person_id=user.person_id)
    row.presence, row.method, row.signed_at = Presence.PRESENT, SignInMethod.QR, now
    row.recorded_by, row.ip_address = user, ip_address
    row.unit_id = _unit_on(user.person_id, session.date)
    row.save()
    _store_figures(session)
    return row, True


@transaction.atomic
def roll_record(
    *,
    user: Any,
    session: StudySession,
    person: Person,
    present: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> StudyAttendance:
    """The secretary's entry for one participant: present, or absent with the reason given."""
    if not organises(user, session):
        raise PermissionDenied("只有办公室、主持人或支部所在单位负责人可以登记签到。")
    now = now or clock.now()
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(f"本次学习{session.get_status_display()}，无需登记。")
    if present and now < selectors.session_window(session)[0]:
        raise ValidationError("学习尚未开始，不能登记出席。")
    reason = (reason or "").strip()
    if not present and not reason:
        raise ValidationError({"reason": "登记缺席须填写缺席原因；请假人员以已批准的请假为准。"})
    if not selectors.required_people(session).filter(pk=person.pk).exists():
        raise ValidationError(f"{person.name}不在本次学习的应参加人员名单中。")
    row = StudyAttendance.objects.filter(session=session, person=person).first() or StudyAttendance(
        session=session, person=person
    )
    if present:
        row.presence, row.method, row.signed_at, row.reason = (
            Presence.PRESENT,
            SignInMethod.SECRETARY,
            now,
            "",
        )
    else:
        row.presence, row.method, row.signed_at, row.reason = (
            Presence.EXCUSED,
            "",
            None,
            reason[:200],
        )
    row.recorded_by = user
    row.unit_id = _unit_on(person.pk, session.date)
    row.save()
    record_event(
        action=AuditAction.UPDATE,
        obj=session,
        detail={"人员": person.name, "登记": row.get_presence_display(), "原因": row.reason},
    )
    session_roll_compute(session=session, now=now)
    return row


def _covers(request: Any, session: StudySession) -> bool:
    """A half-day request covers the session only when it overlaps that half of the day."""
    if request.day_part == "am":
        return session.start_time < datetime.time(12, 0)
    if request.day_part == "pm":
        return session.end_time > datetime.time(12, 0)
    return True


@transaction.atomic
def session_roll_compute(
    *, session: StudySession, now: datetime.datetime | None = None
) -> StudySession:
    """Write the roll: every required participant gets a row — present (signed in), on an approved
    leave, trip or outing covering the session, absent with a recorded reason, absent without one
    (once the session is over) or not yet signed in — and the session stores the figures. Rows of
    people no longer required are removed unless they signed in. A fixed number of queries."""
    now = now or clock.now()
    if session.status != SessionStatus.SCHEDULED:
        session.attendances.exclude(presence=Presence.PRESENT).delete()
        return _store_figures(session)
    required = set(selectors.required_people(session).values_list("pk", flat=True))
    rows = {row.person_id: row for row in session.attendances.all()}
    covering = approved_absences(session.date, required)
    units = dict(
        UnitMembership.objects.on(session.date)
        .filter(person_id__in=required)
        .values_list("person_id", "unit_id")
    )
    ended = selectors.session_ended(session, now)
    new_rows: list[StudyAttendance] = []
    # Changed rows are updated in groups of equal values: bulk_update's CASE per row costs more
    # than the whole roll at a few thousand people.
    changes: dict[tuple[str, str, int | None], list[int]] = defaultdict(list)
    for person_id in required:
        row = rows.get(person_id) or StudyAttendance(session=session, person_id=person_id)
        before = (row.presence, row.leave_note, row.unit_id)
        row.unit_id = units.get(person_id)
        if row.presence != Presence.PRESENT:
            leave = next((r for r in covering.get(person_id, []) if _covers(r, session)), None)
            row.leave_note = f"{leave.label} {leave.period_label}"[:200] if leave else ""
            if leave:
                row.presence = Presence.ON_LEAVE
            elif row.reason:
                row.presence = Presence.EXCUSED
            else:
                row.presence = Presence.ABSENT if ended else Presence.PENDING
        if row.pk is None:
            new_rows.append(row)
        elif (row.presence, row.leave_note, row.unit_id) != before:
            changes[(row.presence, row.leave_note, row.unit_id)].append(row.pk)
    StudyAttendance.objects.bulk_create(new_rows, batch_size=1000)
    for (presence, leave_note, unit_id), pks in changes.items():
        StudyAttendance.objects.filter(pk__in=pks).update(
            presence=presence, leave_note=leave_note, unit_id=unit_id
        )
    session.attendances.exclude(person_id__in=required).exclude(presence=Presence.PRESENT).delete()
    return _store_figures(session, now)


def _store_figures(session: StudySession, now: datetime.datetime | None = None) -> StudySession:
    counts = {presence: 0 for presence in Presence.values}
    for presence in session.attendances.values_list("presence", flat=True):
        counts[presence] += 1
    session.roll_required = sum(counts.values())
    session.roll_present = counts[Presence.PRESENT]
    session.roll_on_leave = counts[Presence.ON_LEAVE]
    session.roll_excused = counts[Presence.EXCUSED]
    session.roll_absent = counts[Presence.ABSENT]
    session.roll_computed_at = now or clock.now()
    # A queryset update: the figures are derived from the roll rows, not an edit to audit.
    StudySession.objects.filter(pk=session.pk).update(
        roll_required=session.roll_required,
        roll_present=session.roll_present,
        roll_on_leave=session.roll_on_leave,
        roll_excused=session.roll_excused,
        roll_absent=session.roll_absent,
        roll_computed_at=session.roll_computed_at,
    )
    return session


def rolls_compute_recent(*, days: int = 7, now: datetime.datetime | None = None) -> int:
    """The nightly job: compute again the rolls of the past week's and the coming week's sessions
    (an absence turns final after the session; leaves approved late still excuse). Idempotent."""
    today = clock.today()
    sessions = StudySession.objects.filter(
        status=SessionStatus.SCHEDULED,
        date__range=(today - datetime.timedelta(days=days), today + datetime.timedelta(days=days)),
    )
    count = 0
    for session in sessions:
        session_roll_compute(session=session, now=now)
        count += 1
    return count


@transaction.atomic
def reflection_submit(*, user: Any, session: StudySession, text: str) -> StudyReflection:
    """Write (or rewrite) one's own reflection on a session that asks for one and one attended."""
    _require_business(user)
    if not session.requires_reflection:
        raise ValidationError("本次学习不要求撰写心得体会。")
    if not StudyAttendance.objects.filter(
        session=session, person_id=user.person_id, presence=Presence.PRESENT
    ).exists():
        raise ValidationError("签到出席后才能提交本次学习的心得体会。")
    body = _clean_text(text, "text", "心得体会")
    if len(body) < 20:
        raise ValidationError({"text": "心得体会不少于 20 字。"})
    reflection, _ = StudyReflection.objects.update_or_create(
        session=session,
        person_id=user.person_id,
        defaults={"text": body, "submitted_at": clock.now()},
    )
    return reflection


# ---------------------------------------------------------------------------------------------
# Mentoring (传帮带)
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def pair_create(
    *,
    user: Any,
    mentor: Person,
    mentee: Person,
    start_date: datetime.date,
    end_date: datetime.date,
    goals: str,
) -> MentorPair:
    """Pair a mentor with a mentee for a period; a mentee has one mentor at a time."""
    _require_office(user)
    errors: dict[str, str] = {}
    if mentor.pk == mentee.pk:
        errors["mentee"] = "导师和培养对象不能是同一人。"
    if end_date <= start_date:
        errors["end_date"] = "结对结束日期须晚于起始日期。"
    if not goals.strip():
        errors["goals"] = "请填写培养目标。"
    if errors:
        raise ValidationError(errors)
    Person.objects.select_for_update().filter(pk=mentee.pk).first()  # one pairing at a time
    overlapping = (
        MentorPair.objects.filter(mentee=mentee, start_date__lte=end_date, end_date__gte=start_date)
        .select_related("mentor")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            {
                "mentee": f"{mentee.name}在 {overlapping.start_date:%Y-%m-%d} 至 "
                f"{overlapping.end_date:%Y-%m-%d} 已与导师{overlapping.mentor.name}结对，"
                "同一期间不能重复结对。"
            }
        )
    pair = MentorPair.objects.create(
        mentor=mentor,
        mentee=mentee,
        start_date=start_date,
        end_date=end_date,
        goals=_clean_text(goals, "goals", "培养目标"),
        created_by=user,
    )
    return pair


def _pair_party(user: Any, pair: MentorPair) -> str:
    if user.person_id == pair.mentor_id:
        return EvaluatorRole.MENTOR
    if user.person_id == pair.mentee_id:
        return "mentee"
    return ""


@transaction.atomic
def guidance_add(
    *, user: Any, pair: MentorPair, date: datetime.date, kind: str, content: str
) -> GuidanceEntry:
    if not _pair_party(user, pair):
        raise PermissionDenied("只有导师和培养对象可以填写帮带记录。")
    errors: dict[str, str] = {}
    if kind not in GuidanceKind.values:
        errors["kind"] = "请选择帮带形式。"
    if date > clock.today():
        errors["date"] = "不能登记尚未发生的帮带。"
    elif not pair.start_date <= date <= pair.end_date:
        errors["date"] = (
            f"日期须在结对期间内（{pair.start_date:%Y-%m-%d} 至 {pair.end_date:%Y-%m-%d}）。"
        )
    if errors:
        raise ValidationError(errors)
    return GuidanceEntry.objects.create(
        pair=pair,
        date=date,
        kind=kind,
        content=_clean_text(content, "content", "帮带内容"),
        by_person_id=user.person_id,
    )


def evaluator_role(user: Any, pair: MentorPair) -> str:
    """The role in which the user may evaluate the pair: its mentor, or the mentee's unit head."""
    if not is_business(user) or not user.person_id:
        return ""
    if user.person_id == pair.mentor_id:
        return EvaluatorRole.MENTOR
    if user.role == "unit_head":
        from apps.accounts.permissions import current_unit_ids

        posted = UnitMembership.objects.on(clock.today()).filter(
            person_id=pair.mentee_id, unit_id__in=current_unit_ids(user)
        )
        if posted.exists():
            return EvaluatorRole.UNIT_HEAD
    return ""


@transaction.atomic
def evaluation_submit(
    *, user: Any, pair: MentorPair, stage: str, grade: str, comment: str
) -> MentorEvaluation:
    role = evaluator_role(user, pair)
    if not role:
        raise PermissionDenied("只有导师和培养对象所在单位负责人可以评价。")
    errors: dict[str, str] = {}
    if stage not in EvaluationStage.values:
        errors["stage"] = "请选择中期评价或期满评价。"
    from .choices import Grade

    if grade not in Grade.values:
        errors["grade"] = "请选择评价等次。"
    if errors:
        raise ValidationError(errors)
    today = clock.today()
    midpoint = pair.start_date + (pair.end_date - pair.start_date) / 2
    if stage == EvaluationStage.MIDTERM and today < midpoint:
        raise ValidationError({"stage": f"中期评价自 {midpoint:%Y-%m-%d} 起进行。"})
    if stage == EvaluationStage.FINAL and today < pair.end_date - datetime.timedelta(days=30):
        raise ValidationError({"stage": "期满评价在结对期满前30天内进行。"})
    if MentorEvaluation.objects.filter(pair=pair, stage=stage, role=role).exists():
        raise ValidationError({"stage": "您已提交过该阶段的评价。"})
    evaluation = MentorEvaluation.objects.create(
        pair=pair,
        stage=stage,
        role=role,
        grade=grade,
        comment=_clean_text(comment, "comment", "评价意见"),
        evaluator_id=user.person_id,
        evaluated_at=clock.now(),
    )
    _finish_if_complete(pair)
    return evaluation


@transaction.atomic
def summary_submit(*, user: Any, pair: MentorPair, text: str) -> MenteeSummary:
    if user.person_id != pair.mentee_id:
        raise PermissionDenied("个人总结只能由培养对象本人提交。")
    if clock.today() < pair.end_date - datetime.timedelta(days=30):
        raise ValidationError({"text": "个人总结在结对期满前30天内提交。"})
    summary, _ = MenteeSummary.objects.update_or_create(
        pair=pair,
        defaults={"text": _clean_text(text, "text", "个人总结"), "submitted_at": clock.now()},
    )
    _finish_if_complete(pair)
    return summary


def _finish_if_complete(pair: MentorPair) -> None:
    finals = pair.evaluations.filter(stage=EvaluationStage.FINAL).count()
    if finals >= len(EvaluatorRole.values) and MenteeSummary.objects.filter(pair=pair).exists():
        pair.status = PairStatus.FINISHED
        pair.save(update_fields=["status"])


# ---------------------------------------------------------------------------------------------
# The youth group
# ---------------------------------------------------------------------------------------------


def _age_limit() -> int:
    return int(settings.GROWTH["YOUTH_AGE_LIMIT"])


@transaction.atomic
def youth_group_recompute(*, on: datetime.date | None = None, audit: bool = True) -> dict[str, int]:
    """Bring the group in line with the year's reference date: staff posted in the organ today and
    under the age limit on that date join; members over it, or no longer posted, leave. Joins and
    leaves are rows dated the day it runs; running it again changes nothing."""
    from apps.organization.selectors import youth_staff

    today = on or clock.today()
    reference = selectors.youth_reference_date(today.year)
    limit = _age_limit()
    # Under the limit + 1 today includes everyone under the limit on the (earlier) reference day.
    eligible = {
        p.pk for p in youth_staff(on=today, max_age=limit + 1) if p.age_on(reference) < limit
    }
    current = {
        m.person_id: m
        for m in YouthMembership.objects.filter(left_on__isnull=True).select_related("person")
    }
    joined = left = 0
    YouthMembership.objects.bulk_create(
        YouthMembership(
            person_id=person_id,
            joined_on=today,
            join_note=f"{reference:%Y年%m月%d日}未满{limit}周岁",
        )
        for person_id in sorted(eligible - set(current))
    )
    joined = len(eligible - set(current))
    for person_id, membership in current.items():
        if person_id in eligible:
            continue
        over = membership.person.age_on(reference) >= limit
        membership.left_on = max(today, membership.joined_on)
        membership.leave_note = (
            f"{reference:%Y年%m月%d日}已满{limit}周岁" if over else "已不在机关在岗"
        )
        membership.save(update_fields=["left_on", "leave_note"])
        left += 1
    if (joined or left) and audit:
        record_event(
            action=AuditAction.UPDATE,
            object_type="growth.youth_group",
            object_repr="青年理论学习小组成员",
            detail={"基准日": reference, "加入": joined, "退出": left},
        )
    return {"joined": joined, "left": left}


@transaction.atomic
def youth_member_add(*, user: Any, person: Person, note: str = "") -> YouthMembership:
    """Add one person by hand (e.g. a newcomer mid-year); refused over the age limit."""
    _require_office(user)
    today = clock.today()
    reference = selectors.youth_reference_date(today.year)
    if person.age_on(reference) >= _age_limit():
        raise ValidationError(
            {
                "person": f"{person.name}在基准日 {reference:%Y-%m-%d} 已满 {person.age_on(reference)} 周岁，"
                f"超过青年理论学习小组 {_age_limit()} 周岁以下的年龄要求。"
            }
        )
    if YouthMembership.objects.filter(person=person, left_on__isnull=True).exists():
        raise ValidationError({"person": f"{person.name}已是青年理论学习小组成员。"})
    return YouthMembership.objects.create(
        person=person, joined_on=today, join_note=(note or "办公室登记加入").strip()[:200]
    )


# ---------------------------------------------------------------------------------------------
# Heart-to-heart talks (谈心谈话)
# ---------------------------------------------------------------------------------------------


def _talk_event(action: Any, talk: Talk, user: Any) -> None:
    # Content-free on purpose: the audit administrator reads these rows.
    record_event(action=action, obj=talk, actor=user, detail={"记录编号": talk.pk})


@transaction.atomic
def talk_record(
    *,
    user: Any,
    talker: Person,
    talkee: Person,
    date: datetime.date,
    kind: str,
    summary: str,
    place: str = "",
) -> Talk:
    """Record a talk held by one of the two parties; the summary is stored SM4-encrypted."""
    _require_business(user)
    if user.person_id not in {talker.pk, talkee.pk}:
        raise PermissionDenied("谈心谈话记录只能由谈话双方本人登记。")
    errors: dict[str, str] = {}
    if talker.pk == talkee.pk:
        errors["talkee"] = "谈话人和谈话对象不能是同一人。"
    if kind not in TalkKind.values:
        errors["kind"] = "请选择谈话类型。"
    if date > clock.today():
        errors["date"] = "不能登记尚未进行的谈话。"
    if errors:
        raise ValidationError(errors)
    text = _clean_text(summary, "summary", "谈话摘要")
    talk = Talk.objects.create(
        talker=talker,
        talkee=talkee,
        date=date,
        kind=kind,
        place=place.strip()[:100],
        summary_cipher=encrypt_summary(text),
        recorded_by=user,
    )
    _talk_event(AuditAction.CREATE, talk, user)
    return talk


def talk_read(*, user: Any, talk_id: int) -> tuple[Talk, str]:
    """A talk and its summary for someone allowed to read it; the read is audited. Anyone else
    gets the same "not found" as for a missing record."""
    from django.http import Http404

    talk = (
        restrict(Talk.objects.select_related("talker", "talkee"), user, "view")
        .filter(pk=talk_id)
        .first()
    )
    if talk is None:
        raise Http404("未找到该记录，或您无权访问。")
    summary = decrypt_summary(talk.summary_cipher)
    _talk_event(READ_ACTION, talk, user)
    return talk, summary


def talks_listed(*, user: Any, talks: list[Talk]) -> None:
    """Audit a list of talks shown to someone (who with whom, when: content too)."""
    if talks:
        record_event(
            action=READ_ACTION,
            object_type="growth.talk",
            object_repr=f"谈心谈话记录列表（{len(talks)}条）",
            actor=user,
            detail={"记录编号": [t.pk for t in talks]},
        )


@transaction.atomic
def duty_set(*, user: Any, year: int, leader: Person, units: list[Unit]) -> TalkDuty:
    _require_office(user)
    if not units:
        raise ValidationError({"units": "请至少选择一个分管联系单位。"})
    duty, _ = TalkDuty.objects.update_or_create(year=year, leader=leader)
    duty.units.set(units)
    record_event(
        action=AuditAction.UPDATE,
        obj=duty,
        detail={"分管联系单位": [u.short_name for u in units]},
    )
    return duty


# ---------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------


def _hours(value: Any) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": "学时须为数字，如 8 或 2.5。"}) from None
    if not hours.is_finite():
        raise ValidationError({"hours": "学时须为数字，如 8 或 2.5。"})
    return hours


@transaction.atomic
def training_record_add(
    *,
    user: Any,
    person: Person,
    kind: str,
    title: str,
    organiser: str,
    start_date: datetime.date,
    end_date: datetime.date,
    hours: Any,
    certificate_no: str = "",
    certificate: UploadedFile | None = None,
) -> TrainingRecord:
    """The office records anyone's training; a cadre records their own external course with its
    certificate. Hours must be positive and at most the per-day maximum for each day."""
    _require_business(user)
    own = user.person_id == person.pk
    if not (is_office(user) or (own and kind == TrainingKind.EXTERNAL)):
        raise PermissionDenied("培训记录由办公室登记；本人只能登记凭证书的外出参训。")
    value = _hours(hours)
    errors: dict[str, str] = {}
    if kind not in TrainingKind.values:
        errors["kind"] = "请选择培训类型。"
    if not title.strip():
        errors["title"] = "请填写培训名称。"
    if not organiser.strip():
        errors["organiser"] = "请填写主办单位。"
    if end_date < start_date:
        errors["end_date"] = "结束日期不能早于开始日期。"
    elif start_date > clock.today():
        errors["start_date"] = "不能登记尚未开始的培训。"
    days = (end_date - start_date).days + 1
    cap = Decimal(settings.GROWTH["MAX_TRAINING_HOURS_PER_DAY"]) * max(days, 1)
    if value <= 0:
        errors["hours"] = "学时须大于 0。"
    elif value > cap:
        errors["hours"] = (
            f"学时不合常理：{days} 天的培训最多 {cap} 学时（每天不超过 "
            f"{settings.GROWTH['MAX_TRAINING_HOURS_PER_DAY']} 学时）。"
        )
    if kind == TrainingKind.EXTERNAL and not (certificate_no.strip() or certificate):
        errors["certificate_no"] = "外出参训须填写结业证书编号或上传证书。"
    if errors:
        raise ValidationError(errors)
    return TrainingRecord.objects.create(
        person=person,
        kind=kind,
        title=title.strip()[:200],
        organiser=organiser.strip()[:100],
        start_date=start_date,
        end_date=end_date,
        hours=value,
        certificate_no=certificate_no.strip()[:64],
        certificate=certificate or "",
        recorded_by=user,
    )


@transaction.atomic
def requirement_set(*, user: Any, year: int, hours: Any) -> TrainingRequirement:
    _require_office(user)
    value = _hours(hours)
    if not Decimal("1") <= value <= Decimal("500"):
        raise ValidationError({"hours": "年度应完成学时须在 1 至 500 之间。"})
    requirement, _ = TrainingRequirement.objects.update_or_create(
        year=year, defaults={"hours": value}
    )
    return requirement
