"""The holidays the law itself fixes, for a year whose State Council arrangement is not known yet.

《全国年节及纪念日放假办法》 names the festivals and their length; the State Council's annual notice
(国务院办公厅关于某年部分节假日安排的通知) only adds the bridging days and the make-up workdays (调休)
around them. So a year without a notice can still be computed, provisionally (预估): the statutory
holidays rest, weekends rest, and no make-up workday is guessed.

Revisions of the law, by the first year they governed:
- 2000 (1999 revision): 春节 初一 to 初三, 劳动节 5月1日–3日, 国庆节 10月1日–3日; no traditional festivals.
- 2008 (2007 revision): 春节 除夕 to 初二, 劳动节 one day; 清明节, 端午节 and 中秋节 added.
- 2014 (2013 revision): 春节 初一 to 初三 again.
- 2025 (2024 revision): 春节 除夕 to 初三 (four days), 劳动节 5月1日–2日.

Lunar dates and the 清明 solar term come from `lunar-python`, a maintained calendar library, never
from a table typed by hand.
"""

from __future__ import annotations

import datetime
from functools import cache

SPRING_FESTIVAL = "春节"
NEW_YEAR = "元旦"
TOMB_SWEEPING = "清明节"
LABOUR_DAY = "劳动节"
DRAGON_BOAT = "端午节"
MID_AUTUMN = "中秋节"
NATIONAL_DAY = "国庆节"


def _lunar_to_solar(lunar_year: int, month: int, day: int) -> datetime.date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> datetime.date:
    """The day of the 清明 solar term in `year` (about 4–6 April)."""
    from lunar_python import Lunar

    # The lunar year that starts in `year` holds the spring solar terms of `year`.
    term = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    return datetime.date(term.getYear(), term.getMonth(), term.getDay())


def _days(first: datetime.date, count: int) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range(count)]


@cache
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The days the law makes holidays in `year`, by festival name, weekends included.

    The 春节 of lunar year Y can start on 除夕 in the last days of solar January; it always lies in
    solar year Y, so only the year's own lunar new year is needed.
    """
    new_year = _lunar_to_solar(year, 1, 1)
    if year >= 2025:
        spring = _days(new_year - datetime.timedelta(days=1), 4)
        labour = 2
    elif year >= 2014:
        spring, labour = _days(new_year, 3), 1
    elif year >= 2008:
        spring, labour = _days(new_year - datetime.timedelta(days=1), 3), 1
    else:
        spring, labour = _days(new_year, 3), 3
    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): NEW_YEAR}
    days.update(dict.fromkeys(spring, SPRING_FESTIVAL))
    days.update(dict.fromkeys(_days(datetime.date(year, 5, 1), labour), LABOUR_DAY))
    days.update(dict.fromkeys(_days(datetime.date(year, 10, 1), 3), NATIONAL_DAY))
    if year >= 2008:
        days[_qingming(year)] = TOMB_SWEEPING
        days[_lunar_to_solar(year, 5, 5)] = DRAGON_BOAT
        # 中秋 can fall on 1–3 October; the day then counts for both (the notice merges them).
        days.setdefault(_lunar_to_solar(year, 8, 15), MID_AUTUMN)
    return {day: name for day, name in sorted(days.items()) if day.year == year}
