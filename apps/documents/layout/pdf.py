"""An `OfficialDocument` as PDF (WeasyPrint), with free GB 2312 fonts embedded and no network.

WeasyPrint has no document grid: the grid becomes an exact line height (22 lines fill the text
block) and a letter-spacing that puts 28 body characters on a line. The fonts are files on this
machine (`settings.DOCUMENTS_FONT_DIR`, by default the Fandol family of Debian's
`texlive-lang-chinese`); the URL fetcher refuses every other address, so a document can never
make the server fetch anything.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.core import clock

from . import geometry as g
from .model import Attachment, Block, DocumentFormat, Heading, OfficialDocument, Paragraph, Table
from .text import (
    BLANK,
    HeadingNumbers,
    break_title,
    chinese_date,
    closing_lines,
    fit_columns,
    text_width,
)

PDF_CONTENT_TYPE = "application/pdf"

# The free fonts that stand in for the official ones: CSS family → file in the font directory.
DEFAULT_FONT_FILES = {
    "GB Fang": "FandolFang-Regular.otf",  # 仿宋_GB2312
    "GB XBS": "FandolSong-Bold.otf",  # 方正小标宋简体 (a heavy 宋)
    "GB Song": "FandolSong-Regular.otf",  # 宋体: page numbers
    "GB Hei": "FandolHei-Regular.otf",  # 黑体
    "GB Kai": "FandolKai-Regular.otf",  # 楷体_GB2312
}
CELL_PADDING_PT = 2 * 5.4 + 1  # as in Word, so both files wrap the same cells
HEADING_CLASSES = {1: "hei", 2: "kai", 3: "", 4: ""}


def font_files() -> dict[str, Path]:
    """The font file of each family; a missing one is a configuration error, said in Chinese."""
    directory = Path(settings.DOCUMENTS_FONT_DIR)
    names = {**DEFAULT_FONT_FILES, **getattr(settings, "DOCUMENTS_PDF_FONT_FILES", {})}
    files = {family: (directory / name).resolve() for family, name in names.items()}
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise ImproperlyConfigured(
            f"找不到公文字体文件：{'、'.join(missing)}。请安装 texlive-lang-chinese"
            "（Fandol 字体），或用环境变量 DOCUMENTS_FONT_DIR 指定字体目录。"
        )
    return files


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _faces(files: dict[str, Path]) -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in files.items()
    )


def _css(doc: OfficialDocument) -> str:
    number_top = g.PAGE_NUMBER_GAP_MM - g.SIZE_4 * 1.2 * g.MM_PER_PT / 2
    letter_first = ""
    if doc.format == DocumentFormat.LETTER:
        letter_first = f"""
