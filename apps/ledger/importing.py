"""Importing a ledger spreadsheet (.xlsx) the way offices keep them.

The sheet has one header row (found in the first five rows: a title row such as
“2026年党组交办事项清单” above it is common) whose column names are recognised with their usual
synonyms. Every row is checked first — names of units and people, dates, duplicates, the link of a
measure (整改措施) to its problem — and EVERY bad row is reported with the row number the user sees
in Excel and the reason in Chinese. If any row is bad nothing is imported; otherwise all items are
created in one transaction through `services.item_create`, so an import is all or nothing.

Each item carries an `import_key`, a hash of the list and the row's 序号 (or its title when there is
no 序号): importing the same file again creates nothing new, the rows already there are skipped.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import itertools
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from apps.accounts.models import User
from apps.accounts.permissions import is_office
from apps.audit.context import acting_as
from apps.core import clock
from apps.organization.choices import UnitKind
from apps.organization.models import LeadershipPost, Person, Unit, UnitMembership

from . import rules, services
from .choices import EventKind, FeedbackRule, ItemKind, Source, Status
from .deadlines import DeadlineSpec
from .models import Checklist, ImportJob, ImportStatus, ItemEvent, TrackedItem

logger = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 5
"""The header row is looked for in this many rows from the top of a sheet."""

FILE_UNREADABLE = (
    "文件无法读取：不是有效的Excel工作簿（.xlsx）。如果是旧版的 .xls 文件或WPS表格文件，"
    "请在Excel或WPS中“另存为”Excel工作簿（*.xlsx）后再上传。"
)
SHEET_EMPTY = "表格是空的：没有找到任何内容。"


class ImportFileError(Exception):
    """The file as a whole cannot be imported (not an .xlsx, empty, no header, too big...)."""


# ---------------------------------------------------------------------------------------------
# Columns and their names
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column the importer understands: its name in the template and the names it accepts."""

    key: str
    label: str
    synonyms: tuple[str, ...]
    required: bool = False
    help: str = ""
    example: str = ""

    @property
    def aliases(self) -> list[str]:
        """The other names the column is recognised by."""
        return [name for name in self.synonyms if name != self.label]


