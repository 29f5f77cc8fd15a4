from django.urls import path
from django.views.generic import RedirectView

from sla import views

app_name = "sla"

urlpatterns = [
    # The SLA landing page is a report now; old bookmarks of /sla/ still reach it.
    path("", RedirectView.as_view(pattern_name="reports:sla_dashboard"), name="dashboard"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/new/", views.policy_edit, name="policy_new"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/deactivate/", views.policy_deactivate, name="policy_deactivate"),
    path("hours/", views.hours_list, name="hours"),
    path("hours/<int:team_pk>/", views.hours_edit, name="hours_edit"),
    path("hours/<int:team_pk>/exceptions/", views.exception_add, name="exception_add"),
    path(
        "hours/<int:team_pk>/exceptions/<int:pk>/remove/",
        views.exception_remove,
        name="exception_remove",
    ),
]
