"""Who is acting, from where: set per request by the middleware, read by the audit service."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ActorContext:
    user: Any = None
    ip_address: str | None = None


_current: ContextVar[ActorContext | None] = ContextVar("audit_actor", default=None)
_NOBODY = ActorContext()


def current_actor() -> ActorContext:
    return _current.get() or _NOBODY


@contextlib.contextmanager
def acting_as(user: Any = None, ip_address: str | None = None) -> Iterator[None]:
    token = _current.set(ActorContext(user=user, ip_address=ip_address))
    try:
        yield
    finally:
        _current.reset(token)


def client_ip(request: Any) -> str | None:
    # Behind the production reverse proxy, REMOTE_ADDR is set by it (gunicorn forwarded_allow_ips);
    # X-Forwarded-For is not trusted here because a client can forge it.
    return request.META.get("REMOTE_ADDR") or None
