"""Sign-in refusals that reveal nothing, and a lock nobody can impose from one machine (issue 8)."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.models import LoginFailure, User
from apps.audit.models import AuditAction, AuditEvent
from apps.core import clock
from apps.core.testing.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Wrong@Password2026"


def sign_in(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def refusal(response) -> str:
    match = re.search(
        r'<div class="alert alert-danger"[^>]*>.*?</div>\s*</div>', response.content.decode(), re.S
    )
    assert match, "no refusal on the page"
    return match.group(0)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_every_refusal_reads_the_same_whether_or_not_the_name_exists(client, personas):
    UserFactory(username="daishouquan", pending=True)
    User.objects.filter(pk=personas.wu.pk).update(is_active=False)
    User.objects.filter(pk=personas.li.pk).update(
        locked_until=timezone.now() + datetime.timedelta(minutes=30)
    )
    answers = {
        "unknown name": refusal(sign_in(client, "nobody", WRONG, "10.0.0.1")),
        "wrong password": refusal(sign_in(client, "zhou", WRONG, "10.0.0.2")),
        "disabled, right password": refusal(sign_in(client, "wu", TEST_PASSWORD, "10.0.0.3")),
        "pending, right password": refusal(
            sign_in(client, "daishouquan", TEST_PASSWORD, "10.0.0.4")
        ),
        "locked, right password": refusal(sign_in(client, "li", TEST_PASSWORD, "10.0.0.5")),
    }
    assert len(set(answers.values())) == 1, answers
    text = answers["unknown name"]
    assert "用户名或密码错误" in text
    assert "已锁定" not in text and "停用" not in text and "不存在" not in text
    # The administrators still see why, in the audit trail.
    reasons = set(
        AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).values_list(
            "detail__reason", flat=True
        )
    )
    assert {"账号不存在", "账号已停用", "账号待授权", "账号已锁定"} <= reasons


def test_one_machine_cannot_lock_the_security_admin_by_name(client, personas):
    for _ in range(8):
        sign_in(client, "secadmin", WRONG, "10.9.9.9")
    # The attacker's address is throttled, even with the right password...
    sign_in(client, "secadmin", TEST_PASSWORD, "10.9.9.9")
    assert not signed_in(client)
    # ...but the account is not locked: the security administrator signs in from his own desk.
    assert not User.objects.get(pk=personas.secadmin.pk).is_locked()
    sign_in(client, "secadmin", TEST_PASSWORD, "10.1.1.1")
    assert signed_in(client)
    assert not AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LOCK).exists()
    # Attempts while throttled are not counted again: five failures in all, then refusals.
    assert LoginFailure.objects.filter(ip_address="10.9.9.9").count() == 5


def test_the_throttle_on_an_address_lifts_after_its_window(client, personas):
    for _ in range(5):
        sign_in(client, "zhou", WRONG, "10.2.2.2")
    sign_in(client, "zhou", TEST_PASSWORD, "10.2.2.2")
    assert not signed_in(client)
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=16)):
        sign_in(client, "zhou", TEST_PASSWORD, "10.2.2.2")
        assert signed_in(client)


def test_failures_from_several_addresses_lock_the_account(client, personas):
    for address in ("10.3.0.1", "10.3.0.2", "10.3.0.3"):
        sign_in(client, "zhou", WRONG, address)
    zhou = User.objects.get(pk=personas.zhou.pk)
    assert zhou.is_locked()
    sign_in(client, "zhou", TEST_PASSWORD, "10.3.0.9")
    assert not signed_in(client)
    lock = AuditEvent.objects.get(action=AuditAction.ACCOUNT_LOCK, object_id=str(zhou.pk))
    assert lock.detail["addresses"] == 3
    # The security administrator lifts it, and the old failures do not lock it again.
    client.force_login(personas.secadmin)
    client.post(f"/accounts/manage/{zhou.pk}/unlock/")
    client.logout()
    sign_in(client, "zhou", WRONG, "10.3.0.4")
    sign_in(client, "zhou", TEST_PASSWORD, "10.3.0.5")
    assert signed_in(client)


def test_the_lock_lasts_its_minutes(client, personas):
    for address in ("10.4.0.1", "10.4.0.2", "10.4.0.3"):
        sign_in(client, "zhou", WRONG, address)
    with time_machine.travel(clock.now() + datetime.timedelta(minutes=31)):
        sign_in(client, "zhou", TEST_PASSWORD, "10.4.0.9")
        assert signed_in(client)


def test_old_failures_are_pruned_by_the_daily_job(personas):
    from apps.accounts.services import prune_login_failures
    from apps.core.scheduling import daily_jobs

    LoginFailure.objects.create(
        at=clock.now() - datetime.timedelta(days=2), ip_address="10.5.0.1", username="x"
    )
    LoginFailure.objects.create(at=clock.now(), ip_address="10.5.0.1", username="x")
    assert prune_login_failures() == 1
    assert any(job.name == "清理登录失败记录" for job in daily_jobs())


def test_behind_the_reverse_proxy_one_client_does_not_throttle_the_others(
    client, personas, settings
):
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1"]
    for _ in range(6):
        client.post(
            "/accounts/login/",
            {"username": "secadmin", "password": WRONG},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.9.9.9",
        )
    client.post(
        "/accounts/login/",
        {"username": "zhou", "password": TEST_PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.1",
    )
    assert signed_in(client)
