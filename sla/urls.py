from django.urls import path

from sla import report_views, views

app_name = "sla"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/new/", views.policy_edit, name="policy_new"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("policies/<int:pk>/deactivate/", views.policy_deactivate, name="policy_deactivate"),
    path("hours/", views.hours_list, name="hours"),
    path("hours/<int:team_pk>/", views.hours_edit, name="hours_edit"),
    path("report/", report_views.breach_report, name="report"),
    path("report/handoffs/", report_views.breach_drilldown, name="drilldown"),
]
