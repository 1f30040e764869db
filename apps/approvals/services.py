"""Submitting and deciding approval requests."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse

from apps.accounts.models import User
from apps.core import clock
from apps.notifications.services import notify, resolve_task_after_commit
from apps.organization.choices import LeadershipTitle, UnitKind
from apps.organization.models import LeadershipPost, Person, UnitMembership

from .choices import ApproverKind, RequestStatus, StageStatus
from .models import ApprovalFlow, ApprovalRequest, ApprovalStage, ApprovalStep
from .registry import outcome_handler


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


def resolve_approver(step: ApprovalStep, applicant: User) -> User | None:
    """The account that decides `step` for `applicant` today; never the applicant themselves.

    A unit-head step for a unit head goes up: to the office head, then to the secretary-general.
    """
    candidates: list[Person | None]
    if step.approver_kind == ApproverKind.UNIT_HEAD:
        own_head = _unit_head_of(applicant.person) if applicant.person else None
        candidates = [own_head, _office_head(), _leader(LeadershipTitle.SECRETARY_GENERAL)]
    elif step.approver_kind == ApproverKind.OFFICE_HEAD:
        candidates = [_office_head(), _leader(LeadershipTitle.SECRETARY_GENERAL)]
    elif step.approver_kind == ApproverKind.SECRETARY_GENERAL:
        candidates = [_leader(LeadershipTitle.SECRETARY_GENERAL), _leader(LeadershipTitle.DIRECTOR)]
    elif step.approver_kind == ApproverKind.DIRECTOR:
        candidates = [_leader(LeadershipTitle.DIRECTOR)]
    else:
        candidates = [step.approver_person]
    for person in candidates:
        if person is not None and person.pk != applicant.person_id:
            account = _account(person)
            if account is not None:
                return account
    return None


@transaction.atomic
def approval_submit(
    *, flow_code: str, applicant: User, subject: models.Model, title: str, amount: Decimal | int = 0
) -> ApprovalRequest:
    """Fix the chain for this request and notify the first approver."""
    flow = ApprovalFlow.objects.filter(code=flow_code, is_active=True).first()
    if flow is None:
        raise ValidationError(f"审批流程“{flow_code}”不存在或已停用，请联系系统管理员。")
    amount = Decimal(amount)
    steps = [s for s in flow.steps.order_by("order") if amount >= s.min_amount]
    if not steps:
        raise ValidationError(f"审批流程“{flow.name}”没有适用的审批步骤，请联系系统管理员。")
    approvers = []
    for step in steps:
        approver = resolve_approver(step, applicant)
        if approver is None:
            raise ValidationError(
                f"无法确定“{step.name}”的审批人（{step.get_approver_kind_display()}），请联系办公室。"
            )
        approvers.append((step, approver))
    request = ApprovalRequest.objects.create(
        flow=flow,
        applicant=applicant,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        title=title,
        amount=amount,
        submitted_at=clock.now(),
    )
    ApprovalStage.objects.bulk_create(
        ApprovalStage(
            request=request,
            order=n,
            name=step.name,
            approver=approver,
            status=StageStatus.PENDING if n == 0 else StageStatus.WAITING,
        )
        for n, (step, approver) in enumerate(approvers)
    )
    _notify_approver(request, request.stages.get(order=0))
    return request


def stage_task_key(stage: ApprovalStage) -> str:
    """The task of deciding one stage: its approver's 待审批 notification resolves with it."""
    return f"approval:{stage.request_id}:stage:{stage.pk}"


def _notify_approver(request: ApprovalRequest, stage: ApprovalStage) -> None:
    url = reverse("approvals:request_detail", args=[request.pk])
    approver, key = stage.approver, stage_task_key(stage)
    transaction.on_commit(
        lambda: notify(
            recipient=approver,
            title=f"待审批：{request.title}",
            body=f"申请人：{request.applicant.display_name}",
            url=url,
            category="approval",
            task_key=key,
        )
    )


def current_stage(request: ApprovalRequest) -> ApprovalStage | None:
    return request.stages.filter(status=StageStatus.PENDING).first()


@transaction.atomic
def approval_decide(
    *, actor: User, request: ApprovalRequest, approve: bool, comment: str = ""
) -> ApprovalRequest:
    """The current stage's approver decides; a refusal ends the request, the last approval grants it."""
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请当前状态为“{locked.get_status_display()}”，不能再审批。")
    stage = current_stage(locked)
    if stage is None or stage.approver_id != actor.pk:
        raise PermissionDenied("您不是该申请当前环节的审批人。")
    if not approve and not comment.strip():
        raise ValidationError({"comment": "不同意时请填写审批意见。"})
    now = clock.now()
    stage.status = StageStatus.APPROVED if approve else StageStatus.REJECTED
    stage.decided_at = now
    stage.comment = comment
    stage.save(update_fields=["status", "decided_at", "comment"])
    resolve_task_after_commit(stage_task_key(stage))
    following = locked.stages.filter(status=StageStatus.WAITING).order_by("order").first()
    if approve and following is not None:
        following.status = StageStatus.PENDING
        following.save(update_fields=["status"])
        _notify_approver(locked, following)
        return locked
    locked.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    locked.decided_at = now
    locked.save(update_fields=["status", "decided_at"])
    locked.stages.filter(status=StageStatus.WAITING).update(status=StageStatus.CANCELLED)
    handler = outcome_handler(locked.flow.code)
    if handler is not None:
        handler(locked)
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
def approval_withdraw(*, actor: User, request: ApprovalRequest) -> ApprovalRequest:
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.applicant_id != actor.pk:
        raise PermissionDenied("只有申请人可以撤回申请。")
    if locked.status != RequestStatus.PENDING:
        raise ValidationError(f"该申请当前状态为“{locked.get_status_display()}”，不能撤回。")
    # Nobody needs to decide a withdrawn request: its approvers' notifications resolve.
    resolve_task_after_commit(f"approval:{locked.pk}:", prefix=True)
    locked.status = RequestStatus.WITHDRAWN
    locked.decided_at = clock.now()
    locked.save(update_fields=["status", "decided_at"])
    locked.stages.filter(status__in=[StageStatus.PENDING, StageStatus.WAITING]).update(
        status=StageStatus.CANCELLED
    )
    handler = outcome_handler(locked.flow.code)
    if handler is not None:
        handler(locked)
    return locked


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
