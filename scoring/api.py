"""/api/v1/agreements/: the MQL agreement, read-only. Every role reads published and retired
versions and submitted drafts; marketers also see drafts in progress. Changes go through the
browser editor, where both teams read what they sign."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from accounts.capabilities import HasCapability
from core.api import CursorPagination, error_responses
from scoring.models import AgreementStatus
from scoring.selectors import agreements_for, with_rules
from scoring.serializers import AgreementSerializer


class ByVersion(CursorPagination):
    ordering = "-version"


class AgreementMixin:
    permission_classes = [HasCapability]
    capability = "agreement.view"
    serializer_class = AgreementSerializer

    def get_queryset(self):
        return with_rules(agreements_for(self.request.user))


@extend_schema(tags=["agreements"])
class AgreementListView(AgreementMixin, generics.ListAPIView):
    pagination_class = ByVersion

    @extend_schema(
        summary=gettext_lazy("List agreement versions"),
        description=gettext_lazy("Newest version first; drafts in progress for marketers only."),
        responses={
            200: AgreementSerializer(many=True),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["agreements"])
class AgreementDetailView(AgreementMixin, generics.RetrieveAPIView):
    @extend_schema(
        summary=gettext_lazy("One agreement version with its rules"),
        responses={200: AgreementSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["agreements"])
class CurrentAgreementView(AgreementMixin, generics.GenericAPIView):
    @extend_schema(
        summary=gettext_lazy("The agreement in force"),
        description=gettext_lazy(
            "The published version: every rule in plain words (`text`) and structured."
        ),
        responses={200: AgreementSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request):
        agreement = self.get_queryset().filter(status=AgreementStatus.PUBLISHED).first()
        if agreement is None:
            raise Http404
        return Response(self.get_serializer(agreement).data)
