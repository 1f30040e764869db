from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "apps.growth"
    label = "growth"
    verbose_name = "干部成长"

    def ready(self) -> None:
        import datetime

        from apps.accounts.permissions import sees_whole_organ
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.gates import Gate, register_gate, role_gate
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav
        from apps.core.scheduling import DailyJob, register_daily_job
        from apps.workcalendar.registry import register_arrangement_listener

        from . import checks, scopes  # noqa: F401  (registers the data scopes and the key check)
        from .demo import demo_step
        from .models import (
            GuidanceEntry,
            MenteeSummary,
            MentorEvaluation,
            MentorPair,
            StudyMaterial,
            StudyPlan,
            StudyReflection,
            StudySession,
            StudyTopic,
            TrainingRecord,
            TrainingRequirement,
            YouthMembership,
        )
        from .panels import study_panel
        from .services import replan_after_arrangement
        from .tasks import compute_study_rolls, recompute_youth_group

        # Talks are not tracked field by field (see Talk's docstring); roll rows are derived and
        # written in bulk, the secretary's entries record their own event.
        for model in (
            StudyPlan,
            StudySession,
            StudyTopic,
            StudyMaterial,
            StudyReflection,
            MentorPair,
            GuidanceEntry,
            MentorEvaluation,
            MenteeSummary,
            YouthMembership,
            TrainingRecord,
            TrainingRequirement,
        ):
            track(model)
        register_gate(
            Gate(
                "growth.statistics",
                lambda user: sees_whole_organ(user) or user.role == "unit_head",
                "队伍建设统计供领导、办公室和单位负责人查看。",
            )
        )
        role_gate(
            "growth.talk_registry",
            {"audit_admin"},
            "该页面仅供审计管理员核对谈心谈话记录是否存在。",
        )
        statistics = "growth.statistics"
        for order, (label, url_name, icon, gate) in enumerate(
            (
                ("学习教育", "growth:study_list", "book", "business"),
                ("传帮带", "growth:pair_list", "users", "business"),
                ("青年理论学习小组", "growth:youth", "plant-2", "business"),
                ("谈心谈话", "growth:talk_list", "messages", "business"),
                ("教育培训", "growth:training", "school", "business"),
                ("干部成长档案", "growth:file_list", "id-badge-2", "business"),
                ("队伍建设统计", "growth:statistics", "chart-pie", statistics),
            )
        ):
            register_nav(
                NavItem(label, url_name, ServiceGroup.ORGAN, gate=gate, icon=icon, order=50 + order)
            )
        register_nav(
            NavItem(
                "谈心谈话记录（审计）",
                "growth:talk_registry",
                ServiceGroup.ADMINISTRATION,
                gate="growth.talk_registry",
                icon="lock",
                order=60,
            )
        )
        register_home_panel(study_panel)
        register_arrangement_listener("growth", replan_after_arrangement)
        register_demo_step(
            DemoStep(
                "growth",
                "干部成长（学习、传帮带、青年小组、谈心谈话、培训）",
                demo_step,
                order=40,
            )
        )
        register_daily_job(
            DailyJob(
                "计算学习出勤",
                compute_study_rolls,
                at=datetime.time(0, 45),
                workdays_only=False,
            )
        )
        register_daily_job(
            DailyJob(
                "更新青年理论学习小组成员",
                recompute_youth_group,
                at=datetime.time(1, 0),
                workdays_only=False,
            )
        )
