import datetime

import requests

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplianceCase, FakeResponse, shared_json, staging_case

MAIRIE = "api_entreprise/recherche_entreprises/acceslibre_search_mairie-coise.json"
EMPTY = "api_entreprise/recherche_entreprises/annuaire-site-e2e-mock/search-12345678900003.json"


@tagged("post_install", "-at_install")
class TestPartnerVerification(ComplianceCase):
    def partner(self, siret, **values):
        return self.env["res.partner"].create(
            {
                "name": values.pop("name", "Mairie"),
                "is_company": True,
                "siret": siret,
                "company_id": self.company.id,
                **values,
            }
        )

    def test_check_on_entry_proposes_without_overwriting(self):
        self.session.add(
            r"recherche-entreprises\.api\.gouv\.fr/search", FakeResponse(200, shared_json(MAIRIE))
        )
        partner = self.partner("21690062100014", name="Mairie de Coise", zip="69000")
        self.assertEqual(self.session.calls[0]["params"]["q"], "21690062100014")
        self.assertIn("User-Agent", self.session.calls[0]["headers"])
        self.assertEqual(partner.duret_ae_siret_status, "ok")
        self.assertEqual(partner.duret_ae_legal_name, "COMMUNE DE COISE")
        self.assertEqual(partner.duret_ae_naf_code, "84.11Z")
        self.assertTrue(partner.duret_ae_legal_category.startswith("7210"))
        self.assertTrue(partner.duret_ae_is_public_body)
        self.assertFalse(partner.duret_ae_closed)
        self.assertTrue(partner.duret_ae_checked_on)
        self.assertEqual(partner.name, "Mairie de Coise", "never overwritten silently")
        self.assertTrue(partner.duret_ae_differs)
        action = partner.action_duret_check_siret()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        proposed = {
            line.field_name: (line.current_value, line.official_value) for line in wizard.line_ids
        }
        self.assertEqual(proposed["name"], ("Mairie de Coise", "COMMUNE DE COISE"))
        self.assertEqual(proposed["zip"], ("69000", "69590"))
        self.assertEqual(proposed["street2"], ("", "HOTEL DE VILLE"))
        wizard.line_ids.filtered(lambda line: line.field_name == "name").apply = False
        calls = len(self.session.calls)
        wizard.action_apply()
        self.assertEqual(
            (partner.name, partner.zip, partner.city), ("Mairie de Coise", "69590", "COISE")
        )
        self.assertEqual(len(self.session.calls), calls, "applying does not check again")

    def test_closed_establishment_from_insee_with_token(self):
        self.set_token()
        _status, payload = staging_case("api_entreprise_v4_insee_etablissements", "35005144700018")
        self.session.add(
            r"/v4/insee/sirene/etablissements/35005144700018", FakeResponse(200, payload)
        )
        partner = self.partner(
            "35005144700018", name="SCI SERGENT", street="", zip="75017", city="PARIS 17"
        )
        self.assertEqual(partner.duret_ae_siret_status, "closed")
        self.assertTrue(partner.duret_ae_closed)
        self.assertEqual(partner.duret_ae_closed_on, datetime.date(1995, 11, 15))
        self.assertEqual(partner.duret_ae_naf_code, "70.2C")
        self.assertFalse(partner.duret_ae_is_public_body)
        self.assertIn("closed", partner.duret_ae_check_message)
        self.assertIn("/v4/insee/sirene/etablissements/", self.session.calls[0]["url"])
        self.assertEqual(self.session.calls[0]["params"]["recipient"], "10000001700010")

    def test_not_found_and_failures(self):
        self.session.add(r"/search", FakeResponse(200, shared_json(EMPTY)["result"]))
        partner = self.partner("12345678900003")
        self.assertEqual(partner.duret_ae_siret_status, "not_found")
        with self.assertRaises(UserError):
            partner.action_duret_check_siret()
        self.session.routes.clear()
        self.session.add(r"/search", requests.ConnectionError("down"))
        other = self.partner("84231765300017", name="Saved anyway")
        self.assertTrue(other.exists(), "a failed automatic check never blocks the save")
        self.assertEqual(other.duret_ae_siret_status, "error")
        self.assertEqual(len(self.session.calls), 3, "no retry on the automatic check")
        with self.assertRaises(UserError):
            other.action_duret_check_siret()

    def test_invalid_siret_in_production_makes_no_call(self):
        self.company.duret_ae_environment = "production"
        partner = self.partner("84231765300018")
        self.assertEqual(partner.duret_ae_siret_status, "invalid")
        self.assertFalse(self.session.calls)
        with self.assertRaises(UserError):
            partner.action_duret_check_siret()

    def test_recherche_429_is_honoured_once(self):
        self.session.add(
            r"/search",
            FakeResponse(429, {"erreur": "trop"}, headers={"Retry-After": "2"}),
            FakeResponse(200, shared_json(MAIRIE)),
        )
        self.company.duret_ae_auto_verify = False
        partner = self.partner("21690062100014")
        self.assertFalse(self.session.calls, "automatic check switched off")
        partner.action_duret_check_siret()
        self.assertEqual(len(self.session.calls), 2)
        self.assertIn(2, self.sleeps)
        self.assertEqual(partner.duret_ae_legal_name, "COMMUNE DE COISE")
