from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "apps.attendance"
    label = "attendance"
    verbose_name = "考勤管理"

    def ready(self) -> None:
        import datetime

        from apps.approvals.registry import (
            register_amount_unit,
            register_describer,
            register_outcome,
        )
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.gates import role_gate
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav
        from apps.core.scheduling import DailyJob, register_daily_job
        from apps.workcalendar.registry import register_arrangement_listener

        from . import scopes  # noqa: F401  (registers the data scopes)
        from .choices import FLOW_CODES
        from .demo import demo_step
        from .figures import register_board_table, register_dashboard_figures
        from .models import AttendancePolicy, AttendanceRequest, PointRule, Schedule
        from .panels import attendance_panel, away_today_panel
        from .services import describe_request, on_request_decided, rejudge_after_arrangement
        from .tasks import compute_yesterday_results

        # Clocks, results and points are written in bulk and are derived or append-only; the
        # settings, schedules, rules and requests are what people change, so they are tracked.
        for model in (AttendancePolicy, Schedule, PointRule, AttendanceRequest):
            track(model)
        for code in FLOW_CODES.values():
            register_outcome(code, on_request_decided)
            register_describer(code, describe_request)
        for kind, code in FLOW_CODES.items():
            if kind != "correction":
                register_amount_unit(code, "workdays")  # AttendanceRequest.days
        role_gate(
            "attendance.notice",
            {"leader", "unit_head", "office_staff"},
            "考勤通报仅限常委会领导、单位负责人和办公室查看。",
        )
        register_nav(
            NavItem(
                "考勤打卡",
                "attendance:home",
                ServiceGroup.ORGAN,
                gate="business",
                icon="fingerprint",
                order=30,
            )
        )
        register_nav(
            NavItem(
                "我的考勤",
                "attendance:my_month",
                ServiceGroup.ORGAN,
                gate="business",
                icon="calendar-user",
                order=31,
            )
        )
        register_nav(
            NavItem(
                "请假与外出",
                "attendance:request_list",
                ServiceGroup.ORGAN,
                gate="business",
                icon="plane-departure",
                order=32,
            )
        )
        register_nav(
            NavItem(
                "考勤通报",
                "attendance:notice",
                ServiceGroup.ORGAN,
                gate="attendance.notice",
                icon="chart-bar",
                order=33,
            )
        )
        register_nav(
            NavItem(
                "考勤加减分",
                "attendance:points",
                ServiceGroup.ORGAN,
                gate="business",
                icon="award",
                order=34,
            )
        )
        register_nav(
            NavItem(
                "考勤设置",
                "attendance:settings",
                ServiceGroup.ADMINISTRATION,
                gate="cap:organization.manage",
                icon="adjustments",
                order=40,
            )
        )
        register_home_panel(attendance_panel)
        register_home_panel(away_today_panel)
        register_dashboard_figures()
        register_board_table()
        register_arrangement_listener("attendance", rejudge_after_arrangement)
        register_demo_step(
            DemoStep(
                "attendance",
                "全年考勤（打卡、请假出差及审批、每日结果）",
                demo_step,
                order=30,
            )
        )
        register_daily_job(
            DailyJob(
                name="计算前一日考勤结果",
                task=compute_yesterday_results,
                at=datetime.time(0, 30),
                workdays_only=False,
            )
        )
