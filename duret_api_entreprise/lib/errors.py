"""Typed errors of API Entreprise and the open registers, on the suite's shared error base.

The shared base (``duret_procurement/lib/errors.py``) carries ``kind``,
``retry_in``, ``stop_batch`` and ``request_may_have_arrived``; the classes here
add what API Entreprise's status codes mean. Messages never contain credentials;
they carry the remote code and title, and the models put one translated sentence
per kind before them.
"""

from ...duret_procurement.lib.errors import (  # noqa: F401 (re-exported for the models)
    BudgetExhaustedError,
    HttpStatusError,
    PayloadError,
    RateLimitError,
    RemoteError,
    RemoteTimeoutError,
    ServiceUnavailableError,
    TransportError,
)


class AuthenticationError(RemoteError):
    """401: token missing, invalid (00101), expired (00103) or blacklisted (00105)."""

    kind = "authentication"
    stop_batch = True


class ForbiddenError(RemoteError):
    """403 (00100): the token lacks the scope of this endpoint."""

    kind = "forbidden"


class NotFoundError(RemoteError):
    """404: unknown entity OR out of the provider's scope; never proof of non-compliance."""

    kind = "not_found"


class ConflictError(RemoteError):
    """409 (00015): the same request is already running; retry later."""

    kind = "conflict"


class InvalidParameterError(RemoteError):
    """422: a mandatory parameter is missing or malformed (00201/00202/00203/00211/00301/00302)."""

    kind = "invalid_parameter"


class UnavailableForLegalReasonsError(RemoteError):
    """451: the INSEE entity was never published."""

    kind = "unpublished"


class DocumentUnavailableError(RemoteError):
    """A document URL could not be downloaded (expired, deleted, not a file)."""

    kind = "document_unavailable"


class SettingsError(RemoteError):
    """The call cannot be made: a mandatory parameter or the token is not configured."""

    kind = "settings"
    stop_batch = True


STATUS_ERRORS = {
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: InvalidParameterError,
    429: RateLimitError,
    451: UnavailableForLegalReasonsError,
}


def error_class_for(status):
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if status >= 500:
        return ServiceUnavailableError
    return HttpStatusError
