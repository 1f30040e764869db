"""Excel in and out, and the supervision notice (督办通报) as .docx.

- import_upload: the office uploads a ledger spreadsheet; a background task checks and imports it;
- import_status: the job's progress (htmx polls a fragment every second) and its result;
- export_xlsx: the ledger table as filtered on screen, within the user's scope;
- notice_docx: the supervision notice of one list (the office and the leaders).
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.choices import Role
from apps.accounts.permissions import BUSINESS_ROLES, get_object_for_user_or_404
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock
from apps.core.types import AuthenticatedRequest

from .. import exporting, importing, rules, selectors
from ..forms import ImportForm
from ..models import Checklist, ImportStatus

RUNNING = {ImportStatus.PENDING, ImportStatus.RUNNING}
STALE_PENDING_SECONDS = 60


@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    if not rules.can_manage(request.user):
        raise PermissionDenied("只有办公室可以导入督办台账。")
    if request.method == "GET" and request.GET.get("template"):
        response = HttpResponse(
            importing.build_import_template(), content_type=exporting.XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = exporting.attachment_disposition(
            "督办台账导入模板.xlsx", "ledger-import-template.xlsx"
        )
        return response
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            job = importing.import_job_create(
                actor=request.user,
                checklist=form.cleaned_data["checklist"],
                upload=form.cleaned_data["file"],
                assign=form.cleaned_data["assign"],
            )
            return redirect("ledger:import_status", pk=job.pk)
    else:
        initial = {}
        if (checklist := request.GET.get("checklist", "")).isdigit():
            initial["checklist"] = checklist
        form = ImportForm(initial=initial)
    return render(
        request,
        "ledger/import_upload.html",
        {
            "form": form,
            "columns": importing.COLUMNS,
            "jobs": importing.import_jobs_for(request.user)[:10],
            "max_rows": importing.max_rows(),
            "max_bytes": importing.max_bytes(),
            "max_size": importing.human_size(importing.max_bytes()),
            "deadline_forms": importing.DEADLINE_FORMS,
        },
    )


@require_GET
def import_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = importing.import_jobs_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("未找到该导入记录，或您无权查看。")
    running = job.status in RUNNING
    stale = (
        job.status == ImportStatus.PENDING
        and (clock.now() - job.created_at).total_seconds() > STALE_PENDING_SECONDS
    )
    context = {"job": job, "running": running, "stale": stale}
    if getattr(request, "htmx", False):
        return render(request, "ledger/includes/import_progress.html", context)
    return render(request, "ledger/import_status.html", context)


def _require_business(request: AuthenticatedRequest) -> None:
    if request.user.role not in BUSINESS_ROLES:
        raise PermissionDenied("您的账号没有督办台账的业务权限。")


@require_GET
def export_xlsx(request: AuthenticatedRequest) -> FileResponse:
    _require_business(request)
    filters = selectors.LedgerFilters.from_query(request.GET)
    items = selectors.ledger_items(request.user, filters)
    now = clock.localtime()
    described = exporting.describe_filters(filters)
    target = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    rows = exporting.write_ledger_xlsx(
        items,
        target,
        title="督办台账",
        subtitle=f"筛选条件：{described}　导出人：{request.user.display_name}　"
        f"导出时间：{now:%Y-%m-%d %H:%M}",
    )
    record_event(
        action=AuditAction.EXPORT,
        actor=request.user,
        object_type="ledger.trackeditem",
        object_repr=f"督办台账（{described}）",
        detail={"filters": filters.as_query(), "rows": rows},
    )
    target.seek(0)
    response = FileResponse(target, content_type=exporting.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exporting.attachment_disposition(
        f"督办台账_{now:%Y%m%d}.xlsx", f"ledger_{now:%Y%m%d}.xlsx"
    )
    return response


@require_GET
def notice_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    if not (rules.can_manage(user) or user.role == Role.LEADER):
        raise PermissionDenied("只有办公室和常委会领导可以生成督办通报。")
    checklist = get_object_for_user_or_404(Checklist.objects.all(), user, "view", pk=pk)
    today = clock.today()
    items = list(
        selectors.ledger_items(user, selectors.LedgerFilters(checklist=checklist.pk), today)
    )
    content = exporting.build_notice_docx(checklist, items, today=today)
    record_event(
        action=AuditAction.EXPORT,
        actor=user,
        obj=checklist,
        detail={"document": "督办通报", "rows": len(items)},
    )
    response = HttpResponse(content, content_type=exporting.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = exporting.attachment_disposition(
        f"{checklist.name}督办通报_{today:%Y%m%d}.docx",
        f"notice_{checklist.pk}_{today:%Y%m%d}.docx",
    )
    return response
