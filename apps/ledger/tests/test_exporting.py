import datetime
import io

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from apps.core import downloads
from apps.documents.layout import render_docx, render_pdf
from apps.documents.tests.gbt9704 import check_docx, check_pdf
from apps.ledger import exporting, services
from apps.ledger.choices import Status
from apps.ledger.deadlines import DeadlineSpec
from apps.ledger.selectors import LedgerFilters, ledger_items

# The fixtures below are dated around 2026-11: the clock is set to match.
pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-28")]

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture
def ledger(personas, make_item):
    """Four items of the list: overdue (red), due soon (yellow), normal (green), closed."""
    overdue = make_item(
        title="逾期事项",
        serial="1",
        deadline=DeadlineSpec(date=datetime.date(2026, 11, 20)),
        milestones=[],
    )
    soon = make_item(
        title="临期事项",
        serial="2",
        deadline=DeadlineSpec(date=datetime.date(2026, 11, 30)),
        milestones=[],
    )
    normal = make_item(
        title="正常事项",
        serial="10",
        lead_unit=personas.finance,
        responsible_person=personas.wu.person,
        milestones=[],
    )
    closed = make_item(title="已销号事项", serial="3", milestones=[])
    for item in (overdue, soon, normal, closed):
        services.item_assign(actor=personas.sun, item=item)
    closed = services.item_acknowledge(actor=personas.zhou, item=closed)
    closed = services.item_report_completion(actor=personas.zhou, item=closed, text="完成")
    closed = services.item_verify(actor=personas.sun, item=closed)
    services.item_close(actor=personas.sun, item=closed, evidence="材料齐全")
    return {"overdue": overdue, "soon": soon, "normal": normal, "closed": closed}  # fmt: skip


def export(user, query=None) -> openpyxl.Workbook:
    items = ledger_items(user, LedgerFilters.from_query(query or {}), TODAY)
    buffer = io.BytesIO()
    count = exporting.write_ledger_xlsx(
        items, buffer, title="督办台账", subtitle="全部", chunk_size=2
    )
    buffer.seek(0)
    workbook = openpyxl.load_workbook(buffer)
    workbook.exported_rows = count
    return workbook


def test_the_xlsx_reads_back_with_headers_dates_and_warning_colours(personas, ledger):
    workbook = export(personas.sun)
    sheet = workbook["督办台账"]
    assert sheet["A1"].value == "督办台账"
    assert sheet.freeze_panes == "A4"
    headers = [cell.value for cell in sheet[3]]
    assert headers == [column.header for column in exporting.EXPORT_COLUMNS]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == workbook.exported_rows == 4
    by_title = {row[headers.index("事项名称")]: row for row in rows}
    overdue = by_title["逾期事项"]
    assert overdue[headers.index("办结时限")] == datetime.datetime(2026, 11, 20)  # a real date
    assert overdue[headers.index("预警")] == "逾期"
    assert overdue[headers.index("状态")] == "已交办"
    assert overdue[headers.index("牵头单位")] == "法制工作委员会"
    assert by_title["临期事项"][headers.index("预警")] == "临期"
    assert by_title["已销号事项"][headers.index("状态")] == "已销号"
    warning_column = headers.index("预警") + 1
    fills = {
        sheet.cell(row=n, column=warning_column).value: sheet.cell(row=n, column=warning_column).fill.fgColor.rgb
        for n in range(4, 8)
    }  # fmt: skip
    assert fills["逾期"].endswith("FFC7CE")
    assert fills["临期"].endswith("FFEB9C")
    assert fills["正常"].endswith("C6EFCE")
    assert sheet.cell(row=4, column=headers.index("办结时限") + 1).number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["D"].width == 36


def test_the_export_keeps_to_the_users_scope_and_filters(personas, ledger):
    assert export(personas.wu).exported_rows == 1  # only 财经委's item
    assert export(personas.zhou).exported_rows == 3
    assert export(personas.sun, {"warning": "red"}).exported_rows == 1


def test_the_filters_in_words(personas, checklist):
    filters = LedgerFilters.from_query(
        {"checklist": str(checklist.pk), "status": "assigned", "overdue": "1"}
    )
    assert (
        exporting.describe_filters(filters) == f"清单：{checklist.name}；状态：已交办；仅超期未办结"
    )
    assert exporting.describe_filters(LedgerFilters()) == "全部（本人权限范围内）"


def test_the_file_name_header_follows_rfc_5987():
    header = downloads.disposition("督办台账_20261128.xlsx")
    assert (
        header == "attachment; filename*=utf-8''%E7%9D%A3%E5%8A%9E%E5%8F%B0%E8%B4%A6_20261128.xlsx"
    )


def notice_document(personas, checklist):
    items = list(ledger_items(personas.sun, LedgerFilters(checklist=checklist.pk), TODAY))
    return exporting.supervision_notice(checklist, items, today=TODAY)


def notice(personas, checklist):
    items = list(ledger_items(personas.sun, LedgerFilters(checklist=checklist.pk), TODAY))
    content = exporting.build_notice_docx(checklist, items, today=TODAY)
    return docx.Document(io.BytesIO(content))


