from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from apps.audit.registry import track
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav

        from .models import CalendarYear, SpecialDay
        from .panels import missing_year_panel

        track(CalendarYear)
        track(SpecialDay)
        register_nav(
            NavItem(
                "工作日历",
                "workcalendar:year_list",
                ServiceGroup.ORGAN,
                capability="workcalendar.view",
                icon="calendar",
                order=95,
            )
        )
        register_home_panel(missing_year_panel)
