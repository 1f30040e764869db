"""Bounded reading: generated zip bombs are refused before openpyxl parses them, within a stated
memory bound, and nothing of them is written or kept.

The bound (settings.IMPORTS): a worker reading any upload grows by at most MEMORY_BOUND_MB above
its baseline. Each file is read in a fresh process (apps/imports/testing/measure.py) so that the
peak resident memory measured is that read's alone.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.imports.models import ImportJob, JobStatus
from apps.imports.testing import bombs
from apps.ledger import services
from apps.ledger.choices import Source
from apps.ledger.models import TrackedItem

MEMORY_BOUND_MB = 128
CPU_BOUND_SECONDS = 1.0  # for a refused bomb; the largest accepted file is allowed more
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def bomb_files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    cells = int(settings.IMPORTS["MAX_CELLS"])
    files = {
        "shared_string_1gb": bombs.shared_string_bomb(),
        "blank_rows_5m": bombs.blank_rows_bomb(),
        "numbered_rows_1_5m": bombs.blank_rows_bomb(1_500_000, numbered=True),
        "lying_sizes": bombs.lying_sizes(bombs.shared_string_bomb()),
        "shared_strings_at_limit": bombs.many_shared_strings(cells - 10),
        "shared_strings_over_limit": bombs.many_shared_strings(cells + 1),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / f"{name}.xlsx"
        paths[name].write_bytes(data)
    return paths


def measure(path: Path) -> dict:
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-m", "apps.imports.testing.measure", str(path)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_bombs_are_the_sizes_of_the_probe(bomb_files):
    assert bomb_files["shared_string_1gb"].stat().st_size < 1.1 * 1024 * 1024
    assert bomb_files["blank_rows_5m"].stat().st_size < 300 * 1024
    assert bomb_files["numbered_rows_1_5m"].stat().st_size < 5 * 1024 * 1024


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("shared_string_1gb", "文件解压后的内容过大（超过32MB）"),
        ("blank_rows_5m", "文件内容的压缩比异常"),
        ("numbered_rows_1_5m", "表格的行数过多（含空行超过50000行）"),
        ("lying_sizes", "文件无法读取"),
        ("shared_strings_over_limit", "表格的单元格过多（超过200000个）"),
    ],
)
def test_a_bomb_is_refused_within_the_bounds(bomb_files, name, message):
    cost = measure(bomb_files[name])
    print(f"{name}: {cost}")  # the figures reported by the closing note (pytest -s)
    assert message in cost["error"]
    assert cost["growth_mb"] < MEMORY_BOUND_MB
    assert cost["cpu_seconds"] < CPU_BOUND_SECONDS


def test_the_largest_accepted_file_stays_within_the_memory_bound(bomb_files):
    cost = measure(bomb_files["shared_strings_at_limit"])
    print(f"shared_strings_at_limit: {cost}")
    assert cost["error"] == ""
    assert cost["growth_mb"] < MEMORY_BOUND_MB


@pytest.mark.django_db
def test_a_bomb_uploaded_writes_nothing_keeps_nothing_and_is_audited(client, personas, bomb_files):
    checklist = services.checklist_create(
        actor=personas.sun, name="2026年党组交办事项清单", year=2026, source=Source.PARTY_GROUP
    )
    client.force_login(personas.sun)
    content = bomb_files["shared_string_1gb"].read_bytes()
    response = client.post(
        reverse("imports:upload", args=["ledger"]),
        {"checklist": checklist.pk, "file": SimpleUploadedFile("台账.xlsx", content, XLSX)},
        follow=True,
    )
    assert "文件解压后的内容过大" in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert not job.file
    assert not TrackedItem.objects.exists()
    audit = AuditEvent.objects.get(object_type="imports.importjob", object_id=str(job.pk))
    assert audit.actor == personas.sun
    assert audit.detail["size"] == len(content) and len(audit.detail["sha256"]) == 64
