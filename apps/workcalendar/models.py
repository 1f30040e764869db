"""China's official holidays and adjusted workdays (调休), one table for every year the product knows."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日（休息）"
    WORKDAY = "workday", "调休上班日"


class YearSource(models.TextChoices):
    PACKAGE = "chinesecalendar", "chinesecalendar 数据包"
    ADMIN = "admin", "管理员据国务院通知录入"


class CalendarYear(models.Model):
    """A year whose holiday arrangement is known. A date in a year without this row has no answer."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("数据来源", max_length=24, choices=YearSource.choices)
    notice = models.CharField("依据文件", max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间", auto_now=True)

    class Meta:
        verbose_name = "节假日年度"
        verbose_name_plural = "节假日年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class SpecialDay(models.Model):
    """A date that departs from the Monday–Friday rule: a holiday on a weekday or a workday at a weekend."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=16, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=32, blank=True)
    year = models.ForeignKey(
        CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度"
    )

    class Meta:
        verbose_name = "特殊日期"
        verbose_name_plural = "特殊日期"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"
