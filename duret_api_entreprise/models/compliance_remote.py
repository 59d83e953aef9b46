"""Orchestration between the pure clients of ``lib/`` and the records.

The clients are built from the company's settings; in sandbox mode every
service is called on the sandbox base URL, and SIRET check digits are relaxed
outside production because staging identifiers fail Luhn. Every client of one
job shares one time budget for its remote calls (``duret_procurement/lib/http.py``).
"""

import base64
import datetime
import logging
import time

import requests

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.http import Budget
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime

from ..lib import ademe_rge, errors, recherche_entreprises
from ..lib.api_entreprise import BASE_URLS, ENDPOINTS, ApiEntrepriseClient
from ..lib.dates import validity_end
from ..lib.identity import from_insee_etablissement, from_recherche_entreprises
from ..lib.parsers import DOCUMENT_PARSERS, MULTI_DOCUMENT_ENDPOINTS, parse_rge_open_data

_logger = logging.getLogger(__name__)
#: seconds of remote calls (connects, reads, waits) one refresh of a company may use
REFRESH_BUDGET = 90.0
#: the same for one SIRET lookup (a user waits for it)
LOOKUP_BUDGET = 30.0
REFRESH_CRON = "duret_api_entreprise.ir_cron_compliance_refresh"
SERVICE_NAMES = {"api_entreprise": "API Entreprise", "recherche": "Recherche d'entreprises"}


def _digits(value):
    return "".join((value or "").split())