COLUMNS: tuple[Column, ...] = (
    Column(
        "serial", "序号", ("序号", "编号"), help="每行唯一；不填时以事项名称识别事项", example="1"
    ),
    Column(
        "kind",
        "类型",
        ("类型", "事项类型"),
        help="督办事项、整改问题、整改措施或重点任务；可不填（填了“所属问题序号”的行是整改措施）",
        example="督办事项",
    ),
    Column(
        "title",
        "事项名称",
        ("事项名称", "事项", "问题", "任务名称", "整改问题", "问题名称"),
        required=True,
        help="必填，不超过200字",
        example="推进基层立法联系点建设",
    ),
    Column(
        "content",
        "具体内容",
        ("具体内容", "内容", "工作要求", "整改要求"),
        example="年内新建基层立法联系点3个，完善工作制度",
    ),
    Column("category", "类别", ("类别",), help="自由填写，不超过32字", example="立法工作"),
    Column(
        "source",
        "来源",
        ("来源", "事项来源"),
        help="、".join(Source.labels) + "；不填时取清单的来源",
        example="党组交办",
    ),
    Column(
        "leader",
        "领责领导",
        ("领责领导", "督办领导", "分管领导", "领责督办领导"),
        help="须为常委会领导；重名时写成“姓名（单位简称）”",
    ),
    Column(
        "lead_unit",
        "牵头单位",
        ("牵头单位", "责任单位"),
        required=True,
        help="必填，单位全称或简称",
        example="法制工作委员会",
    ),
    Column(
        "co_units",
        "配合单位",
        ("配合单位", "协办单位"),
        help="可填多个，用顿号、逗号、分号或空格分隔",
    ),
    Column("responsible", "责任人", ("责任人", "具体责任人"), help="重名时写成“姓名（单位简称）”"),
    Column(
        "trackers",
        "跟踪人",
        ("跟踪人", "跟踪问效人员", "跟踪问效人"),
        help="可填多个，分隔方式同配合单位",
    ),
    Column(
        "deadline",
        "办结时限",
        ("办结时限", "完成时限", "时限"),
        required=True,
        help="必填：2026-03-31、2026/3/31、2026.3.31、2026年3月31日、3月31日（清单年度）、"
        "6月底、交办后10个工作日（自导入之日起按工作日计算）",
        example="2026年12月15日",
    ),
    Column(
        "feedback",
        "反馈要求",
        ("反馈要求", "反馈时限", "反馈频次"),
        help="每周、每月、N个工作日（交办后N个工作日内反馈）；不填为无固定要求",
        example="每月",
    ),
    Column(
        "parent_serial",
        "所属问题序号",
        ("所属问题序号", "所属问题编号", "问题序号"),
        help="仅整改措施填写：其所属整改问题在本表中的序号",
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def normalise_header(value: Any) -> str:
    """A header cell as a bare name: “事项名称（必填）*” → “事项名称”."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = re.split(r"[(\[]", text, maxsplit=1)[0]  # NFKC has turned （ into (
    return re.sub(r"[\s*:]", "", text)


_HEADER_NAMES = {normalise_header(name): c.key for c in COLUMNS for name in c.synonyms}


def match_header(values: Sequence[Any]) -> dict[str, int]:
    """The recognised columns of a row: column key → index (the first one wins)."""
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        key = _HEADER_NAMES.get(normalise_header(value))
        if key is not None and key not in found:
            found[key] = index
    return found


# ---------------------------------------------------------------------------------------------
# Reading the workbook
# ---------------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    """One data row: its Excel row number and the raw cell values by column key."""

    number: int
    cells: dict[str, Any]


@dataclass
class Sheet:
    """The data rows of the worksheet that holds the ledger."""

    title: str
    header_row: int
    columns: dict[str, int]
    rows: list[SheetRow]


class _NoLedger(Exception):
    """This worksheet does not hold a ledger (another worksheet may)."""

    def __init__(self, message: str, *, empty: bool = False) -> None:
        super().__init__(message)
        self.empty = empty


def _blank(values: Iterable[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def _read_worksheet(worksheet: Any, max_rows: int) -> Sheet:
    # Read-only mode trusts the dimensions the writing program stored; some programs store wrong
    # ones (data would be cut off), so let openpyxl find the used range itself.
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    head = list(itertools.islice(rows, HEADER_SCAN_ROWS))
    best: tuple[int, dict[str, int]] | None = None
    for offset, values in enumerate(head):
        found = match_header(values)
        if len(found) >= 2 and (best is None or len(found) > len(best[1])):
            best = (offset, found)
    if best is None:
        if all(_blank(values) for values in head) and all(
            _blank(values) for values in itertools.islice(rows, 1000)
        ):
            raise _NoLedger(SHEET_EMPTY, empty=True)
        raise _NoLedger(
            f"在工作表“{worksheet.title}”的前{HEADER_SCAN_ROWS}行中没有找到表头。表头行须包含"
            "“事项名称”“牵头单位”“办结时限”等列名，请下载导入模板对照填写。"
        )
    offset, columns = best
    missing = [c.label for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise _NoLedger(
            f"工作表“{worksheet.title}”第{offset + 1}行的表头缺少必需的列：{'、'.join(missing)}。"
            f"（可用的列名见导入模板，例如“事项名称”也可写作“事项”“问题”“任务名称”）"
        )
    data: list[SheetRow] = []
    content_keys = [key for key in columns if key != "serial"]
    for number, values in enumerate(itertools.chain(head[offset + 1 :], rows), start=offset + 2):
        cells = {
            key: values[index] if index < len(values) else None for key, index in columns.items()
        }
        # A row with nothing but a pre-filled 序号 is an unused line of the form, not an item.
        if _blank(cells[key] for key in content_keys):
            continue
        if len(data) >= max_rows:
            raise ImportFileError(
                f"表格的数据超过{max_rows}行（单次导入的上限），请拆分为多个文件分批导入。"
            )
        data.append(SheetRow(number, cells))
    if not data:
        raise _NoLedger(f"工作表“{worksheet.title}”的表头下面没有数据行。")
    return Sheet(worksheet.title, offset + 1, columns, data)


def read_sheet(fileobj: IO[bytes], *, max_rows: int) -> Sheet:
    """The first worksheet that holds a ledger; ImportFileError with a Chinese reason otherwise."""
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as error:  # BadZipFile, InvalidFileException, KeyError, XML errors...
        raise ImportFileError(FILE_UNREADABLE) from error
    try:
        problems: list[_NoLedger] = []
        for worksheet in workbook.worksheets:
            try:
                return _read_worksheet(worksheet, max_rows)
            except _NoLedger as problem:
                problems.append(problem)
        useful = [p for p in problems if not p.empty]
        raise ImportFileError(str(useful[0]) if useful else SHEET_EMPTY)
    except ImportFileError:
        raise
    except Exception as error:  # a damaged worksheet only shows up while its rows are read
        raise ImportFileError(FILE_UNREADABLE) from error
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# Cell values
# ---------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as text; a whole number typed as 1 arrives as 1.0 and is shown as “1”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def _nfkc(text: str) -> str:
    # Full-width digits and punctuation (２０２６／３／３１) typed with a Chinese input method.
    return unicodedata.normalize("NFKC", text).strip()


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip


def parse_count(text: str) -> int | None:
    """“10”, “十”, “十五”, “二十”, “二十五” → the number (up to 99); None otherwise."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


_NUMBER = r"[0-9零〇一二两三四五六七八九十]+"
_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_MONTH_END = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:底|末|份)")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*)?(?:年底|年末|年内|底|末)")
_WORKDAYS = re.compile(
    rf"(?:交办后|交办之日起|自交办之日起|收到后)?\s*({_NUMBER})\s*个?\s*工作日\s*内?(?:办结|完成|反馈)?"
)
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
_DEADLINE_SUFFIX = re.compile(r"(?:之前|以前|前|内)?(?:办结|完成|完毕)?$")
DEADLINE_FORMS = "2026-03-31、2026/3/31、2026.3.31、2026年3月31日、3月31日、6月底、交办后10个工作日"


