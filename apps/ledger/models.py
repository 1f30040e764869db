"""The closed-loop ledger: one engine for supervised matters, rectification and key tasks.

A `TrackedItem` is an assigned matter with a leading leader, a lead unit, a responsible person, a
deadline, milestones and a feedback rule. Its state changes only through `services.py`, and every
change writes an `ItemEvent` (who, when, from, to, why): the events are the item's timeline and the
raw material of every efficiency figure.

Dates that drive warnings (`warn_from`, `feedback_due`) are stored when they change, computed with
the working-day calendar, so that the ledger can filter and sort by warning colour in SQL. A date
computed from a year whose holiday arrangement is not announced yet carries a `*_provisional` flag
(shown as 预估); when the arrangement arrives, `recompute.py` computes it again from the same inputs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import EventRow
from apps.organization.models import Person, Unit

from .choices import (
    EventKind,
    ExtensionStatus,
    FeedbackRule,
    ItemKind,
    MilestoneStatus,
    Source,
    Status,
    checklist_code_base,
)


class Checklist(models.Model):
    """A named list of items (清单管理), e.g. “2026年党组交办事项清单”."""

    name = models.CharField("清单名称", max_length=120, unique=True)
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("来源", max_length=24, choices=Source.choices)
    # The list's short code, e.g. "2026巡察" (a second list of that year and source "2026巡察2"):
    # an item's number is shown as "2026巡察-023" (TrackedItem.reference), unambiguous across lists.
    code = models.CharField("清单代码", max_length=16, unique=True, editable=False)
    description = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "清单"
        verbose_name_plural = "清单"
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = next_checklist_code(self.year, self.source)
        super().save(*args, **kwargs)


def next_checklist_code(year: int, source: str) -> str:
    """ "2026巡察", or with a number after the first list of that year and source."""
    base = checklist_code_base(year, source)
    taken = set(Checklist.objects.filter(code__startswith=base).values_list("code", flat=True))
    if base not in taken:
        return base
    return next(f"{base}{n}" for n in range(2, len(taken) + 3) if f"{base}{n}" not in taken)


class TrackedItem(models.Model):
    """An assigned matter tracked from assignment to closing (销号)."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="items", verbose_name="所属清单"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="所属问题",
    )
    kind = models.CharField(
        "类型", max_length=16, choices=ItemKind.choices, default=ItemKind.MATTER
    )
    serial = models.CharField("编号", max_length=32)
    source = models.CharField("来源", max_length=24, choices=Source.choices)
    title = models.CharField("事项名称", max_length=200)
    content = models.TextField("具体内容", blank=True)
    category = models.CharField("类别", max_length=32, blank=True)
    leading_leader = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_items",
        verbose_name="领责督办领导",
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_items", verbose_name="牵头单位"
    )
    co_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_items", verbose_name="配合单位"
    )
    responsible_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_items",
        verbose_name="责任人",
    )
    trackers = models.ManyToManyField(
        Person, blank=True, related_name="tracked_items", verbose_name="跟踪问效人员"
    )
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    deadline = models.DateField("办结时限", db_index=True)
    deadline_note = models.CharField("时限说明", max_length=100, blank=True)
    # A deadline given as "N个工作日" after a base date keeps both, so that it can be computed again
    # when the holiday arrangement of its year is announced; a typed date leaves them empty.
    deadline_base = models.DateField("时限起算日", null=True, blank=True)
    deadline_workdays = models.PositiveSmallIntegerField("时限工作日数", null=True, blank=True)
    deadline_provisional = models.BooleanField("办结时限为预估", default=False)
    # A standing task (长期坚持、常态化) has no final deadline: `deadline` holds the end of its
    # list's year for sorting only; it turns red for missed feedback, never for the deadline, and
    # counts neither as on time nor as late.
    is_standing = models.BooleanField("长期任务", default=False)
    warn_from = models.DateField("临期预警起始日")
    warn_provisional = models.BooleanField("预警起始日为预估", default=False)
    feedback_rule = models.CharField(
        "反馈要求", max_length=16, choices=FeedbackRule.choices, default=FeedbackRule.NONE
    )
    feedback_workdays = models.PositiveSmallIntegerField("反馈工作日数", null=True, blank=True)
    feedback_due = models.DateField("下次反馈截止日", null=True, blank=True, db_index=True)
    # The day the feedback clock last started (assignment or the last report): `feedback_due` is
    # computed from it, and again from it when the holiday arrangement is announced.
    feedback_from = models.DateField("反馈起算日", null=True, blank=True)
    feedback_provisional = models.BooleanField("反馈截止日为预估", default=False)
    # When the item turns yellow and red, from its deadline, feedback and pending milestones;
    # stored by services.refresh_warning_dates so that the ledger filters by colour with an index.
    yellow_from = models.DateField("黄色预警起始日", null=True, blank=True)
    red_from = models.DateField("红色预警起始日", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("完成进度(%)", default=0)
    assigned_at = models.DateTimeField("交办时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    reported_at = models.DateTimeField("报办结时间", null=True, blank=True)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True, db_index=True)
    closing_evidence = models.TextField("销号依据", blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="核验人",
    )
    import_key = models.CharField("导入标识", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "serial"], name="unique_serial_per_list"),
            models.UniqueConstraint(
                fields=["checklist", "import_key"],
                condition=~Q(import_key=""),
                name="unique_import_key_per_list",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="progress_at_most_100"),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "status"]),
            models.Index(fields=["checklist", "status"]),
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["status", "red_from"]),
            models.Index(fields=["status", "yellow_from"]),
        ]

    def __str__(self) -> str:
        # The list's code when it is at hand (no query from a str() in a loop or an audit line).
        number = self.reference if TrackedItem.checklist.is_cached(self) else self.serial
        return f"{number} {self.title}"

    @property
    def reference(self) -> str:
        """The number as shown and searched: the list's code and the serial, "2026巡察-023"."""
        return f"{self.checklist.code}-{self.serial}"

    @property
    def is_open(self) -> bool:
        return self.status not in {Status.DRAFT, Status.CLOSED, Status.CANCELLED}


