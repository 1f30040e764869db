"""Pages of the approvals engine: my inbox, my requests, a request's chain, deciding, withdrawing,
and the system administrator's upkeep of the flows (steps as data)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import Capability, is_office
from apps.core import params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest

from . import registry, services
from .choices import RequestStatus, StageStatus
from .forms import StepForm
from .models import ApprovalFlow, ApprovalRequest, ApprovalStage, ApprovalStep

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
    """The applicant, the request's approvers and the General Office may read a request."""
    requests = ApprovalRequest.objects.all()
    if not getattr(user, "is_authenticated", False) or user.is_admin_role:
        return requests.none()
    if is_office(user):
        return requests
    return requests.filter(Q(applicant=user) | Q(stages__approver=user)).distinct()


def _rows(requests: list[ApprovalRequest]) -> list[dict[str, Any]]:
    return [{"request": r, "summary": registry.describe(r)} for r in requests]


@business_required
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    pending = (
        ApprovalStage.objects.filter(approver=request.user, status=StageStatus.PENDING)
        .select_related("request__flow", "request__applicant__person")
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
        {"page": page, "rows": rows, "decided": decided},
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


@require_GET
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval = _get_visible(request, pk)
    stages = list(approval.stages.select_related("approver__person").order_by("order"))
    current = next((s for s in stages if s.status == StageStatus.PENDING), None)
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
            "can_decide": current is not None and current.approver_id == request.user.pk,
            "can_withdraw": approval.status == RequestStatus.PENDING
            and approval.applicant_id == request.user.pk,
            "subject_url": subject_url,
        },
    )


@require_POST
def request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    approval = _get_visible(request, pk)
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
    try:
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
