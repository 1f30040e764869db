"""manage.py calendar_load_package: load the years of an upgraded `chinesecalendar` package.

After `uv sync` brings a release with next year's arrangement, this loads the new years (never over
a year the system administrator entered) and computes again every date that was provisional,
exactly as entering the notice by hand does. Safe to run any number of times.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.workcalendar.services import import_package_years, known_years


class Command(BaseCommand):
    help = "载入 chinesecalendar 数据包中的节假日安排，并按新安排重新计算此前按预估计算的日期。"

    def handle(self, *args, **options) -> None:
        before = set(known_years())
        covered = import_package_years()
        added = sorted(set(covered) - before)
        self.stdout.write(
            self.style.SUCCESS(
                f"数据包覆盖 {covered[0]}—{covered[-1]} 年；"
                + (f"新增 {'、'.join(map(str, added))} 年。" if added else "没有新增年度。")
            )
        )
