"""Pages of official documents: outgoing (发文) and incoming (收文) lists, a document's page with
its versions, diff, comments, countersigns, distribution and timeline, the steps, and the printed
files (.docx and PDF from the layout engine). Views parse input and call services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import get_object_for_user_or_404, is_business, restrict
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads, params
from apps.core.forms import apply_validation_error
from apps.core.types import AuthenticatedRequest
from apps.organization.models import Person, Unit

from . import rules, selectors, services
from .choices import DocumentType, IncomingStatus, OutgoingStatus
from .forms import DraftForm, GroupForm, IncomingForm, MaterialForm, ReviseForm
from .layout import render_docx, render_pdf
from .layout.pdf import PDF_CONTENT_TYPE
from .layout.word import DOCX_CONTENT_TYPE
from .models import (
    Countersign,
    DocumentAttachment,
    DraftingGroup,
    IncomingDocument,
    Material,
    OutgoingDocument,
)
from .printing import official_document


def business_required(view: Any) -> Any:
    """Documents are business: the three administrators have none (403)."""

    def wrapped(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_business(request.user):
            raise PermissionDenied("系统管理员、安全管理员和审计管理员不处理公文。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _outgoing(request: AuthenticatedRequest, pk: int) -> OutgoingDocument:
    document = get_object_for_user_or_404(
        OutgoingDocument.objects.select_related("drafting_unit", "drafter__person", "signer"),
        request.user,
        pk=pk,
    )
    if document.is_secret:
        # Every look at a 秘密 document is on the audit trail.
        record_event(action=AuditAction.VIEW, obj=document, object_repr=str(document)[:200])
    return document


def _incoming(request: AuthenticatedRequest, pk: int) -> IncomingDocument:
    document = get_object_for_user_or_404(
        IncomingDocument.objects.select_related("leader", "handling_unit", "ledger_item"),
        request.user,
        pk=pk,
    )
    if document.is_secret:
        record_event(action=AuditAction.VIEW, obj=document, object_repr=str(document)[:200])
    return document


def _refused(request: AuthenticatedRequest, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


class _Posted(dict[str, str]):
    """The POST's single values cleaned (`get`, `[]`), and its lists as sent (`getlist`)."""

    def __init__(self, raw: Any, cleaned: dict[str, str]) -> None:
        super().__init__(cleaned)
        self._raw = raw

    def getlist(self, key: str) -> list[str]:
        return list(self._raw.getlist(key))


def _run_step(request: AuthenticatedRequest, step: tuple[Any, str], document: Any) -> None:
    """Run one step of a flow; a refusal is said in Chinese and changes nothing (the service's
    transaction rolled back). A PermissionDenied goes on to the 403 page."""
    run, success = step
    try:
        # Free texts as the services may store them: without NUL (PostgreSQL refuses it), capped.
        posted = {
            key: params.clean_text(value, params.TEXT_MAX_LENGTH)
            for key, value in request.POST.items()
        }
        run(request.user, document, _Posted(request.POST, posted))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, success)


# --- outgoing ----------------------------------------------------------------------------------


@business_required
@require_GET
def outgoing_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.DocumentFilters.from_query(request.GET)
    page = Paginator(selectors.outgoing_list(request.user, filters), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "documents/outgoing_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": OutgoingStatus.choices,
            "types": DocumentType.choices,
            "can_draft": rules.can_draft(request.user),
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def outgoing_create(request: AuthenticatedRequest) -> HttpResponse:
    if not rules.can_draft(request.user):
        raise PermissionDenied("只有机关各单位的工作人员可以拟稿。")
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.DraftSpec(
            title=data["title"],
            doc_type=data["doc_type"],
            body=data["body"],
            signer=data["signer"],
            prefix=data["number_prefix"],
            recipients=data["recipients"],
            copy_to=data["copy_to"],
            secrecy=data["secrecy"] or "",
            urgency=data["urgency"] or "",
            public=data["public"],
            attachments_note=data["attachments_note"],
            countersign_units=list(data["countersign_units"]),
        )
        try:
            document = services.outgoing_create(actor=request.user, spec=spec)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="body")
        else:
            messages.success(request, "稿件已保存，可继续修改后送审。")
            return redirect("documents:outgoing_detail", pk=document.pk)
    return render(request, "documents/outgoing_form.html", {"form": form})


