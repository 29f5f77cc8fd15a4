from django import forms
from django.utils.translation import gettext_lazy as _

from leads.models import ConsentScope

# The consent form's "every scope" choice: withdrawing it is an unsubscribe.
EVERY_SCOPE = "all"


class EraseForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. “Erasure request by e-mail, ticket 4512”. Do not name the person."),
    )


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=[(EVERY_SCOPE, _("Every kind of contact")), *ConsentScope.choices],
    )
    granted = forms.TypedChoiceField(
        label=_("Answer"),
        choices=[("false", _("Withdrawn")), ("true", _("Granted"))],
        coerce=lambda value: value == "true",
    )

    def changes(self) -> dict[str, bool]:
        scope, granted = self.cleaned_data["scope"], self.cleaned_data["granted"]
        scopes = ConsentScope.values if scope == EVERY_SCOPE else [scope]
        return dict.fromkeys(scopes, granted)
