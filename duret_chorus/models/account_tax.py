"""The VAT category a tax gives a Factur-X line (BT-151/BT-118), with its exemption reason."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

#: UNTDID 5305 subset of EN 16931 (BT-151), in the words an accountant knows.
VAT_CATEGORIES = [
    ("S", "S - Standard rate"),
    ("Z", "Z - Zero rated goods"),
    ("E", "E - Exempt from VAT (exonération)"),
    ("AE", "AE - Reverse charge (autoliquidation)"),
    ("K", "K - Intra-community supply"),
    ("G", "G - Export outside the EU"),
    ("O", "O - Outside the scope of VAT"),
]
#: EN 16931 business rules: these categories carry a 0 % rate (BR-AE-05, BR-E-05...)
ZERO_RATE_CATEGORIES = ("Z", "E", "AE", "K", "G", "O")
#: and these need an exemption reason, code or text (BR-E-10, BR-AE-10, BR-K-10, BR-G-10, BR-O-10)
REASON_CATEGORIES = ("E", "AE", "K", "G", "O")


class AccountTax(models.Model):
    _inherit = "account.tax"

    chorus_vat_category = fields.Selection(
        VAT_CATEGORIES,
        string="VAT category (Factur-X)",
        help="Category of the invoice lines bearing this tax in the Factur-X sent to Chorus "
        "Pro (BT-151). Empty: Odoo guesses it (standard rate, or exempt for a 0 % tax).",
    )
    chorus_exemption_reason_code = fields.Char(
        string="VAT exemption reason code",
        help="VATEX code of the exemption (BT-121), e.g. VATEX-EU-AE for a reverse charge.",
    )
    chorus_exemption_reason = fields.Char(
        string="VAT exemption reason",
        translate=True,
        help="Legal mention of the exemption (BT-120), also printed on the invoice, e.g. "
        "the article of the CGI.",
    )

    @api.constrains(
        "chorus_vat_category", "amount", "chorus_exemption_reason", "chorus_exemption_reason_code"
    )
    def _check_chorus_vat_category(self):
        for tax in self.filtered("chorus_vat_category"):
            category = tax.chorus_vat_category
            if category in ZERO_RATE_CATEGORIES and tax.amount:
                raise ValidationError(
                    _(
                        "The tax %(tax)s has the VAT category %(category)s: its rate must be 0 %%.",
                        tax=tax.name,
                        category=category,
                    )
                )
            if category == "S" and not tax.amount:
                raise ValidationError(
                    _(
                        "The tax %s has the standard VAT category: its rate cannot be 0 %%.",
                        tax.name,
                    )
                )
            if category in REASON_CATEGORIES and not (
                tax.chorus_exemption_reason or tax.chorus_exemption_reason_code
            ):
                raise ValidationError(
                    _(
                        "The tax %(tax)s has the VAT category %(category)s: give the exemption "
                        "reason (legal mention) or its VATEX code.",
                        tax=tax.name,
                        category=category,
                    )
                )
