from django.urls import path

from sla import api

urlpatterns = [
    path("reports/sla/", api.BreachReportView.as_view(), name="api-sla-report"),
]
