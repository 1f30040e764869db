"""Attendance (考勤): clocks, schedules, requests with approval, explained daily results, points.

A day's result is never typed in: it is computed by `services.results_compute_range` from the clocks,
the schedule, the working-day calendar and the approved requests, and it stores which of them
produced it (`reasons`, `explanation`), so that every figure of a notice can be traced back.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from .choices import (
    ClockKind,
    ClockSource,
    DayPart,
    DayStatus,
    LeaveType,
    PointBasis,
    RequestKind,
    RequestStatus,
)

MONTH_DAY = RegexValidator(
    r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", "请按“月-日”格式填写，如 05-01。"
)


class AttendancePolicy(models.Model):
    """The organ's attendance settings (one row), maintained by the system administrator."""

    allowed_networks = models.TextField(
        "允许打卡的网络",
        blank=True,
        help_text="每行一个 IP 地址或网段（CIDR），如 10.12.0.0/16；留空表示不限网络。",
    )
    duplicate_window_seconds = models.PositiveIntegerField(
        "重复打卡合并时间（秒）",
        default=60,
        help_text="同一人在此时间内的多次点击只记一次。",
    )
    points_total_cap = models.DecimalField(
        "年度加减分总分上限（绝对值）",
        max_digits=6,
        decimal_places=2,
        default=Decimal("5"),
        help_text="年度考勤加减分合计不超过正负此值。",
    )

    class Meta:
        verbose_name = "考勤设置"
        verbose_name_plural = "考勤设置"

    def __str__(self) -> str:
        return "考勤设置"

    @classmethod
    def current(cls) -> AttendancePolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def network_lines(self) -> list[str]:
        return [line.strip() for line in self.allowed_networks.splitlines() if line.strip()]


