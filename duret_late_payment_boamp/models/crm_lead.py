"""The buyer's payment habit on a tender lead: part of the go / no-go decision."""

from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    late_payment_buyer_habit = fields.Char(
        string="Buyer's payment habit",
        compute="_compute_late_payment_buyer_habit",
        help="Observed delay between the deposit of our invoices and their payment by this "
        "buyer (paid invoices you can see).",
    )
    late_payment_buyer_deadline_days = fields.Integer(
        string="Buyer's legal payment deadline (days)",
        related="partner_id.commercial_partner_id.late_payment_deadline_days",
    )

    @api.depends("partner_id")
    @api.depends_context("allowed_company_ids", "lang")
    def _compute_late_payment_buyer_habit(self):
        for lead in self:
            buyer = lead.partner_id.commercial_partner_id
            lead.late_payment_buyer_habit = buyer.late_payment_delay_summary if buyer else False
