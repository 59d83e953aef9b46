from odoo.tests import tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestSiretValidation(ComplianceCase):
    """Luhn in production (La Poste exception included), relaxed where staging ids fail it."""

    def check(self, siret):
        return self.Service.check_siret_format(self.company, siret)

    def test_production_is_strict(self):
        self.company.compliance_environment = "production"
        for good in ("84231765300017", "732 829 320 00074", "35600000000048", "35600000049837"):
            self.assertIsNone(self.check(good), good)
        self.assertIn("check digit", self.check("84231765300018"))
        self.assertIn("SIREN part", self.check("84231765400017"))
        self.assertIn("14 digits", self.check("8423176530001"))
        self.assertIn("14 digits", self.check("8423176530001A"))
        # La Poste: digit sum multiple of 5 instead of Luhn
        self.assertIsNotNone(self.check("35600000049838"))

    def test_staging_ids_are_accepted_outside_production(self):
        for environment in ("staging", "sandbox"):
            self.company.compliance_environment = environment
            for staging_id in ("13002526500001", "55203253400001", "84445156452589"):
                self.assertIsNone(self.check(staging_id), staging_id)
            self.assertIsNotNone(self.check("1300252650000"))
        self.company.compliance_environment = "production"
        self.assertIsNotNone(self.check("13002526500001"))

    def test_partner_onchange_warns(self):
        self.company.compliance_environment = "production"
        partner = (
            self.env["res.partner"]
            .with_company(self.company)
            .new(
                {
                    "name": "X",
                    "is_company": True,
                    "siret": "84231765300018",
                    "company_id": self.company.id,
                }
            )
        )
        result = partner._onchange_compliance_siret()
        self.assertIn("check digit", result["warning"]["message"])
        partner.siret = "84231765300017"
        self.assertIsNone(partner._onchange_compliance_siret())
