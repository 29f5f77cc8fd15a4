import sys

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache

from core import health
from core.middleware import database_unavailable
from core.statements import is_connection_lost


@login_not_required
@never_cache
def healthz(request):
    """200 when the database, the cache, the broker and the worker are all well; 503 otherwise.
    The JSON says each part's state (core/health.py)."""
    body, healthy = health.report()
    body["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(body, status=200 if healthy else 503)


def server_error(request):
    """Django's handler500: the one place Django hands an exception from anywhere in a request.
    The session, authentication and reader middleware read the database before any view runs,
    and a middleware's process_exception sees only a view's exceptions; so a database that
    cannot be reached, wherever it was found, answers here with the 503 in the caller's shape.
    Anything else is Django's own 500 page. (With DEBUG on, Django shows its traceback page
    instead of calling this.)"""
    if is_connection_lost(sys.exc_info()[1]):
        return database_unavailable(request)
    return defaults.server_error(request)
