"""Chorus Pro block of the suite's settings app (administrators only)."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    chorus_environment = fields.Selection(
        related="company_id.chorus_environment", readonly=False, groups="base.group_system"
    )
    chorus_oauth_url = fields.Char(
        related="company_id.chorus_oauth_url", readonly=False, groups="base.group_system"
    )
    chorus_api_url = fields.Char(
        related="company_id.chorus_api_url", readonly=False, groups="base.group_system"
    )
    chorus_client_id = fields.Char(
        related="company_id.chorus_client_id", readonly=False, groups="base.group_system"
    )
    chorus_client_secret = fields.Char(
        related="company_id.chorus_client_secret", readonly=False, groups="base.group_system"
    )
    chorus_login = fields.Char(
        related="company_id.chorus_login", readonly=False, groups="base.group_system"
    )
    chorus_password = fields.Char(
        related="company_id.chorus_password", readonly=False, groups="base.group_system"
    )
    chorus_structure_id = fields.Integer(related="company_id.chorus_structure_id")
    chorus_password_expiry = fields.Date(
        related="company_id.chorus_password_expiry", groups="base.group_system"
    )
    chorus_auto_send = fields.Boolean(related="company_id.chorus_auto_send", readonly=False)
    chorus_last_poll = fields.Datetime(related="company_id.chorus_last_poll")

    def action_chorus_test_connection(self):
        return self.company_id.action_chorus_test_connection()

    def action_chorus_poll_now(self):
        return self.env["chorus.poll.run"].action_poll_now()

    def action_chorus_open_poll_cron(self):
        cron = self.env.ref("duret_chorus.ir_cron_chorus_poll")
        return {
            "type": "ir.actions.act_window",
            "res_model": "ir.cron",
            "res_id": cron.id,
            "view_mode": "form",
        }
