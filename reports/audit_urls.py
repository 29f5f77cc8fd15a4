from django.urls import path

from reports import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.AuditTrailView.as_view(), name="list"),
    path("export.csv", audit_views.AuditTrailView.as_view(export=True), name="csv"),
]
