"""End to end against the sandbox: first load, nightly increment, the lead tab, the radar."""

from datetime import timedelta

from odoo.addons.duret_boamp.tests.common import BoampCaseMixin, notice_spec, record
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ALPES, BUYER, DURET, DecpWorldMixin, marche

DATASET = "/api/explore/v2.1/catalog/datasets/decp-2022-marches-valides"
EXPORT, RECORDS = DATASET + "/exports/json", DATASET + "/records"


@tagged("post_install", "-at_install")
class TestDecpEndToEnd(DecpWorldMixin, BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.decp_setup_world(cls.env)
        cls.Contract = cls.env["decp.contract"]

    def setUp(self):
        super().setUp()
        self.decp_load_world()  # a test may have appended rows

    def sync(self):
        return self.env["decp.sync"]._cron_decp_sync()

    def test_first_load_then_increment_without_duplicates(self):
        self.sandbox_reset()  # an empty call log
        self.decp_load_world()
        run = self.sync()
        self.assertEqual(run.state, "done", run.message)
        self.assertEqual(run.since, self.today.replace(year=self.today.year - 2))
        # c7 (Rhône) is never read; c4 has one row per modification: 8 rows in all
        self.assertEqual((run.rows_read, run.contracts_created, run.contracts_updated), (7, 7, 0))
        # the first load is one streamed export; then one page of BOAMP award notices
        self.assertEqual(run.reader, "export")
        self.assertEqual(self.sandbox_calls(EXPORT), 1)
        self.assertEqual(self.sandbox_calls(RECORDS), 0)
        self.assertEqual(run.http_calls, 2)
        self.assertEqual(self.Contract.search_count([]), 7)
        c4 = self.Contract.search([("key", "=", "21740010900012|T004")])
        self.assertEqual((c4.amount_initial, c4.amount_current), (400000.0, 440000.0))
        self.assertEqual(c4.modification_count, 1)
        self.assertEqual(c4.cpv_code, "45316110")
        self.assertEqual(sorted(c4.holder_ids.mapped("siren")), ["412987654", "842317653"])
        c2 = self.Contract.search([("key", "=", f"{BUYER}|T002")])
        self.assertEqual(c2.buyer_partner_id, self.buyer)
        self.assertEqual(c2.holder_ids.partner_id, self.alpes)
        self.assertEqual(c2.holder_label, "Alpes Élec")
        self.assertEqual(c2.departement, "73")

        # the night after: c3 modified, c9 new, one row without a buyer
        c3 = marche(3, "21740010900012", "45317000", "74000", self.today - timedelta(200),
                    300000.0, 2, [ALPES], months=6, published=self.today,
                    modifications=[{"modification": {"id": 1, "montant": 330000.0}}])  # fmt: skip
        c9 = marche(9, BUYER, "45311000", "73000", self.today - timedelta(3), 70000.0, 2, [DURET],
                    published=self.today)  # fmt: skip
        broken = marche(10, "", "45311000", "73000", self.today, 1.0, 1, [], published=self.today)
        self.sandbox_admin("POST", "decp/append", {"marches": [c3, c9, broken]})
        second = self.sync()
        self.assertEqual(second.state, "done", second.message)
        self.assertEqual(second.reader, "records")  # the nightly increment pages /records
        self.assertEqual(self.sandbox_calls(RECORDS), 1)
        self.assertEqual(self.sandbox_calls(EXPORT), 1)
        self.assertEqual(second.since, self.today - timedelta(days=7))
        self.assertEqual((second.contracts_created, second.contracts_updated), (1, 1))
        self.assertEqual(second.rejected_count, 1)
        self.assertIn("T010", second.rejections)
        self.assertEqual(self.Contract.search_count([]), 8)
        c3 = self.Contract.search([("key", "=", "21740010900012|T003")])
        self.assertEqual(c3.amount_current, 330000.0)
        self.assertEqual(len(c3.holder_ids), 1)  # re-read: no duplicate holder

        # a third run on the same data changes nothing
        third = self.sync()
        self.assertEqual((third.contracts_created, third.rejected_count), (0, 1))
        self.assertEqual(self.env["decp.holder"].search_count([]), 9)

    def test_increment_reads_a_modification_published_after_its_contract(self):
        self.sync()
        # c1 modified today: its own publication date stays 395 days ago (docs/decp.md section 8)
        today = self.today.isoformat()
        change = {"id": 1, "montant": 120000.0, "dureeMois": 18,
                  "dateNotificationModification": today,
                  "datePublicationDonneesModification": today}  # fmt: skip
        c1 = marche(1, BUYER, "45311000", "73000", self.today - timedelta(400), 100000.0, 3,
                    [DURET], modifications=[{"modification": change}])  # fmt: skip
        self.sandbox_admin("POST", "decp/append", {"marches": [c1]})
        run = self.sync()
        self.assertEqual((run.rows_read, run.contracts_updated), (1, 1))
        c1 = self.Contract.search([("key", "=", f"{BUYER}|T001")])
        self.assertEqual((c1.amount_initial, c1.amount_current), (100000.0, 120000.0))
        self.assertEqual((c1.modification_count, c1.duration_months), (1, 18))

    def test_whole_country_asked_for_is_a_first_load_through_the_export(self):
        self.sync()
        self.env["ir.config_parameter"].sudo().set_param("duret_decp.whole_country", "True")
        run = self.sync()
        self.assertEqual(run.reader, "export")
        self.assertFalse(run.departements)
        self.assertEqual(run.since, self.today.replace(year=self.today.year - 2))
        self.assertEqual(self.Contract.search_count([]), 8)  # c7 (Rhône) read this time
        self.assertEqual(run.awards_read, 0)  # award notices: watched départements only
        self.assertEqual(self.sync().reader, "records")  # then nights again

    def test_failed_call_is_logged_and_nothing_is_lost(self):
        self.sync()
        # first attempt and both retries fail
        self.sandbox_fault("/api/explore/v2.1/catalog/datasets/decp-2022", "500", count=3)
        run = self.sync()
        self.assertEqual(run.state, "failed")
        self.assertIn("HTTP 500", run.message)
        self.assertEqual(self.Contract.search_count([]), 7)
        # the next run starts again from the last successful one
        self.assertEqual(self.env["decp.sync"]._decp_window(self.today)[0], run.since)

    def test_lead_tab_shows_buyer_history_and_similar_contracts(self):
        self.sync()
        lead = self.env["crm.lead"].create(
            {
                "name": "AO Saint-Test - Éclairage",
                "type": "opportunity",
                "company_id": self.env.company.id,
                "partner_id": self.buyer.id,
                "boamp_idweb": "26-777001",
                "tender_cpv_codes": "45311000, 45316000",
                "tender_departement": "73, 74, 38",
            }
        )
        # buyer's contracts: c1, c2, c6, c8 (c8 notified 5 years ago, published lately)
        self.assertEqual(lead.decp_buyer_count, 4)
        self.assertEqual(
            lead.decp_buyer_contract_ids.mapped("market_id"), ["T006", "T002", "T001", "T008"]
        )
        # similar: CPV class 4531 in 73/74/38 for 3 years, framework c5 left out:
        # c1 100 000, c2 200 000, c3 300 000, c4 440 000 (after its modification)
        self.assertEqual(lead.decp_cpv_class, "4531")
        self.assertEqual(lead.decp_similar_count, 4)
        self.assertEqual(lead.decp_similar_median, 250000.0)  # (200 000 + 300 000) / 2
        self.assertEqual(lead.decp_similar_p25, 175000.0)  # 100 000 + 0.75 × 100 000
        self.assertEqual(lead.decp_similar_p75, 335000.0)  # 300 000 + 0.25 × 140 000
        self.assertEqual(lead.decp_similar_offers, 3.5)  # offers 3, 5, 2, 4
        self.env["res.lang"]._activate_lang("en_US")  # the database may only have French
        top = lead.with_context(lang="en_US").decp_top_holders.splitlines()
        self.assertEqual(len(top), 3)
        self.assertEqual(top[0], "842317653: 2 contract(s), 540 000 €")  # c1 + c4, by SIREN
        self.assertEqual(top[1], "Alpes Élec: 2 contract(s), 500 000 €")  # c2 + c3
        self.assertEqual(top[2], "412987654: 1 contract(s), 440 000 €")  # c4
        french = lead.with_context(lang="fr_FR").decp_top_holders.splitlines()
        self.assertEqual(french[1], "Alpes Élec : 2 marché(s), 500 000 €")
        action = lead.action_decp_open_similar_contracts()
        self.assertEqual(self.Contract.search_count(action["domain"]), 5)  # + framework c5
        buyer_action = lead.action_decp_open_buyer_contracts()
        self.assertEqual(self.Contract.search_count(buyer_action["domain"]), 4)

    def test_radar_makes_one_lead_per_contract_to_watch(self):
        self.env["boamp.watch"].search([]).active = False
        watch = self.env["boamp.watch"].create(
            {"name": "Électricité Savoie", "departements": "73, 74, 38", "cpv_include": "4531"}
        )
        self.sync()
        leads = self.Contract._cron_decp_radar()
        # only c2 ends within 6-12 months (notified 300 days ago for 18 months)
        self.assertEqual(leads.decp_contract_id.mapped("market_id"), ["T002"])
        self.assertEqual(leads.boamp_watch_id, watch)
        self.assertEqual(leads.partner_id, self.buyer)
        self.assertIn(self.env.ref("duret_decp.crm_tag_decp_watch"), leads.tag_ids)
        self.assertFalse(self.Contract._cron_decp_radar())  # idempotent
        self.assertEqual(self.env["crm.lead"].search_count([("decp_contract_id", "!=", False)]), 1)
        # a profile by keyword finds it too
        leads.unlink()
        watch.write({"cpv_include": False, "include_keywords": "commune"})
        again = self.Contract._cron_decp_radar()
        self.assertEqual(again.decp_contract_id.mapped("market_id"), ["T002"])

    def test_radar_leads_have_their_menu(self):
        """The radar makes leads (not opportunities) outside the tender pipeline: without
        their own menu, a CRM without leads enabled showed them nowhere."""
        self.env["crm.lead"].search([("decp_contract_id", "!=", False)]).unlink()
        self.env["boamp.watch"].search([]).active = False
        self.env["boamp.watch"].create(
            {"name": "Électricité Savoie", "departements": "73, 74, 38", "cpv_include": "4531"}
        )
        self.sync()
        leads = self.Contract._cron_decp_radar()
        self.assertTrue(leads)
        menu = self.env.ref("duret_decp.menu_decp_radar")
        action = menu.action
        self.assertEqual(action.res_model, "crm.lead")
        found = self.env["crm.lead"].search(safe_eval(action.domain))
        self.assertEqual(found, leads)

    def test_radar_lead_without_partner_shows_its_buyers_history(self):
        """A radar contract's buyer is often no partner of ours: the lead's tab reads the
        buyer's history from the contract's SIRET instead of showing none."""
        self.sync()
        contract = self.Contract.search([("buyer_siret", "=", BUYER)], limit=1)
        self.assertTrue(contract)
        lead = self.env["crm.lead"].create(
            {"name": "À surveiller", "type": "lead", "decp_contract_id": contract.id}
        )
        self.assertFalse(lead.partner_id)
        self.assertEqual(lead.decp_buyer_siret, BUYER)
        self.assertEqual(
            lead.decp_buyer_count, self.Contract.search_count([("buyer_siret", "=", BUYER)])
        )

    def test_radar_lead_is_completed_by_its_notice(self):
        self.env["boamp.watch"].search([]).active = False
        self.setup_watch()
        self.watch.cpv_include = "4531"
        self.sync()
        radar = self.Contract._cron_decp_radar()
        self.assertEqual(len(radar), 1)
        spec = notice_spec()
        spec["buyer"] = dict(spec["buyer"], siret=BUYER)  # same buyer, CPV 45316110: class 4531
        notice = record(spec)
        self.import_page([notice])
        lead = self.tender_leads().filtered("boamp_idweb")
        self.assertEqual(lead, radar, "the notice completes the radar lead")
        self.assertEqual(lead.decp_contract_id.market_id, "T002")
        self.assertEqual(lead.boamp_idweb, notice["idweb"])
        self.assertTrue(lead.is_tender)
        # a notice of another buyer makes its own lead
        other = notice_spec()
        self.import_page([record(other)])
        self.assertEqual(len(self.tender_leads().filtered("boamp_idweb")), 2)
