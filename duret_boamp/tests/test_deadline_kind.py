"""A restricted procedure's deadline is the applications' one: the lead, its countdown
and the digest say so, and a correction giving the offers' deadline changes it."""

from datetime import date, datetime, timedelta

from lxml import html

from odoo.tests import TransactionCase, tagged

from ..lib.notice_parser import parse_record
from .common import BoampCaseMixin, follow_up_spec, notice_spec, record


def candidature_record(spec):
    """A legacy notice whose only deadline is the applications' (``RECEPT_CANDIDAT``)."""
    raw = record(spec)
    raw["donnees"] = raw["donnees"].replace('"RECEPT_OFFRES"', '"RECEPT_CANDIDAT"')
    return raw


@tagged("post_install", "-at_install")
class TestDeadlineKind(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.director = cls.env["res.users"].create(
            {
                "name": "Directrice commerciale",
                "login": "boamp_kind_director",
                "email": "direction@duret-electricite.fr",
                "lang": "en_US",
                "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id])],
            }
        )
        cls.company.boamp_digest_user_ids = cls.director

    def _spec(self, days, **overrides):
        deadline = datetime.combine(date.today() + timedelta(days=days), datetime.min.time())
        return notice_spec(shape="LEGACY", deadline=deadline.replace(hour=12), **overrides)

    def test_candidature_deadline_is_stored_and_labelled(self):
        spec = self._spec(5)
        raw = candidature_record(spec)
        self.assertEqual(parse_record(raw).deadline_kind, "candidatures")
        offers = self._spec(5, objet="Rénovation de l'éclairage public du stade")
        self.import_page([raw, record(offers)])
        leads = self.tender_leads()
        restricted = leads.filtered(lambda lead: lead.boamp_idweb == spec["idweb"])
        open_call = leads - restricted
        self.assertEqual(restricted.tender_deadline_kind, "candidatures")
        self.assertEqual(open_call.tender_deadline_kind, "offers")
        self.assertTrue(restricted.tender_deadline_label.startswith("D-5 applications · "))
        self.assertTrue(open_call.tender_deadline_label.startswith("D-5 · "))

    def test_candidature_label_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["duret_boamp"], ["fr_FR"], overwrite=True)
        self.import_page([candidature_record(self._spec(5))])
        lead = self.tender_leads().with_context(lang="fr_FR")
        self.assertTrue(lead.tender_deadline_label.startswith("J-5 candidatures · "))

    def test_candidature_label_today_and_past_in_french(self):
        """ "dépassée candidatures" is no French: the applications' deadline reads
        "candidatures aujourd'hui" on the day and "candidatures closes" after it."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["duret_boamp"], ["fr_FR"], overwrite=True)
        Lead = self.env["crm.lead"].with_context(lang="fr_FR")
        lead = Lead.create(
            {
                "name": "AO Restreint",
                "boamp_idweb": "26-777779",
                "company_id": self.company.id,
                "tender_deadline_kind": "candidatures",
            }
        )
        self.assertEqual(lead._tender_countdown(0), "candidatures aujourd'hui")
        self.assertEqual(lead._tender_countdown(-2), "candidatures closes")
        self.assertEqual(lead._tender_countdown(5), "J-5 candidatures")

    def test_a_won_tender_counts_down_no_more(self):
        """Won, its response deadline no longer matters: no "D-5" badge in the Won column."""
        lead = self.env["crm.lead"].create(
            {
                "name": "AO Gagné",
                "boamp_idweb": "26-777780",
                "company_id": self.company.id,
                "tender_deadline": datetime.now() + timedelta(days=5),
            }
        )
        self.assertTrue(lead.tender_deadline_label.startswith("D-5 · "))
        lead.action_set_won()
        self.assertFalse(lead.tender_deadline_label)
        self.assertFalse(lead.tender_urgency)

    def test_digest_names_the_candidature_deadline(self):
        spec = self._spec(5)
        run, _counts = self.import_page([candidature_record(spec)])
        mails = run._send_digests()
        tree = html.fromstring(str(mails.body_html))
        (row,) = tree.xpath(
            f"//div[contains(@class, 'o_boamp_row')][@data-idweb='{spec['idweb']}']"
        )
        self.assertIn("(D-5 applications)", row.text_content())
        (due,) = tree.xpath(
            f"//div[contains(@class, 'o_boamp_due_row')][@data-idweb='{spec['idweb']}']"
        )
        self.assertIn("D-5 applications", due.text_content())

    def test_correction_with_the_offers_deadline_changes_the_kind(self):
        spec = self._spec(5)
        self.import_page([candidature_record(spec)])
        lead = self.tender_leads()
        self.assertEqual(lead.tender_deadline_kind, "candidatures")
        later = datetime.combine(date.today() + timedelta(days=20), datetime.min.time())
        correction = follow_up_spec(spec, "RECTIFICATIF", deadline=later.replace(hour=12))
        self.import_page([record(correction)])
        self.assertEqual(lead.tender_deadline_kind, "offers")
        self.assertTrue(lead.tender_deadline_label.startswith("D-20 · "))
        self.assertIn("Deadline for : Applications → Offers", lead.message_ids[:1].body)
