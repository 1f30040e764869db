"""The 等保 level 3 account items: password policy, history, expiry, lockout, 三员分立."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from apps.accounts import services
from apps.accounts.choices import Role
from apps.accounts.models import User
from apps.audit.models import AuditAction, AuditEvent
from apps.core.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Short@1a", "至少"),  # too short
        ("alllowercaseletters", "3类"),  # one class
        ("lowercase123456", "3类"),  # two classes
        ("Password123!", "过于常见"),  # issue 8: a common password with digits and a symbol
        ("P@ssw0rd2026", "过于常见"),  # look-alike symbols
        ("2026@Admin!!", "过于常见"),  # digits and symbols in front
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(personas, password, fragment):
    with pytest.raises(ValidationError) as caught:
        services.password_set(user=personas.zhou, new_password=password)
    assert any(fragment in m for m in caught.value.messages)
    personas.zhou.refresh_from_db()
    assert personas.zhou.check_password(TEST_PASSWORD)


def test_last_five_passwords_cannot_be_reused(personas):
    user = personas.zhou
    passwords = [f"Organ@Pass{n}2026x" for n in range(5)]
    for password in passwords:
        services.password_set(user=user, new_password=password)
    # The current one and the four before it (five in all) are refused.
    for password in passwords:
        with pytest.raises(ValidationError, match="最近5次"):
            services.password_set(user=user, new_password=password)
    services.password_set(user=user, new_password="Organ@Brand2026new")
    assert user.password_history.count() <= 5


def test_password_expires_after_ninety_days(client, personas):
    user = personas.zhou
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    response = client.post("/accounts/login/", {"username": "zhou", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/accounts/password/"
    # Everything else is blocked until the password is changed.
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Fresh@Organ2026",
            "new_password2": "Fresh@Organ2026",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_security_admin_unlocks(client, personas):
    User.objects.filter(pk=personas.zhou.pk).update(
        locked_until=timezone.now() + datetime.timedelta(minutes=30)
    )
    client.force_login(personas.secadmin)
    response = client.post(f"/accounts/manage/{personas.zhou.pk}/unlock/")
    assert response.status_code == 302
    personas.zhou.refresh_from_db()
    assert not personas.zhou.is_locked()
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCOUNT_UNLOCK, actor=personas.secadmin
    ).exists()


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, personas):
    response = client.post(
        "/accounts/login/", {"username": "nobody", "password": "Wrong@Password1"}
    )
    assert "用户名或密码错误" in response.content.decode()


def test_login_form_with_missing_fields_changes_nothing(client, personas):
    before = AuditEvent.objects.count()
    response = client.post("/accounts/login/", {"username": ""})
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_no_superuser_can_exist(personas):
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=personas.sysadmin.pk).update(is_superuser=True)


def test_three_admins_cannot_do_each_others_job(client, personas):
    client.force_login(personas.sysadmin)
    assert (
        client.post(f"/accounts/manage/{personas.zhou.pk}/role/", {"role": Role.LEADER}).status_code
        == 403
    )
    assert client.get("/audit/").status_code == 403
    client.force_login(personas.secadmin)
    assert client.get("/accounts/manage/new/").status_code == 403
    assert client.get("/audit/").status_code == 403
    client.force_login(personas.auditadmin)
    assert client.get("/accounts/manage/").status_code == 403
    assert client.post(f"/accounts/manage/{personas.zhou.pk}/unlock/").status_code == 403
    personas.zhou.refresh_from_db()
    assert personas.zhou.role == Role.STAFF


def test_role_change_is_audited_as_a_permission_change(client, personas):
    client.force_login(personas.secadmin)
    response = client.post(f"/accounts/manage/{personas.zhou.pk}/role/", {"role": Role.UNIT_HEAD})
    assert response.status_code == 302
    personas.zhou.refresh_from_db()
    assert personas.zhou.role == Role.UNIT_HEAD
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_CHANGE)
    assert event.actor == personas.secadmin
    assert event.detail["role"] == ["机关干部", "单位负责人"]


@pytest.mark.parametrize(
    ("target", "role", "message"),
    [
        ("secadmin", Role.AUDIT_ADMIN, "不能修改自己的角色"),
        ("zhou", Role.SYSTEM_ADMIN, "三员账号须为专用账号"),
        ("sysadmin", Role.LEADER, "三员账号的角色和状态不能由一名管理员单独修改"),
        ("auditadmin", Role.SECURITY_ADMIN, "三员账号的角色和状态不能由一名管理员单独修改"),
    ],
)
def test_role_rules_refuse_with_reason_and_change_nothing(personas, target, role, message):
    user = getattr(personas, target)
    before = user.role
    with pytest.raises(ValidationError, match=message):
        services.role_assign(actor=personas.secadmin, user=user, role=role)
    user.refresh_from_db()
    assert user.role == before


def test_system_admin_creates_an_account_that_must_change_its_password(client, personas):
    client.force_login(personas.sysadmin)
    response = client.post(
        "/accounts/manage/new/",
        {"username": "newstaff", "full_name": "新同志", "initial_password": "Initial@Organ2026"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newstaff")
    assert user.is_pending and not user.is_active and user.must_change_password
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="accounts.user", object_id=str(user.pk)
    ).exists()
    detail = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk)).detail
    assert "Initial@Organ2026" not in str(detail)


def test_account_create_with_weak_password_changes_nothing(client, personas):
    client.force_login(personas.sysadmin)
    before = User.objects.count()
    response = client.post(
        "/accounts/manage/new/", {"username": "weak", "initial_password": "weak"}
    )
    assert response.status_code == 200
    assert User.objects.count() == before


def test_logout_is_recorded_and_needs_post(client, personas):
    client.force_login(personas.zhou)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=personas.zhou).exists()


def test_session_is_an_idle_timeout(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
