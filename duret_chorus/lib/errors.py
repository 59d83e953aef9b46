"""Typed errors of the PISTE / Chorus Pro client, on the suite's shared error base.

The shared base (``duret_procurement/lib/errors.py``) carries ``kind``,
``retry_in``, ``stop_batch`` and ``request_may_have_arrived``; transport
failures (no answer, 429, 5xx, unreadable body, time budget spent) are its own
classes, raised by the shared HTTP layer. The classes here are Chorus Pro's
definite refusals: each maps to one thing an administrator or accountant can act
on. A refusal means the request was not acted on, so ``request_may_have_arrived``
is False: a refused deposit is abandoned, never "uncertain". Messages never
carry secrets.
"""

from ...duret_procurement.lib.errors import (  # noqa: F401 (re-exported for the models)
    BudgetExhaustedError,
    PayloadError,
    RateLimitError,
    RemoteError,
    RemoteTimeoutError,
    ServiceUnavailableError,
    TransportError,
    UnexpectedAnswerError,
)


class ChorusRefusal(RemoteError):
    """Chorus Pro (or PISTE) answered and refused: ``libelle`` is its own text."""

    def __init__(self, message, libelle=None, **kwargs):
        kwargs.setdefault("request_may_have_arrived", False)
        super().__init__(message, **kwargs)
        self.libelle = libelle

    def __str__(self):
        parts = [self.args[0] if self.args else ""]
        if self.status:
            parts.append(f"HTTP {self.status}")
        if self.code is not None:
            parts.append(f"codeRetour {self.code}")
        if self.libelle and self.libelle not in parts[0]:
            parts.append(self.libelle)
        return " | ".join(parts)


class ChorusAuthError(ChorusRefusal):
    """The PISTE token endpoint refused the client id / secret."""

    kind = "authentication"
    stop_batch = True


class ChorusForbiddenError(ChorusRefusal):
    """HTTP 403: the API is not subscribed in the PISTE application."""

    kind = "forbidden"
    stop_batch = True


class ChorusAccountError(ChorusRefusal):
    """Still 401 after a fresh token: the cpro-account login/password is wrong or expired."""

    kind = "account"
    stop_batch = True


class ChorusFunctionalError(ChorusRefusal):
    """Chorus answered with ``codeRetour != 0`` (or a 4xx): this request is refused."""

    kind = "refused"
