from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from accounts.capabilities import users_who_may
from accounts.people import person_name
from core.api import NOT_BLANK, Amount, Reference, StrictInput
from handoff.models import (
    FirstTouchChannel,
    Handoff,
    Opportunity,
    OpportunityStage,
    Qualification,
    ReasonKind,
    ReturnReason,
)
from handoff.models.qualification import CRITERIA
from handoff.selectors import as_shown
from handoff.services.handoffs import ACCEPTANCE_CHECKS
from handoff.services.qualification import QUALIFICATION_FIELDS
from leads.models import Lead, LeadStatus
from sla.selectors import ClockDisplay


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return person_name(user)


class LeadRefSerializer(serializers.ModelSerializer):
    channel = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    display_name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Lead
        fields = [
            "id",
            "full_name",
            "display_name",
            "email",
            "organization",
            "title",
            "channel",
            "stage",
            "status",
            "do_not_contact",
        ]
        read_only_fields = fields


class ScoreLineSerializer(serializers.Serializer):
    rule = serializers.CharField()
    points = serializers.IntegerField()


class HandoffListSerializer(serializers.ListSerializer):
    """Reads the clocks of a whole page of handoffs at once (handoff.selectors.as_shown),
    so the queue answers in the same number of queries for any number of rows."""

    def to_representation(self, data):
        now = self.context.setdefault("now", timezone.now())
        return super().to_representation(as_shown(data, now))


