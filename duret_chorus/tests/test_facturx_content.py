"""The Factur-X of a works contractor's real invoices, built as "Envoyer à Chorus" builds it.

Each file comes from ``account.move._chorus_build_file`` (the method the send
button and the cron call) and must pass the Factur-X EN16931 XSD, the official
EN16931 schematron with no error and no warning, and the PDF/A-3 structure check.
Amounts are computed by hand in the comments.
"""

from decimal import ROUND_HALF_UP, Decimal

import facturx
from lxml import etree, html

from odoo import Command
from odoo.addons.duret_chorus import post_init_hook
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..lib.facturx import check_xsd, pdfa_problems
from . import schematron
from .common import DEPOSIT, UGINE, ChorusCase
from .test_facturx import FacturxCase, text, xpath

SETTLEMENT = "//ram:ApplicableHeaderTradeSettlement"
BREAKDOWN = SETTLEMENT + "/ram:ApplicableTradeTax"
SUMMATION = SETTLEMENT + "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
LINE = "//ram:IncludedSupplyChainTradeLineItem"
REVERSE_CHARGE = "Autoliquidation — article 283-2 nonies du CGI"


def works_order(env, buyer, tax):
    """A confirmed sale order of 1 000.00 of works at ``tax``, invoiced on ordered quantities."""
    product = env["product.product"].create(
        {"name": "Mise en conformité électrique école", "type": "service",
         "invoice_policy": "order", "taxes_id": [Command.set(tax.ids)]}
    )  # fmt: skip
    order = env["sale.order"].create(
        {
            "partner_id": buyer.id,
            "order_line": [
                Command.create(
                    {"product_id": product.id, "product_uom_qty": 1, "price_unit": 1000.0}
                )
            ],
        }
    )
    order.action_confirm()
    return order


def invoice_order(env, order, bank, method, **values):
    """Invoice ``order`` through Odoo's own wizard (a down payment, or the rest), and post it."""
    wizard = (
        env["sale.advance.payment.inv"]
        .with_context(active_model="sale.order", active_ids=order.ids)
        .create({"advance_payment_method": method, **values})
    )
    wizard.create_invoices()
    move = order.invoice_ids.filtered(lambda move: move.state == "draft")
    move.write({"invoice_date": "2026-03-10", "partner_bank_id": bank.id})
    move.action_post()
    return move


