"""Pages of the approvals engine: my inbox, my requests, a request's chain, deciding, withdrawing,
and the system administrator's upkeep of the flows (steps as data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.choices import ADMIN_ROLES
from apps.accounts.models import User
from apps.accounts.permissions import Capability, is_office, sees_whole_organ
from apps.core import params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest

from . import registry, services
from .choices import RequestStatus, StageStatus
from .forms import StepForm
from .models import ApprovalFlow, ApprovalRequest, ApprovalStage, ApprovalStep
from .selectors import pending_stages

manage_required = permission_required(Capability.MANAGE_ORGANIZATION, raise_exception=True)


def business_required(view: Any) -> Any:
    """Approvals are business: the three administrators have none (403)."""

    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_admin_role:
            raise PermissionDenied("系统管理员、安全管理员和审计管理员不参与业务审批。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def visible_requests(user: Any) -> QuerySet[ApprovalRequest]:
    """The applicant, the request's approvers, the General Office and the Standing Committee's
    leaders (who see the organ's pending approvals on their dashboard) may read a request."""
    requests = ApprovalRequest.objects.all()
    if not getattr(user, "is_authenticated", False) or user.is_admin_role:
        return requests.none()
    if sees_whole_organ(user) or is_office(user):
        return requests
    return requests.filter(Q(applicant=user) | Q(stages__approver=user)).distinct()


def _rows(requests: list[ApprovalRequest]) -> list[dict[str, Any]]:
    return [{"request": r, "summary": registry.describe(r)} for r in requests]


@business_required
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    # ?scope=all: every pending stage of the organ, for those who may read every request.
    organ = request.GET.get("scope") == "all" and sees_whole_organ(request.user)
    pending = (
        pending_stages(request.user, organ=organ)
        .select_related("request__flow", "request__applicant__person", "approver__person")
        .prefetch_related("request__subject")
        .order_by("request__submitted_at")
    )
    page = Paginator(pending, 30).get_page(request.GET.get("page"))
    decided = (
        ApprovalStage.objects.filter(
            approver=request.user, status__in=[StageStatus.APPROVED, StageStatus.REJECTED]
        )
        .select_related("request__flow", "request__applicant__person")
        .order_by("-decided_at")[:10]
    )
    rows = [{"stage": s, "summary": registry.describe(s.request)} for s in page]
    return render(
        request,
        "approvals/inbox.html",
        {"page": page, "rows": rows, "decided": decided, "organ": organ},
    )


@business_required
@require_GET
def my_requests(request: AuthenticatedRequest) -> HttpResponse:
    requests = (
        ApprovalRequest.objects.filter(applicant=request.user)
        .select_related("flow")
        .prefetch_related("subject")
        .order_by("-submitted_at", "-id")
    )
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    return render(request, "approvals/my_requests.html", {"page": page, "rows": _rows(list(page))})


def _get_visible(request: AuthenticatedRequest, pk: int) -> ApprovalRequest:
    try:
        return visible_requests(request.user).select_related("flow", "applicant__person").get(pk=pk)
    except ApprovalRequest.DoesNotExist:
        raise Http404("未找到该审批申请，或您无权查看。") from None


def colleague_choices(approval: ApprovalRequest) -> QuerySet[User]:
    """Who a step may be passed to or added: active business accounts, not the applicant."""
    return (
        User.objects.filter(is_active=True, person__isnull=False)
        .exclude(role__in=sorted(ADMIN_ROLES))
        .exclude(role="")
        .exclude(pk=approval.applicant_id)
        .select_related("person")
        .order_by("person__name", "id")
    )


@require_GET
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval = _get_visible(request, pk)
    stages = list(
        approval.stages.select_related("approver__person").order_by("round", "order", "id")
    )
    user = request.user
    holds = any(s.status == StageStatus.PENDING and s.approver_id == user.pk for s in stages)
    pending = approval.status == RequestStatus.PENDING
    elsewhere = registry.own_pages(approval.flow.code)
    subject_url = ""
    subject = approval.subject
    if subject is not None and hasattr(subject, "get_absolute_url"):
        subject_url = subject.get_absolute_url()
    return render(
        request,
        "approvals/request_detail.html",
        {
            "approval": approval,
            "summary": registry.describe(approval),
            "stages": stages,
            "events": approval.events.select_related("actor__person", "target__person").order_by(
                "created_at", "id"
            ),
            "can_decide": pending and holds and not elsewhere,
            "can_pass_on": pending and holds,
            "elsewhere": elsewhere,
            "can_withdraw": approval.status in {RequestStatus.PENDING, RequestStatus.RETURNED}
            and approval.applicant_id == user.pk
            and not elsewhere,
            "can_resubmit": approval.status == RequestStatus.RETURNED
            and approval.applicant_id == user.pk
            and not elsewhere,
            "can_recall": pending and not elsewhere and services.can_recall(user, approval),
            "can_remind": services.can_remind(user, approval),
            "return_choices": services.step_choices(approval)
            if pending and holds and not elsewhere
            else [],
            "colleagues": colleague_choices(approval) if pending and holds else [],
            "subject_url": subject_url,
        },
    )


def _act(
    request: AuthenticatedRequest,
    pk: int,
    action: Any,
    done: str | Callable[[Any], str],
    on_subject: bool = False,
) -> HttpResponse:
    """Run one engine action on a visible request; a refusal is a message, never a change.
    `on_subject` actions of a flow that acts on its own pages are refused here."""
    approval = _get_visible(request, pk)
    elsewhere = registry.own_pages(approval.flow.code)
    try:
        if on_subject and elsewhere:
            raise ValidationError(f"该申请请在{elsewhere}办理。")
        result = action(approval)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect("approvals:request_detail", pk=pk)


def _colleague(request: AuthenticatedRequest) -> User | None:
    """The chosen person, or None (the service then says “请选择人员”)."""
    colleague_id = params.parse_id(request.POST.get("colleague", ""))
    return User.objects.filter(pk=colleague_id).first() if colleague_id else None


@require_POST
def request_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def action(approval: ApprovalRequest) -> ApprovalRequest:
        # -1: back to the applicant (退回修改); otherwise the order of an earlier step.
        to_order = params.parse_int(request.POST.get("to_order", ""), minimum=-1, maximum=999)
        if to_order is None:
            raise ValidationError("请选择退回到哪个环节。")
        return services.approval_return(
            actor=request.user,
            request=approval,
            to_order=to_order,
            reason=params.clean_text(request.POST.get("reason", ""), 5000),
        )

    return _act(request, pk, action, "已退回。", on_subject=True)


@require_POST
def request_recall(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda approval: services.approval_recall(actor=request.user, request=approval),
        "已撤回。",
        on_subject=True,
    )


@require_POST
def request_resubmit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda approval: services.approval_resubmit(
            actor=request.user,
            request=approval,
            note=params.clean_text(request.POST.get("note", ""), 5000),
        ),
        "已重新提交。",
        on_subject=True,
    )


