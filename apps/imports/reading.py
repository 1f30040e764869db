"""Reading an uploaded .xlsx within fixed bounds, before and while openpyxl parses it.

An .xlsx is a zip archive of XML parts. A hostile one is small on the wire and huge unpacked (a
1 MB file can hold a 1 GB shared string, or five million empty rows), so nothing is parsed until the
archive's own directory has been checked: the number of members, their total unpacked size, and each
large member's compression ratio. Python's zipfile never unpacks more than the size a member
declares (it stops there and fails the CRC check), so a member that lies about its size cannot get
past these checks either.

Then each worksheet is streamed row by row (openpyxl's read-only parser) with a cap on the row
elements and cells read, keeping only non-empty rows and at most `max_columns` columns. Merged
ranges come from the same pass. The result is a `Grid` per worksheet: row number → values, plus the
merged ranges, small enough to hold in memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings

FILE_UNREADABLE = (
    "文件无法读取：不是有效的Excel工作簿（.xlsx）。如果是旧版的 .xls 文件或WPS表格文件，"
    "请在Excel或WPS中“另存为”Excel工作簿（*.xlsx）后再上传。"
)
FILE_ENCRYPTED = (
    "文件设置了打开密码，无法读取。请在Excel或WPS中取消密码（文件→信息→保护工作簿）后再上传。"
)
FILE_TOO_BIG_UNPACKED = (
    "文件解压后的内容过大（超过{limit}），可能不是正常的Excel表格，已拒绝读取。"
    "如确为正常表格，请删除多余的工作表、图片和格式后再上传，或拆分为多个文件。"
)
FILE_RATIO = "文件内容的压缩比异常（文件“{member}”解压后是压缩前的{ratio}倍），可能是恶意构造的文件，已拒绝读取。"
FILE_MEMBERS = (
    "文件包含的部件过多（{count}个，上限{limit}个），可能不是正常的Excel表格，已拒绝读取。"
)
FILE_TOO_LONG = "表格的行数过多（含空行超过{limit}行），请删除多余的空行，或拆分为多个文件。"
FILE_TOO_MANY_CELLS = "表格的单元格过多（超过{limit}个），请删除多余的行列，或拆分为多个文件。"
SHEET_TOO_LONG = (
    "工作表“{sheet}”的行数过多（含空行超过{limit}行），请删除多余的空行，或拆分为多个文件。"
)
SHEET_TOO_MANY_CELLS = (
    "工作表“{sheet}”的单元格过多（超过{limit}个），请删除多余的行列，或拆分为多个文件。"
)

# An OLE2 compound document: an old .xls, or an .xlsx encrypted with a password (Office wraps the
# encrypted package in one; its directory names the stream “EncryptionInfo” in UTF-16).
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# Row and cell elements, with or without a namespace prefix (<row r="1">, <x:c r="A1"/>).
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>]")
_SCAN_CHUNK = 1 << 20
# Members smaller than this are not checked for their ratio: tiny XML parts compress very well.
_RATIO_FLOOR = 256 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is the Chinese reason for the user."""


@dataclass(frozen=True)
class Limits:
    """The bounds of one read. Defaults come from `settings.IMPORTS`."""

    max_unpacked_bytes: int
    max_members: int
    max_ratio: int
    max_row_elements: int
    max_cells: int
    max_columns: int

    @classmethod
    def from_settings(cls) -> Limits:
        conf = settings.IMPORTS
        return cls(
            max_unpacked_bytes=int(conf["MAX_UNPACKED_BYTES"]),
            max_members=int(conf["MAX_MEMBERS"]),
            max_ratio=int(conf["MAX_RATIO"]),
            max_row_elements=int(conf["MAX_SHEET_ROWS"]),
            max_cells=int(conf["MAX_CELLS"]),
            max_columns=int(conf["MAX_COLUMNS"]),
        )


def human_size(size: int) -> str:
    """5242880 → “5MB”, 1536 → “1.5KB”."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + unit
    return f"{size}字节"


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse anything that is not a plain, modestly sized .xlsx, without unpacking a byte."""
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFileError(FILE_ENCRYPTED if _ENCRYPTION_INFO in data else FILE_UNREADABLE)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(FILE_UNREADABLE) from error
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise ImportFileError(FILE_MEMBERS.format(count=len(members), limit=limits.max_members))
        total = 0
        for member in members:
            if member.flag_bits & 0x1:  # an encrypted zip member
                raise ImportFileError(FILE_ENCRYPTED)
            total += member.file_size
            if total > limits.max_unpacked_bytes:
                raise ImportFileError(
                    FILE_TOO_BIG_UNPACKED.format(limit=human_size(limits.max_unpacked_bytes))
                )
            if member.file_size > _RATIO_FLOOR:
                ratio = member.file_size // max(member.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise ImportFileError(FILE_RATIO.format(member=member.filename, ratio=ratio))
        if "[Content_Types].xml" not in archive.namelist():
            raise ImportFileError(FILE_UNREADABLE)
        for member in members:
            _count_elements(archive, member, limits)


def _check_counts(rows: int, cells: int, limits: Limits) -> None:
    if rows > limits.max_row_elements:
        raise ImportFileError(FILE_TOO_LONG.format(limit=limits.max_row_elements))
    if cells > limits.max_cells:
        raise ImportFileError(FILE_TOO_MANY_CELLS.format(limit=limits.max_cells))


