import copy
import datetime

import requests

from odoo.addons.duret_procurement.tests.common import make_user
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..lib.recherche_entreprises import RechercheEntreprisesClient
from ..models import res_partner
from .common import (
    ComplianceCase,
    FakeClock,
    FakeResponse,
    FakeSession,
    shared_json,
    staging_case,
)

MAIRIE = "api_entreprise/recherche_entreprises/acceslibre_search_mairie-coise.json"
EMPTY = "api_entreprise/recherche_entreprises/annuaire-site-e2e-mock/search-12345678900003.json"


def found(url, params):
    """A Recherche d'entreprises answer holding the establishment asked for."""
    answer = shared_json(MAIRIE)
    result = copy.deepcopy(answer["results"][0])
    result["siege"]["siret"] = params["q"]
    return FakeResponse(200, {**answer, "results": [result]})


@tagged("post_install", "-at_install")
class TestPartnerVerification(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("duret_api_entreprise.ir_cron_compliance_siret_check")

    def partner(self, siret, **values):
        return self.env["res.partner"].create(self.values(siret, **values))

    def values(self, siret, **values):
        return {
            "name": values.pop("name", "Mairie"),
            "is_company": True,
            "siret": siret,
            "company_id": self.company.id,
            **values,
        }

    def triggers(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)])

    def run_cron(self, **kwargs):
        self.env["res.partner"]._cron_compliance_siret_check(**kwargs)

    def entered(self, siret, **values):
        """A partner created with a SIRET: no call yet, checked by the next cron run."""
        calls = len(self.session.calls)
        partner = self.partner(siret, **values)
        self.assertEqual(len(self.session.calls), calls, "no remote call inside the create")
        self.assertEqual(partner.compliance_siret_status, "pending")
        self.run_cron()
        return partner

    def test_check_on_entry_proposes_without_overwriting(self):
        self.session.add(
            r"recherche-entreprises\.api\.gouv\.fr/search", FakeResponse(200, shared_json(MAIRIE))
        )
        triggers = self.triggers()
        partner = self.entered("21690062100014", name="Mairie de Coise", zip="69000")
        self.assertEqual(len(self.triggers() - triggers), 1, "the check is woken up at once")
        self.assertEqual(self.session.calls[0]["params"]["q"], "21690062100014")
        self.assertIn("User-Agent", self.session.calls[0]["headers"])
        self.assertEqual(partner.compliance_siret_status, "ok")
        self.assertEqual(partner.compliance_legal_name, "COMMUNE DE COISE")
        self.assertEqual(partner.compliance_naf_code, "84.11Z")
        self.assertTrue(partner.compliance_legal_category.startswith("7210"))
        self.assertTrue(partner.compliance_is_public_body)
        self.assertFalse(partner.compliance_closed)
        self.assertTrue(partner.compliance_checked_on)
        self.assertEqual(partner.name, "Mairie de Coise", "never overwritten silently")
        self.assertTrue(partner.compliance_differs)
        action = partner.action_compliance_check_siret()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        proposed = {
            line.field_name: (line.current_value, line.official_value) for line in wizard.line_ids
        }
        self.assertEqual(proposed["name"], ("Mairie de Coise", "COMMUNE DE COISE"))
        self.assertEqual(proposed["zip"], ("69000", "69590"))
        self.assertEqual(proposed["street2"], ("", "HOTEL DE VILLE"))
        wizard.line_ids.filtered(lambda line: line.field_name == "name").apply = False
        # a line forged over RPC for another field is never applied
        wizard.line_ids = [(0, 0, {"field_name": "email", "official_value": "x@example.com"})]
        calls = len(self.session.calls)
        wizard.action_apply()
        self.assertEqual(
            (partner.name, partner.zip, partner.city), ("Mairie de Coise", "69590", "COISE")
        )
        self.assertFalse(partner.email)
        self.assertEqual(len(self.session.calls), calls, "applying does not check again")

    def test_closed_establishment_from_insee_with_token(self):
        self.set_token()
        _status, payload = staging_case("api_entreprise_v4_insee_etablissements", "35005144700018")
        self.session.add(
            r"/v4/insee/sirene/etablissements/35005144700018", FakeResponse(200, payload)
        )
        partner = self.entered(
            "35005144700018", name="SCI SERGENT", street="", zip="75017", city="PARIS 17"
        )
        self.assertEqual(partner.compliance_siret_status, "closed")
        self.assertTrue(partner.compliance_closed)
        self.assertEqual(partner.compliance_closed_on, datetime.date(1995, 11, 15))
        self.assertEqual(partner.compliance_naf_code, "70.2C")
        self.assertFalse(partner.compliance_is_public_body)
        self.assertIn("closed", partner.compliance_check_message)
        self.assertIn("/v4/insee/sirene/etablissements/", self.session.calls[0]["url"])
        self.assertEqual(self.session.calls[0]["params"]["recipient"], "10000001700010")

    def test_not_found_and_failures(self):
        self.session.add(r"/search", FakeResponse(200, shared_json(EMPTY)["result"]))
        partner = self.entered("12345678900003")
        self.assertEqual(partner.compliance_siret_status, "not_found")
        with self.assertRaises(UserError):
            partner.action_compliance_check_siret()
        self.session.routes.clear()
        self.session.add(r"/search", requests.ConnectionError("down"))
        other = self.entered("84231765300017", name="Saved anyway")
        self.assertTrue(other.exists(), "a failed automatic check never blocks the save")
        self.assertEqual(other.compliance_siret_status, "error")
        self.assertEqual(len(self.session.calls), 3, "no retry on the automatic check")
        with self.assertRaises(UserError):
            other.action_compliance_check_siret()

    def test_invalid_siret_in_production_makes_no_call(self):
        self.company.compliance_environment = "production"
        partner = self.entered("84231765300018")
        self.assertEqual(partner.compliance_siret_status, "invalid")
        self.assertFalse(self.session.calls)
        with self.assertRaises(UserError):
            partner.action_compliance_check_siret()

    def test_recherche_429_is_honoured_once(self):
        self.session.add(
            r"/search",
            FakeResponse(429, {"erreur": "trop"}, headers={"Retry-After": "2"}),
            FakeResponse(200, shared_json(MAIRIE)),
        )
        self.company.compliance_auto_verify = False
        triggers = self.triggers()
        partner = self.partner("21690062100014")
        self.assertFalse(partner.compliance_siret_status, "automatic check switched off")
        self.assertEqual(self.triggers(), triggers)
        self.run_cron()
        self.assertFalse(self.session.calls, "automatic check switched off")
        partner.action_compliance_check_siret()
        self.assertEqual(len(self.session.calls), 2)
        self.assertIn(2, self.sleeps)
        self.assertEqual(partner.compliance_legal_name, "COMMUNE DE COISE")

    def test_new_siret_on_write_is_checked_in_the_background(self):
        self.session.add(r"/search", found)
        partner = self.entered("21690062100014")
        self.assertEqual(partner.compliance_siret_status, "ok")
        partner.write({"siret": "21690062100022"})
        self.assertEqual(len(self.session.calls), 1, "no call inside the write")
        self.assertEqual(partner.compliance_siret_status, "pending")
        partner.write({"name": "Mairie (renamed)"})
        self.assertEqual(partner.compliance_siret_status, "pending")
        self.run_cron()
        self.assertEqual(self.session.calls[1]["params"]["q"], "21690062100022")
        self.assertEqual(partner.compliance_siret_status, "ok")

    def test_batch_create_makes_no_call_and_one_run_checks_all(self):
        self.session.add(r"/search", found)
        triggers = self.triggers()
        sirets = [f"2169006210{n:04d}" for n in range(20)]
        partners = self.env["res.partner"].create(
            [self.values(siret, name=f"Acheteur {n}") for n, siret in enumerate(sirets)]
        )
        self.assertFalse(self.session.calls, "a batch create makes no remote call")
        self.assertEqual(set(partners.mapped("compliance_siret_status")), {"pending"})
        self.assertEqual(len(self.triggers() - triggers), 1, "one wake-up for the whole batch")
        self.run_cron()
        self.assertEqual(sorted(c["params"]["q"] for c in self.session.calls), sirets)
        self.assertEqual(set(partners.mapped("compliance_siret_status")), {"ok"})
        self.assertEqual(set(partners.mapped("compliance_legal_name")), {"COMMUNE DE COISE"})
        self.assertTrue(all(partners.mapped("compliance_checked_on")))
        self.run_cron()
        self.assertEqual(len(self.session.calls), 20, "a second run has nothing to do")

    def test_small_batches_wake_the_next_run(self):
        self.session.add(r"/search", found)
        partners = self.env["res.partner"].create(
            [self.values(f"2169006210{n:04d}") for n in range(7)]
        )
        triggers = self.triggers()
        self.run_cron(batch_size=5)
        self.assertEqual(len(self.session.calls), 5)
        self.assertEqual(partners.mapped("compliance_siret_status").count("pending"), 2)
        self.assertEqual(len(self.triggers() - triggers), 1, "the rest is checked next run")
        self.run_cron(batch_size=5)
        self.assertEqual(set(partners.mapped("compliance_siret_status")), {"ok"})
        self.assertEqual(len(self.session.calls), 7)

    def test_one_failure_does_not_stop_the_others(self):
        def answer(url, params):
            if params["q"].endswith("2"):
                raise ValueError("unexpected answer")  # a bug, not a remote error
            if params["q"].endswith("3"):
                raise requests.ConnectionError("down")
            return found(url, params)

        self.session.add(r"/search", answer)
        first, broken, down, last = self.env["res.partner"].create(
            [self.values(f"2169006210000{n}") for n in (1, 2, 3, 4)]
        )
        with self.assertLogs("odoo.addons.duret_api_entreprise.models.res_partner", "ERROR"):
            self.run_cron()
        self.assertEqual(len(self.session.calls), 4, "every partner was tried once")
        self.assertEqual(
            (first.compliance_siret_status, last.compliance_siret_status), ("ok", "ok")
        )
        self.assertEqual(down.compliance_siret_status, "error")
        self.assertIn("Recherche d'entreprises could not be reached", down.compliance_check_message)
        self.assertEqual(broken.compliance_siret_status, "error")
        self.assertIn("Check SIRET", broken.compliance_check_message)
        self.assertFalse(broken.compliance_legal_name)
        self.run_cron()
        self.assertEqual(len(self.session.calls), 4, "failures are not retried in a loop")

    def test_rate_limit_leaves_partners_pending_and_reschedules(self):
        self.session.add(
            r"/search", FakeResponse(429, {"erreur": "trop"}, headers={"Retry-After": "120"})
        )
        partners = self.env["res.partner"].create(
            [self.values("21690062100014"), self.values("21690062100022")]
        )
        triggers = self.triggers()
        self.run_cron()
        self.assertEqual(len(self.session.calls), 1, "the batch stops at the rate limit")
        self.assertEqual(set(partners.mapped("compliance_siret_status")), {"pending"})
        later = self.triggers() - triggers
        self.assertEqual(len(later), 1)
        self.assertGreater(later.call_at, datetime.datetime.now() + datetime.timedelta(seconds=90))

    def test_incomplete_settings_are_said_on_the_partner(self):
        self.set_token()
        self.company.compliance_recipient = False
        partner = self.entered("21690062100014")
        self.assertFalse(self.session.calls)
        self.assertEqual(partner.compliance_siret_status, "error")
        self.assertIn("recipient SIRET", partner.compliance_check_message)
        with self.assertRaises(UserError):
            partner.action_compliance_check_siret()

    def test_any_internal_user_queues_the_check(self):
        user = make_user(
            self.env,
            "duret_clerk",
            "base.group_user,base.group_partner_manager",
            company_id=self.company.id,
        )
        triggers = self.triggers()
        partner = self.env["res.partner"].with_user(user).create(self.values("21690062100014"))
        self.assertEqual(partner.compliance_siret_status, "pending")
        self.assertEqual(len(self.triggers() - triggers), 1)
        self.assertFalse(self.session.calls)

    def test_a_silent_register_holds_the_background_check_one_budget(self):
        """Issue 12, defect 6: the run's budget bounds it; the rest stays pending for later."""
        clock = FakeClock()
        session = FakeSession(clock=clock).add(r".", FakeSession.hang)
        self.patch(type(self.Service), "_http_session", lambda service: session)
        self.patch(type(self.Service), "_sleep", lambda service, seconds: clock.sleep(seconds))
        self.patch(type(self.Service), "_clock", lambda service: clock())
        self.patch(RechercheEntreprisesClient, "_last_call", [0.0])
        self.patch(res_partner, "CHECK_BUDGET", 8)
        sirets = ("21690062100014", "21730010200001", "21740056300011")
        partners = self.env["res.partner"].create([self.values(siret) for siret in sirets])
        triggers = self.triggers()
        started = clock()
        self.run_cron()
        # a 5 s read timeout (no retry in the background), then the 3 s left, then nothing
        self.assertEqual(clock() - started, 8)
        self.assertEqual([c["timeout"] for c in session.calls], [(5.0, 5.0), (3.0, 3.0)])
        self.assertEqual(partners.mapped("compliance_siret_status"), ["error", "error", "pending"])
        later = self.triggers() - triggers
        self.assertEqual(len(later), 1, "the rest is checked at the next run")
