from django.core.management.base import BaseCommand, CommandError

from apps.audit.checkpoints import CheckpointRefused, checkpoint_path, write_checkpoint


class Command(BaseCommand):
    help = (
        "立即写入一个审计链锚点（链头序号和哈希，带HMAC签名）到锚点文件和日志；每天也会自动写入。"
    )

    def handle(self, *args, **options):
        try:
            checkpoint = write_checkpoint()
        except CheckpointRefused as refused:
            raise CommandError(f"未写入锚点：{refused}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已写入审计链锚点：第 {checkpoint.seq} 号记录，哈希 {checkpoint.entry_hash}，"
                f"文件 {checkpoint_path()}。"
            )
        )
