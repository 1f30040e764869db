"""A small iCalendar (RFC 5545) writer for the key-work calendar feeds.

Only what the feeds need: one VCALENDAR of all-day VEVENTs. Written by hand rather than with a
library because the rules are few and exact, and each one is tested:

- lines end with CRLF (3.1);
- a content line longer than 75 octets is folded: CRLF then one space, the space counting toward
  the next line's 75 octets; a UTF-8 character is never split across lines (3.1);
- TEXT values escape backslash, semicolon, comma and newline (3.3.11);
- DTSTAMP is a UTC date-time; an all-day event is DTSTART;VALUE=DATE with DTEND the next day
  (DTEND is exclusive, 3.6.1).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
PRODID = "-//organ-platform//Key-work calendar 1.0//ZH"


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash first, so the escapes added after it stay single."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold_line(line: str) -> str:
    """Fold one content line to lines of at most 75 octets, never splitting a character."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            # A continuation line starts with a space, which is one of its 75 octets.
            current, size, limit = [], 0, MAX_LINE_OCTETS - 1
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def format_date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def format_utc(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("DTSTAMP needs an aware date-time")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class AllDayEvent:
    """One all-day VEVENT (a deadline or a milestone of a tracked item)."""

    uid: str
    day: datetime.date
    summary: str
    description: str = ""
    url: str = ""
    cancelled: bool = False
    sequence: int = 0
    categories: tuple[str, ...] = ()

    def lines(self, stamp: datetime.datetime) -> list[str]:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{format_utc(stamp)}",
            f"DTSTART;VALUE=DATE:{format_date(self.day)}",
            f"DTEND;VALUE=DATE:{format_date(self.day + datetime.timedelta(days=1))}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            # URL is a URI value, not TEXT: it is not escaped (and Django's URLs hold no CR/LF).
            lines.append(f"URL:{self.url}")
        if self.categories:
            lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in self.categories))
        lines += [
            f"STATUS:{'CANCELLED' if self.cancelled else 'CONFIRMED'}",
            f"SEQUENCE:{self.sequence}",
            # A deadline marks a day; it does not make anybody busy.
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
        return lines


def serialize(
    *,
    name: str,
    events: Iterable[AllDayEvent],
    stamp: datetime.datetime,
    timezone_name: str = "Asia/Shanghai",
    description: str = "",
) -> bytes:
    """The whole VCALENDAR as UTF-8 bytes, ready for a text/calendar response."""
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{timezone_name}",
    ]
    if description:
        lines.append(f"X-WR-CALDESC:{escape_text(description)}")
    # Ask clients to poll hourly (RFC 7986 and the older Apple/Microsoft property).
    lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"]
    for event in events:
        lines.extend(event.lines(stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + CRLF for line in lines).encode("utf-8")


def unfold(text: str) -> list[str]:
    """The logical content lines of an iCalendar text (for tests and for reading feeds back)."""
    lines: list[str] = []
    for physical in text.split(CRLF):
        if physical.startswith((" ", "\t")) and lines:
            lines[-1] += physical[1:]
        elif physical:
            lines.append(physical)
    return lines


def unescape_text(value: str) -> str:
    result: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            result.append(char)
            continue
        following = next(chars, "")
        result.append("\n" if following in ("n", "N") else following)
    return "".join(result)
