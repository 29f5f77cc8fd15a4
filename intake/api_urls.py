from django.urls import path

from intake import api

urlpatterns = [
    path("activities/", api.ActivityIngestView.as_view(), name="api-activities"),
]