class ComplianceRemote(models.AbstractModel):
    """Fetches the company's documents and partners' identities from the remote registers."""

    _name = "compliance.remote"
    _description = "Compliance: API Entreprise and open registers"

    # -- clients ---------------------------------------------------------------------
    def _http_session(self):
        """The HTTP session of every client (tests replace it at this boundary)."""
        return requests.Session()

    def _sleep(self, seconds):
        time.sleep(seconds)

    def _clock(self):
        return time.monotonic()

    def _client_kwargs(self, **overrides):
        return {
            "session": self._http_session(),
            "sleep": self._sleep,
            "clock": self._clock,
            **overrides,
        }

    def _base_url(self, company, service):
        if company.compliance_environment == "sandbox":
            if not company.compliance_sandbox_url:
                raise UserError(_("Sandbox mode needs the sandbox base URL in the settings."))
            return company.compliance_sandbox_url
        if service == "api_entreprise":
            return BASE_URLS[company.compliance_environment]
        if service == "recherche":
            return recherche_entreprises.BASE_URL
        return ademe_rge.BASE_URL

    def _has_token(self, company):
        return bool(company.sudo().compliance_token)

    def _api_client(self, company, **overrides):
        token = company.sudo().compliance_token
        if not token:
            return None
        if not all(
            (company.compliance_recipient, company.compliance_context, company.compliance_object)
        ):
            raise UserError(
                _("Set the recipient SIRET, context and object of API Entreprise calls first.")
            )
        log = self.env["compliance.api.call"]
        user, company_id = self.env.user.id, company.id

        def on_call(entry):
            log._record({**entry, "user_id": user, "company_id": company_id})

        return ApiEntrepriseClient(
            self._base_url(company, "api_entreprise"),
            token,
            company.compliance_recipient,
            company.compliance_context,
            company.compliance_object,
            on_call=on_call,
            **self._client_kwargs(**overrides),
        )

    def _recherche_client(self, company, **overrides):
        return recherche_entreprises.RechercheEntreprisesClient(
            self._base_url(company, "recherche"), **self._client_kwargs(**overrides)
        )

    def _ademe_client(self, company, **overrides):
        return ademe_rge.AdemeRgeClient(
            self._base_url(company, "ademe"), **self._client_kwargs(**overrides)
        )

    # -- messages --------------------------------------------------------------------
    @api.model
    def _error_message(self, exc):
        """One French sentence per kind of error, the technical detail after it.

        Never the token, never the payload.
        """
        code = f" ({exc.code})" if getattr(exc, "code", None) else ""
        Job = self.env["duret.job"]
        sentence = None
        if isinstance(exc, errors.AuthenticationError):
            if exc.code == "00103":
                return _("The API Entreprise token has expired: renew it in the settings.")
            if exc.code == "00105":
                return _("The API Entreprise token is blacklisted: ask for a new one.")
            return _("The API Entreprise token was refused%s: check the settings.", code)
        if isinstance(exc, errors.ForbiddenError):
            return _("The token does not give access to this document%s.", code)
        if isinstance(exc, errors.NotFoundError):
            return _(
                "Not found or outside the provider's scope%s: this is not proof of non-compliance.",
                code,
            )
        if isinstance(exc, errors.InvalidParameterError):
            return _(
                "Invalid call parameters%s: check the recipient SIRET, context and object in "
                "the settings.",
                code,
            )
        if isinstance(exc, errors.SettingsError):
            return _("Set the recipient SIRET, context and object of API Entreprise calls first.")
        if isinstance(exc, errors.RateLimitError):
            return _(
                "Rate limit reached: calls paused for %s.",
                Job._duret_format_delay(exc.retry_in or 60),
            )
        if isinstance(exc, errors.ConflictError):
            return _("The same request is already running: it will be retried later.")
        if isinstance(exc, errors.UnavailableForLegalReasonsError):
            return _("This entity is not published by INSEE.")
        if isinstance(exc, errors.DocumentUnavailableError):
            return _("The document file could not be downloaded (its link has expired).")
        if isinstance(exc, errors.ServiceUnavailableError):
            if exc.retry_in:
                sentence = _(
                    "The provider is unavailable%s: retry in %s.",
                    code,
                    Job._duret_format_delay(exc.retry_in),
                )
            else:
                sentence = _("The provider is unavailable%s: it will be retried later.", code)
        return Job._duret_remote_error_text(exc, sentence=sentence)

    # -- documents -------------------------------------------------------------------
    def refresh_company(self, company, budget=None):
        """Refresh every refreshable tracked document of ``company``.

        Returns ``{"updated": docs, "errors": [(type, message)], "stopped": message,
        "manual": types, "budget": Budget, "retry_at": datetime or None}``. The
        batch stops at an error every other call would meet too (token refused,
        long rate limit, time budget spent); ``retry_at`` says when to run again.
        """
        company.ensure_one()
        budget = budget or Budget(REFRESH_BUDGET)
        summary = {
            "updated": self.env["compliance.document"],
            "errors": [],
            "stopped": None,
            "manual": self.env["compliance.document.type"],
            "budget": budget,
            "retry_at": None,
        }
        siret = _digits(company.siret)
        if len(siret) != 14:
            raise UserError(_("Set the SIRET of %s before refreshing its documents.", company.name))
        client = self._api_client(company, budget=budget)
        if client and client.recipient == siret:
            raise UserError(
                _(
                    "The recipient SIRET is the public body on whose behalf API Entreprise is "
                    "called: it may not be the company whose documents are fetched."
                )
            )
        blocked = company.compliance_blocked_until
        if client and blocked and blocked > fields.Datetime.now():
            summary["stopped"] = _(
                "API Entreprise calls are paused until %s (rate limit).",
                format_datetime(self.env, blocked, dt_format="short"),
            )
            summary["retry_at"] = blocked
            return summary
        for doc_type in company._compliance_tracked_types():
            try:
                if client and doc_type.api_endpoint in DOCUMENT_PARSERS:
                    summary["updated"] |= self._refresh_from_api(company, doc_type, client, siret)
                elif doc_type.open_data:
                    summary["updated"] |= self._refresh_from_open_data(
                        company, doc_type, siret, budget
                    )
                else:
                    summary["manual"] |= doc_type
            except errors.RemoteError as exc:
                message = self._error_message(exc)
                summary["errors"].append((doc_type, message))
                self._note_error(company, doc_type, message)
                if exc.stop_batch:
                    if isinstance(exc, errors.RateLimitError):
                        summary["retry_at"] = fields.Datetime.now() + datetime.timedelta(
                            seconds=exc.retry_in or 60
                        )
                        company.sudo().compliance_blocked_until = summary["retry_at"]
                    summary["stopped"] = message
                    break
        return summary

    @api.model
    def summary_lines(self, summary):
        """The outcome of :meth:`refresh_company` as short French lines."""
        lines = [_("%s document(s) refreshed.", len(summary["updated"]))]
        for doc_type, message in summary["errors"]:  # no comprehension: _() reads self's frame
            lines.append(_("%(type)s: %(error)s", type=doc_type.name, error=message))
        if summary["stopped"]:
            lines.append(_("Stopped: %s", summary["stopped"]))
        if summary["manual"]:
            lines.append(_("To upload by hand: %s", ", ".join(summary["manual"].mapped("name"))))
        lines.append(self.env["duret.job"]._duret_budget_line(summary["budget"]))
        return lines

    def _refresh_from_api(self, company, doc_type, client, siret):
        endpoint = doc_type.api_endpoint
        identifier = siret[:9] if ENDPOINTS[endpoint].identifier == "siren" else siret
        payload = client.get(endpoint, identifier)
        parsed = DOCUMENT_PARSERS[endpoint](payload)
        return self._store(company, doc_type, parsed, "api", client)

    def _refresh_from_open_data(self, company, doc_type, siret, budget):
        client = self._ademe_client(company, budget=budget)
        rows = client.lines(siret)
        return self._store(company, doc_type, parse_rge_open_data(rows), "open_data", client)

    def _note_error(self, company, doc_type, message):
        """Write the error where the user looks: on the type's documents.

        A type with no record yet (its first night) gets its placeholder now, so
        the error is never lost; the nightly job also warns the responsible.
        """
        Document = self.env["compliance.document"]
        docs = Document.search([("company_id", "=", company.id), ("type_id", "=", doc_type.id)])
        if not docs:
            docs = Document._create_placeholders(company, doc_type)
        docs.write({"last_error": message})
        _logger.warning(
            "compliance refresh of %s for %s failed: %s", doc_type.code, company.name, message
        )
        if self.env.context.get("compliance_job"):
            docs[:1]._compliance_warn_responsible(message)

    def _store(self, company, doc_type, parsed_documents, source, client):
        """Create or update one record per parsed document; download its file at once."""
        Document = self.env["compliance.document"]
        today = Document._today()
        stored = Document
        for parsed in parsed_documents:
            doc = self._matching_document(company, doc_type, parsed, source)
            issue = parsed.issue_date or today
            vals = {
                "name": parsed.name or doc_type.name,
                "type_id": doc_type.id,
                "company_id": company.id,
                "partner_id": company.partner_id.id,
                "source": source,
                "external_ref": parsed.external_ref or False,
                "issue_date": issue,
                "date_start": parsed.date_start or issue,
                "date_end": parsed.date_end
                or validity_end(doc_type.validity_rule, issue, doc_type.validity_months),
                "delivered": parsed.valid,
                "details": parsed.details_text(),
                "last_refresh": fields.Datetime.now(),
                "last_error": False if parsed.valid else _("Refused or archived by the issuer."),
                "document_url": parsed.document_url if source == "open_data" else False,
            }
            if parsed.valid and parsed.document_url:
                try:
                    content = client.download(parsed.document_url)
                    vals["file"] = base64.b64encode(content)
                    vals["file_name"] = _file_name(doc_type, parsed, content)
                except errors.RemoteError as exc:
                    vals["last_error"] = self._error_message(exc)
                    _logger.warning("document of %s not downloaded: %s", doc_type.code, exc)
            if doc:
                doc.write(vals)
            else:
                doc = Document.create(vals)
            stored |= doc
        return stored

    def _matching_document(self, company, doc_type, parsed, source):
        """The record a fetched document updates.

        Certificate lists (Qualifelec, RGE) keep one record per certificate; any other
        type keeps one record, renewed in place, so an old attestation never lingers
        in red next to its replacement. Else an empty placeholder is filled in.
        """
        Document = self.env["compliance.document"]
        domain = [("company_id", "=", company.id), ("type_id", "=", doc_type.id)]
        if source == "open_data" or doc_type.api_endpoint in MULTI_DOCUMENT_ENDPOINTS:
            found = Document.search(domain + [("external_ref", "=", parsed.external_ref)], limit=1)
            return found or Document.search(
                domain + [("file", "=", False), ("date_end", "=", False)], limit=1
            )
        return Document.search(domain, order="date_end desc, id desc", limit=1)

    # -- partners --------------------------------------------------------------------
    def check_siret_format(self, company, siret):
        """None when ``siret`` is acceptable, else a French message.

        Check digits are enforced in production only: staging ids fail Luhn.
        """
        return self.env["duret.siret"]._duret_siret_message(
            siret, check_digits=company.compliance_environment == "production"
        )

    def lookup_identity(self, company, siret, retries=None, budget=None):
        """Official identity of establishment ``siret``, or None when unknown.

        ``budget``: the calling job's time budget, else one for this lookup alone.
        """
        overrides = {"budget": budget or Budget(LOOKUP_BUDGET)}
        if retries is not None:
            overrides["retries"] = retries
        client = self._api_client(company, **overrides)
        if client:
            try:
                return from_insee_etablissement(client.get("insee_etablissement", siret))
            except (errors.NotFoundError, errors.ForbiddenError) as exc:
                _logger.info("INSEE lookup of %s failed (%s), trying the open register", siret, exc)
        result = self._recherche_client(company, **overrides).find_siret(siret)
        return from_recherche_entreprises(result, siret) if result else None

    # -- crons -----------------------------------------------------------------------
    @api.model
    def _cron_compliance_refresh(self):
        """Refresh, fill the gaps, recompute states, remind. Each company is committed apart.

        Each company's texts are written in its partner's language; a company
        stopped by a long rate limit gets this job scheduled again at the time
        the service gave.
        """
        Job = self.env["duret.job"]
        for company in self.env["res.company"].search([]):
            remote = Job._duret_in_job_lang(self, company).with_context(compliance_job=True)
            Document = remote.env["compliance.document"]
            if len(_digits(company.siret)) == 14:
                try:
                    summary = remote.refresh_company(company)
                except (errors.RemoteError, UserError) as exc:
                    _logger.warning("compliance refresh of %s failed: %s", company.name, exc)
                else:
                    _logger.info(
                        "compliance refresh of %s: %s",
                        company.name,
                        " ".join(remote.summary_lines(summary)),
                    )
                    if summary["retry_at"]:
                        self.env.ref(REFRESH_CRON)._trigger(summary["retry_at"])
            Document._ensure_placeholders(company)
            remote._remind_token_expiry(company)
            Job._duret_commit_progress()  # a killed job keeps the companies already done
        self.env["compliance.document"]._refresh_states()
        self.env["compliance.document"]._schedule_reminders()

    def _remind_token_expiry(self, company, before_days=30):
        """An activity on the company for the responsible before the 18-month token expires."""
        expiry = company.compliance_token_expiry
        return self.env["duret.notify"]._duret_remind_expiry(
            company,
            expiry,
            summary=expiry
            and _("API Entreprise token expires on %s", format_date(self.env, expiry)),
            note=_("Ask for a new token on DataPass and enter it in the settings."),
            before_days=before_days,
            responsible=company.compliance_responsible_id,
            today=self.env["compliance.document"]._today(),
        )


def _file_name(doc_type, parsed, content):
    extension = "pdf"
    if content[:3] == b"\xff\xd8\xff":
        extension = "jpg"
    elif content[:8] == b"\x89PNG\r\n\x1a\n":
        extension = "png"
    ref = f"_{parsed.external_ref}" if parsed.external_ref else ""
    return f"{doc_type.code}{ref}.{extension}".replace("/", "-")
