from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts import capabilities
from core.currency import CurrencyField
from core.i18n import other_languages
from handoff.models import (
    FirstTouchChannel,
    Opportunity,
    OpportunityStage,
    Qualification,
    ReasonKind,
    ReturnReason,
)
from handoff.models.qualification import CRITERIA
from handoff.services.qualification import QUALIFICATION_FIELDS
from leads.models import Channel, LeadStatus
from teams.models import AssignmentMode, Team, TeamMember


def users_who_may(capability: str):
    return capabilities.users_who_may(capability).order_by("username")


class FirstTouchForm(forms.Form):
    prefix = "touch"  # the work panel holds several forms with a note
    channel = forms.ChoiceField(label=_("How"), choices=FirstTouchChannel.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(forms.Form):
    """The three SAL checks; all three are required."""

    meets_mql_spec = forms.BooleanField(label=_("It meets the MQL spec as shown"))
    can_start_conversation = forms.BooleanField(label=_("Sales can start a conversation"))
    role_could_buy = forms.BooleanField(
        label=_("The person is at the company in a role that could buy")
    )


class ReturnForm(forms.Form):
    """A reason of the form's kind (one list holds both kinds) and an optional note."""

    prefix = "return"
    kind = ReasonKind.RETURN
    reason = forms.ModelChoiceField(
        label=_("Reason"),
        queryset=ReturnReason.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a reason"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ReturnReason.objects.filter(kind=self.kind, is_active=True)


class DisqualifyForm(ReturnForm):
    prefix = "disqualify"
    kind = ReasonKind.DISQUALIFY

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why disqualify")


class ReinstateForm(forms.Form):
    prefix = "reinstate"
    note = forms.CharField(
        label=_("Why reinstate"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Lead status"), choices=LeadStatus.choices)


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Give to"),
        queryset=users_who_may("queue.take_leads"),
        required=False,
        empty_label=_("Back to the pool"),
    )


class BulkReassignForm(ReassignForm):
    """The queue's bulk bar: where the ticked leads go."""

    prefix = "bulk"


class BulkReturnForm(ReturnForm):
    """The queue's bulk bar: why the ticked leads go back to marketing. The reason is required
    by the server only: the bar's other button (reassign) needs none."""

    prefix = "bulk-return"
    use_required_attribute = False


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = QUALIFICATION_FIELDS
        field_classes = {"budget_currency": CurrencyField}
        widgets = {
            "need": forms.Textarea(attrs={"rows": 2}),
            "timeline_date": forms.DateInput(attrs={"type": "date"}),
            "next_step_date": forms.DateInput(attrs={"type": "date"}),
            "budget_currency": forms.TextInput(attrs={"size": 3, "placeholder": "EUR"}),
        }


class PromoteForm(forms.Form):
    account_executive = forms.ModelChoiceField(
        label=_("Hand to account executive"),
        queryset=users_who_may("opportunities.own"),
        required=False,
        empty_label=_("Nobody yet"),
    )


class OpportunityForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Owner (account executive)"), queryset=users_who_may("opportunities.own")
    )

    class Meta:
        model = Opportunity
        fields = ["name", "amount", "currency", "expected_close_date", "owner"]
        field_classes = {"currency": CurrencyField}
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}),
            "currency": forms.TextInput(attrs={"size": 3, "placeholder": "EUR"}),
        }


class OpportunityUpdateForm(OpportunityForm):
    lost_reason = forms.CharField(
        label=_("Lost reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the stage is Lost."),
    )

    class Meta(OpportunityForm.Meta):
        fields = ["name", "amount", "currency", "expected_close_date", "stage", "owner"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == OpportunityStage.LOST and not cleaned.get("lost_reason"):
            self.add_error("lost_reason", _("Say why the opportunity was lost."))
        return cleaned


class TeamForm(forms.ModelForm):
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=users_who_may("teams.manage"), required=False
    )
    # Stored on the channel (leads.Channel.teams), edited here where managers look for it.
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leads from these channels go to this team."),
    )
    reporting_currency = CurrencyField(label=_("Reporting currency"), required=False)
    field_order = ["name", "manager", "mode", "channels", "is_default", "reporting_currency"]

    class Meta:
        model = Team
        fields = ["name", "manager", "mode", "is_default", "reporting_currency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["channels"].initial = self.instance.channels.all()
        self.fields["reporting_currency"].help_text = _(
            "Reports convert amounts into this ISO code; empty for %(currency)s, the "
            "workspace's default."
        ) % {"currency": settings.ACCORD_REPORTING_CURRENCY}


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("Assignment"), choices=AssignmentMode.choices)


class MemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["weight", "cap"]


class AddMemberForm(MemberForm):
    user = forms.ModelChoiceField(label=_("Rep"), queryset=users_who_may("queue.take_leads"))

    class Meta(MemberForm.Meta):
        fields = ["user", "weight", "cap"]


class ReturnReasonForm(forms.ModelForm):
    """The reason and, for each other language, the label reps reading in it see (blank: the
    shipped translation of a default reason, or the label as written)."""

    class Meta:
        model = ReturnReason
        fields = ["kind", "code", "label", "is_active", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in other_languages():
            self.fields[label_field(code)] = forms.CharField(
                label=_("Label in %(language)s") % {"language": name},
                max_length=200,
                required=False,
                initial=self.instance.labels.get(code, ""),
                widget=forms.TextInput(attrs={"dir": "auto"}),
            )

    def translated_labels(self):
        """The per-language fields, for the template to lay out apart from the others."""
        return [self[label_field(code)] for code, _name in other_languages()]

    def save(self, commit=True):
        self.instance.labels = {
            code: self.cleaned_data[label_field(code)].strip()
            for code, _name in other_languages()
            if self.cleaned_data[label_field(code)].strip()
        }
        return super().save(commit=commit)


def label_field(language_code: str) -> str:
    return "label_" + language_code.replace("-", "_")


class RequiredCriteriaForm(forms.Form):
    required = forms.MultipleChoiceField(
        label=_("Required to promote to SQL"),
        choices=list(CRITERIA.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
