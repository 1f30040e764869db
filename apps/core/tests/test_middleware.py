import re

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from apps.core.middleware import server_timing_value

TIMING_MIDDLEWARE = "apps.core.middleware.ServerTimingMiddleware"
HEADER = re.compile(
    r"^app;dur=(?P<app>[\d.]+), cpu;dur=(?P<cpu>[\d.]+), "
    r'db;dur=(?P<db>[\d.]+);desc="(?P<queries>\d+) queries"$'
)


def test_header_format_is_parseable():
    value = server_timing_value(app_ms=12.345, cpu_ms=8.1, db_ms=3.2, queries=7)
    assert value == 'app;dur=12.35, cpu;dur=8.10, db;dur=3.20;desc="7 queries"'
    assert HEADER.match(value)


@override_settings(BENCH_SERVER_TIMING=True, MIDDLEWARE=[TIMING_MIDDLEWARE, *settings.MIDDLEWARE])
def test_enabled_header_counts_the_requests_queries(personas):
    client = Client()
    client.force_login(personas.zhou)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    match = HEADER.match(response.headers["Server-Timing"])
    assert match, response.headers["Server-Timing"]
    assert int(match["queries"]) == len(captured) > 0
    assert float(match["app"]) >= float(match["db"]) >= 0
    assert float(match["cpu"]) >= 0


@override_settings(BENCH_SERVER_TIMING=True, MIDDLEWARE=[TIMING_MIDDLEWARE, *settings.MIDDLEWARE])
def test_enabled_header_on_a_page_without_queries(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert HEADER.match(response.headers["Server-Timing"])


@override_settings(BENCH_SERVER_TIMING=False, MIDDLEWARE=[TIMING_MIDDLEWARE, *settings.MIDDLEWARE])
def test_disabled_middleware_adds_nothing(db):
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert "Server-Timing" not in response.headers
