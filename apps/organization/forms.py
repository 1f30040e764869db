"""Forms parse and type the input; the rules live in `services.py`."""

from __future__ import annotations

from typing import Any

from django import forms

from .choices import (
    Gender,
    LeadershipTitle,
    PartyGroupRole,
    PoliticalStatus,
    Rank,
    TaskGroupRole,
)
from .models import Person, Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": "请输入有效的日期，格式为 年-月-日，例如 2026-03-01。"}


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        error_messages=DATE_ERRORS,
        help_text=help_text,
    )


def active_units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "id")


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=32)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    birth_date = _date_field("出生日期")
    rank = forms.ChoiceField(label="职级", choices=Rank.choices)
    political_status = forms.ChoiceField(
        label="政治面貌", choices=PoliticalStatus.choices, initial=PoliticalStatus.CPC_MEMBER
    )
    office_phone = forms.CharField(label="办公电话", max_length=32, required=False)
    phone = forms.CharField(
        label="联系电话（手机）",
        max_length=32,
        required=False,
        help_text="通讯录中仅常委会领导和办公室可见。",
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "请填写有效的电子邮箱。"}
    )


class PersonCreateForm(PersonForm):
    unit = forms.ModelChoiceField(
        label="所在单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="（暂不安排）",
        help_text="可稍后通过“交流轮岗”安排。",
    )
    post_title = forms.CharField(label="职务", max_length=32, required=False)
    is_head = forms.BooleanField(label="单位负责人", required=False)
    start_date = _date_field("到岗日期", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()  # type: ignore[attr-defined]


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(
        label="调往单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    on_date = _date_field("到岗日期", help_text="原任职于到岗日期前一天结束。")
    post_title = forms.CharField(label="新职务", max_length=32)
    is_head = forms.BooleanField(label="单位负责人", required=False)
    note = forms.CharField(label="备注", max_length=200, required=False, help_text="例如任免文号。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = active_units()  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    last_day = _date_field("最后在岗日")
    note = forms.CharField(label="去向或事由", max_length=200, required=False)


class LeadershipPostForm(forms.Form):
    title = forms.ChoiceField(
        label="常委会领导职务",
        choices=[("", "（免去现任职务）"), *LeadershipTitle.choices],
        required=False,
    )
    on_date = _date_field("起始日期", help_text="现任职务于该日前一天结束。")
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)


class PartyGroupForm(forms.Form):
    role = forms.ChoiceField(
        label="党组职务",
        choices=[("", "（免去党组职务）"), *PartyGroupRole.choices],
        required=False,
    )
    on_date = _date_field("起始日期", help_text="现任党组职务于该日前一天结束。")


class TaskGroupForm(forms.Form):
    name = forms.CharField(label="小组名称", max_length=100)
    purpose = forms.CharField(
        label="工作任务", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    lead_unit = forms.ModelChoiceField(
        label="牵头单位", queryset=Unit.objects.none(), empty_label="请选择"
    )
    start_date = _date_field("起始日期")
    end_date = _date_field("结束日期", required=False, help_text="长期运行的小组可不填。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.order_by(  # type: ignore[attr-defined]
            "-is_active", "sort_order", "id"
        )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        postings = getattr(obj, "current_postings", None)
        unit = postings[0].unit.short_name if postings else "未安排单位"
        return f"{obj.name}（{unit}）"


class TaskGroupMemberForm(forms.Form):
    person = PersonChoiceField(label="人员", queryset=Person.objects.none(), empty_label="请选择")
    role = forms.ChoiceField(label="组内职务", choices=TaskGroupRole.choices, initial="member")

    def __init__(self, *args: Any, candidates: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["person"].queryset = candidates  # type: ignore[attr-defined]


class PersonFilterForm(forms.Form):
    """The person list's search box and filters (GET); bad values are ignored, not errors."""

    q = forms.CharField(label="姓名", required=False, max_length=32)
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    rank = forms.ChoiceField(
        label="职级", choices=[("", "全部职级"), *Rank.choices], required=False
    )
    inactive = forms.BooleanField(label="含已离岗人员", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()  # type: ignore[attr-defined]


class UnitAliasForm(forms.Form):
    name = forms.CharField(
        label="别名", max_length=64, help_text="如“法工委”“法制工委”：导入表格时按此识别单位。"
    )
