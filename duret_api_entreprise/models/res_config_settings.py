from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    duret_ae_environment = fields.Selection(
        related="company_id.duret_ae_environment", readonly=False
    )
    duret_ae_sandbox_url = fields.Char(related="company_id.duret_ae_sandbox_url", readonly=False)
    duret_ae_token = fields.Char(
        related="company_id.duret_ae_token", readonly=False, groups="base.group_system"
    )
    duret_ae_token_expiry = fields.Date(related="company_id.duret_ae_token_expiry", readonly=False)
    duret_ae_recipient = fields.Char(related="company_id.duret_ae_recipient", readonly=False)
    duret_ae_context = fields.Char(related="company_id.duret_ae_context", readonly=False)
    duret_ae_object = fields.Char(related="company_id.duret_ae_object", readonly=False)
    duret_ae_reminder_days = fields.Integer(
        related="company_id.duret_ae_reminder_days", readonly=False
    )
    duret_ae_award_margin_days = fields.Integer(
        related="company_id.duret_ae_award_margin_days", readonly=False
    )
    duret_ae_responsible_id = fields.Many2one(
        related="company_id.duret_ae_responsible_id", readonly=False
    )
    duret_ae_tracked_type_ids = fields.Many2many(
        related="company_id.duret_ae_tracked_type_ids", readonly=False
    )
    duret_ae_blocked_until = fields.Datetime(related="company_id.duret_ae_blocked_until")
    duret_ae_auto_verify = fields.Boolean(related="company_id.duret_ae_auto_verify", readonly=False)
