"""Narrowing a list by a row named in the query string (a channel's slug, a user's or team's id).

A well-formed value that names no row narrows to nothing: the answer is an empty list or report,
as a search for it would be, not an error. That is what a shared link to a deleted channel or an
API client's filter should read; a malformed value (text where an id goes) is still refused.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field

from core.api import MAX_ID

# An id as the API's schema writes it: a database id, so from 1 to the largest bigint.
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class AnyRowChoiceField(forms.ModelChoiceField):
    """The row the value names, or, for a value naming none, an unsaved row with that value:
    filtering by it finds nothing."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if "\x00" in str(value):  # no row's slug has it; the schema says text has none
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        model = self.queryset.model
        key = self.to_field_name or model._meta.pk.name
        try:
            cleaned = model._meta.get_field(key).to_python(value)
        except ValidationError:
            cleaned = None
        if cleaned is None or (isinstance(cleaned, int) and not 1 <= cleaned <= MAX_ID):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return self.queryset.filter(**{key: cleaned}).first() or model(**{key: cleaned})


class AnyRowFilter(django_filters.ModelChoiceFilter):
    field_class = AnyRowChoiceField

    def filter(self, qs, value):
        if value is not None and value._state.adding:
            return qs.none()
        return super().filter(qs, value)


@extend_schema_field(ID_SCHEMA)
class AnyIdFilter(AnyRowFilter):
    """A row by its id."""
