"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.accounts.choices import AdminChangeKind
from apps.accounts.models import AdminChangeRequest
from apps.core import clock
from apps.core.testing.url_matrix import ADMINS, SIGNED_IN, SYSADMIN, Case, fixed


def objects(personas) -> dict[str, object]:
    # Made directly (not through the service, which would refuse to leave no audit administrator).
    change = AdminChangeRequest.objects.create(
        target=personas.auditadmin,
        kind=AdminChangeKind.DISABLE,
        reason="矩阵测试",
        requested_by=personas.sysadmin,
        requested_at=clock.now(),
    )
    return {"admin_change": change}


MATRIX = {
    # accounts
    "accounts:login": Case(fixed("/accounts/login/"), public=True, ok=SIGNED_IN),
    "accounts:logout": Case(fixed("/accounts/logout/"), ok=SIGNED_IN, post_only=True),
    "accounts:password_change": Case(fixed("/accounts/password/"), ok=SIGNED_IN),
    "accounts:account_list": Case(fixed("/accounts/manage/"), ok={"sysadmin", "secadmin"}),
    "accounts:account_create": Case(
        fixed("/accounts/manage/new/"),
        ok=SYSADMIN,
        post={"username": "intruder", "initial_password": "Intruder@2026pass"},
    ),
    "accounts:account_detail": Case(
        lambda w: f"/accounts/manage/{w.p.zhou.pk}/", ok={"sysadmin", "secadmin"}
    ),
    "accounts:account_role": Case(
        lambda w: f"/accounts/manage/{w.p.zhou.pk}/role/",
        ok={"secadmin"},
        post_only=True,
        post={"role": "leader"},
    ),
    "accounts:account_unlock": Case(
        lambda w: f"/accounts/manage/{w.p.zhou.pk}/unlock/",
        ok={"secadmin"},
        post_only=True,
        post={},
    ),
    "accounts:account_active": Case(
        lambda w: f"/accounts/manage/{w.p.zhou.pk}/active/",
        ok=SYSADMIN,
        post_only=True,
        post={"active": "0"},
    ),
    "accounts:admin_changes": Case(
        fixed("/accounts/admin-changes/"),
        ok=ADMINS,
        post={"target": "1", "kind": "disable", "reason": "越权申请"},
    ),
    "accounts:admin_change_confirm": Case(
        lambda w: f"/accounts/admin-changes/{w.admin_change.pk}/confirm/",
        ok=ADMINS,
        post_only=True,
        post={},
    ),
    "accounts:admin_change_reject": Case(
        lambda w: f"/accounts/admin-changes/{w.admin_change.pk}/reject/",
        ok=ADMINS,
        post_only=True,
        post={},
    ),
}
