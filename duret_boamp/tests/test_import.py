from dataclasses import replace
from datetime import datetime

from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..lib.lead_values import expected_amount, lead_name
from ..lib.notice_parser import Lot, parse_record
from ..lib.relevance import Reason
from .common import BoampCaseMixin, notice_spec, record


@tagged("post_install", "-at_install")
class TestNoticeImport(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()

    def test_relevant_notice_becomes_a_complete_lead(self):
        spec = notice_spec(
            lots=[("Lot 1", "Électricité courants forts", "45311000")],
            buyer=dict(notice_spec()["buyer"], name="Mairie de Testville-sur-Isère"),
        )
        run, counts = self.import_page([record(spec)])
        self.assertEqual((counts["fetched"], counts["kept"], counts["created"]), (1, 1, 1))
        lead = self.tender_leads()
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.boamp_idweb, spec["idweb"])
        self.assertEqual(lead.type, "opportunity", "this CRM does not use leads (Odoo's default)")
        self.assertEqual(lead.company_id, self.company)
        self.assertTrue(
            lead.name.startswith("AO Mairie de Testville-sur-Isère - Travaux de rénovation")
        )
        self.assertLessEqual(len(lead.name), 120)
        self.assertEqual(set(lead.tag_ids.mapped("name")) >= {"Appel d'offres", "Public"}, True)
        self.assertEqual(lead.source_id, self.env.ref("duret_boamp.utm_source_boamp"))
        self.assertEqual(lead.partner_id.siret, spec["buyer"]["siret"])
        self.assertTrue(lead.partner_id.is_company)
        self.assertEqual(lead.partner_id.city, "ALBERTVILLE")
        # 12:00 Paris in winter or summer is 10:00 or 11:00 UTC; the date stays the same
        self.assertEqual(lead.tender_deadline.date(), spec["deadline"].date())
        self.assertIn(lead.tender_deadline.hour, (10, 11))
        self.assertEqual(lead.date_deadline, spec["deadline"].date())
        self.assertEqual(lead.tender_amount, 250000.0)
        self.assertIn("45316110", lead.tender_cpv_codes)
        self.assertIn("Lot 1", lead.tender_lots)
        self.assertTrue(lead.boamp_dce_url.startswith("https://www.marches-publics.info/"))
        self.assertNotIn("&amp;", lead.boamp_dce_url)
        self.assertGreater(lead.tender_score, 0)
        self.assertTrue(lead.tender_reasons)
        self.assertEqual(lead.boamp_run_id, run)
        self.assertEqual(lead.boamp_notice_ids.idweb, spec["idweb"])
        self.assertTrue(lead.boamp_notice_ids.raw_record)

    def test_same_page_twice_creates_nothing_new(self):
        records = [record(notice_spec()) for _i in range(3)]
        _run, first = self.import_page(records)
        self.assertEqual(first["created"], 3)
        _run, second = self.import_page(records)
        self.assertEqual(second["duplicates"], 3)
        self.assertEqual((second["created"], second["kept"]), (0, 0))
        self.assertEqual(len(self.tender_leads()), 3)

    def test_duplicate_inside_one_page_counted_once(self):
        rec = record(notice_spec())
        _run, counts = self.import_page([rec, dict(rec)])
        self.assertEqual((counts["created"], counts["duplicates"]), (1, 1))

    def test_buyer_partner_reused_by_siret_then_name(self):
        partner = self.env["res.partner"].create(
            {"name": "Someone else", "is_company": True, "siret": "21730010200001"}
        )
        named = self.env["res.partner"].create({"name": "SIVOM du Beaufortain", "is_company": True})
        spec_named = notice_spec(
            buyer=dict(notice_spec()["buyer"], name="Sivom du Beaufortain", siret=None)
        )
        self.import_page([record(notice_spec()), record(spec_named)])
        leads = self.tender_leads()
        self.assertEqual(set(leads.partner_id.ids), {partner.id, named.id})

    def test_new_buyer_created_once_per_name_in_a_batch(self):
        buyer = dict(notice_spec()["buyer"], name="Commune de Nulle-Part", siret="21730010200019")
        name_only = dict(buyer, name="COMMUNE DE NULLE-PART ", siret=None)
        self.import_page([record(notice_spec(buyer=name_only)), record(notice_spec(buyer=buyer))])
        partner = self.tender_leads().partner_id
        self.assertEqual(len(partner), 1, "one partner for both notices")
        self.assertEqual(partner.siret, "21730010200019")
        self.assertEqual(partner.name, "COMMUNE DE NULLE-PART")

    def test_irrelevant_notice_logged_with_reason(self):
        spec = notice_spec(
            objet="Fourniture et acheminement d'électricité pour les bâtiments communaux",
            cpv="09310000",
            extra_cpv=[],
            type_marche="FOURNITURES",
            labels=["Electricité"],
        )
        run, counts = self.import_page([record(spec)])
        self.assertEqual((counts["rejected"], counts["created"]), (1, 0))
        self.assertEqual(run.rejection_ids.idweb, spec["idweb"])
        self.assertTrue(run.rejection_ids.reason)
        self.assertFalse(self.tender_leads())

    def test_malformed_record_reported_not_fatal(self):
        good = record(notice_spec())
        bad = dict(record(notice_spec()), donnees="{not json")
        run, counts = self.import_page([bad, good])
        self.assertEqual(counts["created"], 1)
        self.assertEqual(counts["errors"], 1)
        self.assertEqual(
            run.rejection_ids.filtered(lambda r: r.kind == "error").idweb, bad["idweb"]
        )

    def test_description_escapes_remote_text(self):
        spec = notice_spec(objet="Éclairage public <script>alert(1)</script> électricité")
        self.import_page([record(spec)])
        lead = self.tender_leads()
        self.assertNotIn("<script>", str(lead.description))
        self.assertIn("&lt;script&gt;", str(lead.description))

    @mute_logger("odoo.sql_db")
    def test_database_refuses_second_lead_for_same_notice(self):
        values = {"name": "x", "boamp_idweb": "26-1", "company_id": self.company.id}
        self.env["crm.lead"].create(values)
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env["crm.lead"].create(dict(values, name="y"))
            self.env.flush_all()

    @mute_logger("odoo.sql_db")
    def test_database_requires_company_on_tender_lead(self):
        lead = self.env["crm.lead"].create(
            {"name": "x", "boamp_idweb": "26-2", "company_id": self.company.id}
        )
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute("UPDATE crm_lead SET company_id = NULL WHERE id = %s", [lead.id])

    def test_expected_revenue_is_the_matching_lot(self):
        notice = parse_record(record(notice_spec(amount=1_000_000.0)))
        notice = replace(
            notice,
            lots=(
                Lot("3", "Gros œuvre", ("45223000",), 900000.0, None),
                Lot("8", "Électricité CFO/CFA", ("45311000",), 120000.0, None),
            ),
        )
        lot_reason = Reason("cpv_lot_match", {"code": "45311000", "lot": "8"}, 10)
        self.assertEqual(expected_amount(notice, [lot_reason]), 120000.0)
        self.assertEqual(expected_amount(notice, []), 1_000_000.0)
        self.assertEqual(expected_amount(replace(notice, amount=None), []), 0.0)

    def test_deadline_stored_as_utc(self):
        spec = notice_spec(deadline=datetime(2027, 1, 20, 12, 0))
        self.import_page([record(spec)])
        lead = self.tender_leads()
        self.assertEqual(lead.tender_deadline, datetime(2027, 1, 20, 11, 0))

    def test_lead_name_truncated_cleanly(self):
        name = lead_name("Commune de Saint-Jean-de-Maurienne", "Rénovation " * 30)
        self.assertLessEqual(len(name), 120)
        self.assertTrue(name.startswith("AO Commune de Saint-Jean-de-Maurienne - Rénovation"))
        self.assertTrue(name.endswith("Rénovation…"))

    def test_rejected_notice_skipped_until_the_rules_change(self):
        spec = notice_spec(
            objet="Entretien des espaces verts",
            cpv="77310000",
            extra_cpv=[],
            type_marche="SERVICES",
            labels=["Espaces verts"],
        )
        _run, first = self.import_page([record(spec)])
        self.assertEqual(first["rejected"], 1)
        _run, again = self.import_page([record(spec)])
        self.assertEqual((again["duplicates"], again["rejected"]), (1, 0))
        self.watch.include_keywords += "\nespaces verts"
        _run, changed = self.import_page([record(spec)])
        self.assertEqual(changed["duplicates"], 0, "new rules: the notice is scored again")
        self.assertEqual(changed["rejected"] + changed["kept"], 1)
