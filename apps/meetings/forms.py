"""Forms of the sessions area. They parse input; the rules live in services.py."""

from __future__ import annotations

from django import forms

from apps.attendance.forms import DATE_INVALID, REQUIRED, DateInput
from apps.organization.models import Unit

from .choices import AttendanceStatus, ItemType, MemberChoice, Rating, Reading
from .models import CommitteeMember, DirectorsMeeting

NUMBER_INVALID = "请输入整数。"
CHOICE_INVALID = "请从列表中选择。"
DATETIME_INVALID = "请输入有效的时间，如 2026-03-02 09:30。"


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": REQUIRED, "invalid": DATE_INVALID},
    )


def _int(label: str, *, minimum: int = 0, maximum: int = 10000, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "required": REQUIRED,
            "invalid": NUMBER_INVALID,
            "min_value": f"不能小于{minimum}。",
            "max_value": f"不能大于{maximum}。",
        },
        **kwargs,
    )


def _moment(label: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"required": REQUIRED, "invalid": DATETIME_INVALID},
    )


def _choice(label: str, choices, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"required": REQUIRED, "invalid_choice": CHOICE_INVALID},
    )


def _model(label: str, queryset, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        error_messages={"required": REQUIRED, "invalid_choice": CHOICE_INVALID},
    )


class SessionForm(forms.Form):
    date = _date("会议日期")
    end_date = _date("结束日期", required=False)
    place = forms.CharField(label="会议地点", max_length=64, initial="常委会会议室")
    notice_days = _int("提前通知天数", minimum=1, maximum=60, initial=7)
    materials_workdays = _int("材料提前报送工作日数", minimum=1, maximum=30, initial=5)


class DirectorsMeetingForm(forms.Form):
    date = _date("会议日期")
    topics = forms.CharField(
        label="研究事项", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ItemForm(forms.Form):
    title = forms.CharField(label="议题", max_length=200)
    item_type = _choice("类型", ItemType.choices)
    reading = _choice("审次（法规草案）", Reading.choices, required=False)
    reporting_body = _model(
        "报告单位", Unit.everything.external().filter(is_active=True), required=False
    )
    presenter = forms.CharField(label="报告人", max_length=64, required=False)
    committee = _model("承办工作委员会", Unit.objects.filter(is_active=True))
    planned_minutes = _int("计划时长（分钟）", minimum=1, maximum=480)


class DecideForm(forms.Form):
    directors_meeting = _model("主任会议", DirectorsMeeting.objects.all())


class NoticeForm(forms.Form):
    confirm_late = forms.BooleanField(label="确认逾期发出通知", required=False)
    late_reason = forms.CharField(label="逾期理由", max_length=200, required=False)


class AttendanceForm(forms.Form):
    member = _model("组成人员", CommitteeMember.objects.all())
    status = _choice("出席情况", [("", "—"), *AttendanceStatus.choices, ("clear", "撤销登记")])
    reason = forms.CharField(label="请假事由", max_length=200, required=False)


class ObserverForm(forms.Form):
    name = forms.CharField(label="列席人员", max_length=32)
    affiliation = forms.CharField(label="单位职务", max_length=100, required=False)


class TimesForm(forms.Form):
    start = _moment("实际开始")
    end = _moment("实际结束", required=False)


class SpeechForm(forms.Form):
    group = forms.CharField(label="审议小组", max_length=16)
    speaker = forms.CharField(label="发言人", max_length=32)
    started_at = _moment("开始")
    ended_at = _moment("结束")
    note = forms.CharField(label="发言要点", max_length=500, required=False)


class VoteForm(forms.Form):
    subject = forms.CharField(
        label="表决对象（任免案填被任免人员）", max_length=100, required=False
    )
    yes = _int("赞成", maximum=999)
    no = _int("反对", maximum=999)
    abstain = _int("弃权", maximum=999)
    not_voted = _int("未按", maximum=999)


class RollVoteForm(forms.Form):
    """A per-member vote: the subject here; each member's choice posted as m<member id>."""

    subject = forms.CharField(
        label="表决对象（任免案填被任免人员）", max_length=100, required=False
    )


class OpinionForm(forms.Form):
    text = forms.CharField(label="审议意见", widget=forms.Textarea(attrs={"rows": 6}))
    deadline_months = _int("办理期限（月）", minimum=1, maximum=12, initial=3)
    threshold_percent = _int("满意度通过线（%）", minimum=1, maximum=100, initial=60)
    needs_rating = forms.BooleanField(label="开展满意度测评", required=False, initial=True)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="会议纪要", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label="材料名称", max_length=200)
    pages = _int("页数", minimum=1, maximum=5000)
    characters = _int("字数", minimum=1, maximum=5_000_000)
    # A plain file input: a "clear" box (ClearableFileInput) would hand the view False.
    file = forms.FileField(label="材料文件", required=False, widget=forms.FileInput)


class ReportForm(forms.Form):
    text = forms.CharField(label="研究处理情况", widget=forms.Textarea(attrs={"rows": 6}))


RATING_CHOICES = [("", "未测评"), *Rating.choices]
MEMBER_CHOICES = [("", "—"), *MemberChoice.choices]
