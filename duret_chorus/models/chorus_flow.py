"""One deposit to Chorus Pro (a "flux"): its number, file, invoices and fate."""

from odoo import fields, models

FLOW_STATES = [
    ("sending", "Sending"),
    ("uncertain", "Sending uncertain"),
    ("deposited", "Deposited"),
    ("integrated", "Integrated"),
    ("rejected", "Rejected"),
]


class ChorusFlow(models.Model):
    _name = "chorus.flow"
    _description = "Chorus Pro deposit"
    _inherit = ["mail.thread"]
    _order = "date_sent desc, id desc"

    name = fields.Char(string="Flow number", index=True, readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    move_ids = fields.One2many("account.move", "chorus_flow_id", string="Invoices")
    attachment_id = fields.Many2one("ir.attachment", string="File sent", readonly=True)
    date_sent = fields.Datetime(string="Sent on", readonly=True)
    user_id = fields.Many2one("res.users", string="Sent by", readonly=True)
    state = fields.Selection(
        FLOW_STATES, default="sending", required=True, index=True, tracking=True
    )
    errors = fields.Text(readonly=True)
    status_ids = fields.One2many("chorus.invoice.status", "flow_id", string="Status history")
