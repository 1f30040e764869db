"""Every write of the deputies' area. Each validates first and refuses bad input with a Chinese
message (ValidationError or PermissionDenied), then changes inside one transaction under a row lock
where two people could act at once, and writes an event row.

An assigned suggestion runs on the ledger: each answering body's part is a TrackedItem of kind
代表建议, moved by the ledger's own services (交办、签收、进展反馈、报办结、退回、核验、销号、延期).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import external_unit_id
from apps.core import clock
from apps.ledger import services as ledger
from apps.ledger.choices import ItemKind, Source, Status
from apps.ledger.deadlines import DeadlineSpec, ResolvedDeadline
from apps.ledger.models import Checklist, TrackedItem
from apps.notifications.services import notify
from apps.organization.models import Person, Unit

from . import clocks, scopes
from .choices import (
    ANSWERING_ROLES,
    AnswerClass,
    DutyKind,
    HandlingMode,
    HandlingRole,
    Level,
    Satisfaction,
    SuggestionStatus,
)
from .models import (
    Answer,
    AnswerLetter,
    Deputy,
    DutyPointRule,
    DutyRecord,
    Handling,
    Mandate,
    ReceptionDay,
    Signature,
    Station,
    StationActivity,
    StationMatter,
    Suggestion,
    SuggestionEvent,
)

DEFAULT_POINTS = {
    DutyKind.SESSION: Decimal("5"),
    DutyKind.ACTIVITY: Decimal("2"),
    DutyKind.INSPECTION: Decimal("3"),
    DutyKind.SUGGESTION: Decimal("3"),
    DutyKind.RECEPTION: Decimal("2"),
    DutyKind.TRAINING: Decimal("1"),
}
OPEN_ITEM = {Status.ASSIGNED, Status.ACKNOWLEDGED, Status.IN_PROGRESS}


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _event(
    suggestion: Suggestion, action: str, actor: User | None, *, note: str = "", before: str = ""
) -> None:
    SuggestionEvent.record(
        suggestion=suggestion,
        action=action,
        actor=actor,
        from_status=before,
        to_status=suggestion.status,
        note=note,
    )


def _locked(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_for_update().get(pk=suggestion.pk)


# ---------------------------------------------------------------- roster and duty records


@dataclass
class MandateSpec:
    level: str
    delegation: str = ""
    term: str = ""


@dataclass
class DeputySpec:
    name: str
    mandates: Sequence[MandateSpec]
    gender: str = ""
    sector: str = ""
    work_unit: str = ""
    phone: str = ""
    station: Station | None = None
    import_key: str = ""


def validate_deputy(spec: DeputySpec) -> None:
    errors: dict[str, str] = {}
    if not spec.name.strip():
        errors["name"] = "请填写代表姓名。"
    if not spec.mandates:
        errors["mandates"] = "代表至少属于一个层级。"
    levels = [m.level for m in spec.mandates]
    if unknown := [level for level in levels if level not in Level.values]:
        errors["mandates"] = f"未知的代表层级：{'、'.join(unknown)}。"
    elif len(set(levels)) != len(levels):
        errors["mandates"] = "同一层级只能登记一次。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def deputy_save(*, actor: User, spec: DeputySpec, deputy: Deputy | None = None) -> Deputy:
    """Create a deputy, or replace an existing one's details and mandates."""
    _require(scopes.runs_suggestions(actor), "只有办公室可以维护代表名册。")
    validate_deputy(spec)
    values = {
        "name": spec.name.strip(),
        "gender": spec.gender,
        "sector": spec.sector,
        "work_unit": spec.work_unit,
        "phone": spec.phone,
        "station": spec.station,
    }
    if deputy is None:
        deputy = Deputy.objects.create(**values, import_key=spec.import_key)
    else:
        for name, value in values.items():
            setattr(deputy, name, value)
        deputy.save()
        deputy.mandates.all().delete()
    Mandate.objects.bulk_create(
        Mandate(deputy=deputy, level=m.level, delegation=m.delegation, term=m.term)
        for m in spec.mandates
    )
    return deputy


@transaction.atomic
def deputy_link_account(*, actor: User, deputy: Deputy, account: User) -> Deputy:
    _require(scopes.runs_suggestions(actor), "只有办公室可以关联代表账号。")
    if account.role != "deputy":
        raise ValidationError({"account": "只能关联“人大代表”角色的账号。"})
    if Deputy.objects.filter(account=account).exclude(pk=deputy.pk).exists():
        raise ValidationError({"account": "该账号已关联其他代表。"})
    deputy.account = account
    deputy.save(update_fields=["account"])
    return deputy


