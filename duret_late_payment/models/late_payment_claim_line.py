"""One invoice of a claim, with the figures claimed for it (kept as sent)."""

from odoo import api, fields, models

SNAPSHOT = {
    "amount_total": "amount_total_signed",
    "due_date": "late_payment_due_date",
    "paid_date": "late_payment_paid_date",
    "days_late": "late_payment_days_late",
    "rate": "late_payment_rate",
    "amount_late": "late_payment_amount_late",
    "fee": "late_payment_fee",
}


class LatePaymentClaimLine(models.Model):
    _name = "late.payment.claim.line"
    _description = "Invoice of a late-payment claim"
    _order = "claim_id, due_date, id"

    claim_id = fields.Many2one("late.payment.claim", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="restrict", index=True
    )
    invoice_date = fields.Date(related="move_id.invoice_date")
    amount_total = fields.Monetary(string="Invoice total", readonly=True)
    due_date = fields.Date(string="Legal due date", readonly=True)
    paid_date = fields.Date(string="Paid on", readonly=True)
    days_late = fields.Integer(string="Days late", readonly=True)
    rate = fields.Float(string="Rate (%)", digits=(16, 3), readonly=True)
    amount_late = fields.Monetary(string="Paid late", readonly=True)
    interest = fields.Monetary(readonly=True)
    fee = fields.Monetary(string="Recovery fee", readonly=True)

    _sql_constraints = [
        ("move_claim_unique", "unique(claim_id, move_id)", "An invoice appears once per claim."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._snapshot()
        return lines

    def _snapshot(self):
        """Copy the invoice's current figures (drafts; a sent claim keeps what it said)."""
        for line in self:
            move = line.move_id
            values = {name: move[source] for name, source in SNAPSHOT.items()}
            values["interest"] = move.late_payment_claimable - move.late_payment_fee
            line.write(values)
