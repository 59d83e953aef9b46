"""Recycler: send an invoice the buyer redirected (A_RECYCLER) to the right service."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..lib import errors
from ..models.chorus_messages import chorus_error_message
from ..models.chorus_tools import ACCOUNTANTS, chorus_check_group


class ChorusRecycleWizard(models.TransientModel):
    _name = "chorus.recycle.wizard"
    _description = "Redirect an invoice in Chorus Pro"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, readonly=True)
    reason = fields.Text(related="move_id.chorus_status_comment", string="Buyer's reason")
    partner_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        required=True,
        domain="[('chorus_structure_id', '!=', 0)]",
        help="The public buyer the invoice goes to (checked in Chorus Pro).",
    )
    service_id = fields.Many2one(
        "chorus.service",
        string="Service",
        domain="[('partner_id', '=', partner_id), ('active', '=', True)]",
    )
    legal_commitment = fields.Char(string="Legal commitment (EJ)")
    contract = fields.Char(string="Contract number")
    comment = fields.Text()

    def action_recycle(self):
        self.ensure_one()
        chorus_check_group(
            self.env, ACCOUNTANTS, _("Only accountants can redirect invoices in Chorus Pro.")
        )
        move = self.move_id
        if move.chorus_status != "A_RECYCLER" or not move.chorus_invoice_id:
            raise UserError(_("%s is not waiting to be redirected in Chorus Pro.", move.name))
        buyer = self.partner_id
        if buyer.chorus_service_required and not self.service_id:
            raise UserError(_("%s requires a service code.", buyer.display_name))
        client = move.company_id._chorus_client()
        try:
            client.recycle_invoice(
                move.chorus_invoice_id,
                buyer.siret,
                self.service_id.code or None,
                {"numeroBonCommande": self.legal_commitment, "numeroMarche": self.contract},
                self.comment,
            )
        except errors.RemoteError as exc:
            raise UserError(chorus_error_message(self.env, exc)) from exc
        move.write(
            {
                "chorus_service_id": self.service_id.id,
                "buyer_reference": self.service_id.code or False,
                "purchase_order_reference": self.legal_commitment or move.purchase_order_reference,
            }
        )
        move.message_post(
            body=_(
                "Redirected in Chorus Pro to %(buyer)s, service %(service)s.",
                buyer=buyer.display_name,
                service=self.service_id.display_name or "-",
            )
        )
        move._chorus_refresh_from_chorus(client)
        return {"type": "ir.actions.act_window_close"}
