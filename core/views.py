from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.models import WorkerHeartbeat


@login_not_required
@never_cache
def healthz(request):
    """200 when the database answers and the worker beat recently; 503 otherwise."""
    body = {"database": "ok", "worker_last_heartbeat": None, "worker": "unknown"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        beat = WorkerHeartbeat.objects.filter(pk=1).values_list("beat_at", flat=True).first()
    except Exception as exc:
        return JsonResponse({"database": f"error: {exc.__class__.__name__}"}, status=503)
    if beat is None:
        body["worker"] = "no heartbeat yet"
        status = 503
    else:
        age = (timezone.now() - beat).total_seconds()
        body["worker_last_heartbeat"] = beat.isoformat()
        body["worker_heartbeat_age_seconds"] = round(age)
        if age > settings.WORKER_HEARTBEAT_MAX_AGE:
            body["worker"] = "stale"
            status = 503
        else:
            body["worker"] = "ok"
    return JsonResponse(body, status=status)
