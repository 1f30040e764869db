"""`manage.py admin_break_glass`: the emergency change of a 三员 account, on the server only.

On the web no administrator can change a 三员 account alone: one asks, another confirms. When
that is impossible — the other two are unreachable, or an administrator's account is compromised
and must be disabled now — whoever runs commands on the server may apply one change at once. The
change is recorded in the audit trail as a break-glass change (who on which machine, and why)
and, where checkpoints are configured, anchored outside the database right away.
"""

from __future__ import annotations

import getpass
import socket
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.choices import ADMIN_ROLES, AdminChangeKind, Role
from apps.accounts.models import User
from apps.accounts.services import admin_change_break_glass
from apps.audit.checkpoints import CheckpointRefused, checkpoint_path, write_checkpoint


class Command(BaseCommand):
    help = (
        "紧急处置：不经双人审批，立即停用、启用三员账号或变更其三员角色（含为待授权账号授予三员角色）。"
        "操作记入审计记录。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要处置的账号")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--disable", action="store_true", help="停用该三员账号")
        action.add_argument("--enable", action="store_true", help="启用该三员账号")
        action.add_argument("--role", choices=sorted(ADMIN_ROLES), help="改为（或授予）该三员角色")
        parser.add_argument("--reason", required=True, help="处置理由（记入审计记录）")
        parser.add_argument("--yes", action="store_true", help="不再交互确认")

    def handle(self, *args, **options) -> None:
        target = User.objects.filter(username=options["username"]).first()
        if target is None:
            raise CommandError(f"账号 {options['username']} 不存在。")
        if options["role"]:
            kind, role, what = (
                AdminChangeKind.ROLE,
                options["role"],
                f"角色改为{Role(options['role']).label}",
            )
        elif options["disable"]:
            kind, role, what = AdminChangeKind.DISABLE, "", "停用"
        else:
            kind, role, what = AdminChangeKind.ENABLE, "", "启用"
        operator = f"{getpass.getuser()}@{socket.gethostname()}"
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("非交互式终端中须加 --yes 确认。")
            typed = input(f"紧急处置：{target.username} {what}。请再次输入该用户名确认：")
            if typed.strip() != target.username:
                raise CommandError("用户名不一致，未做任何修改。")
        try:
            admin_change_break_glass(
                target=target, kind=kind, role=role, reason=options["reason"], operator=operator
            )
        except ValidationError as error:
            raise CommandError("未做任何修改：" + "；".join(error.messages)) from None
        self.stdout.write(
            self.style.WARNING(
                f"已紧急处置：{target.username} {what}（操作者 {operator}），已记入审计记录。"
            )
        )
        for admin_role in sorted(ADMIN_ROLES):
            if not User.objects.filter(role=admin_role, is_active=True).exists():
                self.stdout.write(
                    self.style.ERROR(
                        f"注意：当前没有启用的{Role(admin_role).label}账号，请尽快补充。"
                    )
                )
        if checkpoint_path() is not None:
            try:
                write_checkpoint()
            except CheckpointRefused as refused:
                self.stdout.write(self.style.ERROR(f"审计链锚点未写入：{refused}"))
            else:
                self.stdout.write("已写入审计链锚点。")
