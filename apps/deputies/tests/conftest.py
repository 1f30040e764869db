from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from apps.deputies import services
from apps.deputies.factories import make_body, make_deputy, make_session
from apps.deputies.models import Deputy, Handling, Suggestion
from apps.ledger.models import Checklist


@dataclass
class World:
    p: Any
    session: Checklist
    transport: Any
    transport_user: Any
    housing: Any
    housing_user: Any
    court: Any
    court_user: Any
    dai: Deputy
    ma: Deputy
    niu: Deputy


@pytest.fixture
def w(personas) -> World:
    transport, transport_user = make_body("市交通运输局", "jtj", parent=personas.government)
    housing, housing_user = make_body("市住房和城乡建设局", "zjj", parent=personas.government)
    court, court_user = make_body("市中级人民法院", "fy", kind="court")
    return World(
        p=personas,
        session=make_session(personas.sun),
        transport=transport,
        transport_user=transport_user,
        housing=housing,
        housing_user=housing_user,
        court=court,
        court_user=court_user,
        dai=make_deputy("戴代表", account=personas.dai),
        ma=make_deputy("马代表", username="ma"),
        niu=make_deputy("牛代表"),
    )


def submitted(w: World, *, cosigners=(), title: str = "关于优化公交线路的建议") -> Suggestion:
    draft = services.suggestion_create(
        actor=w.p.dai,
        spec=services.SuggestionSpec(
            checklist=w.session, title=title, content="建议增开夜班公交。", cosigners=cosigners
        ),
    )
    return services.suggestion_submit(actor=w.p.dai, suggestion=draft)


def assigned(w: World, *, cosigners=(), co=True, key_leader=None) -> Suggestion:
    suggestion = submitted(w, cosigners=cosigners)
    services.suggestion_review(actor=w.p.sun, suggestion=suggestion, decision="register")
    return services.suggestion_assign(
        actor=w.p.sun,
        suggestion=suggestion,
        mode="joint",
        main=w.transport,
        co=[w.housing] if co else [],
        key_leader=key_leader,
    )


def main_of(suggestion: Suggestion) -> Handling:
    return suggestion.handlings.get(role="main", returned_at__isnull=True)


def co_of(suggestion: Suggestion) -> Handling:
    return suggestion.handlings.get(role="co", returned_at__isnull=True)
