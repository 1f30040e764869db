"""The growth file (干部成长档案) as a Word document, laid out by the one 公文 engine.

The page and the file show the same `selectors.GrowthFile`: the posts and rotations, task groups,
study attendance and reflections, mentoring, training hours, ledger items and attendance points.
"""

from __future__ import annotations

from apps.core import clock
from apps.documents.layout import Heading, OfficialDocument, Paragraph, Table, render_docx
from apps.documents.layout.model import Block

from .selectors import GrowthFile

ISSUER = "人大常委会机关"
TIMELINESS = {"on_time": "按期", "late": "逾期办结", "overdue": "逾期", "standing": "长期"}


def _date(day) -> str:
    return f"{day:%Y-%m-%d}" if day else "今"


def growth_file_document(file: GrowthFile) -> OfficialDocument:
    person = file.person
    current = f"{file.current.unit.name} {file.current.post_title}" if file.current else "—"
    body: list[Block] = [
        Paragraph(
            f"{person.name}，{person.get_gender_display()}，{person.birth_date:%Y年%m月}生，"
            f"{person.get_political_status_display()}，{person.get_rank_display()}，现任{current}。"
            f"本档案截至{file.today:%Y年%m月%d日}，由平台按各项工作记录生成。"
        ),
        Heading(1, f"任职经历与交流轮岗（交流{file.rotations}次）"),
        Table(
            ["起始", "截止", "单位", "职务"],
            [
                [_date(m.start_date), _date(m.end_date), m.unit.name, m.post_title]
                for m in file.postings
            ]
            + [
                [_date(p.start_date), _date(p.end_date), "常委会", p.get_title_display()]
                for p in file.leadership
            ]
            + [
                [_date(p.start_date), _date(p.end_date), "机关党组", p.get_role_display()]
                for p in file.party
            ],
            size_pt=10.5,
            centered=frozenset({0, 1}),
        ),
        Heading(1, "专项工作小组"),
        Table(
            ["小组", "角色", "期间"],
            [
                [
                    m.group.name,
                    m.get_role_display(),
                    f"{_date(m.group.start_date)}至{_date(m.group.end_date)}",
                ]
                for m in file.task_groups
            ],
            size_pt=10.5,
        )
        if file.task_groups
        else Paragraph("未参加专项工作小组。"),
        Heading(1, "学习出勤与心得体会"),
        Table(
            ["年度", "应参加", "出席", "请假", "说明原因缺席", "未说明原因缺席", "出席率"],
            [
                [
                    str(y.year),
                    str(y.required),
                    str(y.present),
                    str(y.on_leave),
                    str(y.excused),
                    str(y.absent),
                    f"{y.rate}%" if y.rate is not None else "—",
                ]
                for y in file.study_years
            ],
            size_pt=10.5,
            centered=frozenset(range(7)),
        )
        if file.study_years
        else Paragraph("暂无学习记录。"),
        Paragraph(
            f"撰写心得体会{len(file.reflections)}篇"
            + (
                "："
                + "；".join(
                    f"{r.session.date:%Y-%m-%d}《{r.session.title}》" for r in file.reflections[:10]
                )
                if file.reflections
                else "。"
            )
        ),
        Heading(1, "传帮带"),
    ]
    mentoring = [
        Paragraph(
            f"导师{pair.mentor.name}（{pair.start_date:%Y-%m-%d}至{pair.end_date:%Y-%m-%d}，"
            f"帮带记录{len(pair.guidance.all())}条）。目标：{pair.goals}"
        )
        for pair in file.mentee_pairs
    ] + [
        Paragraph(
            f"担任{pair.mentee.name}的导师（{pair.start_date:%Y-%m-%d}至{pair.end_date:%Y-%m-%d}）。"
        )
        for pair in file.mentor_pairs
    ]
    body += mentoring or [Paragraph("未参加传帮带结对。")]
    body += [
        Heading(1, "教育培训"),
        Table(
            ["年度", "学时", "要求", "情况"],
            [
                [
                    str(y.year),
                    str(y.hours),
                    str(y.required),
                    f"差{y.short}学时" if y.short else "已达标",
                ]
                for y in file.training_years
            ],
            size_pt=10.5,
            centered=frozenset(range(4)),
        )
        if file.training_years
        else Paragraph("暂无培训记录。"),
        Heading(1, "承办督办事项"),
        Paragraph(
            f"共{file.ledger_summary.get('total', 0)}项：按期办结{file.ledger_summary.get('on_time', 0)}项，"
            f"逾期办结{file.ledger_summary.get('late', 0)}项，"
            f"逾期未办结{file.ledger_summary.get('overdue', 0)}项。"
        ),
    ]
    if file.ledger_items:
        body.append(
            Table(
                ["编号", "事项", "时限", "状态", "按期情况"],
                [
                    [
                        item.reference,
                        item.title,
                        f"{item.deadline:%Y-%m-%d}",
                        item.get_status_display(),
                        TIMELINESS.get(item.timeliness, "—"),
                    ]
                    for item in file.ledger_items[:30]
                ],
                size_pt=10.5,
                centered=frozenset({0, 2}),
            )
        )
    body += [
        Heading(1, "考勤加减分"),
        Paragraph(
            "；".join(f"{y.year}年{y.total}分" for y in file.points) + "。"
            if file.points
            else "暂无年度考勤加减分。"
        ),
    ]
    today = clock.today()
    title = f"{person.name}同志成长档案"
    return OfficialDocument(
        title=title,
        body=body,
        signature=ISSUER,
        date=today,
        author=ISSUER,
        subject=title,
        keywords=("干部成长档案", person.name),
    )


def growth_file_docx(file: GrowthFile) -> bytes:
    return render_docx(growth_file_document(file))
