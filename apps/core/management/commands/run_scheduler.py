import time

from django.core.management.base import BaseCommand

from apps.core.scheduling import daily_jobs, enqueue_due_jobs


class Command(BaseCommand):
    help = "按日程把到期的定时任务（如每个工作日上午的督办提醒）放入后台任务队列。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次后退出")
        parser.add_argument("--interval", type=int, default=60, help="检查间隔（秒）")

    def handle(self, *args, once=False, interval=60, **options):
        names = "、".join(f"{job.name}（{job.at:%H:%M}）" for job in daily_jobs()) or "无"
        self.stdout.write(f"定时任务调度已启动，登记的任务：{names}")
        while True:
            for name in enqueue_due_jobs():
                self.stdout.write(f"已放入队列：{name}")
            if once:
                return
            time.sleep(interval)
