"""Submitting and deciding approval requests."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.accounts.permissions import is_office
from apps.core import clock
from apps.notifications.services import notify, resolve_task_after_commit
from apps.organization.choices import LeadershipTitle, UnitKind
from apps.organization.models import LeadershipPost, Person, UnitMembership
from apps.workcalendar.services import working_time

from .choices import ApproverKind, EventKind, RequestStatus, StageStatus
from .models import ApprovalEvent, ApprovalFlow, ApprovalRequest, ApprovalStage, ApprovalStep
from .registry import outcome_handler, own_pages, step_listener


def _account(person: Person | None) -> User | None:
    if person is None:
        return None
    return User.objects.filter(person=person, is_active=True).first()


def _unit_head_of(person: Person) -> Person | None:
    today = clock.today()
    membership = UnitMembership.objects.on(today).filter(person=person).first()
    if membership is None:
        return None
    head = (
        UnitMembership.objects.on(today)
        .filter(unit_id=membership.unit_id, is_head=True)
        .exclude(person=person)
        .select_related("person")
        .first()
    )
    return head.person if head is not None else None


def _office_head() -> Person | None:
    head = (
        UnitMembership.objects.on(clock.today())
        .filter(unit__kind=UnitKind.OFFICE, is_head=True)
        .select_related("person")
        .first()
    )
    return head.person if head else None


def _leader(title: str) -> Person | None:
    post = (
        LeadershipPost.objects.on(clock.today())
        .filter(title=title)
        .select_related("person")
        .first()
    )
    return post.person if post else None


class MissingApprover(ValidationError):
    """A step whose post is vacant or whose holder has no usable account (issue 10: a “秘书长审批”
    step went to the 主任 without a word when the 秘书长 had no account)."""


def resolve_approver(step: ApprovalStep, applicant: User) -> User:
    """The account that decides `step` for `applicant` today; never the applicant themselves.

    The only escalation is past the applicant: a unit head's own leave goes to the office head, an
    office head's to the secretary-general. A post that is vacant, or whose holder has no usable
    account, is never silently replaced by the next post up: the submission is refused with a
    message naming the post, so that the office fills it or changes the flow (`MissingApprover`).
    """
    candidates: list[tuple[str, Person | None]]
    if step.approver_kind == ApproverKind.UNIT_HEAD:
        own_head = _unit_head_of(applicant.person) if applicant.person else None
        heads_own_unit = bool(applicant.person) and (
            UnitMembership.objects.on(clock.today())
            .filter(person=applicant.person, is_head=True)
            .exists()
        )
        candidates = [
            ("本单位负责人", applicant.person if heads_own_unit and own_head is None else own_head),
            ("办公室主任", _office_head()),
            ("秘书长", _leader(LeadershipTitle.SECRETARY_GENERAL)),
        ]
    elif step.approver_kind == ApproverKind.OFFICE_HEAD:
        candidates = [
            ("办公室主任", _office_head()),
            ("秘书长", _leader(LeadershipTitle.SECRETARY_GENERAL)),
        ]
    elif step.approver_kind == ApproverKind.SECRETARY_GENERAL:
        candidates = [
            ("秘书长", _leader(LeadershipTitle.SECRETARY_GENERAL)),
            ("常委会主任", _leader(LeadershipTitle.DIRECTOR)),
        ]
    elif step.approver_kind == ApproverKind.DIRECTOR:
        candidates = [("常委会主任", _leader(LeadershipTitle.DIRECTOR))]
    else:
        candidates = [("指定审批人", step.approver_person)]
    for post, person in candidates:
        if person is not None and person.pk == applicant.person_id:
            continue  # nobody approves his own request: the next post up decides it
        if person is None:
            raise MissingApprover(
                f"“{step.name}”应由{post}审批，但{post}目前空缺，申请未提交。"
                "请联系办公室补充任职信息或调整审批流程。"
            )
        account = _account(person)
        if account is None:
            raise MissingApprover(
                f"“{step.name}”应由{post}{person.name}审批，但其尚无可用的系统账号，申请未提交。"
                "请联系办公室为其开通账号或调整审批流程。"
            )
        return account
    raise MissingApprover(
        f"无法确定“{step.name}”的审批人（{step.get_approver_kind_display()}），请联系办公室。"
    )


def _tells_area[**P, R](action: Callable[P, R]) -> Callable[P, R]:
    """After the action (inside its transaction), hand the request and the action's event to the
    flow's step listener, if its area registered one."""

    @functools.wraps(action)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = action(*args, **kwargs)
        target = kwargs.get("request", result)  # every action names its request; submit returns it
        assert isinstance(target, ApprovalRequest)
        _settle_tasks(target)
        listener = step_listener(target.flow.code)
        if listener is not None:
            request = ApprovalRequest.objects.select_related("flow").get(pk=target.pk)
            listener(request, request.events.order_by("-created_at", "-id").first())
        return result

    return wrapper