class Schedule(models.Model):
    """Working hours: the organ's default, a unit's or a person's (person > unit > organ).

    Summer hours apply from `summer_from` to `summer_to` (month-day, every year). Arriving later than
    start + grace is late; later than start + half_day_minutes counts as half a day's absence (the
    same for leaving early). A half-day request moves the expected arrival or departure to `midday`.
    """

    name = models.CharField("名称", max_length=64)
    unit = models.OneToOneField(
        "organization.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_schedule",
        verbose_name="适用单位",
    )
    person = models.OneToOneField(
        "organization.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendance_schedule",
        verbose_name="适用人员",
    )
    work_start = models.TimeField("上班时间", default=datetime.time(9, 0))
    work_end = models.TimeField("下班时间", default=datetime.time(17, 0))
    summer_from = models.CharField(
        "夏季作息起", max_length=5, blank=True, validators=[MONTH_DAY], help_text="如 05-01"
    )
    summer_to = models.CharField(
        "夏季作息止", max_length=5, blank=True, validators=[MONTH_DAY], help_text="如 09-30"
    )
    summer_work_start = models.TimeField("夏季上班时间", null=True, blank=True)
    summer_work_end = models.TimeField("夏季下班时间", null=True, blank=True)
    midday = models.TimeField("半天分界时间", default=datetime.time(12, 0))
    grace_minutes = models.PositiveSmallIntegerField("弹性时间（分钟）", default=5)
    half_day_minutes = models.PositiveSmallIntegerField(
        "计为旷工半天的迟到/早退（分钟）", default=120
    )

    class Meta:
        verbose_name = "作息时间"
        verbose_name_plural = "作息时间"
        ordering = ["person", "unit", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(person__isnull=True),
                name="schedule_for_unit_or_person",
            ),
            models.CheckConstraint(
                condition=Q(work_end__gt=models.F("work_start")), name="schedule_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_label(self) -> str:
        if self.person_id:
            return f"个人：{self.person}"
        if self.unit_id:
            return f"单位：{self.unit}"
        return "机关默认"

    def in_summer(self, day: datetime.date) -> bool:
        if not (self.summer_from and self.summer_to and self.summer_work_start):
            return False
        key = f"{day:%m-%d}"
        if self.summer_from <= self.summer_to:
            return self.summer_from <= key <= self.summer_to
        return key >= self.summer_from or key <= self.summer_to  # a range across the new year

    def hours_on(self, day: datetime.date) -> tuple[datetime.time, datetime.time, str]:
        if self.in_summer(day):
            return (
                self.summer_work_start or self.work_start,
                self.summer_work_end or self.work_end,
                "夏季作息",
            )
        return self.work_start, self.work_end, "冬季作息" if self.summer_from else "作息"


class AttendanceRequest(models.Model):
    """A leave, business trip, official outing or missed-clock correction, approved through the
    approvals engine (`approval` is its request there)."""

    person = models.ForeignKey(
        "organization.Person",
        on_delete=models.PROTECT,
        related_name="attendance_requests",
        verbose_name="申请人",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="提交账号",
    )
    kind = models.CharField("类别", max_length=16, choices=RequestKind.choices)
    leave_type = models.CharField("假别", max_length=16, choices=LeaveType.choices, blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    day_part = models.CharField("时段", max_length=8, choices=DayPart.choices, default=DayPart.FULL)
    days = models.DecimalField("工作日天数", max_digits=6, decimal_places=1, default=Decimal("0"))
    destination = models.CharField("地点", max_length=100, blank=True)
    reason = models.TextField("事由")
    correction_kind = models.CharField(
        "补卡类别", max_length=8, choices=ClockKind.choices, blank=True
    )
    correction_time = models.TimeField("补卡时间", null=True, blank=True)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    approval = models.OneToOneField(
        "approvals.ApprovalRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance_request",
        verbose_name="审批",
    )
    created_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "考勤申请"
        verbose_name_plural = "考勤申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="request_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["person", "start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.label} {self.period_label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("attendance:request_detail", args=[self.pk])

    @property
    def label(self) -> str:
        if self.kind == RequestKind.LEAVE and self.leave_type:
            return self.get_leave_type_display()
        if self.kind == RequestKind.CORRECTION and self.correction_kind:
            return f"补卡（{self.get_correction_kind_display()}）"
        return self.get_kind_display()

    @property
    def period_label(self) -> str:
        if self.start_date == self.end_date:
            part = "" if self.day_part == DayPart.FULL else self.get_day_part_display()
            return f"{self.start_date:%Y-%m-%d}{part}"
        return f"{self.start_date:%Y-%m-%d}至{self.end_date:%Y-%m-%d}"

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class ClockRecord(models.Model):
    """One clock, at the server's time. Corrections approved through a request are clocks too,
    marked as such and linked to their request."""

    person = models.ForeignKey(
        "organization.Person",
        on_delete=models.PROTECT,
        related_name="clock_records",
        verbose_name="人员",
    )
    at = models.DateTimeField("打卡时间")
    day = models.DateField("考勤日期")
    kind = models.CharField("类别", max_length=8, choices=ClockKind.choices)
    source = models.CharField(
        "来源", max_length=16, choices=ClockSource.choices, default=ClockSource.TAP
    )
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    correction = models.ForeignKey(
        AttendanceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clocks",
        verbose_name="补卡申请",
    )

    class Meta:
        verbose_name = "打卡记录"
        verbose_name_plural = "打卡记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["person", "day"]), models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M:%S}"


class DailyResult(models.Model):
    """A person's attendance on one day, with the reasons that produced it.

    `unit` is the person's posting on that day, so a notice counts a rotated cadre in the unit where
    they actually worked. `reasons` are the sentences shown to people; `explanation` holds the ids
    (clocks, schedule, requests) and the calendar facts behind them.
    """

    person = models.ForeignKey(
        "organization.Person",
        on_delete=models.CASCADE,
        related_name="attendance_results",
        verbose_name="人员",
    )
    day = models.DateField("日期")
    unit = models.ForeignKey(
        "organization.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在单位",
    )
    status = models.CharField("结果", max_length=16, choices=DayStatus.choices)
    is_workday = models.BooleanField("工作日", default=False)
    # Judged on a day of a year whose holiday arrangement was not announced yet (预估); judged
    # again when it is (`apps.py` registers the listener with the calendar).
    provisional = models.BooleanField("按预估日历判定", default=False)
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="作息",
    )
    expected_start = models.TimeField("应到时间", null=True, blank=True)
    expected_end = models.TimeField("应退时间", null=True, blank=True)
    first_in = models.DateTimeField("上班打卡", null=True, blank=True)
    last_out = models.DateTimeField("下班打卡", null=True, blank=True)
    late_minutes = models.PositiveIntegerField("迟到分钟", default=0)
    early_minutes = models.PositiveIntegerField("早退分钟", default=0)
    is_late = models.BooleanField("迟到", default=False)
    is_early = models.BooleanField("早退", default=False)
    missing_in = models.BooleanField("上班缺卡", default=False)
    missing_out = models.BooleanField("下班缺卡", default=False)
    absence_days = models.DecimalField("旷工天数", max_digits=3, decimal_places=1, default=0)
    leave_days = models.DecimalField("请假天数", max_digits=3, decimal_places=1, default=0)
    away_days = models.DecimalField("出差公出天数", max_digits=3, decimal_places=1, default=0)
    reasons = models.JSONField("判定依据", default=list)
    explanation = models.JSONField("依据明细", default=dict)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "每日考勤结果"
        verbose_name_plural = "每日考勤结果"
        ordering = ["day", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="one_result_per_person_day")
        ]
        # PostgreSQL also has a covering index for the notices' month aggregates, created by
        # migration 0003 outside the model state (SQLite has no INCLUDE, and Django warns).
        indexes = [models.Index(fields=["day", "unit"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.person} {self.day:%Y-%m-%d} {self.get_status_display()}"

    @property
    def missing_clocks(self) -> int:
        return int(self.missing_in) + int(self.missing_out)


class PointRule(models.Model):
    """A year-end point rule (年底评优加减分项), e.g. each late −0.5 with a cap of −3."""

    name = models.CharField("名称", max_length=64)
    basis = models.CharField("计分依据", max_length=24, choices=PointBasis.choices)
    points = models.DecimalField(
        "每次分值", max_digits=5, decimal_places=2, help_text="加分为正，减分为负。"
    )
    cap = models.DecimalField(
        "本项上限（绝对值）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="留空表示不设上限。",
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考勤加减分规则"
        verbose_name_plural = "考勤加减分规则"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class YearPoints(models.Model):
    """A person's attendance points for a year: the sum of the entries, within the total cap.
    This is what the year-end evaluation reads."""

    person = models.ForeignKey(
        "organization.Person",
        on_delete=models.CASCADE,
        related_name="attendance_points",
        verbose_name="人员",
    )
    year = models.PositiveSmallIntegerField("年度")
    raw_total = models.DecimalField("各项合计", max_digits=6, decimal_places=2, default=0)
    total = models.DecimalField("考勤得分", max_digits=6, decimal_places=2, default=0)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "年度考勤加减分"
        verbose_name_plural = "年度考勤加减分"
        ordering = ["year", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="one_points_per_person_year")
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}年 {self.total}"


class PointEntry(models.Model):
    """One rule's contribution to a person's year, linked to the daily results behind it."""

    year_points = models.ForeignKey(
        YearPoints, on_delete=models.CASCADE, related_name="entries", verbose_name="年度得分"
    )
    rule = models.ForeignKey(
        PointRule, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="规则"
    )
    rule_name = models.CharField("规则名称", max_length=64)
    basis = models.CharField("计分依据", max_length=24, choices=PointBasis.choices)
    occurrences = models.PositiveIntegerField("次数", default=0)
    raw_points = models.DecimalField("未封顶分值", max_digits=6, decimal_places=2)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)
    results = models.ManyToManyField(DailyResult, related_name="point_entries", blank=True)

    class Meta:
        verbose_name = "加减分明细"
        verbose_name_plural = "加减分明细"
        ordering = ["year_points", "id"]

    def __str__(self) -> str:
        return f"{self.rule_name} {self.points}"
