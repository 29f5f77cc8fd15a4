"""/api/v1/: each app adds its endpoints in its own api_urls module; this module answers the index
and, last, any other path under /api/v1/ with a JSON 404 (whatever DEBUG says)."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import URLPattern, get_resolver, include, path, re_path, reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt


@login_not_required
def api_index(request):
    """What a client or a person typing the address finds: the endpoints without ids, the
    schema and its documentation, and how to authenticate."""
    endpoints = {
        pattern.name: request.build_absolute_uri(reverse(pattern.name))
        for pattern in _patterns(get_resolver(__name__).url_patterns)
        if pattern.name
        and pattern.name.startswith("api-")
        and not pattern.pattern.regex.groupindex
        and pattern.name != "api-index"
    }
    return JsonResponse(
        {
            "name": "Accord API",
            "version": "v1",
            "schema": request.build_absolute_uri(reverse("api-schema")),
            "docs": request.build_absolute_uri(reverse("api-docs")),
            "authentication": gettext(
                "Send Authorization: Token <key>; each user creates a token on their profile page."
            ),
            "endpoints": dict(sorted(endpoints.items())),
        }
    )


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            yield pattern
        else:
            yield from _patterns(pattern.url_patterns)


@csrf_exempt  # it changes nothing; any method on an unknown path is a JSON 404, not a CSRF page
@login_not_required
def api_not_found(request, url):
    return JsonResponse({"detail": gettext("Not found.")}, status=404)


urlpatterns = [
    path("", api_index, name="api-index"),
    path("", include("notifications.api_urls")),
    path("", include("leads.api_urls")),
    path("", include("scoring.api_urls")),
    path("", include("handoff.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("privacy.api_urls")),
    re_path(r"^(?P<url>.*)$", api_not_found, name="api-not-found"),
]