def _month_end(year: int, month: int) -> datetime.date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def parse_deadline(value: Any, *, year: int, today: datetime.date) -> DeadlineSpec:
    """A 办结时限 cell as a DeadlineSpec; ValueError with the reason in Chinese.

    `year` is the list's year (for “3月31日”); `today` is the import date (for “交办后10个工作日”).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("未填写办结时限")
    if isinstance(value, datetime.datetime):
        return DeadlineSpec(date=value.date())
    if isinstance(value, datetime.date):
        return DeadlineSpec(date=value)
    if isinstance(value, bool):
        raise ValueError(f"办结时限“{value}”不是日期")
    if isinstance(value, int | float):
        # A date typed into a cell formatted as a number arrives as Excel's day serial.
        if 20000 <= value <= 80000:
            converted = from_excel(value)
            if isinstance(converted, datetime.datetime):
                return DeadlineSpec(date=converted.date())
        raise ValueError(f"办结时限“{cell_text(value)}”不是日期（可填写{DEADLINE_FORMS}）")
    raw = str(value).strip()
    text = _TRAILING_TIME.sub("", _nfkc(raw)).replace(" ", "")
    if match := _WORKDAYS.fullmatch(text):
        count = parse_count(match[1])
        if not count or count > 250:
            raise ValueError(f"办结时限“{raw}”中的工作日数不正确")
        return DeadlineSpec(workdays=count, base=today)
    # “年内” must be read before the trailing 内 of “3月31日内” is cut off.
    for candidate in dict.fromkeys((text, _DEADLINE_SUFFIX.sub("", text))):
        try:
            if match := _FULL_DATE.fullmatch(candidate):
                return DeadlineSpec(date=datetime.date(int(match[1]), int(match[2]), int(match[3])))
            if match := _MONTH_DAY.fullmatch(candidate):
                return DeadlineSpec(date=datetime.date(year, int(match[1]), int(match[2])))
            if match := _MONTH_END.fullmatch(candidate):
                return DeadlineSpec(date=_month_end(int(match[1] or year), int(match[2])))
            if match := _YEAR_END.fullmatch(candidate):
                return DeadlineSpec(date=datetime.date(int(match[1] or year), 12, 31))
        except ValueError:
            raise ValueError(f"办结时限“{raw}”不是有效的日期（该日期不存在）") from None
    raise ValueError(f"无法识别办结时限“{raw}”（可填写{DEADLINE_FORMS}）")


_NO_FEEDBACK = {"", "无", "不限", "无要求", "无固定要求", "不定期", "/", "-"}


def parse_feedback(value: Any) -> tuple[str, int | None]:
    """A 反馈要求 cell as (rule, workdays); ValueError with the reason in Chinese."""
    raw = cell_text(value)
    text = _nfkc(raw).replace(" ", "")
    if text in _NO_FEEDBACK:
        return FeedbackRule.NONE, None
    if "每周" in text or "每星期" in text:
        return FeedbackRule.WEEKLY, None
    if "每月" in text:
        return FeedbackRule.MONTHLY, None
    if match := re.search(rf"({_NUMBER})\s*个?\s*工作日", text):
        count = parse_count(match[1])
        if count and count <= 250:
            return FeedbackRule.WORKDAYS, count
    raise ValueError(f"无法识别反馈要求“{raw}”（可填写：每周、每月、N个工作日，或不填）")


def parse_source(value: Any, default: str) -> str:
    raw = cell_text(value)
    text = _nfkc(raw).replace(" ", "")
    if not text:
        return default
    for choice in Source:
        if text in {choice.value, choice.label}:
            return choice.value
    # Short forms: “巡察” for 巡察反馈, “领导批示件” for 领导批示.
    candidates = [c for c in Source if len(text) >= 2 and (text in c.label or c.label in text)]
    if len(candidates) == 1:
        return candidates[0].value
    raise ValueError(f"无法识别来源“{raw}”（可填写：{'、'.join(Source.labels)}）")


_KIND_NAMES = {
    "督办事项": ItemKind.MATTER,
    "交办事项": ItemKind.MATTER,
    "事项": ItemKind.MATTER,
    "整改问题": ItemKind.PROBLEM,
    "问题": ItemKind.PROBLEM,
    "整改措施": ItemKind.MEASURE,
    "措施": ItemKind.MEASURE,
    "重点任务": ItemKind.KEY_TASK,
    "任务": ItemKind.KEY_TASK,
}


def parse_kind(value: Any) -> str:
    raw = cell_text(value)
    text = _nfkc(raw).replace(" ", "")
    if not text:
        return ""
    if text in _KIND_NAMES:
        return _KIND_NAMES[text]
    if text in ItemKind.values:
        return text
    raise ValueError(f"无法识别类型“{raw}”（可填写：督办事项、整改问题、整改措施、重点任务）")


_NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")


def split_names(value: Any) -> list[str]:
    """“财经委、预算工委；办公室” → three names (separators: 、，, ; and spaces)."""
    return [name for name in _NAME_SEPARATORS.split(cell_text(value)) if name]


def default_kind(checklist: Checklist) -> str:
    """The kind of a row that does not say: rectification lists hold problems, work points tasks."""
    if checklist.source in {Source.INSPECTION, Source.AUDIT_FINDING}:
        return ItemKind.PROBLEM
    if checklist.source == Source.WORK_POINTS:
        return ItemKind.KEY_TASK
    return ItemKind.MATTER


def import_key(checklist: Checklist, serial: str, title: str) -> str:
    """Stable across uploads of the same file: the list and the row's 序号 (or its title)."""
    basis = f"serial:{serial}" if serial else f"title:{title.strip()}"
    return hashlib.sha256(f"{checklist.pk}|{basis}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Units and people by name
# ---------------------------------------------------------------------------------------------


_QUALIFIED_NAME = re.compile(r"(.+?)\s*[(（]\s*(.+?)\s*[)）]")


class Directory:
    """The organ's units and people by the names people write in a sheet, loaded once per import."""

    def __init__(self, today: datetime.date) -> None:
        self.units: dict[str, Unit] = {}
        for unit in Unit.objects.order_by("-is_active", "sort_order", "id"):
            for name in (unit.name, unit.short_name):
                self.units.setdefault(name.strip(), unit)
                self.units.setdefault(_nfkc(name), unit)
        self.units_of: dict[int, list[Unit]] = {}
        for membership in UnitMembership.objects.on(today).select_related("unit"):
            self.units_of.setdefault(membership.person_id, []).append(membership.unit)
        self.leader_titles: dict[int, str] = {
            post.person_id: post.get_title_display() for post in LeadershipPost.objects.on(today)
        }
        self.people: dict[str, list[Person]] = {}
        for person in Person.objects.filter(is_active=True).order_by("id"):
            self.people.setdefault(person.name.strip(), []).append(person)

    def unit(self, name: str, label: str) -> Unit:
        unit = self.units.get(name) or self.units.get(_nfkc(name))
        if unit is None:
            raise LookupError(f"{label}“{name}”不存在（请填写单位全称或简称）")
        if not unit.is_active:
            raise LookupError(f"{label}“{name}”已停用")
        return unit

    def where(self, person: Person) -> str:
        """How to tell two people of the same name apart: their units, or their leadership post."""
        units = self.units_of.get(person.pk, [])
        if units:
            return "、".join(unit.short_name or unit.name for unit in units)
        return self.leader_titles.get(person.pk) or "无所属单位"

    def person(self, text: str, label: str, *, leader: bool = False) -> Person:
        name, qualifier = text, ""
        if match := _QUALIFIED_NAME.fullmatch(text):
            name, qualifier = match[1], match[2]
        candidates = self.people.get(name, [])
        if qualifier:
            candidates = [
                p
                for p in candidates
                if any(qualifier in {u.name, u.short_name} for u in self.units_of.get(p.pk, []))
                or qualifier == self.leader_titles.get(p.pk)
            ]
        if leader:
            leaders = [p for p in candidates if p.pk in self.leader_titles]
            if not leaders and candidates:
                raise LookupError(f"{label}“{text}”不是常委会领导，不能领责督办")
            candidates = leaders
        if not candidates:
            raise LookupError(f"{label}“{text}”不存在（未找到该人员）")
        if len(candidates) > 1:
            places = "、".join(self.where(p) for p in candidates)
            raise LookupError(
                f"{label}“{text}”有{len(candidates)}人重名（分别在{places}），"
                f"请写成“{name}（单位简称）”以区分"
            )
        return candidates[0]


# ---------------------------------------------------------------------------------------------
# Checking every row
# ---------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """What one sheet row will become, and what is wrong with it."""

    number: int
    serial: str
    title: str
    parent_serial: str
    kind_given: str
    key: str
    values: dict[str, Any]  # the parsed fields; a services.ItemSpec once the parent is known
    problems: list[str] = field(default_factory=list)
    existing: TrackedItem | None = None


@dataclass
class ImportResult:
    """The outcome of one import: counts, or the bad rows (then nothing was imported)."""

    total_rows: int = 0
    created: int = 0
    skipped: int = 0
    assigned: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)


