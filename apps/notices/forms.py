from __future__ import annotations

from typing import Any

from django import forms

from apps.attendance.forms import DATE_INVALID, DateInput
from apps.core import params
from apps.documents.services import allowed_extensions, max_attachment_bytes
from apps.ledger.forms import MultipleFileField
from apps.organization.choices import UnitKind
from apps.organization.models import Unit

from .choices import NoticeCategory
from .models import TITLE_MAX_LENGTH, NoticeAttachment
from .services import BODY_MAX_LENGTH, REASON_MAX_LENGTH, NoticeSpec

WHOLE_ORGAN = "organ"
CHOSEN_UNITS = "units"


def _units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("sort_order", "id")


class NoticeForm(forms.Form):
    title = forms.CharField(
        label="标题",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "请填写标题。",
            "max_length": f"标题不能超过{TITLE_MAX_LENGTH}字。",
        },
    )
    category = forms.ChoiceField(
        label="类别",
        choices=NoticeCategory.choices,
        error_messages={"invalid_choice": "请选择通知类别。"},
    )
    issuer = forms.ModelChoiceField(
        _units(),
        label="发布单位",
        empty_label="请选择",
        error_messages={"required": "请选择发布单位。"},
    )
    body = forms.CharField(
        label="正文",
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="纯文本，空行或换行分段；不支持网页格式。",
        error_messages={
            "required": "请填写正文。",
            "max_length": f"正文不能超过{BODY_MAX_LENGTH}字。",
        },
    )
    audience = forms.ChoiceField(
        label="发送范围",
        choices=[(WHOLE_ORGAN, "全机关"), (CHOSEN_UNITS, "指定单位")],
        initial=WHOLE_ORGAN,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择发送范围。"},
    )
    units = params.IdMultipleChoiceField(
        _units(),
        label="指定单位",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="发送范围为“指定单位”时勾选。",
    )
    requires_confirmation = forms.BooleanField(
        label="需确认（阅读人须点击“已知悉”）", required=False
    )
    pinned = forms.BooleanField(label="置顶", required=False)
    pinned_until = params.BoundedDateField(
        label="置顶至",
        required=False,
        widget=DateInput(),
        help_text="不填则一直置顶，直至取消。",
        error_messages={"invalid": DATE_INVALID},
    )
    valid_until = params.BoundedDateField(
        label="有效期至（截止日期）",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )
    attachments = MultipleFileField(label="附件")

    def __init__(self, *args: Any, notice: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The documents area's rule for attachments (types and size), which the service applies.
        self.fields["attachments"].help_text = (
            f"可选择多个文件，每个不超过{max_attachment_bytes() // (1024 * 1024)}MB；"
            f"允许的类型：{'、'.join(sorted(allowed_extensions()))}。"
        )
        if notice is not None and notice.attachments.exists():
            self.fields["remove_attachments"] = forms.ModelMultipleChoiceField(
                NoticeAttachment.objects.filter(notice=notice),
                label="删除附件",
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        if not self.is_bound and notice is None:
            self.initial.setdefault("issuer", _units().filter(kind=UnitKind.OFFICE).first())

    def spec(self) -> NoticeSpec:
        data = self.cleaned_data
        return NoticeSpec(
            title=data["title"],
            body=data["body"],
            issuer=data["issuer"],
            category=data["category"],
            whole_organ=data["audience"] == WHOLE_ORGAN,
            units=list(data["units"]),
            requires_confirmation=data["requires_confirmation"],
            pinned=data["pinned"],
            pinned_until=data["pinned_until"],
            valid_until=data["valid_until"],
        )


def initial_of(notice: Any) -> dict[str, Any]:
    return {
        "title": notice.title,
        "category": notice.category,
        "issuer": notice.issuer_id,
        "body": notice.body,
        "audience": WHOLE_ORGAN if notice.whole_organ else CHOSEN_UNITS,
        "units": [u.pk for u in notice.units.all()],
        "requires_confirmation": notice.requires_confirmation,
        "pinned": notice.pinned,
        "pinned_until": notice.pinned_until,
        "valid_until": notice.valid_until,
    }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "撤回须说明原因。",
            "max_length": f"撤回原因不能超过{REASON_MAX_LENGTH}字。",
        },
    )