def points_for(kind: str) -> Decimal:
    rule = DutyPointRule.objects.filter(kind=kind).first()
    return rule.points if rule is not None else DEFAULT_POINTS[DutyKind(kind)]


def duty_record(
    *,
    deputy: Deputy,
    kind: str,
    date: datetime.date,
    title: str,
    source_key: str = "",
    actor: User | None = None,
) -> DutyRecord | None:
    """Add one entry to a deputy's record, with points by the configured rule; a source key
    records each duty once (None when it was already recorded)."""
    if actor is not None:
        _require(scopes.runs_suggestions(actor), "只有办公室可以登记履职记录。")
    if kind not in DutyKind.values:
        raise ValidationError({"kind": "未知的履职类型。"})
    if not title.strip():
        raise ValidationError({"title": "请填写履职内容。"})
    if source_key and DutyRecord.objects.filter(deputy=deputy, source_key=source_key).exists():
        return None
    return DutyRecord.objects.create(
        deputy=deputy,
        kind=kind,
        date=date,
        title=title.strip()[:200],
        points=points_for(kind),
        source_key=source_key,
    )


@transaction.atomic
def activity_record(
    *,
    actor: User,
    station: Station,
    date: datetime.date,
    title: str,
    attendees: Sequence[Deputy],
    matters: str = "",
    is_reception: bool = True,
    reception: ReceptionDay | None = None,
) -> StationActivity:
    """A reception day or activity at a station; each attending deputy's record gains it, and
    each line of `matters` becomes one matter raised by constituents (StationMatter), which the
    office may later turn into a suggestion or a ledger item."""
    _require(scopes.runs_suggestions(actor), "只有办公室可以登记进站活动。")
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写活动主题。"
    if len(title.strip()) > 200:
        errors["title"] = "活动主题不能超过200字。"
    if reception is not None:
        reception = ReceptionDay.objects.select_for_update().get(pk=reception.pk)
        if reception.station_id != station.pk:
            errors["reception"] = "该接待日不属于本站。"
        elif reception.activity_id is not None:
            errors["reception"] = "该接待日已登记接待情况。"
    if errors:
        raise ValidationError(errors)
    activity = StationActivity.objects.create(
        station=station, date=date, title=title.strip(), matters=matters, is_reception=is_reception
    )
    activity.attendees.set(attendees)
    StationMatter.objects.bulk_create(
        StationMatter(activity=activity, text=line.strip())
        for line in matters.splitlines()
        if line.strip()
    )
    if reception is not None:
        reception.activity = activity
        reception.save(update_fields=["activity"])
    kind = DutyKind.RECEPTION if is_reception else DutyKind.ACTIVITY
    for deputy in attendees:
        duty_record(
            deputy=deputy,
            kind=kind,
            date=date,
            title=f"{station.name}：{title.strip()}",
            source_key=f"activity:{activity.pk}",
        )
    return activity


# ---------------------------------------------------------------- submission and review


@dataclass
class SuggestionSpec:
    checklist: Checklist
    title: str
    content: str
    topic: str = ""
    cosigners: Sequence[Deputy] = field(default_factory=list)
    proposer: Deputy | None = None  # the office registering a paper suggestion names it


def _validate_spec(spec: SuggestionSpec, proposer: Deputy) -> None:
    errors: dict[str, str] = {}
    if not spec.title.strip():
        errors["title"] = "请填写案由。"
    elif len(spec.title) > 200:
        errors["title"] = "案由不能超过200字。"
    if not spec.content.strip():
        errors["content"] = "请填写建议内容。"
    if spec.checklist.source != Source.DEPUTY_SUGGESTION:
        errors["checklist"] = "只能提交到代表建议的会议（批次）。"
    if proposer in spec.cosigners:
        errors["cosigners"] = "领衔代表不必再列为附议代表。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def suggestion_create(*, actor: User, spec: SuggestionSpec) -> Suggestion:
    """A deputy drafts a suggestion; the office registers a paper one as submitted."""
    deputy = scopes.deputy_of(actor)
    if deputy is None:
        _require(scopes.runs_suggestions(actor), "只有代表本人或办公室可以提出建议。")
        if spec.proposer is None:
            raise ValidationError({"proposer": "请选择领衔代表。"})
        proposer, status = spec.proposer, SuggestionStatus.SUBMITTED
    else:
        proposer, status = deputy, SuggestionStatus.DRAFT
    _validate_spec(spec, proposer)
    suggestion = Suggestion.objects.create(
        checklist=spec.checklist,
        title=spec.title.strip(),
        content=spec.content.strip(),
        topic=spec.topic.strip()[:32],
        proposer=proposer,
        status=status,
        submitted_at=clock.now() if status == SuggestionStatus.SUBMITTED else None,
    )
    Signature.objects.bulk_create(
        Signature(suggestion=suggestion, deputy=d, order=n)
        for n, d in enumerate([proposer, *spec.cosigners])
    )
    _event(suggestion, "提出" if status == SuggestionStatus.SUBMITTED else "起草", actor)
    return suggestion


