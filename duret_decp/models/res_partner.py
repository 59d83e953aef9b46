"""A contact created, or given a SIRET / SIREN, after the sync gets its DECP records."""

from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered("siret")._decp_link()
        return partners

    def write(self, vals):
        result = super().write(vals)
        if vals.get("siret") or vals.get("active"):
            self.filtered("siret")._decp_link()
        return result

    def _decp_link(self):
        """Link the holders and buyers of stored contracts that no contact had yet.

        The sync's rule (``decp.contract._decp_partners_by_siret``): a holder belongs to
        the contact with its SIRET, else to a contact of the same SIREN; a buyer to the
        contact with its SIRET. Holders already linked keep their contact.
        """
        Contract = self.env["decp.contract"].sudo()
        Holder = self.env["decp.holder"].sudo()
        for partner in self.filtered("active"):
            number = partner.siret.replace(" ", "")
            if not (number.isdigit() and len(number) in (9, 14)):
                continue
            holders = Holder.search(
                [
                    ("partner_id", "=", False),
                    "|",
                    ("identifier", "=", number),
                    ("siren", "=", number[:9]),
                ]
            )
            holders.partner_id = partner
            contracts = holders.contract_id
            if len(number) == 14:
                buyers = Contract.search(
                    [("buyer_partner_id", "=", False), ("buyer_siret", "=", number)]
                )
                buyers.buyer_partner_id = partner
            contracts._decp_relabel()