@business_required
@require_GET
def outgoing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _outgoing(request, pk)
    services.distribution_read(actor=request.user, document=document)
    user = request.user
    context = selectors.outgoing_page(document)
    heads = rules.head_unit_ids(user)
    context.update(
        {
            "document": document,
            "can_revise": rules.can_revise(user, document),
            "is_drafter": document.drafter_id == user.pk,
            "holds": services.holds_step(user, document),
            "can_manage": rules.can_manage(user),
            "can_sign": rules.can_sign(user, document)
            and document.status == OutgoingStatus.SIGN_OFF,
            "my_countersigns": [
                c
                for c in context["countersigns"]
                if c.unit_id in heads
                and c.status == "pending"
                and document.status == OutgoingStatus.COUNTERSIGN
            ],
            "revise_form": ReviseForm(
                initial={
                    "body": context["latest"].body,
                    "attachments_note": context["latest"].attachments_note,
                }
            ),
            "units": Unit.objects.order_by("sort_order"),
            "statuses": OutgoingStatus,
        }
    )
    return render(request, "documents/outgoing_detail.html", context)


Step = Callable[[Any, OutgoingDocument, Any], Any]
OUTGOING_STEPS: dict[str, tuple[Step, str]] = {
    "submit": (lambda u, d, p: services.outgoing_submit(actor=u, document=d), "已送审。"),
    "withdraw": (lambda u, d, p: services.outgoing_withdraw(actor=u, document=d), "已撤回。"),
    "approve": (
        lambda u, d, p: services.outgoing_approve(actor=u, document=d, note=p.get("note", "")),
        "已核稿，送下一环节。",
    ),
    "return": (
        lambda u, d, p: services.outgoing_return(actor=u, document=d, reason=p.get("reason", "")),
        "已退回拟稿人。",
    ),
    "sign": (
        lambda u, d, p: services.outgoing_sign(actor=u, document=d, note=p.get("note", "")),
        "已签发，文号已编定。",
    ),
    "seal": (lambda u, d, p: services.outgoing_seal(actor=u, document=d), "已用印。"),
    "issue": (
        lambda u, d, p: services.outgoing_issue(
            actor=u,
            document=d,
            units=list(Unit.objects.filter(pk__in=params.parse_ids(p.getlist("units")))),
        ),
        "已印发并分发。",
    ),
    "remind": (lambda u, d, p: services.outgoing_remind(actor=u, document=d), "已催阅。"),
    "void": (
        lambda u, d, p: services.outgoing_void(actor=u, document=d, reason=p.get("reason", "")),
        "已作废，文号保留不再使用。",
    ),
}


@business_required
@require_POST
def outgoing_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in OUTGOING_STEPS:
        raise Http404("未知的操作。")
    document = _outgoing(request, pk)
    _run_step(request, OUTGOING_STEPS[action], document)
    return redirect("documents:outgoing_detail", pk=document.pk)


@business_required
@require_POST
def outgoing_revise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _outgoing(request, pk)
    if not rules.can_revise(request.user, document):
        raise PermissionDenied("只有拟稿人或当前核稿人可以修改稿件。")
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正文。")
        return redirect("documents:outgoing_detail", pk=document.pk)
    try:
        version = services.outgoing_revise(
            actor=request.user, document=document, **form.cleaned_data
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, f"已保存为第{version.number}稿。")
    return redirect("documents:outgoing_detail", pk=document.pk)


@business_required
@require_POST
def countersign_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    countersign = _countersign(request, pk)
    try:
        services.countersign_answer(
            actor=request.user,
            countersign=countersign,
            agree=request.POST.get("decision") == "agree",
            opinion=params.clean_text(request.POST.get("opinion", ""), params.TEXT_MAX_LENGTH),
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "会签意见已签署。")
    return redirect("documents:outgoing_detail", pk=countersign.document_id)


def _countersign(request: AuthenticatedRequest, pk: int) -> Countersign:
    document_ids = restrict(OutgoingDocument.objects.all(), request.user).values("pk")
    countersign = (
        Countersign.objects.filter(pk=pk, document_id__in=document_ids)
        .select_related("unit")
        .first()
    )
    if countersign is None:
        raise Http404("未找到该会签，或您无权访问。")
    return countersign


