"""The two sale taxes a French works contractor needs beside the standard rates."""

from odoo import Command, models
from odoo.addons.account.models.chart_template import template

REVERSE_CHARGE_MENTION = "Autoliquidation — article 283-2 nonies du CGI"
EXEMPTION_MENTION = "Exonération de TVA — article 261 du CGI"


def _zero_rate_repartition(base_tag):
    """Base on ``base_tag`` of the CA3 return, no tax amount (a 0 % tax has none)."""
    lines = []
    for document_type, sign in (("invoice", "+"), ("refund", "-")):
        lines += [
            Command.create(
                {
                    "document_type": document_type,
                    "repartition_type": "base",
                    "tag_ids": sign + base_tag,
                }
            ),
            Command.create({"document_type": document_type, "repartition_type": "tax"}),
        ]
    return lines


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template("fr", "account.tax")
    def _get_fr_duret_chorus_account_tax(self):
        """Reverse charge of works subcontracting and exemption, with their Factur-X category.

        Both are services (works) and report their base on line E2 of the CA3
        return ("autres opérations non imposables"), like l10n_fr's own 0 % taxes.
        The exemption's article is the general one: the accountant narrows it
        (and may add the VATEX-FR code) on the tax.
        """
        taxes = {
            "duret_tva_autoliquidation_btp": {
                "name": "0% AUTOLIQ BTP",
                "description": "Autoliquidation sous-traitance BTP",
                "invoice_label": "Autoliquidation",
                "chorus_vat_category": "AE",
                "chorus_exemption_reason_code": "VATEX-EU-AE",
                "chorus_exemption_reason": REVERSE_CHARGE_MENTION,
            },
            "duret_tva_exoneration": {
                "name": "0% EXO",
                "description": "Exonération de TVA",
                "invoice_label": "TVA 0% exonérée",
                "chorus_vat_category": "E",
                "chorus_exemption_reason": EXEMPTION_MENTION,
            },
        }
        for values in taxes.values():
            values.update(
                {
                    "amount": 0.0,
                    "amount_type": "percent",
                    "type_tax_use": "sale",
                    "tax_scope": "service",
                    "tax_group_id": "tax_group_tva_0",
                    "repartition_line_ids": _zero_rate_repartition("E2"),
                }
            )
        self._deref_account_tags("fr", taxes)
        return taxes
