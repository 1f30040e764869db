"""Account writes: sign-in under the lockout policy, password changes, roles, unlocking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock

from .choices import ADMIN_ROLES, Role
from .models import PasswordHistory, User


class LoginRefused(Exception):
    """A sign-in that must not succeed; the message is shown to the person as it is."""


@dataclass(frozen=True)
class LoginResult:
    user: User
    password_expired: bool


GENERIC_FAILURE = "用户名或密码错误。连续{max}次输入错误，账号将被锁定{minutes}分钟。"


def login_attempt(*, username: str, password: str, request=None) -> LoginResult:
    """Check credentials under the lockout policy. Raises LoginRefused with a Chinese message."""
    now = clock.now()
    user = User.objects.filter(username=username).first()
    if user is not None and user.locked_until is not None and user.is_locked(now):
        _record_failure(username, user, "账号已锁定")
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LoginRefused(
            f"该账号因连续登录失败已被锁定，请{minutes}分钟后再试，或联系安全管理员解锁。"
        )
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is not None and not user.is_active:
            _record_failure(username, user, "账号已停用")
            raise LoginRefused("该账号已停用，请联系系统管理员。")
        if user is not None:
            _count_failure(user, now)
            user.refresh_from_db(fields=["failed_login_count", "locked_until"])
            if user.is_locked(now):
                raise LoginRefused(
                    f"连续{settings.LOGIN_MAX_FAILURES}次密码错误，账号已被锁定"
                    f"{settings.LOGIN_LOCKOUT_MINUTES}分钟。"
                )
        else:
            _record_failure(username, None, "账号不存在")
        raise LoginRefused(
            GENERIC_FAILURE.format(
                max=settings.LOGIN_MAX_FAILURES, minutes=settings.LOGIN_LOCKOUT_MINUTES
            )
        )
    assert isinstance(authenticated, User)
    User.objects.filter(pk=authenticated.pk).update(failed_login_count=0, locked_until=None)
    authenticated.failed_login_count = 0
    authenticated.locked_until = None
    return LoginResult(user=authenticated, password_expired=authenticated.password_expired(now))


def _record_failure(username: str, user: User | None, reason: str) -> None:
    record_event(
        action=AuditAction.LOGIN_FAILED,
        obj=user,
        object_type="accounts.user",
        object_repr=username[:200],
        actor_username=username[:150],
        detail={"reason": reason},
        success=False,
    )


def _count_failure(user: User, now: datetime.datetime) -> None:
    # Counted with a conditional UPDATE so two simultaneous wrong passwords both count.
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        count = User.objects.filter(pk=user.pk).values_list("failed_login_count", flat=True).get()
        locked = count >= settings.LOGIN_MAX_FAILURES
        if locked:
            until = now + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
        _record_failure(user.username, user, f"密码错误（第{count}次）")
        if locked:
            record_event(
                action=AuditAction.ACCOUNT_LOCK,
                obj=user,
                actor_username=user.username,
                detail={"minutes": settings.LOGIN_LOCKOUT_MINUTES},
            )


def record_login(*, user: User) -> None:
    record_event(action=AuditAction.LOGIN, obj=user, actor=user)


def record_logout(*, user: User) -> None:
    record_event(action=AuditAction.LOGOUT, obj=user, actor=user)


def password_set(*, user: User, new_password: str, actor: User | None = None) -> None:
    """Validate against the whole policy, then store the password and remember the old hash."""
    validate_password(new_password, user)
    with transaction.atomic():
        if user.password:
            PasswordHistory.objects.create(user=user, password=user.password)
        user.set_password(new_password)
        user.password_changed_at = clock.now()
        user.must_change_password = actor is not None and actor.pk != user.pk
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        keep = PasswordHistory.objects.filter(user=user).values_list("id", flat=True)[:5]
        PasswordHistory.objects.filter(user=user).exclude(id__in=list(keep)).delete()
        record_event(
            action=AuditAction.PASSWORD_CHANGE,
            obj=user,
            actor=actor or user,
            detail={"by_administrator": actor is not None and actor.pk != user.pk},
        )


def account_create(
    *, actor: User, username: str, full_name: str = "", person=None, initial_password: str
) -> User:
    """System administrator: open an account. It starts as ordinary staff; the security
    administrator grants any other role (三员分立)."""
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    if person is not None and User.objects.filter(person=person).exists():
        raise ValidationError({"person": "该人员已有账号。"})
    candidate = User(username=username, first_name=full_name, person=person)
    validate_password(initial_password, candidate)
    with transaction.atomic():
        user = User(username=username, first_name=full_name, person=person, role=Role.STAFF)
        user.set_password(initial_password)
        user.must_change_password = True
        user.save()
    return user


def account_set_active(*, actor: User, user: User, active: bool) -> User:
    if user.pk == actor.pk:
        raise ValidationError("不能停用自己的账号。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def role_assign(*, actor: User, user: User, role: str) -> User:
    """Security administrator: change an account's role. Admin roles need an account without a
    business role history of its own; nobody changes their own role."""
    if role not in Role.values:
        raise ValidationError({"role": "未知的角色。"})
    if user.pk == actor.pk:
        raise ValidationError("不能修改自己的角色。")
    if (
        role in {Role.UNIT_HEAD, Role.OFFICE_STAFF, Role.STAFF, Role.LEADER}
        and user.person_id is None
    ):
        raise ValidationError({"role": "业务角色须关联机关人员，请先由系统管理员关联人员。"})
    if role in ADMIN_ROLES and user.person_id is not None:
        raise ValidationError({"role": "三员账号须为专用账号，不能与业务人员账号混用。"})
    old = user.role
    if old == role:
        return user
    with transaction.atomic():
        user.role = role
        user.save(update_fields=["role"])
        record_event(
            action=AuditAction.PERMISSION_CHANGE,
            obj=user,
            detail={"role": [Role(old).label, Role(role).label]},
        )
    return user


def account_unlock(*, actor: User, user: User) -> User:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        record_event(action=AuditAction.ACCOUNT_UNLOCK, obj=user)
    user.refresh_from_db()
    return user


def admins_create(*, credentials: dict[Role, tuple[str, str]]) -> list[User]:
    """Create the three administrator accounts from {role: (username, password)}, all or none.

    Refuses when any administrator account exists already, when usernames repeat or are taken, when
    two administrators share a password (三员分立), or when a password fails the policy.
    """
    errors: list[str] = []
    existing = list(User.objects.filter(role__in=ADMIN_ROLES).values_list("username", flat=True))
    if existing:
        raise ValidationError(
            f"已存在三员账号（{'、'.join(existing)}），create_admins 只用于首次部署。"
            "修改密码请登录后在“修改密码”页面进行，解锁账号请由安全管理员操作。"
        )
    usernames = [username for username, _ in credentials.values()]
    if len(set(usernames)) != len(usernames):
        errors.append("三员账号的用户名不能相同。")
    passwords = [password for _, password in credentials.values()]
    if len(set(passwords)) != len(passwords):
        errors.append("三员账号的密码不能相同：三名管理员须各自掌握自己的密码。")
    for role, (username, password) in credentials.items():
        label = role.label
        if not username.strip():
            errors.append(f"{label}的用户名不能为空。")
        elif User.objects.filter(username=username).exists():
            errors.append(f"用户名 {username} 已被使用。")
        try:
            validate_password(password, User(username=username, first_name=label, role=role))
        except ValidationError as error:
            errors.extend(f"{label}（{username}）的密码不符合要求：{m}" for m in error.messages)
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    created = []
    with transaction.atomic():
        for role, (username, password) in credentials.items():
            user = User(
                username=username, first_name=role.label, role=role, password_changed_at=now
            )
            user.set_password(password)
            user.save()  # saved one by one so the audit trail records each account's creation
            created.append(user)
    return created