@tagged("post_install", "-at_install")
class TestFacturxContent(FacturxCase):
    @classmethod
    def setUpClass(cls, chart_template_ref="fr"):
        super().setUpClass(chart_template_ref=chart_template_ref)
        company_id = cls.company.id

        def tax(xmlid):
            return cls.env.ref(f"account.{company_id}_{xmlid}").sudo()

        cls.on_payment = {
            rate: tax(xmlid)
            for rate, xmlid in (
                ("20", "tva_normale_encaissement"),
                ("10", "tva_intermediaire_encaissement"),
                ("5.5", "tva_reduite_encaissement"),
            )
        }
        for record in cls.on_payment.values():
            record.active = True  # l10n_fr ships 10 % and 5.5 % on payment archived
        cls.reverse_charge = tax("duret_tva_autoliquidation_btp")
        cls.exemption = tax("duret_tva_exoneration")

    # ------------------------------------------------------------- helpers
    def sent_file(self, move):
        """The PDF "Envoyer à Chorus" would deposit, its XML, and that XML parsed."""
        pdf = move._chorus_build_file()
        filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        return pdf, xml, etree.fromstring(xml)

    def assertChorusReady(self, pdf, xml):
        """XSD, official schematron with 0 errors and 0 warnings, PDF/A-3 structure."""
        check_xsd(xml)
        self.assertTrue(facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"))
        fired, errors, warnings = schematron.findings(xml)
        self.assertGreater(fired, 50, "the schematron did not run")
        self.assertEqual(errors, [])
        self.assertEqual(warnings, [])
        self.assertEqual(pdfa_problems(pdf), [])

    def assertLinesMultiplyBack(self, root):
        """Every line: quantity × net price / base quantity, rounded to cents, is the line total."""
        for line in xpath(root, LINE):
            quantity = Decimal(text(line, ".//ram:BilledQuantity"))
            price = Decimal(text(line, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount"))
            basis = text(line, ".//ram:NetPriceProductTradePrice/ram:BasisQuantity")
            total = Decimal(text(line, ".//ram:LineTotalAmount"))
            product = quantity * price / (Decimal(basis) if basis else 1)
            self.assertEqual(product.quantize(Decimal("0.01"), ROUND_HALF_UP), total, line)
            self.assertGreaterEqual(price, 0, "BR-27: a net price is never negative")

    def breakdown(self, root):
        """``{(category, rate): (basis, tax, BT-8, reason code, reason)}`` of the VAT breakdown."""
        return {
            (text(node, "ram:CategoryCode"), Decimal(text(node, "ram:RateApplicablePercent"))): (
                Decimal(text(node, "ram:BasisAmount")),
                Decimal(text(node, "ram:CalculatedAmount")),
                text(node, "ram:DueDateTypeCode"),
                text(node, "ram:ExemptionReasonCode"),
                text(node, "ram:ExemptionReason"),
            )
            for node in xpath(root, BREAKDOWN)
        }

    def printed_text(self, move):
        """The text of the invoice report the PDF is printed from (wkhtmltopdf renders this HTML).

        Read from the HTML rather than from the PDF: under load wkhtmltopdf may
        print a page whose text pypdf cannot extract, which would test the machine.
        """
        report = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", move.ids
        )[0]
        return " ".join(html.fromstring(report).text_content().split())

    # ---------------------------------------------------------------- cases
    def test_standard_invoice_20_percent(self):
        # 12 × 350.00 = 4 200.00 ; 8 × 55.50 - 10 % = 8 × 49.95 = 399.60
        # base 4 599.60, VAT 20 % 919.92, total 5 519.52
        move = self._post("out_invoice", buyer_reference="SERV-TECH-01")
        pdf, xml, root = self.sent_file(move)
        self.assertChorusReady(pdf, xml)
        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:TypeCode"), "380")
        self.assertEqual(
            self.breakdown(root),
            {("S", Decimal(20)): (Decimal("4599.60"), Decimal("919.92"), "5", None, None)},
        )
        self.assertEqual(text(root, SUMMATION + "/ram:GrandTotalAmount"), "5519.52")
        labour = xpath(root, LINE)[1]
        self.assertEqual(text(labour, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount"), "49.95")
        gross = ".//ram:GrossPriceProductTradePrice/ram:ChargeAmount"
        self.assertEqual(text(labour, gross), "55.50")
        self.assertEqual(
            text(labour, ".//ram:AppliedTradeAllowanceCharge/ram:ActualAmount"), "5.55"
        )
        self.assertLinesMultiplyBack(root)

    def test_credit_note_refers_to_the_credited_invoice(self):
        invoice = self._post("out_invoice")
        refund = invoice._reverse_moves([{"invoice_date": invoice.invoice_date}])
        refund.partner_bank_id = self.bank
        refund.action_post()
        pdf, xml, root = self.sent_file(refund)
        self.assertChorusReady(pdf, xml)
        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:TypeCode"), "381")
        (reference,) = xpath(root, SETTLEMENT + "/ram:InvoiceReferencedDocument")
        self.assertEqual(text(reference, "ram:IssuerAssignedID"), invoice.name)  # BT-25
        self.assertEqual(
            text(reference, "ram:FormattedIssueDateTime/qdt:DateTimeString"), "20260310"
        )  # BT-26
        self.assertEqual(text(root, SUMMATION + "/ram:GrandTotalAmount"), "5519.52")

    def test_three_rates_on_receipts_declare_vat_point_72(self):
        # 1 000.00 at 20 % = 200.00 ; 500.00 at 10 % = 50.00 ; 200.00 at 5.5 % = 11.00
        lines = [
            {"name": name, "quantity": 1, "price_unit": amount, "tax_ids": [Command.set(tax.ids)]}
            for name, amount, tax in (
                ("Tableau électrique", 1000.0, self.on_payment["20"]),
                ("Rénovation éclairage logement", 500.0, self.on_payment["10"]),
                ("Isolation, travaux d'économie d'énergie", 200.0, self.on_payment["5.5"]),
            )
        ]
        move = self._post("out_invoice", lines)
        pdf, xml, root = self.sent_file(move)
        self.assertChorusReady(pdf, xml)
        self.assertEqual(
            self.breakdown(root),
            {
                ("S", Decimal(20)): (Decimal("1000.00"), Decimal("200.00"), "72", None, None),
                ("S", Decimal(10)): (Decimal("500.00"), Decimal("50.00"), "72", None, None),
                ("S", Decimal("5.5")): (Decimal("200.00"), Decimal("11.00"), "72", None, None),
            },
        )
        self.assertEqual(text(root, SUMMATION + "/ram:GrandTotalAmount"), "1961.00")

    def test_mixed_invoice_keeps_each_rate_vat_point(self):
        # goods at 20 % on invoice (débits): 300.00 -> 60.00
        # works at 10 % on payment (encaissements): 700.00 -> 70.00
        lines = [
            {"name": "Fourniture de luminaires", "quantity": 1, "price_unit": 300.0,
             "tax_ids": [Command.set(self.tax.ids)]},
            {"name": "Pose", "quantity": 1, "price_unit": 700.0,
             "tax_ids": [Command.set(self.on_payment["10"].ids)]},
        ]  # fmt: skip
        pdf, xml, root = self.sent_file(self._post("out_invoice", lines))
        self.assertChorusReady(pdf, xml)
        codes = {key: values[2] for key, values in self.breakdown(root).items()}
        self.assertEqual(codes, {("S", Decimal(20)): "5", ("S", Decimal(10)): "72"})

    def test_discounted_line_multiplies_back_to_its_total(self):
        # 250 × 19.99 - 15 % = 250 × 16.9915 = 4 247.875 -> 4 247.88 ;
        # a price rounded to 16.99 gave 4 247.50 (0.38 off)
        lines = [
            {"name": "Câble U1000 R2V 3G2,5 (m)", "quantity": 250, "price_unit": 19.99,
             "discount": 15, "tax_ids": [Command.set(self.tax.ids)]},
            {"name": "Gaine ICTA 20 (m)", "quantity": 3, "price_unit": 100.0, "discount": 33.33,
             "tax_ids": [Command.set(self.tax.ids)]},
        ]  # fmt: skip
        pdf, xml, root = self.sent_file(self._post("out_invoice", lines))
        self.assertChorusReady(pdf, xml)
        cable, sheath = xpath(root, LINE)
        self.assertEqual(text(cable, ".//ram:LineTotalAmount"), "4247.88")
        self.assertEqual(
            text(cable, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount"), "16.9915"
        )
        self.assertEqual(
            text(cable, ".//ram:AppliedTradeAllowanceCharge/ram:ActualAmount"), "2.9985"
        )
        # 3 × 100.00 - 33.33 % = 3 × 66.67 = 200.01
        self.assertEqual(text(sheath, ".//ram:LineTotalAmount"), "200.01")
        self.assertLinesMultiplyBack(root)

    def test_four_decimal_prices_multiply_back(self):
        self.env.ref("product.decimal_price").digits = 4
        prices = [0.0125, 1.2345, 3.3333, 12.6789, 0.4567, 7.8912, 2.5555, 99.9999,
                  0.0999, 45.1234, 5.6789, 0.3333]  # fmt: skip
        quantities = [1000, 3, 7, 13, 250, 11, 9, 3, 1234, 2, 17, 301]
        lines = [
            {"name": f"Article {index}", "quantity": quantity, "price_unit": price,
             "tax_ids": [Command.set(self.tax.ids)]}
            for index, (price, quantity) in enumerate(zip(prices, quantities, strict=True), start=1)
        ]  # fmt: skip
        move = self._post("out_invoice", lines)
        pdf, xml, root = self.sent_file(move)
        self.assertChorusReady(pdf, xml)
        self.assertLinesMultiplyBack(root)
        net_prices = [
            text(line, ".//ram:NetPriceProductTradePrice/ram:ChargeAmount")
            for line in xpath(root, LINE)
        ]
        self.assertEqual(net_prices[1], "1.2345")  # the price as entered, not 1.23
        self.assertEqual(net_prices[7], "99.9999")
        self.assertEqual(
            sum(Decimal(text(line, ".//ram:LineTotalAmount")) for line in xpath(root, LINE)),
            Decimal(text(root, SUMMATION + "/ram:LineTotalAmount")),
        )

    def test_reverse_charge_subcontracting(self):
        lines = [
            {"name": "Sous-traitance : câblage courants faibles, lot 7", "quantity": 1,
             "price_unit": 18450.0, "tax_ids": [Command.set(self.reverse_charge.ids)]},
        ]  # fmt: skip
        move = self._post("out_invoice", lines)
        pdf, xml, root = self.sent_file(move)
        self.assertChorusReady(pdf, xml)
        self.assertEqual(text(root, LINE + "//ram:ApplicableTradeTax/ram:CategoryCode"), "AE")
        self.assertEqual(
            self.breakdown(root),
            {
                ("AE", Decimal(0)): (
                    Decimal("18450.00"), Decimal("0.00"), "5", "VATEX-EU-AE", REVERSE_CHARGE
                )
            },
        )  # fmt: skip
        self.assertEqual(text(root, SUMMATION + "/ram:GrandTotalAmount"), "18450.00")
        self.assertIn(REVERSE_CHARGE, self.printed_text(move))

    def test_exempt_line_gives_its_own_reason(self):
        lines = [
            {"name": "Travaux", "quantity": 1, "price_unit": 1000.0,
             "tax_ids": [Command.set(self.tax.ids)]},
            {"name": "Prestation exonérée", "quantity": 1, "price_unit": 250.0,
             "tax_ids": [Command.set(self.exemption.ids)]},
        ]  # fmt: skip
        move = self._post("out_invoice", lines)
        pdf, xml, root = self.sent_file(move)
        self.assertChorusReady(pdf, xml)
        exempt = self.breakdown(root)[("E", Decimal(0))]
        self.assertEqual(exempt[:2], (Decimal("250.00"), Decimal("0.00")))
        self.assertEqual(exempt[4], self.exemption.chorus_exemption_reason)
        self.assertNotIn(b"226", xml, "Odoo's generic 'Articles 226 items 11 to 15' is gone")
        self.assertIn(self.exemption.chorus_exemption_reason, self.printed_text(move))

    def test_down_payment_then_final_invoice_deducting_it(self):
        order = works_order(self.env, self.buyer, self.tax)

        def invoice(method, **values):
            return invoice_order(self.env, order, self.bank, method, **values)

        # down payment 30 %: 300.00 + 20 % 60.00 = 360.00
        down_payment = invoice("percentage", amount=30)
        self.assertTrue(down_payment._is_downpayment())
        pdf, xml, root = self.sent_file(down_payment)
        self.assertChorusReady(pdf, xml)
        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:TypeCode"), "386")
        self.assertEqual(text(root, SUMMATION + "/ram:GrandTotalAmount"), "360.00")

        # final: 1 000.00 - 300.00 deducted = 700.00 + 20 % 140.00 = 840.00
        final = invoice("delivered")
        self.assertTrue(any(line.price_subtotal < 0 for line in final.invoice_line_ids))
        self.assertEqual(final._chorus_amount_problems(), [])
        pdf, xml, root = self.sent_file(final)
        self.assertChorusReady(pdf, xml)
        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:TypeCode"), "380")
        self.assertEqual(len(xpath(root, LINE)), 1, "the deduction is not an invoice line")
        (allowance,) = xpath(root, SETTLEMENT + "/ram:SpecifiedTradeAllowanceCharge")
        self.assertEqual(text(allowance, "ram:ChargeIndicator/udt:Indicator"), "false")
        self.assertEqual(text(allowance, "ram:ActualAmount"), "300.00")
        self.assertEqual(text(allowance, "ram:CategoryTradeTax/ram:CategoryCode"), "S")
        self.assertEqual(
            Decimal(text(allowance, "ram:CategoryTradeTax/ram:RateApplicablePercent")), 20
        )
        deduction = final.invoice_line_ids.filtered(lambda line: line.price_subtotal < 0)
        self.assertEqual(text(allowance, "ram:Reason"), " ".join(deduction.name.split()))
        totals = {
            name: text(root, f"{SUMMATION}/ram:{name}")
            for name in ("LineTotalAmount", "AllowanceTotalAmount", "TaxBasisTotalAmount",
                         "TaxTotalAmount", "GrandTotalAmount", "DuePayableAmount")
        }  # fmt: skip
        self.assertEqual(
            totals,
            {"LineTotalAmount": "1000.00", "AllowanceTotalAmount": "300.00",
             "TaxBasisTotalAmount": "700.00", "TaxTotalAmount": "140.00",
             "GrandTotalAmount": "840.00", "DuePayableAmount": "840.00"},
        )  # fmt: skip
        (reference,) = xpath(root, SETTLEMENT + "/ram:InvoiceReferencedDocument")
        self.assertEqual(text(reference, "ram:IssuerAssignedID"), down_payment.name)

    def test_deduction_larger_than_its_rate_is_not_sendable(self):
        lines = [
            {"name": "Travaux", "quantity": 1, "price_unit": 1000.0,
             "tax_ids": [Command.set(self.tax.ids)]},
            {"name": "Reprise d'acompte à 10 %", "quantity": -1, "price_unit": 200.0,
             "tax_ids": [Command.set(self.on_payment["10"].ids)]},
        ]  # fmt: skip
        move = self._post("out_invoice", lines)
        problems = move._chorus_amount_problems()
        self.assertEqual(len(problems), 1)
        self.assertIn(self.on_payment["10"].name, problems[0])
        self.assertIn(problems[0], move._chorus_problems())

    def test_pdfa_check_bites_on_a_plain_pdf(self):
        """Without Odoo's PDF/A conversion the structure check names what is missing."""
        move = self._post("out_invoice")
        _pdf, xml, _root = self.sent_file(move)
        raw, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", res_ids=move.ids)
        )
        plain = facturx.generate_from_binary(raw, xml, flavor="factur-x", level="en16931")
        self.assertIn("no PDF/A OutputIntent (GTS_PDFA1)", pdfa_problems(plain))


@tagged("post_install", "-at_install")
class TestContractorTaxes(FacturxCase):
    """The reverse-charge and exemption taxes exist for French companies, old and new."""

    NAMES = ("duret_tva_autoliquidation_btp", "duret_tva_exoneration")

    def taxes(self):
        return self.env["account.tax"].concat(
            *(self.env.ref(f"account.{self.company.id}_{name}") for name in self.NAMES)
        )

    def test_chart_of_a_new_company_brings_them(self):
        reverse_charge, exemption = self.taxes()
        self.assertEqual(
            (reverse_charge.chorus_vat_category, reverse_charge.chorus_exemption_reason_code),
            ("AE", "VATEX-EU-AE"),
        )
        self.assertEqual(reverse_charge.chorus_exemption_reason, REVERSE_CHARGE)
        self.assertEqual((exemption.chorus_vat_category, exemption.amount), ("E", 0.0))
        base_tags = reverse_charge.invoice_repartition_line_ids.filtered(
            lambda line: line.repartition_type == "base"
        ).tag_ids
        self.assertEqual(base_tags.mapped("name"), ["+E2"])

    def test_install_adds_them_to_a_company_whose_chart_predates_the_module(self):
        names = [f"{self.company.id}_{name}" for name in self.NAMES]
        self.env["ir.model.data"].search(
            [("module", "=", "account"), ("name", "in", names)]
        ).unlink()
        self.env["account.tax"].search(
            [("company_id", "=", self.company.id), ("chorus_vat_category", "in", ("AE", "E"))]
        ).unlink()
        post_init_hook(self.env(su=True))  # as at installation
        post_init_hook(self.env(su=True))  # a second run never duplicates
        self.assertEqual(self.taxes().mapped("chorus_vat_category"), ["AE", "E"])
        self.assertEqual(
            self.env["account.tax"].search_count(
                [("company_id", "=", self.company.id), ("chorus_vat_category", "=", "AE")]
            ),
            1,
        )

    def test_category_and_rate_must_agree(self):
        reverse_charge, _exemption = self.taxes()
        with self.assertRaises(ValidationError):
            reverse_charge.amount = 20.0
        with self.assertRaises(ValidationError):
            reverse_charge.write(
                {"chorus_exemption_reason": False, "chorus_exemption_reason_code": False}
            )


@tagged("post_install", "-at_install")
class TestDeductionsAreSent(ChorusCase):
    """A down payment and the final invoice deducting it go to Chorus and are integrated."""

    def test_down_payment_and_final_invoice_are_deposited_and_integrated(self):
        buyer = self.make_buyer("Commune d'Ugine", UGINE)
        order = works_order(self.env, buyer, self.tax)
        down_payment = invoice_order(self.env, order, self.bank, "percentage", amount=30)
        final = invoice_order(self.env, order, self.bank, "delivered")
        for move in (down_payment, final):
            self.assertEqual(move._chorus_problems(), [])
            result = move._chorus_send()
            self.assertEqual(result["sent"], move)
        self.assertEqual(self.sandbox_calls(DEPOSIT), 2)
        self.sandbox_admin("POST", "chorus/process_flows")
        for move in (down_payment, final):
            (chorus,) = self.sandbox_invoices(move.name)
            self.assertEqual(chorus["statut"], "DEPOSEE")