@require_POST
def request_add_signer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda approval: services.approval_add_signer(
            actor=request.user,
            request=approval,
            colleague=_colleague(request),
            note=params.clean_text(request.POST.get("note", ""), 5000),
        ),
        lambda stage: f"已加签：{stage.approver.display_name}。",
    )


@require_POST
def request_transfer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda approval: services.approval_transfer(
            actor=request.user,
            request=approval,
            colleague=_colleague(request),
            note=params.clean_text(request.POST.get("note", ""), 5000),
        ),
        lambda stage: f"已转办给{stage.approver.display_name}。",
    )


@require_POST
def request_remind(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda approval: services.approval_remind(actor=request.user, request=approval),
        lambda count: f"已催办{count}人。",
    )


@require_POST
def request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval = _get_visible(request, pk)
    elsewhere = registry.own_pages(approval.flow.code)
    if elsewhere:
        messages.error(request, f"该申请请在{elsewhere}办理。")
        return redirect("approvals:request_detail", pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in {"approve", "reject"}:
        messages.error(request, "请选择“同意”或“不同意”。")
        return redirect("approvals:request_detail", pk=pk)
    try:
        services.approval_decide(
            actor=request.user,
            request=approval,
            approve=decision == "approve",
            comment=params.clean_text(request.POST.get("comment", ""), params.TEXT_MAX_LENGTH),
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("approvals:request_detail", pk=pk)
    messages.success(request, "已同意。" if decision == "approve" else "已退回（不同意）。")
    return redirect("approvals:request_detail", pk=pk)


@require_POST
def request_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval = _get_visible(request, pk)
    elsewhere = registry.own_pages(approval.flow.code)
    try:
        if elsewhere:
            raise ValidationError(f"该申请请在{elsewhere}办理。")
        services.approval_withdraw(actor=request.user, request=approval)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "申请已撤回。")
    return redirect("approvals:request_detail", pk=pk)


# ---------------------------------------------------------------------------------------------
# Flows (system administrator)
# ---------------------------------------------------------------------------------------------


@manage_required
@require_GET
def flow_list(request: AuthenticatedRequest) -> HttpResponse:
    flows = ApprovalFlow.objects.prefetch_related("steps").order_by("code")
    return render(request, "approvals/flow_list.html", {"flows": flows})


@manage_required
@require_http_methods(["GET", "POST"])
def flow_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The flow's steps, and one form to add (no `step`) or edit (`?step=<id>`) a step; a POST with
    `delete=<id>` removes a step. Requests already submitted keep their fixed chain."""
    flow = get_object_or_404(ApprovalFlow, pk=pk)
    raw_step = request.POST.get("step") or request.GET.get("step")
    step = (
        get_object_or_404(ApprovalStep, pk=params.parse_id(raw_step), flow=flow)
        if raw_step
        else None
    )
    if request.method == "POST" and request.POST.get("delete"):
        target = get_object_or_404(
            ApprovalStep, pk=params.parse_id(request.POST["delete"]), flow=flow
        )
        try:
            services.flow_step_delete(actor=request.user, step=target)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"已删除步骤“{target.name}”。")
        return redirect("approvals:flow_detail", pk=pk)
    if request.method == "POST" and request.POST.get("toggle") == "active":
        services.flow_set_active(actor=request.user, flow=flow, active=not flow.is_active)
        messages.success(request, "流程已启用。" if flow.is_active else "流程已停用。")
        return redirect("approvals:flow_detail", pk=pk)
    initial = StepForm.initial_for(step) if step else {"order": services.next_step_order(flow)}
    form = StepForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.flow_step_save(
                actor=request.user, flow=flow, step=step, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"步骤“{saved.name}”已保存。")
            return redirect("approvals:flow_detail", pk=pk)
    return render(
        request,
        "approvals/flow_detail.html",
        {
            "flow": flow,
            "steps": flow.steps.select_related("approver_person").order_by("order"),
            "form": form,
            "editing": step,
        },
    )
