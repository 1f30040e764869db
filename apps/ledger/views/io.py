"""Excel out, and the supervision notice (督办通报) as .docx (imports: apps.imports, type “ledger”).

- export_xlsx: the ledger table as filtered on screen, within the user's scope;
- notice_docx: the supervision notice of one list (the office and the leaders).
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from apps.accounts.choices import Role
from apps.accounts.permissions import BUSINESS_ROLES, get_object_for_user_or_404
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock, downloads
from apps.core.types import AuthenticatedRequest

from .. import exporting, rules, selectors
from ..models import Checklist


def _require_business(request: AuthenticatedRequest) -> None:
    if request.user.role not in BUSINESS_ROLES:
        raise PermissionDenied("您的账号没有督办台账的业务权限。")


@require_GET
def export_xlsx(request: AuthenticatedRequest) -> HttpResponse:
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
    return downloads.file_download(target, f"督办台账_{now:%Y%m%d}.xlsx", downloads.XLSX)


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
    return downloads.file_download(
        content, f"{checklist.name}督办通报_{today:%Y%m%d}.docx", downloads.DOCX
    )
