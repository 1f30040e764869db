"""The ledger's pages for an external body's contact (外部单位联络员): the body's plain items
(督办事项), and on each what the body does — 签收, 阶段反馈, 申请延期, 报送办结 — through the
ledger's own services, as the contact's account. Items that an area shows on its own outsider
pages (会议材料、代表建议 …) lead there. Another body's item, or the organ's own, reads as missing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from apps.accounts.choices import Role
from apps.accounts.decorators import outsider_view
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest

from .. import outsiders, rules, selectors, services
from ..choices import OPEN_STATUSES, ExtensionStatus, Status, Warning
from ..forms import ExtensionRequestForm, FeedbackForm, NoteForm, ReportForm
from ..models import Attachment, TrackedItem
from ..policies import area_outsider_link
from ..services import TransitionError
from .items import EXTENSION_STATUSES, FEEDBACK_STATUSES

PAGE_SIZE = 30


def _body(request: AuthenticatedRequest) -> int:
    body = outsiders.body_of(request.user)
    if body is None:
        if request.user.role == Role.EXTERNAL:
            raise PermissionDenied("您的联络员资格或所在单位已停用，请与市人大常委会办公室联系。")
        raise PermissionDenied("该页面仅供外部单位联络员使用。")
    return body


def _item(body: int, pk: int) -> TrackedItem:
    return get_object_or_404(
        outsiders.body_items(body).select_related("lead_unit", "checklist"), pk=pk
    )


@outsider_view
@require_GET
def body_list(request: AuthenticatedRequest) -> HttpResponse:
    body = _body(request)
    today = clock.today()
    show = request.GET.get("show", "")
    items = selectors.with_warning(outsiders.body_items(body), today).select_related("lead_unit")
    if show != "all":
        items = items.filter(status__in=OPEN_STATUSES)
    page = Paginator(items.order_by("warning_rank", "deadline", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pending = set(
        TrackedItem.objects.filter(
            pk__in=[i.pk for i in page], extensions__status=ExtensionStatus.PENDING
        ).values_list("pk", flat=True)
    )
    rows = [
        {
            "item": item,
            "url": area_outsider_link(item) or None,
            "lead": outsiders.is_lead(item, body),
            "days": outsiders.days_label(item, today),
            "next": outsiders.next_step(item, body, item.pk in pending),
        }
        for item in page
    ]
    return render(
        request,
        "ledger/body_list.html",
        {"page": page, "rows": rows, "show": show, "Warning": Warning},
    )


FORMS: dict[str, tuple[type[forms.Form], str]] = {
    "acknowledge": (NoteForm, "id_ack_%s"),
    "feedback": (FeedbackForm, "id_feedback_%s"),
    "extension": (ExtensionRequestForm, "id_ext_%s"),
    "report": (ReportForm, "id_report_%s"),
}


def _form(action: str, data: Any = None, files: Any = None, **kw: Any) -> forms.Form:
    form_class, auto_id = FORMS[action]
    return form_class(data, files, auto_id=auto_id, **kw)


def _context(
    request: AuthenticatedRequest, body: int, item: TrackedItem, bound: dict[str, forms.Form]
) -> dict[str, Any]:
    user = request.user
    today = clock.today()
    lead = outsiders.is_lead(item, body)
    pending = item.extensions.filter(status=ExtensionStatus.PENDING).first()
    can = {
        "acknowledge": lead and item.status == Status.ASSIGNED,
        "feedback": item.status in FEEDBACK_STATUSES and rules.can_feed_back(user, item),
        "extension": lead and item.status in EXTENSION_STATUSES and pending is None,
        "report": lead and item.status in {Status.ACKNOWLEDGED, Status.IN_PROGRESS},
    }
    initial = {"feedback": {"percent": item.progress}}
    return {
        "item": item,
        "lead": lead,
        "warning": selectors.item_warning(item, today),
        "days": outsiders.days_label(item, today),
        "next": outsiders.next_step(item, body, pending is not None),
        "milestones": selectors.milestones_with_warning(item, today),
        "timeline": outsiders.body_timeline(item, body),
        "extensions": list(item.extensions.all()),
        "pending_extension": pending,
        "can": can,
        "forms": {
            action: bound.get(action) or _form(action, initial=initial.get(action))
            for action in FORMS
        },
        "open_panel": next(iter(bound), ""),
        "today": today,
    }


@outsider_view
@require_GET
def body_item(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    body = _body(request)
    item = _item(body, pk)
    if url := area_outsider_link(item):
        return redirect(url)  # the area's page shows it, with the area's own steps
    return render(request, "ledger/body_item.html", _context(request, body, item, {}))


def _run(request: AuthenticatedRequest, action: str, item: TrackedItem, data: dict) -> str:
    user = request.user
    if action == "acknowledge":
        services.item_acknowledge(actor=user, item=item, note=data["note"])
        return "已签收。请按时反馈办理进展。"
    if action == "feedback":
        report = services.feedback_submit(
            actor=user,
            item=item,
            text=data["text"],
            percent=data["percent"],
            attachments=data["attachments"],
        )
        return "配合情况已反馈牵头单位。" if report.contribution else "进展情况已反馈。"
    if action == "extension":
        services.extension_request(
            actor=user, item=item, new_deadline=data["new_deadline"], reason=data["reason"]
        )
        return "延期申请已提交，等待审批。"
    services.item_report_completion(
        actor=user, item=item, text=data["text"], attachments=data["attachments"]
    )
    return "已报送办结，等待市人大常委会办公室核验。"


DEFAULT_FIELDS = {"acknowledge": "note", "feedback": "text", "extension": "new_deadline"}


@outsider_view
def body_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """签收 / 阶段反馈 / 申请延期 / 报送办结, each through the ledger's services."""
    body = _body(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if action not in FORMS:
        raise Http404("未知的操作。")
    item = _item(body, pk)
    if area_outsider_link(item):
        raise PermissionDenied("该事项请在相应的办理页面中办理。")
    form = _form(action, request.POST, request.FILES)
    if form.is_valid():
        try:
            done = _run(request, action, item, form.cleaned_data)
        except TransitionError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("ledger:body_item", pk=item.pk)
        except ValidationError as error:
            apply_validation_error(form, error, default_field=DEFAULT_FIELDS.get(action, "text"))
        else:
            messages.success(request, done)
            return redirect("ledger:body_item", pk=item.pk)
    messages.error(request, "提交的内容有误，请按提示修改后重新提交。")
    item.refresh_from_db()
    return render(request, "ledger/body_item.html", _context(request, body, item, {action: form}))


@outsider_view
@require_GET
def body_attachment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A file on one of the timeline entries the body reads (its own, or the organ's to it)."""
    body = _body(request)
    attachment = Attachment.objects.filter(
        item__in=outsiders.body_items(body).values("pk"), pk=pk
    ).first()
    if attachment is None or attachment.event_id is None:
        raise Http404("未找到该附件，或您无权访问。")
    shown = {
        a.pk for row in outsiders.body_timeline(attachment.item, body) for a in row["attachments"]
    }
    if attachment.pk not in shown or area_outsider_link(attachment.item):
        raise Http404("未找到该附件，或您无权访问。")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在，请联系市人大常委会办公室。") from None
    record_event(
        action=AuditAction.EXPORT,
        obj=attachment.item,
        detail={"附件下载": attachment.name, "附件ID": attachment.pk},
    )
    return downloads.file_download(handle, attachment.name, "application/octet-stream")
