from odoo.addons.duret_procurement.tests.screens import ScreenshotTourMixin
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFirstSetup(ScreenshotTourMixin, HttpCase):
    """The administrator's first-setup checklist: its items, and the path clicked in French."""

    def setUp(self):
        super().setUp()
        self.company = self.env.ref("base.main_company")
        self.company.write(
            {"siret": False, "country_id": self.env.ref("base.fr").id, "compliance_token": False}
        )
        self.env["res.lang"]._activate_lang("en_US")
        self.Checklist = self.env["procurement.setup.checklist"].with_context(lang="en_US")

    def items(self):
        return {
            item["name"]: item for item in self.Checklist._procurement_setup_items(self.company)
        }

    def test_every_installed_integration_adds_its_items(self):
        names = set(self.items())
        for expected in (
            "Company SIRET",
            "Company IBAN",
            "API Entreprise token",
            "API Entreprise call parameters",
            "PISTE application",
            "Chorus Pro technical account",
            "BOAMP watch profile",
            "Digest recipients",
        ):
            self.assertIn(expected, names)

    def test_items_follow_the_settings(self):
        self.assertFalse(self.items()["API Entreprise token"]["done"])
        self.assertEqual(self.items()["Company SIRET"]["missing"], "The SIRET is missing.")
        self.company.write({"siret": "84231765300018"})
        self.assertIn("check digit", self.items()["Company SIRET"]["missing"])
        self.company.write({"siret": "84231765300017", "compliance_token": "t"})
        self.assertTrue(self.items()["Company SIRET"]["done"])
        self.assertTrue(self.items()["API Entreprise token"]["done"])

    def test_first_setup_tour(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["duret_procurement", "duret_api_entreprise", "duret_boamp", "duret_chorus"],
            ["fr_FR"],
            overwrite=True,
        )
        self.env.ref("base.user_admin").lang = "fr_FR"
        # each screen saved for a human to look at ($DURET_SCREENS_DIR)
        saved = self.start_tour_with_screens("/web", "duret_first_setup_tour", login="admin")
        self.assertEqual(len(saved), 3, [path.name for path in saved])
        self.assertEqual(self.company.siret, "84231765300017")