@dataclass(frozen=True)
class ChainStep:
    """One step of a chain an area fixes itself (e.g. 会签 by the heads of the units it names):
    several approvers make it parallel (会签), and it closes when every one of them has agreed. An
    entry that is itself a list is a 或签 group: any one of its people answers for the group."""

    name: str
    approvers: Sequence[User | Sequence[User]]

    def groups(self) -> list[tuple[int, list[User]]]:
        """(group number, people): 0 for a lone approver, 1, 2 … for 或签 groups."""
        result: list[tuple[int, list[User]]] = []
        for n, entry in enumerate(self.approvers, start=1):
            if isinstance(entry, User):
                result.append((0, [entry]))
            else:
                result.append((n if len(entry) > 1 else 0, list(entry)))
        return result

    def people(self) -> list[User]:
        return [user for _, users in self.groups() for user in users]


def _flow_for(flow_code: str, flow_name: str, chain: Sequence[ChainStep] | None) -> ApprovalFlow:
    flow = ApprovalFlow.objects.filter(code=flow_code).first()
    if flow is None and chain is not None and flow_name:
        # An area that fixes its own chains needs no steps as data, only the flow's name.
        flow = ApprovalFlow.objects.create(code=flow_code, name=flow_name)
    if flow is None or not flow.is_active:
        raise ValidationError(f"审批流程“{flow_code}”不存在或已停用，请联系系统管理员。")
    return flow


def _chain_of_flow(flow: ApprovalFlow, applicant: User, amount: Decimal) -> list[ChainStep]:
    steps = [s for s in flow.steps.order_by("order") if amount >= s.min_amount]
    if not steps:
        raise ValidationError(f"审批流程“{flow.name}”没有适用的审批步骤，请联系系统管理员。")
    chain = []
    for step in steps:
        chain.append(ChainStep(step.name, [resolve_approver(step, applicant)]))
    return chain


def _check_chain(chain: Sequence[ChainStep]) -> None:
    if not chain:
        raise ValidationError("审批链至少要有一个环节。")
    for step in chain:
        people = step.people()
        if not step.approvers or any(not users for _, users in step.groups()):
            raise ValidationError(f"无法确定“{step.name}”的审批人，请联系办公室。")
        if len({u.pk for u in people}) != len(people):
            raise ValidationError(f"“{step.name}”中同一审批人出现了两次。")
        inactive = [u for u in people if not u.is_active]
        if inactive:
            raise ValidationError(f"“{step.name}”的审批人{inactive[0].display_name}的账号已停用。")


@transaction.atomic
@_tells_area
def approval_submit(
    *,
    flow_code: str,
    applicant: User,
    subject: models.Model,
    title: str,
    amount: Decimal | int = 0,
    chain: Sequence[ChainStep] | None = None,
    flow_name: str = "",
) -> ApprovalRequest:
    """Fix the chain for this request and notify the first step's approvers. Without `chain` the
    flow's steps (as data) decide it; with it, the area names each step's approvers itself."""
    flow = _flow_for(flow_code, flow_name, chain)
    amount = Decimal(amount)
    steps = list(chain) if chain is not None else _chain_of_flow(flow, applicant, amount)
    _check_chain(steps)
    now = clock.now()
    request = ApprovalRequest.objects.create(
        flow=flow,
        applicant=applicant,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        title=title,
        amount=amount,
        submitted_at=now,
    )
    ApprovalStage.objects.bulk_create(
        ApprovalStage(
            request=request,
            order=n,
            group=group,
            name=step.name,
            approver=approver,
            status=StageStatus.PENDING if n == 0 else StageStatus.WAITING,
            activated_at=now if n == 0 else None,
        )
        for n, step in enumerate(steps)
        for group, approvers in step.groups()
        for approver in approvers
    )
    _record(request, EventKind.SUBMITTED, applicant, now=now, step_name=steps[0].name)
    for approver in steps[0].people():
        _notify_approver(request, approver)
    return request


