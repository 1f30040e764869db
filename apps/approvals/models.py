"""Approval chains as data: a flow is a list of steps; a request fixes its approvers on submission.

A request's chain is a list of steps (stages sharing an `order`); a step with several stages is
parallel (会签) and closes when every one of them has agreed. 退回 to an earlier step starts a new
`round` (copies of that step and the ones after it), so every earlier decision stays on record.
Every action is an `ApprovalEvent`: who, when, on which step and how long the step had waited.

Any area that needs approval (leave and trips, later documents and drafts) submits a request for its
own object and registers what happens when the request ends (`registry.on_decided`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .choices import ApproverKind, EventKind, RequestStatus, StageStatus


class ApprovalFlow(models.Model):
    """A named approval chain, e.g. “请假审批”. Maintained by the system administrator."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=64)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "审批流程"
        verbose_name_plural = "审批流程"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(models.Model):
    """One step of a flow; it applies only when the request's amount reaches `min_amount`."""

    flow = models.ForeignKey(
        ApprovalFlow, on_delete=models.CASCADE, related_name="steps", verbose_name="流程"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤名称", max_length=64)
    approver_kind = models.CharField("审批人", max_length=24, choices=ApproverKind.choices)
    approver_person = models.ForeignKey(
        "organization.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="指定审批人",
    )
    min_amount = models.DecimalField(
        "适用起点（如天数大于等于）", max_digits=8, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = "审批步骤"
        verbose_name_plural = "审批步骤"
        ordering = ["flow", "order"]
        constraints = [
            models.UniqueConstraint(fields=["flow", "order"], name="unique_step_order"),
            models.CheckConstraint(
                condition=~Q(approver_kind="person") | Q(approver_person__isnull=False),
                name="person_step_names_a_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.flow} · {self.order}. {self.name}"


class ApprovalRequest(models.Model):
    """A request for approval of one object of another area (a leave, a trip, a draft ...)."""

    flow = models.ForeignKey(
        ApprovalFlow, on_delete=models.PROTECT, related_name="requests", verbose_name="流程"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_requests",
        verbose_name="申请人",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField("事由", max_length=200)
    amount = models.DecimalField(
        "数量（如天数）", max_digits=8, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    round = models.PositiveSmallIntegerField("轮次", default=1)

    class Meta:
        verbose_name = "审批申请"
        verbose_name_plural = "审批申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def amount_text(self) -> str:
        """The amount as its flow counts it: “1个工作日”, never “1.00” (issue 10)."""
        from .registry import amount_text

        return amount_text(self.flow.code, self.amount)


class ApprovalStage(models.Model):
    """A step of one request with its approver fixed at submission: the request's history."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="stages", verbose_name="申请"
    )
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("步骤名称", max_length=64)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_stages",
        verbose_name="审批人",
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=StageStatus.choices,
        default=StageStatus.WAITING,
        db_index=True,
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    comment = models.TextField("审批意见", blank=True)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    # Stages of one step with the same group > 0 form a 或签 group: one agreement answers for all
    # of them (e.g. any head of a countersigning unit); group 0 stages each need their own.
    group = models.PositiveSmallIntegerField("或签组", default=0)
    activated_at = models.DateTimeField("到达时间", null=True, blank=True)
    reminded_at = models.DateTimeField("最近催办", null=True, blank=True)

    class Meta:
        verbose_name = "审批环节"
        verbose_name_plural = "审批环节"
        ordering = ["request", "round", "order", "id"]
        indexes = [models.Index(fields=["approver", "status"])]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.name}"


class ApprovalEvent(models.Model):
    """One action on a request. `waited` is wall-clock time since the step reached the actor (or
    since the previous event); `working_days` and `working_hours` count only the organ's working
    time in it (workcalendar days, office hours 08:30–17:30)."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="events", verbose_name="申请"
    )
    stage = models.ForeignKey(
        ApprovalStage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="环节",
    )
    kind = models.CharField("动作", max_length=16, choices=EventKind.choices)
    step_name = models.CharField("环节名称", max_length=64, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="办理人"
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对象",
    )
    created_at = models.DateTimeField("时间", db_index=True)
    waited = models.DurationField("用时", null=True, blank=True)
    working_days = models.PositiveIntegerField("工作日", null=True, blank=True)
    working_hours = models.DecimalField(
        "工作小时", max_digits=8, decimal_places=1, null=True, blank=True
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "审批动态"
        verbose_name_plural = "审批动态"
        ordering = ["request", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.get_kind_display()}"

    @property
    def took_text(self) -> str:
        """“2个工作日（13.5小时）”, or “” when the action closed no wait."""
        if self.working_hours is None:
            return ""
        hours = f"{self.working_hours.normalize():f}"
        if self.working_days:
            return f"{self.working_days}个工作日（{hours}工作小时）"
        return f"{hours}工作小时"
