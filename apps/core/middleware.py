"""Server-side timing for the benchmark harness (bench/run.py); off unless settings enable it."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCounter:
    """An `execute_wrapper` that counts the SQL statements of one request and sums their time."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def server_timing_value(*, app_ms: float, cpu_ms: float, db_ms: float, queries: int) -> str:
    """The header value, e.g. `app;dur=12.34, cpu;dur=8.10, db;dur=3.21;desc="7 queries"`.

    `app` is the wall time of the whole request as this middleware sees it (everything below it in
    MIDDLEWARE, the view, the template and the session save); `cpu` is the CPU time of the thread
    serving it (Python's own work: it excludes waiting for the database and, unlike `app`, hardly
    moves when other processes load the machine); `db` is the wall time spent inside SQL statements
    and its description carries their number, so a browser's network panel shows them all.
    """
    return (
        f'app;dur={app_ms:.2f}, cpu;dur={cpu_ms:.2f}, db;dur={db_ms:.2f};desc="{queries} queries"'
    )


class ServerTimingMiddleware:
    """Adds a `Server-Timing` header with the request's server time and its SQL query count.

    Active only when `settings.BENCH_SERVER_TIMING` is True (the bench settings put it first in
    MIDDLEWARE); otherwise Django drops it from the chain at start-up and it costs nothing.
    It counts queries on the default connection of the thread serving the request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not getattr(settings, "BENCH_SERVER_TIMING", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = QueryCounter()
        started = time.perf_counter()
        cpu_started = time.thread_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["Server-Timing"] = server_timing_value(
            app_ms=(time.perf_counter() - started) * 1000,
            cpu_ms=(time.thread_time() - cpu_started) * 1000,
            db_ms=counter.seconds * 1000,
            queries=counter.count,
        )
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than `settings.REQUEST_MAX_BYTES` with 413
    and a Chinese page, before anything reads the body (a 200 MB upload used to be read in full
    before the form refused it). First in MIDDLEWARE: it needs no session, user or database.

    Django's own caps cover what is read: DATA_UPLOAD_MAX_MEMORY_SIZE bounds the form fields
    other than files (every free text), FILE_UPLOAD_MAX_MEMORY_SIZE sends larger files to disk.
    A body sent without Content-Length (chunked) is bounded by those and by the web server's cap.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = getattr(settings, "REQUEST_MAX_BYTES", None)
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared) if declared.isascii() else 0
        except ValueError:
            length = 0
        if limit and length > limit:
            from django.template.loader import render_to_string

            body = render_to_string("413.html", {"limit_mb": limit // (1024 * 1024)})
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for a request
            return response
        return self.get_response(request)
