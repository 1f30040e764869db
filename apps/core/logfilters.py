"""Keep secrets that travel in URLs out of the logs.

A calendar subscription's address carries its token (the token is the credential: calendar
clients cannot sign in), so every log line that prints a request path — Django's "Not Found:
/ledger/ical/<token>/unit.ics", the development server's request lines — would leak it to whoever
reads the logs. `RedactSecretsFilter`, on every handler (settings.LOGGING), rewrites each record's
message with the patterns of `settings.LOG_REDACT_PATTERNS`: group 1 is kept, the rest replaced.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.conf import settings

REDACTED = "[已隐去]"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in getattr(settings, "LOG_REDACT_PATTERNS", ()))


def redact(text: str) -> str:
    for pattern in _patterns():
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is left for logging itself to report
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
