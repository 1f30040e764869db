"""Forms of the approvals area. They parse input; the rules live in services.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from apps.organization.models import Person

from .choices import ApproverKind
from .models import ApprovalStep


class StepForm(forms.Form):
    """One step of a flow, as the system administrator enters it."""

    order = forms.IntegerField(label="顺序", min_value=1, max_value=99)
    name = forms.CharField(label="步骤名称", max_length=64)
    approver_kind = forms.ChoiceField(label="审批人", choices=ApproverKind.choices)
    approver_person = forms.ModelChoiceField(
        label="指定审批人",
        queryset=Person.objects.filter(is_active=True),
        required=False,
        empty_label="（不指定）",
        help_text="仅当审批人为“指定人员”时填写。",
    )
    min_amount = forms.DecimalField(
        label="适用起点（如天数大于等于）",
        max_digits=8,
        decimal_places=2,
        initial=Decimal("0"),
        help_text="申请数量（如请假天数）达到此值时才经过本步骤；0 表示所有申请都经过。",
    )

    @staticmethod
    def initial_for(step: ApprovalStep) -> dict[str, Any]:
        return {
            "order": step.order,
            "name": step.name,
            "approver_kind": step.approver_kind,
            "approver_person": step.approver_person_id,
            "min_amount": step.min_amount,
        }