def _own_draft(actor: User, suggestion: Suggestion) -> Suggestion:
    locked = _locked(suggestion)
    deputy = scopes.deputy_of(actor)
    _require(
        deputy is not None and locked.proposer_id == deputy.pk, "只有领衔代表本人可以修改草稿。"
    )
    if locked.status != SuggestionStatus.DRAFT:
        raise ValidationError("该建议已提交，不能再修改。")
    return locked


@transaction.atomic
def suggestion_update_draft(
    *, actor: User, suggestion: Suggestion, spec: SuggestionSpec
) -> Suggestion:
    locked = _own_draft(actor, suggestion)
    _validate_spec(spec, locked.proposer)
    locked.checklist = spec.checklist
    locked.title = spec.title.strip()
    locked.content = spec.content.strip()
    locked.topic = spec.topic.strip()[:32]
    locked.save()
    locked.signatures.exclude(deputy=locked.proposer).delete()
    Signature.objects.bulk_create(
        Signature(suggestion=locked, deputy=d, order=n + 1) for n, d in enumerate(spec.cosigners)
    )
    _event(locked, "修改草稿", actor, before=SuggestionStatus.DRAFT)
    return locked


@transaction.atomic
def suggestion_submit(*, actor: User, suggestion: Suggestion) -> Suggestion:
    locked = _own_draft(actor, suggestion)
    locked.status = SuggestionStatus.SUBMITTED
    locked.submitted_at = clock.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(locked, "提交", actor, before=SuggestionStatus.DRAFT)
    return locked


REVIEW_DECISIONS = {
    "register": SuggestionStatus.REGISTERED,
    "reject": SuggestionStatus.NOT_REGISTERED,
    "letter": SuggestionStatus.TO_LETTER,
}


@transaction.atomic
def suggestion_review(
    *,
    actor: User,
    suggestion: Suggestion,
    decision: str,
    note: str = "",
    merge_into: Suggestion | None = None,
) -> Suggestion:
    """审查: 立案 (numbered; optionally 并案 with a registered one), 不予立案 or 转为来信 with a reason."""
    _require(scopes.runs_suggestions(actor), "只有办公室可以审查代表建议。")
    locked = _locked(suggestion)
    if locked.status != SuggestionStatus.SUBMITTED:
        raise ValidationError(f"该建议当前状态为“{locked.get_status_display()}”，不能审查。")
    if decision not in REVIEW_DECISIONS:
        raise ValidationError({"decision": "请选择审查结果：立案、不予立案或转为来信。"})
    if decision != "register" and not note.strip():
        raise ValidationError({"note": "不予立案或转为来信须说明理由。"})
    if merge_into is not None:
        merge_into = Suggestion.objects.select_for_update().get(pk=merge_into.pk)
        if decision != "register":
            raise ValidationError({"merge_into": "只有立案的建议可以并案办理。"})
        if merge_into.pk == locked.pk or merge_into.merged_into_id is not None:
            raise ValidationError({"merge_into": "只能并入一件未并案的建议。"})
        if merge_into.checklist_id != locked.checklist_id:
            raise ValidationError({"merge_into": "只能并入同一会议（批次）的建议。"})
        if merge_into.status in {
            SuggestionStatus.DRAFT,
            SuggestionStatus.SUBMITTED,
            *REVIEW_STATES,
        }:
            raise ValidationError({"merge_into": "只能并入已立案的建议。"})
        if merge_into.status == SuggestionStatus.CLOSED:
            raise ValidationError({"merge_into": "该建议已办结，不能再并入。"})
    before = locked.status
    locked.status = REVIEW_DECISIONS[decision]
    locked.reviewed_at = clock.now()
    locked.review_note = note.strip()
    changed = ["status", "reviewed_at", "review_note", "updated_at"]
    if decision == "register":
        # The session's row is the lock that numbers its suggestions one at a time.
        Checklist.objects.select_for_update().get(pk=locked.checklist_id)
        top = Suggestion.objects.filter(checklist=locked.checklist).aggregate(n=Max("serial"))
        locked.serial = (top["n"] or 0) + 1
        changed.append("serial")
        if merge_into is not None:
            locked.merged_into = merge_into
            locked.status = merge_into.status
            changed.append("merged_into")
    locked.save(update_fields=changed)
    label = {"register": "立案", "reject": "不予立案", "letter": "转为来信"}[decision]
    if merge_into is not None:
        label = f"立案并与第{merge_into.serial}号建议并案办理"
    _event(locked, label, actor, note=note, before=before)
    if decision == "register":
        day = clock.today()
        for signature in locked.signatures.select_related("deputy"):
            duty_record(
                deputy=signature.deputy,
                kind=DutyKind.SUGGESTION,
                date=day,
                title=f"提出建议：{locked.title}",
                source_key=f"suggestion:{locked.pk}",
            )
    return locked


