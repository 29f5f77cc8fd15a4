"""The one exception family for domain refusals; views and the API map it to HTTP once."""

from django.core import exceptions


class ApplicationError(Exception):
    """A request the domain refuses (HTTP 400): the message is shown to the user as is."""

    status_code = 400

    def __init__(self, message, extra=None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDenied(ApplicationError, exceptions.PermissionDenied):
    """Also Django's PermissionDenied, so code that knows only Django's (the test client, the
    admin, a plain 403 handler) still answers 403."""

    status_code = 403


class ConflictError(ApplicationError):
    """Someone else changed the row first (HTTP 409): a stale or double move."""

    status_code = 409


class NotFoundError(ApplicationError):
    """An id or code in the request names nothing the caller may use (HTTP 404), like a guessed
    id in the path: a lead, a user who is not an account executive, an inactive reason."""

    status_code = 404
