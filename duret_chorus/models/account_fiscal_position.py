"""A customer in the company's own country is domestic, VAT number or not."""

from odoo import models


class AccountFiscalPosition(models.Model):
    _inherit = "account.fiscal.position"

    def _get_fiscal_position(self, partner, delivery=None):
        """Prefer the domestic position for a domestic customer without VAT number.

        Odoo first looks for positions requiring a VAT number only when the
        partner has one. A French commune (or any French customer) without an
        intra-community VAT number therefore skips l10n_fr's "Domestique -
        France" (VAT required) and lands on "EU privé" (country group Europe,
        no VAT required), meant for private customers in other EU countries.
        A position made for the partner's country itself (e.g. by postcode) is kept.
        """
        position = super()._get_fiscal_position(partner, delivery=delivery)
        address = delivery or partner
        company = self.env.company
        if (
            not partner
            or partner.vat
            or (position and (position.vat_required or position.country_id))
            or not company.country_id
            or address.country_id != company.country_id
            or address.with_company(company).property_account_position_id
            or partner.with_company(company).property_account_position_id
        ):
            return position
        domestic = self._get_fpos_by_region(
            address.country_id.id, address.state_id.id, address.zip, vat_required=True
        )
        return domestic or position
