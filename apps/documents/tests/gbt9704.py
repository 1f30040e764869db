"""Read a .docx or a PDF back and measure it against GB/T 9704-2012.

Every area whose output is an official document (the attendance notices, the 督办通报, outgoing
documents) checks its files with `check_docx` and `check_pdf`; the figures come back so that a
test can also assert what it expects of its own document.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
import rjieba
from docx import Document
from docx.oxml.ns import qn

from apps.documents.layout import geometry as g
from apps.documents.layout.word import FANGSONG, HEITI, KAITI, SONGTI, XIAOBIAOSONG

OFFICIAL_FONTS = {FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI}
PAGE_NUMBER = re.compile(r"^— (\d+) —$")
TOLERANCE_MM = 0.1


@dataclass
class DocxFigures:
    page_mm: tuple[float, float]
    margins_mm: dict[str, float]
    lines_per_page: int
    chars_per_line: int
    line_pitch_pt: float
    char_pitch_pt: float
    title_lines: list[str]
    body_font: str
    body_size_pt: float
    author: str
    title: str


@dataclass
class PdfFigures:
    page_mm: tuple[float, float]
    lines_per_page: list[int]  # grid lines (body and title) of each page
    chars_per_line: Counter[int] = field(default_factory=Counter)  # body lines by length
    margins_mm: dict[str, float] = field(default_factory=dict)
    page_numbers: list[tuple[int, str, str]] = field(default_factory=list)  # page, text, side
    fonts: set[str] = field(default_factory=set)  # fonts the text is drawn with
    embedded: set[str] = field(default_factory=set)  # fonts whose program the file carries
    metadata: dict[str, Any] = field(default_factory=dict)
    title_lines: list[str] = field(default_factory=list)


def _mm(length: Any) -> float:
    return round(length.mm, 1)


def assert_breaks_between_words(lines: list[str]) -> None:
    """Each line break of a title falls on a word boundary of the whole title."""
    whole = "".join(lines)
    boundaries, position = {0}, 0
    for word in rjieba.cut(whole):
        position += len(word)
        boundaries.add(position)
    position = 0
    for line in lines[:-1]:
        position += len(line)
        assert position in boundaries, f"标题在词中断行：{line!r} | {whole[position:]!r}"


def check_docx(data: bytes) -> DocxFigures:
    """Page, margins, grid, fonts, title, page numbers and metadata of a .docx."""
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    page = (_mm(section.page_width), _mm(section.page_height))
    assert abs(page[0] - 210) < TOLERANCE_MM and abs(page[1] - 297) < TOLERANCE_MM, page
    margins = {
        "top": _mm(section.top_margin),
        "bottom": _mm(section.bottom_margin),
        "left": _mm(section.left_margin),
        "right": _mm(section.right_margin),
    }
    for side, expected in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert abs(margins[side] - expected) < TOLERANCE_MM, (side, margins[side])

    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None and grid.get(qn("w:type")) == "linesAndChars"
    line_pitch = int(grid.get(qn("w:linePitch"))) / 20
    normal = document.styles["Normal"]
    body_size = normal.font.size.pt
    char_pitch = body_size + int(grid.get(qn("w:charSpace"))) / 4096
    emu_per_pt = 12700
    height, width = int(section.page_height or 0), int(section.page_width or 0)
    top, bottom = int(section.top_margin or 0), int(section.bottom_margin or 0)
    left, right = int(section.left_margin or 0), int(section.right_margin or 0)
    text_height = (height - top - bottom) / emu_per_pt
    text_width = (width - left - right) / emu_per_pt
    lines = math.floor(text_height / line_pitch)
    chars = math.floor(text_width / char_pitch)
    assert lines == g.LINES_PER_PAGE, lines
    assert chars == g.CHARS_PER_LINE, chars
    assert normal.paragraph_format.line_spacing.pt == line_pitch
    body_font = normal.element.rPr.rFonts.get(qn("w:eastAsia"))
    assert body_font == FANGSONG and body_size == g.SIZE_3

    # Every run with Chinese text names an official font for East Asian text.
    title_lines: list[str] = []
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.text.strip():
                east_asian = run._element.rPr.rFonts.get(qn("w:eastAsia"))
                assert east_asian in OFFICIAL_FONTS, (run.text, east_asian)
        fonts = {run.font.name for run in paragraph.runs if run.text.strip()}
        if not title_lines and fonts == {XIAOBIAOSONG} and paragraph.runs[0].font.size.pt == 22:
            title_lines = [run.text for run in paragraph.runs if run.text.strip()]
    assert title_lines, "没有找到2号小标宋标题"
    for line in title_lines:
        assert len(line) <= g.TITLE_CHARS_PER_LINE
    assert_breaks_between_words(title_lines)

    # Page numbers: — PAGE — in 4号 宋体, odd pages right, even pages left.
    assert document.settings.odd_and_even_pages_header_footer
    for footer, alignment in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment is not None and paragraph.alignment.name.lower() == alignment
        xml = paragraph._element.xml
        assert "PAGE" in xml and PAGE_NUMBER.match(paragraph.text), paragraph.text
        assert {run.font.size.pt for run in paragraph.runs if run.font.size} == {g.SIZE_4}

    properties = document.core_properties
    assert properties.author and "python-docx" not in properties.author
    assert properties.created is not None and properties.created.year > 2013
    assert "python-docx" not in (properties.comments or "")
    assert "python-docx" not in (properties.last_modified_by or "")
    return DocxFigures(
        page_mm=page,
        margins_mm=margins,
        lines_per_page=lines,
        chars_per_line=chars,
        line_pitch_pt=line_pitch,
        char_pitch_pt=char_pitch,
        title_lines=title_lines,
        body_font=body_font,
        body_size_pt=body_size,
        author=properties.author,
        title=properties.title,
    )


def _lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    rows: dict[float, list[dict[str, Any]]] = {}
    for char in chars:
        rows.setdefault(round(char["top"], 1), []).append(char)
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items())]


def embedded_fonts(pdf: Any) -> set[str]:
    """The fonts whose program is inside the file (a FontDescriptor with a FontFile stream)."""
    from pdfminer.psparser import PSLiteral

    names: set[str] = set()
    for xref in pdf.doc.xrefs:
        for objid in xref.get_objids():
            try:
                obj = pdf.doc.getobj(objid)
            except Exception:
                continue
            if not isinstance(obj, dict):
                continue
            kind = obj.get("Type")
            is_descriptor = isinstance(kind, PSLiteral) and kind.name == "FontDescriptor"
            if is_descriptor and any(key in obj for key in ("FontFile", "FontFile2", "FontFile3")):
                font = obj.get("FontName")
                name = font.name if isinstance(font, PSLiteral) else str(font)
                names.add(name.split("+", 1)[-1])
    return names


def check_pdf(data: bytes, *, first_page_on_grid: bool = True) -> PdfFigures:
    """Page size, body lines per page and characters per line, margins, page numbers, fonts.

    Margins are measured from the lines on the grid; a letter (信函格式) sets its first page
    higher (`first_page_on_grid=False`)."""
    pt_per_mm = 72 / 25.4
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0]
        page_mm = (round(first.width / pt_per_mm, 1), round(first.height / pt_per_mm, 1))
        assert page_mm == (210.0, 297.0), page_mm
        figures = PdfFigures(page_mm=page_mm, lines_per_page=[], metadata=dict(pdf.metadata))
        figures.embedded = embedded_fonts(pdf)
        text_bottom = first.height - g.mm_to_pt(g.MARGIN_BOTTOM_MM)
        half_leading = (g.LINE_PITCH_PT - g.SIZE_3) / 2
        lefts, rights, tops, bottoms = [], [], [], []
        for page in pdf.pages:
            figures.fonts |= {c["fontname"].split("+", 1)[-1] for c in page.chars}
            body = [c for c in page.chars if c["bottom"] <= text_bottom]
            footer = [c for c in page.chars if c["top"] > text_bottom]
            number = "".join(c["text"] for c in _lines(footer)[0]) if footer else ""
            if number:
                side = "right" if footer[0]["x0"] > first.width / 2 else "left"
                figures.page_numbers.append((page.page_number, number, side))
            lines = _lines(body)
            body_lines = [
                line
                for line in lines
                if abs(line[0]["size"] - g.SIZE_3) < 0.1 and "Fang" in line[0]["fontname"]
            ]
            # Lines on the grid: body (3号) and title (2号) lines; tables have their own pitch.
            grid_lines = [
                line
                for line in lines
                if any(abs(line[0]["size"] - size) < 0.1 for size in (g.SIZE_3, g.SIZE_2))
            ]
            figures.lines_per_page.append(len(grid_lines))
            for line in body_lines:
                figures.chars_per_line[len(line)] += 1
            if not figures.title_lines:
                figures.title_lines = [
                    "".join(c["text"] for c in line)
                    for line in lines
                    if "XBS" in line[0]["fontname"] and abs(line[0]["size"] - g.SIZE_2) < 0.1
                ]
            for line in body_lines:
                lefts.append(line[0]["x0"])
                # A glyph is drawn 1 em wide; the line's box ends one pitch after its last start.
                rights.append(line[-1]["x1"] + g.PDF_LETTER_SPACING_PT)
            # The text block's top: the first line on the grid of each page, less its leading.
            grid = [
                line
                for line in lines
                if any(abs(line[0]["size"] - size) < 0.1 for size in (g.SIZE_3, g.SIZE_2))
            ]
            if grid and (page.page_number > 1 or first_page_on_grid):
                size = grid[0][0]["size"]
                tops.append(min(c["top"] for c in grid[0]) - (g.LINE_PITCH_PT - size) / 2)
            if body_lines:
                bottoms.append(max(c["bottom"] for c in body_lines[-1]) + half_leading)
        figures.margins_mm = {
            "left": round(min(lefts) / pt_per_mm, 2),
            "right": round((first.width - max(rights)) / pt_per_mm, 2),
            "top": round(min(tops) / pt_per_mm, 2),
            "bottom": round((first.height - max(bottoms)) / pt_per_mm, 2),
        }
    margins = figures.margins_mm
    # Nothing outside the text block (a short document may have no line that starts at an edge).
    assert margins["left"] >= g.MARGIN_LEFT_MM - TOLERANCE_MM, margins
    assert margins["right"] >= g.MARGIN_RIGHT_MM - TOLERANCE_MM, margins
    assert margins["top"] >= g.MARGIN_TOP_MM - TOLERANCE_MM, margins  # nothing above the block
    assert margins["bottom"] >= g.MARGIN_BOTTOM_MM - 0.5, margins
    assert max(figures.lines_per_page) <= g.LINES_PER_PAGE, figures.lines_per_page
    for n, text, side in figures.page_numbers:
        assert text == f"— {n} —", (n, text)
        assert side == ("right" if n % 2 else "left"), (n, side)
    assert {"GB-Fang", "GB-XBS"} <= figures.fonts, figures.fonts
    assert figures.fonts <= figures.embedded, (figures.fonts, figures.embedded)
    if figures.title_lines:
        assert_breaks_between_words(figures.title_lines)
    assert figures.metadata.get("Author"), figures.metadata
    return figures
