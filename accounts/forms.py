from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import ApiToken, Preferences
from accounts.tokens import DEFAULT_LIFETIME_IN_DAYS, LIFETIMES_IN_DAYS


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("Where the token will be used, e.g. “Website forms” or “CRM sync”."),
    )
    lifetime_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[
            (days, ngettext_lazy("%(days)d day", "%(days)d days", "days") % {"days": days})
            for days in LIFETIMES_IN_DAYS
        ],
        initial=DEFAULT_LIFETIME_IN_DAYS,
    )


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["single_key_shortcuts"]
        widgets = {
            "single_key_shortcuts": forms.CheckboxInput(
                attrs={"aria-describedby": "id_single_key_shortcuts-help"}
            )
        }


class UnlockForm(forms.Form):
    """One row of the lockouts page: the username and the address it was locked out from."""

    username = forms.CharField(max_length=255)
    # Empty when the failed logins came without an address (axes stores none).
    ip_address = forms.GenericIPAddressField(required=False)

    def clean_ip_address(self):
        return self.cleaned_data["ip_address"] or None
