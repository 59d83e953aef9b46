"""Chorus Pro connection settings, one set per company (administrators only)."""

import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import errors
from ..lib.chorus_client import ChorusClient
from .chorus_messages import chorus_error_message, siret_message
from .chorus_token import DbTokenStore
from .chorus_tools import ADMINISTRATORS, chorus_check_group

_logger = logging.getLogger(__name__)

ENVIRONMENT_URLS = {
    "qualification": ("https://sandbox-oauth.piste.gouv.fr", "https://sandbox-api.piste.gouv.fr"),
    "production": ("https://oauth.piste.gouv.fr", "https://api.piste.gouv.fr"),
}
PASSWORD_WARNING_DAYS = 30


class ResCompany(models.Model):
    _inherit = "res.company"

    chorus_environment = fields.Selection(
        [("qualification", "Qualification"), ("production", "Production")],
        string="Chorus Pro environment",
        default="qualification",
        required=True,
        groups="base.group_system",
    )
    chorus_oauth_url = fields.Char(
        string="PISTE OAuth URL",
        compute="_compute_chorus_urls",
        store=True,
        readonly=False,
        groups="base.group_system",
        help="Base URL of the PISTE token endpoint; set from the environment, override "
        "it for a test server.",
    )
    chorus_api_url = fields.Char(
        string="PISTE API URL",
        compute="_compute_chorus_urls",
        store=True,
        readonly=False,
        groups="base.group_system",
        help="Base URL of the Chorus Pro APIs on PISTE.",
    )
    chorus_client_id = fields.Char(string="PISTE client id", groups="base.group_system")
    chorus_client_secret = fields.Char(string="PISTE client secret", groups="base.group_system")
    chorus_login = fields.Char(string="Technical account login", groups="base.group_system")
    chorus_password = fields.Char(string="Technical account password", groups="base.group_system")
    chorus_structure_id = fields.Integer(
        string="Own Chorus structure id",
        help="idStructureCPP of the company, looked up from its SIRET.",
    )
    chorus_password_expiry = fields.Date(
        string="Technical password expiry",
        groups="base.group_system",
        help="Read from Chorus Pro; an activity reminds the administrator 30 days before.",
    )
    chorus_auto_send = fields.Boolean(
        string="Send to Chorus when posted",
        help="Invoices to a Chorus buyer are sent automatically after they are posted.",
    )
    chorus_last_poll = fields.Datetime(
        string="Last successful Chorus poll",
        readonly=True,
        help="Start of the last successful status poll; the next one asks for changes since then.",
    )

    @api.depends("chorus_environment")
    def _compute_chorus_urls(self):
        for company in self:
            oauth, api_url = ENVIRONMENT_URLS[company.chorus_environment or "qualification"]
            company.chorus_oauth_url = oauth
            company.chorus_api_url = api_url

    def _chorus_is_configured(self):
        self.ensure_one()
        company = self.sudo()
        return bool(
            company.chorus_client_id
            and company.chorus_client_secret
            and company.chorus_login
            and company.chorus_password
        )

    def _chorus_client(self, budget=None):
        """A ChorusClient for this company, its token shared through the database.

        ``budget``: the job's time budget for its remote calls (a button's client has its own).
        """
        self.ensure_one()
        if not self._chorus_is_configured():
            raise UserError(
                _(
                    "Chorus Pro is not configured for %s: set the PISTE client id and secret "
                    "and the technical account in the settings.",
                    self.name,
                )
            )
        company = self.sudo()
        oauth_url = company.chorus_oauth_url.rstrip("/")
        store = DbTokenStore(self.env.registry, f"{oauth_url}|{company.chorus_client_id}")
        return ChorusClient(
            oauth_url,
            company.chorus_api_url.rstrip("/"),
            company.chorus_client_id,
            company.chorus_client_secret,
            company.chorus_login,
            company.chorus_password,
            token_store=store,
            budget=budget,
        )

    def _chorus_read_own_structure(self, client):
        """Own structure id from the SIRET, and the technical password expiry."""
        self.ensure_one()
        problem = siret_message(self.env, self.siret, self.name)
        if problem:
            raise UserError(problem)
        structure = client.search_structure(self.siret)
        if not structure:
            raise UserError(
                _(
                    "The connection works, but Chorus Pro knows no structure with SIRET "
                    "%(siret)s. Check the company SIRET and that it is registered in the "
                    "selected environment (%(env)s).",
                    siret=self.siret,
                    env=self.sudo().chorus_environment,
                )
            )
        structure_id = int(structure["idStructureCPP"])
        detail = client.structure_detail(structure_id)
        expiry = (detail.get("informationGenerales") or {}).get("dateExpirationMotPasseCompteTech")
        self.sudo().write(
            {
                "chorus_structure_id": structure_id,
                "chorus_password_expiry": fields.Date.to_date(expiry[:10]) if expiry else False,
            }
        )
        return structure

    def action_chorus_test_connection(self):
        """Token, own structure and password expiry; a precise message on failure."""
        self.ensure_one()
        chorus_check_group(
            self.env,
            ADMINISTRATORS,
            _("Only administrators can test the Chorus Pro connection: it uses the credentials."),
        )
        client = self._chorus_client()
        try:
            structure = self._chorus_read_own_structure(client)
        except errors.RemoteError as exc:
            raise UserError(chorus_error_message(self.env, exc)) from exc
        message = _(
            "Connection to Chorus Pro works. Structure %(name)s, id %(id)s.",
            name=structure.get("designationStructure") or self.name,
            id=self.chorus_structure_id,
        )
        expiry = self.sudo().chorus_password_expiry
        if expiry:
            message += " " + _("The technical password expires on %s.", expiry)
        return self.env["duret.notify"]._duret_notification(message, title=_("Chorus Pro"))

    def _chorus_job_lang(self):
        """Language of what a Chorus job writes: the suite's rule (duret.job), the company's
        administrator being the recipient."""
        self.ensure_one()
        return self.env["duret.job"]._duret_job_lang(self, self._chorus_admin_user())

    def _chorus_admin_user(self):
        """An administrator of the company who receives alerts."""
        admins = self.env.ref("base.group_system").users.filtered(
            lambda user: self in user.company_ids and not user.share and user.id != 1
        )
        return admins[:1] or self.env.ref("base.user_admin", raise_if_not_found=False)

    @api.model
    def _cron_chorus_password_expiry(self):
        """Activity for the administrator 30 days before the technical password expires."""
        limit = fields.Date.context_today(self) + timedelta(days=PASSWORD_WARNING_DAYS)
        companies = self.sudo().search([("chorus_password_expiry", "!=", False)])
        for company in companies.filtered(lambda c: c.chorus_password_expiry <= limit):
            company.with_context(
                lang=company._chorus_job_lang()
            )._chorus_schedule_password_activity()

    def _chorus_schedule_password_activity(self):
        self.ensure_one()
        partner = self.partner_id.sudo()
        summary = _("Chorus Pro technical password expires on %s", self.chorus_password_expiry)
        if partner.activity_ids.filtered(lambda act: act.summary == summary):
            return
        user = self._chorus_admin_user()
        partner.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.chorus_password_expiry,
            summary=summary,
            note=_(
                "Renew the password of the Chorus Pro technical account in the Chorus Pro "
                "portal, then enter it in the Chorus Pro settings."
            ),
            user_id=user.id,
        )
