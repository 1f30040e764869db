"""Forms of the documents pages: they parse input; the services validate and write."""

from __future__ import annotations

from django import forms

from apps.core import params
from apps.organization.models import Person, Unit

from . import selectors
from .choices import DocumentType, MaterialKind, Secrecy, Urgency


def leaders() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(selectors.leaders(), label="签发领导", empty_label="请选择")


class DraftForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    doc_type = forms.ChoiceField(label="文种", choices=DocumentType.choices)
    # not `prefix`: a Form's own attribute (the HTML name prefix)
    number_prefix = forms.CharField(
        label="发文代字", max_length=20, required=False, help_text="空着则用“常办发”。"
    )
    recipients = forms.CharField(label="主送机关", max_length=300, required=False)
    copy_to = forms.CharField(label="抄送机关", max_length=300, required=False)
    secrecy = forms.ChoiceField(label="密级", choices=Secrecy.choices, required=False)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, required=False)
    public = forms.BooleanField(label="公开发布", required=False)
    body = forms.CharField(
        label="正文",
        max_length=params.LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="每段一行；以“一、”“（一）”“1.”“（1）”开头的段落按标题层次排版。",
    )
    attachments_note = forms.CharField(
        label="附件名称（每行一个）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    countersign_units = params.IdMultipleChoiceField(
        Unit.objects.order_by("sort_order"), label="会签单位", required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signer"] = leaders()
        self.order_fields(["title", "doc_type", "number_prefix", "signer"])


class ReviseForm(forms.Form):
    body = forms.CharField(
        label="正文",
        max_length=params.LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    attachments_note = forms.CharField(
        label="附件名称（每行一个）",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class IncomingForm(forms.Form):
    title = forms.CharField(label="来文标题", max_length=200)
    source_organ = forms.CharField(label="来文机关", max_length=100)
    source_number = forms.CharField(label="来文字号", max_length=60, required=False)
    secrecy = forms.ChoiceField(label="密级", choices=Secrecy.choices, required=False)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, required=False)
    received_on = forms.DateField(label="收文日期", widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(
        label="办理时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    kind = forms.ChoiceField(label="类别", choices=MaterialKind.choices)
    body = forms.CharField(
        label="正文",
        max_length=params.LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"] = forms.ModelChoiceField(
            selectors.leaders(), label="签批领导", empty_label="请选择"
        )
        self.order_fields(["title", "kind", "leader", "body"])


class GroupForm(forms.Form):
    """A drafting group as the office keeps it: name, duty, lead unit, head and members."""

    name = forms.CharField(label="名称", max_length=40)
    duty = forms.CharField(label="职责", max_length=200, required=False)
    lead_unit = forms.ModelChoiceField(
        Unit.objects.order_by("sort_order"), label="牵头单位", empty_label="请选择"
    )
    head = forms.ModelChoiceField(
        Person.objects.filter(is_active=True).order_by("name"), label="组长", empty_label="请选择"
    )
    members = params.IdMultipleChoiceField(
        Person.objects.filter(is_active=True).order_by("name"),
        label="成员（执笔人）",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="按住 Ctrl 可多选；取消选中即移出小组。组长不必再选为成员。",
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)
