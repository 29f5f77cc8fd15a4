"""Editor forms: one per rule kind plus the version's settings.

Each rule form reads what a marketer types (a comma-separated list, a number, a pattern), reports
problems next to the field, and finally builds the engine rule so that anything the engine
would refuse is refused here, before a row is written.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from leads.countries import country_code
from leads.models import ActivityKind, Channel, ChannelKind
from scoring import engine
from scoring.convert import engine_rule
from scoring.describe import error_message
from scoring.models import (
    OPERATOR_CHOICES,
    ActionRule,
    Agreement,
    ChannelRule,
    NegativeRule,
    ProfileRule,
)
from scoring.validation import pattern_can_match

LIST_OPERATORS = ("one_of", "not_one_of")
NUMBER_OPERATORS = ("at_least", "at_most")
VALUE_HELP = _(
    "Leave empty for “is present”; separate several values with commas; at least / at most "
    "take a number."
)


# A comma in any of Accord's scripts separates values: Chinese writers type "，" or "、", Arabic
# writers "،" (a marketer typing "采购，学生" means two keywords).
VALUE_SEPARATORS = re.compile("[,，、،]")


def parse_value(operator: str, text: str, *, gate: bool = False):
    """What the marketer typed as the value the engine expects, or a ValidationError."""
    text = (text or "").strip()
    if operator == "present":
        return None
    items = [item.strip() for item in VALUE_SEPARATORS.split(text) if item.strip()]
    if not items:
        if operator in LIST_OPERATORS:
            raise forms.ValidationError(
                _("List at least one value: “one of” an empty list can never hold.")
            )
        raise forms.ValidationError(_("This operator needs a value."))
    if operator in NUMBER_OPERATORS:
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a number.")) from None
        return int(number) if number.is_integer() else number
    if operator == "matches":
        try:
            engine.compile_test(operator, text)
        except engine.RuleError as error:
            raise forms.ValidationError(error_message(error)) from None
        if gate and not pattern_can_match(text):
            raise forms.ValidationError(
                _("This pattern cannot match any text, so no lead could meet this gate.")
            )
        return text
    if operator in LIST_OPERATORS or (operator == "contains" and len(items) > 1):
        return items
    return text if operator == "equals" else items[0]


COUNTRY_OPERATORS = ("equals", "one_of", "not_one_of")


def country_value(operator: str, value):
    """Leads hold ISO codes, so a rule on the country compares codes: each country typed as a
    name, in any of Accord's languages ("Thailand", "ประเทศไทย", "泰国"), is stored as its code."""
    if operator not in COUNTRY_OPERATORS:
        return value
    items = value if isinstance(value, list) else [value]
    codes, unknown = [], []
    for item in items:
        code = country_code(str(item))
        if code is None:
            unknown.append(str(item))
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise forms.ValidationError(
            _("Unknown country: %(names)s. Give an ISO code (e.g. TH) or the country's name.")
            % {"names": ", ".join(unknown)}
        )
    return codes if isinstance(value, list) else codes[0]


def shown_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def check_field(field: str) -> str:
    field = field.strip()
    is_attribute = field.startswith(engine.ATTRIBUTE_PREFIX) and len(field) > len(
        engine.ATTRIBUTE_PREFIX
    )
    if field not in engine.PROFILE_FIELDS and not is_attribute:
        raise forms.ValidationError(
            _("Unknown field. Use a lead field such as title, or attributes.<key>.")
        )
    return field


class RuleForm(forms.ModelForm):
    """Builds the engine rule from the cleaned data; the engine's refusal becomes a form error."""

    rule_kind = ""

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            candidate = self.instance
            for name, value in cleaned.items():
                if hasattr(candidate, name):
                    setattr(candidate, name, value)
            candidate.key = candidate.key or "new"
            try:
                engine_rule(self.rule_kind, candidate)
            except engine.RuleError as error:
                raise forms.ValidationError(error_message(error)) from None
        return cleaned


class ValueMixin(forms.Form):
    value_text = forms.CharField(label=_("Value"), required=False, help_text=VALUE_HELP)

    def initial_value_text(self):
        if self.instance.pk:
            self.initial["value_text"] = shown_value(self.instance.value)


