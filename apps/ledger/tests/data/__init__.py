"""Spreadsheets for the import tests, generated with openpyxl (no binary fixtures in the repo)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

import openpyxl

HEADER = [
    "序号",
    "事项名称",
    "具体内容",
    "领责领导",
    "牵头单位",
    "配合单位",
    "责任人",
    "跟踪人",
    "办结时限",
    "反馈要求",
    "所属问题序号",
]


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] | None = HEADER,
    titles: Sequence[str] = ("2026年党组交办事项清单",),
) -> bytes:
    """A workbook: title rows, the header row, then `rows`."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    for title in titles:
        sheet.append([title])
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good_rows() -> list[list[Any]]:
    """Five rows in mixed date forms: a matter, a problem with two measures, another matter.

    With the title row on row 1 and the header on row 2, these are Excel rows 3-7.
    """
    return [
        [1, "推进基层立法联系点建设", "新建联系点3个", "赵主任", "法工委", "财经委、办公室",
         "周科员", "孙干事", datetime.datetime(2026, 12, 15), "每月", None],
        ["2", "立法调研成果转化不充分", "巡察反馈问题", "赵主任", "法制工作委员会", None,
         "李主任", None, "2026/12/20", "每周", None],
        ["2-1", "建立调研成果转化台账", None, None, "法工委", None,
         "周科员", None, "2026.12.10", "5个工作日", 2],
        ["2-2", "开展调研成果转化评估", None, None, "法工委", "财经委；办公室",
         "周科员", "孙干事 钱主任", "2026年12月18日", None, "2"],
        [3, "完善预算审查监督制度", None, None, "财政经济工作委员会", None,
         "吴科员", None, "12月25日", "交办后10个工作日内反馈", None],
    ]  # fmt: skip


def rectification_sheet(*, extra_rows: Sequence[Sequence[Any]] = ()) -> bytes:
    """A 巡察整改台账 as an office keeps it: a title merged across the top, a second title line, a
    header in its own words (反馈问题, 整改措施, 责任单位, 责任领导, 整改时限, 进展情况, 备注), each
    problem merged vertically over its 2–3 measures, units written short (法制工委, 财经工委,
    人事代表选举任免联络工委, 各工委), a 注： footnote under the table.

    Rows: title 1, subtitle 2, header 3; problem 1 on rows 4–6, problem 2 on rows 7–8, problem 3
    (各工委) on row 9; blank 10; the footnote on row 11.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    sheet.append(["市人大常委会机关巡察反馈问题整改台账"])
    sheet.merge_cells("A1:I1")
    sheet.append(["填报单位：办公室", None, None, None, None, None, "填报时间：2026年11月"])
    sheet.append(["序号", "反馈问题", "整改措施", "责任单位", "责任领导", "责任人",
                  "整改时限", "进展情况", "备注"])  # fmt: skip
    rows = [
        [1, "理论学习与业务工作结合不紧", "制定年度学习计划", "办公室", "赵主任", "孙干事",
         "2026年12月20日", "已完成初稿", None],
        [None, None, "每月开展一次集体学习", "法制工委", None, "周科员", "长期坚持", None, "长期"],
        [None, None, "建立学习档案", "财经工委", None, None, "12月31日", None, None],
        [2, "督办事项跟踪问效不到位", "建立督办台账", "办公室", "赵主任", None,
         "2026/12/15", None, None],
        [None, None, "实行限时反馈", "人事代表选举任免联络工委", None, None,
         "交办后10个工作日", None, None],
        [3, "调研成果转化不充分", "各工委形成调研成果转化清单", "各工委", "主任", None,
         "2026-12-25", None, None],
        [None] * 9,
        ["注：1.整改时限为最迟完成时间；2.责任人为具体经办人员。"],
    ]  # fmt: skip
    for row in [*rows, *extra_rows]:
        sheet.append(row)
    for column in "AB":
        sheet.merge_cells(f"{column}4:{column}6")
        sheet.merge_cells(f"{column}7:{column}8")
    sheet.merge_cells("E4:E6")
    sheet.merge_cells("E7:E8")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
