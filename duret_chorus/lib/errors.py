"""Typed errors of the PISTE / Chorus Pro client.

Each class maps to one thing an administrator or accountant can act on, so the
models can turn it into a precise French message. Messages never carry secrets.
"""


class ChorusError(Exception):
    """Base error: ``message`` is safe to show, ``libelle`` is Chorus's own text."""

    def __init__(self, message, code_retour=None, libelle=None, http_status=None):
        super().__init__(message)
        self.message = message
        self.code_retour = code_retour
        self.libelle = libelle
        self.http_status = http_status

    def __str__(self):
        parts = [self.message]
        if self.http_status:
            parts.append(f"HTTP {self.http_status}")
        if self.code_retour is not None:
            parts.append(f"codeRetour {self.code_retour}")
        if self.libelle and self.libelle not in self.message:
            parts.append(self.libelle)
        return " | ".join(parts)


class ChorusAuthError(ChorusError):
    """The PISTE token endpoint refused the client id / secret."""


class ChorusForbiddenError(ChorusError):
    """HTTP 403: the API is not subscribed in the PISTE application."""


class ChorusAccountError(ChorusError):
    """Still 401 after a fresh token: the cpro-account login/password is wrong or expired."""


class ChorusFunctionalError(ChorusError):
    """Chorus answered with ``codeRetour != 0``."""


class ChorusTransportError(ChorusError):
    """Timeout, connection error, 5xx, 429 or malformed answer after the retries.

    ``request_may_have_arrived`` is True when a non-idempotent call (deposit) was
    sent and the answer was lost: the caller must not re-send blindly.
    """

    def __init__(self, message, request_may_have_arrived=False, **kwargs):
        super().__init__(message, **kwargs)
        self.request_may_have_arrived = request_may_have_arrived
