from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from core import health


@login_not_required
@never_cache
def healthz(request):
    """200 when the database, the cache, the broker and the worker are all well; 503 otherwise.
    The JSON says each part's state (core/health.py)."""
    body, healthy = health.report()
    body["status"] = "ok" if healthy else "unhealthy"
    return JsonResponse(body, status=200 if healthy else 503)
