"""Forms of party building and publicity. They parse input; the rules live in services.py.

Lists of people with a note (absences, recusals, opinions in speaking order) are typed one per
line, "姓名：内容", and matched against the people the meeting allows; an unknown name is an error
on the field, never a guess.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms

from apps.attendance.forms import DATE_INVALID, REQUIRED, DateInput
from apps.core import params
from apps.documents import forms as document_forms
from apps.documents.choices import Urgency
from apps.organization.models import Person, Unit

from .choices import (
    ActivityKind,
    AgendaKind,
    ArticleKind,
    Channel,
    CheckResult,
    CheckStage,
    MajorCategory,
    Rating,
    ReportKind,
    ResponsibilityKind,
    ReviewMode,
    Vote,
)

PERSON_INVALID = "请从列表中选择人员。"
UNIT_INVALID = "请从列表中选择单位。"
SEPARATORS = re.compile(r"[：:｜|]")


def year_from(value: str | None, default: int) -> int:
    """A year from the query string, or `default` when absent or not a plausible year."""
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": REQUIRED, "invalid": DATE_INVALID},
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


def _unit(label: str, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Unit.objects.filter(is_active=True),
        required=required,
        error_messages={"required": REQUIRED, "invalid_choice": UNIT_INVALID},
    )


def _text(label: str, *, rows: int = 3, required: bool = True, help_text: str = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": REQUIRED},
    )


def _line(label: str, max_length: int = 200, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={"required": REQUIRED, "max_length": f"不能超过{max_length}字。"},
    )


def parse_lines(text: str, people: dict[str, Person], field: str) -> list[tuple[Person, list[str]]]:
    """Lines "姓名：a：b" → (person, [a, b]); raises forms.ValidationError on an unknown name."""
    rows = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        name, *rest = [part.strip() for part in SEPARATORS.split(line)]
        if name not in people:
            raise forms.ValidationError(f"{field}：“{name}”不在可选人员之中，请核对姓名。")
        rows.append((people[name], rest))
    return rows


class MeetingForm(forms.Form):
    date = _date("会议日期")
    place = _line("地点", 100)
    presider = _person("主持人")
    recorder = _person("记录人")
    absences = _text(
        "请假的党组成员",
        required=False,
        help_text="每行一人，写作“姓名：请假原因”；其余党组成员按出席登记。",
    )
    non_voting = params.IdMultipleChoiceField(
        label="列席人员",
        queryset=Person.objects.filter(is_active=True).order_by("name"),
        required=False,
        error_messages={"invalid_choice": PERSON_INVALID, "invalid_pk_value": PERSON_INVALID},
    )


class AgendaForm(forms.Form):
    kind = forms.ChoiceField(label="议题类型", choices=AgendaKind.choices)
    title = _line("议题")


class ConclusionForm(forms.Form):
    conclusion = _text("议定事项")


VOTES = {label: value for value, label in Vote.choices}


class DecisionForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=MajorCategory.choices)
    matter = _line("决策事项")
    amount = forms.DecimalField(
        label="金额（万元）",
        required=False,
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": "请输入数字金额。", "max_digits": "金额过大。"},
    )
    consulted_with = _line("会前酝酿对象", required=False)
    consulted_on = _date("会前酝酿日期", required=False)
    materials = _text("会议材料", required=False)
    recusals = _text("回避", required=False, help_text="每行一人，写作“姓名：回避原因”。")
    opinions = _text(
        "表态意见（按发言顺序）",
        rows=6,
        required=False,
        help_text="每行一人，写作“姓名：同意/不同意/弃权：意见”，党组书记最后表态。",
    )

    def __init__(self, *args: Any, members: list[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {p.name: p for p in members or []}

    def clean_recusals(self) -> list[tuple[Person, str]]:
        rows = parse_lines(self.cleaned_data["recusals"], self.members, "回避")
        return [(p, rest[0] if rest else "") for p, rest in rows]

    def clean_opinions(self) -> list[tuple[Person, str, str]]:
        result = []
        for person, rest in parse_lines(self.cleaned_data["opinions"], self.members, "表态"):
            vote = VOTES.get(rest[0] if rest else "")
            if vote is None:
                raise forms.ValidationError(f"请写明{person.name}的表态：同意、不同意或弃权。")
            result.append((person, vote, "：".join(rest[1:])))
        return result


class LedgerForm(forms.Form):
    lead_unit = _unit("牵头单位")
    deadline = _date("办结时限")


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ReportKind.choices)
    title = _line("标题")
    recipient = _line("报送对象", 100)
    submitted_on = _date("报送日期")
    due_date = _date("办理时限", required=False)


class AnswerForm(forms.Form):
    answer = _text("答复意见")
    answered_on = _date("答复日期")
    incoming_number = _line(
        "已登记的收文号",
        40,
        required=False,
    )
    source_number = _line("来文字号", 60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "incoming_number"
        ].help_text = (
            "答复已在公文收文中登记的，填写其收文号（如 收〔2026〕12号）；不填则在此登记为新收文。"
        )
        self.fields["source_number"].help_text = "上级答复的文号（登记新收文时填写）。"


class ReportDraftForm(forms.Form):
    """The 拟稿单 of a request or report: the rest (标题, 文种, 主送) comes from the register."""

    body = _text("正文", rows=14)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"] = document_forms.leaders()
        self.order_fields(["body", "signer", "urgency"])


class ListForm(forms.Form):
    person = _person("责任人")
    post = _line("职务", 64)
    party_items = _text("党建和党风廉政建设责任", rows=4, help_text="每行一项。")
    work_items = _text("业务工作责任", rows=4, help_text="每行一项。")

    def items(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (kind, line.strip())
            for kind, text in (
                (ResponsibilityKind.PARTY, data["party_items"]),
                (ResponsibilityKind.WORK, data["work_items"]),
            )
            for line in text.splitlines()
            if line.strip()
        ]


class EvidenceForm(forms.Form):
    evidence = _text("履责记实")


class CheckForm(forms.Form):
    stage = forms.ChoiceField(label="检查", choices=CheckStage.choices)
    result = forms.ChoiceField(label="结果", choices=CheckResult.choices)


class ReviewForm(forms.Form):
    title = _line("评议名称", 100)
    mode = forms.ChoiceField(label="评价方式", choices=ReviewMode.choices)
    criteria = _text(
        "评议内容",
        rows=4,
        help_text="每行一项，写作“内容：满分”，如“履行第一责任人职责：30”。",
    )
    subjects = _text("述职的支部书记", rows=4, help_text="每行一人，写作“姓名：支部所在单位简称”。")

    def clean_criteria(self) -> list[tuple[str, int]]:
        result = []
        for raw in self.cleaned_data["criteria"].splitlines():
            if not raw.strip():
                continue
            name, *rest = [p.strip() for p in SEPARATORS.split(raw)]
            try:
                points = int(rest[0]) if rest else 100
            except ValueError:
                raise forms.ValidationError(f"“{name}”的满分须是整数。") from None
            result.append((name, points))
        return result

    def clean_subjects(self) -> list[tuple[Person, Unit]]:
        people = {p.name: p for p in Person.objects.filter(is_active=True)}
        units = {u.short_name: u for u in Unit.objects.filter(is_active=True)}
        result = []
        for person, rest in parse_lines(self.cleaned_data["subjects"], people, "支部书记"):
            unit = units.get(rest[0] if rest else "")
            if unit is None:
                raise forms.ValidationError(f"请写明{person.name}所在支部的单位简称。")
            result.append((person, unit))
        return result


class ReportTextForm(forms.Form):
    report = _text("述职报告", rows=10)


def score_form(review: Any, criteria: list[Any]) -> type[forms.Form]:
    """A form with one field per criterion: a rating, or points within the criterion's range."""
    fields: dict[str, forms.Field] = {}
    for c in criteria:
        if review.mode == ReviewMode.RATING:
            fields[f"c{c.pk}"] = forms.ChoiceField(
                label=c.name,
                choices=[("", "请选择"), *Rating.choices],
                error_messages={
                    "required": REQUIRED,
                    "invalid_choice": "请选择好、较好、一般或差。",
                },
            )
        else:
            fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.name}（满分{c.max_points}）",
                min_value=Decimal(0),
                max_value=Decimal(c.max_points),
                decimal_places=2,
                error_messages={
                    "required": REQUIRED,
                    "invalid": "请输入数字。",
                    "min_value": "分值不能小于0。",
                    "max_value": f"分值不能超过{c.max_points}。",
                    "max_decimal_places": "最多保留两位小数。",
                },
            )
    return type("ScoreForm", (forms.Form,), fields)


class ActivityForm(forms.Form):
    branch = _unit("党支部（所在单位）")
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    date = _date("日期")
    title = _line("主题")
    expected = forms.IntegerField(
        label="应到人数", min_value=1, max_value=999, error_messages={"required": REQUIRED}
    )
    present = forms.IntegerField(
        label="实到人数", min_value=0, max_value=999, error_messages={"required": REQUIRED}
    )


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ArticleKind.choices)
    title = _line("标题")
    channel = forms.ChoiceField(label="拟发布渠道", choices=Channel.choices)
    body = _text("正文", rows=10)


class ReturnForm(forms.Form):
    reason = _line("退回原因")


class PublishForm(forms.Form):
    published_on = _date("发布日期")


class AdoptForm(forms.Form):
    adopted_by = _line("采用单位", 100)
    adopted_on = _date("采用日期")


class IssueForm(forms.Form):
    planned_on = _date("计划出刊日期")
