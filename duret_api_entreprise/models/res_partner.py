import datetime
import logging
import unicodedata

from odoo import _, api, fields, models
from odoo.addons.duret_procurement.lib.http import Budget
from odoo.exceptions import UserError

from ..lib import errors

_logger = logging.getLogger(__name__)

SIRET_STATUSES = [
    ("pending", "Check pending"),
    ("ok", "Active establishment"),
    ("closed", "Closed establishment"),
    ("not_found", "Not found"),
    ("invalid", "Invalid SIRET"),
    ("error", "Check failed"),
]
#: partner field -> official field compared in the verification wizard
COMPARED_FIELDS = {
    "name": "compliance_legal_name",
    "street": "compliance_official_street",
    "street2": "compliance_official_street2",
    "zip": "compliance_official_zip",
    "city": "compliance_official_city",
}
#: partners checked per run of the background check; more left means another run soon
CHECK_BATCH_SIZE = 50
#: seconds of remote calls one run of the background check may use (waits included)
CHECK_BUDGET = 120.0
#: when the budget ran out, the rest waits this long (the service is slow or down)
CHECK_RETRY_MINUTES = 15
PENDING_CHECK_CRON = "duret_api_entreprise.ir_cron_compliance_siret_check"


def _comparable(text):
    """Accents, case and spacing ignored: registers write "AVENUE DU GENERAL"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.replace("'", " ").casefold().split())


class ResPartner(models.Model):
    _inherit = "res.partner"

    compliance_siret_status = fields.Selection(SIRET_STATUSES, string="SIRET check", copy=False)
    compliance_checked_on = fields.Datetime(string="SIRET checked on", copy=False, readonly=True)
    compliance_check_message = fields.Char(string="SIRET check message", copy=False, readonly=True)
    compliance_legal_name = fields.Char(string="Official name", copy=False, readonly=True)
    compliance_official_street = fields.Char(string="Official street", copy=False, readonly=True)
    compliance_official_street2 = fields.Char(string="Official street 2", copy=False, readonly=True)
    compliance_official_zip = fields.Char(string="Official ZIP", copy=False, readonly=True)
    compliance_official_city = fields.Char(string="Official city", copy=False, readonly=True)
    compliance_naf_code = fields.Char(string="NAF code", copy=False, readonly=True)
    compliance_naf_label = fields.Char(string="NAF label", copy=False, readonly=True)
    compliance_legal_category = fields.Char(string="Legal category", copy=False, readonly=True)
    compliance_is_public_body = fields.Boolean(
        string="Public body",
        copy=False,
        readonly=True,
        help="Administration or local authority according to the official registers.",
    )
    compliance_closed = fields.Boolean(string="Establishment closed", copy=False, readonly=True)
    compliance_closed_on = fields.Date(string="Closed on", copy=False, readonly=True)
    compliance_differs = fields.Boolean(
        string="Differs from official data", compute="_compute_compliance_differs"
    )

    @api.depends(*COMPARED_FIELDS, *COMPARED_FIELDS.values())
    def _compute_compliance_differs(self):
        for partner in self:
            partner.compliance_differs = bool(partner._compliance_differences())

    def _compliance_differences(self):
        """``{field: (current, official)}`` where the official value is known and differs."""
        self.ensure_one()
        if not self.compliance_checked_on or self.compliance_siret_status not in ("ok", "closed"):
            return {}
        differences = {}
        for field, official_field in COMPARED_FIELDS.items():
            official = (self[official_field] or "").strip()
            current = (self[field] or "").strip()
            if official and _comparable(official) != _comparable(current):
                differences[field] = (current, official)
        return differences

    def _compliance_company(self):
        return self.company_id or self.env.company

    @api.onchange("siret")
    def _onchange_compliance_siret(self):
        if not self.siret:
            return None
        service = self.env["compliance.remote"]
        problem = service.check_siret_format(self._compliance_company(), self.siret)
        if problem:
            return {"warning": {"title": _("Check the SIRET"), "message": problem}}
        return None

    @api.model_create_multi
    def create(self, vals_list):
        """A partner created with a SIRET is only marked for the background check."""
        if self.env.context.get("compliance_no_siret_check"):
            return super().create(vals_list)
        Company = self.env["res.company"]
        pending = False
        for vals in vals_list:
            company = Company.browse(vals.get("company_id")) or self.env.company
            if vals.get("siret") and company.compliance_auto_verify:
                vals["compliance_siret_status"] = "pending"
                pending = True
        partners = super().create(vals_list)
        if pending:
            self._compliance_trigger_check()
        return partners

    def write(self, vals):
        if not vals.get("siret") or self.env.context.get("compliance_no_siret_check"):
            return super().write(vals)
        result = super().write(vals)
        to_check = self.filtered(
            lambda partner: partner._compliance_company().compliance_auto_verify
        )
        if to_check:
            to_check.with_context(compliance_no_siret_check=True).write(
                {"compliance_siret_status": "pending"}
            )
            self._compliance_trigger_check()
        return result

    @api.model
    def _compliance_trigger_check(self, at=None):
        """Wake the background check up (within seconds, or at ``at``)."""
        cron = self.env.ref(PENDING_CHECK_CRON, raise_if_not_found=False)
        if cron:
            cron._trigger(at)

    @api.model
    def _cron_compliance_siret_check(self, batch_size=CHECK_BATCH_SIZE):
        """Check the SIRETs entered since the last run, a small batch at a time.

        Each partner is committed on its own, so a killed run keeps what it
        finished; a failure is recorded on its partner and never stops the
        others. A rate limit, or the run's time budget spent, stops the batch
        (the partner stays pending) and schedules the next run. Running again
        with nothing pending does nothing.
        """
        partners = self.with_context(active_test=False, compliance_no_siret_check=True)
        pending = [("compliance_siret_status", "=", "pending")]
        partners.search(pending + [("siret", "=", False)]).compliance_siret_status = False
        partners = partners.search(pending, order="write_date, id", limit=batch_size + 1)
        Job = self.env["duret.job"]
        budget = Budget(CHECK_BUDGET)
        for partner in partners[:batch_size]:
            # the company partner's language, else that of whoever entered the SIRET
            stop = Job._duret_in_job_lang(
                partner, partner._compliance_company(), partner.write_uid
            )._compliance_background_check(budget)
            Job._duret_commit_progress()
            if stop is not None:
                _logger.info("background SIRET check stopped: %s", stop)
                if isinstance(stop, errors.RateLimitError):
                    delay = datetime.timedelta(seconds=stop.retry_in or 60)
                else:
                    delay = datetime.timedelta(minutes=CHECK_RETRY_MINUTES)
                self._compliance_trigger_check(fields.Datetime.now() + delay)
                break
        else:
            if len(partners) > batch_size:
                self._compliance_trigger_check()
        _logger.info("background SIRET check: %s", Job._duret_budget_line(budget))

    def _compliance_background_check(self, budget=None):
        """Check one pending partner; returns the remote error that must stop the batch.

        A rate limit or the job's spent budget leaves the partner pending; any
        other failure is recorded on the partner (status "error") and the next
        partner goes on. No rollback after a remote call: its API Entreprise
        call log is kept.
        """
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                try:
                    self._compliance_verify(retries=0, budget=budget)
                except (errors.RateLimitError, errors.BudgetExhaustedError) as exc:
                    _logger.info("background SIRET check paused: %s", exc)
                    quiet = self.with_context(compliance_no_siret_check=True)
                    quiet.compliance_siret_status = "pending"
                    return exc
                except errors.RemoteError as exc:  # status "error" recorded by _compliance_verify
                    _logger.info("background SIRET check of partner %s failed: %s", self.id, exc)
                    return exc if exc.stop_batch else None
                except UserError as exc:  # settings incomplete: said on the partner
                    self._compliance_record_check("error", exc.args[0])
        except Exception:
            _logger.exception("background SIRET check of partner %s failed", self.id)
            self._compliance_record_check(
                "error", _("The automatic check failed: use the Check SIRET button.")
            )
        return None

    def _compliance_record_check(self, status, message=False, **official):
        """Store a check's outcome (never triggers another check)."""
        self.with_context(compliance_no_siret_check=True).write(
            {
                "compliance_siret_status": status,
                "compliance_checked_on": fields.Datetime.now(),
                "compliance_check_message": message,
                **official,
            }
        )

    def _compliance_verify(self, retries=None, budget=None):
        """Fetch the official identity and store it next to (not over) the partner's data."""
        self.ensure_one()
        service = self.env["compliance.remote"]
        company = self._compliance_company()
        siret = "".join((self.siret or "").split())
        problem = service.check_siret_format(company, siret)
        if problem:
            self._compliance_record_check("invalid", problem)
            return None
        try:
            identity = service.lookup_identity(company, siret, retries=retries, budget=budget)
        except errors.RemoteError as exc:
            self._compliance_record_check("error", service._error_message(exc))
            raise
        if not identity:
            self._compliance_record_check("not_found", _("No establishment has this SIRET."))
            return None
        closed = not identity.active
        self._compliance_record_check(
            "closed" if closed else "ok",
            _("This establishment is closed.") if closed else False,
            compliance_legal_name=identity.name,
            compliance_official_street=identity.street,
            compliance_official_street2=identity.street2,
            compliance_official_zip=identity.zip,
            compliance_official_city=identity.city,
            compliance_naf_code=identity.naf_code,
            compliance_naf_label=identity.naf_label,
            compliance_legal_category=" ".join(
                filter(None, (identity.legal_category_code, identity.legal_category_label))
            ),
            compliance_is_public_body=identity.is_public_body,
            compliance_closed=closed,
            compliance_closed_on=identity.closed_on,
        )
        return identity

    def action_compliance_check_siret(self):
        """ "Check SIRET": verify, then propose the differences in a wizard."""
        self.ensure_one()
        if not self.siret:
            raise UserError(_("Enter a SIRET first."))
        try:
            identity = self._compliance_verify()
        except errors.RemoteError as exc:
            raise UserError(self.env["compliance.remote"]._error_message(exc)) from exc
        if identity is None:
            raise UserError(self.compliance_check_message)
        if self._compliance_differences():
            return self.env["compliance.partner.verification.wizard"].open_for(self)
        return self.env["duret.notify"]._duret_notification(
            self.compliance_check_message or _("The partner matches the official data."),
            kind="warning" if self.compliance_closed else "success",
            next_action={"type": "ir.actions.act_window_close"},
        )

    def action_compliance_review_differences(self):
        self.ensure_one()
        return self.env["compliance.partner.verification.wizard"].open_for(self)
