from django.urls import path

from privacy import api

urlpatterns = [
    path("leads/<int:pk>/erase/", api.LeadEraseView.as_view(), name="api-lead-erase"),
    path(
        "leads/<int:pk>/personal-data/",
        api.LeadPersonalDataView.as_view(),
        name="api-lead-personal-data",
    ),
    path("leads/<int:pk>/consents/", api.LeadConsentsView.as_view(), name="api-lead-consents"),
]