REVIEW_STATES = frozenset({SuggestionStatus.NOT_REGISTERED, SuggestionStatus.TO_LETTER})


# ---------------------------------------------------------------- assignment and return


def _external(units: Sequence[Unit]) -> bool:
    ids = {u.pk for u in units}
    return Unit.everything.external().filter(pk__in=ids).count() == len(ids)


def _item_spec(
    suggestion: Suggestion, unit: Unit, co: Sequence[Unit], n: int, due: ResolvedDeadline
) -> ledger.ItemSpec:
    return ledger.ItemSpec(
        checklist=suggestion.checklist,
        title=f"第{suggestion.serial}号建议：{suggestion.title}"[:200],
        content=suggestion.content,
        category=suggestion.topic,
        lead_unit=unit,
        co_units=co,
        deadline=DeadlineSpec(date=due.date),
        source=Source.DEPUTY_SUGGESTION,
        kind=ItemKind.SUGGESTION,
        serial=f"JY{suggestion.serial:04d}-{n}",
        leading_leader=suggestion.key_leader,
    )


def _new_handling(
    suggestion: Suggestion, unit: Unit, role: str, day: datetime.date, item: TrackedItem | None
) -> Handling:
    return Handling.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=role,
        item=item,
        assigned_on=day,
        return_until=clocks.return_until(day),
        max_deadline=clocks.max_due(day),
        opinion_due=clocks.opinion_due(day) if role == HandlingRole.CO else None,
    )


def _open_item(actor: User, spec: ledger.ItemSpec, due: ResolvedDeadline) -> TrackedItem:
    item = ledger.item_create(actor=actor, spec=spec)
    # The clock's note and 预估 flag, which a typed date would lose.
    TrackedItem.objects.filter(pk=item.pk).update(
        deadline_note=due.note, deadline_provisional=due.provisional
    )
    return ledger.item_assign(actor=actor, item=item)


@transaction.atomic
def suggestion_assign(
    *,
    actor: User,
    suggestion: Suggestion,
    mode: str,
    main: Unit | None = None,
    co: Sequence[Unit] = (),
    separate: Sequence[Unit] = (),
    key_leader: Person | None = None,
) -> Suggestion:
    """交办: to one 主办 with 协办 bodies, or 分办 to several bodies each answering on its own.
    Each answering body gets a ledger item due three months from today (clocks.answer_due)."""
    _require(scopes.runs_suggestions(actor), "只有办公室可以交办代表建议。")
    locked = _locked(suggestion)
    errors: dict[str, str] = {}
    if locked.merged_into_id is not None:
        raise ValidationError("并案的建议随所并入的建议一并交办。")
    if locked.status != SuggestionStatus.REGISTERED:
        raise ValidationError(f"该建议当前状态为“{locked.get_status_display()}”，不能交办。")
    if mode == HandlingMode.JOINT:
        if main is None:
            errors["main"] = "请选择主办单位。"
        elif main in co:
            errors["co"] = "主办单位不能同时作为协办单位。"
        if separate:
            errors["separate"] = "主办协办方式不另设分办单位。"
        units = [u for u in [main, *co] if u is not None]
    elif mode == HandlingMode.SEPARATE:
        if len(separate) < 2:
            errors["separate"] = "分办须有两个以上承办单位；只有一个单位时请选“主办协办”。"
        if main is not None or co:
            errors["main"] = "分办方式不设主办、协办单位。"
        units = list(separate)
    else:
        raise ValidationError({"mode": "请选择交办方式：主办协办或分办。"})
    if len({u.pk for u in units}) != len(units):
        errors["separate"] = "同一单位不能重复交办。"
    if units and not _external(units):
        errors["main"] = "承办单位须是一府一委两院及政府部门。"
    if key_leader is not None and not key_leader.leadership_posts.exists():
        errors["key_leader"] = f"{key_leader.name}不是常委会领导，不能领衔督办。"
    if errors:
        raise ValidationError(errors)
    locked.key_leader = key_leader
    locked.mode = mode
    day = clock.today()
    due = clocks.answer_due(day)
    if mode == HandlingMode.JOINT:
        assert main is not None
        item = _open_item(actor, _item_spec(locked, main, co, 1, due), due)
        _new_handling(locked, main, HandlingRole.MAIN, day, item)
        for unit in co:
            _new_handling(locked, unit, HandlingRole.CO, day, None)
    else:
        for n, unit in enumerate(separate, start=1):
            item = _open_item(actor, _item_spec(locked, unit, (), n, due), due)
            _new_handling(locked, unit, HandlingRole.SEPARATE, day, item)
    before = locked.status
    locked.status = SuggestionStatus.HANDLING
    locked.save(update_fields=["status", "mode", "key_leader", "updated_at"])
    _sync_merged(locked)
    names = "、".join(u.name for u in units)
    _event(locked, "交办", actor, note=f"{names}；答复期限{due.date:%Y年%m月%d日}", before=before)
    if key_leader is not None:
        _event(locked, "列为重点督办建议", actor, note=f"由{key_leader.name}领衔督办")
    return locked


