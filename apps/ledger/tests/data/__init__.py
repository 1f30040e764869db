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
