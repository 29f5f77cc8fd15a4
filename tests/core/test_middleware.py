import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from core.errors import ApplicationError, ConflictError, PermissionDenied
from core.middleware import DomainErrorMiddleware, ServerTimingMiddleware

pytestmark = pytest.mark.django_db

REFUSALS = [
    (ApplicationError("Choose a reason."), 400),
    (PermissionDenied("Only managers reassign leads."), 403),
    (ConflictError("Sam has this lead."), 409),
]


def request_for(method="post", htmx=False, referer=None, user=None):
    headers = {"HX-Request": "true"} if htmx else {}
    if referer:
        headers["Referer"] = referer
    request = getattr(RequestFactory(), method)("/handoff/queue/1/claim/", headers=headers)
    request.htmx = HtmxDetails(request)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.user = user
    return request


def answer(request, error):
    return DomainErrorMiddleware(lambda request: HttpResponse()).process_exception(request, error)


@pytest.mark.parametrize(("error", "status"), REFUSALS)
def test_an_htmx_refusal_answers_a_message_in_the_message_area(error, status, make_user):
    response = answer(request_for(htmx=True, user=make_user()), error)

    assert response.status_code == status
    assert response["HX-Retarget"] == "#messages"
    assert response["HX-Reswap"] == "innerHTML"
    assert error.message in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(("error", "status"), REFUSALS)
def test_a_form_posted_without_htmx_goes_back_with_the_message(error, status, make_user):
    request = request_for(referer="http://testserver/leads/7/", user=make_user())

    response = answer(request, error)

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/leads/7/"
    assert [str(message) for message in get_messages(request)] == [error.message]


@pytest.mark.parametrize(("error", "status"), REFUSALS)
def test_a_page_with_nowhere_to_go_back_shows_the_message_with_the_status(error, status, make_user):
    response = answer(request_for(method="get", user=make_user()), error)

    assert response.status_code == status
    assert error.message in response.content.decode()


def test_it_never_sends_a_person_back_to_another_host(make_user):
    request = request_for(referer="https://evil.example/phish", user=make_user())

    response = answer(request, ConflictError("Sam has this lead."))

    assert response.status_code == 409
    assert list(get_messages(request)) == []


def test_other_exceptions_are_left_to_django(make_user):
    assert answer(request_for(user=make_user()), ValueError("bug")) is None


def test_the_server_says_how_long_it_worked_on_a_request_in_wall_and_cpu_time():
    def busy_view(request):
        sum(range(200_000))
        return HttpResponse("done")

    response = ServerTimingMiddleware(busy_view)(RequestFactory().get("/"))

    wall, cpu = (metric.strip() for metric in response["Server-Timing"].split(","))
    assert wall.startswith("app;dur=") and cpu.startswith("cpu;dur=")
    assert float(wall.removeprefix("app;dur=")) > 0
    assert float(cpu.removeprefix("cpu;dur=")) >= 0
