from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as accounts_views
from core import views as core_views
from pages import views as pages_views

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Before Django's own: reset by e-mail only where e-mail is delivered.
    path(
        "accounts/password_reset/",
        accounts_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    # Django's switcher, which also saves a signed-in person's choice to their profile.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("leads/", include("pages.lead_urls")),
    path("leads/", include("privacy.urls")),
    path("agreement/", include("scoring.urls")),
    path("handoff/", include("handoff.urls")),
    path("notifications/", include("notifications.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("reports.audit_urls")),
    path("sla/", include("sla.urls")),
    path("", include("intake.urls")),
    path("webhooks/", include("webhooks.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The page and its script come separately, so the Content Security Policy needs no inline code.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]


def not_found(request, exception):
    """A URL under /api/ that matches no endpoint (e.g. a malformed id) answers JSON, like the
    endpoints do; pages keep the HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return page_not_found(request, exception)


handler404 = not_found
handler500 = core_views.server_error
