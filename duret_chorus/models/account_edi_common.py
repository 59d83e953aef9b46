"""Odoo's Factur-X / UBL export takes the VAT category of a tax from the tax itself."""

from odoo import models


class AccountEdiCommon(models.AbstractModel):
    _inherit = "account.edi.common"

    def _get_tax_unece_codes(self, invoice, tax):
        """The category, exemption code and text set on the tax win over Odoo's guess.

        Odoo sends every 0 % domestic tax as exempt (E) with "Articles 226 items
        11 to 15 Directive 2006/112/EN", which is wrong for a reverse charge
        (AE, art. 283-2 nonies CGI) and gives no real reason for an exemption.
        """
        if not tax.chorus_vat_category:
            return super()._get_tax_unece_codes(invoice, tax)
        return {
            "tax_category_code": tax.chorus_vat_category,
            "tax_exemption_reason_code": tax.chorus_exemption_reason_code or None,
            "tax_exemption_reason": tax.chorus_exemption_reason or None,
        }
