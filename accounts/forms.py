from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import ApiToken
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
