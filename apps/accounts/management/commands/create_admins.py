"""`manage.py create_admins`: the production bootstrap of the three administrators (三员).

There is no superuser in this system (a database constraint forbids it), so a fresh installation
needs exactly these three accounts to open accounts, grant roles and read the audit trail.
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.choices import ADMIN_ROLES, Role
from apps.accounts.models import User
from apps.accounts.services import admins_create


@dataclass(frozen=True)
class AdminSpec:
    role: Role
    option: str  # the command-line option stem: --<option>-username, --<option>-password
    default_username: str


ADMINS = (
    AdminSpec(Role.SYSTEM_ADMIN, "system", "sysadmin"),
    AdminSpec(Role.SECURITY_ADMIN, "security", "secadmin"),
    AdminSpec(Role.AUDIT_ADMIN, "audit", "auditadmin"),
)


class Command(BaseCommand):
    help = "首次部署时创建三员账号（系统管理员、安全管理员、审计管理员）。密码可由参数给出，否则交互输入。"

    def add_arguments(self, parser: CommandParser) -> None:
        for spec in ADMINS:
            parser.add_argument(
                f"--{spec.option}-username",
                default=spec.default_username,
                help=f"{spec.role.label}用户名（默认 {spec.default_username}）",
            )
            parser.add_argument(
                f"--{spec.option}-password",
                help=f"{spec.role.label}密码（不提供则交互输入；注意命令行参数可能留在 shell 历史中）",
            )

    def handle(self, *args, **options) -> None:
        if User.objects.filter(role__in=ADMIN_ROLES).exists():
            names = "、".join(
                User.objects.filter(role__in=ADMIN_ROLES).values_list("username", flat=True)
            )
            raise CommandError(f"已存在三员账号（{names}），create_admins 只用于首次部署。")
        credentials: dict[Role, tuple[str, str]] = {}
        for spec in ADMINS:
            username = options[f"{spec.option}_username"].strip()
            password = options[f"{spec.option}_password"]
            if password is None:
                password = self._prompt(spec.role.label, username, spec.option)
            credentials[spec.role] = (username, password)
        try:
            created = admins_create(credentials=credentials)
        except ValidationError as error:
            raise CommandError(
                "未创建任何账号：\n" + "\n".join(f"  - {m}" for m in error.messages)
            ) from None
        for user in created:
            self.stdout.write(
                self.style.SUCCESS(f"已创建{user.get_role_display()}账号：{user.username}")
            )
        self.stdout.write(
            "三员账号已就绪。请由系统管理员开设业务账号，安全管理员授予角色，审计管理员查看审计记录。"
        )

    def _prompt(self, label: str, username: str, option: str) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                f"未提供 --{option}-password，且当前不是交互式终端，无法输入{label}密码。"
            )
        for _ in range(3):
            first = getpass.getpass(f"请输入{label}（{username}）的密码：")
            second = getpass.getpass("请再次输入密码：")
            if first and first == second:
                return first
            self.stderr.write("两次输入的密码不一致或为空，请重新输入。")
        raise CommandError(f"{label}密码输入失败，未创建任何账号。")
