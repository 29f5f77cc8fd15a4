import pytest

from scripts.run import listen_address


def test_development_listens_on_this_machine_only():
    assert listen_address(debug=True, host=None, port="8000") == "127.0.0.1:8000"


@pytest.mark.parametrize("debug", [True, False])
def test_a_given_host_wins(debug):
    assert listen_address(debug=debug, host="0.0.0.0", port="8000") == "0.0.0.0:8000"


def test_without_debug_it_listens_on_every_interface():
    assert listen_address(debug=False, host=None, port="9000") == "0.0.0.0:9000"


def test_an_empty_host_counts_as_none():
    assert listen_address(debug=True, host="  ", port="8000") == "127.0.0.1:8000"


def test_an_ipv6_host_is_bracketed():
    assert listen_address(debug=True, host="::1", port="8000") == "[::1]:8000"
