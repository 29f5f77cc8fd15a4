"""What every API endpoint shares: JSON in, domain errors mapped to HTTP once, cursor pagination,
input read as strictly as the schema describes it.

The contract: 400 means the request breaks the published schema (or a rule between its fields);
404 that an id, in the path or the body, names nothing the caller may use; 409 that the state of
things refuses it (the lead moved on, someone else has it).
"""

import re
from collections.abc import Mapping

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import pagination, relations, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError

DIGITS = re.compile(r"[0-9]{1,9}")
# The largest id a database column holds (bigint); larger ones name nothing.
MAX_ID = 2**63 - 1


class CursorPagination(pagination.CursorPagination):
    """Stable pages over changing data; newest first unless a view says otherwise.

    `page_size` is a whole number from 1 to max_page_size, as the schema says; anything else is
    refused rather than silently replaced by the default."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:  # left out, or sent empty (see empty_means_left_out)
            return self.page_size
        if not DIGITS.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            message = _("A whole number from 1 to %(max)d.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters


def _json_types(field) -> tuple[type, ...] | None:
    """The JSON types (as Python decodes them) the schema gives a field; None: not checked here."""
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.IntegerField | relations.PrimaryKeyRelatedField):
        return (int,)
    if isinstance(field, serializers.FloatField):
        return (int, float)
    if isinstance(
        field,
        serializers.CharField
        | serializers.ChoiceField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.DecimalField,
    ):
        return (str,)
    if isinstance(field, serializers.DictField):
        return (dict,)
    if isinstance(field, serializers.ListField):
        return (list,)
    return None


# A serializer mixin for request bodies: a field the schema does not list, or a value of another
# JSON type than it gives (a number for text, "true" for a boolean, "5" for an id), is refused
# where DRF would ignore or convert it. (A comment, not a docstring: the schema would show it as
# the description of every body.)
class StrictInput:
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for name, value in data.items():
                field = self.fields.get(name)
                if field is None or field.read_only:
                    errors[str(name)[:100]] = [_("Unknown field.")]
                elif not _has_schema_type(field, value):
                    errors[name] = [_("Not the type the API schema gives this field.")]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)


def _has_schema_type(field, value) -> bool:
    """Whether `value` is of the JSON type the schema gives `field`, its items' too."""
    if value is None:
        return True  # allow_null is DRF's to check
    types = _json_types(field)
    if types is None:
        return True
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        return False
    if isinstance(field, serializers.DictField):
        return all(_has_schema_type(field.child, item) for item in value.values())
    if isinstance(field, serializers.ListField):
        return all(_has_schema_type(field.child, item) for item in value)
    return True


# DRF trims text before it checks that text is not blank; the schema says so with this pattern
# (which, like NO_NUL, also leaves out the NUL character DRF refuses in any text).
NOT_BLANK = RegexValidator(
    r"^[^\x00]*[^\s\x00][^\x00]*$", gettext_lazy("This field may not be blank.")
)
# Text as a database stores it: PostgreSQL refuses NUL in text and in JSON, so every text field
# of the API refuses it (DRF's CharField, leads.services.text_problem and json_problem).
NO_NUL = r"^[^\x00]*$"
AMOUNT = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": AMOUNT})
class Amount(serializers.DecimalField):
    """Money as the schema writes it, a string such as "12000.50", never negative; DRF's own
    DecimalField also takes numbers, spaces and exponents the schema does not allow."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(AMOUNT, data):
            self.fail("invalid")
        return super().to_internal_value(data)


class Reference(relations.PrimaryKeyRelatedField):
    """An id in a request body: one that names nothing in the queryset answers 404, as a guessed
    id in the path does."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = self.get_queryset().filter(pk=data).first() if 0 < data <= MAX_ID else None
        if found is None:
            raise NotFound(
                _("%(field)s: nothing with id %(id)d.") % {"field": self.field_name, "id": data}
            )
        return found


def forbid_unknown_fields(result, generator, request, public):
    """drf-spectacular postprocessing: request bodies list every field they take (StrictInput,
    leads.services, intake.ingest refuse any other)."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


# Any JSON value whose text has no NUL (leads.services.json_problem): what a lead's `attributes`
# hold. (Its keys are checked the same way; OpenAPI 3.0 has no keyword to say so.)
JSON_VALUE = {
    "nullable": True,
    "anyOf": [
        {"type": "string", "pattern": NO_NUL},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": {"$ref": "#/components/schemas/JSONValue"}},
        {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JSONValue"}},
    ],
}


@extend_schema_field(
    {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/JSONValue"}}
)
class JSONObject(serializers.DictField):
    """An object of any JSON values whose text has no NUL (JSONValue in the schema)."""


def text_without_nul(result, generator, request, public):
    """drf-spectacular postprocessing: the text a request body carries has no NUL (NO_NUL)
    unless its format or pattern already says what it is; JSONValue for JSONObject fields."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["JSONValue"] = JSON_VALUE
    for name, component in schemas.items():
        if not name.endswith("Request"):
            continue
        for prop in component.get("properties", {}).values():
            for text in (prop, prop.get("additionalProperties"), prop.get("items")):
                _no_nul(text)
    return result


def _no_nul(schema) -> None:
    """Text with no format, pattern or choices of its own: say it has no NUL (Django's and DRF's
    text fields refuse it, in bodies and query strings alike)."""
    if (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and not {"format", "pattern", "enum"} & schema.keys()
    ):
        schema["pattern"] = NO_NUL


def empty_means_left_out(result, generator, request, public):
    """drf-spectacular postprocessing: every query parameter sent empty (`?team=`, as an HTML
    form sends a field left blank) reads as not sent, in the filters, the report forms and
    pagination alike; the schema says so with allowEmptyValue. Text parameters have no NUL."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    parameter["allowEmptyValue"] = True
                    _no_nul(parameter.get("schema"))
    return result


def exception_handler(exc, context):
    """400 with field paths for bad input, 404/409 for domain refusals, 413 for oversize bodies."""
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "The request body is larger than this server accepts."},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    return drf_exception_handler(exc, context)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(
        help_text=gettext_lazy("What went wrong, in the user's language.")
    )


ERROR_DESCRIPTIONS = {
    400: gettext_lazy("Bad input: messages by field name, or `detail`."),
    401: gettext_lazy("No or invalid credentials: send `Authorization: Token <key>` or a session."),
    403: gettext_lazy("Your role may not do this."),
    404: gettext_lazy(
        "No such object, or a row the body names does not exist or is not yours to use (on a list:"
        " the cursor is not one this server gave)."
    ),
    409: gettext_lazy("The state of things refuses it: it moved on, or someone else has it."),
    413: gettext_lazy("The body is larger than this server accepts."),
    429: gettext_lazy("Too many requests: wait for the seconds in the Retry-After header."),
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description=gettext_lazy("Seconds to wait before trying again."),
)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """Documented error answers for extend_schema(responses=...); 400 may carry field errors."""
    return {
        code: OpenApiResponse(
            OpenApiTypes.OBJECT if code == 400 else ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
        )
        for code in codes
    }
