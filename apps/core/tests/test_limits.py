"""Request-size cap (413 before the body is read) and secrets kept out of the logs."""

import io
import logging

import pytest
from django.test import override_settings

from apps.core.logfilters import RedactSecretsFilter, redact

TOKEN = "zmcQbfTedn00fxzkCklCtm5GY8KZch7kgdzJdjAOn-w"


@pytest.mark.django_db
@override_settings(REQUEST_MAX_BYTES=1024 * 1024)
def test_a_too_large_request_is_refused_before_its_body_is_read(client, personas):
    client.force_login(personas.zhou)

    class Unreadable(io.BytesIO):
        def read(self, *args):  # the middleware must not read the body
            raise AssertionError("the body was read")

    response = client.generic(
        "POST",
        "/ledger/items/1/feedback/",
        data=b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "1MB" in page


def test_ical_tokens_are_redacted():
    assert redact(f"Not Found: /ledger/ical/{TOKEN}/unit.ics") == (
        "Not Found: /ledger/ical/[已隐去]/unit.ics"
    )
    assert TOKEN not in redact(f'"GET /ledger/ical/{TOKEN}/person.ics?unit=3 HTTP/1.1" 200')


@pytest.mark.django_db
def test_the_request_log_never_prints_an_ical_token(client):
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    ]
    assert handlers, "the console handler carries the redacting filter (settings.LOGGING)"
    stream = io.StringIO()
    previous = [h.setStream(stream) for h in handlers if isinstance(h, logging.StreamHandler)]
    try:
        assert client.get(f"/ledger/ical/{TOKEN}/unit.ics").status_code == 404
    finally:
        for handler, old in zip(handlers, previous, strict=False):
            handler.setStream(old)
    logged = stream.getvalue()
    assert "/ledger/ical/[已隐去]/unit.ics" in logged
    assert TOKEN not in logged
