"""A French public buyer without VAT number gets the domestic fiscal position (issue 16, item 5)."""

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests import tagged

from .common import ALBERTVILLE


@tagged("post_install", "-at_install")
class TestDomesticFiscalPosition(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls, chart_template_ref="fr"):
        super().setUpClass(chart_template_ref=chart_template_ref)
        cls.company = cls.company_data["company"]
        cls.company.write({"country_id": cls.env.ref("base.fr").id, "vat": "FR54842317653"})

        def position(xmlid):
            return cls.env.ref(f"account.{cls.company.id}_{xmlid}")

        cls.domestic = position("fiscal_position_template_domestic")
        cls.eu_private = position("fiscal_position_template_intraeub2c")
        cls.commune = cls.env["res.partner"].create(
            {
                "name": "Commune d'Albertville",
                "is_company": True,
                "siret": ALBERTVILLE,
                "zip": "73200",
                "city": "Albertville",
                "country_id": cls.env.ref("base.fr").id,
            }
        )

    def fiscal_position(self, partner):
        return (
            self.env["account.fiscal.position"]
            .with_company(self.company)
            ._get_fiscal_position(partner)
        )

    def test_french_commune_without_vat_number_is_domestic(self):
        self.assertFalse(self.commune.vat)
        self.assertEqual(self.fiscal_position(self.commune), self.domestic)
        invoice = self.init_invoice("out_invoice", partner=self.commune, amounts=[1000.0])
        self.assertEqual(invoice.fiscal_position_id, self.domestic)

    def test_private_customer_in_another_eu_country_keeps_eu_private(self):
        belgian = self.env["res.partner"].create(
            {"name": "Jan Peeters", "country_id": self.env.ref("base.be").id}
        )
        self.assertEqual(self.fiscal_position(belgian), self.eu_private)

    def test_position_set_on_the_partner_still_wins(self):
        self.commune.property_account_position_id = self.eu_private
        self.assertEqual(self.fiscal_position(self.commune), self.eu_private)

    def test_position_made_for_the_country_itself_is_kept(self):
        savoie = self.env["account.fiscal.position"].create(
            {
                "name": "Savoie (test)",
                "company_id": self.company.id,
                "auto_apply": True,
                "country_id": self.env.ref("base.fr").id,
                "zip_from": "73000",
                "zip_to": "73999",
            }
        )
        self.assertEqual(self.fiscal_position(self.commune), savoie)
