"""Client for the Chorus Pro API behind PISTE (docs/chorus-api.md).

No ORM here. This module holds Chorus Pro's protocol only: the OAuth2 token
(cached in a ``TokenStore``: the Odoo side keeps it in the database so every
worker shares it, never in ``tools.ormcache``), the ``cpro-account`` header, the
endpoints and how their answers read (``wire.py``). Timeouts, the job's time
budget, retries with backoff and ``Retry-After`` are the suite's shared HTTP
layer (``duret_procurement/lib/http.py``): reads are retried, a deposit never
is, and a lost answer to a deposit says that the request may have arrived.
"""

import base64
import json
import logging
import time

from ...duret_procurement.lib.http import HttpClient
from . import wire
from .errors import (
    ChorusAccountError,
    ChorusAuthError,
    ChorusForbiddenError,
    ChorusFunctionalError,
    PayloadError,
    RemoteError,
    UnexpectedAnswerError,
)

_logger = logging.getLogger(__name__)

TOKEN_PATH = "/api/oauth/token"
API_PREFIX = "/cpro/"
TOKEN_MARGIN_SECONDS = 300
DEFAULT_TOKEN_LIFETIME = 3600
PAGE_SIZE = 100
MAX_PAGES = 10000
# Shorter "secrets" would mangle ordinary words when scrubbed out of messages.
SCRUB_MIN_CHARS = 6

# Chorus limits on attachments (docs/chorus-api.md section 5).
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_TOTAL_MAX_BYTES = 118 * 1024 * 1024
INVOICE_TOTAL_MAX_BYTES = 120 * 1024 * 1024
ATTACHMENT_NAME_MAX_CHARS = 50
# fmt: off
ALLOWED_EXTENSIONS = frozenset({
    "bmp", "bz2", "csv", "doc", "docx", "fax", "gif", "gz", "gzip", "htm", "html", "jpeg", "jpg",
    "odp", "ods", "odt", "p7s", "pdf", "png", "pps", "ppt", "pptx", "rtf", "svg", "tgz", "tif",
    "tiff", "txt", "xhtml", "xlc", "xlm", "xls", "xlsx", "xml", "xsd", "xsl", "zip",
})
# fmt: on

FACTURX_SYNTAX = "IN_DP_E2_CII_FACTURX"


class TokenStore:
    """Where the PISTE token lives between calls: ``get()`` / ``set()``."""

    def get(self):
        """Return ``(token, expires_at_epoch)`` or None."""
        raise NotImplementedError

    def set(self, token, expires_at):
        raise NotImplementedError


class MemoryTokenStore(TokenStore):
    """Per-process store, for scripts and tests."""

    def __init__(self):
        self._value = None

    def get(self):
        return self._value

    def set(self, token, expires_at):
        self._value = (token, expires_at)


