from django import forms
from django.utils.translation import gettext_lazy as _

from leads.models import ActivityKind, Channel, ConsentScope


class FormKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, label=_("Name"), help_text=_("e.g. “Pricing guide ebook”")
    )
    channel = forms.ModelChoiceField(Channel.objects.all(), label=_("Channel"))
    activity_kind = forms.ChoiceField(
        choices=ActivityKind.choices, initial=ActivityKind.FORM_SUBMIT, label=_("Records")
    )
    allowed_origins = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "https://www.example.com"}),
        label=_("Websites allowed to post (one per line)"),
        help_text=_(
            "Needed for JavaScript posts (CORS) and for redirecting back to your site; "
            "plain HTML forms work from any site."
        ),
    )
    properties = forms.JSONField(
        required=False,
        initial=dict,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": '{"content": "pricing-guide"}'}),
        label=_("Activity properties (JSON)"),
    )

    consent_field = forms.SlugField(
        required=False,
        max_length=100,
        label=_("Consent checkbox (field name)"),
        help_text=_(
            "The name of the form's consent checkbox, e.g. “consent”. When it is ticked, the "
            "consent below is recorded on the lead; unticked, nothing is recorded."
        ),
    )
    consent_scope = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *ConsentScope.choices],
        label=_("The checkbox grants"),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("consent_field")) != bool(cleaned.get("consent_scope")):
            raise forms.ValidationError(_("Give both the consent checkbox and what it grants."))
        return cleaned

    def clean_allowed_origins(self):
        return self.cleaned_data["allowed_origins"].split()

    def clean_properties(self):
        properties = self.cleaned_data["properties"] or {}
        if not isinstance(properties, dict):
            raise forms.ValidationError(_('Write an object, e.g. {"content": "ebook"}.'))
        return properties
