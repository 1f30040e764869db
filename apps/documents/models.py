"""Official documents in circulation: outgoing (发文) and incoming (收文).

An outgoing document keeps every version of its draft; its state changes only through
`services.py`, and each change writes a `DocumentEvent` (who, when, from, to, how long the step
took): the events are the document's timeline and the raw material of the efficiency figures.
Its 文号 is drawn from a `NumberSequence` at 签发, under a row lock, so numbers are consecutive and
never reused. The printed file is rendered from the approved version by the layout engine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import EventRow
from apps.organization.models import Person, Unit

from .choices import (
    CountersignStatus,
    DocumentType,
    EventKind,
    IncomingStatus,
    MaterialKind,
    MaterialStatus,
    OutgoingStatus,
    Secrecy,
    Urgency,
)


class NumberSequence(models.Model):
    """The last number given under one 代字 in one year (常办发〔2026〕N号, 收〔2026〕N号)."""

    prefix = models.CharField("代字", max_length=20)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "文号序列"
        verbose_name_plural = "文号序列"
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}号"


class OutgoingDocument(models.Model):
    """A document the organ writes and sends (发文), from 拟稿 to 印发."""

    title = models.CharField("标题", max_length=200)
    doc_type = models.CharField("文种", max_length=16, choices=DocumentType.choices)
    prefix = models.CharField("发文代字", max_length=20)
    drafting_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="drafted_documents", verbose_name="拟稿单位"
    )
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="drafted_documents",
        verbose_name="拟稿人",
    )
    signer = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="documents_to_sign",
        verbose_name="签发领导",
    )
    recipients = models.CharField("主送机关", max_length=300, blank=True)
    copy_to = models.CharField("抄送机关", max_length=300, blank=True)
    secrecy = models.CharField(
        "密级", max_length=16, choices=Secrecy.choices, blank=True, default=Secrecy.NONE
    )
    urgency = models.CharField(
        "紧急程度", max_length=16, choices=Urgency.choices, blank=True, default=Urgency.NONE
    )
    public = models.BooleanField("公开发布", default=False)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=OutgoingStatus.choices,
        default=OutgoingStatus.DRAFT,
        db_index=True,
    )
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    serial = models.PositiveIntegerField("顺序号", null=True, blank=True)
    number = models.CharField("文号", max_length=40, blank=True, db_index=True)
    signed_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发稿",
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    # The approvals-engine request of the latest 送审: 核稿, 会签 and 签发 are its steps.
    approval = models.ForeignKey(
        "approvals.ApprovalRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批",
    )
    created_at = models.DateTimeField("拟稿时间", db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "发文"
        verbose_name_plural = "发文"
        ordering = ["-created_at", "-id"]
        constraints = [
            # A number is never given twice, even to a document that was later voided.
            models.UniqueConstraint(
                fields=["prefix", "year", "serial"],
                condition=Q(serial__isnull=False),
                name="unique_document_number",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def is_secret(self) -> bool:
        return self.secrecy == Secrecy.SECRET


class DraftingGroup(models.Model):
    """A drafting group (文稿起草小组) that owns the organ's major written materials."""

    name = models.CharField("名称", max_length=40, unique=True)
    duty = models.CharField("职责", max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="drafting_groups", verbose_name="牵头单位"
    )
    head = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="headed_drafting_groups", verbose_name="组长"
    )
    members = models.ManyToManyField(
        Person, blank=True, related_name="drafting_groups", verbose_name="成员"
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "文稿起草小组"
        verbose_name_plural = "文稿起草小组"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Material(models.Model):
    """A major material (work report, speech, research report) drafted by a group, reviewed in
    rounds and signed off (签批) by a leader."""

    group = models.ForeignKey(
        DraftingGroup, on_delete=models.PROTECT, related_name="materials", verbose_name="起草小组"
    )
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=MaterialKind.choices)
    drafter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="执笔人"
    )
    leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="materials_to_sign", verbose_name="签批领导"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=MaterialStatus.choices,
        default=MaterialStatus.DRAFTING,
        db_index=True,
    )
    approval = models.TextField("签批意见", blank=True)
    approved_at = models.DateTimeField("签批时间", null=True, blank=True)
    approved_version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签批稿",
    )
    # The approvals-engine request: 组长审核 then 领导签批; each review round is one of its rounds.
    approval_request = models.ForeignKey(
        "approvals.ApprovalRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批",
    )
    created_at = models.DateTimeField("起草时间", db_index=True)

    class Meta:
        verbose_name = "文稿材料"
        verbose_name_plural = "文稿材料"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One version of a draft (of an outgoing document or of a material): who wrote it, when,
    and what they said they changed."""

    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name="发文",
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name="文稿材料",
    )
    number = models.PositiveSmallIntegerField("版本号")
    body = models.TextField("正文")
    attachments_note = models.TextField("附件说明", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="修改人"
    )
    # The state the draft was in when this version was written (both flows' states).
    step = models.CharField(
        "环节", max_length=16, choices=[*OutgoingStatus.choices, *MaterialStatus.choices]
    )
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "稿件版本"
        verbose_name_plural = "稿件版本"
        ordering = ["document", "material", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                condition=Q(document__isnull=False),
                name="unique_version_number",
            ),
            models.UniqueConstraint(
                fields=["material", "number"],
                condition=Q(material__isnull=False),
                name="unique_material_version_number",
            ),
            models.CheckConstraint(
                condition=Q(document__isnull=False, material__isnull=True)
                | Q(document__isnull=True, material__isnull=False),
                name="version_of_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}稿"

    @property
    def length(self) -> int:
        """Characters of text, the measure of 文稿材料 volume (spaces and line breaks left out)."""
        return sum(1 for c in self.body if not c.isspace())


class VersionComment(models.Model):
    """A reviewer's comment on one paragraph of one version."""

    version = models.ForeignKey(
        DocumentVersion, on_delete=models.CASCADE, related_name="comments", verbose_name="版本"
    )
    paragraph = models.PositiveSmallIntegerField("段落序号")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="意见人"
    )
    text = models.TextField("意见")
    created_at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "段落意见"
        verbose_name_plural = "段落意见"
        ordering = ["version", "paragraph", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.version_id}¶{self.paragraph}"


