"""Deputies of five levels, their liaison stations and duty records, and their suggestions.

A suggestion (代表建议) lives here from the deputy's draft through review (立案、不予立案、转为来信);
once assigned, each answering body's part of it is a ledger `TrackedItem` of kind 代表建议 (one per
主办 or 分办 body, the 协办 bodies as its co-units), so that acknowledgement, feedback, warnings,
escalation, reminders, extension requests, statistics and the iCal feed are the ledger's own.
What the ledger has no notion of lives here: the bodies' roles and the 协办 opinion, the return
window, answers with their class, one answer letter per deputy, and the deputies' satisfaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import EventRow
from apps.ledger.models import Checklist, TrackedItem
from apps.organization.models import Person, Unit

from .choices import (
    AnswerClass,
    DutyKind,
    HandlingMode,
    HandlingRole,
    Level,
    Satisfaction,
    StationKind,
    SuggestionStatus,
)


class Station(models.Model):
    """A home of deputies (代表之家) or a liaison station (代表联络站)."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=16, choices=StationKind.choices)
    address = models.CharField("地址", max_length=200, blank=True)
    reception_rule = models.CharField("接待日安排", max_length=100, blank=True)
    # The rule that generates reception days (每月第N个星期X); 0 = no rule.
    reception_nth = models.PositiveSmallIntegerField("每月第几个", default=0)
    reception_weekday = models.PositiveSmallIntegerField("星期", default=0)  # 0 = 周一
    reception_start = models.TimeField("开始时间", null=True, blank=True)
    reception_end = models.TimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "代表之家（联络站）"
        verbose_name_plural = "代表之家（联络站）"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Deputy(models.Model):
    """A deputy living in the city; may hold mandates at several levels."""

    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=4, blank=True)
    sector = models.CharField("界别（行业）", max_length=50, blank=True)
    work_unit = models.CharField("工作单位及职务", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=32, blank=True)  # restricted: office only
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputies",
        verbose_name="所属代表之家（联络站）",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name="登录账号",
    )
    import_key = models.CharField("导入标识", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "代表"
        verbose_name_plural = "代表"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Mandate(models.Model):
    """A deputy's seat at one level, with the delegation (代表团) or constituency and the term."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="mandates", verbose_name="代表"
    )
    level = models.CharField("层级", max_length=16, choices=Level.choices)
    delegation = models.CharField("代表团（选区）", max_length=100, blank=True)
    term = models.CharField("届次", max_length=20, blank=True)

    class Meta:
        verbose_name = "代表资格"
        verbose_name_plural = "代表资格"
        ordering = ["level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "level"], name="one_mandate_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.get_level_display()}"


class DutyPointRule(models.Model):
    """Points a duty of one kind earns (configurable by the office)."""

    kind = models.CharField("履职类型", max_length=16, choices=DutyKind.choices, unique=True)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = "履职积分规则"
        verbose_name_plural = "履职积分规则"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"


class DutyRecord(models.Model):
    """One entry of a deputy's duty record (履职档案)."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="duties", verbose_name="代表"
    )
    kind = models.CharField("类型", max_length=16, choices=DutyKind.choices)
    date = models.DateField("日期", db_index=True)
    title = models.CharField("内容", max_length=200)
    points = models.DecimalField("积分", max_digits=5, decimal_places=1)
    # Where the entry came from ("suggestion:12", "activity:3", a sessions area's key ...), so that
    # a source records each duty once.
    source_key = models.CharField("来源标识", max_length=64, blank=True)

    class Meta:
        verbose_name = "履职记录"
        verbose_name_plural = "履职记录"
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "source_key"],
                condition=~Q(source_key=""),
                name="one_duty_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.date} {self.title}"


