"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import Case, fixed

MATRIX = {
    # audit and notifications
    "audit:event_list": Case(fixed("/audit/"), ok={"auditadmin"}),
    "audit:chain_status": Case(fixed("/audit/chain/"), ok={"auditadmin"}),
}
