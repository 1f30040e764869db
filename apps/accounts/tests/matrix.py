"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import EVERYONE, SYSADMIN, Case, fixed

MATRIX = {
    # accounts
    "accounts:login": Case(fixed("/accounts/login/"), public=True, ok=EVERYONE),
    "accounts:logout": Case(fixed("/accounts/logout/"), ok=EVERYONE, post_only=True),
    "accounts:password_change": Case(fixed("/accounts/password/"), ok=EVERYONE),
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
}
