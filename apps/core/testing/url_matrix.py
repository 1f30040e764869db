"""The role × URL matrix: each area declares, in `apps/<area>/tests/matrix.py`, what every role gets
from each of its URL patterns; `tests/test_url_matrix.py` visits them all and fails on any pattern
that no area declared.

An area's matrix module holds `MATRIX: dict[str, Case]` (URL name → case) and, when its URLs name
objects, `objects(personas) -> dict[str, object]`, whose entries become attributes of the `World`
that each case's `url` receives (next to `w.p`, the personas).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from .personas import PERSONA_NAMES

ANON = "anon"
ROLES = [ANON, *PERSONA_NAMES]
BUSINESS = {"zhao", "qian", "sun", "li", "zhou", "wu"}
ADMINS = {"sysadmin", "secadmin", "auditadmin"}
EVERYONE = BUSINESS | ADMINS
# Outsiders (外部单位联络员、人大代表) open only pages made for them.
OUTSIDERS = {"gov", "dai"}
SIGNED_IN = EVERYONE | OUTSIDERS
SYSADMIN = {"sysadmin"}
ORG_READERS = BUSINESS | SYSADMIN
OFFICE = {"qian", "sun"}
# Who sees 法工委's records: the leader, the office, and 法工委's own head and staff.
LEGAL_READERS = {"zhao", "qian", "sun", "li", "zhou"}

World = SimpleNamespace  # `p` (the personas) plus every area's objects


@dataclass(frozen=True)
class Case:
    """`url` builds the path; `ok` get 200, `not_found` 404, every other signed-in role 403.

    `post_only` views answer GET with 405 to the roles in `ok`; `post` is a form that refused roles
    send, to check that it changes nothing (`allowed_post`: who may POST, when not `ok`).
    `public` views need no sign-in; `redirect` roles get 302.
    """

    url: Callable[[Any], str]
    ok: set[str] = field(default_factory=set)
    not_found: set[str] = field(default_factory=set)
    post_only: bool = False
    public: bool = False
    redirect: set[str] = field(default_factory=set)
    post: dict | None = None
    allowed_post: set[str] | None = None

    def expected_get(self, role: str) -> int:
        if role == ANON:
            if self.public:
                return 302 if self.redirect else 200
            return 302
        if role in self.redirect:
            return 302
        if role in self.ok:
            return 405 if self.post_only else 200
        if role in self.not_found:
            return 404
        return 403


def fixed(path: str) -> Callable[[Any], str]:
    return lambda w: path
