"""`manage.py seed_demo`: load the fictitious demo organ into an empty database."""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo.organ import (
    DEFAULT_SEED,
    DEMO_PASSWORD,
    DemoAccount,
    existing_demo_accounts,
    generate_organ,
)
from apps.core.demo.registry import DemoContext, demo_steps
from apps.organization.models import Person, Unit


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table whose columns line up in a terminal, Chinese characters included."""
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def accounts_table(accounts: Sequence[DemoAccount]) -> str:
    return format_table(
        ["用户名", "角色", "姓名", "单位", "职务"],
        [
            [
                a.username,
                a.role_label,
                a.person_name or "—",
                a.unit_name or "—",
                a.post_title or "—",
            ]
            for a in accounts
        ],
    )


class Command(BaseCommand):
    help = "在空数据库中生成演示机关数据（办公室和九个工作委员会、常委会领导、约90名工作人员）及演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"随机种子，相同种子生成相同数据（默认 {DEFAULT_SEED}）",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="以该日期为“今天”生成演示数据（YYYY-MM-DD，默认今天），任何日期均可",
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            metavar="KEY",
            help="跳过某一部分演示数据，可多次给出："
            + "、".join(f"{step.key}（{step.label}）" for step in demo_steps()),
        )
        parser.add_argument(
            "--without-attendance",
            action="store_true",
            help="同 --skip attendance：不生成全年考勤演示数据（约需一分钟；测试中使用）",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有数据时不报错，只列出已有的演示账号（供 make run 重复执行）",
        )

    def handle(self, *args, **options) -> None:
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "生产环境禁止加载演示数据：演示账号使用公开的演示密码。请使用 manage.py create_admins 初始化三员账号。"
            )
        existing = {
            "单位": Unit.objects.count(),
            "人员": Person.objects.count(),
            "账号": User.objects.count(),
        }
        if any(existing.values()):
            found = "、".join(f"{name} {count} 条" for name, count in existing.items() if count)
            if options["if_empty"]:
                self.stdout.write(f"数据库中已有数据（{found}），跳过演示数据加载。")
                self._print_accounts(existing_demo_accounts())
                return
            raise CommandError(
                f"数据库中已有数据（{found}），seed_demo 只能在空数据库上运行。"
                "演示数据不能部分删除（审计记录不可删除）；如需重新生成，"
                "请先删除 db.sqlite3，再执行 make run（或 manage.py migrate 后再执行 manage.py seed_demo）。"
            )

        today = options["today"] or clock.today()
        skip = set(options["skip"]) | ({"attendance"} if options["without_attendance"] else set())
        unknown = skip - {step.key for step in demo_steps()}
        if unknown:
            raise CommandError(f"未知的演示数据部分：{'、'.join(sorted(unknown))}。")
        with clock.use_today(today):
            summary = self._generate(options["seed"], today, skip)
        self._print_accounts(list(summary.accounts))

    def _generate(self, seed: int, today: datetime.date, skip: set[str]):
        self.stdout.write(f"正在生成演示机关数据（随机种子 {seed}，以 {today:%Y-%m-%d} 为今天）……")
        summary = generate_organ(seed=seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {summary.units} 个单位、{summary.leaders} 名常委会领导、{summary.staff} 名工作人员"
                f"（40岁以下青年干部 {summary.youth} 名，副处级导师 {summary.mentors} 名，"
                f"传帮带培养对象 {summary.mentees} 名）、{summary.memberships} 条任职记录"
                f"（交流轮岗 {summary.rotations} 人）、党组成员 {summary.party_group} 名、"
                f"专项工作小组 {summary.task_groups} 个，用时 {summary.seconds:.1f} 秒。"
            )
        )
        context = DemoContext(seed=seed, today=today)
        for step in demo_steps():
            if step.key in skip:
                continue
            self.stdout.write(f"正在生成{step.label}演示数据……")
            self.stdout.write(self.style.SUCCESS(step.run(context)))
        return summary

    def _print_accounts(self, accounts: Sequence[DemoAccount]) -> None:
        if not accounts:
            self.stdout.write("数据库中没有演示账号。")
            return
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        self.stdout.write(accounts_table(accounts))
        self.stdout.write("")
        self.stdout.write(
            self.style.WARNING("演示密码是公开的，仅供本机演示使用，切勿在生产环境加载演示数据。")
        )
