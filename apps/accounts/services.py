"""Account writes: sign-in under the throttle and lockout policy, passwords, opening accounts and
granting roles (三员分立), the two-person changes of the administrators' own accounts, unlocking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from apps.audit.context import client_ip
from apps.audit.models import AuditAction
from apps.audit.services import record_event
from apps.core import clock

from .choices import ADMIN_ROLES, PENDING_LABEL, AdminChangeKind, AdminChangeStatus, Role
from .models import AdminChangeRequest, LoginFailure, PasswordHistory, User
from .permissions import Capability, has_capability


class LoginRefused(Exception):
    """A sign-in that must not succeed; the message is shown to the person as it is."""


@dataclass(frozen=True)
class LoginResult:
    user: User
    password_expired: bool


# One message for every refused sign-in — unknown name, wrong password, locked, disabled, not yet
# granted, throttled address — so that the answer never tells whether a name exists. The audit
# trail records the real reason for the administrators.
GENERIC_FAILURE = (
    "登录失败：用户名或密码错误，或该账号当前不能登录。同一地址{minutes}分钟内失败{max}次后，"
    "须等待{minutes}分钟才能再试；如需帮助，请联系安全管理员。"
)


def _refused() -> LoginRefused:
    return LoginRefused(
        GENERIC_FAILURE.format(
            max=settings.LOGIN_MAX_FAILURES, minutes=settings.LOGIN_THROTTLE_MINUTES
        )
    )


def address_throttled(ip_address: str | None, now: datetime.datetime) -> bool:
    """LOGIN_MAX_FAILURES failures from this address within LOGIN_THROTTLE_MINUTES."""
    since = now - datetime.timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)
    recent = LoginFailure.objects.filter(at__gt=since)
    recent = recent.filter(ip_address=ip_address) if ip_address else recent.filter(ip_address=None)
    return recent.count() >= settings.LOGIN_MAX_FAILURES


def login_attempt(*, username: str, password: str, request=None) -> LoginResult:
    """Check credentials under the throttling and lockout policy.

    Raises LoginRefused, always with the same Chinese message. Failures from one address throttle
    that address; an account is locked only when failures against it come from
    LOGIN_LOCK_ADDRESSES different addresses (see settings).
    """
    now = clock.now()
    ip_address = client_ip(request) if request is not None else None
    if address_throttled(ip_address, now):
        # Refused before any look-up or hashing; not counted again, so the pause ends on time.
        _record_failure(username, None, "该地址登录失败次数过多，暂停登录")
        raise _refused()
    user = User.objects.filter(username=username).first()
    if user is not None and user.is_locked(now):
        check_password(password, user.password)  # same time as any other attempt
        _failed(username, user, ip_address, now, "账号已锁定")
        raise _refused()
    authenticated = authenticate(request, username=username, password=password)
    if authenticated is None:
        if user is None:
            reason = "账号不存在"
        elif user.is_pending:
            reason = "账号待授权"
        elif not user.is_active:
            reason = "账号已停用"
        else:
            reason = "密码错误"
        _failed(username, user, ip_address, now, reason, wrong_password=reason == "密码错误")
        raise _refused()
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


def _failed(
    username: str,
    user: User | None,
    ip_address: str | None,
    now: datetime.datetime,
    reason: str,
    *,
    wrong_password: bool = False,
) -> None:
    """Remember the failure for the throttles, count it, lock the account if several addresses
    failed against it, and audit it."""
    with transaction.atomic():
        LoginFailure.objects.create(
            at=now, ip_address=ip_address, username=username[:150], user=user
        )
        if user is None or not wrong_password:
            _record_failure(username, user, reason)
            return
        # Counted with a conditional UPDATE so two simultaneous wrong passwords both count.
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        count = User.objects.filter(pk=user.pk).values_list("failed_login_count", flat=True).get()
        _record_failure(user.username, user, f"密码错误（连续第{count}次）")
        since = now - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        if user.last_login and user.last_login > since:
            since = user.last_login
        addresses = (
            LoginFailure.objects.filter(user=user, at__gt=since)
            .values_list("ip_address", flat=True)
            .distinct()
            .count()
        )
        if addresses >= settings.LOGIN_LOCK_ADDRESSES:
            until = now + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
            record_event(
                action=AuditAction.ACCOUNT_LOCK,
                obj=user,
                actor_username=user.username,
                detail={"minutes": settings.LOGIN_LOCKOUT_MINUTES, "addresses": addresses},
            )


def prune_login_failures() -> int:
    """Forget failures older than a day: the throttles look back minutes, the audit trail keeps all."""
    deleted, _ = LoginFailure.objects.filter(
        at__lt=clock.now() - datetime.timedelta(days=1)
    ).delete()
    return deleted


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


def _require(actor: User, capability: Capability) -> None:
    # The views check this already; a service refuses too, so that no other caller can skip it.
    if not has_capability(actor, capability):
        raise PermissionDenied("您没有执行该操作的权限。")


def _permission_event(user: User, change: str, **detail: Any) -> None:
    record_event(action=AuditAction.PERMISSION_CHANGE, obj=user, detail={"变更": change, **detail})


TWO_PERSON_RULE = (
    "三员账号的角色和状态不能由一名管理员单独修改：须由一名管理员在“三员账号变更”中提出申请，"
    "另一名管理员确认。"
)


def account_create(
    *, actor: User, username: str, full_name: str = "", person=None, initial_password: str
) -> User:
    """System administrator: open an account. It has no role and cannot sign in until the
    security administrator grants one (三员分立): opening an account gives no power."""
    _require(actor, Capability.MANAGE_ACCOUNTS)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    if person is not None and User.objects.filter(person=person).exists():
        raise ValidationError({"person": "该人员已有账号。"})
    candidate = User(username=username, first_name=full_name, person=person)
    validate_password(initial_password, candidate)
    with transaction.atomic():
        user = User(
            username=username, first_name=full_name, person=person, role="", is_active=False
        )
        user.set_password(initial_password)
        user.must_change_password = True
        user.save()
        _permission_event(
            user,
            "开设账号，待安全管理员授予角色",
            状态=PENDING_LABEL,
            对应人员=str(person) if person else "",
        )
    return user


def account_set_active(*, actor: User, user: User, active: bool) -> User:
    """System administrator: disable or re-enable a business account."""
    _require(actor, Capability.MANAGE_ACCOUNTS)
    if user.pk == actor.pk:
        raise ValidationError("不能停用自己的账号。")
    if user.is_admin_role:
        raise ValidationError(TWO_PERSON_RULE)
    if active and user.is_pending:
        raise ValidationError("该账号尚未授予角色，须由安全管理员授予角色后才能启用。")
    if user.is_active == active:
        return user
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        _permission_event(
            user, "启用账号" if active else "停用账号", is_active=[not active, active]
        )
    return user


def role_assign(*, actor: User, user: User, role: str) -> User:
    """Security administrator: grant a business role to a pending account (which enables it), or
    change a business account's role. 三员 roles and 三员 accounts take two administrators
    (admin_change_request); nobody changes their own role."""
    _require(actor, Capability.ASSIGN_ROLES)
    if role not in Role.values:
        raise ValidationError({"role": "未知的角色。"})
    if user.pk == actor.pk:
        raise ValidationError("不能修改自己的角色。")
    if user.is_admin_role:
        raise ValidationError(TWO_PERSON_RULE)
    if role in ADMIN_ROLES:
        if user.person_id is not None:
            raise ValidationError({"role": "三员账号须为专用账号，不能与业务人员账号混用。"})
        raise ValidationError(
            {"role": "三员角色须由一名管理员在“三员账号变更”中申请、另一名管理员确认后授予。"}
        )
    if user.person_id is None:
        raise ValidationError({"role": "业务角色须关联机关人员，请先由系统管理员关联人员。"})
    old = user.role
    if old == role:
        return user
    granting = user.is_pending
    with transaction.atomic():
        user.role = role
        fields = ["role"]
        if granting:
            user.is_active = True
            fields.append("is_active")
        user.save(update_fields=fields)
        _permission_event(
            user,
            "授予角色并启用账号" if granting else "变更角色",
            role=[Role(old).label if old else PENDING_LABEL, Role(role).label],
        )
    return user


def account_unlock(*, actor: User, user: User) -> User:
    """Security administrator: lift the lock, and forget the failures that would lock it again."""
    _require(actor, Capability.UNLOCK_ACCOUNTS)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None)
        LoginFailure.objects.filter(user=user).delete()
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
            _permission_event(
                user, "首次部署创建三员账号（create_admins）", role=[PENDING_LABEL, role.label]
            )
            created.append(user)
    return created


# --- 三员账号: two of the three decide --------------------------------------------------------


def _admin_outcome(target: User, kind: str, role: str) -> tuple[str, bool]:
    """The role and active flag the account would have after the change; ValidationError if the
    change is not one that the two-person rule covers or leaves the three roles unstaffed."""
    if kind == AdminChangeKind.ROLE:
        if role not in ADMIN_ROLES:
            raise ValidationError(
                {"role": "三员账号只能改为另一个三员角色（业务角色须关联机关人员）。"}
            )
        if target.person_id is not None:
            raise ValidationError({"role": "三员账号须为专用账号，不能与业务人员账号混用。"})
        if target.role == role:
            raise ValidationError({"role": "该账号已是这个角色。"})
        if not (target.is_admin_role or target.is_pending):
            raise ValidationError({"target": "业务账号不能改为三员账号，请另开专用账号。"})
        return role, True
    if not target.is_admin_role:
        raise ValidationError({"target": "只有三员账号的启用和停用需要双人审批。"})
    active = kind == AdminChangeKind.ENABLE
    if target.is_active == active:
        raise ValidationError({"kind": f"该账号已经{'启用' if active else '停用'}。"})
    return target.role, active


def _check_three_roles_staffed(target: User, role: str, active: bool) -> None:
    """Each of the three roles keeps at least one enabled account: nobody can be blinded."""
    for admin_role in sorted(ADMIN_ROLES):
        others = User.objects.filter(role=admin_role, is_active=True).exclude(pk=target.pk)
        if not others.exists() and not (active and role == admin_role):
            raise ValidationError(
                f"变更后将没有可用的{Role(admin_role).label}账号：三员须各有至少一个启用的账号。"
                "请先为该角色开设并授权新的账号。"
            )


def _expire_stale_requests() -> None:
    deadline = clock.now() - datetime.timedelta(hours=settings.ADMIN_CHANGE_REQUEST_HOURS)
    AdminChangeRequest.objects.filter(
        status=AdminChangeStatus.PENDING, requested_at__lte=deadline
    ).update(status=AdminChangeStatus.EXPIRED, decided_at=clock.now())


def admin_change_request(
    *, actor: User, target: User, kind: str, role: str = "", reason: str
) -> AdminChangeRequest:
    """One administrator asks for a change to another 三员 account (or for a 三员 role to be
    granted to a pending account); nothing changes until a second administrator confirms."""
    _require(actor, Capability.ADMIN_CHANGE)
    if kind not in AdminChangeKind.values:
        raise ValidationError({"kind": "未知的变更内容。"})
    if target.pk == actor.pk:
        raise ValidationError({"target": "不能为自己的账号提出变更申请。"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明申请理由。"})
    role = role if kind == AdminChangeKind.ROLE else ""
    new_role, active = _admin_outcome(target, kind, role)
    _check_three_roles_staffed(target, new_role, active)
    _expire_stale_requests()
    if AdminChangeRequest.objects.filter(target=target, status=AdminChangeStatus.PENDING).exists():
        raise ValidationError({"target": "该账号已有一项待确认的变更申请，请先处理。"})
    with transaction.atomic():
        request = AdminChangeRequest.objects.create(
            target=target,
            kind=kind,
            role=role,
            reason=reason.strip()[:500],
            requested_by=actor,
            requested_at=clock.now(),
        )
        _permission_event(
            target,
            f"申请三员账号变更：{request.describe()}（待另一名管理员确认）",
            申请编号=request.pk,
            理由=request.reason,
        )
    return request


def _locked_pending(request: AdminChangeRequest) -> AdminChangeRequest:
    locked = (
        AdminChangeRequest.objects.select_for_update().select_related("target").get(pk=request.pk)
    )
    if locked.status == AdminChangeStatus.EXPIRED:
        raise ValidationError(
            f"该申请已超过{settings.ADMIN_CHANGE_REQUEST_HOURS}小时未确认，已失效，请重新申请。"
        )
    if locked.status != AdminChangeStatus.PENDING:
        raise ValidationError(f"该申请{locked.get_status_display()}，不能再处理。")
    return locked


def _apply_admin_change(target: User, role: str, active: bool) -> list[str]:
    fields = []
    if target.role != role:
        target.role = role
        fields.append("role")
    if target.is_active != active:
        target.is_active = active
        fields.append("is_active")
    target.save(update_fields=fields)
    return fields


def admin_change_confirm(*, actor: User, request: AdminChangeRequest) -> AdminChangeRequest:
    """A second administrator — not the requester, not the account concerned — confirms, and
    the change is applied in the same transaction."""
    _require(actor, Capability.ADMIN_CHANGE)
    _expire_stale_requests()
    with transaction.atomic():
        request = _locked_pending(request)
        if actor.pk == request.requested_by_id:
            raise ValidationError("提出申请的管理员不能确认自己的申请，须由另一名管理员确认。")
        if actor.pk == request.target_id:
            raise ValidationError("不能确认针对自己账号的变更申请。")
        target = User.objects.select_for_update().get(pk=request.target_id)
        old_role, old_active = target.role, target.is_active
        role, active = _admin_outcome(target, request.kind, request.role)
        _check_three_roles_staffed(target, role, active)
        _apply_admin_change(target, role, active)
        request.status = AdminChangeStatus.CONFIRMED
        request.decided_by = actor
        request.decided_at = clock.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        _permission_event(
            target,
            f"确认三员账号变更：{request.describe()}",
            申请编号=request.pk,
            申请人=request.requested_by.username,
            role=[Role(old_role).label if old_role else PENDING_LABEL, Role(role).label],
            is_active=[old_active, active],
        )
    return request


def admin_change_reject(
    *, actor: User, request: AdminChangeRequest, note: str = ""
) -> AdminChangeRequest:
    """Another administrator rejects the request; the requester may withdraw it."""
    _require(actor, Capability.ADMIN_CHANGE)
    _expire_stale_requests()
    with transaction.atomic():
        request = _locked_pending(request)
        withdrawn = actor.pk == request.requested_by_id
        if actor.pk == request.target_id and not withdrawn:
            raise ValidationError("针对自己账号的申请，由另外两名管理员处理。")
        request.status = AdminChangeStatus.CANCELLED if withdrawn else AdminChangeStatus.REJECTED
        request.decided_by = actor
        request.decided_at = clock.now()
        request.decision_note = note.strip()[:500]
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        _permission_event(
            request.target,
            f"{'撤回' if withdrawn else '驳回'}三员账号变更申请：{request.describe()}",
            申请编号=request.pk,
            意见=request.decision_note,
        )
    return request


def admin_change_break_glass(
    *, target: User, kind: str, role: str = "", reason: str, operator: str
) -> User:
    """The emergency path on the server (manage.py admin_break_glass): one change applied at
    once, without a second administrator, recorded as such. It may leave a role unstaffed (the
    emergency may be that its only account is compromised)."""
    if not reason.strip():
        raise ValidationError("紧急处置必须写明理由。")
    role = role if kind == AdminChangeKind.ROLE else ""
    new_role, active = _admin_outcome(target, kind, role)
    with transaction.atomic():
        target = User.objects.select_for_update().get(pk=target.pk)
        old_role, old_active = target.role, target.is_active
        _apply_admin_change(target, new_role, active)
        record_event(
            action=AuditAction.PERMISSION_CHANGE,
            obj=target,
            actor_username=f"break-glass:{operator}"[:150],
            detail={
                "变更": f"紧急处置（服务器命令，未经双人审批）：{kind}",
                "理由": reason.strip()[:500],
                "操作者": operator,
                "role": [Role(old_role).label if old_role else PENDING_LABEL, Role(new_role).label],
                "is_active": [old_active, active],
            },
        )
    return target
