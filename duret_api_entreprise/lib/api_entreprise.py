"""API Entreprise client (DINUM): Bearer token, mandatory parameters, rate limits.

Every call carries ``recipient`` (SIRET of the public body on whose behalf the
call is made), ``context`` and ``object`` (< 50 characters). The quota announced
by the ``RateLimit-*`` headers is never exhausted, and a 429 stops the batch at
once: ignoring it gets the IP banned for 12 hours. The token is only ever put
in the ``Authorization`` header, never in a message or a log line.
"""

import logging
import re
import time
from dataclasses import dataclass

from .errors import RateLimitError, SettingsError
from .http import DOCUMENT_TIMEOUT, JSON_TIMEOUT, RegisterClient

_logger = logging.getLogger(__name__)

BASE_URLS = {
    "production": "https://entreprise.api.gouv.fr",
    "staging": "https://staging.entreprise.api.gouv.fr",
}
OBJECT_MAX_LENGTH = 49  # the API wants strictly fewer than 50 characters


@dataclass(frozen=True)
class Endpoint:
    """One documented operation: its versioned path and the identifier it takes."""

    path: str
    identifier: str  # "siren" or "siret"
    document: bool = True  # document endpoints are slower (12 s) and have their own quota

    def url_path(self, identifier):
        return self.path.format(**{self.identifier: identifier})


ENDPOINTS = {
    "urssaf_vigilance": Endpoint(
        "/v4/urssaf/unites_legales/{siren}/attestation_vigilance", "siren"
    ),
    "dgfip_fiscale": Endpoint("/v4/dgfip/unites_legales/{siren}/attestation_fiscale", "siren"),
    "qualifelec": Endpoint("/v3/qualifelec/etablissements/{siret}/certificats", "siret"),
    "qualibat": Endpoint("/v4/qualibat/etablissements/{siret}/certification_batiment", "siret"),
    "rge": Endpoint("/v3/ademe/etablissements/{siret}/certification_rge", "siret"),
    "opqibi": Endpoint("/v3/opqibi/unites_legales/{siren}/certification_ingenierie", "siren"),
    "cibtp": Endpoint(
        "/v3/cibtp/etablissements/{siret}/attestation_cotisations_conges_payes_chomage_intemperies",
        "siret",
    ),
    "cnetp": Endpoint(
        "/v3/cnetp/unites_legales/{siren}/attestation_cotisations_conges_payes_chomage_intemperies",
        "siren",
    ),
    "probtp": Endpoint(
        "/v3/probtp/etablissements/{siret}/attestation_cotisations_retraite", "siret"
    ),
    "fntp": Endpoint(
        "/v3/fntp/unites_legales/{siren}/carte_professionnelle_travaux_publics", "siren"
    ),
    "kbis": Endpoint("/v3/infogreffe/rcs/unites_legales/{siren}/extrait_kbis", "siren", False),
    "insee_etablissement": Endpoint("/v4/insee/sirene/etablissements/{siret}", "siret", False),
    "insee_unite_legale": Endpoint("/v4/insee/sirene/unites_legales/{siren}", "siren", False),
}


def clean_object(value):
    """The ``object`` parameter squeezed to one line of fewer than 50 characters."""
    text = re.sub(r"\s+", " ", value or "").strip()
    return text[:OBJECT_MAX_LENGTH].rstrip()


class ApiEntrepriseClient(RegisterClient):
    """Calls one API Entreprise environment on behalf of ``recipient``.

    ``on_call(entry)`` is called after every HTTP attempt with the facts the
    terms of use require to be logged (never the token).
    """

    service = "API Entreprise"

    def __init__(
        self,
        base_url,
        token,
        recipient,
        context,
        object_,
        on_call=None,
        min_remaining=2,
        wall_clock=time.time,
        **kwargs,
    ):
        super().__init__(base_url, **kwargs)
        self._token = token or ""
        self.recipient = "".join((recipient or "").split())
        self.context = (context or "").strip()
        self.object = clean_object(object_)
        self.on_call = on_call
        self.min_remaining = min_remaining
        self.wall_clock = wall_clock
        self.remaining = None
        self.reset_at = None  # monotonic time at which the quota is renewed

    # -- rate limit ---------------------------------------------------------
    def _remember_quota(self, response):
        if response is None:
            return
        remaining = response.headers.get("RateLimit-Remaining")
        reset = response.headers.get("RateLimit-Reset")
        if remaining is not None and str(remaining).lstrip("-").isdigit():
            self.remaining = int(remaining)
        if reset is not None and str(reset).isdigit():
            seconds = int(reset)
            if seconds > 10**9:  # an epoch timestamp rather than a delay
                seconds = max(seconds - int(self.wall_clock()), 0)
            self.reset_at = self.clock() + seconds

    def _respect_quota(self):
        """Wait for the quota renewal when it is near and short, else raise a rate limit."""
        if self.remaining is None or self.remaining > self.min_remaining:
            return
        wait = (self.reset_at or 0) - self.clock()
        if wait > 0:
            self.pause(
                RateLimitError(
                    f"rate limit almost exhausted ({self.remaining} calls left), "
                    f"pausing {int(wait) + 1} s",
                    retry_in=int(wait) + 1,
                    request_may_have_arrived=False,
                )
            )
        self.remaining = None

    # -- calls ----------------------------------------------------------------
    def _check_parameters(self):
        missing = [
            name
            for name, value in (
                ("recipient", self.recipient),
                ("context", self.context),
                ("object", self.object),
            )
            if not value
        ]
        if missing:
            raise SettingsError(f"missing mandatory parameter(s): {', '.join(missing)}")
        if not self._token:
            raise SettingsError("no API Entreprise token configured")

    def get(self, endpoint_key, identifier, params=None):
        """The decoded JSON payload of ``endpoint_key`` for a SIREN or SIRET."""
        endpoint = ENDPOINTS[endpoint_key]
        self._check_parameters()
        identifier = "".join((identifier or "").split())
        query = {"recipient": self.recipient, "context": self.context, "object": self.object}
        query.update(params or {})
        url = self.base_url + endpoint.url_path(identifier)
        self._respect_quota()

        def on_attempt(response, seconds):
            self._remember_quota(response)
            self._log_call(endpoint_key, endpoint, identifier, response, seconds)

        return self.request(
            "GET",
            url,
            parse=self.json_of,
            timeout=DOCUMENT_TIMEOUT if endpoint.document else JSON_TIMEOUT,
            on_attempt=on_attempt,
            params=query,
            headers={"Authorization": f"Bearer {self._token}", "Accept": "application/json"},
        )

    def _log_call(self, endpoint_key, endpoint, identifier, response, seconds):
        status = response.status_code if response is not None else 0
        request_id = response.headers.get("X-Request-ID") if response is not None else None
        _logger.info("API Entreprise %s %s -> %s", endpoint_key, identifier, status or "no answer")
        if self.on_call:
            self.on_call(
                {
                    "endpoint": endpoint.path,
                    "identifier": identifier,
                    "context": self.context,
                    "object": self.object,
                    "recipient": self.recipient,
                    "status": status,
                    "request_id": request_id,
                    "duration_ms": int(seconds * 1000),
                }
            )
