from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
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


@dataclass(frozen=True)
class ObjectLabel:
    kind: str  # the model's verbose name ("用户"), or the area's ("考勤管理") for a non-model type
    name: str  # the object's text as recorded ("张三"), or as it reads now when none was recorded
    raw: str  # "accounts.user #18", for the tooltip


def object_labels(events: list[AuditEvent]) -> dict[int, ObjectLabel]:
    """A human label for each event's object: the model's verbose name and the object's text,
    with the raw "app.model #id" kept for the tooltip (issue 10: the list showed "accounts.user #18").

    The text is the one recorded with the event (what the object was called then). Only events
    recorded without one look the object up: one query per model among them, whatever the page.
    """
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    def model_of(label: str) -> Any:
        try:
            return apps.get_model(label)
        except (LookupError, ValueError):
            return None

    missing: dict[str, set[str]] = {}
    for event in events:
        if event.object_type and event.object_id and not event.object_repr:
            missing.setdefault(event.object_type, set()).add(event.object_id)
    current: dict[tuple[str, str], str] = {}
    for label, ids in missing.items():
        model = model_of(label)
        if model is None:
            continue
        try:
            keys = [model._meta.pk.to_python(i) for i in ids]
        except (ValidationError, FieldDoesNotExist):
            continue
        for obj in model._base_manager.filter(pk__in=keys):
            current[(label, str(obj.pk))] = str(obj)
    labels: dict[int, ObjectLabel] = {}
    for event in events:
        if not event.object_type:
            continue
        model = model_of(event.object_type)
        if model is not None:
            kind = str(model._meta.verbose_name)
        else:
            try:
                kind = str(apps.get_app_config(event.object_type.split(".", 1)[0]).verbose_name)
            except LookupError:
                kind = ""
        name = event.object_repr or current.get((event.object_type, event.object_id), "")
        if not name and event.object_id:
            name = f"（已删除，编号{event.object_id}）"
        raw = event.object_type + (f" #{event.object_id}" if event.object_id else "")
        labels[event.pk] = ObjectLabel(str(kind), name, raw)
    return labels