def _body_handling(actor: User, handling: Handling) -> Handling:
    locked = Handling.objects.select_for_update().get(pk=handling.pk)
    _require(external_unit_id(actor) == locked.unit_id, "只有承办单位可以办理该建议。")
    if locked.returned_at is not None:
        raise ValidationError("该建议已由本单位退回，不能再办理。")
    return locked


@transaction.atomic
def handling_acknowledge(*, actor: User, handling: Handling) -> Handling:
    """签收: an answering body signs for its part on the ledger."""
    locked = _body_handling(actor, handling)
    if locked.item is None:
        raise ValidationError("协办单位无须签收，请在期限内向主办单位提交协办意见。")
    ledger.item_acknowledge(actor=actor, item=locked.item)
    _event(locked.suggestion, "签收", actor, note=locked.unit.name)
    return locked


@transaction.atomic
def handling_return(*, actor: User, handling: Handling, reason: str) -> Handling:
    """退回: a body sends back a suggestion that is not within its remit, within the window."""
    locked = _body_handling(actor, handling)
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明理由。"})
    today = clock.today()
    if today > locked.return_until:
        raise ValidationError(
            f"退回期限已过：交办后{clocks.config('RETURN_WORKDAYS')}个工作日内"
            f"（至{locked.return_until:%Y年%m月%d日}）可以退回，现在请按期办理。"
        )
    if locked.answers.exists() or locked.opinion_at is not None:
        raise ValidationError("已答复或已提交协办意见的建议不能退回。")
    locked.returned_at = clock.now()
    locked.return_reason = reason.strip()
    locked.save(update_fields=["returned_at", "return_reason"])
    suggestion = locked.suggestion
    if locked.role == HandlingRole.CO:
        main = suggestion.handlings.filter(role=HandlingRole.MAIN, returned_at__isnull=True).first()
        if main is not None and main.item is not None:
            main.item.co_units.remove(locked.unit)
    _event(suggestion, "承办单位退回", actor, note=f"{locked.unit.name}：{reason.strip()}")
    return locked


@transaction.atomic
def handling_reassign(*, actor: User, handling: Handling, unit: Unit, note: str = "") -> Handling:
    """改派: the office gives a returned part to another body; its clock starts again today."""
    _require(scopes.runs_suggestions(actor), "只有办公室可以改派代表建议。")
    locked = Handling.objects.select_for_update().get(pk=handling.pk)
    if locked.returned_at is None:
        raise ValidationError("只有承办单位已退回的建议可以改派。")
    if locked.reassigned_at is not None:
        raise ValidationError("该承办记录已改派。")
    suggestion = locked.suggestion
    if not _external([unit]):
        raise ValidationError({"unit": "承办单位须是一府一委两院及政府部门。"})
    taken = suggestion.handlings.filter(unit=unit, returned_at__isnull=True)
    if taken.exists():
        raise ValidationError({"unit": f"{unit.name}已在承办该建议。"})
    day = clock.today()
    item = locked.item
    if item is not None:
        due = clocks.answer_due(day)
        Handling.objects.filter(pk=locked.pk).update(item=None)
        co = [h.unit for h in suggestion.handlings.filter(role=HandlingRole.CO, returned_at=None)]
        item = ledger.item_reassign(
            actor=actor,
            item=item,
            lead_unit=unit,
            co_units=co,
            reason=note or locked.return_reason,
            new_deadline=due,
        )
    else:
        main = suggestion.handlings.filter(role=HandlingRole.MAIN, returned_at=None).first()
        if main is not None and main.item is not None:
            main.item.co_units.add(unit)
    Handling.objects.filter(pk=locked.pk).update(reassigned_at=clock.now())
    new = _new_handling(suggestion, unit, locked.role, day, item)
    _event(suggestion, "改派", actor, note=f"由{locked.unit.name}改派{unit.name}")
    return new


