"""The client's address behind reverse proxies: what login lockouts and web-form limits count."""

import pytest
from django.test import RequestFactory

from core.addresses import client_address


def request(remote="10.0.0.2", forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_proxies_the_connection_s_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0

    assert client_address(request("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote the leftmost entry itself; only the proxy's own entry is believed.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (1, "2001:db8::5", "2001:db8::5"),
    ],
)
def test_behind_trusted_proxies_the_client_is_counted_from_the_right(
    settings, proxies, forwarded, client
):
    settings.TRUSTED_PROXIES = proxies

    assert client_address(request(forwarded=forwarded)) == client


def test_a_request_that_skipped_the_proxy_chain_is_counted_by_its_connection(settings):
    settings.TRUSTED_PROXIES = 2

    assert client_address(request("203.0.113.9", forwarded="198.51.100.7")) == "203.0.113.9"
    assert client_address(request("203.0.113.9")) == "203.0.113.9"


def test_garbage_is_no_address(settings):
    settings.TRUSTED_PROXIES = 1

    assert client_address(request(forwarded="not-an-ip")) == ""
