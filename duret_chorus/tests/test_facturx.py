"""Factur-X EN16931 built for a real posted invoice, checked by XSD and the official schematron."""

import io
import re

import facturx
from lxml import etree
from pypdf import PdfReader

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.duret_procurement.lib.siret import is_valid_siret
from odoo.tests import tagged

from ..lib.facturx import FacturxError, build_facturx_pdf, check_xsd, to_en16931
from . import schematron
from .common import ALBERTVILLE, DURET_COMPANY, IBAN, OWN_SIRET

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
AGREEMENT = "//ram:ApplicableHeaderTradeAgreement"
SELLER_SIRET = OWN_SIRET
BUYER_SIRET = ALBERTVILLE
SERVICE_CODE = "SERV-TECH-01"
LEGAL_COMMITMENT = "EJ-2026-000123"
CONTRACT = "2026-TRX-07"


def xpath(root, path):
    return root.xpath(path, namespaces=NS)


def text(root, path):
    found = xpath(root, path)
    return found[0].text if found else None


class FacturxCase(AccountTestInvoicingCommon):
    """Duret's French company, its bank account and a public buyer (Albertville)."""

    @classmethod
    def setUpClass(cls, chart_template_ref="fr"):
        super().setUpClass(chart_template_ref=chart_template_ref)
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company = cls.company_data["company"]
        cls.company.write(
            {
                **DURET_COMPANY,
                "name": "Duret Électricité",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        cls.bank = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": cls.company.partner_id.id}
        )
        cls.buyer = cls.env["res.partner"].create(
            {
                "name": "Commune d'Albertville",
                "is_company": True,
                "siret": BUYER_SIRET,
                "street": "12 cours de l'Hôtel de Ville",
                "zip": "73200",
                "city": "Albertville",
                "country_id": cls.env.ref("base.fr").id,
                "email": "mairie@albertville.fr",
                "lang": "fr_FR",
            }
        )
        cls.tax = cls.company_data["default_tax_sale"]

    @classmethod
    def _post(cls, move_type, lines=None, **values):
        """Post an invoice of ``lines`` (default: LED lighting and discounted labour at 20 %)."""
        lines = lines or [
            {
                "name": "Remplacement de luminaires LED, éclairage public",
                "quantity": 12,
                "price_unit": 350.0,
                "tax_ids": [Command.set(cls.tax.ids)],
            },
            {
                "name": "Main d'œuvre",
                "quantity": 8,
                "price_unit": 55.5,
                "discount": 10,
                "tax_ids": [Command.set(cls.tax.ids)],
            },
        ]
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": cls.buyer.id,
                "invoice_date": "2026-03-10",
                "partner_bank_id": cls.bank.id,
                "invoice_line_ids": [Command.create(line) for line in lines],
                **values,
            }
        )
        move.action_post()
        return move


