from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "apps.party"
    label = "party"
    verbose_name = "党建宣传"

    def ready(self) -> None:
        import datetime

        from apps.approvals.registry import register_describer, register_outcome
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav
        from apps.core.scheduling import DailyJob, register_daily_job
        from apps.growth.registry import register_first_topic_source

        from . import (
            scopes,  # noqa: F401  (registers the data scopes)
            selectors,
        )
        from .choices import ARTICLE_FLOW
        from .demo import demo_step
        from .models import (
            AgendaItem,
            Article,
            BranchActivity,
            HigherReport,
            MajorDecision,
            PartyMeeting,
            PublicationIssue,
            ResponsibilityItem,
            ResponsibilityList,
            Review,
            ReviewSubject,
        )
        from .panels import party_panel
        from .services import on_article_decided
        from .tasks import send_party_reminders

        # Ballots are not tracked: an audit row per ballot would show who scored whom.
        for model in (
            PartyMeeting,
            AgendaItem,
            MajorDecision,
            HigherReport,
            ResponsibilityList,
            ResponsibilityItem,
            Review,
            ReviewSubject,
            BranchActivity,
            Article,
            PublicationIssue,
        ):
            track(model)
        from apps.core.gates import Gate, register_gate

        from .rules import sees_party_records

        register_gate(
            Gate(
                "party.records",
                sees_party_records,
                "党组会议和三重一大记录仅党组成员和记录人可以查阅。",
            )
        )
        register_gate(
            Gate(
                "party.statistics",
                lambda user: sees_party_records(user) or user.role in {"leader", "unit_head"},
                "党建宣传统计仅领导、单位负责人、党组成员和办公室可以查阅。",
            )
        )
        for order, (label, url_name, icon, gate) in enumerate(
            (
                ("党组会议", "party:meeting_list", "flag", "party.records"),
                ("一岗双责", "party:list_index", "list-check", "business"),
                ("述职评议", "party:review_list", "star", "business"),
                ("支部活动", "party:activity_list", "users-group", "business"),
                ("宣传信息", "party:article_list", "speakerphone", "business"),
                ("党建宣传统计", "party:statistics", "chart-bar", "party.statistics"),
            )
        ):
            register_nav(
                NavItem(
                    label,
                    url_name,
                    ServiceGroup.ORGAN,
                    gate=gate,
                    icon=icon,
                    order=70 + order,
                )
            )
        register_home_panel(party_panel)
        register_outcome(ARTICLE_FLOW, on_article_decided)
        register_describer(
            ARTICLE_FLOW,
            lambda a: f"{a.get_kind_display()}：{a.title}（{a.unit.short_name} {a.author.name}）",
        )
        register_first_topic_source("party", selectors.first_topic_entries)
        register_daily_job(
            DailyJob(
                "党建提醒（一岗双责检查、请示报告时限）",
                send_party_reminders,
                at=datetime.time(8, 40),
            )
        )
        register_demo_step(
            DemoStep(
                "party",
                "党建宣传（党组会议、三重一大、责任清单、述职评议、支部活动、宣传）",
                demo_step,
                order=50,
            )
        )