# ---------------------------------------------------------------- opinion, answer, extension


@transaction.atomic
def co_opinion(*, actor: User, handling: Handling, text: str) -> Handling:
    """协办意见: a 协办 body sends its opinion to the 主办 (due one month from assignment)."""
    locked = _body_handling(actor, handling)
    if locked.role != HandlingRole.CO:
        raise ValidationError("只有协办单位提交协办意见；主办、分办单位请直接答复代表。")
    if not text.strip():
        raise ValidationError({"text": "请填写协办意见。"})
    if locked.opinion_at is not None:
        raise ValidationError("本单位已提交协办意见。")
    main = locked.suggestion.handlings.filter(role=HandlingRole.MAIN, returned_at=None).first()
    if main is None or main.item is None or main.item.status not in OPEN_ITEM:
        raise ValidationError("主办单位已答复或尚未确定，不能再提交协办意见。")
    locked.opinion = text.strip()
    locked.opinion_at = clock.now()
    locked.save(update_fields=["opinion", "opinion_at"])
    late = "（逾期）" if clock.today() > (locked.opinion_due or clock.today()) else ""
    ledger.feedback_submit(
        actor=actor,
        item=main.item,
        text=f"{locked.unit.name}协办意见{late}：{text.strip()}",
        percent=main.item.progress,
    )
    _event(locked.suggestion, "提交协办意见", actor, note=f"{locked.unit.name}{late}")
    return locked


def _group(suggestion: Suggestion) -> list[Suggestion]:
    """The suggestion and those merged into it (并案: handled together, answered separately)."""
    return [suggestion, *suggestion.merged.order_by("serial")]


@transaction.atomic
def answer_submit(
    *,
    actor: User,
    handling: Handling,
    klass: str,
    text: str,
    signed_by: str,
    planned_resolution: datetime.date | None = None,
) -> list[Answer]:
    """答复: the 主办 (or a 分办) body answers in writing, with its class and its head's signature;
    one answer per suggestion of a 并案 group, one letter per deputy who made it."""
    locked = _body_handling(actor, handling)
    if locked.role == HandlingRole.CO:
        raise ValidationError("协办单位不能以主办单位身份答复，请向主办单位提交协办意见。")
    suggestion = _locked(locked.suggestion)
    item = locked.item
    assert item is not None
    if suggestion.status == SuggestionStatus.CLOSED or item.status == Status.CLOSED:
        raise ValidationError("该建议已办结，不能再答复。")
    if item.status not in OPEN_ITEM:
        raise ValidationError("本单位已答复，待代表反馈意见后由办公室确认。")
    errors: dict[str, str] = {}
    if klass not in AnswerClass.values:
        errors["klass"] = "请选择答复类别（A、B、C、D类）。"
    if not text.strip():
        errors["text"] = "请填写答复内容。"
    if not signed_by.strip():
        errors["signed_by"] = "答复须由承办单位负责人签发，请填写签发人。"
    if klass == AnswerClass.B:
        if planned_resolution is None:
            errors["planned_resolution"] = "B类答复须写明计划解决时间。"
        elif planned_resolution <= clock.today():
            errors["planned_resolution"] = "计划解决时间须晚于今天。"
    if errors:
        raise ValidationError(errors)
    now, today = clock.now(), clock.today()
    answers = []
    for member in _group(suggestion):
        answer = Answer.objects.create(
            suggestion=member,
            handling=locked,
            round=locked.round,
            klass=klass,
            text=text.strip(),
            signed_by=signed_by.strip(),
            answered_at=now,
            due=item.deadline,
            on_time=today <= item.deadline,
            answered_by=actor,
        )
        AnswerLetter.objects.bulk_create(
            AnswerLetter(answer=answer, deputy=s.deputy)
            for s in member.signatures.select_related("deputy")
        )
        answers.append(answer)
    locked.planned_resolution = planned_resolution
    locked.in_follow_up = False
    locked.save(update_fields=["planned_resolution", "in_follow_up"])
    if item.status == Status.ASSIGNED:
        item = ledger.item_acknowledge(actor=actor, item=item, note="答复即视为签收")
    ledger.item_report_completion(
        actor=actor, item=item, text=f"{AnswerClass(klass).label}。{text.strip()}"
    )
    _sync_status(suggestion, actor, f"{locked.unit.name}答复（{klass}类）")
    _notify_deputies(answers, f"您提出的建议已答复：{suggestion.title}")
    return answers