@tagged("post_install", "-at_install")
class TestFacturx(FacturxCase):
    @classmethod
    def setUpClass(cls, chart_template_ref="fr"):
        super().setUpClass(chart_template_ref=chart_template_ref)
        cls.invoice = cls._post(
            "out_invoice",
            buyer_reference=SERVICE_CODE,
            purchase_order_reference=LEGAL_COMMITMENT,
            contract_reference=CONTRACT,
            narration="<p>Travaux réalisés selon devis.</p>",
        )
        cls.raw_pdf, _kind = (
            cls.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("account.account_invoices", res_ids=cls.invoice.ids)
        )
        cls.invoice_pdf = cls.invoice._chorus_pdfa(cls.raw_pdf)

    def _odoo_cii(self, move):
        xml, errors = self.env["account.edi.xml.cii"]._export_invoice(move)
        self.assertFalse(errors, "Odoo's own CII export refused the invoice")
        return xml

    def _chorus_xml(self, move):
        return to_en16931(
            self._odoo_cii(move),
            service_code=move.buyer_reference,
            legal_commitment=move.purchase_order_reference,
            contract_number=move.contract_reference,
            buyer_siret=move.commercial_partner_id.siret,
            seller_siret=move.company_id.siret,
            facts=move._chorus_facturx_facts(),
        )

    def assertNoFatalSchematron(self, xml):
        fired, fatal = schematron.check(xml)
        self.assertGreater(fired, 50, "the schematron did not run")
        self.assertEqual(fatal, [])

    def test_setup_identities_are_valid(self):
        self.assertTrue(is_valid_siret(BUYER_SIRET))
        self.assertTrue(is_valid_siret(SELLER_SIRET))
        self.assertEqual(self.invoice.state, "posted")
        self.assertTrue(self.raw_pdf.startswith(b"%PDF"), "wkhtmltopdf did not render a PDF")

    def test_invoice_facturx_pdf_is_chorus_ready_en16931(self):
        pdf = build_facturx_pdf(self.invoice_pdf, self._chorus_xml(self.invoice))
        filename, xml = facturx.get_facturx_xml_from_pdf(pdf, check_xsd=False)
        self.assertEqual(filename, "factur-x.xml")
        root = etree.fromstring(xml)
        self.assertEqual(facturx.get_flavor(root), "factur-x")
        self.assertEqual(facturx.get_level(root), "en16931")
        self.assertTrue(facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"))
        check_xsd(xml)

        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:ID"), self.invoice.name)
        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:TypeCode"), "380")
        for party, siret in (("BuyerTradeParty", BUYER_SIRET), ("SellerTradeParty", SELLER_SIRET)):
            (legal_id,) = xpath(
                root, f"{AGREEMENT}/ram:{party}/ram:SpecifiedLegalOrganization/ram:ID"
            )
            self.assertEqual((legal_id.text, legal_id.get("schemeID")), (siret, "0002"))
        self.assertEqual(text(root, f"{AGREEMENT}/ram:BuyerReference"), SERVICE_CODE)
        self.assertEqual(
            text(root, f"{AGREEMENT}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
            LEGAL_COMMITMENT,
        )
        self.assertEqual(
            text(root, f"{AGREEMENT}/ram:ContractReferencedDocument/ram:IssuerAssignedID"), CONTRACT
        )
        means = "//ram:SpecifiedTradeSettlementPaymentMeans"
        self.assertEqual(text(root, f"{means}/ram:TypeCode"), "30")
        self.assertEqual(
            text(root, f"{means}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID"), IBAN
        )
        self.assertEqual(
            {i.text for i in xpath(root, "//udt:Indicator")}, {"false"}, "boolean left translated"
        )
        self.assertNoFatalSchematron(xml)

    def test_odoo_raw_export_is_not_en16931(self):
        """What the rewrite fixes: the checks really bite on Odoo's own export."""
        raw = self._odoo_cii(self.invoice)
        self.assertEqual(facturx.get_level(etree.fromstring(raw)), "extended")
        texts = [failure["text"] for failure in schematron.failed_asserts(raw)]
        self.assertTrue(any("DefinedTradeContact" in t for t in texts), texts)

    def test_schematron_warnings_are_counted(self):
        """The acceptance wants 0 warnings too: a warning-level rule is seen as a warning."""
        root = etree.fromstring(self._chorus_xml(self.invoice))
        for node in xpath(root, "//ram:ApplicableHeaderTradeDelivery/*"):
            node.getparent().remove(node)  # an empty delivery block: PEPPOL-EN16931-R008
        fired, errors, warnings = schematron.findings(etree.tostring(root))
        self.assertGreater(fired, 50)
        self.assertEqual(errors, [])
        self.assertEqual([warning["flag"] for warning in warnings], ["warning"])
        self.assertIn("PEPPOL-EN16931-R008", warnings[0]["text"])

    def test_no_legal_commitment_never_falls_back_to_invoice_name(self):
        move = self._post("out_invoice", ref="Chantier mairie")
        raw = self._odoo_cii(move)
        self.assertIn(move.ref.encode(), raw)  # Odoo's fallback for BT-13
        xml = self._chorus_xml(move)
        root = etree.fromstring(xml)
        self.assertFalse(xpath(root, f"{AGREEMENT}/ram:BuyerOrderReferencedDocument"))
        self.assertFalse(xpath(root, f"{AGREEMENT}/ram:BuyerReference"))
        self.assertFalse(xpath(root, f"{AGREEMENT}/ram:ContractReferencedDocument"))
        check_xsd(xml)

    def test_translated_boolean_restored(self):
        """Odoo renders ``udt:Indicator`` through translations: ``faux`` for a French buyer."""
        raw = self._odoo_cii(self.invoice)
        french = re.sub(rb"<udt:Indicator>\w+<", b"<udt:Indicator>faux<", raw)
        self.assertIn(b"<udt:Indicator>faux<", french, "the invoice has no discount line")
        root = etree.fromstring(to_en16931(french))
        self.assertEqual({i.text for i in xpath(root, "//udt:Indicator")}, {"false"})
        xml = etree.tostring(root)
        check_xsd(xml)

    def test_missing_payment_means_refused(self):
        raw = etree.fromstring(self._odoo_cii(self.invoice))
        for node in xpath(raw, "//ram:SpecifiedTradeSettlementPaymentMeans"):
            node.getparent().remove(node)
        with self.assertRaises(FacturxError) as caught:
            to_en16931(etree.tostring(raw))
        self.assertIn("bank account", caught.exception.problems[0])

    def test_credit_note_is_381_with_positive_amounts(self):
        refund = self._post(
            "out_refund", buyer_reference=SERVICE_CODE, purchase_order_reference=LEGAL_COMMITMENT
        )
        xml = self._chorus_xml(refund)
        root = etree.fromstring(xml)
        self.assertEqual(text(root, "//rsm:ExchangedDocument/ram:TypeCode"), "381")
        totals = xpath(root, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/*")
        self.assertTrue(totals)
        grand = text(root, "//ram:GrandTotalAmount")
        self.assertAlmostEqual(float(grand), refund.amount_total)
        self.assertTrue(all(float(node.text) >= 0 for node in totals))
        self.assertGreater(float(grand), 0)
        check_xsd(xml)
        self.assertNoFatalSchematron(xml)

    def test_html_narration_becomes_plain_text_note(self):
        long_html = "<p>Bon pour accord<br/>signé <b>le 3 mars</b></p><ul><li>lot 1</li></ul>"
        move = self._post("out_invoice", narration=long_html + "<p>" + "x" * 2000 + "</p>")
        root = etree.fromstring(self._chorus_xml(move))
        (content,) = xpath(root, "//rsm:ExchangedDocument/ram:IncludedNote/ram:Content")
        self.assertEqual(len(content), 0, "markup left as child elements")
        self.assertNotIn("<", content.text)
        self.assertLessEqual(len(content.text), 1024)
        self.assertIn("Bon pour accord\nsigné", content.text)
        check_xsd(etree.tostring(root))

    def test_invalid_xml_raises_facturx_error_with_problems(self):
        with self.assertRaises(FacturxError) as caught:
            to_en16931(b"<not-closed>")
        self.assertTrue(caught.exception.problems)
        broken = etree.fromstring(self._chorus_xml(self.invoice))
        for node in xpath(broken, "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"):
            node.getparent().remove(node)
        with self.assertRaises(FacturxError) as caught:
            check_xsd(etree.tostring(broken))
        self.assertTrue(any("MonetarySummation" in p for p in caught.exception.problems))
        with self.assertRaises(FacturxError):
            build_facturx_pdf(self.invoice_pdf, etree.tostring(broken))

    def test_external_entities_are_not_resolved(self):
        evil = (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<rsm:CrossIndustryInvoice xmlns:rsm="' + NS["rsm"].encode() + b'">&e;'
            b"</rsm:CrossIndustryInvoice>"
        )
        with self.assertRaises(FacturxError):
            to_en16931(evil)
        evil_invoice = (
            self._odoo_cii(self.invoice)
            .replace(
                b"<rsm:CrossIndustryInvoice",
                b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><rsm:CrossIndustryInvoice',
            )
            .replace(b"<ram:Name>", b"<ram:Name>&e;", 1)
        )
        self.assertNotIn(b"root:", to_en16931(evil_invoice))

    def test_extra_attachments_embedded_within_chorus_limits(self):
        xml = self._chorus_xml(self.invoice)
        pv = b"%PDF-1.4 proces-verbal de reception"
        pdf = build_facturx_pdf(self.invoice_pdf, xml, attachments={"pv_reception.pdf": pv})
        embedded = PdfReader(io.BytesIO(pdf)).attachments
        self.assertEqual(set(embedded), {"factur-x.xml", "pv_reception.pdf"})
        self.assertEqual(embedded["pv_reception.pdf"][0], pv)
        with self.assertRaises(FacturxError) as caught:
            build_facturx_pdf(self.invoice_pdf, xml, attachments={"script.exe": b"MZ"})
        self.assertIn("script.exe", caught.exception.problems[0])
        too_big = b"0" * (10 * 1024 * 1024 + 1)
        with self.assertRaises(FacturxError):
            build_facturx_pdf(self.invoice_pdf, xml, attachments={"devis_signe.pdf": too_big})
