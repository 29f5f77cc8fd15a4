from django.urls import path

from reports import api

urlpatterns = [
    path("reports/funnel/", api.FunnelAPIView.as_view(), name="api-report-funnel"),
    path("reports/returns/", api.ReturnsAPIView.as_view(), name="api-report-returns"),
    path("reports/channels/", api.ChannelEconomicsAPIView.as_view(), name="api-report-channels"),
]