class StationActivity(models.Model):
    """A reception day (接待日) or another activity held at a station."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="activities", verbose_name="代表之家"
    )
    date = models.DateField("日期", db_index=True)
    is_reception = models.BooleanField("接待日", default=True)
    title = models.CharField("主题", max_length=200)
    attendees = models.ManyToManyField(
        Deputy, blank=True, related_name="station_activities", verbose_name="参加代表"
    )
    matters = models.TextField("群众反映的问题", blank=True)

    class Meta:
        verbose_name = "进站活动"
        verbose_name_plural = "进站活动"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date} {self.title}"


class ReceptionDay(models.Model):
    """A scheduled reception day (接待日) at a station: when, the topic, and the deputies on duty.

    A day generated from the station's rule keeps the rule's date in `planned_date` (one generated
    day per rule date); when that date is not a working day the day is moved to the next working
    day and `note` says so. `provisional` marks a date computed on a year whose holidays are not
    announced yet (预估). Once held, `activity` is what happened there."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="reception_days", verbose_name="代表之家"
    )
    date = models.DateField("日期", db_index=True)
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    topic = models.CharField("主题", max_length=200, blank=True)
    on_duty = models.ManyToManyField(
        Deputy, blank=True, related_name="reception_duties", verbose_name="值班代表"
    )
    planned_date = models.DateField("按规则的原定日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    provisional = models.BooleanField("预估", default=False)
    activity = models.OneToOneField(
        StationActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reception_day",
        verbose_name="接待记录",
    )

    class Meta:
        verbose_name = "接待日"
        verbose_name_plural = "接待日"
        ordering = ["date", "start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "planned_date"],
                condition=Q(planned_date__isnull=False),
                name="one_reception_per_rule_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.date} 接待日"

    @property
    def moved(self) -> bool:
        return self.planned_date is not None and self.planned_date != self.date


class Suggestion(models.Model):
    """A deputy's suggestion (代表建议、批评和意见), from draft to its last answer."""

    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name="会议（批次）",
    )
    serial = models.PositiveIntegerField("建议号", null=True, blank=True)
    title = models.CharField("案由", max_length=200)
    content = models.TextField("内容")
    topic = models.CharField("类别", max_length=32, blank=True, db_index=True)
    proposer = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="proposed", verbose_name="领衔代表"
    )
    signers = models.ManyToManyField(
        Deputy, through="Signature", related_name="signed", verbose_name="提出代表"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    review_note = models.TextField("审查意见", blank=True)
    mode = models.CharField("交办方式", max_length=16, choices=HandlingMode.choices, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name="并案于",
    )
    key_leader = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_suggestions",
        verbose_name="重点督办领导",
    )
    rehandled = models.BooleanField("曾重新办理", default=False)
    # The A answer checked a year later (“件件有落实”): None until checked.
    resolved_later = models.BooleanField("一年后核实已解决", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "代表建议"
        verbose_name_plural = "代表建议"
        ordering = ["checklist", "serial", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "serial"],
                condition=Q(serial__isnull=False),
                name="unique_suggestion_serial",
            )
        ]
        indexes = [models.Index(fields=["checklist", "status"])]

    def __str__(self) -> str:
        return f"第{self.serial}号 {self.title}" if self.serial else self.title

    @property
    def is_key(self) -> bool:
        return self.key_leader_id is not None


