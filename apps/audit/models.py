"""The audit trail: append-only rows in a keyed HMAC-SM3 chain, so that tampering is detectable.

How rows join the chain, and why that takes no long lock, is explained in `services.py`; the MACs
themselves in `macs.py`; verification in `verification.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import macs


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    EXPORT = "export", "导出"
    VIEW = "view", "查看涉密记录"
    PERMISSION_CHANGE = "permission_change", "权限变更"
    PASSWORD_CHANGE = "password_change", "修改密码"
    ACCOUNT_LOCK = "account_lock", "账号锁定"
    ACCOUNT_UNLOCK = "account_unlock", "账号解锁"
    CHAIN_CHECKPOINT = "chain_checkpoint", "审计链锚定"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计记录不可修改")

    def delete(self):
        raise PermissionError("审计记录不可删除")


class AuditEvent(models.Model):
    """One recorded action, and its place in the chain.

    A row is written by `record_event` without its place (`seq`, `prev_hash`, `entry_hash` empty:
    "pending") and given it by the appender right after its transaction commits. `seq` numbers
    the chain 1, 2, 3, ... with no gap, so verification can name a deleted row by its number.
    """

    created_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # keeps the row; the username snapshot below stays
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name="操作人",
    )
    actor_username = models.CharField("操作账号", max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    action = models.CharField("操作", max_length=24, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    success = models.BooleanField("成功", default=True)
    scheme = models.PositiveSmallIntegerField(
        "校验方式", default=macs.KEYED, choices=[(macs.LEGACY, "SM3"), (macs.KEYED, "HMAC-SM3")]
    )
    uid = models.UUIDField("唯一标识", null=True, blank=True, unique=True, editable=False)
    row_mac = models.CharField("内容MAC", max_length=64, blank=True)
    seq = models.PositiveBigIntegerField("链上序号", null=True, blank=True, unique=True)
    prev_hash = models.CharField("前一条哈希", max_length=64, blank=True)
    entry_hash = models.CharField("本条哈希", max_length=64, null=True, blank=True, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计记录不可修改")
        if not kwargs.pop("_from_service", False):
            raise PermissionError("审计记录只能通过 apps.audit.services.record_event 写入")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不可删除")


class AuditChainHead(models.Model):
    """The newest link of the chain (a single row), signed with the audit key.

    Locking it serialises the appender's short steps so the chain never forks. `legacy_seq` is the
    number of rows written before the chain was keyed: only those may carry the unkeyed scheme.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    last_seq = models.PositiveBigIntegerField(default=0)
    legacy_seq = models.PositiveBigIntegerField(default=0)
    head_mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash}"

    def sign(self) -> None:
        self.head_mac = macs.head_mac(self.last_seq, self.last_hash, self.legacy_seq)

    def signature_valid(self) -> bool:
        return macs.same(
            self.head_mac, macs.head_mac(self.last_seq, self.last_hash, self.legacy_seq)
        )
