"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import EVERYONE, Case, fixed

MATRIX = {
    "notifications:list": Case(fixed("/notifications/"), ok=EVERYONE),
    "notifications:mark_read": Case(fixed("/notifications/read/"), ok=EVERYONE, post_only=True),
}
