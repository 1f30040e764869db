from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from apps.audit.registry import track
        from apps.core.navigation import NavItem, ServiceGroup, register_nav

        from .models import CalendarYear, SpecialDay

        track(CalendarYear)
        track(SpecialDay)
        register_nav(NavItem("工作日历", "workcalendar:year_list", ServiceGroup.ORGAN, capability="workcalendar.view", icon="calendar", order=95))
