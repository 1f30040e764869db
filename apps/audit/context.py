"""Who is acting, from where: set per request by the middleware, read by the audit service."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings


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
    """The address the request came from: the audit trail records it and the sign-in throttle
    counts failures by it.

    gunicorn sets REMOTE_ADDR to the peer of its socket, which behind the reverse proxy is the
    proxy itself. Only when REMOTE_ADDR is one of settings.TRUSTED_PROXY_IPS is X-Forwarded-For
    read, from the right: the first address that is not a trusted proxy is the one that connected
    to them. Anything left of it was written by the client and could be forged.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = set(settings.TRUSTED_PROXY_IPS)
    if remote is None or remote not in trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if hop in trusted:
            continue
        try:
            return str(ipaddress.ip_address(hop))
        except ValueError:
            return remote  # a malformed header: keep the proxy's address rather than guess
    return remote
