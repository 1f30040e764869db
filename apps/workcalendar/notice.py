"""Reading the State Council's notice on next year's holidays, pasted as published.

The notice (《国务院办公厅关于20XX年部分节假日安排的通知》) gives one numbered item per festival:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

`parse_notice` finds every holiday range and every make-up workday, checks each weekday in brackets
against the real date and each "共N天" against its ranges, and reports every problem with its line.
Lines that hold a date but no arrangement (the date of issue, say) are listed as not read, so that
the administrator sees everything the parser left out. Full-width and half-width punctuation,
full-width digits and stray spaces are all accepted (the text is NFKC-normalised first).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

WEEKDAYS = "一二三四五六日"
MAX_NOTICE_CHARS = 20_000

_ITEM = re.compile(
    r"(?P<ordinal>[一二三四五六七八九十]{1,3})、(?P<name>[^:、,。()]{1,20}(?:、[^:、,。()]{1,20})*):"
)
_TITLE_YEAR = re.compile(r"关于(\d{4})年(?:部分)?节假日安排的通知")
_DOC_NUMBER = re.compile(r"国办发(?:明电)?\[\d{4}\]\d+号|国办发(?:明电)?〔\d{4}〕\d+号")
_ANNOTATION = r"(?:\((?P<{name}>[^()]*)\))?"
_FULL_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?P<{p}m>\d{{1,2}})月(?P<{p}d>\d{{1,2}})日"
_DAY_ONLY = r"(?:(?:(?P<ey>\d{4})年)?(?P<em>\d{1,2})月)?(?P<ed>\d{1,2})日"
_RANGE = re.compile(
    _FULL_DATE.format(p="s")
    + _ANNOTATION.format(name="sa")
    + r"(?:(?:至|到|~|-|—|–)"
    + _DAY_ONLY
    + _ANNOTATION.format(name="ea")
    + ")?"
)
_TOTAL = re.compile(r"共(\d{1,3})天")
_WEEKDAY_MARK = re.compile(r"(?:周|星期)([一二三四五六日天])")
_ANY_DATE = re.compile(r"\d{1,2}月\d{1,2}日")


@dataclass
class NoticeItem:
    """One numbered festival item of the notice."""

    line: int
    name: str
    holidays: list[datetime.date] = field(default_factory=list)
    workdays: list[datetime.date] = field(default_factory=list)
    total: int | None = None  # the "共N天" the notice states

    @property
    def label(self) -> str:
        return f"第{self.line}行（{self.name}）"


@dataclass
class ParsedNotice:
    """What the notice says, what is wrong with it, and what was not read."""

    year: int | None = None
    title: str = ""
    document_number: str = ""
    items: list[NoticeItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unread: list[tuple[int, str]] = field(default_factory=list)

    def days(self, kind: str) -> list[tuple[datetime.date, str]]:
        """(date, festival) of every holiday ("holiday") or make-up workday ("workday")."""
        found: list[tuple[datetime.date, str]] = []
        for item in self.items:
            dates = item.holidays if kind == "holiday" else item.workdays
            found.extend((day, item.name) for day in dates)
        return sorted(found)

    @property
    def notice_reference(self) -> str:
        """What the calendar keeps as the basis of the year: the title and document number."""
        title = self.title or (
            f"国务院办公厅关于{self.year}年部分节假日安排的通知" if self.year else ""
        )
        return f"{title}（{self.document_number}）" if self.document_number else title


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("〔", "[").replace("〕", "]")
    return re.sub(r"[ \t\u00a0\u3000]+", "", text)


def _weekday_problem(day: datetime.date, annotation: str | None, where: str) -> str | None:
    if not annotation:
        return None
    marks = _WEEKDAY_MARK.findall(annotation)
    if not marks:
        return None
    stated = marks[-1].replace("天", "日")
    actual = WEEKDAYS[day.weekday()]
    if stated != actual:
        return (
            f"{where}：{day.month}月{day.day}日标注为“周{stated}”，"
            f"但{day:%Y年%m月%d日}实际是周{actual}，请核对日期。"
        )
    return None


class _ItemReader:
    """Reads the sentences of one item, collecting dates and problems."""

    def __init__(self, item: NoticeItem, year: int, errors: list[str]) -> None:
        self.item = item
        self.year = year
        self.errors = errors

    def _date(self, y: str | None, m: str, d: str, default_year: int) -> datetime.date | None:
        year = int(y) if y else default_year
        try:
            return datetime.date(year, int(m), int(d))
        except ValueError:
            self.errors.append(f"{self.item.label}：{year}年{int(m)}月{int(d)}日不存在。")
            return None

    def dates(self, sentence: str) -> list[datetime.date]:
        days: list[datetime.date] = []
        for match in _RANGE.finditer(sentence):
            # A date is in the notice's year unless written out ("2011年12月31日"); a range that
            # runs past December ends in the next year.
            start = self._date(match["sy"], match["sm"], match["sd"], self.year)
            if start is None:
                continue
            problem = _weekday_problem(start, match["sa"], self.item.label)
            if problem:
                self.errors.append(problem)
            if match["ed"] is None:
                days.append(start)
                continue
            month = int(match["em"]) if match["em"] else start.month
            year = int(match["ey"]) if match["ey"] else start.year + (month < start.month)
            end = self._date(str(year), str(month), match["ed"], year)
            if end is None:
                continue
            problem = _weekday_problem(end, match["ea"], self.item.label)
            if problem:
                self.errors.append(problem)
            if end < start:
                self.errors.append(
                    f"{self.item.label}：{start:%m月%d日}至{end:%m月%d日}的结束日期早于开始日期。"
                )
                continue
            if (end - start).days > 31:
                self.errors.append(
                    f"{self.item.label}：{start:%m月%d日}至{end:%m月%d日}超过31天，请核对。"
                )
                continue
            days.extend(start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
        return days


def parse_notice(text: str, *, year: int | None = None) -> ParsedNotice:
    """Read the whole pasted notice. `year` is used when the title does not say it."""
    parsed = ParsedNotice()
    if len(text) > MAX_NOTICE_CHARS:
        parsed.errors.append(f"通知全文不能超过{MAX_NOTICE_CHARS}字，请只粘贴该通知。")
        return parsed
    lines = [(number, _normalise(raw)) for number, raw in enumerate(text.splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line]
    for _, line in lines:
        if not parsed.title and (match := _TITLE_YEAR.search(line)):
            start = line.find("国务院")
            parsed.title = line[max(start, 0) : match.end()]
            parsed.year = int(match[1])
        if not parsed.document_number and (match := _DOC_NUMBER.search(line)):
            parsed.document_number = match[0].replace("[", "〔").replace("]", "〕")
    if parsed.year is None:
        parsed.year = year
    elif year is not None and year != parsed.year:
        parsed.errors.append(f"通知标题为{parsed.year}年，与所选年份{year}年不一致。")
    if parsed.year is None:
        parsed.errors.append(
            "未能从通知标题中识别年份，请选择年份或粘贴含标题“国务院办公厅关于某年部分节假日安排的通知”的全文。"
        )
        return parsed

    # Each item runs from its "一、元旦：" to the next item, across lines (a pasted notice may
    # wrap an item over several lines, or put everything on one line).
    current: NoticeItem | None = None
    segments: list[tuple[NoticeItem, str]] = []
    for number, line in lines:
        starts = list(_ITEM.finditer(line))
        if not starts:
            if current is not None and _ANY_DATE.search(line) and _continues(line):
                segments.append((current, line))
            elif _ANY_DATE.search(line):
                parsed.unread.append((number, line))
            continue
        if starts[0].start() > 0 and _ANY_DATE.search(line[: starts[0].start()]):
            parsed.unread.append((number, line[: starts[0].start()]))
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
            current = NoticeItem(line=number, name=match["name"])
            parsed.items.append(current)
            segments.append((current, line[match.end() : end]))
    for item in parsed.items:
        body = "".join(text for owner, text in segments if owner is item)
        _read_item(item, body, parsed.year, parsed)
    if not parsed.items:
        parsed.errors.append(
            "未在文中找到放假安排。每项安排应以“一、元旦：”这样的序号和节日名称开头。"
        )
    _check_overlaps(parsed)
    return parsed


def _continues(line: str) -> bool:
    """A line after an item that carries on its arrangement ("2月28日（周六）上班。")."""
    return ("放假" in line or "上班" in line) and not line.startswith(("国务院", "节假日期间"))


def _read_item(item: NoticeItem, body: str, year: int, parsed: ParsedNotice) -> None:
    reader = _ItemReader(item, year, parsed.errors)
    holidays: list[datetime.date] = []
    for sentence in filter(None, re.split(r"[。.;；]", body)):
        if "上班" in sentence and "放假" not in sentence:
            item.workdays.extend(reader.dates(sentence))
        elif "放假" in sentence or "休息" in sentence or "休假" in sentence:
            holidays.extend(reader.dates(sentence))
            if total := _TOTAL.search(sentence):
                item.total = int(total[1])
        elif _ANY_DATE.search(sentence) and not sentence.startswith("其中"):
            # Explanations such as "其中，1月1日为法定节假日" restate days already listed.
            stray = [d for d in reader.dates(sentence) if d not in holidays]
            if stray:
                parsed.unread.append((item.line, sentence))
    item.holidays = sorted(set(holidays))
    if len(item.holidays) != len(holidays):
        parsed.errors.append(f"{item.label}：放假日期有重复。")
    if item.total is not None and item.total != len(item.holidays):
        parsed.errors.append(
            f"{item.label}：通知写明放假共{item.total}天，"
            f"但列出的放假日期共{len(item.holidays)}天，请核对。"
        )


def _check_overlaps(parsed: ParsedNotice) -> None:
    holiday_of: dict[datetime.date, NoticeItem] = {}
    workday_of: dict[datetime.date, NoticeItem] = {}
    for item in parsed.items:
        for day in item.holidays:
            if day in holiday_of and holiday_of[day] is not item:
                parsed.errors.append(
                    f"{item.label}：{day:%m月%d日}已在{holiday_of[day].label}列为放假日。"
                )
            holiday_of[day] = item
        for day in item.workdays:
            if day in workday_of and workday_of[day] is not item:
                parsed.errors.append(
                    f"{item.label}：{day:%m月%d日}已在{workday_of[day].label}列为上班日。"
                )
            workday_of[day] = item
    for day, item in sorted(workday_of.items()):
        if day in holiday_of:
            parsed.errors.append(
                f"{item.label}：{day:%m月%d日}既列为放假（{holiday_of[day].label}）又列为上班，"
                "同一天不能既放假又上班。"
            )
