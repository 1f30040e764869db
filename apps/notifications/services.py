"""Sending notifications. Other areas call `notify`; it never sends the same keyed reminder twice."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from apps.core import clock

from .models import Notification


def notify(
    *,
    recipient,
    title: str,
    body: str = "",
    url: str = "",
    category: str = "general",
    dedup_key: str | None = None,
    task_key: str | None = None,
    email: bool = False,
) -> Notification | None:
    """Create one notification; returns None when `dedup_key` was already sent to this recipient."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                title=title,
                body=body,
                url=url,
                category=category,
                dedup_key=dedup_key,
                task_key=task_key,
            )
    except IntegrityError:
        return None
    if email and recipient.email:
        transaction.on_commit(
            lambda: send_mail(
                title, f"{body}\n\n{url}", settings.DEFAULT_FROM_EMAIL, [recipient.email]
            )
        )
    return notification


def notify_many(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    category: str = "general",
    task_key: Callable[[Any], str | None] | None = None,
) -> int:
    """The same message to many accounts in a few INSERTs, whatever their number (an organ-wide
    notice reaches everyone); `task_key(recipient)` keys each one to that recipient's own task.
    No e-mail copy. Returns the number of notifications created."""
    rows = [
        Notification(
            recipient=recipient,
            title=title,
            body=body,
            url=url,
            category=category,
            task_key=task_key(recipient) if task_key else None,
        )
        for recipient in {r.pk: r for r in recipients}.values()
    ]
    Notification.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(id__in=notification_ids)
    return queryset.update(read_at=clock.now())


def resolve_task(task_key: str, *, prefix: bool = False) -> int:
    """The task is done (by anyone): its notifications stop needing their recipients.

    `prefix=True` resolves every task whose key starts with `task_key` (all of an item's tasks
    when it is closed, say). Returns the number of notifications resolved."""
    queryset = Notification.objects.filter(resolved_at__isnull=True)
    if prefix:
        queryset = queryset.filter(task_key__startswith=task_key)
    else:
        queryset = queryset.filter(task_key=task_key)
    return queryset.update(resolved_at=clock.now())


def resolve_task_after_commit(task_key: str, *, prefix: bool = False) -> None:
    """Resolve once the surrounding transaction commits (the notification itself may be sent on
    commit, so resolving earlier could miss it)."""
    transaction.on_commit(lambda: resolve_task(task_key, prefix=prefix))
