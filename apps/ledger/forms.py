"""Forms of the ledger. They parse input; the rules live in services.py."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from apps.core import clock, params
from apps.organization.choices import UnitKind
from apps.organization.directory import people_choices_by_unit
from apps.organization.models import LeadershipPost, Person, Unit, UnitMembership

from .choices import FeedbackRule, ItemKind, Source
from .deadlines import DeadlineSpec
from .models import Checklist, TrackedItem
from .services import MAX_ATTACHMENT_BYTES, ItemSpec, MilestoneSpec

# --- the ledger's items: registering, editing and acting on them ---------------------------------

REQUIRED = "请填写此项。"
DATE_INVALID = "请输入有效的日期，格式为YYYY-MM-DD。"
MILESTONE_LINE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*[，,、:：]?\s*(.*)$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); an empty field is no files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", f"可选择多个文件，每个不超过{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB。"
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        single = super().clean
        uploads = data if isinstance(data, list | tuple) else [data]
        return [single(upload, initial) for upload in uploads if upload]


def _text(
    label: str,
    *,
    required: bool = True,
    rows: int = 3,
    required_message: str = REQUIRED,
    help_text: str = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=params.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
        help_text=help_text,
    )


def current_leaders(day: datetime.date | None = None) -> Any:
    """Standing Committee leaders in post on `day`: the only people who may lead an item."""
    day = day or clock.today()
    return Person.objects.filter(
        pk__in=LeadershipPost.objects.on(day).values("person_id"), is_active=True
    ).order_by("id")


def office_people(day: datetime.date | None = None) -> Any:
    """People posted to the General Office on `day`: they track results (跟踪问效)."""
    day = day or clock.today()
    return Person.objects.filter(
        pk__in=UnitMembership.objects.on(day)
        .filter(unit__kind=UnitKind.OFFICE)
        .values("person_id"),
        is_active=True,
    ).order_by("id")


def parse_milestones(text: str) -> list[MilestoneSpec]:
    """One “YYYY-MM-DD 内容” per line; every bad line is reported with its line number."""
    milestones: list[MilestoneSpec] = []
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = MILESTONE_LINE.match(line)
        if match is None:
            errors.append(
                f"第{number}行：应以日期开头，格式为“YYYY-MM-DD 节点内容”，如“2026-06-30 完成调研”。"
            )
            continue
        year, month, day, title = match.groups()
        try:
            deadline = datetime.date(int(year), int(month), int(day))
        except ValueError:
            errors.append(f"第{number}行：{year}-{month}-{day} 不是有效的日期。")
            continue
        title = title.strip()
        if not title:
            errors.append(f"第{number}行：缺少节点内容。")
        elif len(title) > 200:
            errors.append(f"第{number}行：节点内容不能超过200字。")
        else:
            milestones.append(MilestoneSpec(title=title, deadline=deadline))
    if errors:
        raise forms.ValidationError(errors)
    return milestones


def milestones_as_text(milestones: Iterable[Any]) -> str:
    return "\n".join(f"{m.deadline:%Y-%m-%d} {m.title}" for m in milestones)


class ItemForm(forms.Form):
    """Register or edit an item (the office). `parent` set: a measure (整改措施) of that problem."""

    DEADLINE_BY_DATE = "date"
    DEADLINE_BY_WORKDAYS = "workdays"
    STANDING = "standing"

    checklist = forms.ModelChoiceField(
        label="所属清单",
        queryset=Checklist.objects.all(),
        empty_label="请选择清单",
        error_messages={"required": "请选择所属清单。", "invalid_choice": "所选清单不存在。"},
    )
    kind = forms.ChoiceField(
        label="类型",
        choices=[(k.value, k.label) for k in ItemKind if k != ItemKind.MEASURE],
        initial=ItemKind.MATTER,
        error_messages={"invalid_choice": "未知的事项类型。"},
    )
    serial = forms.CharField(
        label="编号", max_length=32, required=False, help_text="留空则按清单顺序自动编号。"
    )
    title = forms.CharField(
        label="事项名称",
        max_length=200,
        error_messages={"required": "请填写事项名称。", "max_length": "事项名称不能超过200字。"},
    )
    content = _text("具体内容", required=False, rows=4)
    category = forms.CharField(label="类别", max_length=32, required=False)
    source = forms.ChoiceField(
        label="来源",
        choices=[("", "（与清单来源相同）"), *Source.choices],
        required=False,
        error_messages={"invalid_choice": "未知的事项来源。"},
    )
    leading_leader = forms.ModelChoiceField(
        label="领责督办领导",
        queryset=Person.objects.none(),
        required=False,
        empty_label="（不设）",
        help_text="只能选择常委会领导。",
        error_messages={"invalid_choice": "所选人员不是在任的常委会领导。"},
    )
    lead_unit = forms.ModelChoiceField(
        label="牵头单位",
        queryset=Unit.objects.none(),
        empty_label="请选择牵头单位",
        error_messages={"required": "请选择牵头单位。", "invalid_choice": "所选单位不存在。"},
    )
    co_units = params.IdMultipleChoiceField(
        label="配合单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "所选配合单位不存在。"},
    )
    responsible_person = forms.ModelChoiceField(
        label="责任人",
        queryset=Person.objects.none(),
        required=False,
        empty_label="（不设）",
        error_messages={"invalid_choice": "所选责任人不存在。"},
    )
    trackers = params.IdMultipleChoiceField(
        label="跟踪问效人员",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="办公室负责跟踪该事项的人员，报办结时通知他们核验。",
        error_messages={"invalid_choice": "跟踪问效人员须是办公室人员。"},
    )
    deadline_mode = forms.ChoiceField(
        label="时限方式",
        choices=[
            (DEADLINE_BY_DATE, "指定日期"),
            (DEADLINE_BY_WORKDAYS, "自某日起N个工作日"),
            (STANDING, "长期坚持（无最终时限，按反馈要求跟踪）"),
        ],
        initial=DEADLINE_BY_DATE,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择时限方式。", "invalid_choice": "请选择时限方式。"},
    )
    deadline = forms.DateField(
        label="办结时限",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )
    deadline_base = forms.DateField(
        label="起算日期",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )
    deadline_workdays = forms.IntegerField(
        label="工作日数",
        required=False,
        min_value=1,
        max_value=250,
        error_messages={
            "invalid": "工作日数须是整数。",
            "min_value": "工作日数须大于0。",
            "max_value": "工作日数不能超过250。",
        },
    )
    feedback_rule = forms.ChoiceField(
        label="反馈要求",
        choices=FeedbackRule.choices,
        initial=FeedbackRule.NONE,
        error_messages={"invalid_choice": "未知的反馈要求。"},
    )
    feedback_workdays = forms.IntegerField(
        label="反馈工作日数N",
        required=False,
        min_value=1,
        max_value=250,
        help_text="仅“交办后N个工作日内反馈”时填写。",
        error_messages={"invalid": "工作日数须是整数。", "min_value": "工作日数须大于0。"},
    )
    milestones = _text(
        "时间节点",
        required=False,
        rows=4,
        help_text="每行一个节点：“YYYY-MM-DD 节点内容”，如“2026-06-30 完成调研”。",
    )

    def __init__(self, *args: Any, parent: TrackedItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent
        today = clock.today()
        units = Unit.objects.filter(is_active=True)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["co_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["leading_leader"].queryset = current_leaders(today)  # type: ignore[attr-defined]
        self.fields["responsible_person"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("id")
        # Grouped by unit and searchable (app.js: data-person-picker), not a flat list of names.
        self.fields["responsible_person"].choices = people_choices_by_unit(today, "（不设）")  # type: ignore[attr-defined]
        self.fields["responsible_person"].widget.attrs["data-person-picker"] = ""
        self.fields["trackers"].queryset = office_people(today)  # type: ignore[attr-defined]
        if parent is not None:
            # A measure belongs to its problem's list and is always a measure.
            del self.fields["checklist"]
            del self.fields["kind"]

    def clean_milestones(self) -> list[MilestoneSpec]:
        return parse_milestones(self.cleaned_data.get("milestones") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("deadline_mode")
        if mode == self.DEADLINE_BY_DATE:
            if data.get("deadline") is None and "deadline" not in self.errors:
                self.add_error("deadline", "请填写办结时限。")
        elif mode == self.DEADLINE_BY_WORKDAYS:
            if data.get("deadline_base") is None and "deadline_base" not in self.errors:
                self.add_error("deadline_base", "请填写起算日期。")
            if data.get("deadline_workdays") is None and "deadline_workdays" not in self.errors:
                self.add_error("deadline_workdays", "请填写工作日数。")
        if data.get("feedback_rule") != FeedbackRule.WORKDAYS:
            data["feedback_workdays"] = None
        return data

    def deadline_spec(self) -> DeadlineSpec:
        data = self.cleaned_data
        if data["deadline_mode"] == self.STANDING:
            checklist = self.parent.checklist if self.parent is not None else data["checklist"]
            return DeadlineSpec(date=datetime.date(checklist.year, 12, 31))
        if data["deadline_mode"] == self.DEADLINE_BY_WORKDAYS:
            return DeadlineSpec(workdays=data["deadline_workdays"], base=data["deadline_base"])
        return DeadlineSpec(date=data["deadline"])

    def to_spec(self) -> ItemSpec:
        """The service's input; call after is_valid()."""
        data = self.cleaned_data
        parent = self.parent
        return ItemSpec(
            checklist=parent.checklist if parent is not None else data["checklist"],
            parent=parent,
            kind=ItemKind.MEASURE if parent is not None else data["kind"],
            serial=data["serial"].strip(),
            title=data["title"],
            content=data["content"],
            category=data["category"].strip(),
            source=data["source"],
            leading_leader=data["leading_leader"],
            lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]),
            responsible_person=data["responsible_person"],
            trackers=list(data["trackers"]),
            deadline=self.deadline_spec(),
            standing=data["deadline_mode"] == self.STANDING,
            feedback_rule=data["feedback_rule"],
            feedback_workdays=data["feedback_workdays"],
            milestones=data["milestones"],
        )

    @classmethod
    def initial_from(cls, item: TrackedItem) -> dict[str, Any]:
        """The form's initial values for editing a draft item."""
        return {
            "checklist": item.checklist_id,
            "kind": item.kind,
            "serial": item.serial,
            "title": item.title,
            "content": item.content,
            "category": item.category,
            "source": item.source,
            "leading_leader": item.leading_leader_id,
            "lead_unit": item.lead_unit_id,
            "co_units": list(item.co_units.values_list("pk", flat=True)),
            "responsible_person": item.responsible_person_id,
            "trackers": list(item.trackers.values_list("pk", flat=True)),
            "deadline_mode": cls.STANDING if item.is_standing else cls.DEADLINE_BY_DATE,
            "deadline": item.deadline,
            "feedback_rule": item.feedback_rule,
            "feedback_workdays": item.feedback_workdays,
            "milestones": milestones_as_text(item.milestones.all()),
        }

    @classmethod
    def initial_for_measure(cls, problem: TrackedItem) -> dict[str, Any]:
        """A measure starts with its problem's people, unit and deadline."""
        return {
            "leading_leader": problem.leading_leader_id,
            "lead_unit": problem.lead_unit_id,
            "responsible_person": problem.responsible_person_id,
            "trackers": list(problem.trackers.values_list("pk", flat=True)),
            "deadline_mode": cls.DEADLINE_BY_DATE,
            "deadline": problem.deadline,
            "category": problem.category,
        }


