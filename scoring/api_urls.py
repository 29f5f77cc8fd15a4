from django.urls import path

from scoring import api

urlpatterns = [
    path("agreements/", api.AgreementListView.as_view(), name="api-agreements"),
    path("agreements/current/", api.CurrentAgreementView.as_view(), name="api-agreement-current"),
    path("agreements/<int:pk>/", api.AgreementDetailView.as_view(), name="api-agreement"),
]
