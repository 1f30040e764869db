from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        import datetime

        from apps.audit.registry import track
        from apps.core.gates import Gate, register_gate
        from apps.core.navigation import NavItem, ServiceGroup, register_home_panel, register_nav
        from apps.core.scheduling import DailyJob, register_daily_job

        from .models import User
        from .panels import (
            admin_changes_panel,
            locked_accounts_panel,
            password_expiry_panel,
            pending_accounts_panel,
        )
        from .permissions import Capability, has_capability
        from .tasks import prune_sign_in_failures

        # last_login and the lockout counters are recorded as login / lock events instead.
        track(
            User, ignore={"last_login", "failed_login_count", "locked_until"}, secret={"password"}
        )
        register_gate(
            Gate(
                "accounts.list",
                lambda user: (
                    has_capability(user, Capability.MANAGE_ACCOUNTS)
                    or has_capability(user, Capability.VIEW_SECURITY)
                ),
                "账号管理仅限系统管理员和安全管理员。",
            )
        )
        register_nav(
            NavItem(
                "账号管理",
                "accounts:account_list",
                ServiceGroup.ADMINISTRATION,
                gate="accounts.list",
                icon="user-cog",
                order=10,
            )
        )
        register_nav(
            NavItem(
                "三员账号变更",
                "accounts:admin_changes",
                ServiceGroup.ADMINISTRATION,
                gate="cap:accounts.admin_change",
                icon="users-group",
                order=11,
            )
        )
        register_home_panel(password_expiry_panel)
        register_home_panel(locked_accounts_panel)
        register_home_panel(pending_accounts_panel)
        register_home_panel(admin_changes_panel)
        register_daily_job(
            DailyJob(
                "清理登录失败记录",
                prune_sign_in_failures,
                at=datetime.time(1, 0),
                workdays_only=False,
            )
        )
