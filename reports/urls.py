from django.urls import path

from reports import breach_views, views

app_name = "reports"
urlpatterns = [
    path("funnel/", views.FunnelView.as_view(), name="funnel"),
    path("funnel.csv", views.FunnelView.as_view(export=True), name="funnel_csv"),
    path("returns/", views.ReturnsView.as_view(), name="returns"),
    path("returns.csv", views.ReturnsView.as_view(export=True), name="returns_csv"),
    path("channels/", views.ChannelEconomicsView.as_view(), name="channels"),
    path("channels.csv", views.ChannelEconomicsView.as_view(export=True), name="channels_csv"),
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path("pipeline.csv", views.PipelineView.as_view(export=True), name="pipeline_csv"),
    path("exchange-rates/", views.ExchangeRatesView.as_view(), name="exchange_rates"),
    path("spend/", views.SpendView.as_view(), name="spend"),
    path("sla/", breach_views.dashboard, name="sla_dashboard"),
    path("sla/breaches/", breach_views.breach_report, name="breaches"),
    path("sla/breaches/handoffs/", breach_views.breach_drilldown, name="breach_drilldown"),
]
