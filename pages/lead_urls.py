"""The lead pages keep the `leads:` names: the list is the leads app's, the lead page is composed
here."""

from django.urls import path

from leads.views import LeadListView
from pages import views
from pages.lead_export import export_leads

app_name = "leads"
urlpatterns = [
    path("", LeadListView.as_view(), name="list"),
    path("export.csv", export_leads, name="export"),
    path("<int:pk>/", views.LeadDetailView.as_view(), name="detail"),
    path("<int:pk>/timeline/", views.timeline_page, name="timeline"),
]