class Countersign(models.Model):
    """One unit's part in a parallel 会签: it agrees or gives an opinion."""

    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        related_name="countersigns",
        verbose_name="发文",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name="单位")
    status = models.CharField(
        "状态", max_length=16, choices=CountersignStatus.choices, default=CountersignStatus.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="会签人",
    )
    answered_at = models.DateTimeField("会签时间", null=True, blank=True)
    opinion = models.TextField("会签意见", blank=True)

    class Meta:
        verbose_name = "会签"
        verbose_name_plural = "会签"
        ordering = ["document", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "unit"], name="one_countersign_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} · {self.unit_id}"


class Distribution(models.Model):
    """A person the issued document went to (分发), and when they read it (传阅)."""

    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        related_name="distribution",
        verbose_name="发文",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="received_documents",
        verbose_name="接收人",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位"
    )
    delivered_at = models.DateTimeField("分发时间")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    reminded_at = models.DateTimeField("最近催办", null=True, blank=True)

    class Meta:
        verbose_name = "分发"
        verbose_name_plural = "分发"
        ordering = ["document", "read_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "recipient"], name="one_distribution_per_person"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient_id}"


def attachment_path(instance: DocumentAttachment, filename: str) -> str:
    return f"documents/{instance.document_id}/{filename}"


class DocumentAttachment(models.Model):
    """An attachment (附件) of an outgoing document."""

    document = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="发文",
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("附件名称", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "发文附件"
        verbose_name_plural = "发文附件"
        ordering = ["document", "id"]

    def __str__(self) -> str:
        return self.name


class IncomingDocument(models.Model):
    """A document the organ receives (收文), from 签收登记 to 归档."""

    serial = models.PositiveIntegerField("收文顺序号")
    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField("收文号", max_length=40, unique=True)
    title = models.CharField("标题", max_length=200)
    source_organ = models.CharField("来文机关", max_length=100)
    source_number = models.CharField("来文字号", max_length=60, blank=True)
    secrecy = models.CharField(
        "密级", max_length=16, choices=Secrecy.choices, blank=True, default=Secrecy.NONE
    )
    urgency = models.CharField(
        "紧急程度", max_length=16, choices=Urgency.choices, blank=True, default=Urgency.NONE
    )
    received_on = models.DateField("收文日期")
    due_on = models.DateField("办理时限", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=IncomingStatus.choices,
        default=IncomingStatus.REGISTERED,
        db_index=True,
    )
    proposal = models.TextField("拟办意见", blank=True)
    leader = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_to_instruct",
        verbose_name="批办领导",
    )
    instruction = models.TextField("领导批示", blank=True)
    instructed_at = models.DateTimeField("批示时间", null=True, blank=True)
    handling_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_incoming",
        verbose_name="承办单位",
    )
    result = models.TextField("办理结果", blank=True)
    ledger_item = models.OneToOneField(
        "ledger.TrackedItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_document",
        verbose_name="督办事项",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", db_index=True)

    class Meta:
        verbose_name = "收文"
        verbose_name_plural = "收文"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("received_on")),
                name="due_not_before_received",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_secret(self) -> bool:
        return self.secrecy == Secrecy.SECRET


