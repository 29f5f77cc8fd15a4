"""What every API endpoint shares: domain errors mapped to HTTP once, cursor pagination, and
the error answers every endpoint documents."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


class CursorPagination(pagination.CursorPagination):
    """Stable pages over changing data; newest first unless a view says otherwise."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 1000


def exception_handler(exc, context):
    """400 with field paths for bad input, 409 for conflicts, 413 for oversize bodies."""
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
    detail = serializers.CharField(help_text=_("What went wrong, in the user's language."))


ERROR_DESCRIPTIONS = {
    400: _("Bad input: messages by field name, or `detail`."),
    401: _("No or invalid credentials: send `Authorization: Token <key>` or a session."),
    403: _("Your role may not do this."),
    404: _("No such object (on a list: the cursor is not one this server gave)."),
    409: _("Someone else changed it first."),
    413: _("The body is larger than this server accepts."),
    429: _("Too many requests: wait for the seconds in the Retry-After header."),
}
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description=_("Seconds to wait before trying again."),
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
