"""Template hygiene across every area (issue 10: a comment printed on the 行事历 page)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_no_template_comment_spans_lines():
    # Django's {# #} comment ends at the line's end: a longer one prints itself on the page.
    offenders = []
    for path in [*ROOT.glob("apps/*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            opened = line.count("{#")
            if opened and line.count("#}") < opened:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, "一行以上的注释请用 {% comment %}：" + ", ".join(offenders)
