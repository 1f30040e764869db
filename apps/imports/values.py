"""Cell values as people type them: text, counts in Chinese numerals, dates in every usual form,
lists of names. Each parser raises ValueError with the reason in Chinese."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from openpyxl.utils.datetime import from_excel


def cell_text(value: Any) -> str:
    """A cell as text; a whole number typed as 1 arrives as 1.0 and is shown as “1”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def nfkc(text: str) -> str:
    """Full-width digits and punctuation (２０２６／３／３１, （）) typed with a Chinese input method."""
    return unicodedata.normalize("NFKC", text).strip()


def compact(value: Any) -> str:
    """A cell as normalised text without spaces, for matching words."""
    return nfkc(cell_text(value)).replace(" ", "")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
NUMBER = r"[0-9零〇一二两三四五六七八九十]+"


def parse_count(text: str) -> int | None:
    """“10”, “十”, “十五”, “二十”, “二十五” → the number (up to 99); None otherwise."""
    if text.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_MONTH_END = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:底|末|份)")
_YEAR_END = re.compile(r"(?:(\d{4})\s*年\s*)?(?:年底|年末|年内|底|末)")
TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")
DATE_FORMS = "2026-03-31、2026/3/31、2026.3.31、2026年3月31日、3月31日、6月底"


def month_end(year: int, month: int) -> datetime.date:
    if not 1 <= month <= 12:
        raise ValueError(month)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def excel_serial(value: float) -> datetime.date | None:
    """A date typed into a cell formatted as a number arrives as Excel's day serial."""
    if 20000 <= value <= 80000:
        converted = from_excel(value)
        if isinstance(converted, datetime.datetime):
            return converted.date()
    return None


def parse_date_text(text: str, *, year: int) -> datetime.date | None:
    """A date written as text in one of DATE_FORMS (“3月31日” in `year`); None if no form fits.

    ValueError when the form fits but the day does not exist (2026-02-30)."""
    if match := _FULL_DATE.fullmatch(text):
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    if match := _MONTH_DAY.fullmatch(text):
        return datetime.date(year, int(match[1]), int(match[2]))
    if match := _MONTH_END.fullmatch(text):
        return month_end(int(match[1] or year), int(match[2]))
    if match := _YEAR_END.fullmatch(text):
        return datetime.date(int(match[1] or year), 12, 31)
    return None


def parse_birth_date(value: Any, label: str = "出生日期") -> datetime.date:
    """A birth date: a full date, or “1985.06” / “1985年6月” (出生年月: the first of the month)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if (day := excel_serial(value)) is not None:
            return day
        # “1985.06” typed into a number cell arrives as 1985.06 (June) or 1985.1 (October).
        year, _, month = f"{value:.2f}".partition(".")
        if 1900 < int(year) < 2100 and 1 <= int(month) <= 12:
            return datetime.date(int(year), int(month), 1)
    raw = cell_text(value)
    text = TRAILING_TIME.sub("", nfkc(raw)).replace(" ", "")
    try:
        if match := _FULL_DATE.fullmatch(text):
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _YEAR_MONTH.fullmatch(text):
            return datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"{label}“{raw}”不是有效的日期（该日期不存在）") from None
    raise ValueError(f"无法识别{label}“{raw}”（可填写1985-06-15、1985年6月15日或1985.06）")


_NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")


def split_names(value: Any) -> list[str]:
    """“财经委、预算工委；办公室” → three names (separators: 、，, ; and spaces)."""
    return [name for name in _NAME_SEPARATORS.split(cell_text(value)) if name]