@business_required
@require_POST
def version_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _outgoing(request, pk)
    version = services.latest_version(document)
    paragraph = params.Params(request.POST).integer("paragraph", minimum=0, maximum=100_000)
    try:
        services.version_comment(
            actor=request.user,
            version=version,
            paragraph=-1 if paragraph is None else paragraph,
            text=params.clean_text(request.POST.get("text", ""), params.TEXT_MAX_LENGTH),
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "意见已添加。")
    return redirect("documents:outgoing_detail", pk=document.pk)


@business_required
@require_POST
def attachment_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _outgoing(request, pk)
    if not rules.can_revise(request.user, document):
        raise PermissionDenied("只有拟稿人或当前核稿人可以添加附件。")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的附件。")
        return redirect("documents:outgoing_detail", pk=document.pk)
    try:
        services.attachment_add(actor=request.user, document=document, upload=upload)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "附件已上传。")
    return redirect("documents:outgoing_detail", pk=document.pk)


@business_required
@require_GET
def attachment_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document_ids = restrict(OutgoingDocument.objects.all(), request.user).values("pk")
    attachment = DocumentAttachment.objects.filter(pk=pk, document_id__in=document_ids).first()
    if attachment is None:
        raise Http404("未找到该附件，或您无权访问。")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件已不存在，请联系系统管理员。") from None
    record_event(
        action=AuditAction.EXPORT,
        obj=attachment.document,
        detail={"附件下载": attachment.name, "附件ID": attachment.pk},
    )
    return downloads.file_download(handle, attachment.name, "application/octet-stream")


