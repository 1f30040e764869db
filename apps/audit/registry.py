"""Catch-all recording of create / change / delete for the models an area registers.

Areas call `track(Model)` in their AppConfig.ready(). Saves then write an audit row with the changed
fields (old and new values), inside the same transaction as the change, so a rolled-back change leaves
no row and a committed change always has one. Bulk operations (bulk_create, queryset.update) bypass
signals by design: services that use them record their own event. A bulk load that goes through
the services (the demo) runs inside `bulk_load()`, which records no row events, and writes one
summary event itself.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save

from .models import AuditAction

_TRACKED: dict[type[models.Model], dict[str, Any]] = {}
_SECRET = "（已修改，内容不记录）"
# Inside `summarised_load()`, saves write no rows of their own (see there).
_SUMMARISED: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "audit_summarised_load", default=False
)


@contextlib.contextmanager
def summarised_load() -> Iterator[None]:
    """A demo load that goes through the services row by row, yet is audited as bulk loads are:
    by one summary event that the caller records (`record_event(..., object_type="<area>.demo")`),
    not by a row per saved object."""
    token = _SUMMARISED.set(True)
    try:
        yield
    finally:
        _SUMMARISED.reset(token)


def track(
    model: type[models.Model], *, ignore: set[str] | None = None, secret: set[str] | None = None
) -> None:
    _TRACKED[model] = {"ignore": set(ignore or ()), "secret": set(secret or ())}
    uid = f"audit:{model._meta.label_lower}"
    pre_save.connect(_remember_before, sender=model, dispatch_uid=uid + ":pre")
    post_save.connect(_after_save, sender=model, dispatch_uid=uid + ":post")
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + ":del")


def _field_values(instance: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _remember_before(sender, instance, raw=False, **kwargs):
    if _SUMMARISED.get():
        return
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    instance._audit_before = (
        sender._base_manager.filter(pk=instance.pk)
        .values(*[f.attname for f in sender._meta.concrete_fields])
        .first()
    )


def _saved_attnames(model: type[models.Model], update_fields: Any) -> set[str] | None:
    """The attnames an `update_fields` save wrote (None: all). Django takes field names there
    ("approver") as well as attnames ("approver_id"); the values compared are keyed by attname."""
    if not update_fields:
        return None
    saved = set()
    for name in update_fields:
        field = model._meta.get_field(name)
        saved.add(getattr(field, "attname", name))
    return saved


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or _SUMMARISED.get():
        return
    from .services import record_event

    options = _TRACKED[sender]
    after = _field_values(instance)
    before = getattr(instance, "_audit_before", None) or {}
    saved = _saved_attnames(sender, update_fields)
    changes: dict[str, Any] = {}
    for name, new in after.items():
        if name in options["ignore"] or (saved is not None and name not in saved and not created):
            continue
        old = before.get(name)
        if created or old != new:
            if name in options["secret"]:
                changes[name] = _SECRET
            else:
                changes[name] = new if created else [old, new]
    if not created and not changes:
        return  # a save that changed nothing worth recording (e.g. only last_login)
    record_event(
        action=AuditAction.CREATE if created else AuditAction.UPDATE, obj=instance, detail=changes
    )


def _after_delete(sender, instance, **kwargs):
    if _SUMMARISED.get():
        return
    from .services import record_event

    record_event(action=AuditAction.DELETE, obj=instance)