Progress = Callable[[int, int], None]


def _parse_row(
    row: SheetRow, checklist: Checklist, directory: Directory, today: datetime.date
) -> RowPlan:
    cells = row.cells
    problems: list[str] = []
    serial = _nfkc(cell_text(cells.get("serial")))
    title = cell_text(cells.get("title"))
    parent_serial = _nfkc(cell_text(cells.get("parent_serial")))
    values: dict[str, Any] = {
        "title": title,
        "serial": serial,
        "content": cell_text(cells.get("content")),
        "category": cell_text(cells.get("category")),
    }
    if not title:
        problems.append("未填写事项名称")
    if len(serial) > 32:
        problems.append("序号不能超过32个字符")
    if len(values["category"]) > 32:
        problems.append("类别不能超过32个字")

    def attempt(parse: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return parse(*args, **kwargs)
        except (ValueError, LookupError) as error:
            problems.append(str(error))
            return None

    kind_given = attempt(parse_kind, cells.get("kind")) or ""
    values["source"] = attempt(parse_source, cells.get("source"), checklist.source) or ""
    lead_unit_name = cell_text(cells.get("lead_unit"))
    if not lead_unit_name:
        problems.append("未填写牵头单位")
        values["lead_unit"] = None
    else:
        values["lead_unit"] = attempt(directory.unit, lead_unit_name, "牵头单位")
    co_units = [
        attempt(directory.unit, name, "配合单位") for name in split_names(cells.get("co_units"))
    ]
    values["co_units"] = [unit for unit in co_units if unit is not None]
    leader_name = _nfkc(cell_text(cells.get("leader")))
    values["leading_leader"] = (
        attempt(directory.person, leader_name, "领责领导", leader=True) if leader_name else None
    )
    responsible_name = _nfkc(cell_text(cells.get("responsible")))
    values["responsible_person"] = (
        attempt(directory.person, responsible_name, "责任人") if responsible_name else None
    )
    trackers = [
        attempt(directory.person, _nfkc(name), "跟踪人")
        for name in split_names(cells.get("trackers"))
    ]
    values["trackers"] = [person for person in trackers if person is not None]
    values["deadline"] = attempt(
        parse_deadline, cells.get("deadline"), year=checklist.year, today=today
    )
    feedback = attempt(parse_feedback, cells.get("feedback"))
    values["feedback_rule"], values["feedback_workdays"] = feedback or (FeedbackRule.NONE, None)
    return RowPlan(
        number=row.number,
        serial=serial,
        title=title,
        parent_serial=parent_serial,
        kind_given=kind_given,
        key=import_key(checklist, serial, title) if (serial or title) else "",
        values=values,
        problems=problems,
    )


def _find_duplicates(plans: list[RowPlan]) -> None:
    by_serial: dict[str, RowPlan] = {}
    by_title: dict[str, RowPlan] = {}
    for plan in plans:
        if plan.serial:
            first = by_serial.setdefault(plan.serial, plan)
            if first is not plan:
                plan.problems.append(f"序号“{plan.serial}”与第{first.number}行重复")
        elif plan.title:
            first = by_title.setdefault(plan.title, plan)
            if first is not plan:
                plan.problems.append(
                    f"事项名称与第{first.number}行相同（未填序号的行以事项名称识别，须不重复）"
                )


def _link_measures(plans: list[RowPlan], checklist: Checklist) -> dict[int, RowPlan | TrackedItem]:
    """Find each measure's problem (a row of the sheet, or a problem already in the list) and
    settle every row's kind. Returns row number → parent."""
    by_serial = {plan.serial: plan for plan in plans if plan.serial}
    parents: dict[int, RowPlan | TrackedItem] = {}
    referenced: set[int] = set()
    wanted = {
        p.parent_serial for p in plans if p.parent_serial and p.parent_serial not in by_serial
    }
    in_list = {
        item.serial: item
        for item in TrackedItem.objects.filter(checklist=checklist, serial__in=wanted)
    }
    for plan in plans:
        if not plan.parent_serial:
            continue
        if plan.kind_given and plan.kind_given != ItemKind.MEASURE:
            plan.problems.append("填写了“所属问题序号”的行须为整改措施")
            continue
        target = by_serial.get(plan.parent_serial)
        if target is plan:
            plan.problems.append("所属问题序号不能是本行自己的序号")
        elif target is not None:
            if target.parent_serial or target.kind_given == ItemKind.MEASURE:
                plan.problems.append(
                    f"所属问题序号“{plan.parent_serial}”（第{target.number}行）是整改措施，不是整改问题"
                )
            elif target.kind_given and target.kind_given != ItemKind.PROBLEM:
                plan.problems.append(
                    f"所属问题序号“{plan.parent_serial}”（第{target.number}行）的类型是"
                    f"{ItemKind(target.kind_given).label}，不是整改问题"
                )
            else:
                parents[plan.number] = target
                referenced.add(target.number)
        elif (item := in_list.get(plan.parent_serial)) is not None:
            if item.kind != ItemKind.PROBLEM:
                plan.problems.append(
                    f"所属问题序号“{plan.parent_serial}”在清单中对应的事项不是整改问题"
                )
            else:
                parents[plan.number] = item
        else:
            plan.problems.append(f"所属问题序号“{plan.parent_serial}”在表中不存在")
    fallback = default_kind(checklist)
    for plan in plans:
        kind: str
        if plan.parent_serial:
            kind = ItemKind.MEASURE
        elif plan.number in referenced:
            kind = ItemKind.PROBLEM
        else:
            kind = plan.kind_given or fallback
        plan.values["kind"] = kind
    return parents


def _item_spec(
    plan: RowPlan, checklist: Checklist, parent: TrackedItem | None
) -> services.ItemSpec:
    v = plan.values
    return services.ItemSpec(
        checklist=checklist,
        title=v["title"],
        lead_unit=v["lead_unit"],
        deadline=v["deadline"],
        source=v["source"],
        kind=v["kind"],
        serial=v["serial"],
        content=v["content"],
        category=v["category"],
        parent=parent,
        leading_leader=v["leading_leader"],
        responsible_person=v["responsible_person"],
        co_units=v["co_units"],
        trackers=v["trackers"],
        feedback_rule=v["feedback_rule"],
        feedback_workdays=v["feedback_workdays"],
        import_key=plan.key,
    )


def _messages(error: ValidationError) -> list[str]:
    return [str(m).rstrip("。") for m in error.messages]


def check_rows(
    sheet: Sheet,
    checklist: Checklist,
    *,
    today: datetime.date,
    progress: Progress | None = None,
) -> tuple[list[RowPlan], dict[int, RowPlan | TrackedItem]]:
    """Parse and validate every row; problems are left on each RowPlan."""
    directory = Directory(today)
    plans = [_parse_row(row, checklist, directory, today) for row in sheet.rows]
    _find_duplicates(plans)
    existing = {
        item.import_key: item
        for item in TrackedItem.objects.filter(
            checklist=checklist, import_key__in=[p.key for p in plans if p.key]
        )
    }
    for plan in plans:
        plan.existing = existing.get(plan.key)
    parents = _link_measures(plans, checklist)
    total = len(plans)
    step = max(1, total // 50)
    for done, plan in enumerate(plans, start=1):
        # Rows already imported are skipped, not checked again: the list may have moved on since.
        if not plan.problems and plan.existing is None:
            parent = parents.get(plan.number)
            if isinstance(parent, RowPlan):
                # The problem is created in the same import: check against a stand-in of it.
                parent = parent.existing or TrackedItem(
                    checklist=checklist, kind=ItemKind.PROBLEM, status=Status.DRAFT
                )
            try:
                services.validate_item_spec(_item_spec(plan, checklist, parent))
            except ValidationError as error:
                plan.problems.extend(_messages(error))
        if progress is not None and (done % step == 0 or done == total):
            progress(done, total)
    return plans, parents


def row_errors(plans: Iterable[RowPlan]) -> list[dict[str, Any]]:
    return [
        {"row": plan.number, "reason": "；".join(dict.fromkeys(plan.problems))}
        for plan in sorted(plans, key=lambda p: p.number)
        if plan.problems
    ]


# ---------------------------------------------------------------------------------------------
# Importing
# ---------------------------------------------------------------------------------------------


class _RollBack(Exception):
    """Leaves the import transaction so that nothing of a failed import stays."""


def _create_all(
    plans: list[RowPlan],
    parents: dict[int, RowPlan | TrackedItem],
    *,
    actor: User,
    checklist: Checklist,
    assign: bool,
    source_name: str,
    result: ImportResult,
) -> None:
    created: dict[int, TrackedItem] = {}
    # Problems before their measures; otherwise the sheet's order.
    ordered = sorted(plans, key=lambda p: (bool(p.parent_serial), p.number))
    for plan in ordered:
        if plan.existing is not None:
            result.skipped += 1
            continue
        parent = parents.get(plan.number)
        if isinstance(parent, RowPlan):
            parent = parent.existing or created.get(parent.number)
            if parent is None:
                continue  # the problem's own row failed and is reported; nothing will be kept
        try:
            created[plan.number] = services.item_create(
                actor=actor, spec=_item_spec(plan, checklist, parent)
            )
        except ValidationError as error:
            plan.problems.extend(_messages(error))
    if not any(plan.problems for plan in plans) and assign:
        for number, item in created.items():
            try:
                services.item_assign(actor=actor, item=item, note="导入后直接交办")
            except ValidationError as error:
                next(p for p in plans if p.number == number).problems.extend(
                    f"交办失败：{m}" for m in _messages(error)
                )
            else:
                result.assigned += 1
    if any(plan.problems for plan in plans):
        result.errors = row_errors(plans)
        raise _RollBack
    numbers = {item.pk: number for number, item in created.items()}
    ItemEvent.objects.bulk_create(
        ItemEvent(
            item=item,
            kind=EventKind.IMPORTED,
            actor=actor,
            created_at=clock.now(),
            note=f"由《{source_name}》第{numbers[item.pk]}行导入" if source_name else "由Excel导入",
            data={"file": source_name, "row": numbers[item.pk]},
        )
        for item in created.values()
    )
    result.created = len(created)


def import_workbook(
    *,
    actor: User,
    checklist: Checklist,
    fileobj: IO[bytes],
    size: int | None = None,
    assign: bool = False,
    today: datetime.date | None = None,
    source_name: str = "",
    progress: Progress | None = None,
    on_rows_counted: Callable[[int], None] | None = None,
) -> ImportResult:
    """Check the whole sheet, then import it in one transaction (or import nothing).

    User errors never raise: they come back in `result.errors` as {"row": n | None, "reason": str}
    (row None for a problem of the whole file).
    """
    result = ImportResult()
    if not rules.can_manage(actor):
        result.errors = [{"row": None, "reason": "只有办公室可以导入督办台账。"}]
        return result
    today = today or clock.today()
    try:
        check_upload_size(size or 0)
        sheet = read_sheet(fileobj, max_rows=max_rows())
    except ImportFileError as error:
        result.errors = [{"row": None, "reason": str(error)}]
        return result
    result.total_rows = len(sheet.rows)
    if on_rows_counted is not None:
        on_rows_counted(result.total_rows)
    plans, parents = check_rows(sheet, checklist, today=today, progress=progress)
    if errors := row_errors(plans):
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            _create_all(
                plans,
                parents,
                actor=actor,
                checklist=checklist,
                assign=assign,
                source_name=source_name,
                result=result,
            )
    except _RollBack:
        result.created = result.skipped = result.assigned = 0
    except IntegrityError:
        # Another import of the same rows committed between our check and our insert.
        logger.warning("ledger import collided on import_key (checklist %s)", checklist.pk)
        result.created = result.skipped = result.assigned = 0
        result.errors = [
            {
                "row": None,
                "reason": "另一个导入任务同时写入了相同的事项，本次未导入任何内容，请稍后重试。",
            }
        ]
    except PermissionDenied as error:
        result.created = result.skipped = result.assigned = 0
        result.errors = [{"row": None, "reason": str(error)}]
    return result


def max_rows() -> int:
    return int(settings.LEDGER["MAX_IMPORT_ROWS"])


def max_bytes() -> int:
    return int(settings.LEDGER["MAX_IMPORT_BYTES"])


def human_size(size: int) -> str:
    """5242880 → “5MB”, 1536 → “1.5KB”."""
    for unit, scale in (("MB", 1048576), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + unit
    return f"{size}字节"


def check_upload_size(size: int) -> None:
    if size > max_bytes():
        raise ImportFileError(
            f"文件大小为{human_size(size)}，超过了{human_size(max_bytes())}的上限，"
            "请拆分后分批导入。"
        )


def import_jobs_for(user: Any) -> QuerySet[ImportJob]:
    """The import jobs `user` may see: the office sees all, anyone else only their own."""
    jobs = ImportJob.objects.select_related("checklist", "created_by")
    if not getattr(user, "is_authenticated", False):
        return jobs.none()
    return jobs if is_office(user) else jobs.filter(created_by=user)


def import_job_create(
    *, actor: User, checklist: Checklist, upload: UploadedFile, assign: bool = False
) -> ImportJob:
    """Store an uploaded spreadsheet as a pending job and queue the task that imports it."""
    from .tasks import import_ledger_sheet  # tasks.py imports this module inside its task

    if not rules.can_manage(actor):
        raise PermissionDenied("只有办公室可以导入督办台账。")
    check_upload_size(upload.size or 0)
    job = ImportJob.objects.create(
        checklist=checklist,
        file=upload,
        file_name=(upload.name or "台账.xlsx")[:200],
        created_by=actor,
    )
    # The job row is committed before the task is queued (no surrounding transaction in views),
    # so a worker on another connection always finds it.
    import_ledger_sheet.enqueue(job.pk, assign=assign)
    job.refresh_from_db()
    return job


def run_import_job(job_id: int, *, assign: bool = False) -> ImportJob | None:
    """Run one ImportJob: claim it, import, record the outcome on the job.

    Safe to run on several workers at once: only the worker whose conditional update moves the
    job from pending to running does the work.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return ImportJob.objects.filter(pk=job_id).first()
    job = ImportJob.objects.select_related("checklist", "created_by").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)

    def counted(total: int) -> None:
        jobs.update(total_rows=total, processed_rows=0)

    def progress(done: int, total: int) -> None:
        jobs.update(processed_rows=done)

    try:
        with acting_as(job.created_by), job.file.open("rb") as stored:
            # Read into memory: the size is capped, and openpyxl needs a seekable file.
            data = stored.read(max_bytes() + 1)
            result = import_workbook(
                actor=job.created_by,
                checklist=job.checklist,
                fileobj=io.BytesIO(data),
                size=len(data),
                assign=assign,
                today=timezone.localdate(job.created_at),
                source_name=job.file_name,
                progress=progress,
                on_rows_counted=counted,
            )
    except Exception:
        logger.exception("ledger import job %s crashed", job_id)
        jobs.update(
            status=ImportStatus.FAILED,
            errors=[
                {"row": None, "reason": "导入时发生系统错误，未导入任何事项。请联系系统管理员。"}
            ],
            finished_at=clock.now(),
        )
        raise
    jobs.update(
        status=ImportStatus.FAILED if result.errors else ImportStatus.DONE,
        total_rows=result.total_rows,
        processed_rows=result.total_rows,
        created_count=result.created,
        skipped_count=result.skipped,
        errors=result.errors,
        finished_at=clock.now(),
    )
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------------------------
# The template users download
# ---------------------------------------------------------------------------------------------


def _example_values() -> dict[str, str]:
    """An example row made of this organ's own names, so that it reads like a real row."""
    today = clock.today()
    values = {column.key: column.example for column in COLUMNS}
    committee = Unit.objects.filter(is_active=True, kind=UnitKind.COMMITTEE).first()
    if committee is not None:
        values["lead_unit"] = committee.name
    post = LeadershipPost.objects.on(today).select_related("person").first()
    if post is not None:
        values["leader"] = post.person.name
    values["deadline"] = f"{today.year}年12月15日"
    return values


def build_import_template() -> bytes:
    """The import template: the header row, one example row, and a 说明 sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "督办台账"
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example = _example_values()
    sheet.append([c.label for c in COLUMNS])
    sheet.append([example.get(c.key, "") for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        width = 30 if column.key in {"title", "content"} else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("说明")
    notes.append(["列名", "是否必填", "也可写作", "填写说明"])
    for column in COLUMNS:
        notes.append(
            [
                column.label,
                "必填" if column.required else "",
                "、".join(column.aliases),
                column.help,
            ]
        )
    notes.append([])
    for line in (
        "1. 第一个工作表为台账：表头可以不在第1行（上方可有标题行），但须在前5行内；列的顺序不限，不认识的列会被忽略。",
        "2. 红色列名为必填列。示例行仅供参考，导入前请删除或改为实际内容。",
        "3. 导入前会检查每一行：有任何一行不符合要求时，不会导入任何事项，并列出每个有问题的行号和原因。",
        "4. 同一文件重复导入时，已导入的行（按清单和序号识别，无序号时按事项名称）会被跳过，不会重复登记。",
        "5. 整改措施须填写“所属问题序号”，指向本表中整改问题所在行的序号。",
        f"6. 单次导入最多{max_rows()}行，文件不超过{human_size(max_bytes())}。",
    ):
        notes.append([line])
    for cell in notes[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for letter, width in zip("ABCD", (14, 10, 36, 90), strict=True):
        notes.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
