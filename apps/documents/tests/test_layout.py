"""The layout engine measured against GB/T 9704-2012, reading both files back."""

from __future__ import annotations

import datetime
import io
import zipfile

import pdfplumber
import pytest
from django.core.exceptions import ImproperlyConfigured
from docx import Document
from docx.oxml.ns import qn

from apps.documents.layout import (
    Attachment,
    DocumentFormat,
    Heading,
    MinutesLine,
    OfficialDocument,
    Paragraph,
    Table,
    geometry,
    render_docx,
    render_pdf,
)
from apps.documents.layout.pdf import document_html
from apps.documents.layout.text import break_title, chinese_date, fit_columns, signature_places

from .gbt9704 import assert_breaks_between_words, check_docx, check_pdf

# Full-width text only, so that every full line holds exactly 28 characters.
SENTENCE = (
    "市人大常委会机关认真落实常委会党组决策部署，紧扣“四个机关”建设要求，以服务保障好常委会运行、"
    "机关运转、代表履职三项工作为主线，着力发挥参谋助手、组织协调、督导落实和后勤保障作用。"
)
CREATED = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def notice(**changes) -> OfficialDocument:
    values = dict(
        title="关于印发《市人大常委会机关公文处理办法（试行）》和有关工作规则的通知",
        issuer_mark="市人大常委会办公室文件",
        number="常办发〔2026〕12号",
        copy_number="000123",
        secrecy="秘密★1年",
        urgency="特急",
        recipients="各工作委员会、办公室各处室",
        body=[
            Heading(1, "总体情况"),
            *[Paragraph(SENTENCE * 2) for _ in range(14)],
            Heading(2, "工作安排", run_in="按照要求推进。"),
            Heading(3, "建立台账"),
            Heading(4, "明确时限"),
            Table(
                ["序号", "事项", "牵头单位", "办结时限", "状态"],
                [
                    [
                        str(n),
                        "推进立法联系点建设工作并形成调研报告" * (n % 2 + 1),
                        "法工委",
                        "2026-11-30",
                        "办理中",
                    ]
                    for n in range(1, 6)
                ],
                centered=frozenset({0, 3}),
            ),
            *[Paragraph(SENTENCE * 2) for _ in range(4)],
        ],
        attachments=[Attachment("市人大常委会机关公文处理办法", [Paragraph(SENTENCE)])],
        signature="市人大常委会办公室",
        date=datetime.date(2026, 12, 1),
        seal=True,
        note="此件公开发布",
        copy_to="市委办公室，市政府办公室",
        printer="市人大常委会办公室",
        print_date=datetime.date(2026, 12, 2),
        author="市人大常委会办公室",
        created=CREATED,
    )
    values.update(changes)
    return OfficialDocument(**values)


@pytest.fixture(scope="module")
def files():
    document = notice()
    return render_docx(document), render_pdf(document)


