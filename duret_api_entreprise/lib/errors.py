"""Typed errors raised by the remote clients.

Messages never contain credentials; they carry the remote code and title so the
models can translate them into a French user message.
"""


class RemoteError(Exception):
    """Base class: a remote service did not give a usable answer."""

    #: the batch must stop (retrying now would risk a ban or a loop)
    stop_batch = False

    def __init__(self, message, status=None, code=None, retry_in=None, payload=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_in = retry_in
        self.payload = payload


class TransportError(RemoteError):
    """Network failure, timeout or unreadable body."""


class AuthenticationError(RemoteError):
    """401: token missing, invalid (00101), expired (00103) or blacklisted (00105)."""

    stop_batch = True


class ForbiddenError(RemoteError):
    """403 (00100): the token lacks the scope of this endpoint."""


class NotFoundError(RemoteError):
    """404: unknown entity OR out of the provider's scope; never proof of non-compliance."""


class ConflictError(RemoteError):
    """409 (00015): the same request is already running; retry later."""


class InvalidParameterError(RemoteError):
    """422: a mandatory parameter is missing or malformed (00201/00202/00203/00211/00301/00302)."""


class RateLimitError(RemoteError):
    """429, or the quota announced by the RateLimit headers is about to run out."""

    stop_batch = True


class UnavailableForLegalReasonsError(RemoteError):
    """451: the INSEE entity was never published."""


class ProviderError(RemoteError):
    """502/503/504 or another 5xx from the provider: reschedule after ``retry_in`` seconds."""


class DocumentUnavailableError(RemoteError):
    """A document URL could not be downloaded (expired, deleted, not a file)."""


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
        return ProviderError
    return RemoteError
