from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        import datetime

        from apps.audit.registry import track
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav
        from apps.core.scheduling import DailyJob, register_daily_job

        from .models import CalendarYear, SpecialDay
        from .panels import provisional_year_panel
        from .tasks import load_package_years

        track(CalendarYear)
        track(SpecialDay)
        register_nav(
            NavItem(
                "工作日历",
                "workcalendar:year_list",
                ServiceGroup.ORGAN,
                gate="cap:workcalendar.view",
                icon="calendar",
                order=95,
            )
        )
        register_home_panel(provisional_year_panel)
        register_daily_job(
            DailyJob(
                "载入节假日数据包", load_package_years, at=datetime.time(6, 0), workdays_only=False
            )
        )
