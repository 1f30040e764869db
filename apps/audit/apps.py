from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        import datetime

        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav
        from apps.core.scheduling import DailyJob, register_daily_job

        from . import checks  # noqa: F401  (registers the deployment checks of the audit key)
        from .panels import audit_admin_panel
        from .tasks import write_audit_checkpoint

        register_nav(
            NavItem(
                "审计日志",
                "audit:event_list",
                ServiceGroup.ADMINISTRATION,
                gate="cap:audit.view",
                icon="file-search",
                order=30,
            )
        )
        register_nav(
            NavItem(
                "审计链校验",
                "audit:chain_status",
                ServiceGroup.ADMINISTRATION,
                gate="cap:audit.view",
                icon="shield-check",
                order=31,
            )
        )
        register_home_panel(audit_admin_panel)
        # Every day, holidays included: the trail grows on any day someone signs in.
        register_daily_job(
            DailyJob(
                "审计链锚定", write_audit_checkpoint, at=datetime.time(0, 30), workdays_only=False
            )
        )