class Milestone(models.Model):
    """A time node (时间节点) of an item, with its own deadline and state."""

    item = models.ForeignKey(
        TrackedItem, on_delete=models.CASCADE, related_name="milestones", verbose_name="事项"
    )
    title = models.CharField("节点内容", max_length=200)
    deadline = models.DateField("节点时限", db_index=True)
    warn_from = models.DateField("临期预警起始日")
    warn_provisional = models.BooleanField("预警起始日为预估", default=False)
    status = models.CharField(
        "状态", max_length=16, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ["deadline", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.deadline} {self.title}"


class ItemEvent(EventRow):
    """One entry of an item's timeline: who did what, when, from which state to which, and why."""

    item = models.ForeignKey(
        TrackedItem, on_delete=models.CASCADE, related_name="events", verbose_name="事项"
    )
    kind = models.CharField("类别", max_length=24, choices=EventKind.choices)
    created_at = models.DateTimeField("时间", db_index=True)
    from_status = models.CharField("原状态", max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=16, choices=Status.choices, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta(EventRow.Meta):
        verbose_name = "事项动态"
        verbose_name_plural = "事项动态"
        indexes = [models.Index(fields=["item", "created_at"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.get_kind_display()}"


class ProgressReport(models.Model):
    """A unit's progress feedback (进展反馈) on an item."""

    item = models.ForeignKey(
        TrackedItem, on_delete=models.CASCADE, related_name="reports", verbose_name="事项"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="反馈人"
    )
    text = models.TextField("进展情况")
    percent = models.PositiveSmallIntegerField("完成进度(%)")
    created_at = models.DateTimeField("反馈时间", db_index=True)
    was_late = models.BooleanField("逾期反馈", default=False)
    # A co-operating unit's (配合单位) report: the lead unit reads it, but it moves nothing —
    # neither the item's state, its progress, nor its feedback deadline.
    contribution = models.BooleanField("配合单位反馈", default=False)

    class Meta:
        verbose_name = "进展反馈"
        verbose_name_plural = "进展反馈"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.percent}%"


class ExtensionRequest(models.Model):
    """A request to move an item's deadline, decided by the leading leader through the approvals
    engine (`approval`): the leader may also 转办 or 退回 it there, and every step is on record."""

    item = models.ForeignKey(
        TrackedItem, on_delete=models.CASCADE, related_name="extensions", verbose_name="事项"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间")
    old_deadline = models.DateField("原时限")
    new_deadline = models.DateField("申请延至")
    reason = models.TextField("理由")
    status = models.CharField(
        "状态", max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    approval = models.OneToOneField(
        "approvals.ApprovalRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_extension",
        verbose_name="审批",
    )

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(status="pending"), name="one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.new_deadline}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"ledger/{instance.item_id}/{filename}"


class Attachment(models.Model):
    """A file attached to an item: closing evidence, a progress report's material, a notice."""

    item = models.ForeignKey(
        TrackedItem, on_delete=models.CASCADE, related_name="attachments", verbose_name="事项"
    )
    event = models.ForeignKey(
        ItemEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name="所属动态",
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class CalendarFeedToken(models.Model):
    """The secret in a person's iCalendar feed address; calendar clients cannot sign in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ledger_feed",
        verbose_name="账号",
    )
    token = models.CharField("令牌", max_length=64, unique=True)
    created_at = models.DateTimeField("生成时间", auto_now=True)

    class Meta:
        verbose_name = "日历订阅令牌"
        verbose_name_plural = "日历订阅令牌"

    def __str__(self) -> str:
        return f"{self.user_id}"