class StationMatter(models.Model):
    """One matter raised by constituents at a station activity, and what it became: a suggestion
    made in an attending deputy's name, or a ledger item assigned to the relevant body (never
    both, and once only)."""

    activity = models.ForeignKey(
        StationActivity,
        on_delete=models.CASCADE,
        related_name="matter_rows",
        verbose_name="进站活动",
    )
    text = models.TextField("群众反映的问题")
    suggestion = models.OneToOneField(
        Suggestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="station_matter",
        verbose_name="转为代表建议",
    )
    item = models.OneToOneField(
        TrackedItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="station_matter",
        verbose_name="转为督办事项",
    )
    converted_at = models.DateTimeField("转办时间", null=True, blank=True)
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="转办人",
    )

    class Meta:
        verbose_name = "群众反映问题"
        verbose_name_plural = "群众反映问题"
        ordering = ["activity", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(suggestion__isnull=True) | Q(item__isnull=True),
                name="matter_becomes_one_thing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.text[:20]}"

    @property
    def converted(self) -> bool:
        return self.suggestion_id is not None or self.item_id is not None


class Signature(models.Model):
    """A deputy who made the suggestion (the first is the proposer, 领衔; others 附议)."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="signatures", verbose_name="建议"
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="signatures", verbose_name="代表"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "提出代表"
        verbose_name_plural = "提出代表"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="sign_once")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.deputy_id}"


class Handling(models.Model):
    """A body's part in handling a suggestion: 主办, 协办 or 分办.

    An answering body (主办、分办) has its own ledger item; a 协办 body is a co-unit of the 主办's
    item and owes the 主办 its opinion by `opinion_due`. A body that sends a misassigned
    suggestion back within the window is `returned` and the office assigns another."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="handlings", verbose_name="建议"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="suggestion_handlings", verbose_name="承办单位"
    )
    role = models.CharField("承办方式", max_length=16, choices=HandlingRole.choices)
    item = models.OneToOneField(
        TrackedItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestion_handling",
        verbose_name="督办事项",
    )
    assigned_on = models.DateField("交办日期")
    return_until = models.DateField("退回期限")
    max_deadline = models.DateField("最长办理期限")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    opinion_due = models.DateField("协办意见期限", null=True, blank=True)
    opinion = models.TextField("协办意见", blank=True)
    opinion_at = models.DateTimeField("协办意见提交时间", null=True, blank=True)
    reassigned_at = models.DateTimeField("改派时间", null=True, blank=True)
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    in_follow_up = models.BooleanField("B类跟踪中", default=False)
    planned_resolution = models.DateField("计划解决时间", null=True, blank=True)

    class Meta:
        verbose_name = "承办"
        verbose_name_plural = "承办"
        ordering = ["suggestion", "role", "id"]
        indexes = [models.Index(fields=["unit", "returned_at"])]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.unit_id} {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.returned_at is None


class Answer(models.Model):
    """A body's written answer (答复) to one suggestion in one round, with its class."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="answers", verbose_name="建议"
    )
    handling = models.ForeignKey(
        Handling, on_delete=models.PROTECT, related_name="answers", verbose_name="承办"
    )
    round = models.PositiveSmallIntegerField("办理轮次")
    klass = models.CharField("答复类别", max_length=1, choices=AnswerClass.choices)
    text = models.TextField("答复内容")
    signed_by = models.CharField("签发负责人", max_length=50)
    answered_at = models.DateTimeField("答复时间", db_index=True)
    due = models.DateField("答复期限")
    on_time = models.BooleanField("按期答复")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="答复人"
    )
    concluded_at = models.DateTimeField("办结确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["answered_at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} 第{self.round}轮 {self.klass}"


class AnswerLetter(models.Model):
    """The answer as sent to one deputy who made the suggestion, and that deputy's feedback."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="letters", verbose_name="答复"
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="letters", verbose_name="代表"
    )
    satisfaction = models.CharField(
        "代表意见", max_length=16, choices=Satisfaction.choices, blank=True
    )
    feedback_note = models.TextField("意见说明", blank=True)
    feedback_at = models.DateTimeField("反馈时间", null=True, blank=True)

    class Meta:
        verbose_name = "答复函"
        verbose_name_plural = "答复函"
        ordering = ["answer", "id"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "deputy"], name="one_letter_per_deputy")
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} {self.deputy_id}"


class SuggestionEvent(EventRow):
    """One step of a suggestion's own timeline (the ledger keeps the items' steps)."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events", verbose_name="建议"
    )
    action = models.CharField("操作", max_length=32)

    class Meta(EventRow.Meta):
        verbose_name = "建议动态"
        verbose_name_plural = "建议动态"

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action}"
