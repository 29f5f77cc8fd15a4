"""/api/v1/leads/{id}/erase/, /personal-data/ and /consents/: thin views over privacy.erasure,
privacy.export and leads.consent."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.capabilities import HasCapability
from audit.models import Source
from core.api import RETRY_AFTER, error_responses
from leads.consent import record_consent
from leads.models import ConsentSource, Lead
from privacy.erasure import erase_lead
from privacy.export import personal_data
from privacy.selectors import lead_consents
from privacy.serializers import (
    ConsentChangeSerializer,
    ConsentStateSerializer,
    EraseSerializer,
    ErasureSerializer,
)


class LeadEraseView(APIView):
    permission_classes = [HasCapability]
    capability = "leads.erase"

    @extend_schema(
        summary=_("Erase a lead's personal data"),
        description=_(
            "Removes or anonymises everything that names the person (fields, activity "
            "properties, notes, rejected import rows) and puts the address on the suppression "
            "list; the lead stays as “Erased lead #id” so reports count the same. Cannot be "
            "undone. Managers and admins; 409 when already erased."
        ),
        request=EraseSerializer,
        parameters=[RETRY_AFTER],
        responses={200: ErasureSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        serializer = EraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        erasure = erase_lead(
            source=Source.API,
            lead_id=lead.pk,
            actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(ErasureSerializer(erasure).data)


class LeadPersonalDataView(APIView):
    permission_classes = [HasCapability]
    capability = "leads.export_personal_data"

    @extend_schema(
        summary=_("Export a lead's personal data"),
        description=_(
            "Everything Accord holds about the lead as one JSON document: its fields, consent, "
            "activities, stage changes, handoffs and their events, qualification, opportunities "
            "and the notifications about it. Managers and admins."
        ),
        parameters=[RETRY_AFTER],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description=_("The document.")),
            **error_responses(401, 403, 404, 429),
        },
    )
    def get(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        return JsonResponse(personal_data(lead=lead), encoder=DjangoJSONEncoder)


class LeadConsentsView(APIView):
    permission_classes = [HasCapability]
    capabilities = {"GET": "leads.view", "POST": "leads.consent"}

    @extend_schema(
        summary=_("Read a lead's consent"),
        description=_("Each scope's current answer and the history, newest first."),
        parameters=[RETRY_AFTER],
        responses={200: ConsentStateSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        return Response(ConsentStateSerializer(lead_consents(lead=lead)).data)

    @extend_schema(
        summary=_("Record a consent change"),
        description=_(
            "Grants or withdraws the scopes sent. Withdrawing every scope is an unsubscribe: "
            "the lead is marked do-not-contact and its address suppressed for imports, the API "
            "and web forms; a later grant lifts both. 409 for an erased lead."
        ),
        request=ConsentChangeSerializer,
        parameters=[RETRY_AFTER],
        responses={200: ConsentStateSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        serializer = ConsentChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record_consent(
            lead=lead,
            changes=dict.fromkeys(data["scopes"], data["granted"]),
            source=ConsentSource.API,
            actor=request.user,
        )
        lead.refresh_from_db()
        return Response(ConsentStateSerializer(lead_consents(lead=lead)).data)