def _notify_deputies(answers: Sequence[Answer], title: str) -> None:
    accounts = list(
        User.objects.filter(deputy__letters__answer__in=answers, is_active=True).distinct()
    )
    url = reverse("deputies:my_suggestions")

    def send() -> None:
        for user in accounts:
            notify(recipient=user, title=title, url=url, category="deputies")

    transaction.on_commit(send)


@transaction.atomic
def extension_request(
    *, actor: User, handling: Handling, new_deadline: datetime.date, reason: str
) -> Any:
    """延期: the body asks the office through the ledger; six months in total at most."""
    locked = _body_handling(actor, handling)
    if locked.item is None:
        raise ValidationError("协办单位不能申请延期。")
    return ledger.extension_request(
        actor=actor, item=locked.item, new_deadline=new_deadline, reason=reason
    )


# ---------------------------------------------------------------- satisfaction and conclusion


@transaction.atomic
def feedback_give(
    *, actor: User, letter: AnswerLetter, satisfaction: str, note: str = ""
) -> AnswerLetter:
    """代表意见: the deputy to whom the answer was sent says 满意、基本满意 or 不满意; the office
    enters the paper feedback form (代表意见反馈表) of a deputy who does not sign in."""
    deputy = scopes.deputy_of(actor)
    locked = AnswerLetter.objects.select_for_update().select_related("answer").get(pk=letter.pk)
    on_paper = scopes.runs_suggestions(actor)
    _require(
        on_paper or (deputy is not None and locked.deputy_id == deputy.pk),
        "您不是该建议的提出代表，不能评价办理情况。",
    )
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意、基本满意或不满意。"})
    if satisfaction == Satisfaction.UNSATISFIED and not note.strip():
        raise ValidationError({"note": "不满意时请说明理由，以便重新办理。"})
    if locked.feedback_at is not None:
        raise ValidationError("您已对该答复提出意见。")
    if locked.answer.concluded_at is not None:
        raise ValidationError("该答复已办结确认，不能再提出意见。")
    locked.satisfaction = satisfaction
    locked.feedback_note = note.strip()
    locked.feedback_at = clock.now()
    locked.save(update_fields=["satisfaction", "feedback_note", "feedback_at"])
    _event(
        locked.answer.suggestion,
        f"代表反馈：{Satisfaction(satisfaction).label}",
        actor,
        note=f"{locked.deputy.name}{'（纸质反馈表，办公室录入）' if on_paper else ''}：{note.strip()}",
    )
    return locked


def _latest_answers(handling: Handling) -> list[Answer]:
    return list(
        Answer.objects.filter(handling=handling, round=handling.round, concluded_at__isnull=True)
        .prefetch_related("letters")
        .order_by("id")
    )


def _answered_handling(actor: User, handling: Handling) -> tuple[Handling, list[Answer]]:
    _require(scopes.runs_suggestions(actor), "只有办公室可以确认办理结果。")
    locked = Handling.objects.select_for_update().get(pk=handling.pk)
    answers = _latest_answers(locked)
    if locked.item is None or locked.item.status != Status.REPORTED or not answers:
        raise ValidationError("该承办单位尚未答复，或答复已确认。")
    return locked, answers


@transaction.atomic
def handling_rehandle(*, actor: User, handling: Handling, note: str = "") -> Handling:
    """重新办理: a deputy was 不满意; the body handles it again with a new deadline."""
    locked, answers = _answered_handling(actor, handling)
    unhappy = [
        letter
        for answer in answers
        for letter in answer.letters.all()
        if letter.satisfaction == Satisfaction.UNSATISFIED
    ]
    if not unhappy:
        raise ValidationError("没有代表对该答复表示不满意，不需要重新办理。")
    today = clock.today()
    due = clocks.rehandle_due(today)
    reasons = "；".join(f"{letter.deputy.name}：{letter.feedback_note}" for letter in unhappy)
    assert locked.item is not None
    ledger.item_return(
        actor=actor,
        item=locked.item,
        reason=f"代表不满意，重新办理。{reasons} {note}".strip(),
        new_deadline=due,
    )
    Answer.objects.filter(pk__in=[a.pk for a in answers]).update(concluded_at=clock.now())
    locked.round += 1
    locked.max_deadline = clocks.months_after(due.date, 3)
    locked.save(update_fields=["round", "max_deadline"])
    suggestion = _locked(locked.suggestion)
    Suggestion.objects.filter(pk__in=[s.pk for s in _group(suggestion)]).update(rehandled=True)
    _sync_status(suggestion, actor, f"{locked.unit.name}重新办理，期限{due.date:%Y年%m月%d日}")
    return locked


