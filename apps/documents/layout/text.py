"""Decisions about text that both renderers share: where the title breaks, how headings are
numbered, how wide each table column is, how dates are written."""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import rjieba

from .geometry import TITLE_CHARS_PER_LINE
from .model import DocumentFormat, OfficialDocument

CN_DIGITS = "一二三四五六七八九"
# A line may not start with these (closing punctuation) nor end with the opening ones (避头尾).
NO_LINE_START = set("，。、；：？！）》」』〕】”’…—·")
NO_LINE_END = set("（《「『〔【“‘")


def chinese_date(day: datetime.date) -> str:
    """2026年12月1日: arabic digits, no leading zeros (GB/T 9704 7.3.5.4)."""
    return f"{day.year}年{day.month}月{day.day}日"


def char_width(char: str) -> float:
    """A character's width in ems: full width for Chinese, half for Latin letters and digits."""
    return 1.0 if unicodedata.east_asian_width(char) in "WFA" else 0.5


def text_width(text: str) -> float:
    return sum(char_width(c) for c in text)


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (for 一、 and （一） headings)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    if n >= 100:
        return str(n)
    prefix = "" if tens == 1 else CN_DIGITS[tens - 1]
    return f"{prefix}十{CN_DIGITS[ones - 1] if ones else ''}"


def signature_places(signature: str, date: str) -> tuple[float, float]:
    """Right indents (in characters) of an unsealed signature and its date: the signature 右空二字,
    the date one line down with its first character two to the right of the signature's; a date
    longer than that allows goes 右空二字 and pushes the signature left (GB/T 9704 7.3.5.2)."""
    signature_width, date_width = text_width(signature), text_width(date)
    signature_right = 2.0
    date_right = signature_right + signature_width - 2 - date_width
    if date_right < 2:
        date_right = 2.0
        signature_right = date_right + date_width + 2 - signature_width
    return signature_right, date_right


@dataclass(frozen=True)
class Line:
    """One line of a document's closing, decided once and drawn alike by both renderers.

    Indents are in characters of the body grid; `label` is a 黑体 lead-in (纪要's 出席：)."""

    text: str = ""
    align: str = "left"
    indent: float = 0
    left: float = 0
    right: float = 0
    red: bool = False
    label: str = ""


BLANK = Line()
SEAL_PLACEHOLDER = "（印章）"


def closing_lines(doc: OfficialDocument) -> list[Line]:
    """附件说明, the signature and date (with the seal's place), 纪要 attendance and 附注."""
    lines: list[Line] = []
    if doc.attachments:
        lines.append(BLANK)
        for n, attachment in enumerate(doc.attachments, start=1):
            numbered = f"{n}.{attachment.title}" if len(doc.attachments) > 1 else attachment.title
            if n == 1:
                lines.append(Line(f"附件：{numbered}", indent=2))
            else:
                lines.append(Line(numbered, left=5))  # aligned after 附件：
    if doc.format == DocumentFormat.MINUTES:
        if doc.minutes_lines:
            lines.append(BLANK)
        lines += [Line(m.names, left=2, label=f"{m.label}：") for m in doc.minutes_lines]
    elif doc.signature or doc.date:
        date = chinese_date(doc.date) if doc.date else ""
        if doc.seal:
            # 加盖印章: the date 右空四字, the signature centred above it, the seal pressing on
            # both from a line below the text.
            right = 4 + (text_width(date) - text_width(doc.signature)) / 2
            # The seal's place is centred on the same axis as the signature and the date.
            centre = 4 + text_width(date) / 2
            seal_right = centre - text_width(SEAL_PLACEHOLDER) / 2
            lines += [
                BLANK,
                BLANK,
                Line(SEAL_PLACEHOLDER, align="right", right=seal_right, red=True),
            ]
            lines += [
                Line(doc.signature, align="right", right=right),
                Line(date, align="right", right=4),
            ]
        else:
            signature_right, date_right = signature_places(doc.signature, date)
            lines += [
                BLANK,
                Line(doc.signature, align="right", right=signature_right),
                Line(date, align="right", right=date_right),
            ]
    if doc.note:
        lines.append(Line(f"（{doc.note.strip('（）()')}）", indent=2))
    return lines


