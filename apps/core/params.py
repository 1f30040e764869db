"""Reading request parameters: the one place that turns what a client sent into a value or nothing.

Every view that reads `request.GET` or `request.POST` outside a Django form goes through these
functions (a form field reads its own; `BoundedDateField` below bounds its dates). Each one takes
whatever a client sends — non-ASCII digits such as "²" (which `str.isdigit()` accepts and `int()`
refuses), NUL (which PostgreSQL refuses in text), twenty-digit ids past the database's integer,
dates in year 1 or 9999 whose neighbours overflow `datetime.date` — and answers a value within
sane bounds or `None` (or the given default). None of them raises.

    params = Params(request.GET)
    unit = params.id("unit")                 # int | None
    day = params.date("date")                # datetime.date | None, 1900..2100
    month = params.month("month")            # (year, month) | None
    status = params.choice("status", Status.values)
    q = params.text("q", 100)                # NUL removed, stripped, at most 100 characters
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django import forms

# Every free text has a length cap: a note, a reason, feedback, a description …
TEXT_MAX_LENGTH = 5000
# … and a document's body (a long 公文 runs to some 30,000 characters).
LONG_TEXT_MAX_LENGTH = 100_000

MIN_YEAR = 1900
MAX_YEAR = 2100
MIN_DATE = datetime.date(MIN_YEAR, 1, 1)
MAX_DATE = datetime.date(MAX_YEAR, 12, 31)
# A BigAutoField holds up to 2**63 - 1; a larger "id" can name no row.
MAX_ID = 2**63 - 1

_ASCII_INT = re.compile(r"[0-9]{1,19}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")
_WEEK = re.compile(r"([0-9]{4})-?W([0-9]{1,2})")


def clean_text(value: Any, max_length: int = 200) -> str:
    """`value` as text without NUL (or other C0 controls but tab/newline), stripped, cut short."""
    if not isinstance(value, str):
        return ""
    if "\x00" in value or any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        value = "".join(c for c in value if ord(c) >= 32 or c in "\t\n\r")
    return value.strip()[:max_length]


def parse_int(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number written in ASCII digits within [minimum, maximum], else None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    negative = value.startswith("-")
    digits = value[1:] if negative else value
    if not _ASCII_INT.fullmatch(digits):
        return None
    number = -int(digits) if negative else int(digits)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number


def parse_id(value: Any) -> int | None:
    """A primary key: a positive whole number a database column can hold, else None."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def parse_ids(values: Iterable[Any]) -> list[int]:
    """The valid ids among `values`, in order, without repeats."""
    seen: dict[int, None] = {}
    for value in values:
        number = parse_id(value)
        if number is not None:
            seen.setdefault(number, None)
    return list(seen)


def parse_year(value: Any) -> int | None:
    return parse_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


def parse_date(
    value: Any, *, minimum: datetime.date = MIN_DATE, maximum: datetime.date = MAX_DATE
) -> datetime.date | None:
    """An ISO date YYYY-MM-DD between `minimum` and `maximum` (1900..2100), else None."""
    if not isinstance(value, str):
        return None
    match = _DATE.fullmatch(value.strip())
    if not match:
        return None
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return day if minimum <= day <= maximum else None


def parse_month(value: Any) -> tuple[int, int] | None:
    """(year, month) from YYYY-MM with the year in 1900..2100, else None."""
    if not isinstance(value, str):
        return None
    match = _MONTH.fullmatch(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return None
    return year, month


def parse_week(value: Any) -> tuple[int, int] | None:
    """(ISO year, ISO week) from YYYY-Www (the value of `<input type=week>`), else None."""
    if not isinstance(value, str):
        return None
    match = _WEEK.fullmatch(value.strip())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return year, week


def parse_choice(value: Any, choices: Collection[str], default: str = "") -> str:
    """`value` if it is one of `choices`, else `default`."""
    return value if isinstance(value, str) and value in choices else default


def parse_flag(value: Any) -> bool:
    """A checkbox or a `?x=1` switch: on only for "1"."""
    return value == "1"


class Params:
    """Typed, bounded reads of one QueryDict (request.GET or request.POST), never raising."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def raw(self, name: str) -> str:
        value = self.data.get(name, "")
        return value if isinstance(value, str) else ""

    def text(self, name: str, max_length: int = 200, default: str = "") -> str:
        return clean_text(self.data.get(name, default), max_length)

    def integer(
        self, name: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        return parse_int(self.raw(name), minimum=minimum, maximum=maximum)

    def id(self, name: str) -> int | None:
        return parse_id(self.raw(name))

    def ids(self, name: str) -> list[int]:
        getlist = getattr(self.data, "getlist", None)
        return parse_ids(getlist(name) if getlist else [self.raw(name)])

    def year(self, name: str) -> int | None:
        return parse_year(self.raw(name))

    def date(self, name: str) -> datetime.date | None:
        return parse_date(self.raw(name))

    def month(self, name: str) -> tuple[int, int] | None:
        return parse_month(self.raw(name))

    def week(self, name: str) -> tuple[int, int] | None:
        return parse_week(self.raw(name))

    def choice(self, name: str, choices: Collection[str], default: str = "") -> str:
        return parse_choice(self.raw(name), choices, default)

    def flag(self, name: str) -> bool:
        return parse_flag(self.raw(name))


DATE_OUT_OF_RANGE = f"日期须在{MIN_YEAR}年至{MAX_YEAR}年之间。"


class BoundedDateField(forms.DateField):
    """A date field that refuses years outside 1900..2100 (or the bounds given) in Chinese."""

    def __init__(
        self,
        *args: Any,
        minimum: datetime.date = MIN_DATE,
        maximum: datetime.date = MAX_DATE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.minimum = minimum
        self.maximum = maximum

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, str):
            value = clean_text(value, 40)
        return super().to_python(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.minimum <= value <= self.maximum:
            raise forms.ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


def local_path(value: Any, request: Any) -> str | None:
    """`value` if it is a path on this site ("/ledger/?q=1") to send the user back to, else None.

    Only absolute paths qualify: a bare word such as "1" is not reversed as a view name, and
    another host, a scheme or `//host` is refused (no open redirect).
    """
    from django.utils.http import url_has_allowed_host_and_scheme

    target = clean_text(value, 2000)
    if not target.startswith("/") or target.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses what is not an id before the database sees it.

    Django's own field passes every value to a `pk__in` lookup, where a twenty-digit number
    overflows SQLite's integer (OverflowError) and PostgreSQL's bigint; "²" is refused there too.
    """

    # _check_values is Django's hook for this check, absent from django-stubs.
    def _check_values(self, value: Any) -> Any:
        if (self.to_field_name or "pk") == "pk":
            for pk in value if isinstance(value, list | tuple) else [value]:
                if parse_id(str(pk)) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": clean_text(str(pk), 20)},
                    )
        return super()._check_values(value)  # type: ignore[misc]
