"""The outputs of the deputies' area: the statistics workbook (every text through the shared
formula-safe `safe_value`), and two Word documents laid out by the 公文 engine — the report on the
handling of deputies' suggestions (代表建议办理情况的报告) and a deputy's annual duty report."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core import clock
from apps.core.spreadsheets import safe_value
from apps.documents.layout import Heading, OfficialDocument, Paragraph, Table, render_docx
from apps.documents.layout.model import Block

from .choices import DutyKind
from .models import Deputy

ISSUER = "市人大常委会办公室"


def _rate(value: Any) -> str:
    return f"{value}%" if value is not None else "—"


def statistics_xlsx(figures: dict[str, Any], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "办理概况"

    def rows(target: Any, header: list[str], data: list[list[Any]]) -> None:
        target.append([safe_value(h) for h in header])
        for cell in target[target.max_row]:
            cell.font = Font(bold=True)
        for row in data:
            target.append([safe_value(v) for v in row])

    rows(
        sheet,
        ["项目", "数值"],
        [
            ["统计范围", title],
            ["立案建议（件）", figures["total"]],
            ["已办结（件）", figures["closed"]],
            ["并案办理（件）", figures["merged"]],
            ["重点督办（件）", figures["key"]],
            ["首次答复（件）", figures["answers"]],
            ["按期答复（件）", figures["on_time"]],
            ["按期答复率", _rate(figures["on_time_rate"])],
            ["代表反馈（份）", figures["judged"]],
            ["满意", figures["satisfied"]],
            ["基本满意", figures["basic"]],
            ["不满意", figures["unsatisfied"]],
            ["满意率（含基本满意）", _rate(figures["satisfaction_rate"])],
            ["重新办理（件）", figures["rehandled"]],
            ["A类一年后核实（件）", figures["checked"]],
            ["其中确已解决（件）", figures["resolved"]],
        ],
    )
    rows(
        workbook.create_sheet("答复分类"),
        ["类别", "件数", "占比"],
        [[c["label"], c["n"], _rate(c["rate"])] for c in figures["classes"]],
    )
    rows(
        workbook.create_sheet("按承办单位"),
        ["承办单位", "承办件数", "已答复"],
        [[r["unit__name"], r["n"], r["answered"]] for r in figures["by_body"]],
    )
    rows(
        workbook.create_sheet("按类别"),
        ["类别", "件数"],
        [[r["topic"] or "未分类", r["n"]] for r in figures["by_topic"]],
    )
    rows(
        workbook.create_sheet("按会议"),
        ["会议（批次）", "件数"],
        [[r["checklist__name"], r["n"]] for r in figures["by_session"]],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def handling_report_docx(figures: dict[str, Any], title: str) -> bytes:
    """关于代表建议办理情况的报告, for the Standing Committee."""
    classes = "，".join(
        f"{c['label'][:2]}{c['n']}件（{_rate(c['rate'])}）" for c in figures["classes"]
    )
    bodies = figures["by_body"][:20]
    body: list[Block] = [
        Paragraph(
            f"{title}，共交办代表建议{figures['total']}件（其中并案办理{figures['merged']}件，"
            f"常委会领导重点督办{figures['key']}件），现已办结{figures['closed']}件。"
        ),
        Heading(1, "一、答复情况"),
        Paragraph(
            f"承办单位首次答复{figures['answers']}件，按期答复{figures['on_time']}件，"
            f"按期答复率{_rate(figures['on_time_rate'])}。答复分类：{classes}。"
        ),
        Heading(1, "二、代表满意情况"),
        Paragraph(
            f"收到代表意见反馈{figures['judged']}份，其中满意{figures['satisfied']}份、"
            f"基本满意{figures['basic']}份、不满意{figures['unsatisfied']}份，"
            f"满意率（含基本满意）{_rate(figures['satisfaction_rate'])}。"
            f"对代表不满意的{figures['rehandled']}件建议，已交承办单位重新办理。"
        ),
        Heading(1, "三、承办单位办理情况"),
        Table(
            ["承办单位", "承办件数", "已答复"],
            [[r["unit__name"], str(r["n"]), str(r["answered"])] for r in bodies],
            size_pt=10.5,
            centered=frozenset({1, 2}),
        )
        if bodies
        else Paragraph("暂无。"),
        Heading(1, "四、办理成效跟踪"),
        Paragraph(
            f"对A类答复的建议一年后核实{figures['checked']}件，确已解决{figures['resolved']}件"
            f"（{_rate(figures['resolved_rate'])}）。B类答复的建议继续跟踪至解决后再次答复。"
        ),
    ]
    document = OfficialDocument(
        title="关于代表建议办理情况的报告",
        body=body,
        signature=ISSUER,
        date=clock.today(),
        author=ISSUER,
        subject="代表建议办理情况",
        keywords=("代表建议", "办理情况"),
    )
    return render_docx(document)


def annual_report_docx(deputy: Deputy, year: int) -> bytes:
    """A deputy's annual duty report (代表年度履职报告), from the duty record and suggestions."""
    duties = list(deputy.duties.filter(date__year=year).order_by("date", "id"))
    total = sum((d.points for d in duties), start=0)
    levels = "、".join(m.get_level_display() for m in deputy.mandates.all())
    suggestions = list(
        deputy.signed.filter(checklist__year=year).exclude(status="draft").order_by("serial")
    )
    labels = dict(DutyKind.choices)
    by_kind: dict[str, int] = {}
    for duty in duties:
        by_kind[duty.kind] = by_kind.get(duty.kind, 0) + 1
    body: list[Block] = [
        Paragraph(
            f"{deputy.name}，{levels}"
            + (f"，所属{deputy.station.name}" if deputy.station else "")
            + f"。{year}年共有履职记录{len(duties)}项，积分{total}分。"
        ),
        Heading(1, "一、履职情况"),
        Paragraph(
            "；".join(f"{labels[k]}{n}次" for k, n in by_kind.items()) + "。"
            if by_kind
            else "本年度暂无履职记录。"
        ),
        Table(
            ["日期", "类型", "内容", "积分"],
            [[f"{d.date:%Y-%m-%d}", labels[d.kind], d.title, str(d.points)] for d in duties[:60]],
            size_pt=10.5,
            centered=frozenset({0, 3}),
        )
        if duties
        else Paragraph("无。"),
        Heading(1, "二、提出建议"),
        Table(
            ["建议号", "案由", "办理状态"],
            [[str(s.serial or "—"), s.title, s.get_status_display()] for s in suggestions],
            size_pt=10.5,
            centered=frozenset({0}),
        )
        if suggestions
        else Paragraph("本年度未提出建议。"),
    ]
    title = f"{deputy.name}代表{year}年度履职报告"
    return render_docx(
        OfficialDocument(
            title=title,
            body=body,
            signature=ISSUER,
            date=clock.today(),
            author=ISSUER,
            subject=title,
            keywords=("代表履职", deputy.name),
        )
    )
