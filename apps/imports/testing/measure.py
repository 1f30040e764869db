"""Read one file the way an import worker does and print what it cost, as JSON.

    python -m apps.imports.testing.measure FILE

Run in a fresh process so that the peak resident memory (VmHWM of /proc/self/status: unlike
ru_maxrss it starts anew at exec, not at the parent's peak) belongs to this read alone:
`baseline_mb` is the peak after Django and openpyxl are loaded, `peak_mb` after the read,
`cpu_seconds` the user+system time of the read.
"""

from __future__ import annotations

import json
import os
import resource
import sys


def _usage() -> tuple[float, float]:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return peak_kb / 1024, usage.ru_utime + usage.ru_stime


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    import openpyxl  # noqa: F401  (loaded before the baseline, as in a worker)

    from apps.imports.reading import ImportFileError, read_grids

    with open(path, "rb") as handle:
        data = handle.read()
    baseline, cpu_before = _usage()
    error = ""
    rows = 0
    import io

    try:
        for grid in read_grids(io.BytesIO(data), max_bytes=len(data)):
            rows += len(grid.rows)
    except ImportFileError as refused:
        error = str(refused)
    peak, cpu_after = _usage()
    print(
        json.dumps(
            {
                "baseline_mb": round(baseline, 1),
                "peak_mb": round(peak, 1),
                "growth_mb": round(peak - baseline, 1),
                "cpu_seconds": round(cpu_after - cpu_before, 3),
                "rows": rows,
                "error": error,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