def attachment_problem_code(filename, size):
    """None when Chorus accepts an attachment of this name and size, else
    ``"extension"``, ``"name"`` or ``"size"`` (the models say it in the user's language)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED_EXTENSIONS:
        return "extension"
    if len(filename) > ATTACHMENT_NAME_MAX_CHARS:
        return "name"
    if size > ATTACHMENT_MAX_BYTES:
        return "size"
    return None


def attachment_problem(filename, size):
    """None when Chorus accepts an attachment of this name and size, else an English reason."""
    code = attachment_problem_code(filename, size)
    if code == "extension":
        extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        return f"extension '{extension or '(none)'}' is not accepted by Chorus Pro"
    if code == "name":
        return f"file name longer than {ATTACHMENT_NAME_MAX_CHARS} characters"
    if code == "size":
        return "file larger than 10 MB"
    return None


class ChorusClient(HttpClient):
    """Chorus Pro operations; ``oauth_url`` and ``api_url`` are bases (scheme + host).

    ``wall_clock`` dates the token's expiry (a Unix time: every worker reads it
    from the shared store); the shared layer's ``clock`` only measures calls.
    """

    service = "Chorus Pro"
    #: (connect, read) of a read; deposits and uploads carry files (up to 120 MB as base64)
    timeout = (5.0, 20.0)
    upload_timeout = (5.0, 60.0)
    retries = 2
    backoff = 1.0
    #: a Retry-After up to this is waited in place; a longer one stops the job (``retry_in``)
    max_wait = 30.0
    #: a button's calls (a poll gives its own budget)
    default_budget = 60.0

    def __init__(
        self,
        oauth_url,
        api_url,
        client_id,
        client_secret,
        login,
        password,
        token_store=None,
        wall_clock=time.time,
        **kwargs,
    ):
        super().__init__(api_url, **kwargs)
        self.oauth_url = oauth_url.rstrip("/")
        self.api_url = self.base_url
        self.client_id = client_id
        self._client_secret = client_secret
        self._cpro_account = base64.b64encode(f"{login}:{password}".encode()).decode()
        self._secrets = [s for s in (client_secret, password, self._cpro_account) if s]
        self.token_store = token_store or MemoryTokenStore()
        self.wall_clock = wall_clock
        self.calls_by_operation = {}

    @property
    def calls(self):
        """HTTP exchanges made, token requests and retries included (the run log's count)."""
        return self.http_calls

    # ------------------------------------------------------------------ utils
    def _scrub(self, text):
        """Remove every secret (and the current token) from a text before it is shown."""
        text = str(text)
        cached = self.token_store.get()
        for secret in self._secrets + ([cached[0]] if cached and cached[0] else []):
            if len(secret) >= SCRUB_MIN_CHARS:
                text = text.replace(secret, "***")
        return text

    def _error(self, cls, message, **kwargs):
        if kwargs.get("libelle"):
            kwargs["libelle"] = self._scrub(kwargs["libelle"])
        return cls(self._scrub(message), **kwargs)

    def _send(self, *args, **kwargs):
        """One attempt of the shared layer; its error is scrubbed before anyone logs it
        (a connection error may quote what was sent)."""
        try:
            return super()._send(*args, **kwargs)
        except RemoteError as error:
            error.args = tuple(self._scrub(arg) for arg in error.args)
            raise

    def _post(self, operation, url, idempotent, timeout=None, **kwargs):
        """``(status, json or None)`` of one logical POST; retried only when ``idempotent``.

        429 and 5xx are the shared layer's errors; a 2xx body that is not JSON is
        a :class:`PayloadError` (retried for reads, "may have arrived" for a deposit).
        """

        def count(response, seconds):
            self.calls_by_operation[operation] = self.calls_by_operation.get(operation, 0) + 1

        def read(response):
            status = response.status_code
            _logger.debug("Chorus %s: HTTP %s", operation, status)
            if not response.content:
                return status, None
            try:
                return status, response.json()
            except ValueError as exc:
                if status >= 400:
                    return status, None
                raise self._error(
                    PayloadError, f"Chorus Pro {operation}: malformed answer", status=status
                ) from exc

        return self.request(
            "POST",
            url,
            parse=read,
            idempotent=idempotent,
            timeout=timeout,
            on_attempt=count,
            **kwargs,
        )

    # ------------------------------------------------------------------ token
    def _fetch_token(self):
        status, data = self._post(
            "token",
            self.oauth_url + TOKEN_PATH,
            idempotent=True,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._client_secret,
                "scope": "openid",
            },
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status in (400, 401, 403):
            detail = (data or {}).get("error_description") or (data or {}).get("error")
            raise self._error(
                ChorusAuthError,
                "PISTE refused the client id / client secret",
                libelle=detail,
                status=status,
            )
        token = (data or {}).get("access_token") if isinstance(data, dict) else None
        if status >= 400 or not token:
            raise self._error(
                UnexpectedAnswerError,
                "PISTE token endpoint gave no access token",
                status=status,
                request_may_have_arrived=False,
            )
        lifetime = float(data.get("expires_in") or DEFAULT_TOKEN_LIFETIME)
        self.token_store.set(token, self.wall_clock() + lifetime)
        return token

    def _token(self):
        cached = self.token_store.get()
        if cached and cached[0] and self.wall_clock() < cached[1] - TOKEN_MARGIN_SECONDS:
            return cached[0]
        return self._fetch_token()

    # ------------------------------------------------------------------ calls
    def _call(self, path, payload, idempotent=True, timeout=None):
        """POST ``/cpro/<path>``; returns the answer once ``codeRetour`` is 0."""
        url = self.api_url + API_PREFIX + path
        body = json.dumps(payload).encode()
        status = data = None
        for refreshed in (False, True):
            token = self._fetch_token() if refreshed else self._token()
            headers = {
                "Authorization": f"Bearer {token}",
                "cpro-account": self._cpro_account,
                "Content-Type": "application/json;charset=utf-8",
                "Accept": "application/json",
            }
            status, data = self._post(
                path, url, idempotent, timeout=timeout, data=body, headers=headers
            )
            if status != 401 or refreshed:
                break
            _logger.info("Chorus %s: HTTP 401, retrying once with a new token", path)
            self.token_store.set("", 0)
        if status == 401:
            raise self._error(
                ChorusAccountError,
                "Chorus Pro refused the technical account (login or password wrong or expired)",
                status=status,
            )
        if status == 403:
            raise self._error(
                ChorusForbiddenError,
                "The API is not enabled for this PISTE application",
                status=status,
            )
        return self._check(path, status, data)

    def _check(self, path, status, data):
        if not isinstance(data, dict):
            if status >= 400:
                raise self._error(
                    ChorusFunctionalError, f"Chorus Pro refused {path}", status=status
                )
            # a 2xx answer proves Chorus Pro got the request: a deposit answered with an
            # empty or unreadable body may have been accepted, so it is uncertain, never
            # abandoned (abandoning it would let the accountant deposit it twice)
            raise self._error(
                UnexpectedAnswerError,
                f"Chorus Pro {path}: malformed answer",
                status=status,
                request_may_have_arrived=True,
            )
        error = wire.functional_error(data)
        if error or status >= 400:
            code, libelle = error or (None, None)
            raise self._error(
                ChorusFunctionalError,
                f"Chorus Pro refused {path}: {libelle or 'no reason given'}",
                code=code,
                libelle=libelle,
                status=status,
            )
        return data

    def _paged(self, path, payload, wrapper, list_key):
        """Every item of a list call, following ``parametresRetour.pages``."""
        items = []
        page = 1
        while page <= MAX_PAGES:
            body = dict(payload)
            if wrapper:
                body[wrapper] = {
                    **(payload.get(wrapper) or {}),
                    "nbResultatsParPage": PAGE_SIZE,
                    "pageResultatDemandee": page,
                }
            data = self._call(path, body)
            found = data.get(list_key) or []
            # one result may come as an object instead of a one-item list
            items.extend([found] if isinstance(found, dict) else found)
            pages = int((data.get("parametresRetour") or {}).get("pages") or 1)
            if page >= pages:
                break
            if not wrapper:
                _logger.warning("Chorus %s: %d pages but no paging key is known", path, pages)
                break
            page += 1
        return items

    # ------------------------------------------------------------- operations
    def deposit_flow(self, file_bytes, filename, syntax=FACTURX_SYNTAX):
        """Deposit one Factur-X; never retried (a lost answer may hide a success).

        A success without ``numeroFluxDepot`` (recorded on HTTP 200, without
        ``codeRetour`` either) cannot be followed: it is an uncertain deposit.
        """
        payload = {
            "fichierFlux": base64.b64encode(file_bytes).decode(),
            "nomFichier": filename,
            "syntaxeFlux": syntax,
            "avecSignature": False,
        }
        path = "factures/v1/deposer/flux"
        answer = self._call(path, payload, idempotent=False, timeout=self.upload_timeout)
        if not answer.get("numeroFluxDepot"):
            keys = ", ".join(sorted(answer)) or "none"
            raise self._error(
                UnexpectedAnswerError,
                f"Chorus Pro {path}: answer without flow number (keys: {keys})",
                request_may_have_arrived=True,
            )
        return answer

    def flow_report(self, numero_flux):
        return self._call("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": numero_flux})

    def search_invoices(self, **filters):
        return self._paged(
            "factures/v1/rechercher/fournisseur",
            filters,
            "rechercheFactureParFournisseur",
            "listeFactures",
        )

    def invoice_history(self, id_facture):
        """Full status history (all pages merged), checked to be the invoice asked for."""
        path = "factures/v1/consulter/historique"
        entries = []
        page = 1
        while True:
            data = self._call(
                path,
                {
                    "idFacture": id_facture,
                    "paramRechercheHistoStatuts": {
                        "nbResultatsParPageListeHistoStatut": PAGE_SIZE,
                        "pageResultatDemandeeListeHistoStatut": page,
                    },
                },
            )
            if str(data.get("idFacture")) != str(id_facture):
                raise self._error(
                    ChorusFunctionalError,
                    f"Chorus Pro answered the history of invoice {data.get('idFacture')} "
                    f"instead of {id_facture}",
                )
            block = data.get("historiquesDesStatuts") or {}
            entries.extend(block.get("histoStatut") or [])
            if page >= int(block.get("pagesHistoStatut") or 1) or page >= MAX_PAGES:
                break
            page += 1
        data["historiquesDesStatuts"] = {**block, "histoStatut": entries}
        return data

    def invoice_detail(self, id_facture):
        return self._call(
            "factures/v1/consulter/fournisseur", {"identifiantFactureCPP": id_facture}
        )

    def search_structure(self, siret):
        """The structure of this SIRET, or None unless exactly one matches."""
        structures = self._paged(
            "structures/v1/rechercher",
            {
                "structure": {"identifiantStructure": siret, "typeIdentifiantStructure": "SIRET"},
                "restreindreStructuresPrivees": False,
            },
            "parametres",
            "listeStructures",
        )
        return structures[0] if len(structures) == 1 else None

    def structure_detail(self, id_structure):
        return self._call(
            "structures/v1/consulter", {"idStructureCPP": id_structure, "codeLangue": "FR"}
        )

    def structure_services(self, id_structure):
        return self._paged(
            "structures/v1/rechercher/services",
            {"idStructure": id_structure},
            "parametresRechercherServicesStructure",
            "listeServices",
        )

    def search_legal_commitment(self, id_structure, numero_ej):
        return self._paged(
            "engagementsJuridiques/v1/rechercher",
            {
                "structureReceptriceEngagementJuridique": str(id_structure),
                "numeroEngagementJuridique": numero_ej,
                "etatCourantEngagementJuridique": "COMMANDE",
            },
            None,
            "listeEngagementJuridique",
        )

    def add_attachment(self, data, filename, mimetype):
        """Upload a file for ``soumettre``/``completer``; checked against Chorus limits first."""
        problem = attachment_problem(filename, len(data))
        if problem:
            raise ChorusFunctionalError(
                f"Attachment {filename} refused before sending: {problem}",
                code=20003 if len(data) > ATTACHMENT_MAX_BYTES else None,
            )
        answer = self._call(
            "transverses/v1/ajouter/fichier",
            {
                "pieceJointeFichier": base64.b64encode(data).decode(),
                "pieceJointeNom": filename,
                "pieceJointeTypeMime": mimetype,
                "pieceJointeExtension": filename.rsplit(".", 1)[-1].upper(),
            },
            idempotent=False,
            timeout=self.upload_timeout,
        )
        return int(answer["pieceJointeId"])

    # ------------------------------------------- acting on an invoice's status
    # Request keys: AIFE "Factures" API as implemented by go-choruspro
    # (factures_depots.go, factures_traitements.go); answers: its recorded bodies.
    def complete_invoice(self, id_facture, comment, attachments=()):
        """``factures/v1/completer`` on a SUSPENDUE invoice; ``attachments`` are
        ``(pieceJointeId, designation, type)`` from ``add_attachment``. Never retried."""
        payload = {"identifiantFactureCPP": int(id_facture), "commentaire": comment or ""}
        if attachments:
            payload["pieceJointeComplementaire"] = [
                {
                    "pieceJointeComplementaireId": int(piece_id),
                    "pieceJointeComplementaireDesignation": designation,
                    "pieceJointeComplementaireType": kind,
                }
                for piece_id, designation, kind in attachments
            ]
        return self._call("factures/v1/completer", payload, idempotent=False)

    def recycle_invoice(self, id_facture, recipient_siret, service_code=None, references=None,
                        comment=None):  # fmt: skip
        """``factures/v1/recycler`` on an A_RECYCLER invoice: new recipient and references
        (``numeroBonCommande``, ``numeroMarche``). Never retried."""
        destinataire = {"codeDestinataire": recipient_siret}
        if service_code:
            destinataire["codeServiceExecutant"] = service_code
        payload = {
            "identifiantFactureCPP": int(id_facture),
            "destinataire": destinataire,
            "reference": {key: value for key, value in (references or {}).items() if value},
            "commentaire": comment or "",
        }
        return self._call("factures/v1/recycler", payload, idempotent=False)

    def mark_rejections_handled(self, id_factures, reason, details=None):
        """``factures/v1/traiterRejet``: the supplier handled these REJETEE invoices."""
        payload = {
            "listeDemandePaiement": [{"idDemandePaiement": int(i)} for i in id_factures],
            "motifRejet": reason,
            "cpltInfos": details or "",
        }
        return self._call("factures/v1/traiterRejet", payload)

    def test_connection(self, own_siret):
        """Token then a structure search: raises the precise typed error, else the structure."""
        self._fetch_token()
        structure = self.search_structure(own_siret)
        if not structure:
            raise ChorusFunctionalError(f"No Chorus Pro structure found for SIRET {own_siret}")
        return structure


__all__ = [
    "ChorusClient",
    "MemoryTokenStore",
    "TokenStore",
    "attachment_problem",
]
