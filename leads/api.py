"""/api/v1/leads/: thin views over leads.services.

Roles, as in the browser: every role reads leads; marketers, managers and admins create, upsert
and edit leads; SDRs and account executives may change a lead's work status
only. A signed-in user without a role gets 403, an anonymous caller 401.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.capabilities import HasCapability
from audit.models import Source
from core.api import RETRY_AFTER, error_responses
from core.sorting import StableOrderingFilter
from leads.filters import LEAD_API_SORTING, LeadFilter
from leads.models import Channel, Lead
from leads.serializers import LeadSerializer, LeadWriteSerializer
from leads.services import update_lead, upsert_lead


def checked_input(request, *, partial: bool) -> dict:
    """The body, once it is JSON of the shape the schema gives (400 otherwise) and names a
    channel that exists (404 otherwise); leads.services then cleans it like any source's."""
    LeadWriteSerializer(data=request.data, partial=partial).is_valid(raise_exception=True)
    slug = (request.data.get("channel") or "").strip()
    if slug and not Channel.objects.filter(slug=slug).exists():
        raise NotFound(_("No channel has the slug “%(slug)s”.") % {"slug": slug})
    return request.data


class LeadListView(generics.ListAPIView):
    permission_classes = [HasCapability]
    capabilities = {"GET": "leads.view", "POST": "leads.edit"}
    serializer_class = LeadSerializer
    filterset_class = LeadFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    sorting = LEAD_API_SORTING
    queryset = Lead.objects.select_related("channel")

    @extend_schema(
        summary=gettext_lazy("List leads"),
        description=gettext_lazy(
            "Newest first, a cursor page at a time; `ordering` sorts by another column, as the "
            "lead list's headers do (e.g. `-score`), ties in id order. Every role may read."
        ),
        parameters=[RETRY_AFTER],
        responses={200: LeadSerializer(many=True), **error_responses(400, 401, 403, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Create or update a lead by email"),
        description=gettext_lazy(
            "Upsert by email, case-insensitive: 201 when created, 200 when updated. Only the "
            "fields sent are changed; `attributes` and `social_handles` keys are merged, and "
            "the first channel is kept. The lead is rescored under the published agreement. "
            "Marketers, managers and admins only."
        ),
        request=LeadWriteSerializer,
        parameters=[RETRY_AFTER],
        responses={
            201: LeadSerializer,
            200: LeadSerializer,
            **error_responses(400, 401, 403, 404, 413, 429),
        },
    )
    def post(self, request, *args, **kwargs):
        lead, created = upsert_lead(
            data=checked_input(request, partial=False), source=Source.API, actor=request.user
        )
        return Response(LeadSerializer(lead).data, status=201 if created else 200)


class LeadDetailView(generics.RetrieveAPIView):
    # Which fields a sales role may change is the service's rule (status only).
    permission_classes = [HasCapability]
    capabilities = {"GET": "leads.view", "PATCH": "leads.set_status"}
    serializer_class = LeadSerializer
    queryset = Lead.objects.select_related("channel")

    @extend_schema(
        summary=gettext_lazy("Read a lead"),
        parameters=[RETRY_AFTER],
        responses={200: LeadSerializer, **error_responses(401, 403, 404, 429)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Edit a lead"),
        description=gettext_lazy(
            "Changes the fields sent. Marketers, managers and admins may change any writable "
            "field; SDRs and account executives only `status`. The lead is rescored."
        ),
        request=LeadWriteSerializer(partial=True),
        parameters=[RETRY_AFTER],
        responses={200: LeadSerializer, **error_responses(400, 401, 403, 404, 409, 413, 429)},
    )
    def patch(self, request, *args, **kwargs):
        lead = self.get_object()
        data = checked_input(request, partial=True)
        lead = update_lead(lead_id=lead.pk, data=data, actor=request.user, source=Source.API)
        return Response(LeadSerializer(lead).data)
