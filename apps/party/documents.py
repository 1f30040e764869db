"""Minutes (纪要) of a party group meeting and an issue of the internal publication, laid out by
the one 公文 engine of apps/documents."""

from __future__ import annotations

from apps.documents.layout import (
    DocumentFormat,
    Heading,
    MinutesLine,
    OfficialDocument,
    Paragraph,
    Table,
    render_docx,
    render_pdf,
)
from apps.documents.layout.model import Block

from .choices import AgendaKind, Presence
from .models import PartyMeeting, PublicationIssue

ISSUER = "中共市人大常委会机关党组"


def minutes_document(meeting: PartyMeeting) -> OfficialDocument:
    rows = list(meeting.attendances.select_related("person").order_by("id"))

    def names(presence: str) -> str:
        return "、".join(
            f"{r.person.name}（{r.reason}）" if r.reason else r.person.name
            for r in rows
            if r.presence == presence
        )

    lines = [
        MinutesLine("出席", names(Presence.PRESENT) or "无"),
        MinutesLine("请假", names(Presence.ABSENT) or "无"),
        MinutesLine("列席", names(Presence.NON_VOTING) or "无"),
    ]
    body: list[Block] = [
        Paragraph(
            f"{meeting.date:%Y年%m月%d日}，{meeting.presider.name}同志在{meeting.place}主持召开"
            f"{meeting.year}年第{meeting.number}次党组会议。党组成员应到{meeting.members_total}人，"
            f"实到{sum(1 for r in rows if r.is_member and r.presence == Presence.PRESENT)}人。"
            "会议研究了以下事项："
        )
    ]
    for item in meeting.items.select_related("decision").order_by("order"):
        body.append(Heading(1, f"{item.title}（{item.get_kind_display()}）"))
        if item.kind == AgendaKind.FIRST_TOPIC:
            body.append(Paragraph("会议传达学习了有关精神，研究了贯彻落实意见。"))
        decision = getattr(item, "decision", None)
        if decision is not None:
            body.append(
                Paragraph(
                    f"会前酝酿：{decision.consulted_on:%Y年%m月%d日}，与{decision.consulted_with}酝酿。"
                    f"会议材料：{decision.materials}。"
                )
            )
            recusals = list(decision.recusals.select_related("member"))
            if recusals:
                body.append(
                    Paragraph(
                        "回避："
                        + "；".join(f"{r.member.name}（{r.reason}）" for r in recusals)
                        + "。"
                    )
                )
            body.append(
                Table(
                    ["顺序", "成员", "表态", "意见"],
                    [
                        [str(o.order), o.member.name, o.get_vote_display(), o.opinion or "—"]
                        for o in decision.opinions.select_related("member")
                    ],
                    size_pt=10.5,
                    centered=frozenset({0, 2}),
                )
            )
        if item.conclusion:
            body.append(Paragraph(f"会议议定：{item.conclusion}"))
    title = f"{meeting.year}年第{meeting.number}次党组会议纪要"
    return OfficialDocument(
        title=title,
        format=DocumentFormat.MINUTES,
        minutes_number=f"第{meeting.number}期",
        issuer_mark="党组会议纪要",
        minutes_lines=lines,
        body=body,
        date=meeting.date,
        secrecy="内部",
        printer="市人大常委会办公室",
        print_date=meeting.date,
        author=ISSUER,
        subject=title,
        keywords=("党组会议", "纪要"),
    )


def minutes_docx(meeting: PartyMeeting) -> bytes:
    return render_docx(minutes_document(meeting))


def issue_document(issue: PublicationIssue) -> OfficialDocument:
    body: list[Block] = []
    for article in issue.articles.select_related("unit", "author").order_by("id"):
        body.append(Heading(1, article.title))
        body.append(Paragraph(f"（{article.unit.short_name} {article.author.name}）", indent=False))
        body.extend(Paragraph(p.strip()) for p in article.body.splitlines() if p.strip())
    if not body:
        body.append(Paragraph("本期暂无稿件。"))
    title = f"{issue.title}"
    return OfficialDocument(
        title=title,
        format=DocumentFormat.MINUTES,
        issuer_mark=issue.title,
        minutes_number=f"{issue.year}年第{issue.number}期",
        body=body,
        date=issue.published_on or issue.planned_on,
        printer="市人大常委会办公室",
        print_date=issue.published_on or issue.planned_on,
        author="市人大常委会办公室",
        subject=str(issue),
        keywords=("内部刊物",),
    )


def issue_pdf(issue: PublicationIssue) -> bytes:
    return render_pdf(issue_document(issue))