class HandoffSerializer(serializers.ModelSerializer):
    lead = LeadRefSerializer(read_only=True)
    team = serializers.StringRelatedField(read_only=True, allow_null=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    return_reason = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    top_reasons = ScoreLineSerializer(many=True, read_only=True)
    clock = serializers.SerializerMethodField(
        help_text=_(
            "on_time, at_risk, breached or met: the SLA clock the rep is racing (the running "
            "one due soonest, else the accept-or-return one), in the team's business time, as "
            "the queue page shows it; null when no SLA policy times this handoff."
        )
    )
    clock_text = serializers.SerializerMethodField(
        help_text=_("How the clock reads in the queue, e.g. “2h 10m left, business hours”.")
    )

    class Meta:
        model = Handoff
        fields = [
            "id",
            "lead",
            "agreement_version",
            "score",
            "top_reasons",
            "team",
            "assignee",
            "outcome",
            "created_at",
            "claimed_at",
            "first_touch_at",
            "accepted_at",
            "returned_at",
            "return_reason",
            "return_note",
            "sla_due_at",
            "clock",
            "clock_text",
        ]
        read_only_fields = fields
        list_serializer_class = HandoffListSerializer

    def _clock(self, handoff) -> ClockDisplay | None:
        if not hasattr(handoff, "clock_display"):  # one handoff, not a page of them
            as_shown([handoff], self.context.setdefault("now", timezone.now()))
        return handoff.clock_display

    @extend_schema_field(
        serializers.ChoiceField(choices=["on_time", "at_risk", "breached", "met"], allow_null=True)
    )
    def get_clock(self, handoff) -> str | None:
        display = self._clock(handoff)
        return None if display is None else display.css_state

    def get_clock_text(self, handoff) -> str | None:
        display = self._clock(handoff)
        return None if display is None else display.text


class FirstTouchSerializer(StrictInput, serializers.Serializer):
    channel = serializers.ChoiceField(choices=FirstTouchChannel.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_field({"type": "boolean", "enum": [True]})
class Ticked(serializers.BooleanField):
    """An acceptance check: only true is an answer, so the schema allows nothing else."""


class AcceptSerializer(StrictInput, serializers.Serializer):
    meets_mql_spec = Ticked(help_text=_("It meets the MQL spec as shown."))
    can_start_conversation = Ticked(help_text=_("Sales can start a conversation."))
    role_could_buy = Ticked(help_text=_("The person is at the company in a role that could buy."))

    def validate(self, attrs):
        unchecked = [check for check in ACCEPTANCE_CHECKS if not attrs.get(check)]
        if unchecked:
            message = _("All three acceptance checks must be true.")
            raise serializers.ValidationError({check: [message] for check in unchecked})
        return attrs


class ReasonCode(serializers.SlugField):
    """A reason code: one that names no active reason of the kind answers 404, like an id."""

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kind
        super().__init__(max_length=ReturnReason._meta.get_field("code").max_length, **kwargs)

    def run_validation(self, data=serializers.empty):
        code = super().run_validation(data)
        if not ReturnReason.objects.filter(kind=self.kind, code=code, is_active=True).exists():
            raise NotFound(_("No active reason has the code “%(code)s”.") % {"code": code})
        return code


class ReturnSerializer(StrictInput, serializers.Serializer):
    reason = ReasonCode(
        kind=ReasonKind.RETURN, help_text=_("A return reason code, e.g. not_reachable.")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required (not blank) when the reason is `other`."),
    )


class DisqualifySerializer(ReturnSerializer):
    reason = ReasonCode(
        kind=ReasonKind.DISQUALIFY,
        help_text=_("A disqualification reason code, e.g. junk, competitor, student, duplicate."),
    )


class ReinstateSerializer(StrictInput, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignSerializer(StrictInput, serializers.Serializer):
    assignee = Reference(
        queryset=users_who_may("queue.take_leads"),
        allow_null=True,
        help_text=_("A sales development rep's user id, or null for the team pool."),
    )


class StatusSerializer(StrictInput, serializers.Serializer):
    status = serializers.ChoiceField(choices=LeadStatus.choices)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    outcome = serializers.CharField(required=False)
    assignee = UserRefSerializer(required=False)


class QualificationSerializer(StrictInput, serializers.ModelSerializer):
    criteria_met = serializers.SerializerMethodField()
    # Null until the first answers are saved.
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    budget_amount = Amount(required=False, allow_null=True)

    class Meta:
        model = Qualification
        fields = [*QUALIFICATION_FIELDS, "criteria_met", "updated_at"]
        read_only_fields = ["criteria_met", "updated_at"]

    def get_criteria_met(self, qualification) -> dict[str, bool]:
        return qualification.criteria_met()


class PromoteSerializer(StrictInput, serializers.Serializer):
    account_executive = Reference(
        queryset=users_who_may("opportunities.own"),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Tell this account executive about the new SQL."),
    )


class MissingCriteriaSerializer(serializers.Serializer):
    detail = serializers.CharField(required=False)
    missing = serializers.ListField(
        child=serializers.ChoiceField(choices=list(CRITERIA.items())), required=False
    )


class OpportunitySerializer(StrictInput, serializers.ModelSerializer):
    lead = Reference(queryset=Lead.objects.all())
    owner = Reference(
        queryset=users_who_may("opportunities.own"),
        help_text=_("An account executive's user id."),
    )
    amount = Amount()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "lead",
            "name",
            "amount",
            "currency",
            "expected_close_date",
            "stage",
            "owner",
            "lost_reason",
            "created_at",
            "closed_at",
        ]
        read_only_fields = ["id", "stage", "lost_reason", "created_at", "closed_at"]
        extra_kwargs = {"name": {"validators": [NOT_BLANK]}}
        # The services check constraints on the whole row (one open opportunity per lead).
        validators = []


class OpportunityUpdateSerializer(OpportunitySerializer):
    """Stage may move on, or to won (the lead becomes a customer); lost, which needs a reason,
    is POST .../lost/."""

    lead = serializers.PrimaryKeyRelatedField(read_only=True)
    stage = serializers.ChoiceField(
        choices=[(stage, label) for stage, label in OpportunityStage.choices if stage != "lost"],
        required=False,
    )

    class Meta(OpportunitySerializer.Meta):
        read_only_fields = ["id", "lead", "lost_reason", "created_at", "closed_at"]


class LostSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(
        validators=[NOT_BLANK], help_text=_("Why the opportunity was lost.")
    )
