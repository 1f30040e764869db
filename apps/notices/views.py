"""Pages of the notices (通知公告). Views parse input and call selectors and services; who may see
what is decided in `rules.py` (the scope of Notice and the gates)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import get_object_for_user_or_404, restrict
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads, params
from apps.core.forms import apply_validation_error
from apps.core.gates import requires
from apps.core.types import AuthenticatedRequest

from . import forms, rules, selectors, services
from .choices import NoticeCategory, NoticeStatus
from .models import Notice, NoticeAttachment

READERS = "notices.readers"
PUBLISH = "notices.publish"
VIEWS = {"all": "全部", "unread": "未读", "manage": "起草与撤回"}


def _notice(request: AuthenticatedRequest, pk: int, action: str = "view") -> Notice:
    return get_object_for_user_or_404(
        Notice.objects.select_related("issuer", "published_by__person", "drafted_by__person"),
        request.user,
        action,
        pk=pk,
    )


@requires(READERS)
@require_GET
def notice_list(request: AuthenticatedRequest) -> HttpResponse:
    p = params.Params(request.GET)
    can_publish = rules.can_publish(request.user)
    view = p.choice("view", [v for v in VIEWS if v != "manage" or can_publish]) or "all"
    notices = selectors.notices_for(
        request.user, include_drafts=view == "manage", unread_only=view == "unread"
    )
    if view == "manage":
        notices = notices.exclude(status=NoticeStatus.PUBLISHED)
    elif view == "all" and not can_publish:
        # A withdrawn notice is no longer on the readers' list (its page still says why).
        notices = notices.filter(status=NoticeStatus.PUBLISHED)
    if category := p.choice("category", NoticeCategory.values):
        notices = notices.filter(category=category)
    if q := p.text("q", 50):
        notices = notices.filter(title__icontains=q)
    page = Paginator(notices, 20).get_page(p.text("page", 10))
    return render(
        request,
        "notices/notice_list.html",
        {
            "page": page,
            "view": view,
            "views": [(k, v) for k, v in VIEWS.items() if k != "manage" or can_publish],
            "categories": NoticeCategory.choices,
            "category": category,
            "q": q,
            "can_publish": can_publish,
            "unread_count": selectors.unread_receipts(request.user).count(),
            "today": clock.today(),
        },
    )


@requires(PUBLISH)
@require_http_methods(["GET", "POST"])
def notice_create(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_create(
                actor=request.user, spec=form.spec(), attachments=form.cleaned_data["attachments"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "草稿已保存；核对无误后点击“发布”。")
            return redirect("notices:notice_detail", pk=notice.pk)
    return render(request, "notices/notice_form.html", {"form": form, "title": "起草通知公告"})


@requires(PUBLISH)
@require_http_methods(["GET", "POST"])
def notice_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "change")
    form = forms.NoticeForm(
        request.POST or None,
        request.FILES or None,
        notice=notice,
        initial=forms.initial_of(notice),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(
                actor=request.user,
                notice=notice,
                spec=form.spec(),
                attachments=form.cleaned_data["attachments"],
                remove_attachments=[a.pk for a in form.cleaned_data.get("remove_attachments", [])],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "草稿已修改。")
            return redirect("notices:notice_detail", pk=notice.pk)
    return render(
        request,
        "notices/notice_form.html",
        {"form": form, "title": f"修改：{notice.title}", "notice": notice},
    )


@requires(READERS)
@require_GET
def notice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    receipt = services.notice_read(reader=request.user, notice=notice)
    can_publish = rules.can_publish(request.user)
    return render(
        request,
        "notices/notice_detail.html",
        {
            "notice": notice,
            "receipt": receipt,
            "attachments": list(notice.attachments.all()),
            "can_publish": can_publish,
            "can_see_receipts": rules.can_see_receipts(request.user, notice),
            "sees_own_unit_receipts": bool(rules.own_receipt_units(request.user, notice)),
            "events": list(notice.events.select_related("actor__person")) if can_publish else [],
            "withdraw_form": forms.WithdrawForm(),
            "units": list(notice.units.all()),
        },
    )


@requires(PUBLISH)
@require_POST
def notice_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk, "change")
    try:
        services.notice_publish(actor=request.user, notice=notice)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已发布，发送{notice.receipts.count()}人。")
    return redirect("notices:notice_detail", pk=notice.pk)


@requires(PUBLISH)
@require_POST
def notice_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    form = forms.WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "；".join(str(e) for errors in form.errors.values() for e in errors)
        )
        return redirect("notices:notice_detail", pk=notice.pk)
    try:
        services.notice_withdraw(
            actor=request.user, notice=notice, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "通知已撤回，阅读人将看到撤回原因。")
    return redirect("notices:notice_detail", pk=notice.pk)


@requires(READERS)
@require_POST
def notice_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    try:
        services.notice_confirm(reader=request.user, notice=notice)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已确认知悉。")
    return redirect("notices:notice_detail", pk=notice.pk)


def _require_receipts(request: AuthenticatedRequest, notice: Notice) -> None:
    if not rules.can_see_receipts(request.user, notice):
        raise PermissionDenied("阅读情况仅发布人、办公室和常委会领导可以查看。")


@requires(READERS)
@require_GET
def notice_receipts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    everyone = rules.can_see_receipts(request.user, notice)
    own_units = None if everyone else rules.own_receipt_units(request.user, notice)
    if own_units is not None and not own_units:
        _require_receipts(request, notice)
    return render(
        request,
        "notices/notice_receipts.html",
        {
            "notice": notice,
            "summary": selectors.receipt_summary(notice, own_units),
            "own_unit_only": own_units is not None,
            "can_remind": everyone and notice.status == NoticeStatus.PUBLISHED,
        },
    )


@requires(READERS)
@require_POST
def notice_remind(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    _require_receipts(request, notice)
    try:
        count = services.notice_remind(actor=request.user, notice=notice)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已提醒{count}人。")
    return redirect("notices:notice_receipts", pk=notice.pk)


@requires(READERS)
@require_GET
def attachment_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notices = restrict(Notice.objects.all(), request.user).values("pk")
    attachment = (
        NoticeAttachment.objects.filter(pk=pk, notice_id__in=notices)
        .select_related("notice")
        .first()
    )
    if attachment is None:
        raise Http404("未找到该附件，或您无权访问。")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在，请联系系统管理员。") from None
    record_event(
        action=AuditAction.EXPORT,
        obj=attachment.notice,
        detail={"附件下载": attachment.name, "附件ID": attachment.pk},
    )
    return downloads.file_download(handle, attachment.name, "application/octet-stream")
