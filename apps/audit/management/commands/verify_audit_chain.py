from django.core.management.base import BaseCommand, CommandError

from apps.audit.models import AuditEvent
from apps.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计记录的SM3哈希链，列出每一条被篡改或断链的记录。"

    def handle(self, *args, **options):
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        if not problems:
            self.stdout.write(
                self.style.SUCCESS(f"审计链完整：共校验 {total} 条记录，未发现篡改。")
            )
            return
        for problem in problems:
            self.stdout.write(self.style.ERROR(f"第 {problem.event_id} 号记录：{problem.reason}"))
        raise CommandError(f"审计链校验失败：{len(problems)} 处异常（共 {total} 条记录）。")
