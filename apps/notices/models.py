"""Organ-wide notices (通知公告): what the office publishes to the whole organ or to chosen units,
and who has read (and, where asked, acknowledged) each one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.organization.models import Unit

from .choices import EventKind, NoticeCategory, NoticeStatus

TITLE_MAX_LENGTH = 120


class Notice(models.Model):
    """A notice drafted by the office; published to its audience, and possibly withdrawn (撤回).

    The audience is fixed when it is published: a `Receipt` row per recipient, so the counts of the
    receipt page do not move when people change units later."""

    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH)
    body = models.TextField("正文")
    issuer = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="发布单位"
    )
    category = models.CharField(
        "类别", max_length=16, choices=NoticeCategory.choices, default=NoticeCategory.NOTICE
    )
    whole_organ = models.BooleanField("发送全机关", default=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name="发送单位")
    requires_confirmation = models.BooleanField(
        "需确认", default=False, help_text="阅读人须点击“已知悉”确认。"
    )
    pinned = models.BooleanField("置顶", default=False)
    pinned_until = models.DateField("置顶至", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )
    created_at = models.DateTimeField("起草时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=200, blank=True)
    # The last 提醒未读; one reminder an hour per notice at most.
    reminded_at = models.DateTimeField("上次提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pinned=True) | Q(pinned_until__isnull=True),
                name="notice_pin_until_only_when_pinned",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED

    def pinned_on(self, day) -> bool:
        return self.pinned and (self.pinned_until is None or self.pinned_until >= day)

    def paragraphs(self) -> list[str]:
        """The body as plain paragraphs (blank lines and single line breaks both separate them)."""
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class Receipt(models.Model):
    """One recipient of a published notice: when they first opened it, and when they acknowledged
    it (需确认 notices). One row per notice and person (the unique constraint makes a double click,
    or two tabs, record the first reading only once)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name="通知公告"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="接收人"
    )
    # The recipient's unit when the notice was published (None: a Standing Committee leader).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在单位",
    )
    read_at = models.DateTimeField("首次阅读时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "阅读回执"
        verbose_name_plural = "阅读回执"
        ordering = ["notice", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "recipient"], name="one_receipt_per_reader"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.notice_id} · {self.recipient_id}"


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    return f"notices/{instance.notice_id}/{filename}"


class NoticeAttachment(models.Model):
    """A file published with a notice (会议议程, 报名表 ...)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name="通知公告"
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class NoticeEvent(models.Model):
    """The notice's history: drafted, edited, published, withdrawn (with the reason), reminded."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="events", verbose_name="通知公告"
    )
    kind = models.CharField("动作", max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    at = models.DateTimeField("时间")
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "通知公告动态"
        verbose_name_plural = "通知公告动态"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.get_kind_display()}"
