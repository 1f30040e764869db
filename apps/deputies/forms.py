from __future__ import annotations

from django import forms

from apps.core import params
from apps.ledger.choices import Source
from apps.ledger.models import Checklist
from apps.organization.models import Person, Unit

from . import stations
from .choices import AnswerClass, HandlingMode, Satisfaction, SuggestionStatus
from .models import Deputy, Suggestion

DATE = forms.DateInput(attrs={"type": "date"})


def sessions() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        Checklist.objects.filter(source=Source.DEPUTY_SUGGESTION),
        label="会议（批次）",
        empty_label=None,
    )


def bodies(label: str, required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(Unit.everything.external(), label=label, required=required)


class SuggestionForm(forms.Form):
    checklist = sessions()
    title = forms.CharField(label="案由", max_length=200)
    content = forms.CharField(label="建议内容", widget=forms.Textarea(attrs={"rows": 8}))
    topic = forms.CharField(label="类别", max_length=32, required=False)
    cosigners = params.IdMultipleChoiceField(
        Deputy.objects.all(), label="附议代表（联名）", required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = Checklist.objects.filter(  # type: ignore[attr-defined]
            source=Source.DEPUTY_SUGGESTION
        )


class FeedbackForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="对办理情况的意见", choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="意见说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审查结果",
        choices=[("register", "立案"), ("reject", "不予立案"), ("letter", "转为来信")],
    )
    note = forms.CharField(
        label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    merge_into = forms.ModelChoiceField(Suggestion.objects.none(), label="并案于", required=False)

    def __init__(self, *args, suggestion: Suggestion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = Suggestion.objects.filter(  # type: ignore[attr-defined]
            checklist=suggestion.checklist,
            merged_into__isnull=True,
            status__in=[
                SuggestionStatus.REGISTERED,
                SuggestionStatus.HANDLING,
                SuggestionStatus.ANSWERED,
            ],
        ).exclude(pk=suggestion.pk)


class AssignForm(forms.Form):
    mode = forms.ChoiceField(label="交办方式", choices=HandlingMode.choices)
    main = bodies("主办单位")
    co = params.IdMultipleChoiceField(Unit.everything.external(), label="协办单位", required=False)
    separate = params.IdMultipleChoiceField(
        Unit.everything.external(), label="分办单位", required=False
    )
    key_leader = forms.ModelChoiceField(
        Person.objects.filter(leadership_posts__isnull=False).distinct(),
        label="重点督办领导",
        required=False,
    )


class AnswerForm(forms.Form):
    klass = forms.ChoiceField(
        label="答复类别", choices=[("", "请选择"), *AnswerClass.choices], required=False
    )
    text = forms.CharField(
        label="答复内容", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    signed_by = forms.CharField(label="签发负责人", max_length=50, required=False)
    planned_resolution = forms.DateField(label="计划解决时间（B类）", required=False, widget=DATE)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OpinionForm(forms.Form):
    text = forms.CharField(
        label="协办意见", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label="申请延至", widget=DATE)
    reason = forms.CharField(
        label="延期理由", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReassignForm(forms.Form):
    unit = bodies("改派至", required=True)
    note = forms.CharField(label="说明", required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", required=False)


class ResolutionForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label="一年后核实", choices=[("1", "已解决"), ("0", "未解决")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明", required=False)


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ReceptionRuleForm(forms.Form):
    nth = forms.TypedChoiceField(
        label="每月", choices=[(n, name) for n, name in stations.NTH_NAMES.items()], coerce=int
    )
    weekday = forms.TypedChoiceField(
        label="星期", choices=list(enumerate(stations.WEEKDAY_NAMES)), coerce=int
    )
    start = forms.TimeField(label="开始时间", widget=TIME)
    end = forms.TimeField(label="结束时间", widget=TIME)
    first_month = params.BoundedDateField(label="自哪个月起（任选该月一天）", widget=DATE)
    months = forms.IntegerField(label="生成几个月", min_value=1, max_value=stations.MAX_MONTHS)
    topic = forms.CharField(label="主题", max_length=200, required=False)


class ReceptionForm(forms.Form):
    date = params.BoundedDateField(label="日期", widget=DATE)
    start = forms.TimeField(label="开始时间", widget=TIME)
    end = forms.TimeField(label="结束时间", widget=TIME)
    topic = forms.CharField(label="主题", max_length=200, required=False)
    on_duty = params.IdMultipleChoiceField(Deputy.objects.none(), label="值班代表", required=False)

    def __init__(self, *args, station, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_duty"].queryset = station.deputies.order_by("name", "id")  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    date = params.BoundedDateField(label="日期", widget=DATE)
    title = forms.CharField(label="主题", max_length=200)
    is_reception = forms.BooleanField(label="接待日（接待群众）", required=False, initial=True)
    attendees = params.IdMultipleChoiceField(
        Deputy.objects.none(), label="参加代表", required=False
    )
    matters = forms.CharField(
        label="群众反映的问题（每行一件）",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, station, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = station.deputies.order_by("name", "id")  # type: ignore[attr-defined]


class MatterSuggestionForm(forms.Form):
    proposer = forms.ModelChoiceField(Deputy.objects.all(), label="领衔代表（参加活动的代表）")
    checklist = sessions()
    title = forms.CharField(label="案由", max_length=200)
    content = forms.CharField(label="建议内容", widget=forms.Textarea(attrs={"rows": 4}))
    topic = forms.CharField(label="类别", max_length=32, required=False)

    def __init__(self, *args, attendees=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = Checklist.objects.filter(  # type: ignore[attr-defined]
            source=Source.DEPUTY_SUGGESTION
        )
        if attendees is not None:
            self.fields["proposer"].queryset = attendees  # type: ignore[attr-defined]


class MatterItemForm(forms.Form):
    unit = forms.ModelChoiceField(
        Unit.everything.filter(is_active=True).order_by("sort_order", "id"),
        label="承办单位",
    )
    deadline = params.BoundedDateField(label="办结时限", widget=DATE)
    title = forms.CharField(label="事项名称", max_length=200)
    content = forms.CharField(
        label="具体要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
