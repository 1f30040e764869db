"""Reading the State Council's notice as published, and the statutory holidays of a provisional year."""

import datetime
from collections import defaultdict

import chinese_calendar
import pytest

from apps.workcalendar.notice import WEEKDAYS, parse_notice
from apps.workcalendar.services import _zh
from apps.workcalendar.statutory import statutory_holidays

D = datetime.date
PACKAGE_YEARS = range(2010, 2027)
ORDINALS = "一二三四五六七八九十"

NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
国务院办公厅
2025年11月4日
"""


def _md(day: datetime.date, year: int) -> str:
    prefix = f"{day.year}年" if day.year != year else ""
    return f"{prefix}{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def _runs(days: list[datetime.date]) -> list[list[datetime.date]]:
    runs: list[list[datetime.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == datetime.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def notice_from_package(year: int) -> str:
    """The year's arrangement in `chinesecalendar` written as the State Council writes it."""
    festivals: dict[str, dict[str, list[datetime.date]]] = defaultdict(
        lambda: {"holidays": [], "workdays": []}
    )
    order: list[str] = []
    for kind, source in (
        ("holidays", chinese_calendar.holidays),
        ("workdays", chinese_calendar.workdays),
    ):
        for day, name in sorted(source.items()):
            if day.year != year:
                continue
            zh = _zh(str(name))
            if zh not in festivals:
                order.append(zh)
            festivals[zh][kind].append(day)
    order.sort(key=lambda zh: min(festivals[zh]["holidays"] or festivals[zh]["workdays"]))
    lines = [f"国务院办公厅关于{year}年部分节假日安排的通知", f"国办发明电〔{year - 1}〕1号", ""]
    for number, zh in enumerate(order):
        ranges = []
        for run in _runs(festivals[zh]["holidays"]):
            first, last = run[0], run[-1]
            if first == last:
                ranges.append(_md(first, year))
            elif (first.year, first.month) == (last.year, last.month):
                ranges.append(f"{_md(first, year)}至{last.day}日（周{WEEKDAYS[last.weekday()]}）")
            else:
                ranges.append(f"{_md(first, year)}至{_md(last, year)}")
        text = f"{ORDINALS[number] if number < 10 else '十' + ORDINALS[number - 10]}、{zh}："
        holidays = festivals[zh]["holidays"]
        if holidays:
            text += f"{'、'.join(ranges)}放假调休，共{len(holidays)}天。"
        if festivals[zh]["workdays"]:
            text += "、".join(_md(day, year) for day in festivals[zh]["workdays"]) + "上班。"
        lines.append(text)
    lines += ["", "国务院办公厅", f"{year - 1}年11月1日"]
    return "\n".join(lines)


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_the_package_years_written_as_notices_read_back_exactly(year):
    parsed = parse_notice(notice_from_package(year))
    assert parsed.errors == []
    assert parsed.year == year
    assert {day for day, _ in parsed.days("holiday")} == {
        day for day in chinese_calendar.holidays if day.year == year
    }
    assert {day for day, _ in parsed.days("workday")} == {
        day for day in chinese_calendar.workdays if day.year == year
    }
    assert [line for line, _ in parsed.unread] == [len(parsed.items) + 6]  # the date of issue


def test_the_2026_notice_as_published():
    parsed = parse_notice(NOTICE_2026)
    assert parsed.errors == []
    assert parsed.year == 2026
    assert (
        parsed.notice_reference
        == "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
    )
    assert [(item.name, len(item.holidays), item.total) for item in parsed.items] == [
        ("元旦", 3, 3),
        ("春节", 9, 9),
        ("清明节", 3, 3),
        ("劳动节", 5, 5),
        ("端午节", 3, 3),
        ("中秋节", 3, 3),
        ("国庆节", 7, 7),
    ]
    assert parsed.days("workday") == [
        (D(2026, 1, 4), "元旦"),
        (D(2026, 2, 14), "春节"),
        (D(2026, 2, 28), "春节"),
        (D(2026, 5, 9), "劳动节"),
        (D(2026, 9, 20), "国庆节"),
        (D(2026, 10, 10), "国庆节"),
    ]
    assert parsed.unread == [(15, "2025年11月4日")]


