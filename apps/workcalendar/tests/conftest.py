import pytest

from apps.workcalendar.models import CalendarYear
from apps.workcalendar.services import clear_cache

ARRANGEMENT_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用虚构数据）
2027-01-01 元旦
2027-02-06 至 2027-02-14 春节
2027-02-20 春节 调休上班
2027-10-01 至 2027-10-07 国庆节
2027-10-09 国庆节 调休上班
"""


@pytest.fixture
def no_2027(db):
    """2027 is not in the chinesecalendar package the project pins; make sure of it anyway."""
    CalendarYear.objects.filter(year=2027).delete()
    clear_cache()