def _count_elements(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Count row and cell elements in a streamed pass over one member, before any XML parser
    sees it: openpyxl builds a node per row while it looks for a sheet's dimensions, so five
    million empty rows would cost seconds and hundreds of MB before the first row is read."""
    rows = cells = 0
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_SCAN_CHUNK):
                window = tail + chunk
                # Elements starting in the last bytes may be cut: they are counted with the next
                # chunk, which starts with these bytes.
                cut = max(0, len(window) - 64)
                rows += len(_ROW.findall(window)) - len(_ROW.findall(window, cut))
                # A shared string costs openpyxl far more than its bytes (about 8 µs and 130
                # bytes each): they count as cells, as no sheet needs more of them than cells.
                for pattern in (_CELL, _SHARED_STRING):
                    cells += len(pattern.findall(window)) - len(pattern.findall(window, cut))
                tail = window[cut:]
                _check_counts(rows, cells, limits)
            cells += len(_CELL.findall(tail)) + len(_SHARED_STRING.findall(tail))
            _check_counts(rows + len(_ROW.findall(tail)), cells, limits)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise ImportFileError(FILE_UNREADABLE) from error


@dataclass(frozen=True)
class MergedRange:
    """A merged block of cells, 1-based and inclusive, as Excel numbers rows and columns."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass
class Grid:
    """The non-empty rows of one worksheet (row number → values, column 1 at index 0)."""

    title: str
    rows: dict[int, list[Any]] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)

    def fill_merged_down(self) -> None:
        """Give every row a vertically merged cell covers the value of its top cell.

        Only vertical spans are filled: a title or a section line merged across the columns stays
        one cell, so that it still reads as a title or a section line.
        """
        for block in self.merged:
            if block.max_row == block.min_row:
                continue
            top = self.rows.get(block.min_row)
            if top is None:
                continue
            for column in range(block.min_col, block.max_col + 1):
                if column > len(top) or top[column - 1] is None:
                    continue
                value = top[column - 1]
                # Only rows that exist are filled: a merge reaching far below the data adds none.
                for number in range(block.min_row + 1, block.max_row + 1):
                    row = self.rows.get(number)
                    if row is not None and column <= len(row) and row[column - 1] is None:
                        row[column - 1] = value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _stream_sheet(workbook: Any, worksheet: Any, limits: Limits) -> Grid:
    # openpyxl's own read-only parser, driven directly so that the row and cell caps apply to the
    # XML elements as they stream by, and the merged ranges are picked up in the same pass.
    from openpyxl.worksheet._reader import WorkSheetParser

    grid = Grid(title=worksheet.title)
    row_elements = cells = 0
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, row_cells in parser.parse():
            row_elements += 1
            cells += len(row_cells)
            if row_elements > limits.max_row_elements or number > limits.max_row_elements:
                raise ImportFileError(
                    SHEET_TOO_LONG.format(sheet=worksheet.title, limit=limits.max_row_elements)
                )
            if cells > limits.max_cells:
                raise ImportFileError(
                    SHEET_TOO_MANY_CELLS.format(sheet=worksheet.title, limit=limits.max_cells)
                )
            values: list[Any] = []
            for cell in row_cells:
                column = cell["column"]
                if column > limits.max_columns or _blank(cell["value"]):
                    continue
                if len(values) < column:
                    values.extend([None] * (column - len(values)))
                values[column - 1] = cell["value"]
            if values:
                grid.rows[number] = values
        if parser.merged_cells is not None:
            for merged in parser.merged_cells.mergeCell[: limits.max_cells]:
                bounds = _bounds(merged.ref)
                if bounds is not None:
                    grid.merged.append(bounds)
    return grid


def _bounds(ref: str) -> MergedRange | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except ValueError:
        return None
    if None in (min_col, min_row, max_col, max_row):
        return None
    return MergedRange(int(min_row), int(min_col), int(max_row), int(max_col))  # type: ignore[arg-type]


def read_grids(
    fileobj: IO[bytes], *, max_bytes: int, limits: Limits | None = None
) -> Iterator[Grid]:
    """Each worksheet of an uploaded .xlsx as a Grid; ImportFileError with a Chinese reason.

    The archive is checked as a whole before openpyxl opens it; worksheets are read one at a time,
    so a caller that finds what it needs on the first sheet never parses the others.
    """
    import openpyxl

    limits = limits or Limits.from_settings()
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportFileError(f"文件超过了{human_size(max_bytes)}的上限，请拆分后分批导入。")
    check_archive(data, limits)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # BadZipFile, InvalidFileException, KeyError, XML errors...
        raise ImportFileError(FILE_UNREADABLE) from error
    try:
        for worksheet in workbook.worksheets:
            if not hasattr(worksheet, "_get_source"):
                continue  # a chart sheet
            try:
                grid = _stream_sheet(workbook, worksheet, limits)
            except ImportFileError:
                raise
            except Exception as error:  # a damaged worksheet shows up only while it is read
                raise ImportFileError(FILE_UNREADABLE) from error
            grid.fill_merged_down()
            yield grid
    finally:
        workbook.close()
