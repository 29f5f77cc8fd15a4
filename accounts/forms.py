from django import forms
from django.conf import settings
from django.utils.translation import get_language_info, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, Preferences
from accounts.tokens import DEFAULT_LIFETIME_IN_DAYS, LIFETIMES_IN_DAYS
from core.zones import zone_names


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
        fields = ["language", "time_zone", "single_key_shortcuts"]
        widgets = {
            "single_key_shortcuts": forms.CheckboxInput(
                attrs={"aria-describedby": "id_single_key_shortcuts-help"}
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("The language your browser asks for")),
            *((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES),
        ]
        self.fields["time_zone"] = forms.TypedChoiceField(
            label=self.fields["time_zone"].label,
            help_text=self.fields["time_zone"].help_text,
            required=False,
            choices=[("", _("Your team's time zone")), *((zone, zone) for zone in zone_names())],
        )


class UnlockForm(forms.Form):
    """One row of the lockouts page: the username and the address it was locked out from."""

    username = forms.CharField(max_length=255)
    # Empty when the failed logins came without an address (axes stores none).
    ip_address = forms.GenericIPAddressField(required=False)

    def clean_ip_address(self):
        return self.cleaned_data["ip_address"] or None
