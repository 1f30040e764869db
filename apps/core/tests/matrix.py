"""What every role gets from each URL of this area (see apps/core/testing/url_matrix.py)."""

from __future__ import annotations

from apps.core.testing.url_matrix import EVERYONE, SIGNED_IN, Case, fixed

MATRIX = {
    "core:home": Case(fixed("/"), ok=SIGNED_IN),
    # Outsiders (外部单位联络员、人大代表) search nothing of the organ's: refused like any staff page.
    "core:search": Case(fixed("/search/?q=%E6%B3%95%27%3C"), ok=EVERYONE),
    "core:favicon": Case(fixed("/favicon.ico"), public=True, redirect=SIGNED_IN),
}
