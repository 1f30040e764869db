"""View decorators over the permission rules of permissions.py (the gates of apps/core/gates.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse


def business_required[**P](view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Business pages answer 403 to the three administrators (三员), not an empty page."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)
        from apps.core.gates import BUSINESS, check

        check(request.user, BUSINESS)
        return view(*args, **kwargs)

    return wrapped


def outsider_view[V: Callable[..., HttpResponse]](view: V) -> V:
    """Open this view to outsiders (外部单位联络员、人大代表) as well; OutsiderGateMiddleware refuses
    them every view without this mark. The view itself must still scope what it shows to them."""
    view.outsider_allowed = True  # type: ignore[attr-defined]
    return view
