"""PISTE OAuth2 (client credentials) and the gateway checks in front of Chorus Pro.

``POST /api/oauth/token`` answers as documented (docs/chorus-api.md section 1):
``{"access_token", "token_type": "Bearer", "expires_in", "scope"}``; errors use
the RFC 6749 body ``{"error", "error_description"}`` (401 ``invalid_client``,
400 ``invalid_request`` / ``unsupported_grant_type`` / ``invalid_scope``).
The client may authenticate in the form body or with HTTP Basic.

Admin routes:

* ``POST /_sandbox/piste/config`` ``{"token_lifetime": seconds}``: lifetime of
  the tokens issued from now on (start-up option ``token_lifetime``, 3600).
* ``POST /_sandbox/piste/expire``: every token issued so far expires now.
* ``POST /_sandbox/piste/forbid`` ``{"api": "factures", "forbidden": true}``:
  that API (first path segment after ``/cpro/``) answers 403 as when it is not
  subscribed in the PISTE application; ``"forbidden": false`` allows it again.
"""

import base64
import binascii
import secrets
import threading
import time

from .core import SandboxResponse

CLIENT_ID = "duret-sandbox-client"
CLIENT_SECRET = "duret-sandbox-secret"
SCOPE = "openid"
CHORUS_APIS = ("factures", "structures", "transverses", "utilisateurs", "engagementsJuridiques")


def _oauth_error(status, error, description, headers=None):
    hdrs = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    hdrs.update(headers or {})
    return SandboxResponse.json({"error": error, "error_description": description}, status, hdrs)


class PisteService:
    """Issues expiring bearer tokens and tells the Chorus routes whether a call may pass."""

    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.options = options
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.tokens = {}  # token -> expiry (epoch seconds)
            self.token_lifetime = int(self.options.get("token_lifetime", 3600))
            self.forbidden = set()

    def routes(self):
        return [
            ("POST", r"/api/oauth/token", self.token),
            ("POST", r"/_sandbox/piste/config", self.admin_config),
            ("POST", r"/_sandbox/piste/expire", self.admin_expire),
            ("POST", r"/_sandbox/piste/forbid", self.admin_forbid),
        ]

    # -- OAuth2 --------------------------------------------------------------
    def token(self, request):
        content_type = request.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" not in content_type:
            return _oauth_error(
                400,
                "invalid_request",
                "Content-Type must be application/x-www-form-urlencoded",
            )
        form = request.form()
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = _basic_credentials(request.headers.get("authorization", ""))
        if basic:
            client_id, client_secret = basic
        if form.get("grant_type") != "client_credentials":
            if not form.get("grant_type"):
                return _oauth_error(400, "invalid_request", "Missing grant_type parameter")
            return _oauth_error(
                400, "unsupported_grant_type", "grant_type must be client_credentials"
            )
        if not client_id or not client_secret:
            return _oauth_error(
                401,
                "invalid_client",
                "Client authentication failed",
                {"WWW-Authenticate": 'Basic realm="PISTE"'},
            )
        if not (
            secrets.compare_digest(client_id, CLIENT_ID)
            and secrets.compare_digest(client_secret, CLIENT_SECRET)
        ):
            return _oauth_error(
                401,
                "invalid_client",
                "Client authentication failed",
                {"WWW-Authenticate": 'Basic realm="PISTE"'},
            )
        scopes = (form.get("scope") or SCOPE).split()
        if SCOPE not in scopes:
            return _oauth_error(400, "invalid_scope", "The requested scope is invalid")
        token = secrets.token_urlsafe(32)
        with self._lock:
            lifetime = self.token_lifetime
            self.tokens[token] = time.time() + lifetime
        return SandboxResponse.json(
            {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": lifetime,
                "scope": " ".join(scopes),
            },
            headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    # -- gateway checks used by the Chorus routes ------------------------------
    def bearer_problem(self, request):
        """None when the request carries a live token, else the 401 to answer."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _oauth_error(
                401,
                "invalid_request",
                "Missing bearer token",
                {"WWW-Authenticate": 'Bearer realm="PISTE"'},
            )
        with self._lock:
            expiry = self.tokens.get(token.strip())
        if expiry is None or expiry <= time.time():
            return _oauth_error(
                401,
                "invalid_token",
                "The access token is invalid or has expired",
                {"WWW-Authenticate": 'Bearer realm="PISTE", error="invalid_token"'},
            )
        return None

    def forbidden_problem(self, api):
        """None when ``api`` is subscribed, else the gateway's 403."""
        with self._lock:
            forbidden = api in self.forbidden
        if not forbidden:
            return None
        return SandboxResponse.json(
            {
                "error": "access_denied",
                "error_description": f"The application is not subscribed to the API '{api}'",
            },
            403,
        )

    # -- admin ---------------------------------------------------------------
    def admin_config(self, request):
        spec = request.json() or {}
        with self._lock:
            if "token_lifetime" in spec:
                self.token_lifetime = int(spec["token_lifetime"])
            return SandboxResponse.json({"token_lifetime": self.token_lifetime})

    def admin_expire(self, request):
        now = time.time()
        with self._lock:
            for token in self.tokens:
                self.tokens[token] = now - 1
            return SandboxResponse.json({"expired": len(self.tokens)})

    def admin_forbid(self, request):
        spec = request.json() or {}
        api = spec.get("api")
        if api not in CHORUS_APIS:
            return SandboxResponse.json({"error": f"api must be one of {CHORUS_APIS}"}, 400)
        with self._lock:
            if spec.get("forbidden", True):
                self.forbidden.add(api)
            else:
                self.forbidden.discard(api)
            return SandboxResponse.json({"forbidden": sorted(self.forbidden)})


def _basic_credentials(header):
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, client_secret = decoded.partition(":")
    return (client_id, client_secret) if sep else None
