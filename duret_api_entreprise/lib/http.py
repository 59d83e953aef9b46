"""What the API Entreprise-side clients add to the suite's HTTP layer.

API Entreprise, Recherche d'entreprises and ADEME answer errors with the same
``{"errors": [{"code", "title", "detail", "meta": {"retry_in"}}]}`` envelope
(or a bare status), and certificate files are downloaded from short-lived URLs.
Timeouts, the job's budget, retries and ``Retry-After`` are the shared layer's
(``duret_procurement/lib/http.py``).
"""

from ...duret_procurement.lib.http import HttpClient, parse_retry_after
from .errors import ConflictError, DocumentUnavailableError, error_class_for

JSON_TIMEOUT = (5.0, 5.0)
DOCUMENT_TIMEOUT = (5.0, 12.0)  # document endpoints and files are slower


def error_from_response(response):
    """A typed error from an ``{"errors": [...]}`` envelope (or a bare status)."""
    status = response.status_code
    code = title = detail = retry_in = None
    try:
        payload = response.json()
    except ValueError:
        payload = None
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if errors and isinstance(errors, list) and isinstance(errors[0], dict):
        first = errors[0]
        code, title, detail = first.get("code"), first.get("title"), first.get("detail")
        retry_in = parse_retry_after((first.get("meta") or {}).get("retry_in"))
    header_retry = parse_retry_after(response.headers.get("Retry-After"))
    if header_retry is not None:
        retry_in = header_retry
    message = " ".join(str(part) for part in (f"HTTP {status}", code, title) if part)
    if detail:
        message += f": {detail}"
    return error_class_for(status)(
        message, status=status, code=code, retry_in=retry_in, payload=payload
    )


class RegisterClient(HttpClient):
    """Base of the three clients: their error envelope, a conflict retried, file downloads."""

    timeout = JSON_TIMEOUT
    retry_errors = HttpClient.retry_errors + (ConflictError,)

    def error_from_response(self, response):
        return error_from_response(response)

    def download(self, url):
        """The bytes behind a document URL, fetched at once since such URLs expire.

        No credential is sent: document storage does not need it.
        """
        if not url:
            raise DocumentUnavailableError("no document URL")

        def content(response):
            if response.status_code != 200 or not response.content:
                raise DocumentUnavailableError(
                    f"document URL expired or deleted (HTTP {response.status_code})",
                    status=response.status_code,
                )
            return response.content

        return self.request("GET", url, parse=content, timeout=DOCUMENT_TIMEOUT)
