from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from apps.core import params

from .checkpoints import checkpoint_path, read_checkpoints
from .models import AuditAction, AuditEvent
from .services import verify_chain

ACTIONS = AuditAction.choices


@dataclass(frozen=True)
class AuditFilters:
    username: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    failed_only: bool = False

    @classmethod
    def from_query(cls, query) -> AuditFilters:
        read = params.Params(query)
        return cls(
            username=read.text("username", 150),
            action=read.choice("action", AuditAction.values),
            date_from=read.date("from"),
            date_to=read.date("to"),
            failed_only=read.flag("failed"),
        )


def event_list(filters: AuditFilters) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.order_by("-id")
    if filters.username:
        # Exact, so that the index answers it on a log of millions of rows.
        queryset = queryset.filter(actor_username=filters.username)
    if filters.action:
        queryset = queryset.filter(action=filters.action)
    if filters.date_from:
        queryset = queryset.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(created_at__date__lte=filters.date_to)
    if filters.failed_only:
        queryset = queryset.filter(success=False)
    return queryset


def chain_summary() -> dict:
    problems = list(verify_chain())
    checkpoints, _ = read_checkpoints()
    return {
        "total": AuditEvent.objects.count(),
        "problems": problems,
        "ok": not problems,
        "anchored": checkpoint_path() is not None,
        "checkpoints": len(checkpoints),
        "latest_checkpoint": max(checkpoints, key=lambda c: c.seq) if checkpoints else None,
    }
