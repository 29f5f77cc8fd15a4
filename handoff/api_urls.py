from django.urls import path
from rest_framework.routers import SimpleRouter

from handoff import api

router = SimpleRouter()
router.register("handoffs", api.HandoffViewSet, basename="handoff")
router.register("opportunities", api.OpportunityViewSet, basename="opportunity")

urlpatterns = [
    path("queue/", api.QueueView.as_view(), name="api-queue"),
    path(
        "leads/<int:pk>/qualification/", api.QualificationView.as_view(), name="api-qualification"
    ),
    path("leads/<int:pk>/promote/", api.PromoteView.as_view(), name="api-promote"),
    path("leads/<int:pk>/return/", api.ReturnFromSalView.as_view(), name="api-return-sal"),
    path(
        "leads/<int:pk>/disqualify/", api.DisqualifyLeadView.as_view(), name="api-disqualify-lead"
    ),
    path("leads/<int:pk>/reinstate/", api.ReinstateLeadView.as_view(), name="api-reinstate-lead"),
    *router.urls,
]
