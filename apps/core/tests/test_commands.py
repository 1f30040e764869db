"""`manage.py create_admins`: the production bootstrap of the three administrators."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.choices import ADMIN_ROLES, Role
from apps.accounts.models import User
from apps.audit.models import AuditAction, AuditEvent
from apps.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORDS = {
    "system_password": "Xk9#mLp2vQ7r",
    "security_password": "Zt4$wNb8yH3e",
    "audit_password": "Rq6&jDs1uF5c",
}


def _run(**options) -> str:
    out = StringIO()
    call_command("create_admins", stdout=out, **options)
    return out.getvalue()


def test_creates_the_three_administrators():
    output = _run(**PASSWORDS)

    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"sysadmin", "secadmin", "auditadmin"}
    assert users["sysadmin"].role == Role.SYSTEM_ADMIN
    assert users["secadmin"].role == Role.SECURITY_ADMIN
    assert users["auditadmin"].role == Role.AUDIT_ADMIN
    for user in users.values():
        assert user.person is None
        assert not user.is_superuser
        assert not user.password_expired()
    assert users["sysadmin"].check_password(PASSWORDS["system_password"])
    assert users["auditadmin"].check_password(PASSWORDS["audit_password"])
    assert "已创建系统管理员账号：sysadmin" in output
    created = AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="accounts.user")
    assert created.count() == 3
    assert all(event.detail.get("password") != PASSWORDS["system_password"] for event in created)


def test_usernames_can_be_chosen():
    _run(system_username="xitong", security_username="anquan", audit_username="shenji", **PASSWORDS)
    assert set(User.objects.values_list("username", flat=True)) == {"xitong", "anquan", "shenji"}


def test_refuses_when_administrators_exist():
    _run(**PASSWORDS)
    with pytest.raises(CommandError, match="已存在三员账号"):
        _run(**PASSWORDS)
    assert User.objects.count() == 3


def test_a_weak_password_creates_nothing():
    with pytest.raises(CommandError) as refused:
        _run(**{**PASSWORDS, "audit_password": "short"})
    assert "审计管理员（auditadmin）的密码不符合要求" in str(refused.value)
    assert not User.objects.exists()


def test_a_shared_password_creates_nothing():
    with pytest.raises(CommandError, match="密码不能相同"):
        _run(**{**PASSWORDS, "audit_password": PASSWORDS["system_password"]})
    assert not User.objects.exists()


def test_a_taken_username_creates_nothing():
    UserFactory(username="sysadmin", role=Role.STAFF)
    with pytest.raises(CommandError, match="用户名 sysadmin 已被使用"):
        _run(**PASSWORDS)
    assert not User.objects.filter(role__in=ADMIN_ROLES).exists()


def test_without_a_terminal_the_missing_password_is_an_error(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="不是交互式终端"):
        _run(system_password=PASSWORDS["system_password"])
    assert not User.objects.exists()


def test_passwords_are_prompted_on_a_terminal(monkeypatch):
    answers = iter(
        [
            "Xk9#mLp2vQ7r",
            "mismatch-Typo1",  # the first confirmation fails and is asked again
            "Xk9#mLp2vQ7r",
            "Xk9#mLp2vQ7r",
            "Zt4$wNb8yH3e",
            "Zt4$wNb8yH3e",
            "Rq6&jDs1uF5c",
            "Rq6&jDs1uF5c",
        ]
    )
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    err = StringIO()
    call_command("create_admins", stdout=StringIO(), stderr=err)
    assert "两次输入的密码不一致" in err.getvalue()
    assert User.objects.get(username="secadmin").check_password("Zt4$wNb8yH3e")
