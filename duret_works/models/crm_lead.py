"""One click from a won tender lead to its works contract.

The link is optional on purpose: duret_works depends on Odoo's CRM only, and
reads the tender fields of duret_boamp when that addon is installed (a
contract may come from a tender found elsewhere). See readme/DESCRIPTION.md.
"""

from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    works_contract_ids = fields.One2many("works.contract", "lead_id", string="Works contracts")
    works_contract_count = fields.Integer(compute="_compute_works_contract_count")
    works_stage_won = fields.Boolean(related="stage_id.is_won", string="Won stage")

    def _compute_works_contract_count(self):
        for lead in self:
            lead.works_contract_count = len(lead.works_contract_ids)

    def _works_contract_values(self):
        """What the lead already knows: buyer, subject, amount (award, else expected), the lot
        when the tender had one (a tender of several lots leaves the choice to the user)."""
        self.ensure_one()
        amount = 0.0
        for name in ("tender_award_amount", "tender_amount"):
            if name in self._fields and self[name]:
                amount = self[name]
                break
        lots = (self["tender_lots"] or "").strip().splitlines() if "tender_lots" in self else []
        return {
            "name": self.name,
            "lot": lots[0].strip() if len(lots) == 1 else False,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": (self.company_id or self.env.company).id,
            "amount_untaxed": amount or self.expected_revenue or 0.0,
            "lead_id": self.id,
        }

    def action_works_create_contract(self):
        self.ensure_one()
        if not self.stage_id.is_won:
            raise UserError(_("Only a won tender becomes a works contract."))
        if not self.partner_id:
            raise UserError(_("Set the buyer on the lead first."))
        values = self._works_contract_values()
        if not values["amount_untaxed"]:
            raise UserError(_("Enter the awarded amount (expected revenue) on the lead first."))
        contract = self.env["works.contract"].create(values)
        return {
            "type": "ir.actions.act_window",
            "res_model": "works.contract",
            "res_id": contract.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_works_open_contracts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Works contracts"),
            "res_model": "works.contract",
            "view_mode": "tree,form",
            "domain": [("lead_id", "=", self.id)],
        }
