"""What every API endpoint shares: domain errors mapped to HTTP once, and cursor pagination."""

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination, status
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