def _record(
    request: ApprovalRequest,
    kind: str,
    actor: User,
    *,
    now: datetime.datetime,
    stage: ApprovalStage | None = None,
    since: datetime.datetime | None = None,
    target: User | None = None,
    note: str = "",
    step_name: str = "",
) -> ApprovalEvent:
    """Write one event; `since` is when the wait this action ends began."""
    took = working_time(since, now) if since is not None else None
    return ApprovalEvent.objects.create(
        request=request,
        stage=stage,
        kind=kind,
        step_name=step_name or (stage.name if stage else ""),
        actor=actor,
        target=target,
        created_at=now,
        waited=(now - since) if since is not None else None,
        working_days=took.days if took else None,
        working_hours=Decimal(str(took.hours)) if took else None,
        note=note,
    )


def _arrived(stage: ApprovalStage) -> datetime.datetime:
    return stage.activated_at or stage.request.submitted_at


def approver_task_key(request_id: int, user_id: int) -> str:
    """The task of deciding a request's step: an approver's 待审批 notification resolves when they
    hold no pending step of it any more (decided, 或签 by another, 转办, returned, withdrawn…)."""
    return f"approval:{request_id}:user:{user_id}"


def _settle_tasks(request: ApprovalRequest) -> None:
    stages = ApprovalStage.objects.filter(request_id=request.pk)
    holding = set(stages.filter(status=StageStatus.PENDING).values_list("approver_id", flat=True))
    for user_id in set(stages.values_list("approver_id", flat=True)) - holding:
        if user_id is not None:
            resolve_task_after_commit(approver_task_key(request.pk, user_id))


def _notify_approver(request: ApprovalRequest, approver: User, prefix: str = "待审批") -> None:
    if prefix in {"待审批", "退回重审"} and own_pages(request.flow.code):
        return  # the owning area tells its approvers itself, with a link to its page
    url = reverse("approvals:request_detail", args=[request.pk])
    key = approver_task_key(request.pk, approver.pk)
    transaction.on_commit(
        lambda: notify(
            recipient=approver,
            title=f"{prefix}：{request.title}",
            body=f"申请人：{request.applicant.display_name}",
            url=url,
            category="approval",
            task_key=key,
        )
    )


def current_stage(request: ApprovalRequest) -> ApprovalStage | None:
    """The first pending stage of the request (in a 会签 step, one of several)."""
    return request.stages.filter(status=StageStatus.PENDING).order_by("order", "id").first()


def pending_stages(request: ApprovalRequest) -> list[ApprovalStage]:
    return list(
        request.stages.filter(status=StageStatus.PENDING)
        .select_related("approver")
        .order_by("order", "id")
    )


CLOSED_STAGE = {
    StageStatus.APPROVED,
    StageStatus.REJECTED,
    StageStatus.CANCELLED,
    StageStatus.RETURNED,
    StageStatus.TRANSFERRED,
    StageStatus.SKIPPED,
}


