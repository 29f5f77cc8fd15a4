"""The one exception family for domain refusals; views and the API map it to HTTP once."""


class ApplicationError(Exception):
    """A request the domain refuses (HTTP 400): the message is shown to the user as is."""

    status_code = 400

    def __init__(self, message, extra=None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDenied(ApplicationError):
    status_code = 403


class ConflictError(ApplicationError):
    """Someone else changed the row first (HTTP 409): a stale or double move."""

    status_code = 409
