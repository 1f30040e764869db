"""The client address of the audit trail and of the sign-in throttle, behind a reverse proxy."""

import pytest
from django.test import RequestFactory

from apps.audit.context import client_ip


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_IPS = []
    assert client_ip(request("10.0.0.7", "1.2.3.4")) == "10.0.0.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("10.20.30.40", "10.20.30.40"),
        ("6.6.6.6, 10.20.30.40", "10.20.30.40"),  # the client's own entry is not believed
        ("10.20.30.40, 127.0.0.1", "10.20.30.40"),  # a chain of trusted proxies
        ("not-an-address", "127.0.0.1"),
        (None, "127.0.0.1"),
    ],
)
def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1"]
    assert client_ip(request("127.0.0.1", forwarded)) == expected


def test_a_client_that_is_not_the_proxy_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXY_IPS = ["127.0.0.1"]
    assert client_ip(request("10.9.9.9", "10.1.1.1")) == "10.9.9.9"
