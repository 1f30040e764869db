from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "apps.deputies"
    label = "deputies"
    verbose_name = "服务代表"

    def ready(self) -> None:
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.navigation import (
            NavItem,
            ServiceGroup,
            register_nav,
            register_outsider_home_panel,
        )
        from apps.imports.registry import register_import_type
        from apps.ledger.choices import ItemKind
        from apps.ledger.policies import ItemPolicy, register_item_policy

        from . import clocks, scopes
        from .demo import demo_step
        from .importing import ROSTER_IMPORT
        from .models import (
            Answer,
            AnswerLetter,
            Deputy,
            DutyPointRule,
            DutyRecord,
            Handling,
            Mandate,
            ReceptionDay,
            Station,
            StationActivity,
            StationMatter,
            Suggestion,
        )
        from .panels import outsider_panel

        for model in (
            Deputy,
            Mandate,
            Station,
            StationActivity,
            StationMatter,
            ReceptionDay,
            DutyPointRule,
            DutyRecord,
            Suggestion,
            Handling,
            Answer,
            AnswerLetter,
        ):
            track(model)
        register_item_policy(
            ItemPolicy(
                ItemKind.SUGGESTION,
                extension_problem=clocks.extension_problem,
                extension_deciders=scopes.extension_deciders,
            )
        )
        from apps.ledger.policies import register_outsider_link

        from .selectors import body_link

        register_outsider_link(body_link)  # the ledger's reminders to an answering body link here
        from apps.core.gates import Gate, register_gate, role_gate

        register_gate(
            Gate(
                "deputies.readers",
                scopes.reads_everything,
                "代表建议办理由办公室负责，您无权查看。",
            )
        )
        register_gate(
            Gate(
                "deputies.deputy",
                lambda user: scopes.deputy_of(user) is not None,
                "该页面仅供人大代表本人使用。",
                outsiders=True,
            )
        )
        role_gate("deputies.body", {"external"}, "该页面仅限承办单位联络员使用。")
        for item in (
            NavItem(
                "代表建议办理",
                "deputies:suggestion_list",
                ServiceGroup.DEPUTIES,
                gate="deputies.readers",
                icon="bulb",
                order=10,
            ),
            NavItem(
                "建议办理统计",
                "deputies:statistics",
                ServiceGroup.DEPUTIES,
                gate="deputies.readers",
                icon="chart-pie",
                order=11,
            ),
            NavItem(
                "代表名册",
                "deputies:deputy_list",
                ServiceGroup.DEPUTIES,
                gate="business",
                icon="users",
                order=12,
            ),
            NavItem(
                "代表之家（联络站）",
                "deputies:station_list",
                ServiceGroup.DEPUTIES,
                gate="business",
                icon="home",
                order=13,
            ),
            NavItem(
                "我的履职",
                "deputies:my_home",
                ServiceGroup.DEPUTIES,
                gate="deputies.deputy",
                icon="id-badge-2",
                order=1,
            ),
            NavItem(
                "我的建议",
                "deputies:my_suggestions",
                ServiceGroup.DEPUTIES,
                gate="deputies.deputy",
                icon="bulb",
                order=2,
            ),
            NavItem(
                "承办代表建议",
                "deputies:body_list",
                ServiceGroup.DEPUTIES,
                gate="deputies.body",
                icon="bulb",
                order=1,
            ),
        ):
            register_nav(item)
        register_outsider_home_panel(outsider_panel)
        register_demo_step(
            DemoStep("deputies", "服务代表（代表名册、联络站、代表建议）", demo_step, order=60)
        )
        register_import_type(ROSTER_IMPORT)
        from apps.ledger.calendar_sources import register_calendar_source

        from .calendar import reception_events

        register_calendar_source("deputies", reception_events)
