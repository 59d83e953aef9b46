from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    compliance_environment = fields.Selection(
        related="company_id.compliance_environment", readonly=False
    )
    compliance_sandbox_url = fields.Char(
        related="company_id.compliance_sandbox_url", readonly=False
    )
    compliance_token = fields.Char(
        related="company_id.compliance_token", readonly=False, groups="base.group_system"
    )
    compliance_token_expiry = fields.Date(
        related="company_id.compliance_token_expiry", readonly=False
    )
    compliance_recipient = fields.Char(related="company_id.compliance_recipient", readonly=False)
    compliance_context = fields.Char(related="company_id.compliance_context", readonly=False)
    compliance_object = fields.Char(related="company_id.compliance_object", readonly=False)
    compliance_reminder_days = fields.Integer(
        related="company_id.compliance_reminder_days", readonly=False
    )
    compliance_award_margin_days = fields.Integer(
        related="company_id.compliance_award_margin_days", readonly=False
    )
    compliance_responsible_id = fields.Many2one(
        related="company_id.compliance_responsible_id", readonly=False
    )
    compliance_tracked_type_ids = fields.Many2many(
        related="company_id.compliance_tracked_type_ids", readonly=False
    )
    compliance_blocked_until = fields.Datetime(related="company_id.compliance_blocked_until")
    compliance_auto_verify = fields.Boolean(
        related="company_id.compliance_auto_verify", readonly=False
    )
