from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "apps.notices"
    label = "notices"
    verbose_name = "通知公告"

    def ready(self) -> None:
        from apps.accounts.permissions import BUSINESS_ROLES
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.gates import Gate, register_gate, role_gate
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav

        from . import rules, search
        from .demo import demo_step
        from .models import Notice, NoticeAttachment
        from .panels import unread_panel

        # Receipts are written in bulk (publication) and by conditional updates (reading): the
        # notice's events and the receipt page are their record, not an audit row per reading.
        track(Notice)
        track(NoticeAttachment)
        role_gate("notices.readers", BUSINESS_ROLES, "通知公告仅限机关工作人员查看。")
        register_gate(
            Gate(
                "notices.publish",
                rules.can_publish,
                "只有办公室可以起草、发布和撤回通知公告。",
            )
        )
        register_nav(
            NavItem(
                "通知公告",
                "notices:notice_list",
                ServiceGroup.ORGAN,
                gate="notices.readers",
                icon="news",
                order=1,
            )
        )
        register_home_panel(unread_panel)
        search.register()
        register_demo_step(DemoStep("notices", "通知公告", demo_step, order=70))
