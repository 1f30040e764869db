"""The measures of GB/T 9704-2012 (党政机关公文格式), in one place for both renderers.

The standard fixes the page (A4), the margins, the body type (3号仿宋) and the grid: 22 lines a
page, 28 characters a line. The grid's pitches are derived here from the text block, so that a
renderer never carries a number of its own.
"""

from __future__ import annotations

MM_PER_PT = 25.4 / 72

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 37.0  # 天头
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0  # 订口
MARGIN_RIGHT_MM = 26.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156 mm
TEXT_HEIGHT_MM = PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# 字号 in points.
SIZE_1 = 26.0  # 一号
SIZE_2 = 22.0  # 二号: the title
SIZE_3 = 16.0  # 三号: the body
SIZE_4 = 14.0  # 四号: page numbers, 版记
SIZE_SMALL_4 = 12.0  # 小四: tables
SIZE_5 = 10.5  # 五号: wide tables


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


TEXT_WIDTH_PT = mm_to_pt(TEXT_WIDTH_MM)  # 442.2 pt
TEXT_HEIGHT_PT = mm_to_pt(TEXT_HEIGHT_MM)  # 637.8 pt

# Word's document grid counts in twentieths of a point (line pitch) and in 4096ths of a point added
# to the body size (character pitch). Both are rounded down, so that 22 lines and 28 characters
# always fit and a 23rd or 29th never does.
LINE_PITCH_TWIPS = int(TEXT_HEIGHT_PT / LINES_PER_PAGE * 20)  # 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20  # 28.95 pt
CHAR_SPACE = int((TEXT_WIDTH_PT / CHARS_PER_LINE - SIZE_3) * 4096) - 1  # -849
CHAR_PITCH_PT = SIZE_3 + CHAR_SPACE / 4096  # 15.79 pt
# WeasyPrint has no grid: the same pitch is letter-spacing, a hair tighter than Word's so that
# floating-point sums never push the 28th character of a line to the next one.
PDF_LETTER_SPACING_PT = round(CHAR_PITCH_PT - SIZE_3 - 0.01, 3)

# 发文机关标志: its top edge 35 mm below the top of the text block (文件格式), red, 小标宋.
MARK_OFFSET_MM = 35.0
MARK_MAX_CHAR_MM = 15.0  # a character of the mark is at most 15 mm wide
LETTER_MARK_TOP_MM = 30.0  # 信函格式: the mark's top edge 30 mm below the paper's top edge
SEPARATOR_GAP_MM = 4.0  # the red line 4 mm below 发文字号
# Page numbers: 4号 半角 digits between one-em dashes, the dashes 7 mm below the text block.
PAGE_NUMBER_GAP_MM = 7.0

RED = "FF0000"
TITLE_CHARS_PER_LINE = int(TEXT_WIDTH_PT // SIZE_2)  # 20 characters of 2号 on a line