class IncomingReading(models.Model):
    """A leader an incoming document was circulated to (传阅), and when they read it."""

    document = models.ForeignKey(
        IncomingDocument, on_delete=models.CASCADE, related_name="readings", verbose_name="收文"
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="incoming_readings",
        verbose_name="传阅领导",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="送阅人"
    )
    sent_at = models.DateTimeField("送阅时间")
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    reminded_at = models.DateTimeField("最近催阅", null=True, blank=True)

    class Meta:
        verbose_name = "收文传阅"
        verbose_name_plural = "收文传阅"
        ordering = ["document", "sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "reader"], name="one_reading_per_leader")
        ]
        indexes = [models.Index(fields=["reader", "read_at"])]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.reader_id}"


class DocumentEvent(EventRow):
    """One step of a document's timeline: who, when, from which state to which, how long the
    document had waited since the previous step (the raw material of the bottleneck figures)."""

    outgoing = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="发文",
    )
    incoming = models.ForeignKey(
        IncomingDocument,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="收文",
    )
    material = models.ForeignKey(
        Material,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="文稿材料",
    )
    version = models.ForeignKey(
        "DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所审稿件",
    )
    kind = models.CharField("环节", max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
    )
    created_at = models.DateTimeField("时间", db_index=True)
    waited = models.DurationField("用时", null=True, blank=True)

    class Meta(EventRow.Meta):
        verbose_name = "公文办理动态"
        verbose_name_plural = "公文办理动态"
        constraints = [
            models.CheckConstraint(
                condition=Q(outgoing__isnull=False, incoming__isnull=True, material__isnull=True)
                | Q(outgoing__isnull=True, incoming__isnull=False, material__isnull=True)
                | Q(outgoing__isnull=True, incoming__isnull=True, material__isnull=False),
                name="event_of_one_document",
            )
        ]
        indexes = [
            models.Index(fields=["outgoing", "created_at"]),
            models.Index(fields=["incoming", "created_at"]),
            models.Index(fields=["material", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def waited_text(self) -> str:
        """用时 in words: 2天3小时, 45分钟."""
        if self.waited is None:
            return ""
        minutes = int(self.waited.total_seconds() // 60)
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            return f"{days}天{hours}小时" if hours else f"{days}天"
        if hours:
            return f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时"
        return f"{minutes}分钟"
