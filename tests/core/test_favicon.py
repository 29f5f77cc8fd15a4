"""Browsers ask every site for /favicon.ico; Accord answers it, signed in or not."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/favicon.ico", "image/x-icon"), ("/favicon.svg", "image/svg+xml")],
)
def test_the_icon_is_served_at_the_site_root_to_anyone(client, path, content_type):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)


def test_every_page_names_its_icon(client_as):
    page = client_as("marketer").get("/leads/").content.decode()

    assert '<link rel="icon" href="/favicon.ico"' in page