def test_docx_page_grid_fonts_and_metadata(files):
    figures = check_docx(files[0])
    assert figures.lines_per_page == 22 and figures.chars_per_line == 28
    assert figures.margins_mm == {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
    assert figures.line_pitch_pt == 28.95
    assert round(figures.char_pitch_pt, 2) == 15.79
    assert figures.title_lines == [
        "关于印发《市人大常委会机关公文处理",
        "办法（试行）》和有关工作规则的通知",
    ]
    assert figures.author == "市人大常委会办公室"
    document = Document(io.BytesIO(files[0]))
    assert document.core_properties.created == CREATED


def test_docx_declares_official_fonts_with_fallbacks(files):
    with zipfile.ZipFile(io.BytesIO(files[0])) as archive:
        table = archive.read("word/fontTable.xml").decode()
        body = archive.read("word/document.xml").decode()
    for name, fallback in (
        ("仿宋_GB2312", "仿宋"),
        ("方正小标宋简体", "宋体"),
        ("黑体", "SimHei"),
        ("楷体_GB2312", "楷体"),
    ):
        assert f'w:name="{name}"' in table and f'w:altName w:val="{fallback}"' in table
        assert f'w:eastAsia="{name}"' in body
    # headings: 一、 黑体, （一） 楷体, 1. and （1） 仿宋
    texts = {
        p.text: p.runs[0].font.name for p in Document(io.BytesIO(files[0])).paragraphs if p.runs
    }
    assert texts["一、总体情况"] == "黑体"
    assert texts["（一）工作安排按照要求推进。"] == "楷体_GB2312"
    assert texts["1.建立台账"] == "仿宋_GB2312"
    assert texts["（1）明确时限"] == "仿宋_GB2312"


def test_docx_header_elements_and_imprint(files):
    document = Document(io.BytesIO(files[0]))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["000123", "秘密★1年", "特急", "市人大常委会办公室文件"]
    number = next(p for p in document.paragraphs if p.text == "常办发〔2026〕12号")
    border = number._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"
    mark = document.paragraphs[3].runs[0]
    assert str(mark.font.color.rgb) == geometry.RED and mark.font.name == "方正小标宋简体"
    assert "各工作委员会、办公室各处室：" in texts
    assert "附件：市人大常委会机关公文处理办法" in texts
    assert "2026年12月1日" in texts and "（此件公开发布）" in texts
    imprint = document.tables[-1]
    assert imprint._tbl.tblPr.find(qn("w:tblpPr")).get(qn("w:tblpYSpec")) == "bottom"
    assert imprint.rows[0].cells[0].text == "抄送：市委办公室，市政府办公室。"
    assert imprint.rows[1].cells[0].text == "市人大常委会办公室\t2026年12月2日印发"


def test_docx_table_widths_fit_content(files):
    table = Document(io.BytesIO(files[0])).tables[0]
    widths = [int(col.get(qn("w:w"))) / 20 for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) - geometry.TEXT_WIDTH_PT) < 1
    serial, matter, unit, deadline, status = widths
    assert matter > 3 * max(serial, unit, status)
    # a whole date and a whole 办理中 fit their columns: nothing splits “2026-11- / 30”
    assert deadline >= 5 * 12 + 10.8 and status >= 3 * 12 + 10.8
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_pdf_measures_22_lines_of_28_characters(files):
    figures = check_pdf(files[1])
    # pages 2 to 4 hold body text only: each is full
    assert figures.lines_per_page[1:4] == [22, 22, 22], figures.lines_per_page
    full_lines = {n: c for n, c in figures.chars_per_line.items() if n >= 20}
    assert max(full_lines) == 28 and full_lines[28] >= 30, figures.chars_per_line
    assert figures.margins_mm["left"] == 28.0
    assert 26.0 <= figures.margins_mm["right"] <= 26.1
    assert figures.margins_mm["top"] == 37.0
    assert figures.margins_mm["bottom"] >= 35.0
    assert figures.title_lines[:2] == [
        "关于印发《市人大常委会机关公文处理",
        "办法（试行）》和有关工作规则的通知",
    ]
    assert figures.page_numbers[:2] == [(1, "— 1 —", "right"), (2, "— 2 —", "left")]
    assert {"GB-Fang", "GB-XBS", "GB-Hei", "GB-Kai", "GB-Song"} <= figures.fonts
    assert figures.metadata["Author"] == "市人大常委会办公室"
    assert figures.metadata["Title"].startswith("关于印发")
    assert figures.metadata["CreationDate"].startswith("D:20261201")


def test_pdf_embeds_its_fonts_and_puts_the_imprint_at_the_foot(files):
    with pdfplumber.open(io.BytesIO(files[1])) as pdf:
        last = pdf.pages[-1]
        imprint = [
            c for c in last.chars if abs(c["size"] - geometry.SIZE_4) < 0.01 and c["top"] < 740
        ]
        text = "".join(c["text"] for c in imprint)
        assert "抄送：市委办公室，市政府办公室。" in text and "2026年12月2日印发" in text
        # the imprint's last line sits on the foot of the text block
        text_bottom = last.height - geometry.mm_to_pt(geometry.MARGIN_BOTTOM_MM)
        assert text_bottom - max(c["bottom"] for c in imprint) < geometry.LINE_PITCH_PT
    figures = check_pdf(files[1])
    assert {"GB-Fang", "GB-XBS", "GB-Hei", "GB-Kai", "GB-Song"} <= figures.embedded


