from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav

        from .panels import audit_admin_panel

        register_nav(
            NavItem(
                "审计日志",
                "audit:event_list",
                ServiceGroup.ADMINISTRATION,
                capability="audit.view",
                icon="file-search",
                order=30,
            )
        )
        register_nav(
            NavItem(
                "审计链校验",
                "audit:chain_status",
                ServiceGroup.ADMINISTRATION,
                capability="audit.view",
                icon="shield-check",
                order=31,
            )
        )
        register_home_panel(audit_admin_panel)
