"""/api/v1/ queue, handoff actions, qualification, promotion and opportunities.

Thin views: validate with a serializer, call the same services as the browser, serialize the
result. Domain refusals map to 400/403/409 in core.api; a 409 names who has the lead.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.capabilities import HasCapability
from core.api import CursorPagination, error_responses
from core.sorting import StableOrderingFilter
from handoff import services
from handoff.access import handoffs_visible_to, leads_with_qualification_visible_to
from handoff.filters import OPPORTUNITY_API_SORTING, QUEUE_API_SORTING, QueueFilter
from handoff.models import Handoff, Opportunity, Qualification
from handoff.selectors import QUEUE_VIEWS, opportunities_for, queue_base
from handoff.serializers import (
    AcceptSerializer,
    ConflictSerializer,
    DisqualifySerializer,
    FirstTouchSerializer,
    HandoffSerializer,
    LeadRefSerializer,
    LostSerializer,
    MissingCriteriaSerializer,
    OpportunitySerializer,
    OpportunityUpdateSerializer,
    PromoteSerializer,
    QualificationSerializer,
    ReassignSerializer,
    ReinstateSerializer,
    ReturnSerializer,
    StatusSerializer,
)
from leads.models import Lead, Stage

READ_ERRORS = error_responses(401, 403, 404)
LIST_ERRORS = error_responses(400, 401, 403, 404)
ACTION_ERRORS = {
    **error_responses(400, 401, 403, 404),
    409: OpenApiResponse(
        ConflictSerializer,
        description=_("Someone else got there first; says who has the lead, or what became of it."),
    ),
}


class QueuePagination(CursorPagination):
    ordering = ("sla_due_at", "-score", "id")


@extend_schema_view(
    get=extend_schema(
        summary=_("The SDR queue"),
        description=_(
            "Open handoffs, most urgent first, then highest score. view=mine (default): "
            "assigned to you; pool: unassigned in your teams; all: every open one (managers). "
            "`ordering` sorts by score or by time waiting instead (`-score`, `waiting`), as the "
            "queue page's optional columns do; without it the queue stays most urgent first."
        ),
        parameters=[
            OpenApiParameter("view", enum=list(QUEUE_VIEWS), default="mine"),
        ],
        responses={200: HandoffSerializer(many=True), **LIST_ERRORS},
    )
)
class QueueView(generics.ListAPIView):
    permission_classes = [HasCapability]
    capability = "queue.work"
    serializer_class = HandoffSerializer
    pagination_class = QueuePagination
    filterset_class = QueueFilter
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    sorting = QUEUE_API_SORTING
    queryset = Handoff.objects.none()  # typed for the schema; get_queryset scopes it

    def get_queryset(self):
        view = self.request.query_params.get("view") or "mine"
        if view not in QUEUE_VIEWS:
            raise ValidationError({"view": [_("Choose mine, pool or all.")]})
        return queue_base(user=self.request.user, view=view)


class HandoffViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One handoff and the actions on it, among those the caller may read (handoff.access):
    any other id answers 404, as one that does not exist."""

    permission_classes = [HasCapability]
    capability = "queue.work"
    serializer_class = HandoffSerializer
    queryset = Handoff.objects.none()  # typed for the schema; get_queryset scopes it

    def get_queryset(self):
        return handoffs_visible_to(self.request.user).select_related(
            "lead", "lead__channel", "assignee", "team"
        )

    def _answer(self, handoff):
        handoff = self.get_queryset().get(pk=handoff.pk)
        return Response(HandoffSerializer(handoff, context=self.get_serializer_context()).data)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(summary=_("A handoff"), responses={200: HandoffSerializer, **READ_ERRORS})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=_("Claim a handoff from the pool"),
        request=None,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        handoff = services.claim_handoff(handoff=self.get_object(), user=request.user)
        return self._answer(handoff)

    @extend_schema(
        summary=_("Log the first touch"),
        request=FirstTouchSerializer,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="first-touch")
    def first_touch(self, request, pk=None):
        data = self._input(FirstTouchSerializer)
        handoff = services.log_first_touch(handoff=self.get_object(), user=request.user, **data)
        return self._answer(handoff)

    @extend_schema(
        summary=_("Accept into SAL"),
        description=_("All three acceptance checks must be true."),
        request=AcceptSerializer,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        checklist = self._input(AcceptSerializer)
        handoff = services.accept_handoff(
            handoff=self.get_object(), user=request.user, checklist=checklist
        )
        # The accepted handoff comes back with its lead, team, rep and clocks as written: the
        # answer reads nothing again (the accept's query budget, tests/bench/test_load.py).
        return Response(HandoffSerializer(handoff, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("Return to marketing"),
        description=_("The lead moves to recycled; marketing is told."),
        request=ReturnSerializer,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_marketing(self, request, pk=None):
        data = self._input(ReturnSerializer)
        handoff = services.return_handoff(handoff=self.get_object(), user=request.user, **data)
        return self._answer(handoff)

    @extend_schema(
        summary=_("Disqualify from the queue"),
        description=_(
            "The MQL is ruled out with a disqualification reason (e.g. junk, competitor, "
            "student, duplicate; other needs a note): it leaves the queue, its clocks stop, and "
            "only a manager can reinstate it."
        ),
        request=DisqualifySerializer,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def disqualify(self, request, pk=None):
        data = self._input(DisqualifySerializer)
        handoff = services.disqualify_handoff(handoff=self.get_object(), user=request.user, **data)
        return self._answer(handoff)

    @extend_schema(
        summary=_("Reassign (managers)"),
        request=ReassignSerializer,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        data = self._input(ReassignSerializer)
        handoff = services.reassign_handoff(
            handoff=self.get_object(), to_user=data["assignee"], user=request.user
        )
        return self._answer(handoff)

    @extend_schema(
        summary=_("Set the lead's status"),
        request=StatusSerializer,
        responses={200: HandoffSerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        data = self._input(StatusSerializer)
        handoff = self.get_object()
        services.set_lead_status(lead=handoff.lead, user=request.user, status=data["status"])
        return self._answer(handoff)


class QualificationView(APIView):
    """A lead's BANT answers; PUT saves the fields it is given and leaves the others.

    Only for those with business with the lead (handoff.access): for anyone else the lead's
    qualification answers 404, as for no lead, like every object one may not read.
    """

    permission_classes = [HasCapability]
    capability = "handoff.work_leads"

    def _lead(self, pk) -> Lead:
        return get_object_or_404(leads_with_qualification_visible_to(self.request.user), pk=pk)

    @extend_schema(
        summary=_("A lead's qualification"),
        responses={200: QualificationSerializer, **READ_ERRORS},
    )
    def get(self, request, pk):
        lead = self._lead(pk)
        qualification = Qualification.objects.filter(lead=lead).first() or Qualification(lead=lead)
        return Response(QualificationSerializer(qualification).data)

    @extend_schema(
        summary=_("Save qualification answers (partially)"),
        request=QualificationSerializer,
        responses={200: QualificationSerializer, **ACTION_ERRORS},
    )
    def put(self, request, pk):
        lead = self._lead(pk)
        serializer = QualificationSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        qualification = services.save_qualification(
            lead=lead, user=request.user, changes=serializer.validated_data
        )
        return Response(QualificationSerializer(qualification).data)


class PromoteView(APIView):
    permission_classes = [HasCapability]
    capability = "handoff.qualify"

    @extend_schema(
        summary=_("Promote a SAL to SQL"),
        description=_("Refused with 409 and the missing criteria until the required ones are met."),
        request=PromoteSerializer,
        responses={
            200: LeadRefSerializer,
            **error_responses(400, 401, 403, 404),
            409: OpenApiResponse(
                MissingCriteriaSerializer,
                description=_(
                    "Not ready: `missing` lists the unmet criteria; or the lead is no longer a SAL."
                ),
            ),
        },
    )
    def post(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        serializer = PromoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        promoted = services.promote_to_sql(
            lead=lead,
            user=request.user,
            account_executive=serializer.validated_data["account_executive"],
        )
        return Response(LeadRefSerializer(promoted).data)


class LeadDecisionView(APIView):
    """A decision on the lead's latest handoff, from the lead's side; answers with the lead."""

    permission_classes = [HasCapability]
    input_serializer = ReturnSerializer

    def post(self, request, pk):
        lead = get_object_or_404(Lead, pk=pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.decide(lead, request.user, serializer.validated_data)
        return Response(
            LeadRefSerializer(Lead.objects.select_related("channel").get(pk=lead.pk)).data
        )


@extend_schema_view(
    post=extend_schema(
        summary=_("Return a SAL to marketing"),
        description=_(
            "The SAL-to-SQL decision's other answer: the lead moves to recycled with a reason "
            "(codes as for returning a handoff)."
        ),
        request=ReturnSerializer,
        responses={200: LeadRefSerializer, **ACTION_ERRORS},
    )
)
class ReturnFromSalView(LeadDecisionView):
    capability = "handoff.qualify"

    def decide(self, lead, user, data):
        services.return_handoff(
            handoff=services.lead_handoff(lead), user=user, expected_from=Stage.SAL, **data
        )


@extend_schema_view(
    post=extend_schema(
        summary=_("Disqualify a lead"),
        description=_(
            "An MQL waiting in the queue or a SAL is ruled out with a disqualification reason "
            "(e.g. junk, competitor, student, duplicate; other needs a note): it leaves the "
            "queue and its SLA clocks stop. SDRs who may work its handoff, and managers."
        ),
        request=DisqualifySerializer,
        responses={200: LeadRefSerializer, **ACTION_ERRORS},
    )
)
class DisqualifyLeadView(LeadDecisionView):
    capability = "leads.disqualify"
    input_serializer = DisqualifySerializer

    def decide(self, lead, user, data):
        services.disqualify_handoff(
            handoff=services.lead_handoff(lead), user=user, expected_from=lead.stage, **data
        )


@extend_schema_view(
    post=extend_schema(
        summary=_("Reinstate a disqualified lead (managers)"),
        description=_(
            "The lead goes back to lead and is rescored under the published agreement: if it "
            "qualifies it is an MQL again and enters the queue as a new pass."
        ),
        request=ReinstateSerializer,
        responses={200: LeadRefSerializer, **ACTION_ERRORS},
    )
)
class ReinstateLeadView(LeadDecisionView):
    capability = "leads.reinstate"
    input_serializer = ReinstateSerializer

    def decide(self, lead, user, data):
        services.reinstate_lead(lead=lead, user=user, **data)


@extend_schema_view(
    list=extend_schema(
        summary=_("Opportunities (yours; a rep's: also those they sourced; a manager's: all)"),
        description=_(
            "Newest first; `ordering` sorts by name, stage, amount or close date instead, as "
            "the pipeline page's headers do (e.g. `close`, `-amount`), ties in id order."
        ),
        responses={200: OpportunitySerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary=_("An opportunity"), responses={200: OpportunitySerializer, **READ_ERRORS}
    ),
    create=extend_schema(
        summary=_("Open an opportunity on an SQL"),
        responses={201: OpportunitySerializer, **ACTION_ERRORS},
    ),
    update=extend_schema(
        summary=_("Edit an opportunity"),
        request=OpportunityUpdateSerializer,
        responses={200: OpportunitySerializer, **ACTION_ERRORS},
    ),
    partial_update=extend_schema(
        summary=_("Edit some fields of an opportunity"),
        request=OpportunityUpdateSerializer,
        responses={200: OpportunitySerializer, **ACTION_ERRORS},
    ),
)
class OpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    # SDRs open opportunities on the SQLs they promoted; every read, the list included, shows
    # only the opportunities the caller may read (handoff.access).
    permission_classes = [HasCapability]
    capability = "handoff.work_leads"
    serializer_class = OpportunitySerializer
    filter_backends = [StableOrderingFilter]
    sorting = OPPORTUNITY_API_SORTING
    queryset = Opportunity.objects.none()  # typed for the schema; get_queryset scopes it

    def get_queryset(self):
        return opportunities_for(user=self.request.user)

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return OpportunityUpdateSerializer
        return OpportunitySerializer

    def perform_create(self, serializer):
        serializer.instance = services.open_opportunity(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        lost_reason = changes.pop("lost_reason", "")
        serializer.instance = services.update_opportunity(
            opportunity=serializer.instance,
            user=self.request.user,
            changes=changes,
            lost_reason=lost_reason,
        )

    @extend_schema(
        summary=_("Mark won: the lead becomes a customer"),
        request=None,
        responses={200: OpportunitySerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def won(self, request, pk=None):
        opportunity = services.update_opportunity(
            opportunity=self.get_object(), user=request.user, changes={"stage": "won"}
        )
        return Response(OpportunitySerializer(opportunity).data)

    @extend_schema(
        summary=_("Mark lost, with the reason: the lead goes back to marketing (recycled)"),
        request=LostSerializer,
        responses={200: OpportunitySerializer, **ACTION_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def lost(self, request, pk=None):
        serializer = LostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opportunity = services.update_opportunity(
            opportunity=self.get_object(),
            user=request.user,
            changes={"stage": "lost"},
            lost_reason=serializer.validated_data["reason"],
        )
        return Response(OpportunitySerializer(opportunity).data)
