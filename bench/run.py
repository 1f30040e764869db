"""Benchmark the site under gunicorn at several data scales. Usage: see bench/README.md.

    python bench/run.py [--scales 1,10] [--requests 200] [--concurrency 2]

For each scale: create a fresh PostgreSQL database, migrate it, generate the organ and its audit
events and notifications (bench/populate.py), start gunicorn (2 sync workers, 127.0.0.1, a free
port) with config.settings.bench, sign in as each persona, warm up, then request every page of
bench/pages.py N times, then measure clock-in throughput (POST /attendance/clock/ from many signed-in
accounts at once) against the minimal view's, then the wait of a second writer (a login, one audited
write) while a 2,000-row ledger import runs. The Server-Timing header (apps/core/middleware.py) gives the server time
and the SQL query count of each request; the client also records wall time. Everything runs on
the loopback interface; gunicorn is stopped and the databases dropped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import MINIMAL, PAGES, Page  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DEMO_PASSWORD = "Renda@2026demo"
SETTINGS = "config.settings.bench"
WARMUP_REQUESTS = 10
SERVER_TIMING = re.compile(
    r"app;dur=(?P<app>[\d.]+), cpu;dur=(?P<cpu>[\d.]+), "
    r'db;dur=(?P<db>[\d.]+);desc="(?P<queries>\d+) queries"'
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CLOCK_PATH = "/attendance/clock/"
CLOCK_HOME = "/attendance/"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- databases -----------------------------------------------------------------------------------


def database_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create_database(name: str) -> None:
    drop_database(name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def django_env(db_name: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DATABASE_URL=database_url(db_name),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    return env


def run_step(args: list[str], env: dict[str, str], what: str) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{what} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
        )
    return time.perf_counter() - started


def prepare_database(
    db_name: str, scale: int, verify_chain: bool, meeting_years: int | None = None
) -> dict:
    env = django_env(db_name)
    create_database(db_name)
    migrate_s = run_step([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env, "migrate")
    out = RESULTS / f"populate-{db_name}.json"
    populate_args = [PYTHON, "-m", "bench.populate", "--scale", str(scale), "--out", str(out)]
    if meeting_years is not None:
        populate_args += ["--meeting-years", str(meeting_years)]
    if verify_chain:
        populate_args.append("--verify-chain")
    run_step(populate_args, env, "populate")
    summary = json.loads(out.read_text(encoding="utf-8"))
    summary["timings"]["migrate_s"] = round(migrate_s, 2)
    return summary


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(db_name: str, workers: int) -> Iterator[str]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = RESULTS / f"gunicorn-{db_name}.log"
    args = [
        str(Path(PYTHON).with_name("gunicorn")),
        "config.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--timeout", "120",
        "--error-logfile", str(log_path),
    ]  # fmt: skip
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            args, cwd=ROOT, env=django_env(db_name), stdout=log_file, stderr=log_file
        )
    try:
        wait_until_up(process, base_url, log_path)
        yield base_url
    finally:
        stop(process)


def wait_until_up(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    for _ in range(300):  # at most ~30 s
        if process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited ({process.returncode}):\n{log_path.read_text()[-3000:]}"
            )
        try:
            status = httpx.get(base_url + MINIMAL.path, timeout=2).status_code
        except httpx.TransportError:
            status = None  # not listening yet
        if status == 200:
            return
        if status is not None:
            raise RuntimeError(f"{MINIMAL.path} answered {status}:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # the master stops its workers
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Sample:
    server_ms: float
    cpu_ms: float
    db_ms: float
    queries: int
    wall_ms: float


@dataclass
class PageResult:
    page: Page
    status: str = "ok"  # ok | skipped (404) | error: ...
    samples: list[Sample] = field(default_factory=list)


def sign_in(base_url: str, persona: str | None) -> httpx.Cookies:
    """Cookies of a session signed in as `persona` (empty for anonymous pages)."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        if persona is None:
            return httpx.Cookies()
        log_in(client, persona)
        return client.cookies


