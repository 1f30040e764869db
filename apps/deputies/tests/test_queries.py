"""The suggestion list and the statistics answer in the same number of queries at any size.

The always-run test compares 10 and 60 suggestions; with DEPUTIES_BENCH=1 (on PostgreSQL) the
same comparison runs at 200 and 20,000 and prints the counts for the closing note."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.deputies.factories import make_session

from .scale import bulk_suggestions

PAGES = (
    "/deputies/suggestions/",
    "/deputies/statistics/",
    "/deputies/suggestions/?status=answered",
)


def counts(client) -> dict[str, int]:
    result = {}
    for path in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        result[path] = len(captured)
    return result


def measure(client, personas, small: int, large: int) -> tuple[dict, dict]:
    session = make_session(personas.sun)
    client.force_login(personas.sun)
    bulk_suggestions(personas.sun, session, small)
    client.get(PAGES[0])  # warm the per-process caches (calendar, content types)
    before = counts(client)
    bulk_suggestions(personas.sun, session, large - small)
    after = counts(client)
    return before, after


def test_the_list_and_statistics_keep_their_query_counts(client, personas):
    before, after = measure(client, personas, 10, 60)
    assert before == after


@pytest.mark.skipif(not os.environ.get("DEPUTIES_BENCH"), reason="基准测试：设置 DEPUTIES_BENCH=1")
def test_at_twenty_thousand_suggestions(client, personas):
    before, after = measure(client, personas, 200, 20_000)
    print("\n查询次数（200件 → 20,000件）：", {p: (before[p], after[p]) for p in PAGES})
    assert before == after
