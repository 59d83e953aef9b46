"""A small HTTP base shared by the three clients: session, timeouts, retries with backoff.

The caller decides what is retryable; this module only knows how to wait and
how to turn ``requests`` failures into :class:`TransportError` without ever
putting request headers (which may hold a token) into a message.
"""

import time

import requests

from .errors import (
    ConflictError,
    DocumentUnavailableError,
    ProviderError,
    TransportError,
    error_class_for,
)

DOCUMENT_TIMEOUT = 12.0
USER_AGENT = "duret-odoo-marches-publics/17.0 (+contact@duret-electricite.fr)"


class HttpClient:
    """Base class: one ``requests.Session``, a retry loop and an injectable clock."""

    timeout = 5.0

    def __init__(
        self,
        base_url,
        session=None,
        retries=2,
        backoff=0.5,
        sleep=time.sleep,
        clock=time.monotonic,
        max_wait=10.0,
    ):
        self.base_url = (base_url or "").rstrip("/")
        self.session = session or requests.Session()
        self.retries = max(int(retries), 0)
        self.backoff = backoff
        self.sleep = sleep
        self.clock = clock
        self.max_wait = max_wait

    def __repr__(self):
        return f"<{type(self).__name__} {self.base_url}>"

    def _send(self, method, url, timeout=None, **kwargs):
        headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
        try:
            return self.session.request(
                method, url, headers=headers, timeout=timeout or self.timeout, **kwargs
            )
        except requests.Timeout as exc:
            raise TransportError(f"timeout after {timeout or self.timeout} s on {url}") from exc
        except requests.RequestException as exc:
            raise TransportError(f"connection failed on {url}: {type(exc).__name__}") from exc

    def _retrying(self, call):
        """Run ``call()`` again on transport, conflict and short provider failures, with backoff.

        An error whose ``retry_in`` exceeds ``max_wait`` is raised at once: the
        caller reschedules rather than blocking a worker for hours.
        """
        attempt = 0
        while True:
            try:
                return call()
            except (TransportError, ProviderError, ConflictError) as exc:
                if attempt >= self.retries or (exc.retry_in or 0) > self.max_wait:
                    raise
                delay = exc.retry_in or self.backoff * (2**attempt)
                attempt += 1
                self.sleep(delay)

    def download(self, url):
        """The bytes behind a document URL, fetched at once since such URLs expire.

        No credential is sent: document storage does not need it.
        """
        if not url:
            raise DocumentUnavailableError("no document URL")

        def fetch():
            response = self._send("GET", url, timeout=DOCUMENT_TIMEOUT)
            if response.status_code >= 500:
                raise error_class_for(response.status_code)(
                    f"HTTP {response.status_code} on document", status=response.status_code
                )
            if response.status_code != 200 or not response.content:
                raise DocumentUnavailableError(
                    f"document URL expired or deleted (HTTP {response.status_code})",
                    status=response.status_code,
                )
            return response.content

        return self._retrying(fetch)
