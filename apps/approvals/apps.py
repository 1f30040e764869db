from typing import Any

from django.apps import AppConfig


def pending_approvals_panel(user: Any) -> Any:
    """The home-page box of the stages waiting for this user's decision, oldest first."""
    from django.urls import reverse

    from apps.core.navigation import HomePanel

    from .choices import StageStatus
    from .models import ApprovalStage

    if not getattr(user, "is_authenticated", False) or user.is_admin_role:
        return None
    stages = (
        ApprovalStage.objects.filter(approver=user, status=StageStatus.PENDING)
        .select_related("request__applicant__person")
        .order_by("request__submitted_at")[:8]
    )
    items = [
        {
            "label": stage.request.title,
            "url": reverse("approvals:request_detail", args=[stage.request_id]),
            "meta": f"{stage.name} · {stage.request.submitted_at:%m月%d日}",
            "tone": "warning",
        }
        for stage in stages
    ]
    return HomePanel(
        title="待我审批",
        items=items,
        more_url=reverse("approvals:inbox"),
        empty_text="暂无待审批事项",
        order=5,
    )


class ApprovalsConfig(AppConfig):
    name = "apps.approvals"
    label = "approvals"
    verbose_name = "审批"

    def ready(self) -> None:
        from apps.accounts.permissions import sees_whole_organ
        from apps.audit.registry import track
        from apps.core.gates import Gate, register_gate
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav

        from .models import ApprovalFlow, ApprovalRequest, ApprovalStage, ApprovalStep
        from .selectors import register_dashboard_figures

        for model in (ApprovalFlow, ApprovalStep, ApprovalRequest, ApprovalStage):
            track(model)
        register_nav(
            NavItem(
                "我的审批",
                "approvals:inbox",
                ServiceGroup.ORGAN,
                gate="business",
                icon="checklist",
                order=20,
            )
        )
        register_nav(
            NavItem(
                "审批流程",
                "approvals:flow_list",
                ServiceGroup.ADMINISTRATION,
                gate="cap:organization.manage",
                icon="git-branch",
                order=41,
            )
        )
        register_home_panel(pending_approvals_panel)
        register_gate(
            Gate(
                "approvals.organ",
                sees_whole_organ,
                "全机关待审批仅限常委会领导和办公室查看。",
            )
        )
        register_dashboard_figures()