class ProfileRuleForm(ValueMixin, RuleForm):
    rule_kind = "profile"
    field = forms.CharField(
        label=_("Field"),
        widget=forms.TextInput(attrs={"list": "profile-fields", "autocomplete": "off"}),
    )

    class Meta:
        model = ProfileRule
        fields = ["field", "operator", "mode", "points"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial_value_text()
        self.fields["points"].required = False

    def clean_field(self):
        return check_field(self.cleaned_data["field"])

    def clean(self):
        data = self.cleaned_data
        operator, mode = data.get("operator"), data.get("mode")
        if operator:
            try:
                value = parse_value(operator, data.get("value_text"), gate=mode == engine.GATE)
                if data.get("field") == "country":
                    value = country_value(operator, value)
                self.instance.value = value
            except forms.ValidationError as error:
                self.add_error("value_text", error)
        if mode == engine.GATE:
            if data.get("points"):
                self.add_error("points", _("A gate must hold; it earns no points."))
            data["points"] = 0
        elif not data.get("points"):
            self.add_error("points", _("Fit points need a number of points."))
        return super().clean()


class ChannelRuleForm(RuleForm):
    rule_kind = "channel"
    channel_slug = forms.ChoiceField(label=_("Channel"), required=False)
    required_activity_kinds = forms.MultipleChoiceField(
        label=_("Only after one of these activities"),
        choices=[(k, v) for k, v in ActivityKind.choices if k != engine.UNSUBSCRIBE],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ChannelRule
        fields = ["channel_slug", "channel_kind", "policy", "required_activity_kinds", "min_score"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slugs = Channel.objects.order_by("name").values_list("slug", "name")
        self.fields["channel_slug"].choices = [("", _("— or pick a kind —")), *slugs]
        self.fields["channel_kind"].choices = [("", "—"), *ChannelKind.choices]

    def clean(self):
        data = self.cleaned_data
        if bool(data.get("channel_slug")) == bool(data.get("channel_kind")):
            self.add_error("channel_slug", _("Pick either one channel or a kind of channel."))
        conditional = data.get("policy") == engine.CONDITIONAL
        has_conditions = bool(data.get("required_activity_kinds")) or (
            data.get("min_score") is not None
        )
        if conditional and not has_conditions:
            self.add_error("policy", _("Say which activity or minimum score the channel needs."))
        if has_conditions and not conditional:
            self.add_error("policy", _("Conditions apply to “accepted with conditions” only."))
        return super().clean()


CONDITION_SLOTS = 3


class ConditionMixin(forms.Form):
    """Up to CONDITION_SLOTS property conditions on the activity, all of which must hold
    (e.g. url contains /pricing, minutes at least 30); empty slots are ignored."""

    def add_condition_fields(self):
        for slot in range(1, CONDITION_SLOTS + 1):
            self.fields[f"condition_key_{slot}"] = forms.SlugField(
                label=_("Where property") if slot == 1 else _("And property"), required=False
            )
            self.fields[f"condition_operator_{slot}"] = forms.ChoiceField(
                label=_("Condition"), choices=OPERATOR_CHOICES, required=False
            )
            self.fields[f"condition_value_{slot}"] = forms.CharField(
                label=_("Condition value"), required=False
            )
        for slot, condition in enumerate(self.instance.conditions or [], start=1):
            self.initial.update(
                {
                    f"condition_key_{slot}": condition["key"],
                    f"condition_operator_{slot}": condition.get("operator", "present"),
                    f"condition_value_{slot}": shown_value(condition.get("value")),
                }
            )

    def clean_conditions(self):
        data = self.cleaned_data
        conditions = []
        for slot in range(1, CONDITION_SLOTS + 1):
            key = data.get(f"condition_key_{slot}")
            if not key:
                continue
            operator = data.get(f"condition_operator_{slot}") or "present"
            try:
                value = parse_value(operator, data.get(f"condition_value_{slot}"))
            except forms.ValidationError as error:
                self.add_error(f"condition_value_{slot}", error)
                continue
            conditions.append({"key": key, "operator": operator, "value": value})
        self.instance.conditions = conditions


class ActionRuleForm(ConditionMixin, RuleForm):
    rule_kind = "action"

    class Meta:
        model = ActionRule
        fields = ["kind", "points", "cap", "window_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_condition_fields()
        self.fields["kind"].choices = [
            (k, v) for k, v in ActivityKind.choices if k != engine.UNSUBSCRIBE
        ]
        for name in ("cap", "window_days"):
            self.fields[name].widget.attrs["min"] = 1

    def clean_cap(self):
        cap = self.cleaned_data.get("cap")
        if cap is not None and cap < 1:
            raise forms.ValidationError(_("A cap counts at least one activity."))
        return cap

    def clean_window_days(self):
        days = self.cleaned_data.get("window_days")
        if days is not None and days < 1:
            raise forms.ValidationError(_("A window is at least one day."))
        return days

    def clean(self):
        self.clean_conditions()
        return super().clean()


class NegativeRuleForm(ValueMixin, ConditionMixin, RuleForm):
    rule_kind = "negative"
    field = forms.CharField(
        label=_("Field"),
        required=False,
        widget=forms.TextInput(attrs={"list": "profile-fields", "autocomplete": "off"}),
    )

    class Meta:
        model = NegativeRule
        fields = ["field", "operator", "activity_kind", "effect", "points"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial_value_text()
        self.add_condition_fields()
        self.fields["activity_kind"].choices = [("", "—"), *ActivityKind.choices]
        self.fields["points"].required = False
        self.fields["points"].help_text = _("Below zero, e.g. -10; none when it disqualifies.")

    def clean_field(self):
        field = self.cleaned_data.get("field", "")
        return check_field(field) if field.strip() else ""

    def clean(self):
        data = self.cleaned_data
        if bool(data.get("field")) == bool(data.get("activity_kind")):
            self.add_error("field", _("Pick either a lead field or an activity."))
        if data.get("field") and data.get("operator"):
            try:
                value = parse_value(data["operator"], data.get("value_text"))
                if data["field"] == "country":
                    value = country_value(data["operator"], value)
                self.instance.value = value
            except forms.ValidationError as error:
                self.add_error("value_text", error)
        else:
            self.instance.value = None
            data["operator"] = "present"
        self.clean_conditions()
        if data.get("effect") == engine.DISQUALIFY:
            data["points"] = 0
        elif (data.get("points") or 0) >= 0:
            self.add_error("points", _("A negative takes points away: enter a number below 0."))
        return super().clean()


RULE_FORMS = {
    "profile": ProfileRuleForm,
    "channel": ChannelRuleForm,
    "action": ActionRuleForm,
    "negative": NegativeRuleForm,
}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["name", "narrative", "threshold", "decay_after_days", "decay_percent_per_week"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6})}

    def clean_threshold(self):
        threshold = self.cleaned_data["threshold"]
        if threshold < 0:
            raise forms.ValidationError(_("The threshold cannot be below zero."))
        return threshold

    def clean_decay_percent_per_week(self):
        percent = self.cleaned_data["decay_percent_per_week"]
        if percent > 100:
            raise forms.ValidationError(_("Decay is a percentage from 0 to 100."))
        return percent
