"""/api/v1/: each app adds its endpoints in its own api_urls module."""

from django.urls import include, path

urlpatterns = [
    path("", include("leads.api_urls")),
    path("", include("scoring.api_urls")),
    path("", include("handoff.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("reports.api_urls")),
]
