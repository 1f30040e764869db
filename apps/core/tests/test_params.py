"""The shared parameter parser answers a bounded value or nothing, whatever it is sent."""

import datetime

import pytest
from django.http import QueryDict

from apps.core import params
from apps.core.params import BoundedDateField, Params


@pytest.mark.parametrize(
    "value", ["²", "³", "١٢", "", " ", "1.5", "0x10", "1e3", "\x00", None, "+1"]
)
def test_parse_id_refuses_what_int_or_the_database_would_choke_on(value):
    assert params.parse_id(value) is None


def test_parse_id_bounds():
    assert params.parse_id("42") == 42
    assert params.parse_id(" 7 ") == 7
    assert params.parse_id("0") is None
    assert params.parse_id("-3") is None
    assert params.parse_id(str(2**63 - 1)) == 2**63 - 1
    assert params.parse_id(str(2**63)) is None
    assert params.parse_id("12345678901234567890") is None


def test_parse_ids_keeps_the_valid_ones_once():
    assert params.parse_ids(["3", "²", "3", "5", "99999999999999999999"]) == [3, 5]


@pytest.mark.parametrize(
    "value",
    ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2026-02-30", "2026-1-1x", "²"],
)
def test_parse_date_refuses_what_is_out_of_bounds_or_not_a_date(value):
    assert params.parse_date(value) is None


def test_parse_date_reads_iso_dates():
    assert params.parse_date("2026-03-16") == datetime.date(2026, 3, 16)
    assert params.parse_date("1900-01-01") == datetime.date(1900, 1, 1)
    assert params.parse_date("2100-12-31") == datetime.date(2100, 12, 31)


def test_parse_month_and_week():
    assert params.parse_month("2026-03") == (2026, 3)
    assert params.parse_month("9999-12") is None
    assert params.parse_month("0000-00") is None
    assert params.parse_month("2026-13") is None
    assert params.parse_week("2026-W11") == (2026, 11)
    assert params.parse_week("0001-W01") is None
    assert params.parse_week("2025-W53") is None  # 2025 has 52 ISO weeks
    assert params.parse_week("2020-W53") == (2020, 53)


def test_clean_text_removes_nul_and_caps_length():
    assert params.clean_text("a\x00b ", 10) == "ab"
    assert params.clean_text("x" * 500, 100) == "x" * 100
    assert params.clean_text(None) == ""


def test_params_reads_a_query_dict():
    query = QueryDict("unit=%C2%B2&due=0001-01-01&status=open&q=%00x&flag=1&id=1&id=%C2%B2&id=2")
    read = Params(query)
    assert read.id("unit") is None
    assert read.date("due") is None
    assert read.choice("status", {"open", "closed"}) == "open"
    assert read.choice("status", {"closed"}, "all") == "all"
    assert read.text("q") == "x"
    assert read.flag("flag") is True
    assert read.ids("id") == [1, 2]


def test_bounded_date_field_refuses_year_one_in_chinese():
    field = BoundedDateField()
    with pytest.raises(Exception) as error:
        field.clean("0001-01-01")
    assert "1900" in str(error.value)
    assert field.clean("2026-05-01") == datetime.date(2026, 5, 1)