def test_pdf_refuses_every_address_but_the_fonts():
    document = notice(body=[Paragraph('<img src="http://example.invalid/x.png">')])
    html = document_html(document)
    assert "<img" not in html and "&lt;img" in html


def test_missing_fonts_are_a_clear_configuration_error(settings, tmp_path):
    settings.DOCUMENTS_FONT_DIR = str(tmp_path)
    with pytest.raises(ImproperlyConfigured, match="找不到公文字体文件"):
        render_pdf(notice())


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于2026年党组交办事项清单办理情况的督办通报", 2),
        ("关于2026年巡察反馈问题整改清单办理情况的督办通报", 2),
        ("2026年11月机关考勤情况通报", 1),
        ("关于进一步加强和改进市人大常委会机关公文处理工作提高文稿质量和效率的实施意见", 2),
        (
            "关于进一步加强和改进市人大常委会机关公文处理工作切实提高文稿质量和办文效率推动机关高质量发展的实施意见",
            3,
        ),
    ],
)
def test_titles_break_between_words(title, lines):
    broken = break_title(title)
    assert len(broken) == lines and "".join(broken) == title
    assert all(len(line) <= geometry.TITLE_CHARS_PER_LINE for line in broken)
    assert_breaks_between_words(list(broken))


def test_a_title_line_never_starts_with_closing_punctuation():
    for line in break_title(
        "关于转发《中华人民共和国立法法》学习宣传工作方案和有关材料（第二批）的通知"
    )[1:]:
        assert line[0] not in "，。、；：）》”"


def test_signature_and_date_places():
    # 右空二字; the date's first character two to the right of the signature's
    assert signature_places("市人大常委会办公室", "2026年12月1日") == (2.0, 2.5)
    # a date longer than the signature: the date goes 右空二字, the signature moves left
    assert signature_places("办公室", "2026年12月31日") == (8.0, 2.0)
    assert chinese_date(datetime.date(2026, 1, 5)) == "2026年1月5日"


def test_fit_columns_keeps_short_columns_whole():
    widths = fit_columns(
        ["序号", "事项", "状态"],
        [["1", "很长的事项名称" * 6, "办理中"]],
        width_pt=400,
        size_pt=12,
        padding_pt=10,
    )
    assert round(sum(widths)) == 400
    assert widths[2] >= 3 * 12 + 10 and widths[1] > widths[0] + widths[2]


def test_letter_and_minutes_formats():
    letter = notice(format=DocumentFormat.LETTER, issuer_mark="市人大常委会办公室")
    data = render_docx(letter)
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == "市人大常委会办公室"
    assert section.first_page_footer.paragraphs[0].text == ""  # no number on a letter's first page
    pdf = check_pdf(render_pdf(letter), first_page_on_grid=False)
    assert pdf.page_numbers[0] == (2, "— 2 —", "left")  # none on the first page

    minutes = notice(
        format=DocumentFormat.MINUTES,
        issuer_mark="主任会议纪要",
        minutes_number="第5期",
        seal=False,
        minutes_lines=[MinutesLine("出席", "赵主任、钱主任"), MinutesLine("请假", "李主任")],
    )
    texts = [p.text for p in Document(io.BytesIO(render_docx(minutes))).paragraphs]
    assert "主任会议纪要" in texts and "第5期" in texts
    assert "出席：赵主任、钱主任" in texts and "请假：李主任" in texts


def _imprint_doc(paragraphs: int, **changes) -> OfficialDocument:
    values = dict(
        title="关于做好年度工作总结的通知",
        issuer_mark="市人大常委会办公室文件",
        number="常办发〔2026〕20号",
        recipients="各工作委员会",
        body=[Paragraph(SENTENCE * 2) for _ in range(paragraphs)],
        signature="市人大常委会办公室",
        date=datetime.date(2026, 12, 1),
        seal=True,
        copy_to="市委办公室",
        printer="市人大常委会办公室",
        print_date=datetime.date(2026, 12, 2),
        author="市人大常委会办公室",
        created=CREATED,
    )
    values.update(changes)
    return OfficialDocument(**values)