class NoteForm(forms.Form):
    """交办 / 签收 / 开始办理 / 核验: an optional note."""

    note = _text("说明", required=False, rows=2)


class ReasonForm(forms.Form):
    """退回 / 撤销: a reason is required."""

    reason = _text("理由", required_message="请填写理由。")


class ReportForm(forms.Form):
    """报送办结: what was done, with material."""

    text = _text("办理结果", rows=4, required_message="请填写办理结果。")
    attachments = MultipleFileField(label="佐证材料")


class CloseForm(forms.Form):
    """销号: the written evidence, with files."""

    evidence = _text("销号依据", rows=3, required_message="销号须填写销号依据。")
    attachments = MultipleFileField(label="销号材料")


class FeedbackForm(forms.Form):
    """进展反馈: progress text, a percentage, material."""

    text = _text("进展情况", rows=4, required_message="请填写进展情况。")
    percent = forms.IntegerField(
        label="完成进度(%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "请填写完成进度。",
            "invalid": "完成进度须是0到100之间的整数。",
            "min_value": "完成进度须在0到100之间。",
            "max_value": "完成进度须在0到100之间。",
        },
    )
    attachments = MultipleFileField(label="附件")


class ExtensionRequestForm(forms.Form):
    """申请延期: a later date within the year, and why."""

    new_deadline = forms.DateField(
        label="申请延至",
        widget=DateInput(),
        error_messages={"required": "请填写申请延至的日期。", "invalid": DATE_INVALID},
    )
    reason = _text("延期理由", required_message="请说明延期理由。")


class ExtensionDecideForm(forms.Form):
    """The leading leader's decision on an extension request."""

    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("grant", "同意延期"), ("refuse", "不同意")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择同意或不同意。",
            "invalid_choice": "请选择同意或不同意。",
        },
    )
    note = _text("意见", required=False, rows=2)

    @property
    def grant(self) -> bool:
        return self.cleaned_data["decision"] == "grant"


class ChecklistForm(forms.Form):
    """A new list (清单)."""

    name = forms.CharField(
        label="清单名称",
        max_length=120,
        error_messages={"required": "请填写清单名称。", "max_length": "清单名称不能超过120字。"},
    )
    year = forms.IntegerField(
        label="年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写年度。",
            "invalid": "年度须是四位数字。",
            "min_value": "年度不正确。",
            "max_value": "年度不正确。",
        },
    )
    source = forms.ChoiceField(
        label="来源",
        choices=Source.choices,
        error_messages={"required": "请选择来源。", "invalid_choice": "未知的来源。"},
    )
    description = _text("说明", required=False, rows=3)
