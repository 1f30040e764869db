"""Every URL pattern of the project, visited as every role.

Each area declares its rows in `apps/<area>/tests/matrix.py` (see apps/core/testing/url_matrix.py).
A pattern that no area declared fails `test_every_url_pattern_is_in_the_matrix`, so a new view
cannot ship without deciding who may see it. Refused POSTs must change nothing: no audit row of a
change is written.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from apps.audit.models import AuditEvent
from apps.core.testing.html import assert_no_external_refs
from apps.core.testing.url_matrix import ANON, ROLES, Case, World


def _area_modules() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("apps."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.matrix"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.matrix":
                raise
    return modules


AREAS = _area_modules()
MATRIX: dict[str, Case] = {}
for _area in AREAS:
    overlap = MATRIX.keys() & _area.MATRIX.keys()
    assert not overlap, f"URL names declared twice: {overlap}"
    MATRIX.update(_area.MATRIX)


@pytest.fixture
def world(personas) -> World:
    world = World(p=personas)
    for area in AREAS:
        if hasattr(area, "objects"):
            for name, value in area.objects(personas).items():
                assert not hasattr(world, name), f"two areas name a matrix object {name!r}"
                setattr(world, name, value)
    return world


def _walk(patterns, namespace: str = "") -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            names += _walk(entry.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            names.append(
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )
    return names


def all_url_names() -> list[str]:
    return _walk(get_resolver().url_patterns)


def test_every_url_pattern_is_in_the_matrix():
    names = all_url_names()
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"URL patterns with no row in the role × URL matrix: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"matrix rows for URL patterns that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_get_as_every_role(client, world, url_name):
    case = MATRIX[url_name]
    path = case.url(world)
    failures = []
    for role in ROLES:
        client.logout()
        if role != ANON:
            client.force_login(getattr(world.p, role))
        response = client.get(path)
        expected = case.expected_get(role)
        if response.status_code != expected:
            failures.append(f"{role}: GET {path} → {response.status_code}, expected {expected}")
        elif response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            assert_no_external_refs(response.content.decode())
    assert not failures, "\n".join(failures)


CHANGE_ACTIONS = {"create", "update", "delete", "permission_change", "account_unlock"}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(n for n, c in MATRIX.items() if c.post is not None))
def test_refused_post_changes_nothing(client, world, url_name):
    case = MATRIX[url_name]
    path = case.url(world)
    allowed = case.allowed_post if case.allowed_post is not None else case.ok
    for role in ROLES:
        if role in allowed:
            continue
        client.logout()
        if role != ANON:
            client.force_login(getattr(world.p, role))
        before = AuditEvent.objects.filter(action__in=CHANGE_ACTIONS).count()
        response = client.post(path, case.post)
        refused = {302} if role == ANON else {403, 404}
        assert response.status_code in refused, (role, response.status_code)
        after = AuditEvent.objects.filter(action__in=CHANGE_ACTIONS).count()
        assert after == before, f"{role} changed something with a refused POST to {path}"
