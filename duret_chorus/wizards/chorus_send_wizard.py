"""Confirmation before sending invoices to Chorus Pro, with optional extra documents."""

from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError


class ChorusSendWizard(models.TransientModel):
    _name = "chorus.send.wizard"
    _description = "Send invoices to Chorus Pro"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    move_count = fields.Integer(compute="_compute_move_count")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Extra documents",
        help="Signed quote, acceptance report (PV de réception)...: embedded in the Factur-X "
        "PDF (10 MB each at most).",
    )

    def _compute_move_count(self):
        for wizard in self:
            wizard.move_count = len(wizard.move_ids)

    def action_send(self):
        self.ensure_one()
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(_("Only accountants can send invoices to Chorus Pro."))
        if self.attachment_ids and len(self.move_ids) > 1:
            raise UserError(_("Extra documents can only be added when sending one invoice."))
        result = self.move_ids._chorus_send(self.attachment_ids)
        return self.move_ids._chorus_notify(result)
