"""Forms of attendance. They parse input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.core import params
from apps.organization.models import Person, Unit

from .choices import ClockKind, DayPart, LeaveType, RequestKind
from .models import PointRule, Schedule

REQUIRED = "请填写此项。"
DATE_INVALID = "请输入有效的日期，格式为 年-月-日，如 2026-03-02。"
TIME_INVALID = "请输入有效的时间，如 08:55。"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": REQUIRED, "invalid": DATE_INVALID},
    )


def _time(label: str, required: bool = True, help_text: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        widget=TimeInput(),
        help_text=help_text,
        error_messages={"required": REQUIRED, "invalid": TIME_INVALID},
    )


class RequestForm(forms.Form):
    """One form for every kind of request; the fields that do not apply to a kind are ignored."""

    kind = forms.ChoiceField(label="申请类别", choices=RequestKind.choices)
    leave_type = forms.ChoiceField(
        label="假别（请假时填写）", choices=[("", "——"), *LeaveType.choices], required=False
    )
    start_date = _date("开始日期（补卡：补卡日期）")
    end_date = _date("结束日期", required=False)
    day_part = forms.ChoiceField(
        label="时段",
        choices=DayPart.choices,
        initial=DayPart.FULL,
        help_text="一天之内的申请可以只请上午或下午。",
    )
    destination = forms.CharField(label="地点（出差、公出时填写）", max_length=100, required=False)
    correction_kind = forms.ChoiceField(
        label="补卡类别（补卡时填写）", choices=[("", "——"), *ClockKind.choices], required=False
    )
    correction_time = _time("实际到岗或离岗时间（补卡时填写）", required=False)
    reason = forms.CharField(
        label="事由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REQUIRED},
    )


class PolicyForm(forms.Form):
    allowed_networks = forms.CharField(
        label="允许打卡的网络",
        required=False,
        max_length=params.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个 IP 地址或网段（CIDR），如 10.12.0.0/16；留空表示不限网络。",
    )
    duplicate_window_seconds = forms.IntegerField(
        label="重复打卡合并时间（秒）", min_value=0, max_value=3600
    )
    points_total_cap = forms.DecimalField(
        label="年度加减分总分上限（绝对值）", min_value=0, max_digits=6, decimal_places=2
    )


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = [
            "name",
            "unit",
            "person",
            "work_start",
            "work_end",
            "summer_from",
            "summer_to",
            "summer_work_start",
            "summer_work_end",
            "midday",
            "grace_minutes",
            "half_day_minutes",
        ]
        widgets = {
            "work_start": TimeInput(),
            "work_end": TimeInput(),
            "summer_work_start": TimeInput(),
            "summer_work_end": TimeInput(),
            "midday": TimeInput(),
        }
        help_texts = {
            "unit": "单位和人员都不选，即为机关默认作息。",
            "person": "个人作息优先于单位作息，单位作息优先于机关默认作息。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["person"].queryset = Person.objects.filter(is_active=True)  # type: ignore[attr-defined]


class PointRuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = ["name", "basis", "points", "cap", "is_active", "order"]
