"""In-app notifications (and the e-mail copy where configured)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message to one account. `dedup_key` makes a repeated send of the same reminder a no-op.

    A notification about a task (审批, 签收, 反馈 ...) carries the task's `task_key`; when the task is
    done, by anyone, `services.resolve_task` stamps `resolved_at` and the bell stops counting it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    category = models.CharField("类别", max_length=32, default="general")
    # NULL, not "": un-keyed notifications must not collide in the unique constraint.
    dedup_key = models.CharField("去重键", max_length=200, null=True, blank=True)  # noqa: DJ001
    # e.g. "approval-stage:12", "ledger:40:acknowledge"; NULL for a plain message.
    task_key = models.CharField("待办键", max_length=200, null=True, blank=True, db_index=True)  # noqa: DJ001
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    resolved_at = models.DateTimeField("已办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"], name="unique_notification_dedup"
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at", "resolved_at"])]

    def __str__(self) -> str:
        return self.title
