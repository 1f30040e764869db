"""The 会议通知 and the 会议纪要 of a session, laid out by the one 公文 engine (GB/T 9704)."""

from __future__ import annotations

from apps.core import clock
from apps.documents.layout import (
    DocumentFormat,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
)
from apps.documents.layout.model import Block

from .models import Session

ISSUER = "人大常委会办公室"


def _agenda_table(session: Session) -> Table:
    return Table(
        ["序号", "议题", "报告单位", "计划时长"],
        [
            [
                str(item.order),
                item.title + (f"（{item.get_reading_display()}）" if item.reading else ""),
                item.reporting_body.name if item.reporting_body else "—",
                f"{item.planned_minutes}分钟",
            ]
            for item in session.items.select_related("reporting_body").order_by("order")
        ],
        size_pt=10.5,
        centered=frozenset({0, 3}),
    )


def notice_document(session: Session) -> bytes:
    """会议通知: date, place and the agenda the 主任会议 decided, to all members."""
    days = (
        f"{session.date:%Y年%m月%d日}"
        if session.end_date == session.date
        else f"{session.date:%Y年%m月%d日}至{session.end_date:%m月%d日}"
    )
    body: list[Block] = [
        Paragraph(
            f"经主任会议研究决定，{session}定于{days}在{session.place}举行。会议建议议程如下："
        ),
        _agenda_table(session),
        Heading(1, "有关事项"),
        Paragraph(
            "请各位组成人员按时出席；因故不能出席的，请向办公室请假。会议材料已在平台发布，请提前审阅。"
        ),
    ]
    title = f"关于召开{session}的通知"
    return render_docx(
        OfficialDocument(
            title=title,
            body=body,
            recipients="常委会各位组成人员",
            signature=ISSUER,
            date=clock.today(),
            author=ISSUER,
            subject=title,
            keywords=("会议通知", str(session)),
        )
    )


def minutes_document(session: Session) -> bytes:
    """会议纪要 in the 纪要 format."""
    body: list[Block] = [
        Paragraph(session.minutes or "（会议纪要尚未整理。）"),
        _agenda_table(session),
    ]
    title = f"{session}纪要"
    return render_docx(
        OfficialDocument(
            title=title,
            body=body,
            format=DocumentFormat.MINUTES,
            signature=ISSUER,
            date=session.closed_at.date() if session.closed_at else clock.today(),
            author=ISSUER,
            subject=title,
        )
    )
