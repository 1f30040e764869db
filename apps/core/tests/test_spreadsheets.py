"""Every text cell written through apps.core.spreadsheets stays text (OWASP formula injection)."""

import io

import openpyxl
import pytest
from openpyxl import Workbook

from apps.core import downloads, spreadsheets


@pytest.mark.parametrize(
    "text", ["=1+2", "+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", '=HYPERLINK("http://x/","y")']
)
def test_formula_like_text_is_written_as_text(text):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表")
    sheet.append(spreadsheets.row(sheet, [text, "正常文字", 3]))
    sheet.append([spreadsheets.cell(sheet, text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["表"]
    for cell in (read["A1"], read["A2"]):
        assert cell.data_type == "s"
        assert cell.value == "'" + text
    assert read["B1"].value == "正常文字"
    assert read["C1"].value == 3


def test_characters_a_worksheet_cannot_hold_are_dropped():
    assert spreadsheets.safe_text("a\x00b\x07c") == "abc"
    assert spreadsheets.safe_value(5) == 5
    assert spreadsheets.safe_text(spreadsheets.safe_text("=1")) == "'=1"


def test_download_names_are_cleaned_and_encoded():
    assert downloads.disposition("a\x00b/c.docx") == 'attachment; filename="a_b_c.docx"'
    assert downloads.disposition("feed.ics", inline=True) == 'inline; filename="feed.ics"'
    response = downloads.file_download(b"x", "督办台账.xlsx", downloads.XLSX)
    assert response["Content-Type"] == downloads.XLSX
    assert "filename*=utf-8''" in response["Content-Disposition"]
