from django.urls import path

from reports import api, audit_api, breach_api

urlpatterns = [
    path("reports/sla/", breach_api.BreachReportView.as_view(), name="api-sla-report"),
    path("reports/funnel/", api.FunnelAPIView.as_view(), name="api-report-funnel"),
    path("reports/returns/", api.ReturnsAPIView.as_view(), name="api-report-returns"),
    path("reports/channels/", api.ChannelEconomicsAPIView.as_view(), name="api-report-channels"),
    path("reports/pipeline/", api.PipelineAPIView.as_view(), name="api-report-pipeline"),
    path("audit/", audit_api.AuditListView.as_view(), name="api-audit"),
]
