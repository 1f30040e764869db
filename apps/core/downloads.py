"""Responses that hand the user a file: one place for the Content-Disposition of every download.

Chinese file names go in RFC 6266/5987 `filename*` (Django's `content_disposition_header`), with
an ASCII `filename` fallback for old clients; control characters and path separators never reach
the header.
"""

from __future__ import annotations

import re
from typing import IO, Any

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\"]')


def clean_filename(name: str, default: str = "download") -> str:
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned[:150] or default


def disposition(filename: str, *, inline: bool = False) -> str:
    header = content_disposition_header(not inline, clean_filename(filename))
    assert header is not None
    return header


def file_download(
    content: bytes | str | IO[bytes], filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse:
    """The response carrying `content` (bytes, text, or an open binary file streamed and closed
    when sent) as `filename`."""
    response: Any
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    response["Content-Disposition"] = disposition(filename, inline=inline)
    return response
