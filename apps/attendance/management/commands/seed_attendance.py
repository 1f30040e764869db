"""manage.py seed_attendance [--year 2026] [--until 2026-06-30] [--seed 2026]"""

from __future__ import annotations

import datetime
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.attendance.demo import seed_attendance
from apps.core import clock


class Command(BaseCommand):
    help = (
        "为演示机关生成一年的考勤数据（打卡、请假出差及审批、每日结果、年度加减分），结果可重复。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=None, help="年份（默认今年）")
        parser.add_argument(
            "--until", type=datetime.date.fromisoformat, default=None, help="截止日期（默认昨天）"
        )
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        year = options["year"] or clock.today().year
        try:
            summary = seed_attendance(year=year, until=options["until"], seed=options["seed"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {year} 年考勤演示数据：{summary.people} 人，"
                f"打卡 {summary.clocks} 条，申请 {summary.requests} 件，"
                f"每日结果 {summary.results} 条，加减分 {summary.scored} 人，"
                f"用时 {time.perf_counter() - started:.1f} 秒。"
            )
        )
