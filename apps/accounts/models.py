"""Accounts: who may sign in, with which role, and the state the security policy needs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.core import clock

from .choices import ADMIN_ROLES, Role


class User(AbstractUser):
    """A sign-in account. Business roles link to a person; the three administrators need not."""

    role = models.CharField("角色", max_length=24, choices=Role.choices, default=Role.STAFF)
    person = models.OneToOneField(
        "organization.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        verbose_name="对应人员",
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
