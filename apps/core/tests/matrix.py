"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import EVERYONE, Case, fixed

MATRIX = {
    "core:home": Case(fixed("/"), ok=EVERYONE),
    "core:favicon": Case(fixed("/favicon.ico"), public=True, redirect=EVERYONE),
}
