from django.urls import path

from leads import api

urlpatterns = [
    path("leads/", api.LeadListView.as_view(), name="api-leads"),
    path("leads/<int:pk>/", api.LeadDetailView.as_view(), name="api-lead"),
]