def log_in(client: httpx.Client, persona: str) -> None:
    """Sign `client` in as `persona` through the login form (password DEMO_PASSWORD)."""
    form = client.get("/accounts/login/")
    token = CSRF_INPUT.search(form.text)
    if token is None:
        raise RuntimeError("no csrf token on the login page")
    response = client.post(
        "/accounts/login/",
        data={"username": persona, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    if response.status_code != 302 or response.headers.get("location") != "/":
        raise RuntimeError(
            f"sign-in as {persona} gave {response.status_code} → {response.headers.get('location')}"
        )


def fetch(client: httpx.Client, path: str) -> tuple[int, Sample | None]:
    started = time.perf_counter()
    response = client.get(path)
    return response.status_code, timing(response, (time.perf_counter() - started) * 1000)


def timing(response: httpx.Response, wall_ms: float) -> Sample | None:
    match = SERVER_TIMING.search(response.headers.get("server-timing", ""))
    if match is None:
        return None
    return Sample(
        float(match["app"]), float(match["cpu"]), float(match["db"]), int(match["queries"]), wall_ms
    )


def measure(
    base_url: str,
    page: Page,
    path: str,
    cookies: httpx.Cookies,
    requests: int,
    concurrency: int,
    max_seconds: float,
) -> PageResult:
    result = PageResult(page)
    clients = [
        httpx.Client(base_url=base_url, cookies=cookies, timeout=60, follow_redirects=False)
        for _ in range(concurrency)
    ]
    try:
        status, sample = fetch(clients[0], path)
        if status == 404:
            result.status = "skipped (404)"
            return result
        if status != 200 or sample is None:
            result.status = f"error: HTTP {status}" + ("" if sample else ", no Server-Timing")
            return result
        for index in range(WARMUP_REQUESTS):
            fetch(clients[index % concurrency], path)

        deadline = time.monotonic() + max_seconds

        def worker(index: int) -> list[Sample]:
            samples = []
            # Bounded twice: at most requests / concurrency each, and no new request after the
            # page's time budget (a slow page at a large scale would otherwise take many minutes).
            for _ in range(index, requests, concurrency):
                if samples and time.monotonic() > deadline:
                    break
                status, sample = fetch(clients[index], path)
                if status != 200 or sample is None:
                    raise RuntimeError(f"{path}: HTTP {status} during the run")
                samples.append(sample)
            return samples

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for samples in pool.map(worker, range(concurrency)):
                result.samples.extend(samples)
    except (RuntimeError, httpx.HTTPError) as error:
        result.status = f"error: {error}"
    finally:
        for client in clients:
            client.close()
    return result


def run_scale(base_url: str, ids: dict, args: argparse.Namespace) -> list[PageResult]:
    cookies: dict[str | None, httpx.Cookies] = {}
    results = []
    for page in PAGES:
        try:
            path = page.path.format(**ids)
        except KeyError as missing:
            results.append(PageResult(page, status=f"skipped (no id {missing})"))
            continue
        if "None" in path.split("/"):
            results.append(PageResult(page, status="skipped (no such object)"))
            continue
        if page.persona not in cookies:
            cookies[page.persona] = sign_in(base_url, page.persona)
        result = measure(
            base_url,
            page,
            path,
            cookies[page.persona],
            args.requests,
            args.concurrency,
            args.max_seconds_per_page,
        )
        log(f"  {page.name:<34} {page.persona or '-':<18} {path:<34} {describe(result)}")
        results.append(result)
    return results


# --- clock-in throughput ---------------------------------------------------------------------------


@dataclass
class Throughput:
    """Requests per second over a fixed number of requests sent by `concurrency` client threads."""

    requests: int
    seconds: float
    samples: list[Sample]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


@dataclass
class ClockResult:
    status: str = "ok"
    accounts: int = 0
    concurrency: int = 0
    minimal: list[Throughput] = field(default_factory=list)  # before and after the clock run
    clock: Throughput | None = None
    created: int | None = None  # clock records the measured run wrote (the rest were merged)

    @property
    def minimal_per_second(self) -> float:
        return statistics.mean(run.per_second for run in self.minimal)


def hammer(
    total: int, concurrency: int, send: Callable[[int, int], Sample], warmup: int
) -> Throughput:
    """`warmup` unmeasured then `total` measured calls of `send(worker, n)`, spread over
    `concurrency` threads that start together; the wall time of the measured part counts."""
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(
            pool.map(
                lambda w: [send(w, n) for n in range(w, warmup, concurrency)], range(concurrency)
            )
        )
        started = time.perf_counter()
        runs = list(
            pool.map(
                lambda w: [send(w, n) for n in range(w, total, concurrency)], range(concurrency)
            )
        )
        seconds = time.perf_counter() - started
    return Throughput(total, seconds, [sample for run in runs for sample in run])


def clock_records(db_name: str) -> int:
    with psycopg.connect(database_url(db_name)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM attendance_clockrecord WHERE source = 'tap'"
        ).fetchone()
    return int(row[0]) if row else 0


def run_clock(
    base_url: str, accounts: list[str], db_name: str, args: argparse.Namespace
) -> ClockResult:
    """Clock-in throughput: `--clock-posts` POSTs to /attendance/clock/ by `--clock-concurrency`
    client threads, each rotating over its own share of the signed-in bench accounts (one person
    each, so that clients do not queue on one person's row lock; a person's later taps within the
    duplicate window are merged into the first, which still takes the lock and the look-up), and
    the same number of GETs of the minimal view by as many threads, before and after, for the
    ratio. Each tap's redirect is not followed; its flash message cookie is dropped as a browser
    showing the next page would consume it."""
    concurrency = min(args.clock_concurrency, len(accounts))
    result = ClockResult(accounts=len(accounts), concurrency=concurrency)
    if not accounts:
        result.status = "skipped (no clock accounts)"
        return result
    sessions: list[tuple[httpx.Client, str]] = []
    minimal_clients = [httpx.Client(base_url=base_url, timeout=60) for _ in range(concurrency)]
    try:
        for username in accounts:
            client = httpx.Client(base_url=base_url, timeout=60, follow_redirects=False)
            sessions.append((client, ""))
            log_in(client, username)
            token = CSRF_INPUT.search(client.get(CLOCK_HOME).text)
            if token is None:
                raise RuntimeError(f"no csrf token on {CLOCK_HOME} for {username}")
            sessions[-1] = (client, token[1])
        shares = [sessions[w::concurrency] for w in range(concurrency)]

        def tap(worker: int, n: int) -> Sample:
            client, token = shares[worker][(n // concurrency) % len(shares[worker])]
            started = time.perf_counter()
            # Each tap after an account's first is a clock-out soon after clocking in, which the
            # page asks to confirm; the bench confirms it, as the page's second button does.
            data = {"csrfmiddlewaretoken": token, "confirm": "out"}
            response = client.post(CLOCK_PATH, data=data)
            sample = timing(response, (time.perf_counter() - started) * 1000)
            if response.status_code != 302 or sample is None:
                raise RuntimeError(f"POST {CLOCK_PATH}: HTTP {response.status_code}")
            if response.headers.get("location") != CLOCK_HOME:
                raise RuntimeError(f"POST {CLOCK_PATH} → {response.headers.get('location')}")
            client.cookies.delete("messages")
            return sample

        def minimal(worker: int, n: int) -> Sample:
            status, sample = fetch(minimal_clients[worker], MINIMAL.path)
            if status != 200 or sample is None:
                raise RuntimeError(f"{MINIMAL.path}: HTTP {status}")
            return sample

        warmup = 4 * concurrency
        result.minimal.append(hammer(args.clock_posts, concurrency, minimal, warmup))
        before = clock_records(db_name)
        result.clock = hammer(args.clock_posts, concurrency, tap, 0)
        result.created = clock_records(db_name) - before
        result.minimal.append(hammer(args.clock_posts, concurrency, minimal, warmup))
    except (RuntimeError, httpx.HTTPError) as error:
        result.status = f"error: {error}"
    finally:
        for client in minimal_clients + [client for client, _ in sessions]:
            client.close()
    log(f"  clock-in {describe_clock(result)}")
    return result


def describe_clock(result: ClockResult) -> str:
    if result.clock is None or not result.minimal:
        return result.status
    return (
        f"{result.clock.per_second:.1f} req/s vs minimal {result.minimal_per_second:.1f} req/s "
        f"(×{result.clock.per_second / result.minimal_per_second:.3f}), "
        f"{result.created} records created of {result.clock.requests} taps"
    )


# --- a second writer during a large import ----------------------------------------------------------

# The second writer: an ordinary staff account signing in (one audited write, a LOGIN event).
WRITER = "fagongwei_keyuan"
IDLE_LOGINS = 15
# A pause between the sign-ins during the import: a sign-in is ~0.2 s of Argon2 on a gunicorn
# worker, and back-to-back sign-ins would take a core from the import they are meant to observe.
WRITER_PAUSE_S = 0.25


@dataclass
class ImportWait:
    """Sign-in times (client wall ms) of a second writer, idle and while a large import runs."""

    status: str = "ok"
    rows: int = 0
    created: int | None = None
    audit_events: int | None = None
    import_seconds: float | None = None
    append_seconds: float | None = None
    idle: list[float] = field(default_factory=list)
    during: list[float] = field(default_factory=list)

    @property
    def idle_median(self) -> float:
        return statistics.median(self.idle)


def timed_login(base_url: str, username: str) -> float:
    """Wall ms of one sign-in POST (the login page's GET for the CSRF token is not counted)."""
    with httpx.Client(base_url=base_url, timeout=300) as client:
        token = CSRF_INPUT.search(client.get("/accounts/login/").text)
        if token is None:
            raise RuntimeError("no csrf token on the login page")
        started = time.perf_counter()
        response = client.post(
            "/accounts/login/",
            data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token[1]},
        )
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 302 or response.headers.get("location") != "/":
        raise RuntimeError(f"sign-in as {username} gave {response.status_code}")
    return elapsed


def run_import_wait(base_url: str, db_name: str, args: argparse.Namespace) -> ImportWait:
    """`IDLE_LOGINS` sign-ins of the second writer, then sign-ins one after another for as long as
    a `--import-rows` ledger import (bench/ledger_import.py, in its own process, as the import
    task runs it) takes. Before issue 7 every audited write locked the chain head inside the
    import's one transaction, so a sign-in during the import waited for its commit."""
    result = ImportWait(rows=args.import_rows)
    env = django_env(db_name)
    sheet = RESULTS / f"import-{db_name}.xlsx"
    try:
        prepared = subprocess.run(
            [PYTHON, "-m", "bench.ledger_import", "sheet", "--rows", str(args.import_rows),
             "--out", str(sheet)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=True,
        )  # fmt: skip
        checklist = json.loads(prepared.stdout)["checklist_id"]
        result.idle = [timed_login(base_url, WRITER) for _ in range(IDLE_LOGINS)]
        process = subprocess.Popen(
            [PYTHON, "-m", "bench.ledger_import", "run", "--file", str(sheet),
             "--checklist", str(checklist)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        while process.poll() is None:
            result.during.append(timed_login(base_url, WRITER))
            time.sleep(WRITER_PAUSE_S)
        out, err = process.communicate(timeout=60)
        if process.returncode != 0:
            raise RuntimeError(f"the import failed:\n{err[-3000:]}")
        outcome = json.loads(out)
        if outcome["errors"] or not outcome["created"]:
            raise RuntimeError(f"the import imported nothing: {outcome['errors']}")
        result.created = outcome["created"]
        result.audit_events = outcome["audit_events"]
        result.import_seconds = outcome["seconds"]
        result.append_seconds = outcome.get("append_seconds")
    except (RuntimeError, httpx.HTTPError, subprocess.SubprocessError) as error:
        result.status = f"error: {error}"
    log(f"  second writer during import: {describe_import_wait(result)}")
    return result


def describe_import_wait(result: ImportWait) -> str:
    if not result.idle or not result.during or result.import_seconds is None:
        return result.status
    return (
        f"sign-in idle median {result.idle_median:.0f} ms; during the {result.rows}-row import "
        f"({result.import_seconds:.1f} s, {result.audit_events} audit events) "
        f"median ×{statistics.median(result.during) / result.idle_median:.2f}, "
        f"longest ×{max(result.during) / result.idle_median:.2f} of idle, n={len(result.during)}"
    )


# --- reporting -----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def median_ms(result: PageResult) -> float:
    return statistics.median(sample.server_ms for sample in result.samples)


def median_cpu(result: PageResult) -> float:
    return statistics.median(sample.cpu_ms for sample in result.samples)


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def query_counts(result: PageResult) -> str:
    """The query count, or `median (min–max)` when it varied between requests."""
    counts = [sample.queries for sample in result.samples]
    low, high = min(counts), max(counts)
    if low == high:
        return str(low)
    return f"{statistics.median_low(counts)} ({low}–{high})"


def describe(result: PageResult) -> str:
    if not result.samples:
        return result.status
    p95 = percentile([s.server_ms for s in result.samples], 0.95)
    return (
        f"median {median_ms(result):.1f} ms, p95 {p95:.1f} ms, "
        f"cpu {statistics.median(s.cpu_ms for s in result.samples):.1f} ms, "
        f"{query_counts(result)} queries, n={len(result.samples)}"
    )


def report(
    by_scale: dict[int, list[PageResult]],
    summaries: dict[int, dict],
    clocks: dict[int, ClockResult],
    args: argparse.Namespace,
    imports: dict[int, ImportWait] | None = None,
) -> str:
    scales = sorted(by_scale)
    lines = [
        "# Benchmark 性能基准",
        "",
        f"gunicorn, {args.workers} sync workers, 127.0.0.1; {args.requests} requests per page after "
        f"{WARMUP_REQUESTS} warm-up requests, client concurrency {args.concurrency}; "
        f"PostgreSQL; settings `{SETTINGS}`; {time.strftime('%Y-%m-%d %H:%M')}; "
        f"{os.cpu_count()} CPUs, load average {args.load_before} before → {load_average()} after.",
        "",
        "- **median / p95 ms**: server wall time, the `app` value of the Server-Timing header (the "
        "whole request inside Django, outermost middleware); it grows when the machine is loaded.",
        "- **cpu ms**: median CPU time of the worker thread for the request (Python's own work, no "
        "waiting on PostgreSQL); the steadier figure on a busy machine.",
        "- **SQL**: queries per request (`median (min–max)` when it varied); **db ms**: median time "
        "inside SQL; **client ms**: median wall time seen by the client; **n**: measured requests "
        "(fewer than asked when the page hit its time budget).",
        "",
        "## Data 数据规模",
        "",
        f"| {args.axis} | units | people | accounts | audit events | notifications | ledger items "
        "台账事项 | ledger events | attendance results 考勤结果 | populate s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale in scales:
        counts = summaries[scale]["counts"]
        timings = summaries[scale]["timings"]
        seconds = sum(value for key, value in timings.items() if key != "verify_s")
        lines.append(
            f"| {scale} | {counts['units']} | {counts['people']} | {counts['accounts']} | "
            f"{counts['audit_events']} | {counts['notifications']} | "
            f"{counts.get('ledger_items', '-')} | {counts.get('ledger_events', '-')} | "
            f"{counts.get('daily_results', '-')} | {seconds:.0f} |"
        )
    lines += [
        "",
        "Ledger: `apps.ledger.demo.generate_ledger` × max(6, round(6.4 × scale)) copies of the demo "
        "year (157 items each, with events, milestones and progress reports). Attendance: one "
        "`DailyResult` per person and day of 2026-10 (bulk, a mix of statuses with reasons; no "
        "clocks, which the notice does not read).",
    ]
    sessions = [
        f"{scale}: {summaries[scale]['meetings_summary'].get('years', '?')} years, "
        f"{summaries[scale]['meetings_summary'].get('sessions', '?')} sessions"
        for scale in scales
        if "meetings_summary" in summaries[scale]
    ]
    if sessions:
        lines.append(
            f"Standing Committee sessions 常委会会议 ({args.axis}): " + "; ".join(sessions) + "."
        )
    lines += [
        "",
        "## Pages 页面",
        "",
        f"| page 页面 | persona | {args.axis} | median ms | p95 ms | × minimal | cpu ms | SQL | db ms "
        "| client ms | n |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    skipped: dict[str, list[str]] = {}
    for index, page in enumerate(PAGES):
        for scale in scales:
            result = by_scale[scale][index]
            if not result.samples:
                key = f"`{page.path}` ({page.persona or 'anonymous'})"
                skipped.setdefault(key, []).append(f"scale {scale}: {result.status}")
                continue
            minimal = by_scale[scale][0]
            ratio = median_ms(result) / median_ms(minimal) if minimal.samples else float("nan")
            server = [s.server_ms for s in result.samples]
            lines.append(
                f"| {page.name} | {page.persona or '-'} | {scale} | {statistics.median(server):.1f} | "
                f"{percentile(server, 0.95):.1f} | {ratio:.1f} | "
                f"{statistics.median(s.cpu_ms for s in result.samples):.1f} | "
                f"{query_counts(result)} | "
                f"{statistics.median(s.db_ms for s in result.samples):.1f} | "
                f"{statistics.median(s.wall_ms for s in result.samples):.1f} | "
                f"{len(result.samples)} |"
            )
    if len(scales) > 1:
        small, large = scales[0], scales[-1]
        lines += [
            "",
            f"## Scaling 随规模变化 ({args.axis} {large} vs {small})",
            "",
            f"| page 页面 | persona | SQL by {args.axis} | SQL constant 查询数恒定 | median "
            f"×{large}/{small} | p95 ×{large}/{small} | cpu ×{large}/{small} |",
            "|---|---|---|---|---:|---:|---:|",
        ]
        varying: list[str] = []
        for index, page in enumerate(PAGES):
            per_scale = [by_scale[scale][index] for scale in scales]
            if not all(result.samples for result in per_scale):
                continue
            counts = [query_counts(result) for result in per_scale]
            constant = "yes 是" if len(set(counts)) == 1 and "–" not in counts[0] else "**no 否**"
            first, last = per_scale[0], per_scale[-1]
            p95_ratio = percentile([s.server_ms for s in last.samples], 0.95) / percentile(
                [s.server_ms for s in first.samples], 0.95
            )
            lines.append(
                f"| {page.name} | {page.persona or '-'} | {' / '.join(counts)} | {constant} | "
                f"{median_ms(last) / median_ms(first):.2f} | {p95_ratio:.2f} | "
                f"{median_cpu(last) / max(median_cpu(first), 0.01):.2f} |"
            )
            if constant != "yes 是":
                varying.append(f"{page.name} ({page.persona or '-'}): {' / '.join(counts)}")
        lines.append("")
        if varying:
            lines.append(
                "SQL count **not** equal across scales (or varying between requests) 查询数不恒定: "
                + "; ".join(varying)
                + "."
            )
        else:
            lines.append(
                "SQL count equal across scales for every page measured at all scales "
                "所有页面查询数恒定."
            )
    lines += clock_report(clocks, scales, args)
    lines += import_report(imports or {}, scales)
    if skipped:
        lines += ["", "## Not measured 未测量", ""]
        lines += [f"- {path}: {'; '.join(notes)}" for path, notes in skipped.items()]
    return "\n".join(lines) + "\n"


def clock_report(
    clocks: dict[int, ClockResult], scales: list[int], args: argparse.Namespace
) -> list[str]:
    if not clocks:
        return []
    lines = [
        "",
        "## Clock-in throughput 打卡吞吐量 (POST /attendance/clock/)",
        "",
        f"{args.clock_posts} POSTs by {args.clock_concurrency} client threads, each rotating over "
        "its share of the signed-in bench accounts (one person each; a person's taps after the "
        "first within the 60 s duplicate window are merged, still taking the person's row lock); "
        f"minimal view: {args.clock_posts} GETs by as many threads just before and after "
        "(× minimal uses their mean). req/s = requests ÷ wall time of the whole run, "
        f"{args.workers} gunicorn sync workers, PostgreSQL.",
        "",
        "| scale | accounts | clients | minimal req/s (before / after) | clock-in req/s | × minimal "
        "| created / merged | median ms | p95 ms | cpu ms | SQL | db ms | client ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale in scales:
        result = clocks.get(scale)
        if result is None:
            continue
        if result.clock is None or len(result.minimal) < 2:
            lines.append(
                f"| {scale} | {result.accounts} | {result.concurrency} | {result.status} |"
            )
            continue
        taps = PageResult(MINIMAL, samples=result.clock.samples)
        server = [s.server_ms for s in taps.samples]
        created = result.created or 0
        lines.append(
            f"| {scale} | {result.accounts} | {result.concurrency} | "
            f"{result.minimal[0].per_second:.0f} / {result.minimal[1].per_second:.0f} | "
            f"{result.clock.per_second:.1f} | "
            f"{result.clock.per_second / result.minimal_per_second:.3f} | "
            f"{created} / {result.clock.requests - created} | {statistics.median(server):.1f} | "
            f"{percentile(server, 0.95):.1f} | {median_cpu(taps):.1f} | {query_counts(taps)} | "
            f"{statistics.median(s.db_ms for s in taps.samples):.1f} | "
            f"{statistics.median(s.wall_ms for s in taps.samples):.1f} |"
        )
    return lines


def import_report(imports: dict[int, ImportWait], scales: list[int]) -> list[str]:
    if not imports:
        return []
    lines = [
        "",
        "## A second writer during a large import 大批量导入时的其他写入",
        "",
        f"The second writer signs in as `{WRITER}` (one audited write) {IDLE_LOGINS} times while "
        f"nothing else runs (idle), then every {WRITER_PAUSE_S} s for as long as a ledger import "
        "runs in its own process (`bench/ledger_import.py`: every row checked, then all items "
        "created in one transaction). Client wall time of the sign-in POST; × idle = divided by "
        "the idle median, so the figures compare across machines and loads.",
        "",
        "| scale | rows | import s | of which audit append after commit s | audit events | "
        "idle median ms | sign-ins during | median × idle | p95 × idle | longest × idle | "
        "longest ms |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale in scales:
        result = imports.get(scale)
        if result is None:
            continue
        if not result.idle or not result.during or result.import_seconds is None:
            lines.append(f"| {scale} | {result.rows} | {result.status} |")
            continue
        idle = result.idle_median
        lines.append(
            f"| {scale} | {result.rows} | {result.import_seconds:.1f} | "
            f"{result.append_seconds or 0:.1f} | {result.audit_events} | "
            f"{idle:.0f} | {len(result.during)} | {statistics.median(result.during) / idle:.2f} | "
            f"{percentile(result.during, 0.95) / idle:.2f} | {max(result.during) / idle:.2f} | "
            f"{max(result.during):.0f} |"
        )
    return lines


# --- main ----------------------------------------------------------------------------------------


def collectstatic() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS, PYTHONPATH=str(ROOT))
    run_step([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark pages under gunicorn at several data scales."
    )
    parser.add_argument(
        "--scales", default="1,10", help="comma-separated scales (1 = the demo organ)"
    )
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--max-seconds-per-page",
        type=float,
        default=30,
        help="stop measuring a page after this long, even with fewer requests",
    )
    parser.add_argument(
        "--clock-posts", type=int, default=500, help="clock-in POSTs for the throughput run"
    )
    parser.add_argument(
        "--clock-concurrency",
        type=int,
        default=4,
        help="client threads for the clock-in throughput run (at most the bench accounts, 50)",
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=2000,
        help="rows of the ledger import during which a second writer's sign-ins are timed",
    )
    parser.add_argument(
        "--phases",
        default="pages,clock,import",
        help="what to measure, comma-separated: pages, clock (clock-in throughput), import "
        "(a second writer during a large import)",
    )
    parser.add_argument(
        "--verify-chain", action="store_true", help="check the generated audit chain"
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="do not drop the databases (debugging)"
    )
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated path prefixes: measure only these pages (e.g. /meetings/)",
    )
    parser.add_argument(
        "--meeting-years",
        default="",
        help="years of sessions to generate (default 10); several (1,10) with one scale "
        "compare the pages across them instead of across scales",
    )
    parser.add_argument(
        "--db-prefix",
        default="bench_organ",
        help="databases are named <prefix>_s<scale>: another prefix lets two checkouts run at once",
    )
    args = parser.parse_args()
    scales = sorted({int(part) for part in args.scales.split(",") if part.strip()})
    if not scales or min(scales) < 1 or args.requests < 1 or args.concurrency < 1:
        parser.error("scales, requests and concurrency must be positive")
    if args.clock_posts < 1 or args.clock_concurrency < 1:
        parser.error("clock posts and clock concurrency must be positive")
    prefixes = [part.strip() for part in args.pages.split(",") if part.strip()]
    if prefixes:
        # The minimal view stays first: every page is also given as a multiple of it.
        global PAGES
        PAGES = [MINIMAL] + [p for p in PAGES[1:] if p.path.startswith(tuple(prefixes))]
        if len(PAGES) == 1:
            parser.error(f"--pages {args.pages}: no page of bench/pages.py starts so")
    try:
        years = sorted({int(part) for part in args.meeting_years.split(",") if part.strip()})
    except ValueError:
        parser.error("--meeting-years: comma-separated whole numbers")
    if years and min(years) < 1:
        parser.error("--meeting-years must be positive")
    if len(years) > 1 and len(scales) > 1:
        parser.error("several --meeting-years compare at one scale: give one --scales")
    # What the runs vary: the scale, or (several meeting years at one scale) the years of sessions.
    runs: list[tuple[int, int | None]] = (
        [(scales[0], y) for y in years]
        if len(years) > 1
        else [(s, years[0] if years else None) for s in scales]
    )
    args.axis = "meeting years 会议年数" if len(years) > 1 else "scale 规模"
    phases = {part.strip() for part in args.phases.split(",") if part.strip()}
    if not phases or phases - {"pages", "clock", "import"}:
        parser.error("phases: any of pages, clock, import")

    args.load_before = load_average()
    RESULTS.mkdir(parents=True, exist_ok=True)
    created: list[str] = []
    by_scale: dict[int, list[PageResult]] = {}
    summaries: dict[int, dict] = {}
    clocks: dict[int, ClockResult] = {}
    imports: dict[int, ImportWait] = {}
    try:
        collectstatic()
        for run_scale_of, run_years in runs:
            # `scale` keys the results: the meeting years when those are what varies.
            scale = run_years if len(years) > 1 and run_years is not None else run_scale_of
            db_name = f"{args.db_prefix}_s{run_scale_of}" + (f"_y{run_years}" if run_years else "")
            log(f"{args.axis} {scale}: preparing database {db_name} …")
            created.append(db_name)
            summaries[scale] = prepare_database(db_name, run_scale_of, args.verify_chain, run_years)
            log(f"  data: {summaries[scale]['counts']} timings: {summaries[scale]['timings']}")
            if summaries[scale].get("chain_problems"):
                raise RuntimeError(
                    f"generated audit chain has {summaries[scale]['chain_problems']} problems"
                )
            with gunicorn(db_name, args.workers) as base_url:
                log(f"  gunicorn at {base_url}")
                if "pages" in phases:
                    by_scale[scale] = run_scale(base_url, summaries[scale]["ids"], args)
                else:
                    by_scale[scale] = [
                        PageResult(page, status="skipped (--phases)") for page in PAGES
                    ]
                if "clock" in phases:
                    clocks[scale] = run_clock(
                        base_url, summaries[scale].get("clock_accounts", []), db_name, args
                    )
                if "import" in phases:
                    imports[scale] = run_import_wait(base_url, db_name, args)
            if not args.keep_db:
                drop_database(db_name)
                created.remove(db_name)
    finally:
        if not args.keep_db:
            for db_name in created:
                drop_database(db_name)
    table = report(by_scale, summaries, clocks, args, imports)
    print(table)
    (RESULTS / "latest.md").write_text(table, encoding="utf-8")
    log(f"written to {RESULTS / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
