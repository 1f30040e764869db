"""An `OfficialDocument` as .docx (python-docx), laid out on Word's document grid.

The section carries the standard's grid (`w:docGrid`: 22 lines of 28 characters), and body
paragraphs also have an exact line pitch, so that Word, WPS and LibreOffice agree. Runs name the
official fonts for Latin and East Asian text (`w:eastAsia`), and the font table gives each one
the free fallback that Word substitutes on a machine without it.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

from apps.core import clock

from . import geometry as g
from .model import (
    Attachment,
    Block,
    DocumentFormat,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from .text import (
    BLANK,
    HeadingNumbers,
    break_title,
    chinese_date,
    closing_lines,
    fit_columns,
    text_width,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
# Word looks a missing font up by its alternative name (fontTable `w:altName`), then picks the
# closest font of the same character set (86 = GB 2312) and family.
FONT_FALLBACKS: dict[str, tuple[str, str, str]] = {
    FANGSONG: ("仿宋", "modern", "fixed"),
    XIAOBIAOSONG: ("宋体", "roman", "variable"),
    HEITI: ("SimHei", "modern", "fixed"),
    KAITI: ("楷体", "modern", "fixed"),
    SONGTI: ("SimSun", "roman", "variable"),
    "仿宋": ("FangSong", "modern", "fixed"),
    "楷体": ("KaiTi", "modern", "fixed"),
}
HEADING_FONTS = {1: HEITI, 2: KAITI, 3: FANGSONG, 4: FANGSONG}
ALIGNMENTS = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
}
CELL_PADDING_PT = 2 * 5.4 + 1  # Word's default cell margins (0.19 cm a side) and a point spare
RED = RGBColor.from_string(g.RED)
CHAR = g.CHAR_PITCH_PT  # one character of the body grid, for 空二字 and the like


def set_run_font(run: Any, font: str, *, size: float | None = None, bold: bool = False) -> None:
    """Name `font` for Latin and East Asian text: `run.font.name` writes only w:ascii/w:hAnsi,
    and Chinese characters are drawn with w:eastAsia."""
    run.font.name = font
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), font)
    rfonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = True if bold else None


def _register_fallback_fonts(document: Any) -> None:
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    known = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for name, (alternative, family, pitch) in FONT_FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),
            ("w:family", family),
            ("w:pitch", pitch),
        ):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_normal_style(document: Any) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(g.SIZE_3)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribute), FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(g.LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    # Widow control would move single lines and leave pages of 21 lines: the grid is strict.
    fmt.widow_control = False


def _set_grid(section: Any) -> None:
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(g.LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(g.CHAR_SPACE))


def _setup_page(document: Any, doc: OfficialDocument) -> Any:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(g.PAGE_WIDTH_MM), Mm(g.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(g.MARGIN_TOP_MM), Mm(g.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(g.MARGIN_LEFT_MM), Mm(g.MARGIN_RIGHT_MM)
    # The page number line's dashes sit 7 mm below the text block: its 4号 line is centred there.
    section.footer_distance = Mm(
        g.MARGIN_BOTTOM_MM - g.PAGE_NUMBER_GAP_MM - g.SIZE_4 * 1.2 * g.MM_PER_PT / 2
    )
    section.header_distance = Mm(
        g.LETTER_MARK_TOP_MM if doc.format == DocumentFormat.LETTER else 15
    )
    _set_grid(section)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    if doc.format == DocumentFormat.LETTER:
        # 信函格式: the first page shows the mark and the red double lines, and no number.
        section.different_first_page_header_footer = True
        _letter_head(section.first_page_header.paragraphs[0], doc)
        _letter_foot(section.first_page_footer.paragraphs[0])
    return section


def _field(paragraph: Any, instruction: str, placeholder: str, font: str, size: float) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        run = paragraph.add_run()
        set_run_font(run, font, size=size)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)
    set_run_font(paragraph.add_run(placeholder), font, size=size)
    run = paragraph.add_run()
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), "end")
    run._element.append(element)


def _no_grid(paragraph: Any) -> None:
    """Take a paragraph off the character grid (larger or smaller type than the body)."""
    p_pr = paragraph._element.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p_pr.append(snap)


def _page_number(paragraph: Any, *, odd: bool) -> None:
    """— 1 —: 4号 半角 digits between one-em dashes, 空一字 at the outer side (odd right, even
    left)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = Pt(0)
    if odd:
        fmt.right_indent = Pt(g.SIZE_4)
    else:
        fmt.left_indent = Pt(g.SIZE_4)
    _no_grid(paragraph)
    set_run_font(paragraph.add_run("— "), SONGTI, size=g.SIZE_4)
    _field(paragraph, " PAGE ", "1", SONGTI, g.SIZE_4)
    set_run_font(paragraph.add_run(" —"), SONGTI, size=g.SIZE_4)


