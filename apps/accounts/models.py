"""Accounts: who may sign in, with which role, and the state the security policy needs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.core import clock

from .choices import (
    ADMIN_ROLES,
    OUTSIDER_ROLES,
    PENDING_LABEL,
    AdminChangeKind,
    AdminChangeStatus,
    Role,
)


class User(AbstractUser):
    """A sign-in account. Business roles link to a person; the three administrators never do.

    A new account has no role ("" — 待授权) and is inactive until the security administrator
    grants it one (三员分立: the system administrator who opens it cannot also empower it).
    """

    role = models.CharField("角色", max_length=24, choices=Role.choices, blank=True, default="")
    person = models.OneToOneField(
        "organization.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name="对应人员",
    )
    # The 外部单位联络员's link: the contact person of an external body whose matters the account sees.
    external_contact = models.OneToOneField(
        "organization.ExternalContact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name="外部单位联络人",
    )
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    failed_login_count = models.PositiveSmallIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)

    objects = UserManager()  # type: ignore[misc]  # django-stubs types the base manager as a ClassVar

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        ordering = ["id"]
        constraints = [
            # 三员分立: there is no all-powerful account, in any environment.
            models.CheckConstraint(condition=Q(is_superuser=False), name="no_superuser"),
            # An account without a granted role can never sign in, whatever code sets is_active.
            models.CheckConstraint(
                condition=~Q(role="") | Q(is_active=False), name="pending_account_inactive"
            ),
            # The three administrators' accounts are dedicated: never a business person's.
            models.CheckConstraint(
                condition=~Q(role__in=sorted(ADMIN_ROLES)) | Q(person__isnull=True),
                name="admin_account_without_person",
            ),
            # Outsiders (外部单位联络员、人大代表) are never one of the organ's people.
            models.CheckConstraint(
                condition=~Q(role__in=sorted(OUTSIDER_ROLES)) | Q(person__isnull=True),
                name="outsider_account_without_person",
            ),
            # Only a 外部单位联络员 (or an account opened for one, not yet granted) speaks for an
            # external body, and a 外部单位联络员 always for exactly one.
            models.CheckConstraint(
                condition=Q(role=Role.EXTERNAL, external_contact__isnull=False)
                | Q(role="")
                | (~Q(role=Role.EXTERNAL) & Q(external_contact__isnull=True)),
                name="external_account_has_contact",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return self.get_full_name() or self.username

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_pending(self) -> bool:
        """Opened by the system administrator, not yet granted a role by the security administrator."""
        return not self.role

    @property
    def role_label(self) -> str:
        return self.get_role_display() if self.role else PENDING_LABEL

    def is_locked(self, now=None) -> bool:
        now = now or clock.now()
        return self.locked_until is not None and self.locked_until > now

    def password_expired(self, now=None) -> bool:
        now = now or clock.now()
        age = now - self.password_changed_at
        return self.must_change_password or age.days >= settings.PASSWORD_MAX_AGE_DAYS


class PasswordHistory(models.Model):
    """Hashes of an account's previous passwords, so that the last five cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class LoginFailure(models.Model):
    """One failed sign-in, kept a day for the throttles (the audit trail keeps them for good).

    Failures from one address throttle that address; an account is locked only when failures
    against it come from several addresses (services.login_attempt), so nobody can lock an
    account by its name alone from a single machine.
    """

    at = models.DateTimeField("时间", db_index=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    username = models.CharField("用户名", max_length=150)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="账号"
    )

    class Meta:
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["ip_address", "at"]),
            models.Index(fields=["user", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip_address or '-'} {self.at:%Y-%m-%d %H:%M}"


class AdminChangeRequest(models.Model):
    """A change to a 三员 account (or a 三员 role granted to an account) that one administrator
    asks for and a second administrator must confirm: no administrator changes another alone.

    Neither the requester nor the confirmer may be the account concerned, so the two who decide
    are the other two of the three. Confirming applies the change; every step writes an audit event.
    """

    target = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="admin_change_requests", verbose_name="账号"
    )
    kind = models.CharField("变更内容", max_length=16, choices=AdminChangeKind.choices)
    role = models.CharField("新角色", max_length=24, choices=Role.choices, blank=True)
    reason = models.CharField("理由", max_length=500)
    status = models.CharField(
        "状态",
        max_length=16,
        choices=AdminChangeStatus.choices,
        default=AdminChangeStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name="确认或驳回人",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.CharField("处理意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "三员账号变更申请"
        verbose_name_plural = "三员账号变更申请"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=Q(status="pending"),
                name="one_pending_admin_change_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.username}：{self.describe()}"

    def describe(self) -> str:
        if self.kind == AdminChangeKind.ROLE:
            return f"角色改为“{Role(self.role).label}”"
        return str(self.get_kind_display())

    def expires_at(self):
        return self.requested_at + datetime.timedelta(hours=settings.ADMIN_CHANGE_REQUEST_HOURS)

    def is_expired(self, now=None) -> bool:
        return (now or clock.now()) >= self.expires_at()