def test_half_width_punctuation_extra_spaces_and_full_width_digits():
    text = (
        NOTICE_2026.replace("（", "(")
        .replace("）", ")")
        .replace("：", ": ")
        .replace("，", ", ")
        .replace("2月15日", "２月 15 日")
        .replace("。", ". ")
    )
    parsed = parse_notice(text)
    assert parsed.errors == []
    assert parsed.days("holiday") == parse_notice(NOTICE_2026).days("holiday")
    assert parsed.days("workday") == parse_notice(NOTICE_2026).days("workday")


def test_an_item_wrapped_over_two_lines_and_a_missing_weekday_are_read():
    text = NOTICE_2026.replace("共9天。2月14日", "共9天。\n2月14日").replace(
        "（周六）至3日", "至3日"
    )
    parsed = parse_notice(text)
    assert parsed.errors == []
    assert (D(2026, 2, 28), "春节") in parsed.days("workday")
    assert len(parsed.items[0].holidays) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("1月4日（周日）上班", "1月4日（周一）上班"),
            "第6行（元旦）：1月4日标注为“周一”，但2026年01月04日实际是周日",
        ),
        (("共5天", "共6天"), "第9行（劳动节）：通知写明放假共6天，但列出的放假日期共5天"),
        (
            ("6月19日（周五）至21日", "6月31日（周五）至21日"),
            "第10行（端午节）：2026年6月31日不存在",
        ),
        (
            ("9月25日（周五）至27日（周日）", "9月27日（周日）至25日（周五）"),
            "结束日期早于开始日期",
        ),
        (
            ("9月20日（周日）、10月10日", "10月3日（周六）、10月10日"),
            "10月03日既列为放假（第12行（国庆节））又列为上班",
        ),
    ],
)
def test_mistakes_are_reported_with_their_line(change, message):
    parsed = parse_notice(NOTICE_2026.replace(*change))
    assert any(message in error for error in parsed.errors), parsed.errors


def test_no_year_and_no_items_are_reported():
    parsed = parse_notice("一、元旦：1月1日放假。")
    assert "未能从通知标题中识别年份" in parsed.errors[0]
    assert parse_notice("一、元旦：1月1日放假。", year=2027).days("holiday") == [
        (D(2027, 1, 1), "元旦")
    ]
    parsed = parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n今年放假另行通知。")
    assert "未在文中找到放假安排" in parsed.errors[0]
    assert "不一致" in parse_notice(NOTICE_2026, year=2027).errors[0]


def test_a_bridging_day_in_the_year_before_keeps_its_year():
    parsed = parse_notice(
        "国务院办公厅关于2012年部分节假日安排的通知\n"
        "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。"
    )
    assert parsed.errors == []
    assert parsed.days("workday") == [(D(2011, 12, 31), "元旦")]
    assert [day for day, _ in parsed.days("holiday")] == [
        D(2012, 1, 1),
        D(2012, 1, 2),
        D(2012, 1, 3),
    ]


# --- the statutory holidays of a provisional year -------------------------------------------------


@pytest.mark.parametrize("year", PACKAGE_YEARS)
def test_every_statutory_holiday_is_a_holiday_in_the_official_data(year):
    for day, name in statutory_holidays(year).items():
        assert not chinese_calendar.is_workday(day), (day, name)
        if day in chinese_calendar.holidays:
            official = _zh(str(chinese_calendar.holidays[day]))
            # 2020 and 2023 merged 中秋 into 国庆; 2015 added a commemoration day next to 中秋.
            assert official == name or {official, name} <= {"中秋节", "国庆节"}, (
                day,
                official,
                name,
            )


def test_the_2024_revision_governs_from_2025():
    spring_2025 = [day for day, name in statutory_holidays(2025).items() if name == "春节"]
    assert spring_2025 == [
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
    ]  # 除夕 to 初三
    assert [d for d, n in statutory_holidays(2025).items() if n == "劳动节"] == [
        D(2025, 5, 1),
        D(2025, 5, 2),
    ]
    assert [d for d, n in statutory_holidays(2024).items() if n == "劳动节"] == [D(2024, 5, 1)]
    holidays_2027 = statutory_holidays(2027)
    assert holidays_2027[D(2027, 2, 5)] == "春节"  # 除夕
    assert holidays_2027[D(2027, 4, 5)] == "清明节"
    assert holidays_2027[D(2027, 6, 9)] == "端午节"
    assert holidays_2027[D(2027, 9, 15)] == "中秋节"
    assert len(holidays_2027) == 13
