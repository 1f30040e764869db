"""An official document as data: what it says and which of the standard's elements it carries.

Nothing here knows about a business area or a file format. Every element of GB/T 9704 is optional
(an empty string or None leaves it out), so a 通报 of the ledger, an attendance notice and an
outgoing 请示 are the same kind of object.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class DocumentFormat(StrEnum):
    """The three formats of the standard (chapter 10)."""

    FILE = "file"  # 文件格式
    LETTER = "letter"  # 信函格式
    MINUTES = "minutes"  # 纪要格式


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph in 3号仿宋, first line indented two characters."""

    text: str
    indent: bool = True
    align: str = "justify"  # justify | center | right | left


@dataclass(frozen=True)
class Heading:
    """A structural heading. The engine numbers it: level 1 一、 (黑体), 2 （一） (楷体),
    3 1. and 4 （1） (仿宋); `run_in` is body text that follows on the same paragraph."""

    level: int
    text: str
    run_in: str = ""


@dataclass(frozen=True)
class Table:
    """A bordered table whose column widths the engine fits to the content.

    `shades` colour single cells: {(row, column): "FFC7CE"} with rows counted from 0 after the
    header. `centered` columns are centred (short codes, numbers, dates)."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    size_pt: float = 12.0
    centered: frozenset[int] = frozenset()
    shades: dict[tuple[int, int], str] = field(default_factory=dict)


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class Attachment:
    """An attachment (附件): named in 附件说明, and printed after the document from a new page
    when it has text of its own (a file attached as it is has none)."""

    title: str
    blocks: Sequence[Block] = ()


@dataclass(frozen=True)
class MinutesLine:
    """A line of a 纪要's attendance: 出席, 请假 or 列席 and the names."""

    label: str
    names: str


@dataclass
class OfficialDocument:
    """One 公文: 版头 (header), 主体 (body) and 版记 (imprint), each element optional."""

    title: str
    body: Sequence[Block] = ()
    format: DocumentFormat = DocumentFormat.FILE
    # 版头
    copy_number: str = ""  # 份号, six digits
    secrecy: str = ""  # 密级和保密期限, e.g. 秘密★1年
    urgency: str = ""  # 紧急程度: 特急 / 加急
    issuer_mark: str = ""  # 发文机关标志, e.g. ××市人大常委会办公室文件
    number: str = ""  # 发文字号, e.g. 常办发〔2026〕12号
    signers: Sequence[str] = ()  # 签发人 of an upward document (上行文)
    minutes_number: str = ""  # 纪要 period line, e.g. 第5期
    # 主体
    recipients: str = ""  # 主送机关
    minutes_lines: Sequence[MinutesLine] = ()
    signature: str = ""  # 发文机关署名
    date: datetime.date | None = None  # 成文日期
    seal: bool = False  # leave room for the seal (a placeholder is printed)
    note: str = ""  # 附注
    attachments: Sequence[Attachment] = ()
    # 版记
    copy_to: str = ""  # 抄送机关
    printer: str = ""  # 印发机关
    print_date: datetime.date | None = None
    # file metadata: who wrote it and when
    author: str = ""
    created: datetime.datetime | None = None
    subject: str = ""
    keywords: Sequence[str] = ()

    @property
    def has_imprint(self) -> bool:
        return bool(self.copy_to or self.printer)
