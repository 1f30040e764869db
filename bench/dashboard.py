"""Each role's first screen at the demo size and at 50,000 ledger items (issue 10: "the dashboard
answers in constant queries at 50,000 items").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> \\
        python -m bench.dashboard --items 942,50000 --requests 20 --reset

For each size, in a database whose `public` schema it empties first (`--reset`: the database must
be a scratch one), it migrates, generates the demo organ (`generate_organ`, 10 units, 90 staff),
the demo ledger repeated to about that many items (`apps.ledger.demo.generate_ledger(copies=N)`,
157 items a copy) and today's attendance results, then requests `/` in-process (Django's test
client, `config.settings.bench`: DEBUG off, the full middleware stack) as the director (leaders'
dashboard), a unit head (desk) and a clerk (staff home): a warm-up, then `--requests` timed
requests each, counting the SQL queries of one. It prints a table with the median time, the
queries and, for each size after the first, the time ratio against the first size; the JSON goes to
`bench/results/dashboard.json`. Each size runs in its own process so that nothing is cached
across them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ITEMS_PER_COPY = 157  # apps.ledger.demo: one year's lists
PERSONAS = (
    ("zhuren", "leader dashboard 领导驾驶舱"),
    ("fagongwei_zhuren", "unit head desk 单位负责人首页"),
    ("fagongwei_keyuan", "staff home 科员首页"),
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def reset_schema(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def measure(copies: int, requests: int) -> dict:
    """Runs inside the child process: fill the database, then time the three first screens."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from apps.accounts.models import User
    from apps.attendance.services import results_compute_range
    from apps.core import clock
    from apps.core.demo.organ import generate_organ
    from apps.ledger.demo import generate_ledger
    from apps.ledger.models import TrackedItem

    started = time.perf_counter()
    generate_organ()
    generate_ledger(copies=copies)
    today = clock.today()
    results_compute_range(start=today.replace(day=1), end=today)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    populate_s = time.perf_counter() - started
    rows = []
    for username, name in PERSONAS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        for _ in range(3):
            assert client.get("/").status_code == 200
        # The Server-Timing header (apps/core/middleware.py) counts the request's queries.
        timing = client.get("/")["Server-Timing"]
        queries = int(re.search(r'desc="(\d+) queries"', timing).group(1))  # type: ignore[union-attr]
        times = []
        for _ in range(requests):
            began = time.perf_counter()
            assert client.get("/").status_code == 200
            times.append((time.perf_counter() - began) * 1000)
        rows.append(
            {
                "persona": username,
                "page": name,
                "queries": queries,
                "median_ms": round(statistics.median(times), 1),
            }
        )
    return {
        "items": TrackedItem.objects.count(),
        "copies": copies,
        "populate_s": round(populate_s, 1),
        "pages": rows,
    }


def run_size(items: int, requests: int, reset: bool) -> dict:
    url = os.environ["DATABASE_URL"]
    if reset:
        reset_schema(url)
    env = _env()
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    copies = max(1, math.ceil(items / ITEMS_PER_COPY))
    done = subprocess.run(
        [python, "-m", "bench.dashboard", "--child", str(copies), "--requests", str(requests)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(sizes: list[dict]) -> str:
    first = {row["persona"]: row for row in sizes[0]["pages"]}
    lines = [
        "| page | items | queries | median ms | × first size |",
        "|---|---:|---:|---:|---:|",
    ]
    for size in sizes:
        for row in size["pages"]:
            base = first[row["persona"]]["median_ms"]
            ratio = row["median_ms"] / base if base else float("nan")
            lines.append(
                f"| {row['page']} | {size['items']:,} | {row['queries']} | "
                f"{row['median_ms']} | {ratio:.2f}× |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", default="942,50000", help="ledger sizes, comma-separated")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reset", action="store_true", help="empty the database's schema first")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)  # copies, in the child
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.requests)))
        return
    if not args.reset:
        parser.error("--reset is required: each size starts from an empty scratch database")
    sizes = [run_size(int(n), args.requests, args.reset) for n in args.items.split(",")]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps(sizes, ensure_ascii=False, indent=2))
    print(table(sizes))


if __name__ == "__main__":
    main()