def _border(paragraph: Any, side: str, *, val: str, size_eighths: int, space_pt: int) -> None:
    p_pr = paragraph._element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), val)
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space_pt))
    line.set(qn("w:color"), g.RED)
    borders.append(line)


def _mark_size(text: str) -> float:
    """The mark's type size: as large as 15 mm a character allows, within the text width."""
    per_char_mm = min(g.MARK_MAX_CHAR_MM, g.TEXT_WIDTH_MM / max(text_width(text), 1))
    return round(g.mm_to_pt(per_char_mm) - 0.5, 1)


def _letter_head(paragraph: Any, doc: OfficialDocument) -> None:
    size = _mark_size(doc.issuer_mark)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(paragraph)
    run = paragraph.add_run(doc.issuer_mark)
    set_run_font(run, XIAOBIAOSONG, size=size)
    run.font.color.rgb = RED
    _border(paragraph, "bottom", val="thickThinSmallGap", size_eighths=24, space_pt=4)


def _letter_foot(paragraph: Any) -> None:
    _no_grid(paragraph)
    _border(paragraph, "top", val="thinThickSmallGap", size_eighths=24, space_pt=0)


class _Writer:
    """Appends the paragraphs of one document, in order."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines_used = 0  # lines of the first page before the mark (for the 35 mm offset)

    def paragraph(
        self,
        text: str = "",
        *,
        font: str = FANGSONG,
        size: float = g.SIZE_3,
        align: str = "justify",
        indent_chars: float = 0,
        left_chars: float = 0,
        right_chars: float = 0,
        bold: bool = False,
        red: bool = False,
    ) -> Any:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = ALIGNMENTS[align]
        fmt = paragraph.paragraph_format
        if indent_chars:
            fmt.first_line_indent = Pt(indent_chars * CHAR)
        if left_chars:
            fmt.left_indent = Pt(left_chars * CHAR)
        if right_chars:
            fmt.right_indent = Pt(right_chars * CHAR)
        if text:
            run = paragraph.add_run(text)
            set_run_font(run, font, size=size, bold=bold)
            if red:
                run.font.color.rgb = RED
        return paragraph

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            self.paragraph()

    def header_line(self, text: str, font: str) -> None:
        self.paragraph(text, font=font)
        self.lines_used += 1

    def mark(self, text: str, *, offset: bool) -> None:
        size = _mark_size(text)
        paragraph = self.paragraph(text, font=XIAOBIAOSONG, size=size, align="center", red=True)
        fmt = paragraph.paragraph_format
        fmt.line_spacing = Pt(size * 1.1)
        _no_grid(paragraph)
        if offset:
            used = self.lines_used * g.LINE_PITCH_PT
            fmt.space_before = Pt(max(0.0, g.mm_to_pt(g.MARK_OFFSET_MM) - used))

    def separator_under(self, paragraph: Any) -> None:
        """The red line as wide as the text block, 4 mm under 发文字号 (a paragraph border)."""
        _border(
            paragraph,
            "bottom",
            val="single",
            size_eighths=8,
            space_pt=round(g.mm_to_pt(g.SEPARATOR_GAP_MM)),
        )

    def title(self, title: str) -> None:
        paragraph = self.paragraph(align="center")
        for n, line in enumerate(break_title(title)):
            run = paragraph.add_run(line)
            set_run_font(run, XIAOBIAOSONG, size=g.SIZE_2)
            if n:
                run._element.addprevious(_line_break())
        _no_grid(paragraph)

    def heading(self, block: Heading, number: str) -> None:
        paragraph = self.paragraph(
            f"{number}{block.text}", font=HEADING_FONTS.get(block.level, FANGSONG), indent_chars=2
        )
        if block.run_in:
            set_run_font(paragraph.add_run(block.run_in), FANGSONG, size=g.SIZE_3)

    def blocks(self, blocks: Iterable[Block]) -> None:
        numbers = HeadingNumbers()
        for block in blocks:
            if isinstance(block, Heading):
                self.heading(block, numbers.next(block.level))
            elif isinstance(block, Table):
                self.table(block)
            else:
                assert isinstance(block, Paragraph)
                self.paragraph(block.text, align=block.align, indent_chars=2 * block.indent)

    def table(self, block: Table) -> None:
        """A fixed-layout table with widths fitted to its content.

        python-docx's `add_row()` searches the table for every row, which is quadratic: a row is
        built once as a prototype and each data row is a copy of it with its texts filled in."""
        rows = [[str(value) for value in row] for row in block.rows]
        widths = fit_columns(
            block.headers,
            rows,
            width_pt=g.TEXT_WIDTH_PT,
            size_pt=block.size_pt,
            padding_pt=CELL_PADDING_PT,
        )
        table = self.document.add_table(rows=1, cols=len(block.headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl = table._tbl
        _table_width(tbl, widths)
        header = table.rows[0]
        _repeat_header(header._tr)
        for cell, text, width in zip(header.cells, block.headers, widths, strict=True):
            cell.width = Twips(round(width * 20))
            _cell_text(cell, text, block.size_pt, bold=True, center=True)
        prototype = table.add_row()
        for index, (cell, width) in enumerate(zip(prototype.cells, widths, strict=True)):
            cell.width = Twips(round(width * 20))
            _cell_text(cell, "-", block.size_pt, center=index in block.centered)
        tr = prototype._tr
        tbl.remove(tr)
        shades: dict[int, list[tuple[int, str]]] = {}
        for (shade_row, column), color in block.shades.items():
            shades.setdefault(shade_row, []).append((column, color))
        for row_index, values in enumerate(rows):
            row = copy.deepcopy(tr)
            for text, value in zip(row.iter(qn("w:t")), values, strict=True):
                text.text = value
            for column, color in shades.get(row_index, ()):
                _shade(row.findall(qn("w:tc"))[column], color)
            tbl.append(row)


def _line_break() -> Any:
    run = OxmlElement("w:r")
    brk = OxmlElement("w:br")
    run.append(brk)
    return run


def _table_width(tbl: Any, widths: Sequence[float]) -> None:
    tbl_pr = tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths) * 20)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for column, value in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(round(value * 20)))


def _repeat_header(tr: Any) -> None:
    tr_pr = tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _cell_text(cell: Any, text: str, size: float, *, bold: bool = False, center: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(round(size * 1.35, 1))
    fmt.first_line_indent = Pt(0)
    _no_grid(paragraph)
    set_run_font(paragraph.add_run(text), FANGSONG, size=size, bold=bold)


def _shade(tc: Any, color: str) -> None:
    properties = tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    properties.append(shading)


def _header(writer: _Writer, doc: OfficialDocument) -> None:
    """版头: 份号, 密级, 紧急程度, the mark, 发文字号 (and 签发人) over the red line."""
    if doc.copy_number:
        writer.header_line(doc.copy_number, FANGSONG)
    if doc.secrecy:
        writer.header_line(doc.secrecy, HEITI)
    if doc.urgency:
        writer.header_line(doc.urgency, HEITI)
    if doc.format == DocumentFormat.LETTER:
        # The mark is in the first page's header; 发文字号 sits at the right under the lines.
        if doc.number:
            writer.paragraph(doc.number, align="right")
        writer.blank(2)
        return
    if doc.issuer_mark:
        writer.mark(doc.issuer_mark, offset=True)
        writer.blank(2 if doc.format == DocumentFormat.FILE else 1)
    if doc.format == DocumentFormat.MINUTES:
        if doc.minutes_number:
            writer.paragraph(doc.minutes_number, align="center")
        line = writer.paragraph(align="left")
        _tabbed(line, doc.signature, chinese_date(doc.date) if doc.date else "")
        writer.separator_under(line)
        writer.blank(2)
        return
    if doc.signers:
        # 上行文: 发文字号 居左空一字, 签发人 居右空一字, on the same line.
        line = writer.paragraph(align="left", left_chars=1, right_chars=1)
        _tabbed(line, doc.number, "签发人：", KAITI, "　".join(doc.signers))
    else:
        line = writer.paragraph(doc.number, align="center")
    if doc.issuer_mark:
        writer.separator_under(line)
    writer.blank(2)


def _tabbed(
    paragraph: Any, left: str, right_label: str, right_font: str = FANGSONG, right: str = ""
) -> None:
    """`left` at the start of the line and the rest flush right, with a right tab stop."""
    fmt = paragraph.paragraph_format
    stop = g.TEXT_WIDTH_PT - (fmt.left_indent.pt if fmt.left_indent else 0)
    stop -= fmt.right_indent.pt if fmt.right_indent else 0
    fmt.tab_stops.add_tab_stop(Pt(stop), WD_TAB_ALIGNMENT.RIGHT)
    set_run_font(paragraph.add_run(f"{left}\t{right_label}"), FANGSONG, size=g.SIZE_3)
    if right:
        set_run_font(paragraph.add_run(right), right_font, size=g.SIZE_3)


def _closing(writer: _Writer, doc: OfficialDocument) -> None:
    """附件说明, 署名, 成文日期 and the seal's place, 附注: kept on one page with the body's last
    line, so the signature and date never stand on a page of their own (GB/T 9704 7.3.5)."""
    lines = closing_lines(doc)
    if not lines:
        return
    body = [p for p in writer.document.paragraphs if p.text.strip()]
    if body:
        body[-1].paragraph_format.keep_with_next = True
    written = []
    for line in lines:
        if line == BLANK:
            paragraph = writer.paragraph()
            written.append(paragraph)
            continue
        paragraph = writer.paragraph(
            line.label,
            font=HEITI,
            align=line.align,
            indent_chars=line.indent,
            left_chars=line.left,
            right_chars=line.right,
        )
        run = paragraph.add_run(line.text)
        set_run_font(run, FANGSONG, size=g.SIZE_3)
        if line.red:
            run.font.color.rgb = RED
        written.append(paragraph)
    for paragraph in written[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _attachments(writer: _Writer, attachments: Sequence[Attachment]) -> None:
    """Each attachment from a new page: 附件N in 黑体 at the top left, its title, its text."""
    for n, attachment in enumerate(attachments, start=1):
        if not attachment.blocks:
            continue  # a file attached as it is: named in 附件说明, not reprinted
        label = f"附件{n}" if len(attachments) > 1 else "附件"
        writer.paragraph(label, font=HEITI).paragraph_format.page_break_before = True
        writer.blank()
        writer.title(attachment.title)
        writer.blank()
        writer.blocks(attachment.blocks)


def _imprint(writer: _Writer, doc: OfficialDocument) -> None:
    """版记 at the foot of the last page: a floating table anchored to the bottom margin, with a
    thick rule first and last and thin rules between (抄送, then 印发机关 and 印发日期)."""
    rows: list[tuple[str, str]] = []
    if doc.copy_to:
        rows.append((f"抄送：{doc.copy_to.rstrip('。')}。", ""))
    if doc.printer or doc.print_date:
        date = f"{chinese_date(doc.print_date)}印发" if doc.print_date else ""
        rows.append((doc.printer, date))
    table = writer.document.add_table(rows=len(rows), cols=1)
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    position = OxmlElement("w:tblpPr")
    for name, value in (
        ("w:leftFromText", "0"),
        ("w:rightFromText", "0"),
        ("w:vertAnchor", "margin"),
        ("w:horzAnchor", "margin"),
        ("w:tblpXSpec", "center"),
        ("w:tblpYSpec", "bottom"),
    ):
        position.set(qn(name), value)
    tbl_pr.insert(0, position)
    _table_width(tbl, [g.TEXT_WIDTH_PT])
    borders = OxmlElement("w:tblBorders")
    for side, size in (("top", 8), ("bottom", 8), ("insideH", 4)):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size))  # eighths of a point: 1 pt (0.35 mm) and 0.5 pt
        line.set(qn("w:color"), "000000")
        borders.append(line)
    for side in ("left", "right", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    tbl_pr.append(borders)
    for row, (left, right) in zip(table.rows, rows, strict=True):
        cell = row.cells[0]
        cell.width = Twips(round(g.TEXT_WIDTH_PT * 20))
        paragraph = cell.paragraphs[0]
        fmt = paragraph.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(g.SIZE_4)  # 左右各空一字
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(g.LINE_PITCH_PT)
        _no_grid(paragraph)
        if right:
            _tabbed_imprint(paragraph, left, right)
        else:
            set_run_font(paragraph.add_run(left), FANGSONG, size=g.SIZE_4)


def _tabbed_imprint(paragraph: Any, left: str, right: str) -> None:
    stop = g.TEXT_WIDTH_PT - 2 * g.SIZE_4 - 2 * 5.4
    paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(stop), WD_TAB_ALIGNMENT.RIGHT)
    set_run_font(paragraph.add_run(f"{left}\t{right}"), FANGSONG, size=g.SIZE_4)


def _imprint_pages(doc: OfficialDocument) -> int:
    """The pages of its own the 版记 takes in the PDF layout; 0 when the fonts to measure it are
    missing (the .docx is then written as it is)."""
    from django.core.exceptions import ImproperlyConfigured

    from .pdf import imprint_pages

    try:
        return imprint_pages(doc)
    except ImproperlyConfigured:
        return 0


def _imprint_page(writer: _Writer, own_pages: int) -> None:
    """The 版记 on a page of its own (after a blank one when `own_pages` is 2), in a section
    whose footers are empty: the 版记 page and a blank page before it carry no page number."""
    if not own_pages:
        return
    document = writer.document
    body = document.element.body
    last = body[-2] if len(body) > 1 else None  # the element before the sentinel w:sectPr
    if last is not None and last.tag == qn("w:p"):
        # End the first section on the last paragraph itself: a paragraph of its own holding the
        # break would take a grid line, and could push the break onto a page of its own.
        sentinel = body.get_or_add_sectPr()
        last.set_sectPr(sentinel.clone())
        for reference in sentinel.xpath("w:headerReference|w:footerReference"):
            sentinel.remove(reference)
        section = document.sections[-1]
        section.start_type = WD_SECTION.NEW_PAGE
    else:
        section = document.add_section(WD_SECTION.NEW_PAGE)
    for footer in (section.footer, section.even_page_footer, section.first_page_footer):
        footer.is_linked_to_previous = False
    if own_pages > 1:
        blank = writer.paragraph()
        blank.add_run().add_break(WD_BREAK.PAGE)


def _metadata(document: Any, doc: OfficialDocument) -> None:
    """True file properties: python-docx's template says 2013 and “python-docx” otherwise."""
    properties = document.core_properties
    properties.title = doc.title
    properties.author = doc.author
    properties.last_modified_by = doc.author
    properties.subject = doc.subject
    properties.keywords = "、".join(doc.keywords)
    properties.comments = ""
    properties.category = "公文"
    properties.revision = 1
    created = doc.created or clock.now()
    properties.created = created
    properties.modified = created


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as a .docx file."""
    document = Document()
    _register_fallback_fonts(document)
    _set_normal_style(document)
    _setup_page(document, doc)
    # python-docx's template starts with an empty body; every paragraph is added in order.
    writer = _Writer(document)
    _header(writer, doc)
    writer.title(doc.title)
    writer.blank()
    if doc.recipients:
        writer.paragraph(f"{doc.recipients.rstrip('：:')}：")
    writer.blocks(doc.body)
    _closing(writer, doc)
    _attachments(writer, doc.attachments)
    if doc.has_imprint:
        _imprint_page(writer, _imprint_pages(doc))
        _imprint(writer, doc)
    # Word wants a paragraph after a table at the end of the body: a one-point empty one.
    tail = writer.paragraph()
    tail.paragraph_format.line_spacing = Pt(1)
    _no_grid(tail)
    _metadata(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
