"""Permission gates: who may open a page, named once and used by the view and by its link.

A gate is a named test on the user with the Chinese message of its refusal. A view says
`@requires("business")`; the navigation item for that view names the same gate, so a link shows
exactly when its page would open (tests/test_navigation_links.py checks this for every role).

The gates every area shares are registered here (signed in, business staff, each capability); an
area registers its own with `register_gate` in its `AppConfig.ready`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from apps.accounts.choices import OUTSIDER_ROLES
from apps.accounts.permissions import Capability, has_capability, is_business, is_outsider


@dataclass(frozen=True)
class Gate:
    name: str
    test: Callable[[Any], bool]
    refusal: str = "该功能不在您当前角色的权限范围内。"
    # Outsiders (外部单位联络员、人大代表) pass only gates made for them.
    outsiders: bool = False

    def allows(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return False
        if is_outsider(user) and not self.outsiders:
            return False
        return bool(self.test(user))


_GATES: dict[str, Gate] = {}


def register_gate(gate: Gate) -> Gate:
    """Register `gate`; a second registration under the same name keeps the first."""
    return _GATES.setdefault(gate.name, gate)


def role_gate(name: str, roles: Iterable[str], refusal: str) -> Gate:
    """A gate open to the listed roles only."""
    allowed = frozenset(str(r) for r in roles)
    return register_gate(
        Gate(
            name,
            lambda user: getattr(user, "role", None) in allowed,
            refusal,
            outsiders=bool(allowed & {str(r) for r in OUTSIDER_ROLES}),
        )
    )


def gate(name: str) -> Gate:
    try:
        return _GATES[name]
    except KeyError:
        raise LookupError(f"没有名为“{name}”的权限门") from None


def allows(user: Any, name: str) -> bool:
    return gate(name).allows(user)


def check(user: Any, name: str) -> None:
    """Raise the gate's 403 when it is closed to `user`."""
    found = gate(name)
    if not found.allows(user):
        raise PermissionDenied(found.refusal)


def requires[**P](name: str) -> Callable[[Callable[P, HttpResponse]], Callable[P, HttpResponse]]:
    """A view decorator: answer 403 with the gate's message when the gate is closed."""
    gate(name)  # fail at import time on a misspelt gate

    def decorator(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            request = args[0]
            assert isinstance(request, HttpRequest)
            check(request.user, name)
            return view(*args, **kwargs)

        wrapped.gate_name = name  # type: ignore[attr-defined]
        return wrapped

    return decorator


BUSINESS = "business"
SIGNED_IN = "signed_in"

register_gate(Gate(SIGNED_IN, lambda user: True))
register_gate(
    Gate(
        BUSINESS, is_business, "该功能仅限机关业务人员使用，三员管理员账号只办理本岗位的管理工作。"
    )
)


def _capability_test(capability: Capability) -> Callable[[Any], bool]:
    return lambda user: has_capability(user, capability)


for _capability in Capability:
    register_gate(Gate(f"cap:{_capability.value}", _capability_test(_capability)))
