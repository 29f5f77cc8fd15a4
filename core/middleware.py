"""One place that turns a domain refusal into what a person in the browser sees, one that
refuses an oversized request before its body is read, and one that says how long the server
worked on a request."""

import time

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from core.statements import is_statement_timeout

# The page's message area (base.html), where flash messages appear.
MESSAGES_TARGET = "#messages"


# Room for a multipart body's boundaries and other fields around the largest allowed file.
MULTIPART_ALLOWANCE = 1024 * 1024


class ServerTimingMiddleware:
    """A `Server-Timing` header on every answer (when settings.SERVER_TIMING is on): the wall
    time and the CPU time of the thread that handled it, both in milliseconds, from this
    middleware (the first) to the answer. The benchmark reads it to compare what the server
    spends on an accept and on a read under the same load, whatever the clients wait for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        wall = (time.perf_counter() - started) * 1000
        cpu = (time.thread_time() - cpu_started) * 1000
        response["Server-Timing"] = f"app;dur={wall:.2f}, cpu;dur={cpu:.2f}"
        return response


class RequestSizeMiddleware:
    """413 for a request whose Content-Length exceeds the largest upload Accord takes, before
    any of its body is read or stored (Django spools file uploads to disk before a view can
    look at their size). Non-file bodies have their own, smaller cap in Django
    (DATA_UPLOAD_MAX_MEMORY_SIZE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_SIZE + MULTIPART_ALLOWANCE:
            limit = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
            message = _("The request is larger than the %(limit)d MB Accord accepts.") % {
                "limit": limit
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DomainErrorMiddleware:
    """Answers an ApplicationError a view lets through (400 bad input, 403 not allowed,
    409 someone got there first), so that views do not catch it themselves.

    What a CRM user expects:
    - An htmx action (a button in the queue, a form on the lead page): the page stays as it is
      and the message appears in the page's message area, with the refusal's status. The
      answer is a small fragment retargeted there (HX-Retarget, HX-Reswap), because the element
      that asked may be a button or a row that must not be replaced by a sentence; accord.js
      swaps 400/403/409 answers into their target.
    - A form posted without htmx: back to the page they came from (its Referer, on this host
      only) with the message shown on top, as after a success; they keep their place and can
      act on the message.
    - Otherwise (a page opened by address, or nowhere safe to go back to): a page with the
      message and the refusal's status, so the status stays true for the browser and scripts.

    Refusals about a form's input are better shown next to its fields: views do that with
    core.forms.refusals_on and never reach here. The API maps the same errors in core.api.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        message, status = exception.message, exception.status_code
        if getattr(request, "htmx", False):
            response = render(
                request, "errors/refusal_message.html", {"message": message}, status=status
            )
            response["HX-Retarget"] = MESSAGES_TARGET
            response["HX-Reswap"] = "innerHTML"
            return response
        back = request.headers.get("Referer", "")
        if request.method == "POST" and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            messages.error(request, message)
            return redirect(back)
        context = {"title": TITLES.get(status, TITLES[400]), "message": message}
        return render(request, "errors/refusal.html", context, status=status)


class StatementTimeoutMiddleware:
    """A web request whose SQL statement ran past WEB_STATEMENT_TIMEOUT_MS (core.statements)
    answers 503 with a sentence saying what happened and what to try, in the shape the caller
    reads (JSON under /api/, the message area for htmx, a page otherwise), instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_statement_timeout(exception):
            return None
        message = _(
            "This took too long and was stopped. Narrow the filters or try again in a moment."
        )
        return unavailable(request, TITLES[503], message)


def database_unavailable(request) -> HttpResponse:
    """503 when the database cannot be reached (core.statements.is_connection_lost), from
    wherever in the request it was found (config.urls.handler500 says why there)."""
    message = _(
        "Accord cannot reach its database at the moment. Try again in a minute: "
        "what did not go through was not saved."
    )
    return unavailable(request, _("Temporarily unavailable"), message)


def unavailable(request, title, message) -> HttpResponse:
    """A 503 in the shape the caller reads: JSON under /api/, the message area for htmx (its
    request header: django-htmx's middleware may not have run yet), a page otherwise. Rendered
    without the request's context processors, which read the session and the user: the answer
    to a database that is down must not need it."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(message)}, status=503)
    if request.headers.get("HX-Request") == "true":
        fragment = render_to_string("errors/refusal_message.html", {"message": message})
        response = HttpResponse(fragment, status=503)
        response["HX-Retarget"] = MESSAGES_TARGET
        response["HX-Reswap"] = "innerHTML"
        return response
    page = render_to_string("errors/refusal.html", {"title": title, "message": message})
    return HttpResponse(page, status=503)


TITLES = {
    400: _("This cannot be done"),
    403: _("Not allowed"),
    409: _("Someone got there first"),
    503: _("Too slow"),
}
