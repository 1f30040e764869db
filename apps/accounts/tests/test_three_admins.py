"""三员分立 enforced by the system (issue 8, finding 1 and 2): each probe path, and the right ones."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from apps.accounts import services
from apps.accounts.choices import AdminChangeKind, AdminChangeStatus, Role
from apps.accounts.models import AdminChangeRequest, User
from apps.audit.models import AuditAction, AuditEvent
from apps.core import clock
from apps.core.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Initial@Organ2026"


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def permission_events(user: User) -> list[dict]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE, object_id=str(user.pk))
        .order_by("id")
        .values_list("detail", flat=True)
    )


# --- probe 1: the system administrator alone gave himself business power ------------------------


def test_an_account_opened_by_the_system_admin_has_no_role_and_cannot_sign_in(client, personas):
    secretary_general = PersonFactory(name="秘书长甲")  # a person with no account, as in the probe
    client.force_login(personas.sysadmin)
    response = client.post(
        "/accounts/manage/new/",
        {
            "username": "mishuzhang",
            "person": secretary_general.pk,
            "initial_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="mishuzhang")
    assert (account.role, account.is_active, account.person) == ("", False, secretary_general)
    assert not account.get_all_permissions()
    client.logout()
    response = client.post("/accounts/login/", {"username": "mishuzhang", "password": NEW_PASSWORD})
    assert "_auth_user_id" not in client.session
    # Nor can the system administrator switch it on himself.
    client.force_login(personas.sysadmin)
    response = client.post(f"/accounts/manage/{account.pk}/active/", {"active": "1"}, follow=True)
    assert "须由安全管理员授予角色后才能启用" in messages_of(response)
    account.refresh_from_db()
    assert not account.is_active
    assert permission_events(account)[0]["变更"].startswith("开设账号")


def test_the_database_refuses_an_enabled_account_without_a_role(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas.zhou.pk).update(role="")


def test_the_security_admin_grants_the_role_which_enables_the_account(client, personas):
    account = UserFactory(username="xinren", pending=True, person=PersonFactory(name="新人"))
    client.force_login(personas.secadmin)
    page = client.get(f"/accounts/manage/{account.pk}/").content.decode()
    assert "授予角色并启用" in page and "待授权" in page
    response = client.post(f"/accounts/manage/{account.pk}/role/", {"role": Role.STAFF})
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.is_active) == (Role.STAFF, True)
    event = permission_events(account)[-1]
    assert event["变更"] == "授予角色并启用账号"
    assert event["role"] == ["待授权", "机关干部"]
    # The audit administrator sees the grant among the permission changes.
    client.force_login(personas.auditadmin)
    page = client.get("/audit/?action=permission_change").content.decode()
    assert "授予角色并启用账号" in page and "xinren" in page


def test_pending_accounts_are_visible_to_both_administrators(client, personas):
    UserFactory(username="dengdai", pending=True)
    for admin in (personas.sysadmin, personas.secadmin):
        client.force_login(admin)
        home = client.get("/").content.decode()
        assert "dengdai" in home, admin.username
        listing = client.get("/accounts/manage/?pending=1").content.decode()
        assert "dengdai" in listing and "待授权" in listing
        assert "zhou" not in listing


def test_a_three_admins_role_cannot_be_granted_by_the_security_admin_alone(personas):
    account = UserFactory(username="newsec", pending=True, person=None)
    with pytest.raises(ValidationError, match="另一名管理员"):
        services.role_assign(actor=personas.secadmin, user=account, role=Role.SECURITY_ADMIN)
    account.refresh_from_db()
    assert account.is_pending


# --- probe 2: one administrator blinded or removed another -------------------------------------


def test_the_security_admin_cannot_make_the_audit_admin_a_second_security_admin(client, personas):
    client.force_login(personas.secadmin)
    response = client.post(
        f"/accounts/manage/{personas.auditadmin.pk}/role/",
        {"role": Role.SECURITY_ADMIN},
        follow=True,
    )
    assert response.status_code == 200
    assert "三员账号的角色和状态不能由一名管理员单独修改" in messages_of(response)
    personas.auditadmin.refresh_from_db()
    assert personas.auditadmin.role == Role.AUDIT_ADMIN


def test_the_system_admin_cannot_disable_the_audit_admin(client, personas):
    client.force_login(personas.sysadmin)
    response = client.post(
        f"/accounts/manage/{personas.auditadmin.pk}/active/", {"active": "0"}, follow=True
    )
    assert "三员账号的角色和状态不能由一名管理员单独修改" in messages_of(response)
    personas.auditadmin.refresh_from_db()
    assert personas.auditadmin.is_active


# --- the two-person path ---------------------------------------------------------------------


@pytest.fixture
def second_audit_admin(personas) -> User:
    """A second dedicated audit account, granted through the two-person path."""
    account = UserFactory(username="auditadmin2", pending=True, person=None)
    request = services.admin_change_request(
        actor=personas.secadmin,
        target=account,
        kind=AdminChangeKind.ROLE,
        role=Role.AUDIT_ADMIN,
        reason="审计管理员岗位交接",
    )
    services.admin_change_confirm(actor=personas.sysadmin, request=request)
    account.refresh_from_db()
    return account


def test_granting_a_three_admins_role_takes_a_request_and_another_admins_confirmation(
    second_audit_admin,
):
    assert (second_audit_admin.role, second_audit_admin.is_active) == (Role.AUDIT_ADMIN, True)
    details = permission_events(second_audit_admin)
    assert details[-2]["变更"].startswith("申请三员账号变更")
    assert details[-1]["变更"].startswith("确认三员账号变更")
    assert details[-1]["申请人"] == "secadmin"


def test_the_requester_cannot_confirm_and_the_account_concerned_cannot_either(
    personas, second_audit_admin
):
    request = services.admin_change_request(
        actor=personas.sysadmin,
        target=personas.auditadmin,
        kind=AdminChangeKind.DISABLE,
        reason="测试",
    )
    with pytest.raises(ValidationError, match="不能确认自己的申请"):
        services.admin_change_confirm(actor=personas.sysadmin, request=request)
    with pytest.raises(ValidationError, match="不能确认针对自己账号"):
        services.admin_change_confirm(actor=personas.auditadmin, request=request)
    with pytest.raises(ValidationError, match="另外两名管理员"):
        services.admin_change_reject(actor=personas.auditadmin, request=request)
    assert User.objects.get(pk=personas.auditadmin.pk).is_active
    services.admin_change_confirm(actor=personas.secadmin, request=request)
    assert not User.objects.get(pk=personas.auditadmin.pk).is_active


def test_no_change_may_leave_one_of_the_three_roles_without_an_account(personas):
    with pytest.raises(ValidationError, match="没有可用的系统管理员账号"):
        services.admin_change_request(
            actor=personas.secadmin,
            target=personas.sysadmin,
            kind=AdminChangeKind.ROLE,
            role=Role.AUDIT_ADMIN,
            reason="测试",
        )
    assert not AdminChangeRequest.objects.exists()


def test_disabling_the_audit_admin_takes_two_and_keeps_one_audit_account(
    client, personas, second_audit_admin
):
    client.force_login(personas.sysadmin)
    response = client.post(
        "/accounts/admin-changes/",
        {"target": personas.auditadmin.pk, "kind": "disable", "reason": "人员调离"},
    )
    assert response.status_code == 302
    personas.auditadmin.refresh_from_db()
    assert personas.auditadmin.is_active  # nothing happens on a request alone
    change = AdminChangeRequest.objects.get(status=AdminChangeStatus.PENDING)
    response = client.post(f"/accounts/admin-changes/{change.pk}/confirm/", follow=True)
    assert "不能确认自己的申请" in messages_of(response)
    client.force_login(personas.secadmin)
    page = client.get("/accounts/admin-changes/").content.decode()
    assert "确认执行" in page
    client.post(f"/accounts/admin-changes/{change.pk}/confirm/")
    personas.auditadmin.refresh_from_db()
    assert not personas.auditadmin.is_active
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (AdminChangeStatus.CONFIRMED, personas.secadmin)


def test_the_audit_admin_takes_part_in_the_two_person_rule(client, personas):
    newcomer = UserFactory(username="secadmin2", pending=True, person=None)
    client.force_login(personas.auditadmin)
    assert client.get("/accounts/admin-changes/").status_code == 200
    request = services.admin_change_request(
        actor=personas.sysadmin,
        target=newcomer,
        kind=AdminChangeKind.ROLE,
        role=Role.SECURITY_ADMIN,
        reason="增设安全管理员",
    )
    assert "待您确认" in client.get("/").content.decode()
    client.post(f"/accounts/admin-changes/{request.pk}/reject/", {"note": "理由不充分"})
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (AdminChangeStatus.REJECTED, personas.auditadmin)
    assert User.objects.get(pk=newcomer.pk).is_pending


def test_a_request_lapses_after_the_confirmation_window(personas, second_audit_admin):
    request = services.admin_change_request(
        actor=personas.sysadmin,
        target=personas.auditadmin,
        kind=AdminChangeKind.DISABLE,
        reason="测试过期",
    )
    with (
        time_machine.travel(clock.now() + datetime.timedelta(hours=73)),
        pytest.raises(ValidationError, match="已失效"),
    ):
        services.admin_change_confirm(actor=personas.secadmin, request=request)
    request.refresh_from_db()
    assert request.status == AdminChangeStatus.EXPIRED
    assert User.objects.get(pk=personas.auditadmin.pk).is_active


def test_nobody_files_a_request_about_their_own_account(personas):
    with pytest.raises(ValidationError, match="不能为自己的账号"):
        services.admin_change_request(
            actor=personas.secadmin,
            target=personas.secadmin,
            kind=AdminChangeKind.DISABLE,
            reason="x",
        )


def test_business_users_cannot_reach_the_two_person_pages(client, personas):
    client.force_login(personas.qian)
    assert client.get("/accounts/admin-changes/").status_code == 403


# --- break glass -----------------------------------------------------------------------------


def test_break_glass_applies_one_change_at_once_and_is_audited(personas):
    out = StringIO()
    call_command(
        "admin_break_glass",
        "auditadmin",
        "--disable",
        "--reason",
        "账号疑似被盗用",
        "--yes",
        stdout=out,
    )
    personas.auditadmin.refresh_from_db()
    assert not personas.auditadmin.is_active
    assert "当前没有启用的审计管理员账号" in out.getvalue()
    event = AuditEvent.objects.filter(action=AuditAction.PERMISSION_CHANGE).latest("id")
    assert event.actor_username.startswith("break-glass:")
    assert event.detail["理由"] == "账号疑似被盗用"
    assert event.detail["is_active"] == [True, False]


def test_break_glass_needs_a_reason_and_refuses_business_accounts(personas):
    with pytest.raises(CommandError):
        call_command("admin_break_glass", "auditadmin", "--disable", "--yes")
    with pytest.raises(CommandError, match="只有三员账号"):
        call_command("admin_break_glass", "zhou", "--disable", "--reason", "x", "--yes")
    assert User.objects.get(pk=personas.zhou.pk).is_active


# --- rules kept ------------------------------------------------------------------------------


def test_create_admins_grants_the_three_roles_and_records_it(db):
    call_command(
        "create_admins",
        "--system-password",
        "System@Organ2026x",
        "--security-password",
        "Security@Organ2026x",
        "--audit-password",
        "Audit@Organ2026xyz",
        stdout=StringIO(),
    )
    admins = {u.username: u for u in User.objects.all()}
    assert {u.role for u in admins.values()} == {
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
    }
    assert all(u.is_active and u.person_id is None for u in admins.values())
    assert all(permission_events(u) for u in admins.values())


def test_an_account_linked_to_a_person_can_never_hold_a_three_admins_role(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas.zhou.pk).update(role=Role.AUDIT_ADMIN)
