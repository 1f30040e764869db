"""A 2,000-row ledger import inside the bench database, for the second-writer measurement.

Run by bench/run.py (DJANGO_SETTINGS_MODULE=config.settings.bench, DATABASE_URL set):

    python -m bench.ledger_import sheet --rows 2000 --out FILE.xlsx   # prints {"checklist_id": …}
    python -m bench.ledger_import run --file FILE.xlsx --checklist ID  # prints the result as JSON

`sheet` writes a valid workbook of the organ's own committees (one new 督办事项 a row, a calendar
deadline a week ahead) and creates the list to import it into; `run` imports it as the General
Office's clerk through `apps.ledger.importing.import_workbook`, exactly as the import task does:
every row is checked first, then all items are created in one transaction. Only public
functions of the ledger are used, so the same file measures the code before and after a change.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import random
import sys
import time
from pathlib import Path

import django

ACTOR = "bgs_ganshi"  # the demo's General Office clerk (办公室工作人员)


def make_sheet(rows: int, out: Path, seed: int) -> dict:
    import openpyxl

    from apps.accounts.models import User
    from apps.core import clock
    from apps.ledger.choices import Source
    from apps.ledger.importing import COLUMNS
    from apps.ledger.models import Checklist
    from apps.organization.choices import UnitKind
    from apps.organization.models import Unit

    rng = random.Random(seed)
    today = clock.today()
    committees = list(
        Unit.objects.filter(is_active=True, kind=UnitKind.COMMITTEE).values_list("name", flat=True)
    )
    deadline = today + datetime.timedelta(days=7)
    checklist = Checklist.objects.create(
        name=f"基准导入清单{time.strftime('%H%M%S')}",
        year=today.year,
        source=Source.values[0],
        created_by=User.objects.get(username=ACTOR),
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    labels = [column.label for column in COLUMNS]
    sheet.append(labels)
    for number in range(1, rows + 1):
        values = {
            "serial": number,
            "kind": "督办事项",
            "title": f"基准导入事项第{number}项",
            "content": "按期办结并报送办理情况",
            "category": "基准",
            "lead_unit": rng.choice(committees),
            "deadline": f"{deadline.year}年{deadline.month}月{deadline.day}日",
        }
        sheet.append([values.get(column.key, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    out.write_bytes(buffer.getvalue())
    return {"checklist_id": checklist.pk, "rows": rows, "bytes": len(buffer.getvalue())}


def run_import(file: Path, checklist_id: int) -> dict:
    from apps.accounts.models import User
    from apps.audit.context import acting_as
    from apps.audit.models import AuditEvent
    from apps.ledger.importing import import_workbook
    from apps.ledger.models import Checklist

    appended = _time_the_appender()
    actor = User.objects.get(username=ACTOR)
    checklist = Checklist.objects.get(pk=checklist_id)
    data = file.read_bytes()
    events_before = AuditEvent.objects.count()
    started = time.perf_counter()
    with acting_as(actor):
        result = import_workbook(
            actor=actor,
            checklist=checklist,
            fileobj=io.BytesIO(data),
            size=len(data),
            source_name=file.name,
        )
    seconds = time.perf_counter() - started
    return {
        "created": result.created,
        "errors": result.errors[:5],
        "seconds": round(seconds, 3),
        "audit_events": AuditEvent.objects.count() - events_before,
        # Of `seconds`, the time the audit appender spent chaining the import's events after its
        # commit (0 for code that chains inside the transaction).
        "append_seconds": round(appended[0], 3),
    }


def _time_the_appender() -> list[float]:
    """Wrap the audit appender, where the code has one, to add up the time it takes."""
    from apps.audit import services

    spent = [0.0]
    original = getattr(services, "chain_pending", None)
    if original is None:
        return spent

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    services.chain_pending = timed  # type: ignore[attr-defined]
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sheet = commands.add_parser("sheet")
    sheet.add_argument("--rows", type=int, default=2000)
    sheet.add_argument("--seed", type=int, default=2026)
    sheet.add_argument("--out", type=Path, required=True)
    run = commands.add_parser("run")
    run.add_argument("--file", type=Path, required=True)
    run.add_argument("--checklist", type=int, required=True)
    args = parser.parse_args()
    django.setup()
    if args.command == "sheet":
        result = make_sheet(args.rows, args.out, args.seed)
    else:
        result = run_import(args.file, args.checklist)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
