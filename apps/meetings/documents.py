"""The 会议通知 and the 会议纪要 of a session, laid out by the one 公文 engine (GB/T 9704)."""

from __future__ import annotations

from django.db.models import Prefetch

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

from .choices import MemberChoice, VoteMode
from .models import MemberVote, Session, Vote

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


def _votes(session: Session) -> list[Block]:
    """表决结果: each vote's counts and result; a per-member vote with its members by choice."""
    rows = MemberVote.objects.select_related("member").order_by("member__sort_order", "member_id")
    votes = (
        Vote.objects.filter(item__session=session)
        .select_related("item")
        .prefetch_related(Prefetch("member_votes", queryset=rows))
        .order_by("item__order", "id")
    )
    blocks: list[Block] = []
    for vote in votes:
        blocks.append(
            Paragraph(
                f"{vote.item.order}. {vote.item.title}"
                + (f"（{vote.subject}）" if vote.subject else "")
                + f"：赞成{vote.yes}票，反对{vote.no}票，弃权{vote.abstain}票，未按{vote.not_voted}票；"
                f"出席{vote.present}人，全体组成人员{vote.members_total}人，"
                + ("通过。" if vote.passed else "未通过。")
            )
        )
        if vote.mode == VoteMode.ROLL:
            by_choice: dict[str, list[str]] = {c: [] for c in MemberChoice.values}
            for row in vote.member_votes.all():
                by_choice[row.choice].append(row.member.name)
            blocks.append(
                Table(
                    ["表决情况", "人数", "组成人员"],
                    [
                        [MemberChoice(c).label, str(len(names)), "、".join(names) or "—"]
                        for c, names in by_choice.items()
                    ],
                    size_pt=10.5,
                    centered=frozenset({0, 1}),
                )
            )
    if blocks:
        blocks.insert(0, Heading(1, "表决结果"))
    return blocks


def minutes_document(session: Session) -> bytes:
    """会议纪要 in the 纪要 format: the minutes, the agenda, and every vote (with each member's vote
    where it was recorded member by member)."""
    body: list[Block] = [
        Paragraph(session.minutes or "（会议纪要尚未整理。）"),
        _agenda_table(session),
        *_votes(session),
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