def _pdf_pages(data: bytes) -> list[tuple[str, str]]:
    """(body text, page number text) of each page."""
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            bottom = page.height - geometry.mm_to_pt(geometry.MARGIN_BOTTOM_MM)
            body = "".join(c["text"] for c in page.chars if c["bottom"] <= bottom)
            foot = "".join(c["text"] for c in page.chars if c["top"] > bottom)
            pages.append((body, foot))
    return pages


def test_a_one_page_document_puts_its_imprint_on_an_even_page_without_a_number():
    doc = _imprint_doc(0)
    pages = _pdf_pages(render_pdf(doc))
    assert len(pages) == 2
    assert "抄送：市委办公室。" not in pages[0][0] and pages[0][1] == "— 1 —"
    # Page 2 holds the 版记 alone, at the foot, and carries no page number (7.5).
    assert pages[1][0].startswith("抄送：市委办公室。") and "2026年12月2日印发" in pages[1][0]
    assert pages[1][1] == ""
    document = Document(io.BytesIO(render_docx(doc)))
    assert len(document.sections) == 2
    last = document.sections[-1]
    assert str(last.start_type) == "NEW_PAGE (2)"
    for footer in (last.footer, last.even_page_footer):
        assert not footer.is_linked_to_previous and footer.paragraphs[0].text == ""
    body = document.element.body
    # The imprint table is in the last section: after the paragraph that ends the first.
    ends_first = [p for p in body.iterchildren(qn("w:p")) if p.find(qn("w:pPr")) is not None]
    ends_first = [p for p in ends_first if p.pPr.find(qn("w:sectPr")) is not None]
    assert len(ends_first) == 1
    assert list(body).index(document.tables[-1]._tbl) > list(body).index(ends_first[0])
    check_docx(render_docx(doc))


def test_a_document_ending_on_an_even_page_keeps_its_imprint_there():
    doc = _imprint_doc(2)
    pages = _pdf_pages(render_pdf(doc))
    assert len(pages) == 2
    assert "抄送：市委办公室。" in pages[1][0] and pages[1][1] == "— 2 —"
    assert len(Document(io.BytesIO(render_docx(doc))).sections) == 1
    # Without a 版记 the page count is left alone.
    assert len(_pdf_pages(render_pdf(_imprint_doc(0, copy_to="", printer="")))) == 1


def test_the_signature_and_date_never_stand_alone_on_a_page():
    """One paragraph too many for page 1: its last lines go over with the seal, the signature and
    the date (7.3.5), instead of the closing block standing alone on page 2."""
    doc = _imprint_doc(1, copy_to="", printer="")
    pages = _pdf_pages(render_pdf(doc))
    assert len(pages) == 2
    before_seal = pages[1][0].split("（印章）")[0]
    assert len(before_seal) >= 28 and SENTENCE.endswith(before_seal[-10:])
    assert pages[1][0].endswith("（印章）市人大常委会办公室2026年12月1日")
    document = Document(io.BytesIO(render_docx(doc)))
    paragraphs = document.paragraphs
    seal = next(n for n, p in enumerate(paragraphs) if p.text == "（印章）")
    date = next(n for n, p in enumerate(paragraphs) if p.text == "2026年12月1日")
    last_body = max(n for n, p in enumerate(paragraphs[:seal]) if p.text.strip())
    assert paragraphs[last_body].text == SENTENCE * 2
    assert all(p.paragraph_format.keep_with_next for p in paragraphs[last_body:date])


def test_the_seal_signature_and_date_places():
    """With a seal: the date 右空四字 and the signature centred over it, the seal's place above;
    without one: the signature 右空二字 and the date's first character two further right."""
    from apps.documents.layout.text import closing_lines, text_width

    sealed = [line for line in closing_lines(_imprint_doc(0)) if line.text]
    seal, signature, date = sealed
    assert (seal.text, seal.red, date.text, date.right) == ("（印章）", True, "2026年12月1日", 4)
    centre = date.right + text_width(date.text) / 2
    assert signature.right + text_width(signature.text) / 2 == centre == seal.right + 2
    plain = [line for line in closing_lines(_imprint_doc(0, seal=False)) if line.text]
    signature, date = plain
    assert signature.right == 2
    first_of_signature = signature.right + text_width(signature.text)
    assert date.right + text_width(date.text) == first_of_signature - 2