def test_the_notice_reads_back(personas, checklist, ledger):
    document = notice(personas, checklist)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "人大常委会办公室文件"
    title = next(p for p in document.paragraphs if p.runs and p.runs[0].font.size.pt == 22)
    assert title.text.replace("\n", "") == f"关于{checklist.name}办理情况的督办通报"
    assert "各工作委员会，办公室各处室：" in paragraphs
    overview = next(p for p in paragraphs if p.startswith("截至"))
    assert overview == (
        f"截至2026年11月28日，{checklist.name}共有事项4项，其中已销号1项，办理中3项；"
        "超期未办结1项；已销号事项中按期办结1项，按期办结率100%。"
    )
    table = document.tables[0]
    assert len(table.rows) == 1 + 4
    assert [cell.text for cell in table.rows[0].cells] == [
        "序号",
        "事项",
        "牵头单位",
        "责任人",
        "办结时限",
        "状态",
        "预警",
    ]
    assert [row.cells[0].text for row in table.rows[1:]] == ["1", "2", "3", "10"]  # natural order
    first = table.rows[1].cells
    assert [c.text for c in first] == [
        "1",
        "逾期事项",
        "法工委",
        "周科员",
        "2026-11-20",
        "已交办",
        "逾期",
    ]
    assert (
        "（一）1 逾期事项。牵头单位：法制工作委员会；责任人：周科员；办结时限：2026年11月20日；已逾期8天"
        in "\n".join(paragraphs)
    )
    assert "特此通报。" in paragraphs
    assert paragraphs[-3:-1] == ["人大常委会办公室", "2026年11月28日"]
    imprint = document.tables[-1]
    assert imprint.rows[1].cells[0].text == "人大常委会办公室\t2026年11月28日印发"


def test_the_notice_passes_the_gbt_9704_checks_as_docx_and_pdf(personas, checklist, ledger):
    document = notice_document(personas, checklist)
    figures = check_docx(render_docx(document))
    assert (figures.lines_per_page, figures.chars_per_line) == (22, 28)
    # the old notice broke its title inside a word: now between words
    assert "".join(figures.title_lines) == f"关于{checklist.name}办理情况的督办通报"
    pdf = check_pdf(render_pdf(document))
    assert pdf.lines_per_page[0] <= 22 and pdf.page_numbers[0] == (1, "— 1 —", "right")
    assert pdf.metadata["Author"] == "人大常委会办公室"


def test_the_notice_table_fits_its_columns_to_the_content(personas, checklist, ledger):
    table = notice(personas, checklist).tables[0]
    widths = [int(c.get(qn("w:w"))) / 20 for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    deadline, matter = widths[4], widths[1]
    # a whole date on one line (12pt: 5 ems and the cell padding), the title the widest column
    assert deadline >= 5 * 12 + 10.8
    assert matter == max(widths)
    # the red warning cell is shaded
    assert 'w:fill="FFC7CE"' in table.rows[1].cells[6]._tc.xml


def test_the_notice_sets_east_asian_fonts(personas, checklist, ledger):
    document = notice(personas, checklist)
    title = next(p for p in document.paragraphs if p.runs and p.runs[0].font.size.pt == 22)
    title_fonts = title.runs[0]._element.rPr.rFonts
    assert title_fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title_fonts.get(qn("w:ascii")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("截至")).runs[-1]
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.font.size.pt == 16
    # The fallbacks Word uses when the official fonts are not installed.
    font_table = document.part.part_related_by(
        docx.opc.constants.RELATIONSHIP_TYPE.FONT_TABLE
    ).blob.decode()
    assert 'w:name="方正小标宋简体"' in font_table and 'w:altName w:val="宋体"' in font_table
    assert 'w:name="仿宋_GB2312"' in font_table and 'w:altName w:val="仿宋"' in font_table


def test_the_notice_of_a_list_without_closed_or_overdue_items(personas, checklist, make_item):
    make_item(title="草稿事项")
    paragraphs = [p.text for p in notice(personas, checklist).paragraphs]
    overview = next(p for p in paragraphs if p.startswith("截至"))
    assert (
        "共有事项1项，其中已销号0项，办理中0项，尚未交办1项；超期未办结0项，暂无已销号事项。"
        in overview
    )
    assert "截至目前，本清单无超期未办结事项。" in paragraphs


def test_figures_leave_cancelled_items_out(personas, checklist, make_item):
    item = make_item()
    services.item_cancel(actor=personas.sun, item=item, reason="不再需要")
    items = list(ledger_items(personas.sun, LedgerFilters(checklist=checklist.pk), TODAY))
    figures = exporting.notice_figures(items, TODAY)
    assert (figures.total, figures.cancelled, figures.on_time_rate) == (0, 1, None)
    assert items[0].status == Status.CANCELLED


def test_chinese_dates_have_no_leading_zeros():
    assert exporting.chinese_date(datetime.date(2026, 3, 5)) == "2026年3月5日"


def test_text_that_looks_like_a_formula_stays_text(personas, make_item, checklist):
    """The probe: a 清单 named =HYPERLINK(...) and a person named =1+2 were live formulas."""
    checklist.name = '=HYPERLINK("http://evil.example/","x")'
    checklist.save(update_fields=["name"])
    personas.zhou.person.name = "=1+2"
    personas.zhou.person.save(update_fields=["name"])
    make_item(title="@SUM(1)", content="-2+3", category="\t=1", milestones=[])
    sheet = export(personas.sun)["督办台账"]
    row = {sheet.cell(row=3, column=c).value: sheet.cell(row=4, column=c) for c in range(1, 22)}
    for header in ("所属清单", "事项名称", "具体内容", "类别", "责任人"):
        cell = row[header]
        assert cell.data_type == "s", header
        assert cell.value.startswith("'"), (header, cell.value)
    assert row["所属清单"].value == '\'=HYPERLINK("http://evil.example/","x")'
    assert row["责任人"].value == "'=1+2"
