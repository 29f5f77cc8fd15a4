"""The agreement over the API: every rule in plain words (`text`, in the request's language)
and structured, keyed by the stable rule id that score explanations refer to."""

from rest_framework import serializers

from scoring.models import ActionRule, Agreement, ChannelRule, NegativeRule, ProfileRule, Signoff

RULE_BASE = ["id", "position", "text"]


class RuleSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="key", help_text="Stable rule id, as in explanations.")
    text = serializers.SerializerMethodField(help_text="The rule in plain words.")

    def get_text(self, rule) -> str:
        return rule.describe()


class ProfileRuleSerializer(RuleSerializer):
    value = serializers.JSONField(allow_null=True)

    class Meta:
        model = ProfileRule
        fields = [*RULE_BASE, "field", "operator", "value", "mode", "points"]


class ChannelRuleSerializer(RuleSerializer):
    required_activity_kinds = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = ChannelRule
        fields = [
            *RULE_BASE,
            "channel_slug",
            "channel_kind",
            "policy",
            "required_activity_kinds",
            "min_score",
        ]


class ConditionSerializer(serializers.Serializer):
    key = serializers.CharField()
    operator = serializers.CharField()
    value = serializers.JSONField(allow_null=True)


class ActionRuleSerializer(RuleSerializer):
    conditions = ConditionSerializer(many=True)

    class Meta:
        model = ActionRule
        fields = [*RULE_BASE, "kind", "conditions", "points", "cap", "window_days"]


class NegativeRuleSerializer(RuleSerializer):
    value = serializers.JSONField(allow_null=True)
    conditions = ConditionSerializer(many=True)

    class Meta:
        model = NegativeRule
        fields = [
            *RULE_BASE,
            "effect",
            "points",
            "field",
            "operator",
            "value",
            "activity_kind",
            "conditions",
        ]


class SignoffSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")

    class Meta:
        model = Signoff
        fields = ["side", "user", "at"]


class RulesSerializer(serializers.Serializer):
    profile = ProfileRuleSerializer(many=True, source="profilerules.all")
    channel = ChannelRuleSerializer(many=True, source="channelrules.all")
    action = ActionRuleSerializer(many=True, source="actionrules.all")
    negative = NegativeRuleSerializer(many=True, source="negativerules.all")


class AgreementSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", allow_null=True, default=None)
    published_by = serializers.CharField(
        source="published_by.username", allow_null=True, default=None
    )
    signoffs = SignoffSerializer(many=True)
    rules = RulesSerializer(source="*")

    class Meta:
        model = Agreement
        fields = [
            "id",
            "version",
            "name",
            "narrative",
            "status",
            "threshold",
            "decay_after_days",
            "decay_percent_per_week",
            "revision",
            "author",
            "created_at",
            "submitted_at",
            "published_at",
            "published_by",
            "signoffs",
            "rules",
        ]
