"""Forms of growing people. They parse input; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.attendance.forms import DATE_INVALID, REQUIRED, TIME_INVALID, DateInput, TimeInput
from apps.core import params
from apps.organization.models import Person, Unit

from .choices import EvaluationStage, Grade, GuidanceKind, StudyKind, TalkKind, TrainingKind

PERSON_INVALID = "请从列表中选择人员。"


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": REQUIRED, "invalid": DATE_INVALID},
    )


def _time(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        widget=TimeInput(),
        error_messages={"required": REQUIRED, "invalid": TIME_INVALID},
    )


def _person(label: str, required: bool = True, queryset: Any = None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset
        if queryset is not None
        else Person.objects.filter(is_active=True).order_by("name"),
        required=required,
        error_messages={"required": REQUIRED, "invalid_choice": PERSON_INVALID},
    )


def _text(
    label: str, *, rows: int = 4, required: bool = True, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=params.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": REQUIRED},
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label="学习类型", choices=StudyKind.choices)
    title = forms.CharField(label="学习主题", max_length=200, error_messages={"required": REQUIRED})
    date = _date("日期")
    start_time = _time("开始时间")
    end_time = _time("结束时间")
    place = forms.CharField(label="地点", max_length=100, error_messages={"required": REQUIRED})
    host = _person("主持人", required=False)
    unit = forms.ModelChoiceField(
        label="党支部所在单位（党支部学习填写）",
        queryset=Unit.objects.filter(is_active=True).order_by("sort_order"),
        required=False,
    )
    topics = _text(
        "学习内容",
        rows=4,
        help_text="每行一项；第一行可设为“第一议题”（学习习近平总书记最新重要讲话、重要指示批示精神）。",
    )
    first_topic = forms.BooleanField(label="第一行为“第一议题”", required=False, initial=True)
    requires_reflection = forms.BooleanField(label="须撰写心得体会", required=False)
    material_title = forms.CharField(label="学习材料名称", max_length=200, required=False)
    material_file = forms.FileField(label="学习材料附件", required=False)
    material_link = forms.CharField(
        label="或平台内链接",
        max_length=300,
        required=False,
        help_text="如 /documents/12/，以 / 开头。",
    )


class PlanForm(forms.Form):
    name = forms.CharField(
        label="计划名称",
        max_length=100,
        initial="机关集中学习",
        error_messages={"required": REQUIRED},
    )
    kind = forms.ChoiceField(
        label="学习类型", choices=[c for c in StudyKind.choices if c[0] != StudyKind.BRANCH]
    )
    year = forms.IntegerField(
        label="年度", error_messages={"required": REQUIRED, "invalid": "请填写年份。"}
    )
    weekday = forms.TypedChoiceField(
        label="每周",
        coerce=int,
        choices=[(i, f"星期{'一二三四五六日'[i]}") for i in range(7)],
        initial=0,
    )
    start_time = _time("开始时间")
    end_time = _time("结束时间")
    place = forms.CharField(label="地点", max_length=100, error_messages={"required": REQUIRED})
    host = _person("主持人", required=False)
    title = forms.CharField(
        label="每次学习的主题", max_length=200, required=False, help_text="可在每次学习前修改。"
    )
    requires_reflection = forms.BooleanField(label="须撰写心得体会", required=False)


class RollForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.TypedChoiceField(
        label="登记", coerce=lambda v: v == "1", choices=[("1", "出席"), ("0", "缺席（说明原因）")]
    )
    reason = forms.CharField(label="缺席原因", max_length=200, required=False)


class MoveForm(forms.Form):
    date = _date("调整后日期")
    note = forms.CharField(label="调整原因", max_length=200, error_messages={"required": REQUIRED})


class ReflectionForm(forms.Form):
    text = _text("心得体会", rows=8)


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label="贯彻落实情况", max_length=300, error_messages={"required": REQUIRED}
    )


class PairForm(forms.Form):
    mentor = _person("导师")
    mentee = _person("培养对象")
    start_date = _date("结对起始日期")
    end_date = _date("结对结束日期")
    goals = _text("培养目标", help_text="如：文稿起草、会议组织、调研协调等方面的具体目标。")


class GuidanceForm(forms.Form):
    date = _date("日期")
    kind = forms.ChoiceField(label="形式", choices=GuidanceKind.choices)
    content = _text("内容", rows=3)


class EvaluationForm(forms.Form):
    stage = forms.ChoiceField(label="阶段", choices=EvaluationStage.choices)
    grade = forms.ChoiceField(label="评价等次", choices=Grade.choices)
    comment = _text("评价意见", rows=3)


class SummaryForm(forms.Form):
    text = _text("个人总结", rows=8)


class YouthAddForm(forms.Form):
    person = _person("人员")
    note = forms.CharField(label="说明", max_length=200, required=False)


class TalkForm(forms.Form):
    talker = _person("谈话人")
    talkee = _person("谈话对象")
    date = _date("谈话日期")
    kind = forms.ChoiceField(label="谈话类型", choices=TalkKind.choices)
    place = forms.CharField(label="地点", max_length=100, required=False)
    summary = _text("谈话摘要", rows=6, help_text="加密保存，仅谈话双方和党组书记可以查看。")


class DutyForm(forms.Form):
    year = forms.IntegerField(
        label="年度", error_messages={"required": REQUIRED, "invalid": "请填写年份。"}
    )
    leader = _person("谈话责任人")
    units = params.IdMultipleChoiceField(
        label="分管联系单位",
        queryset=Unit.objects.filter(is_active=True).order_by("sort_order"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一个分管联系单位。"},
    )


class TrainingForm(forms.Form):
    person = _person("参训人员")
    kind = forms.ChoiceField(label="类型", choices=TrainingKind.choices)
    title = forms.CharField(label="培训名称", max_length=200, error_messages={"required": REQUIRED})
    organiser = forms.CharField(
        label="主办单位", max_length=100, error_messages={"required": REQUIRED}
    )
    start_date = _date("开始日期")
    end_date = _date("结束日期")
    hours = forms.CharField(label="学时", max_length=10, error_messages={"required": REQUIRED})
    certificate_no = forms.CharField(label="结业证书编号", max_length=64, required=False)
    certificate = forms.FileField(label="结业证书", required=False)


class RequirementForm(forms.Form):
    year = forms.IntegerField(
        label="年度", error_messages={"required": REQUIRED, "invalid": "请填写年份。"}
    )
    hours = forms.CharField(
        label="年度应完成学时", max_length=10, error_messages={"required": REQUIRED}
    )


def year_from(value: str | None, default: int) -> int:
    """A year from the query string, or `default` when absent or not a plausible year."""
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default
