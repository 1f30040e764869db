from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "apps.ledger"
    label = "ledger"
    verbose_name = "督查督办"

    def ready(self) -> None:
        import datetime

        from apps.accounts.choices import Role
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.gates import role_gate
        from apps.core.navigation import (
            NavItem,
            ServiceGroup,
            register_home_panel,
            register_nav,
            register_outsider_home_panel,
        )
        from apps.core.scheduling import DailyJob, register_daily_job
        from apps.imports.registry import register_import_type
        from apps.workcalendar.registry import register_arrangement_listener

        from . import rules  # noqa: F401  (registers the data scopes)
        from .demo import demo_step
        from .figures import register_dashboard_figures
        from .importing import LEDGER_IMPORT
        from .models import Checklist, ExtensionRequest, Milestone, TrackedItem
        from .panels import body_items_panel, key_work_panel, my_items_panel
        from .recompute import recompute_dates
        from .search import register as register_search
        from .tasks import send_ledger_reminders

        for model in (Checklist, TrackedItem, Milestone, ExtensionRequest):
            track(model)

        from apps.approvals.registry import register_describer, register_outcome

        from .services import EXTENSION_FLOW, on_extension_decided

        register_outcome(EXTENSION_FLOW, on_extension_decided)
        register_describer(
            EXTENSION_FLOW,
            lambda r: (
                f"{r.item.title}：申请由{r.old_deadline:%Y-%m-%d}延至{r.new_deadline:%Y-%m-%d}"
            ),
        )

        register_nav(
            NavItem(
                "督办台账",
                "ledger:item_list",
                ServiceGroup.ORGAN,
                gate="business",
                icon="list-check",
                order=10,
            )
        )
        register_nav(
            NavItem(
                "我的事项",
                "ledger:my_items",
                ServiceGroup.ORGAN,
                gate="business",
                icon="user-check",
                order=11,
            )
        )
        register_nav(
            NavItem(
                "重点工作行事历",
                "ledger:calendar",
                ServiceGroup.ORGAN,
                gate="business",
                icon="calendar-event",
                order=12,
            )
        )
        register_nav(
            NavItem(
                "督办统计",
                "ledger:statistics",
                ServiceGroup.ORGAN,
                gate="business",
                icon="chart-bar",
                order=13,
            )
        )
        register_home_panel(my_items_panel)
        register_home_panel(key_work_panel)
        # An external body's contact: the body's plain items (the areas show theirs themselves).
        role_gate("ledger.body", {Role.EXTERNAL}, "该页面仅供外部单位联络员使用。")
        register_nav(
            NavItem(
                "本单位督办事项",
                "ledger:body_list",
                ServiceGroup.ORGAN,
                gate="ledger.body",
                icon="list-check",
                order=14,
            )
        )
        register_outsider_home_panel(body_items_panel)  # scoped to the contact's own body
        register_dashboard_figures()
        register_search()
        register_arrangement_listener("ledger", recompute_dates)
        register_demo_step(DemoStep("ledger", "督办台账", demo_step, order=20))

        register_import_type(LEDGER_IMPORT)
        register_daily_job(
            DailyJob("督办提醒", send_ledger_reminders, at=datetime.time(8, 0), workdays_only=True)
        )