@page :first {{
  margin-top: {g.LETTER_MARK_TOP_MM}mm;
  @bottom-right {{ content: none; }}
  @bottom-center {{ content: ""; width: 100%; height: 0; margin-top: {g.MARGIN_BOTTOM_MM - 20}mm;
    border-top: 2.5pt double #{g.RED}; }}
}}"""
    return f"""
@page {{
  size: A4;
  margin: {g.MARGIN_TOP_MM}mm {g.MARGIN_RIGHT_MM}mm {g.MARGIN_BOTTOM_MM}mm {g.MARGIN_LEFT_MM}mm;
}}
@page :right {{
  @bottom-right {{ content: "— " counter(page) " —"; font: {g.SIZE_4}pt/1.2 "GB Song";
    vertical-align: top; padding-top: {number_top:.2f}mm; margin-right: {g.SIZE_4}pt; }}
}}
@page :left {{
  @bottom-left {{ content: "— " counter(page) " —"; font: {g.SIZE_4}pt/1.2 "GB Song";
    vertical-align: top; padding-top: {number_top:.2f}mm; margin-left: {g.SIZE_4}pt; }}
}}
{letter_first}
html {{ font-family: "GB Fang"; font-size: {g.SIZE_3}pt; line-height: {g.LINE_PITCH_PT}pt;
  color: #000; }}
body {{ margin: 0; }}
p, div, h1 {{ margin: 0; padding: 0; font-weight: normal; orphans: 1; widows: 1; }}
p {{ text-align: justify; letter-spacing: {g.PDF_LETTER_SPACING_PT}pt; }}
p.indent {{ text-indent: {2 * g.CHAR_PITCH_PT:.3f}pt; }}
p.center {{ text-align: center; }} p.right {{ text-align: right; }} p.left {{ text-align: left; }}
p.blank {{ height: {g.LINE_PITCH_PT}pt; }}
.hei {{ font-family: "GB Hei"; }} .kai {{ font-family: "GB Kai"; }} .fang {{ font-family: "GB Fang"; }}
.red {{ color: #{g.RED}; }}
.mark {{ font-family: "GB XBS"; color: #{g.RED}; text-align: center; line-height: 1.1;
  letter-spacing: 0; }}
.separator {{ border-bottom: 1pt solid #{g.RED}; padding-bottom: {g.SEPARATOR_GAP_MM}mm; }}
.double {{ border-bottom: 2.5pt double #{g.RED}; padding-bottom: {g.SEPARATOR_GAP_MM}mm; }}
h1.title {{ font-family: "GB XBS"; font-size: {g.SIZE_2}pt; text-align: center;
  letter-spacing: 0; }}
.split {{ text-align: left; }} .split .end {{ float: right; }}
table {{ border-collapse: collapse; table-layout: fixed; margin: 0 auto; letter-spacing: 0; }}
th, td {{ border: 0.5pt solid #000; padding: 0 5.4pt; vertical-align: middle; text-align: left;
  font-weight: normal; }}
th {{ font-weight: bold; text-align: center; }} td.c {{ text-align: center; }}
thead {{ display: table-header-group; }}
.page-break {{ break-before: page; }}
.closing {{ break-inside: avoid; break-before: avoid; }}
p[data-last-body] {{ widows: 2; }}
.imprint-page {{ page: imprint; break-before: page; }}
@page imprint {{ @bottom-right {{ content: none; }} @bottom-left {{ content: none; }} }}
.imprint {{ float: footnote; font-size: {g.SIZE_4}pt; line-height: {g.LINE_PITCH_PT}pt;
  border-top: 1pt solid #000; border-bottom: 1pt solid #000; }}
.imprint .row {{ display: block; padding: 0 {g.SIZE_4}pt; text-indent: 0; text-align: left;
  font-family: "GB Fang"; letter-spacing: 0; }}
.imprint .row + .row {{ border-top: 0.5pt solid #000; }}
.imprint .split {{ display: flex; justify-content: space-between; }}
::footnote-call {{ content: none; }}
.imprint::footnote-marker {{ content: none; }}
"""


class _Html:
    """Collects the HTML of one document, in order."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def p(
        self,
        text: str = "",
        *,
        classes: str = "",
        indent: bool = False,
        right_chars: float = 0,
        left_chars: float = 0,
        raw: bool = False,
    ) -> None:
        names = " ".join(filter(None, [classes, "indent" if indent else ""]))
        style = ""
        if right_chars:
            style += f"padding-right:{right_chars * g.CHAR_PITCH_PT:.2f}pt;"
        if left_chars:
            style += f"padding-left:{left_chars * g.CHAR_PITCH_PT:.2f}pt;"
        attributes = (f' class="{names}"' if names else "") + (f' style="{style}"' if style else "")
        self.parts.append(f"<p{attributes}>{text if raw else _e(text)}</p>")

    def blank(self, lines: int = 1) -> None:
        self.parts.extend(['<p class="blank"></p>'] * lines)

    def title(self, title: str) -> None:
        lines = "<br>".join(_e(line) for line in break_title(title))
        self.parts.append(f'<h1 class="title">{lines}</h1>')

    def blocks(self, blocks: Iterable[Block]) -> None:
        numbers = HeadingNumbers()
        for block in blocks:
            if isinstance(block, Heading):
                css = HEADING_CLASSES.get(block.level, "")
                number = numbers.next(block.level)
                text = f'<span class="{css}">{_e(number + block.text)}</span>{_e(block.run_in)}'
                self.p(text, indent=True, raw=True)
            elif isinstance(block, Table):
                self.table(block)
            else:
                assert isinstance(block, Paragraph)
                self.p(block.text, classes=block.align, indent=block.indent)

    def table(self, block: Table) -> None:
        rows = [[str(value) for value in row] for row in block.rows]
        widths = fit_columns(
            block.headers,
            rows,
            width_pt=g.TEXT_WIDTH_PT,
            size_pt=block.size_pt,
            padding_pt=CELL_PADDING_PT,
        )
        out = [
            f'<table style="width:{sum(widths):.2f}pt;font-size:{block.size_pt}pt;'
            f'line-height:{round(block.size_pt * 1.35, 1)}pt"><colgroup>',
            *(f'<col style="width:{w:.2f}pt">' for w in widths),
            "</colgroup><thead><tr>",
            *(f"<th>{_e(h)}</th>" for h in block.headers),
            "</tr></thead><tbody>",
        ]
        for row_index, values in enumerate(rows):
            out.append("<tr>")
            for column, value in enumerate(values):
                shade = block.shades.get((row_index, column))
                attributes = ' class="c"' if column in block.centered else ""
                if shade:
                    attributes += f' style="background:#{shade}"'
                out.append(f"<td{attributes}>{_e(value)}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        self.parts.append("".join(out))


def _mark(out: _Html, text: str, *, top_mm: float) -> None:
    per_char_mm = min(g.MARK_MAX_CHAR_MM, g.TEXT_WIDTH_MM / max(text_width(text), 1))
    size = round(g.mm_to_pt(per_char_mm) - 0.5, 1)
    out.parts.append(
        f'<div class="mark" style="font-size:{size}pt;margin-top:{top_mm:.2f}mm">{_e(text)}</div>'
    )


def _split(left: str, right: str, *, classes: str = "", right_html: str = "") -> str:
    end = right_html or _e(right)
    return f'<div class="split {classes}"><span class="end">{end}</span>{_e(left)}</div>'


def _header(out: _Html, doc: OfficialDocument) -> None:
    lines = 0
    for text, css in ((doc.copy_number, ""), (doc.secrecy, "hei"), (doc.urgency, "hei")):
        if text:
            out.p(text, classes=f"left {css}".strip())
            lines += 1
    if doc.format == DocumentFormat.LETTER:
        if doc.issuer_mark:
            _mark(out, doc.issuer_mark, top_mm=0)
            out.parts.append('<div class="double"></div>')
        if doc.number:
            out.p(doc.number, classes="right")
        out.blank(2)
        return
    if doc.issuer_mark:
        offset = max(0.0, g.MARK_OFFSET_MM - lines * g.LINE_PITCH_PT * g.MM_PER_PT)
        _mark(out, doc.issuer_mark, top_mm=offset)
        out.blank(2 if doc.format == DocumentFormat.FILE else 1)
    if doc.format == DocumentFormat.MINUTES:
        if doc.minutes_number:
            out.p(doc.minutes_number, classes="center")
        date = chinese_date(doc.date) if doc.date else ""
        out.parts.append(_split(doc.signature, date, classes="separator"))
        out.blank(2)
        return
    separator = "separator" if doc.issuer_mark else ""
    if doc.signers:
        signers = f'签发人：<span class="kai">{_e("　".join(doc.signers))}</span>'
        pad = f'style="padding:0 {g.CHAR_PITCH_PT:.2f}pt"'
        out.parts.append(
            f'<div class="split {separator}" {pad}><span class="end">{signers}</span>'
            f"{_e(doc.number)}</div>"
        )
    elif doc.number or separator:
        out.parts.append(f'<div class="{separator}"><p class="center">{_e(doc.number)}</p></div>')
    out.blank(2)


def _closing(out: _Html, doc: OfficialDocument) -> None:
    """附件说明, 署名, 成文日期 and the seal's place, 附注, in one block that does not break and
    does not leave the body's last line: the signature and date never stand alone on a page."""
    lines = closing_lines(doc)
    if not lines:
        return
    block = _Html()
    for line in lines:
        if line == BLANK:
            block.blank()
            continue
        text = _e(line.text)
        if line.label:
            text = f'<span class="hei">{_e(line.label)}</span>{text}'
        block.p(
            text,
            classes=" ".join(filter(None, [line.align, "red" if line.red else ""])),
            indent=bool(line.indent),
            left_chars=line.left,
            right_chars=line.right,
            raw=True,
        )
    # The body's last paragraph keeps at least its last two lines with the block.
    if out.parts and out.parts[-1].startswith("<p"):
        out.parts[-1] = out.parts[-1].replace("<p", '<p data-last-body="1"', 1)
    out.parts.append(f'<div class="closing">{"".join(block.parts)}</div>')


def _attachments(out: _Html, attachments: Sequence[Attachment]) -> None:
    for n, attachment in enumerate(attachments, start=1):
        if not attachment.blocks:
            continue  # a file attached as it is: named in 附件说明, not reprinted
        label = f"附件{n}" if len(attachments) > 1 else "附件"
        out.p(label, classes="left hei page-break")
        out.blank()
        out.title(attachment.title)
        out.blank()
        out.blocks(attachment.blocks)


def _imprint(out: _Html, doc: OfficialDocument, own_pages: int = 0) -> None:
    rows = []
    if doc.copy_to:
        rows.append(f'<span class="row">{_e("抄送：" + doc.copy_to.rstrip("。") + "。")}</span>')
    if doc.printer or doc.print_date:
        date = f"{chinese_date(doc.print_date)}印发" if doc.print_date else ""
        rows.append(
            f'<span class="row split"><span>{_e(doc.printer)}</span><span>{_e(date)}</span></span>'
        )
    # A footnote sits at the foot of the page where it is called, the document's last page. The
    # call goes into the last paragraph: a paragraph of its own would take a line of the grid.
    imprint = f'<span class="imprint">{"".join(rows)}</span>'
    if own_pages:
        # The last page must be even: the imprint goes to a page of its own (after a blank one
        # when needed), and those pages carry no page number (GB/T 9704 7.5).
        if own_pages > 1:
            out.parts.append('<div class="imprint-page"><p class="blank"></p></div>')
        out.parts.append(f'<div class="imprint-page"><p class="left">{imprint}</p></div>')
        return
    last = out.parts[-1] if out.parts else ""
    if last.endswith("</p></div>"):
        out.parts[-1] = last[: -len("</p></div>")] + imprint + "</p></div>"
    elif last.endswith("</p>"):
        out.parts[-1] = last[: -len("</p>")] + imprint + "</p>"
    else:
        out.parts.append(f'<p class="left">{imprint}</p>')


def document_html(doc: OfficialDocument, imprint_pages: int = 0) -> str:
    """The HTML that WeasyPrint lays out (also handy for looking at a layout in a test);
    `imprint_pages` puts the 版记 on a page of its own (2: after a blank page)."""
    out = _Html()
    _header(out, doc)
    out.title(doc.title)
    out.blank()
    if doc.recipients:
        out.p(f"{doc.recipients.rstrip('：:')}：", classes="left")
    out.blocks(doc.body)
    _closing(out, doc)
    _attachments(out, doc.attachments)
    if doc.has_imprint:
        _imprint(out, doc, imprint_pages)
    meta = [f'<meta name="author" content="{_e(doc.author)}">']
    if doc.subject:
        meta.append(f'<meta name="description" content="{_e(doc.subject)}">')
    if doc.keywords:
        meta.append(f'<meta name="keywords" content="{_e(", ".join(doc.keywords))}">')
    stamp = (doc.created or clock.now()).isoformat(timespec="seconds")
    meta.append(f'<meta name="dcterms.created" content="{stamp}">')
    meta.append(f'<meta name="dcterms.modified" content="{stamp}">')
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{_e(doc.title)}</title>{''.join(meta)}</head>"
        f"<body>{''.join(out.parts)}</body></html>"
    )


def _local_fetcher(allowed: Iterable[Path]):  # type: ignore[no-untyped-def]
    from weasyprint.urls import URLFetcher

    permitted = {path.as_uri() for path in allowed}

    class LocalFontFetcher(URLFetcher):
        """Fetches the configured font files and nothing else: no network, no other file."""

        def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
            if url not in permitted:
                raise ValueError(f"公文排版不加载外部资源：{url}")
            return super().fetch(url, headers)

    return LocalFontFetcher(allowed_protocols={"file"})


_fonts = threading.local()


def _font_setup(files: dict[str, Path]) -> tuple[Any, Any, Any]:
    """The font configuration, the @font-face stylesheet and the fetcher, made once per thread.

    Registering a font face copies the font file into a temporary fontconfig directory, which
    costs more than laying out a short document; the fonts are the same for every document, so a
    thread keeps them (the fetcher keeps per-request state, hence per thread, not per process)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    key = tuple(sorted((family, str(path)) for family, path in files.items()))
    cached = getattr(_fonts, "setup", None)
    if cached is None or cached[0] != key:
        fetcher = _local_fetcher(files.values())
        font_config = FontConfiguration()
        faces = CSS(string=_faces(files), font_config=font_config, url_fetcher=fetcher)
        cached = _fonts.setup = (key, font_config, faces, fetcher)
    return cached[1], cached[2], cached[3]


def _layout(doc: OfficialDocument, imprint_pages: int = 0) -> Any:
    from weasyprint import CSS, HTML

    font_config, faces, fetcher = _font_setup(font_files())
    stylesheet = CSS(string=_css(doc), font_config=font_config, url_fetcher=fetcher)
    page = HTML(string=document_html(doc, imprint_pages), url_fetcher=fetcher, base_url=None)
    return page.render(stylesheets=[faces, stylesheet], font_config=font_config)


def _even_layout(doc: OfficialDocument) -> tuple[Any, int]:
    """The layout whose last page is even when the document has a 版记 (printed on both sides,
    the 版记 is on the back of the last sheet), and how many pages of its own the 版记 took."""
    laid_out = _layout(doc)
    if not doc.has_imprint or len(laid_out.pages) % 2 == 0:
        return laid_out, 0
    for own in (1, 2):
        laid_out = _layout(doc, own)
        if len(laid_out.pages) % 2 == 0:
            return laid_out, own
    return laid_out, 2


def imprint_pages(doc: OfficialDocument) -> int:
    """How many pages of its own the 版记 needs (0, 1, or 2 with a blank page first), measured on
    the PDF layout so that the .docx follows the same pages."""
    return _even_layout(doc)[1]


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as a PDF with its fonts embedded (subset); with a 版记, its last page is
    even."""
    pdf = _even_layout(doc)[0].write_pdf()
    assert pdf is not None
    return pdf
