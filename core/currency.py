"""Currency codes: ISO 4217's three capital letters, the one rule the models, forms and the API's
schema share (a model field's validator becomes the schema's pattern)."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CURRENCY_PATTERN = r"^[A-Z]{3}$"
CURRENCY_CODE = re.compile(CURRENCY_PATTERN)
currency_code = RegexValidator(CURRENCY_PATTERN, _("Use a three-letter currency code such as USD."))


class CurrencyField(forms.CharField):
    """A currency typed by a person: "eur" is read as EUR."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Currency"))
        kwargs.setdefault("help_text", _("ISO code, e.g. USD, EUR, THB"))
        kwargs.update(max_length=3, min_length=3)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        super().validate(value)
        if value and not CURRENCY_CODE.match(value):
            raise forms.ValidationError(_("Use a three-letter currency code such as USD."))
