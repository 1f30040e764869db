"""Reads of approvals: the stages waiting for a decision, for the inbox and the dashboards."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .choices import StageStatus
from .models import ApprovalStage


def pending_stages(user: Any, *, organ: bool = False) -> QuerySet[ApprovalStage]:
    """The stages waiting for `user`'s decision, or (organ=True) for anyone's."""
    stages = ApprovalStage.objects.filter(status=StageStatus.PENDING)
    return stages if organ else stages.filter(approver=user)


def register_dashboard_figures() -> None:
    import datetime

    from django.urls import reverse

    from apps.core.figures import Figure, register_figure

    def mine(user: Any, today: datetime.date) -> int:
        return pending_stages(user).count()

    def organ(user: Any, today: datetime.date) -> int:
        return pending_stages(user, organ=True).count()

    def inbox(user: Any, unit_id: int | None) -> str:
        return reverse("approvals:inbox")

    def organ_inbox(user: Any, unit_id: int | None) -> str:
        return f"{reverse('approvals:inbox')}?scope=all"

    register_figure(
        Figure(
            key="approvals.mine",
            label="待我审批",
            area="审批",
            count=mine,
            url=inbox,
            measure="件",
            tone="warning",
            note="等待您决定的审批环节",
            order=30,
        )
    )
    register_figure(
        Figure(
            key="approvals.organ",
            label="全机关待审批",
            area="审批",
            count=organ,
            url=organ_inbox,
            measure="件",
            tone="secondary",
            note="全机关等待审批人决定的审批环节",
            gate="approvals.organ",
            order=31,
        )
    )
