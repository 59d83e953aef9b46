"""What the buyer paid for a claim, and when."""

from odoo import api, fields, models


class LatePaymentReceiveWizard(models.TransientModel):
    _name = "late.payment.receive.wizard"
    _description = "Late-payment interest received"

    claim_ids = fields.Many2many("late.payment.claim", string="Claims")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    amount = fields.Monetary(string="Amount received", required=True)
    date = fields.Date(string="Received on", required=True, default=fields.Date.context_today)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "late.payment.claim":
            claims = self.env["late.payment.claim"].browse(self.env.context.get("active_ids"))
            values["claim_ids"] = [(6, 0, claims.ids)]
            values.setdefault("amount", sum(claims.mapped("amount_total")))
        return values

    @api.depends("claim_ids")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.claim_ids[:1].currency_id or self.env.company.currency_id

    def action_confirm(self):
        self.claim_ids._late_payment_receive(self.amount, self.date)
        return {"type": "ir.actions.act_window_close"}
