"""Forms of the working-day calendar; the rules live in `services.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .notice import MAX_NOTICE_CHARS
from .services import EARLIEST_YEAR, LATEST_SHOWN_YEAR

DATE_ERRORS = {
    "invalid": "请输入有效的日期，格式为 年-月-日，例如 2027-01-04。",
    "required": "请填写日期。",
}

DAYS_HELP = (
    "每行一个日期或日期区间，后面写节日名称；调休上班日在行末写“上班”。例如：<br>"
    "<code>2027-01-01 元旦</code><br>"
    "<code>2027-02-06 至 2027-02-12 春节</code><br>"
    "<code>2027-02-14 春节 调休上班</code><br>"
    "放假区间中的周六、周日本为休息日，可以照通知原样写入，系统不单独保存。以 # 开头的行为注释。"
)


class BoundedDateField(forms.DateField):
    """A date the calendar can answer for: between EARLIEST_YEAR and LATEST_SHOWN_YEAR."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST_YEAR <= value.year <= LATEST_SHOWN_YEAR:
            raise ValidationError(
                f"工作日历只能计算{EARLIEST_YEAR}年至{LATEST_SHOWN_YEAR}年的日期。", code="range"
            )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class YearEntryForm(forms.Form):
    year = forms.IntegerField(
        label="年份",
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": "请填写四位数的年份。", "required": "请填写年份。"},
    )
    notice = forms.CharField(
        label="依据文件",
        max_length=200,
        help_text="例如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）。",
        error_messages={"required": "请填写依据文件。"},
    )
    days = forms.CharField(
        label="放假和调休上班安排",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=DAYS_HELP,
        error_messages={"required": "请填写放假和调休上班安排。"},
    )

    def __init__(self, *args: Any, fixed_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_year is not None:
            # Editing a known year: the year comes from the address, not from the form.
            self.fields["year"].initial = fixed_year
            self.fields["year"].disabled = True


class NoticeForm(forms.Form):
    """The whole text of the State Council notice, pasted as published."""

    year = forms.IntegerField(
        label="年份",
        required=False,
        min_value=EARLIEST_YEAR,
        max_value=LATEST_SHOWN_YEAR,
        help_text="可不填：系统从通知标题中识别年份。",
        error_messages={"invalid": "请填写四位数的年份。"},
    )
    text = forms.CharField(
        label="通知全文",
        max_length=MAX_NOTICE_CHARS,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=(
            "从中国政府网复制《国务院办公厅关于某年部分节假日安排的通知》全文粘贴在此，"
            "包括标题、文号和“一、元旦：……”各项。系统会识别每一项的放假区间和调休上班日，"
            "核对括号中的星期和“共N天”，确认前先显示全年日历。"
        ),
        error_messages={"required": "请粘贴通知全文。"},
    )


class WorkdayAddForm(forms.Form):
    start = BoundedDateField(
        label="起始日期", widget=DateInput(), input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )
    n = forms.IntegerField(
        label="工作日数",
        min_value=-366,
        max_value=366,
        help_text="起始日当天不计；负数表示往前推算。",
        error_messages={
            "invalid": "请填写整数。",
            "required": "请填写工作日数。",
            "min_value": "工作日数不能小于 -366。",
            "max_value": "工作日数不能大于 366。",
        },
    )


class WorkdayCheckForm(forms.Form):
    day = BoundedDateField(
        label="日期", widget=DateInput(), input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )
