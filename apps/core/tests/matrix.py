"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import SIGNED_IN, Case, fixed

MATRIX = {
    "core:home": Case(fixed("/"), ok=SIGNED_IN),
    "core:favicon": Case(fixed("/favicon.ico"), public=True, redirect=SIGNED_IN),
}
