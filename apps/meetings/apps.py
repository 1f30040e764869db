from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "apps.meetings"
    label = "meetings"
    verbose_name = "常委会会议"

    def ready(self) -> None:
        from apps.accounts.choices import Role
        from apps.audit.registry import track
        from apps.core.demo.registry import DemoStep, register_demo_step
        from apps.core.gates import role_gate
        from apps.core.navigation import (
            NavItem,
            ServiceGroup,
            register_nav,
            register_outsider_home_panel,
        )
        from apps.ledger.calendar_sources import register_calendar_source
        from apps.ledger.policies import register_outsider_link

        from .calendar import session_events
        from .demo import demo_step
        from .models import (
            AgendaItem,
            Attendance,
            CommitteeMember,
            DirectorsMeeting,
            Material,
            MemberVote,
            Observer,
            Opinion,
            Session,
            Speech,
            Vote,
        )
        from .panels import body_panel, upcoming_panel
        from .selectors import body_link

        # Ratings are written in bulk and counted per opinion; events are the timeline itself. A
        # per-member vote's rows are written in bulk with their vote (audited), each correction
        # after that audited row by row.
        for model in (
            CommitteeMember,
            DirectorsMeeting,
            Session,
            AgendaItem,
            Material,
            Attendance,
            Observer,
            Speech,
            Vote,
            MemberVote,
            Opinion,
        ):
            track(model)

        staff = frozenset({Role.LEADER, Role.UNIT_HEAD, Role.OFFICE_STAFF, Role.STAFF})
        role_gate(
            "meetings.readers", staff | {Role.DEPUTY}, "常委会会议仅限机关工作人员和人大代表查看。"
        )
        role_gate("meetings.staff", staff, "会议服务统计仅限机关工作人员查看。")
        role_gate("meetings.body", {Role.EXTERNAL}, "该页面仅限外部单位联络员使用。")
        register_nav(
            NavItem(
                "常委会会议",
                "meetings:session_list",
                ServiceGroup.STANDING_COMMITTEE,
                gate="meetings.readers",
                icon="building-community",
                order=10,
            )
        )
        register_nav(
            NavItem(
                "会议服务统计",
                "meetings:measures",
                ServiceGroup.STANDING_COMMITTEE,
                gate="meetings.staff",
                icon="chart-bar",
                order=11,
            )
        )
        register_nav(
            NavItem(
                "本单位常委会事项",
                "meetings:body_home",
                ServiceGroup.STANDING_COMMITTEE,
                gate="meetings.body",
                icon="building-bank",
                order=12,
            )
        )
        # Both panels scope their rows to the user themselves (a member, a body's contact).
        register_outsider_home_panel(upcoming_panel)
        register_outsider_home_panel(body_panel)
        register_demo_step(DemoStep("meetings", "常委会会议", demo_step, order=45))
        register_calendar_source("meetings", session_events)
        register_outsider_link(body_link)  # the ledger's reminders to a reporting body link here
