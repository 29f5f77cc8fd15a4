from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.models import Event, Subscription


class SubscriptionForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, label=_("Events")
    )

    class Meta:
        model = Subscription
        fields = ["name", "url", "events", "is_active"]