def _lock(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update().select_related("flow").get(pk=request.pk)


def _require_pending(request: ApprovalRequest, action: str) -> None:
    if request.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请当前状态为“{request.get_status_display()}”，不能{action}。")


def _held_stage(request: ApprovalRequest, actor: User, action: str) -> ApprovalStage:
    """The actor's pending stage; a stage of theirs that has closed says the step is over."""
    stage = (
        request.stages.filter(approver=actor, status=StageStatus.PENDING)
        .order_by("order", "id")
        .first()
    )
    if stage is not None:
        return stage
    if request.stages.filter(approver=actor, round=request.round, status__in=CLOSED_STAGE).exists():
        raise ValidationError(f"您所在的审批环节已经结束，不能再{action}。")
    raise PermissionDenied("您不是该申请当前环节的审批人。")


def _finish(request: ApprovalRequest, status: str, now: datetime.datetime) -> None:
    """End the request, close what is still open, and run the owning area's outcome."""
    request.status = status
    request.decided_at = now
    request.save(update_fields=["status", "decided_at"])
    request.stages.filter(status__in=[StageStatus.PENDING, StageStatus.WAITING]).update(
        status=StageStatus.CANCELLED
    )
    handler = outcome_handler(request.flow.code)
    if handler is not None:
        handler(request)


def _activate_next(request: ApprovalRequest, after_order: int, now: datetime.datetime) -> bool:
    """Open the next step of the current round; False when there is none."""
    following = request.stages.filter(
        round=request.round, status=StageStatus.WAITING, order__gt=after_order
    ).order_by("order")
    first = following.first()
    if first is None:
        return False
    opened = list(following.filter(order=first.order).select_related("approver"))
    for stage in opened:
        stage.status = StageStatus.PENDING
        stage.activated_at = now
        stage.save(update_fields=["status", "activated_at"])
        _notify_approver(request, stage.approver)
    return True


@transaction.atomic
@_tells_area
def approval_decide(
    *,
    actor: User,
    request: ApprovalRequest,
    approve: bool,
    comment: str = "",
    stage_id: int | None = None,
) -> ApprovalRequest:
    """The actor's pending stage decides. A refusal ends the request; in a 会签 step the step closes
    on the last agreement (the request row is locked, so two answers at once close it once)."""
    locked = _lock(request)
    _require_pending(locked, "再审批")
    stage = _held_stage(locked, actor, "审批")
    if stage_id is not None:
        stage = (
            locked.stages.filter(pk=stage_id, approver=actor, status=StageStatus.PENDING).first()
            or stage
        )
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不同意时请填写审批意见。"})
    now = clock.now()
    stage.status = StageStatus.APPROVED if approve else StageStatus.REJECTED
    stage.decided_at = now
    stage.comment = comment
    stage.save(update_fields=["status", "decided_at", "comment"])
    if approve and stage.group:
        # One agreement answers for the whole 或签 group.
        locked.stages.filter(
            round=stage.round, order=stage.order, group=stage.group, status=StageStatus.PENDING
        ).update(status=StageStatus.SKIPPED)
    _record(
        locked,
        EventKind.APPROVED if approve else EventKind.REJECTED,
        actor,
        now=now,
        stage=stage,
        since=_arrived(stage),
        note=comment,
    )
    if approve:
        if locked.stages.filter(status=StageStatus.PENDING, order=stage.order).exists():
            return locked  # the 会签 step waits for its other approvers
        if _activate_next(locked, stage.order, now):
            return locked
    _finish(locked, RequestStatus.APPROVED if approve else RequestStatus.REJECTED, now)
    url = reverse("approvals:request_detail", args=[locked.pk])
    transaction.on_commit(
        lambda: notify(
            recipient=locked.applicant,
            title=f"审批{'已批准' if approve else '未批准'}：{locked.title}",
            body=comment,
            url=url,
            category="approval",
        )
    )
    return locked


@transaction.atomic
@_tells_area
def approval_withdraw(*, actor: User, request: ApprovalRequest) -> ApprovalRequest:
    """撤销申请: the applicant ends a request that is still in progress (or returned to them)."""
    locked = _lock(request)
    if locked.applicant_id != actor.pk:
        raise PermissionDenied("只有申请人可以撤回申请。")
    if locked.status not in {RequestStatus.PENDING, RequestStatus.RETURNED}:
        raise ValidationError(f"该申请当前状态为“{locked.get_status_display()}”，不能撤回。")
    now = clock.now()
    _record(locked, EventKind.WITHDRAWN, actor, now=now)
    _finish(locked, RequestStatus.WITHDRAWN, now)
    return locked


@transaction.atomic
@_tells_area
def approval_cancel(*, actor: User, request: ApprovalRequest, note: str) -> ApprovalRequest:
    """终止: the owning area ends a request its subject no longer needs (e.g. the item was closed).
    The area has already changed its subject, so its outcome handler does not run."""
    locked = _lock(request)
    if locked.status not in {RequestStatus.PENDING, RequestStatus.RETURNED}:
        return locked
    now = clock.now()
    locked.status = RequestStatus.CANCELLED
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_at"])
    locked.stages.filter(status__in=[StageStatus.PENDING, StageStatus.WAITING]).update(
        status=StageStatus.CANCELLED
    )
    _record(locked, EventKind.CANCELLED, actor, now=now, note=note)
    return locked


def account_of(person: Person | None) -> User | None:
    """The active sign-in account of a person, if any (areas naming their own approvers)."""
    return _account(person)


def step_choices(request: ApprovalRequest) -> list[tuple[int, str]]:
    """The steps a holder may send the request back to: the applicant (-1) and every earlier step,
    as (order, name)."""
    current = current_stage(request)
    if current is None:
        return []
    earlier = (
        request.stages.filter(order__lt=current.order)
        .order_by("order")
        .values_list("order", "name")
        .distinct()
    )
    return [(-1, f"申请人（{request.applicant.display_name}）"), *dict(earlier).items()]


def _copy_steps(request: ApprovalRequest, from_order: int, now: datetime.datetime) -> None:
    """Start a new round with fresh copies of the steps from `from_order` on, each as its latest
    round had it (a stage passed on by 转办 is not copied: its successor is)."""
    latest: dict[int, list[ApprovalStage]] = {}
    for stage in (
        request.stages.filter(order__gte=from_order)
        .exclude(status=StageStatus.TRANSFERRED)
        .order_by("-round", "order", "id")
    ):
        kept = latest.setdefault(stage.order, [])
        if not kept or kept[0].round == stage.round:
            kept.append(stage)
    request.round += 1
    request.save(update_fields=["round"])
    first = min(latest)
    ApprovalStage.objects.bulk_create(
        ApprovalStage(
            request=request,
            round=request.round,
            order=s.order,
            group=s.group,
            name=s.name,
            approver_id=s.approver_id,
            status=StageStatus.PENDING if s.order == first else StageStatus.WAITING,
            activated_at=now if s.order == first else None,
        )
        for order in sorted(latest)
        for s in latest[order]
    )
    for s in latest[first]:
        _notify_approver(request, s.approver, "退回重审")


@transaction.atomic
@_tells_area
def approval_return(
    *,
    actor: User,
    request: ApprovalRequest,
    to_order: int,
    reason: str,
    authorised: bool = False,
) -> ApprovalRequest:
    """退回: a holder of the current step sends the request back to an earlier step (its approvers
    decide again, then every later step does) or to the applicant (-1), who may resubmit.
    `authorised`: the owning area has checked that `actor` runs this step without holding a stage
    of it (e.g. the office returning a draft during 会签)."""
    locked = _lock(request)
    _require_pending(locked, "退回")
    held = locked.stages.filter(approver=actor, status=StageStatus.PENDING).first()
    stage = held if held is not None or not authorised else current_stage(locked)
    if stage is None:
        stage = _held_stage(locked, actor, "退回")
    if not reason.strip():
        raise ValidationError({"reason": "退回须说明理由。"})
    targets = dict(step_choices(locked))
    if to_order not in targets:
        raise ValidationError({"to_order": "只能退回到本环节之前的环节或申请人。"})
    now = clock.now()
    if held is not None:
        stage.status = StageStatus.RETURNED
        stage.decided_at = now
        stage.comment = reason.strip()
        stage.save(update_fields=["status", "decided_at", "comment"])
    locked.stages.filter(round=locked.round, status=StageStatus.PENDING).update(
        status=StageStatus.CANCELLED
    )
    _record(
        locked,
        EventKind.RETURNED,
        actor,
        now=now,
        stage=stage,
        since=_arrived(stage),
        note=f"退回至{targets[to_order]}：{reason.strip()}",
    )
    if to_order < 0:
        locked.status = RequestStatus.RETURNED
        locked.save(update_fields=["status"])
        locked.stages.filter(round=locked.round, status=StageStatus.WAITING).update(
            status=StageStatus.CANCELLED
        )
        url = reverse("approvals:request_detail", args=[locked.pk])
        transaction.on_commit(
            lambda: notify(
                recipient=locked.applicant,
                title=f"申请被退回：{locked.title}",
                body=reason.strip(),
                url=url,
                category="approval",
            )
        )
        return locked
    round_before = locked.round
    _copy_steps(locked, to_order, now)
    ApprovalStage.objects.filter(
        request=locked, round=round_before, status=StageStatus.WAITING
    ).update(status=StageStatus.CANCELLED)
    return locked


@transaction.atomic
@_tells_area
def approval_resubmit(*, actor: User, request: ApprovalRequest, note: str = "") -> ApprovalRequest:
    """重新提交: the applicant sends a returned (or recalled) request through its chain again."""
    locked = _lock(request)
    if locked.applicant_id != actor.pk:
        raise PermissionDenied("只有申请人可以重新提交。")
    if locked.status != RequestStatus.RETURNED:
        raise ValidationError(f"该申请当前状态为“{locked.get_status_display()}”，不能重新提交。")
    now = clock.now()
    locked.status = RequestStatus.PENDING
    locked.save(update_fields=["status"])
    _copy_steps(locked, 0, now)
    _record(locked, EventKind.RESUBMITTED, actor, now=now, note=note)
    return locked


def _last_closed_step(request: ApprovalRequest, before: int) -> list[ApprovalStage]:
    earlier = request.stages.filter(round=request.round, order__lt=before).order_by("-order")
    top = earlier.first()
    return list(earlier.filter(order=top.order)) if top is not None else []


def can_recall(user: User, request: ApprovalRequest) -> bool:
    """Whether `approval_recall` would let `user` take the request back now (for the page)."""
    pending = pending_stages(request)
    if request.status != RequestStatus.PENDING or not pending:
        return False
    last_event = (
        request.events.exclude(kind=EventKind.REMINDED).order_by("-created_at", "-id").first()
    )
    if last_event is None:
        return False
    if request.applicant_id == user.pk and not _last_closed_step(request, pending[0].order):
        return last_event.kind in {EventKind.SUBMITTED, EventKind.RESUBMITTED}
    return (
        last_event.kind == EventKind.APPROVED
        and last_event.actor_id == user.pk
        and any(s.pk == last_event.stage_id for s in _last_closed_step(request, pending[0].order))
    )


@transaction.atomic
@_tells_area
def approval_recall(*, actor: User, request: ApprovalRequest) -> ApprovalRequest:
    """撤回 before the next step acts: the applicant takes the request back to revise it while the
    first step has done nothing; an approver takes back an agreement while the step it opened has
    done nothing (no decision, 转办 or 加签 since)."""
    locked = _lock(request)
    _require_pending(locked, "撤回")
    pending = pending_stages(locked)
    if not pending:
        raise ValidationError("该申请没有待办环节，不能撤回。")
    order = pending[0].order
    last_event = (
        locked.events.exclude(kind=EventKind.REMINDED).order_by("-created_at", "-id").first()
    )
    now = clock.now()
    if locked.applicant_id == actor.pk and not _last_closed_step(locked, order):
        if last_event is not None and last_event.kind not in {
            EventKind.SUBMITTED,
            EventKind.RESUBMITTED,
        }:
            raise ValidationError("审批人已经办理，不能撤回；如需修改，请联系审批人退回。")
        locked.status = RequestStatus.RETURNED
        locked.save(update_fields=["status"])
        locked.stages.filter(
            round=locked.round, status__in=[StageStatus.PENDING, StageStatus.WAITING]
        ).update(status=StageStatus.CANCELLED)
        _record(locked, EventKind.RECALLED, actor, now=now, note="申请人撤回修改")
        return locked
    mine = next(
        (
            s
            for s in _last_closed_step(locked, order)
            if s.approver_id == actor.pk and s.status == StageStatus.APPROVED
        ),
        None,
    )
    if mine is None:
        raise PermissionDenied("只有申请人或上一环节的审批人可以撤回。")
    if (
        last_event is None
        or last_event.actor_id != actor.pk
        or last_event.kind != EventKind.APPROVED
        or last_event.stage_id != mine.pk
    ):
        raise ValidationError("下一环节已经办理，不能撤回。")
    for stage in pending:
        stage.status = StageStatus.WAITING
        stage.activated_at = None
        stage.save(update_fields=["status", "activated_at"])
    mine.status = StageStatus.PENDING
    mine.decided_at = None
    mine.activated_at = now
    mine.save(update_fields=["status", "decided_at", "activated_at"])
    if mine.group:
        locked.stages.filter(
            round=mine.round, order=mine.order, group=mine.group, status=StageStatus.SKIPPED
        ).update(status=StageStatus.PENDING, activated_at=now)
    _record(locked, EventKind.RECALLED, actor, now=now, stage=mine, note="撤回本环节意见")
    return locked


def _check_colleague(request: ApprovalRequest, order: int, colleague: User | None) -> User:
    if colleague is None:
        raise ValidationError({"colleague": "请选择人员。"})
    if not colleague.is_active or colleague.is_admin_role or colleague.person_id is None:
        raise ValidationError({"colleague": "只能选择在职的业务人员。"})
    if colleague.pk == request.applicant_id:
        raise ValidationError({"colleague": "不能交给申请人本人审批。"})
    if request.stages.filter(
        order=order, round=request.round, approver=colleague, status=StageStatus.PENDING
    ).exists():
        raise ValidationError({"colleague": f"{colleague.display_name}已在本环节审批。"})
    return colleague


@transaction.atomic
@_tells_area
def approval_add_signer(
    *, actor: User, request: ApprovalRequest, colleague: User | None, note: str = ""
) -> ApprovalStage:
    """加签: a holder of the current step adds a reviewer to it; the step then also waits for them."""
    locked = _lock(request)
    _require_pending(locked, "加签")
    stage = _held_stage(locked, actor, "加签")
    colleague = _check_colleague(locked, stage.order, colleague)
    now = clock.now()
    added = ApprovalStage.objects.create(
        request=locked,
        round=locked.round,
        order=stage.order,
        name=stage.name,
        approver=colleague,
        status=StageStatus.PENDING,
        activated_at=now,
    )
    _record(locked, EventKind.ADDED, actor, now=now, stage=added, target=colleague, note=note)
    _notify_approver(locked, colleague, "加签待审批")
    return added


@transaction.atomic
@_tells_area
def approval_transfer(
    *, actor: User, request: ApprovalRequest, colleague: User | None, note: str = ""
) -> ApprovalStage:
    """转办: a holder passes their stage to a colleague, who then decides in their place."""
    locked = _lock(request)
    _require_pending(locked, "转办")
    stage = _held_stage(locked, actor, "转办")
    if colleague is not None and colleague.pk == actor.pk:
        raise ValidationError({"colleague": "不能转办给自己。"})
    colleague = _check_colleague(locked, stage.order, colleague)
    now = clock.now()
    stage.status = StageStatus.TRANSFERRED
    stage.decided_at = now
    stage.comment = note
    stage.save(update_fields=["status", "decided_at", "comment"])
    passed = ApprovalStage.objects.create(
        request=locked,
        round=locked.round,
        order=stage.order,
        group=stage.group,
        name=stage.name,
        approver=colleague,
        status=StageStatus.PENDING,
        activated_at=now,
    )
    _record(
        locked,
        EventKind.TRANSFERRED,
        actor,
        now=now,
        stage=stage,
        since=_arrived(stage),
        target=colleague,
        note=note,
    )
    _notify_approver(locked, colleague, "转办待审批")
    return passed


REMIND_INTERVAL = datetime.timedelta(hours=1)


def _notify_later(recipient: User, title: str, url: str, body: str) -> None:
    transaction.on_commit(
        lambda: notify(recipient=recipient, title=title, body=body, url=url, category="approval")
    )


def can_remind(user: User, request: ApprovalRequest) -> bool:
    return request.status == RequestStatus.PENDING and (
        request.applicant_id == user.pk or is_office(user)
    )


@transaction.atomic
def approval_remind(*, actor: User, request: ApprovalRequest) -> int:
    """催办: the applicant (or the office) reminds the current step's approvers, at most once an hour
    each; returns how many were reminded."""
    locked = _lock(request)
    if not can_remind(actor, locked):
        if locked.status != RequestStatus.PENDING:
            _require_pending(locked, "催办")
        raise PermissionDenied("只有申请人或办公室可以催办。")
    now = clock.now()
    due = [
        s
        for s in pending_stages(locked)
        if s.reminded_at is None or now - s.reminded_at >= REMIND_INTERVAL
    ]
    if not due:
        raise ValidationError("一小时内已催办过当前环节的审批人，请稍后再催。")
    url = reverse("approvals:request_detail", args=[locked.pk])
    for stage in due:
        stage.reminded_at = now
        stage.save(update_fields=["reminded_at"])
        waited = working_time(_arrived(stage), now)
        _notify_later(
            stage.approver,
            f"催办：{locked.title}",
            url,
            f"已等待{waited.days}个工作日，请尽快审批。",
        )
    _record(
        locked,
        EventKind.REMINDED,
        actor,
        now=now,
        step_name=due[0].name,
        note="催办" + "、".join(s.approver.display_name for s in due),
    )
    return len(due)


@transaction.atomic
def flow_ensure(
    *, code: str, name: str, steps: list[tuple[str, str, Decimal | int]]
) -> ApprovalFlow:
    """Create a flow with default steps if it does not exist yet (areas call this from migrations
    or the demo; administrators then edit the steps as data)."""
    flow, created = ApprovalFlow.objects.get_or_create(code=code, defaults={"name": name})
    if created:
        for order, (step_name, kind, min_amount) in enumerate(steps, start=1):
            ApprovalStep.objects.create(
                flow=flow,
                order=order,
                name=step_name,
                approver_kind=kind,
                min_amount=Decimal(min_amount),
            )
    return flow


def _require_flow_manager(actor: User) -> None:
    if not actor.has_perm("organization.manage"):
        raise PermissionDenied("只有系统管理员可以维护审批流程。")


def next_step_order(flow: ApprovalFlow) -> int:
    return (flow.steps.aggregate(top=models.Max("order"))["top"] or 0) + 1


@transaction.atomic
def flow_step_save(
    *,
    actor: User,
    flow: ApprovalFlow,
    step: ApprovalStep | None,
    order: int,
    name: str,
    approver_kind: str,
    approver_person: Person | None,
    min_amount: Decimal,
) -> ApprovalStep:
    """Add a step (`step` None) or change one. Requests already submitted keep their fixed chain."""
    _require_flow_manager(actor)
    errors: dict[str, str] = {}
    same_order = flow.steps.filter(order=order)
    if step is not None:
        same_order = same_order.exclude(pk=step.pk)
    if same_order.exists():
        errors["order"] = f"顺序 {order} 已被本流程的其他步骤使用。"
    if approver_kind not in ApproverKind.values:
        errors["approver_kind"] = "未知的审批人类型。"
    elif approver_kind == ApproverKind.PERSON and approver_person is None:
        errors["approver_person"] = "审批人为“指定人员”时，请选择具体人员。"
    if min_amount < 0:
        errors["min_amount"] = "适用起点不能为负数。"
    if not name.strip():
        errors["name"] = "请填写步骤名称。"
    if errors:
        raise ValidationError(errors)
    step = step or ApprovalStep(flow=flow)
    step.order = order
    step.name = name.strip()
    step.approver_kind = approver_kind
    step.approver_person = approver_person if approver_kind == ApproverKind.PERSON else None
    step.min_amount = min_amount
    step.save()
    return step


@transaction.atomic
def flow_step_delete(*, actor: User, step: ApprovalStep) -> None:
    _require_flow_manager(actor)
    if step.flow.steps.count() <= 1:
        raise ValidationError("流程至少要保留一个步骤；如不再使用，请停用流程。")
    step.delete()


@transaction.atomic
def flow_set_active(*, actor: User, flow: ApprovalFlow, active: bool) -> ApprovalFlow:
    _require_flow_manager(actor)
    flow.is_active = active
    flow.save(update_fields=["is_active"])
    return flow