def _file_response(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    document = _outgoing(request, pk)
    printed = official_document(document)
    content, content_type = (
        (render_docx(printed), DOCX_CONTENT_TYPE)
        if kind == "docx"
        else (render_pdf(printed), PDF_CONTENT_TYPE)
    )
    name = f"{document.number or '未编号'}_{document.title}"[:80]
    response = downloads.file_download(content, f"{name}.{kind}", content_type)
    record_event(
        action=AuditAction.EXPORT,
        obj=document,
        object_repr=str(document)[:200],
        detail={"document": "公文", "format": kind},
    )
    return response


@business_required
@require_GET
def outgoing_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _file_response(request, pk, "docx")


@business_required
@require_GET
def outgoing_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _file_response(request, pk, "pdf")


@business_required
@require_GET
def statistics(request: AuthenticatedRequest) -> HttpResponse:
    """The measures of circulation: working days from 拟稿 to 印发, the bottleneck step, the volume
    of documents and text against the year before, and the slowest documents."""
    today = clock.today()
    year = (
        params.Params(request.GET).integer("year", minimum=2000, maximum=today.year) or today.year
    )
    figures = selectors.document_statistics(request.user, year)
    chart = {
        "steps": [row["step"] for row in figures["steps"]],
        "hours": [row["hours"] for row in figures["steps"]],
        "types": [row["name"] for row in figures["by_type"]],
        "typeMean": [row["mean"] for row in figures["by_type"]],
        "typeMedian": [row["median"] for row in figures["by_type"]],
    }
    return render(
        request,
        "documents/statistics.html",
        {"figures": figures, "chart_data": chart, "years": range(today.year, today.year - 5, -1)},
    )


# --- incoming ----------------------------------------------------------------------------------


@business_required
@require_GET
def incoming_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.DocumentFilters.from_query(request.GET)
    page = Paginator(selectors.incoming_list(request.user, filters), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "documents/incoming_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": IncomingStatus.choices,
            "can_manage": rules.can_manage(request.user),
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def incoming_create(request: AuthenticatedRequest) -> HttpResponse:
    if not rules.can_manage(request.user):
        raise PermissionDenied("只有办公室可以签收登记来文。")
    form = IncomingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.IncomingSpec(
            title=data["title"],
            source_organ=data["source_organ"],
            source_number=data["source_number"],
            secrecy=data["secrecy"] or "",
            urgency=data["urgency"] or "",
            received_on=data["received_on"],
            due_on=data["due_on"],
        )
        try:
            document = services.incoming_register(actor=request.user, spec=spec)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="title")
        else:
            messages.success(request, f"已登记，收文号{document.number}。")
            return redirect("documents:incoming_detail", pk=document.pk)
    return render(request, "documents/incoming_form.html", {"form": form})


@business_required
@require_GET
def incoming_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = _incoming(request, pk)
    user = request.user
    services.incoming_read(actor=user, document=document)
    readings = list(document.readings.select_related("reader__person").order_by("sent_at", "id"))
    return render(
        request,
        "documents/incoming_detail.html",
        {
            "document": document,
            "events": list(document.events.select_related("actor__person")),
            "can_manage": rules.can_manage(user),
            "can_instruct": rules.can_instruct(user, document),
            "handles": services.handles_incoming(user, document),
            "leaders": selectors.leaders(),
            "units": Unit.objects.order_by("sort_order"),
            "statuses": IncomingStatus,
            "readings": readings,
            "unread": sum(1 for r in readings if r.read_at is None),
        },
    )


def _one(model: Any, value: str) -> Any:
    pk = params.parse_id(value)
    return model.objects.filter(pk=pk).first() if pk else None


IncomingStep = Callable[[Any, IncomingDocument, Any], Any]
INCOMING_STEPS: dict[str, tuple[IncomingStep, str]] = {
    "propose": (
        lambda u, d, p: services.incoming_propose(
            actor=u,
            document=d,
            proposal=p.get("proposal", ""),
            leader=_one(Person, p.get("leader", "")),
        ),
        "已拟办，送领导批办。",
    ),
    "instruct": (
        lambda u, d, p: services.incoming_instruct(
            actor=u,
            document=d,
            instruction=p.get("instruction", ""),
            handling_unit=_one(Unit, p.get("handling_unit", "")),
        ),
        "已批办。",
    ),
    "to_ledger": (
        lambda u, d, p: services.incoming_to_ledger(
            actor=u, document=d, deadline=params.parse_date(p.get("deadline", ""))
        ),
        "已转为督办事项并交办。",
    ),
    "handle": (lambda u, d, p: services.incoming_handle(actor=u, document=d), "已承办。"),
    "done": (
        lambda u, d, p: services.incoming_done(actor=u, document=d, result=p.get("result", "")),
        "已办结。",
    ),
    "archive": (lambda u, d, p: services.incoming_archive(actor=u, document=d), "已归档。"),
    "circulate": (
        lambda u, d, p: services.incoming_circulate(
            actor=u,
            document=d,
            leaders=list(selectors.leaders().filter(pk__in=params.parse_ids(p.getlist("leaders")))),
        ),
        "已送领导传阅。",
    ),
    "remind": (
        lambda u, d, p: services.incoming_remind(actor=u, document=d),
        "已催阅未读的领导。",
    ),
}


@business_required
@require_POST
def incoming_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in INCOMING_STEPS:
        raise Http404("未知的操作。")
    document = _incoming(request, pk)
    _run_step(request, INCOMING_STEPS[action], document)
    return redirect("documents:incoming_detail", pk=document.pk)


# --- drafting groups ---------------------------------------------------------------------------


@business_required
@require_GET
def group_list(request: AuthenticatedRequest) -> HttpResponse:
    groups = list(
        DraftingGroup.objects.select_related("lead_unit", "head").prefetch_related("members")
    )
    materials = restrict(Material.objects.all(), request.user).select_related(
        "group", "drafter__person", "leader"
    )
    by_group: dict[int, list[Material]] = {}
    for material in materials.order_by("-created_at")[:400]:
        by_group.setdefault(material.group_id, []).append(material)
    return render(
        request,
        "documents/group_list.html",
        {
            "groups": [
                {
                    "group": group,
                    "materials": by_group.get(group.pk, [])[:12],
                    "can_draft": rules.in_group(request.user, group),
                    "members": list(group.members.all()),
                }
                for group in groups
            ],
            "can_manage": rules.can_manage(request.user),
        },
    )


@business_required
@require_http_methods(["GET", "POST"])
def group_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    """设立 (no `pk`) or 调整 a drafting group: the office's page."""
    if not rules.can_manage(request.user):
        raise PermissionDenied("只有办公室可以设立和调整文稿起草小组。")
    group = None
    if pk is not None:
        group = DraftingGroup.objects.filter(pk=pk).first()
        if group is None:
            raise Http404("未找到该起草小组。")
    initial = (
        {
            "name": group.name,
            "duty": group.duty,
            "lead_unit": group.lead_unit_id,
            "head": group.head_id,
            "members": list(group.members.values_list("pk", flat=True)),
            "sort_order": group.sort_order,
        }
        if group
        else {"sort_order": DraftingGroup.objects.count() + 1}
    )
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.group_save(
                actor=request.user,
                group=group,
                spec=services.GroupSpec(
                    name=data["name"],
                    duty=data["duty"],
                    lead_unit=data["lead_unit"],
                    head=data["head"],
                    members=list(data["members"]),
                    sort_order=data["sort_order"],
                ),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"起草小组“{saved.name}”已保存。")
            return redirect("documents:group_list")
    return render(request, "documents/group_form.html", {"form": form, "group": group})


@business_required
@require_http_methods(["GET", "POST"])
def material_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    group = DraftingGroup.objects.filter(pk=pk).first()
    if group is None:
        raise Http404("未找到该起草小组。")
    if not rules.in_group(request.user, group):
        raise PermissionDenied("只有本小组成员可以起草本小组的材料。")
    form = MaterialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.MaterialSpec(
            group=group,
            title=data["title"],
            kind=data["kind"],
            leader=data["leader"],
            body=data["body"],
        )
        try:
            material = services.material_create(actor=request.user, spec=spec)
        except ValidationError as error:
            apply_validation_error(form, error, default_field="body")
        else:
            messages.success(request, "材料已保存。")
            return redirect("documents:material_detail", pk=material.pk)
    return render(request, "documents/material_form.html", {"form": form, "group": group})


def _material(request: AuthenticatedRequest, pk: int) -> Material:
    return get_object_for_user_or_404(
        Material.objects.select_related("group__head", "drafter__person", "leader"),
        request.user,
        pk=pk,
    )


@business_required
@require_GET
def material_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    material = _material(request, pk)
    user = request.user
    versions = list(material.versions.select_related("author__person").order_by("number"))
    latest = versions[-1]
    heads = rules.heads_group(user, material.group)
    return render(
        request,
        "documents/material_detail.html",
        {
            "material": material,
            "versions": versions,
            "latest": latest,
            "diff": selectors.version_diff(versions[-2], latest) if len(versions) > 1 else [],
            "events": list(material.events.select_related("actor__person", "version")),
            "is_drafter": material.drafter_id == user.pk,
            "heads": heads,
            "is_leader": bool(user.person_id) and user.person_id == material.leader_id,
            "can_revise": (material.status == "drafting" and material.drafter_id == user.pk)
            or (material.status == "review" and heads),
            "revise_form": ReviseForm(initial={"body": latest.body}),
        },
    )


MaterialStep = Callable[[Any, Material, Any], Any]
MATERIAL_STEPS: dict[str, tuple[MaterialStep, str]] = {
    "submit": (lambda u, m, p: services.material_submit(actor=u, material=m), "已送审。"),
    "review": (
        lambda u, m, p: services.material_review(
            actor=u, material=m, comment=p.get("comment", ""), passed=p.get("passed") == "1"
        ),
        "审核意见已提交。",
    ),
    "approve": (
        lambda u, m, p: services.material_approve(
            actor=u, material=m, opinion=p.get("opinion", "")
        ),
        "已签批。",
    ),
    "return": (
        lambda u, m, p: services.material_return(actor=u, material=m, reason=p.get("reason", "")),
        "已退回执笔人。",
    ),
}


@business_required
@require_POST
def material_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in MATERIAL_STEPS:
        raise Http404("未知的操作。")
    material = _material(request, pk)
    _run_step(request, MATERIAL_STEPS[action], material)
    return redirect("documents:material_detail", pk=material.pk)


@business_required
@require_POST
def material_revise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    material = _material(request, pk)
    form = ReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写正文。")
        return redirect("documents:material_detail", pk=material.pk)
    try:
        version = services.material_revise(
            actor=request.user,
            material=material,
            body=form.cleaned_data["body"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, f"已保存为第{version.number}稿。")
    return redirect("documents:material_detail", pk=material.pk)