@transaction.atomic
def handling_conclude(*, actor: User, handling: Handling, note: str = "") -> Handling:
    """办结确认: the deputies are satisfied (or did not reply within the feedback period). A and
    C/D answers close the ledger item; a B answer stays tracked until its planned resolution."""
    locked, answers = _answered_handling(actor, handling)
    letters = [letter for answer in answers for letter in answer.letters.all()]
    if any(letter.satisfaction == Satisfaction.UNSATISFIED for letter in letters):
        raise ValidationError("有代表对答复不满意，须交承办单位重新办理。")
    answered_on = timezone.localdate(answers[0].answered_at)
    waited = clock.today() > clocks.months_after(answered_on, clocks.config("FEEDBACK_MONTHS"))
    if not waited and any(letter.feedback_at is None for letter in letters):
        raise ValidationError("还有代表未反馈意见；反馈期满后方可确认办结。")
    item = locked.item
    assert item is not None
    now = clock.now()
    Answer.objects.filter(pk__in=[a.pk for a in answers]).update(concluded_at=now)
    klass = answers[0].klass
    if klass == AnswerClass.B:
        assert locked.planned_resolution is not None
        ledger.item_return(
            actor=actor,
            item=item,
            reason="B类答复：列入计划逐步解决，跟踪至问题解决后再次答复。",
            new_deadline=ResolvedDeadline(locked.planned_resolution, note="B类建议计划解决时间"),
        )
        locked.round += 1
        locked.in_follow_up = True
        locked.max_deadline = clocks.months_after(locked.planned_resolution, 6)
        locked.save(update_fields=["round", "in_follow_up", "max_deadline"])
        label = f"{locked.unit.name}B类答复转入跟踪落实"
    else:
        summary = "；".join(
            f"{letter.deputy.name}{letter.get_satisfaction_display() or '未反馈'}"
            for letter in letters
        )
        ledger.item_verify(actor=actor, item=item, note=note)
        ledger.item_close(actor=actor, item=item, evidence=f"{klass}类答复，代表意见：{summary}")
        label = f"{locked.unit.name}办结"
    _sync_status(_locked(locked.suggestion), actor, label)
    return locked


@transaction.atomic
def resolution_check(
    *, actor: User, suggestion: Suggestion, resolved: bool, note: str = ""
) -> None:
    """A year on, the office checks whether an A answer's problem was truly resolved."""
    _require(scopes.runs_suggestions(actor), "只有办公室可以核实办理成效。")
    locked = _locked(suggestion)
    last = locked.answers.order_by("-answered_at", "-id").first()
    if locked.status != SuggestionStatus.CLOSED or last is None or last.klass != AnswerClass.A:
        raise ValidationError("只有以A类答复办结的建议可以核实解决情况。")
    locked.resolved_later = resolved
    locked.save(update_fields=["resolved_later", "updated_at"])
    _event(locked, "一年后核实：" + ("已解决" if resolved else "未解决"), actor, note=note)


# ---------------------------------------------------------------- status


def _derived_status(suggestion: Suggestion) -> str:
    parts = [
        h.item
        for h in suggestion.handlings.filter(
            role__in=ANSWERING_ROLES, returned_at__isnull=True
        ).select_related("item")
        if h.item is not None
    ]
    statuses = [item.status for item in parts]
    if not statuses:
        return suggestion.status
    if all(s == Status.CLOSED for s in statuses):
        return SuggestionStatus.CLOSED
    if any(s in OPEN_ITEM for s in statuses):
        following = [
            h for h in suggestion.handlings.all() if h.in_follow_up and h.returned_at is None
        ]
        return SuggestionStatus.FOLLOW_UP if following else SuggestionStatus.HANDLING
    return SuggestionStatus.ANSWERED


def _sync_status(suggestion: Suggestion, actor: User | None, note: str) -> None:
    before = suggestion.status
    suggestion.status = _derived_status(suggestion)
    suggestion.save(update_fields=["status", "updated_at"])
    _sync_merged(suggestion)
    _event(suggestion, note, actor, before=before)


def _sync_merged(suggestion: Suggestion) -> None:
    suggestion.merged.update(status=suggestion.status, mode=suggestion.mode)


@transaction.atomic
def collect_duties(year: int) -> int:
    """Record every registered source's duties of `year` once; returns how many were new."""
    from .registry import duty_sources

    added = 0
    for source in duty_sources().values():
        for entry in source(year):
            deputy = Deputy.objects.filter(pk=entry.deputy_id).first()
            if deputy is None:
                continue
            added += (
                duty_record(
                    deputy=deputy,
                    kind=entry.kind,
                    date=entry.date,
                    title=entry.title,
                    source_key=entry.source_key,
                )
                is not None
            )
    return added
