from dateutil.relativedelta import relativedelta

from odoo import fields, models

TOKEN_LIFETIME_MONTHS = 18

ENVIRONMENTS = [
    ("production", "Production"),
    ("staging", "Staging (test data)"),
    ("sandbox", "Sandbox (custom URL)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    compliance_environment = fields.Selection(
        ENVIRONMENTS, string="API Entreprise environment", default="production", required=True
    )
    compliance_sandbox_url = fields.Char(
        string="Sandbox base URL",
        help="In sandbox mode every remote service (API Entreprise, Recherche d'entreprises, "
        "ADEME) is called on this base URL.",
    )
    compliance_token = fields.Char(
        string="API Entreprise token", groups="base.group_system", copy=False
    )
    compliance_token_expiry = fields.Date(
        string="Token expiry date",
        help="Tokens are valid 18 months after their issue; a reminder is scheduled 30 days "
        "before.",
    )
    compliance_recipient = fields.Char(
        string="Recipient SIRET",
        size=14,
        help="SIRET of the public body on whose behalf the calls are made; it may not be the "
        "company looked up.",
    )
    compliance_context = fields.Char(
        string="Call context",
        default="Marchés publics",
        help="Framework of the calls, sent with each one (for example: Marchés publics).",
    )
    compliance_object = fields.Char(
        string="Call object",
        default="Dossier de candidature",
        size=49,
        help="Reason or procedure reference sent with each call (fewer than 50 characters).",
    )
    compliance_reminder_days = fields.Integer(
        string="Reminder delay (days)",
        default=30,
        help="This many days before a document expires, the responsible gets an activity and "
        "the document is listed in the weekly email.",
    )
    compliance_award_margin_days = fields.Integer(
        string="Award margin (days)",
        default=30,
        help="Documents must still be valid this many days after the tender deadline.",
    )
    compliance_responsible_id = fields.Many2one(
        "res.users", string="Compliance responsible", help="Receives the expiry reminders."
    )
    compliance_tracked_type_ids = fields.Many2many(
        "compliance.document.type",
        string="Tracked document types",
        help="Leave empty to track every active type.",
    )
    compliance_blocked_until = fields.Datetime(
        string="API Entreprise paused until",
        copy=False,
        help="Set after a rate-limit answer: no call is made before this time.",
    )
    compliance_auto_verify = fields.Boolean(
        string="Check SIRET on entry",
        default=True,
        help="Look the establishment up in the background, within a minute, once a SIRET is "
        "entered on a partner.",
    )

    def write(self, vals):
        """A new token without an expiry date expires 18 months from today."""
        if vals.get("compliance_token") and not vals.get("compliance_token_expiry"):
            vals = dict(
                vals,
                compliance_token_expiry=fields.Date.context_today(self)
                + relativedelta(months=TOKEN_LIFETIME_MONTHS),
            )
        return super().write(vals)

    def _compliance_tracked_types(self):
        self.ensure_one()
        return self.compliance_tracked_type_ids or self.env["compliance.document.type"].search([])

    def _compliance_responsible(self):
        """Who renews the documents and gets the reminders: the responsible, else an admin."""
        self.ensure_one()
        recipients = self.env["duret.notify"]._duret_alert_recipients(
            self, self.compliance_responsible_id
        )
        return recipients[:1]