class HeadingNumbers:
    """Numbers headings in order: 一、 → （一） → 1. → （1）, a higher level restarting the lower."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0, 0]

    def next(self, level: int) -> str:
        index = min(max(level, 1), 4) - 1
        self.counts[index] += 1
        for lower in range(index + 1, 4):
            self.counts[lower] = 0
        n = self.counts[index]
        return (f"{chinese_number(n)}、", f"（{chinese_number(n)}）", f"{n}.", f"（{n}）")[index]


# --- the title ---------------------------------------------------------------------------------


def _words(title: str) -> list[str]:
    """The title's words, with punctuation glued to its neighbour so that no line starts with a
    closing mark or ends with an opening one."""
    words: list[str] = []
    pending_open = ""
    for word in rjieba.cut(title):
        if not word:
            continue
        if all(c in NO_LINE_END for c in word):
            pending_open += word
            continue
        word = pending_open + word
        pending_open = ""
        if words and all(c in NO_LINE_START for c in word.lstrip("（《「『〔【“‘")):
            words[-1] += word
        else:
            words.append(word)
    if pending_open:
        if words:
            words[-1] += pending_open
        else:
            words.append(pending_open)
    return words


@cache
def break_title(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> tuple[str, ...]:
    """The title's lines: as few as fit `per_line` characters, broken only between words, and as
    even as possible (the standard asks for a balanced 梯形 or 菱形 shape).

    Among the splits with the fewest lines, the one whose longest line is shortest wins; ties go
    to the one whose lines differ least, then to the longer first line (正梯形)."""
    title = re.sub(r"\s+", "", title)
    if text_width(title) <= per_line:
        return (title,)
    words: list[str] = []
    for word in _words(title):
        # A single word longer than a line (never in practice) is cut where it must.
        while text_width(word) > per_line:
            cut = 0
            while text_width(word[: cut + 1]) <= per_line:
                cut += 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    widths = [text_width(w) for w in words]
    count = len(words)
    best: tuple[tuple[float, float, float], tuple[int, ...]] | None = None
    for lines in range(2, count + 1):
        # Enumerate the break positions into `lines` lines (titles are short: a few dozen words).
        def splits(start: int, remaining: int) -> list[tuple[int, ...]]:
            if remaining == 1:
                return [()] if sum(widths[start:]) <= per_line else []
            found = []
            for end in range(start + 1, count - remaining + 2):
                if sum(widths[start:end]) > per_line:
                    break
                found += [(end, *rest) for rest in splits(end, remaining - 1)]
            return found

        for breaks in splits(0, lines):
            bounds = (0, *breaks, count)
            line_widths = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
            score = (max(line_widths), max(line_widths) - min(line_widths), -line_widths[0])
            if best is None or score < best[0]:
                best = (score, bounds)
        if best is not None:
            break
    assert best is not None
    bounds = best[1]
    return tuple("".join(words[a:b]) for a, b in itertools.pairwise(bounds))


# --- tables ------------------------------------------------------------------------------------

_UNBREAKABLE = re.compile(r"[\x21-\x7e\uff10-\uff19]+")  # Latin runs: dates, codes, numbers


def _longest_unbreakable(text: str) -> float:
    """The widest piece of `text` that may not wrap: a Latin run (2026-11-30, 95.5) or a single
    Chinese character (Chinese may break between any two characters)."""
    widest = max((char_width(c) for c in text), default=0.0)
    for run in _UNBREAKABLE.findall(text):
        widest = max(widest, text_width(run))
    return widest


def fit_columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    width_pt: float,
    size_pt: float,
    padding_pt: float,
) -> list[float]:
    """Column widths (points) fitted to the content and summing to `width_pt`.

    Each column gets at least its widest unbreakable piece (a whole date, a header word of up to
    four characters); the room left goes to the columns in proportion to how much their longest
    cell still needs, so short columns stay narrow and long titles get the space."""
    columns = len(headers)
    minimum = [0.0] * columns
    natural = [0.0] * columns
    for index, header in enumerate(headers):
        # Headers break after at most four characters (出差公出 / 天数), never mid-number.
        minimum[index] = max(_longest_unbreakable(header), min(text_width(header), 4.0))
        natural[index] = text_width(header)
    for row in rows:
        for index, value in enumerate(row[:columns]):
            text = str(value)
            minimum[index] = max(minimum[index], _longest_unbreakable(text))
            natural[index] = max(natural[index], text_width(text))
    low = [m * size_pt + padding_pt for m in minimum]
    high = [max(n, m) * size_pt + padding_pt for n, m in zip(natural, minimum, strict=True)]
    if sum(high) <= width_pt:
        # Everything fits on one line: share the spare room in proportion to the content.
        spare = width_pt - sum(high)
        return [h + spare * h / sum(high) for h in high]
    if sum(low) >= width_pt:
        # Even the unbreakable pieces overflow: scale them down (the renderer's font is the limit).
        return [w * width_pt / sum(low) for w in low]
    # Columns that fit in a fair share of the room left get their whole content (no wrapping of
    # 办理中 or a name); the long ones share the rest in proportion to their content, each keeping
    # at least its unbreakable minimum.
    widths: dict[int, float] = {}
    open_columns = set(range(columns))
    room = width_pt
    while open_columns:
        fair = room / len(open_columns)
        settled = {c for c in open_columns if high[c] <= fair}
        if not settled:
            break
        for c in settled:
            widths[c] = high[c]
        room -= sum(high[c] for c in settled)
        open_columns -= settled
    while open_columns:
        total = sum(high[c] for c in open_columns)
        share = {c: room * high[c] / total for c in open_columns}
        starved = {c for c in open_columns if share[c] < low[c]}
        if not starved:
            widths.update(share)
            break
        for c in starved:
            widths[c] = low[c]
        room -= sum(low[c] for c in starved)
        open_columns -= starved
    return [widths[c] for c in range(columns)]
