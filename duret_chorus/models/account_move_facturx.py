"""What the Factur-X of an invoice needs from Odoo beyond its CII export (plain values for lib/)."""

from decimal import Decimal

from odoo import _, models
from odoo.tools import file_open, float_repr

from ..lib import facturx, sendable

PERCENT_TAX = "percent"


class AccountMove(models.Model):
    _inherit = "account.move"

    def _chorus_type_code(self):
        """BT-3: 381 for a credit note, 386 for a down payment (Odoo's sale flow), else 380."""
        self.ensure_one()
        if self.move_type == "out_refund":
            return facturx.CREDIT_NOTE
        if self._is_downpayment():
            return facturx.PREPAYMENT_INVOICE
        return facturx.INVOICE

    def _chorus_preceding_invoices(self):
        """BT-25/BT-26: the credited invoice, or the down-payment invoices this one deducts."""
        self.ensure_one()
        if self.move_type == "out_refund":
            invoices = self.reversed_entry_id
        else:
            deductions = self.invoice_line_ids.filtered(
                lambda line: line.display_type == "product" and line.price_subtotal < 0
            )
            invoices = deductions.sale_line_ids.invoice_lines.move_id.filtered(
                lambda move: (
                    move != self
                    and move.move_type == "out_invoice"
                    and move.state == "posted"
                    and move._is_downpayment()
                )
            )
        return tuple(
            (invoice.name, invoice.invoice_date.strftime("%Y%m%d") if invoice.invoice_date else "")
            for invoice in invoices.sorted(lambda move: (move.invoice_date, move.name))
        )

    def _chorus_vat_point_codes(self):
        """BT-8 per VAT category and rate: 72 when every tax of that rate is due on payment."""
        self.ensure_one()
        builder = self.env["account.edi.xml.cii"]
        exigibility = {}
        for tax in self.invoice_line_ids.tax_ids.flatten_taxes_hierarchy():
            if tax.amount_type != PERCENT_TAX:
                continue
            category = builder._get_tax_unece_codes(self, tax)["tax_category_code"]
            key = (category, Decimal(float_repr(tax.amount, 4)))
            exigibility.setdefault(key, set()).add(tax.tax_exigibility == "on_payment")
        return {
            key: facturx.VAT_ON_PAYMENT if flags == {True} else facturx.VAT_ON_INVOICE
            for key, flags in exigibility.items()
        }

    def _chorus_line_prices(self):
        """Each product line's gross unit price without tax and discount, at Odoo's precision.

        Line ids follow Odoo's CII export (``_prepare_edi_vals_to_export``: product
        lines numbered from 1). A price including tax is brought back to its
        amount without tax, from the line subtotal.
        """
        self.ensure_one()
        prices = {}
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        digits = self.env["decimal.precision"].precision_get("Product Price")
        for index, line in enumerate(lines, start=1):
            discount = Decimal(float_repr(line.discount, 6))
            if any(line.tax_ids.mapped("price_include")):
                if not line.quantity or discount >= 100:
                    continue
                gross = Decimal(float_repr(line.price_subtotal, 2)) / (
                    Decimal(float_repr(line.quantity, 6)) * (1 - discount / 100)
                )
                gross = gross.quantize(Decimal(1).scaleb(-digits))
            else:
                gross = Decimal(float_repr(line.price_unit, digits))
            prices[str(index)] = facturx.LinePrice(gross_price=gross, discount=discount)
        return prices

    def _chorus_facturx_facts(self):
        self.ensure_one()
        return facturx.InvoiceFacts(
            type_code=self._chorus_type_code(),
            preceding_invoices=self._chorus_preceding_invoices(),
            vat_point_codes=self._chorus_vat_point_codes(),
            line_prices=self._chorus_line_prices(),
        )

    def _chorus_amount_problems(self):
        """The sendable rule on amounts (lib/sendable.py), as translated sentences."""
        self.ensure_one()
        lines = [
            (float_repr(line.price_subtotal, 2), ", ".join(line.tax_ids.mapped("name")))
            for line in self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        ]
        messages = []
        for code, vat_key in sendable.problems(float_repr(self.amount_total, 2), lines):
            if code == sendable.TOTAL_NOT_POSITIVE:
                messages.append(_("the total amount must be positive"))
            elif code == sendable.DEDUCTION_EXCEEDS_RATE:
                messages.append(
                    _(
                        "the deductions (negative lines) taxed %s exceed the amount invoiced "
                        "with that tax: deduct them on another invoice or issue a credit note",
                        vat_key or _("without tax"),
                    )
                )
        return messages

    def _chorus_pdfa(self, pdf):
        """``pdf`` with the PDF/A OutputIntent of Odoo's own Factur-X path (its sRGB profile)."""
        with file_open("tools/data/files/sRGB2014.icc", mode="rb") as profile:
            return facturx.with_output_intent(pdf, profile.read())
