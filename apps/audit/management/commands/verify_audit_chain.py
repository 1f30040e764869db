from django.core.management.base import BaseCommand, CommandError

from apps.audit.checkpoints import checkpoint_path, read_checkpoints
from apps.audit.models import AuditEvent
from apps.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "校验审计链：先把已提交、尚未入链的记录入链，再逐条核对HMAC-SM3、序号和链接，"
        "并与库外的锚点比对；列出每一条被篡改、删除或插入的记录。"
    )

    def handle(self, *args, **options):
        problems = list(verify_chain())
        total = AuditEvent.objects.count()
        checkpoints, _ = read_checkpoints()
        if checkpoint_path() is None:
            anchored = "未配置锚点目录，未与锚点比对"
        elif checkpoints:
            latest = max(checkpoints, key=lambda c: c.seq)
            anchored = (
                f"已与 {len(checkpoints)} 个锚点比对（最近一个：{latest.at}，第 {latest.seq} 号）"
            )
        else:
            anchored = "尚无锚点"
        if not problems:
            self.stdout.write(
                self.style.SUCCESS(
                    f"审计链完整：共校验 {total} 条记录，未发现篡改、删除或插入；{anchored}。"
                )
            )
            return
        for problem in problems:
            self.stdout.write(self.style.ERROR(f"{problem.label}：{problem.reason}"))
        raise CommandError(
            f"审计链校验失败：{len(problems)} 处异常（共 {total} 条记录；{anchored}）。"
        )
