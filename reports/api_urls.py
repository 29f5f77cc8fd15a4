from django.urls import path, re_path

from reports import api, audit_api, breach_api

# A currency in a path: three capital letters (core.currency); anything else is no such rate.
CODE = "[A-Z]{3}"

urlpatterns = [
    path("reports/sla/", breach_api.BreachReportView.as_view(), name="api-sla-report"),
    path("reports/funnel/", api.FunnelAPIView.as_view(), name="api-report-funnel"),
    path("reports/returns/", api.ReturnsAPIView.as_view(), name="api-report-returns"),
    path("reports/channels/", api.ChannelEconomicsAPIView.as_view(), name="api-report-channels"),
    path("reports/pipeline/", api.PipelineAPIView.as_view(), name="api-report-pipeline"),
    path("exchange-rates/", api.ExchangeRateListView.as_view(), name="api-exchange-rates"),
    re_path(
        rf"^exchange-rates/(?P<currency>{CODE})/(?P<into>{CODE})/$",
        api.ExchangeRateView.as_view(),
        name="api-exchange-rate",
    ),
    path("audit/", audit_api.AuditListView.as_view(), name="api-audit"),
]
