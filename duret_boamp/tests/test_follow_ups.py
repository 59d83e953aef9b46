import html
from datetime import timedelta

from odoo.tests import TransactionCase, tagged

from .common import BoampCaseMixin, follow_up_spec, notice_spec, record


@tagged("post_install", "-at_install")
class TestFollowUps(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()

    def setUp(self):
        super().setUp()
        self.initial = notice_spec()
        self.import_page([record(self.initial)])
        self.lead = self.tender_leads()
        self.assertEqual(len(self.lead), 1)

    def test_rectificatif_updates_deadline_and_posts_changes(self):
        new_deadline = self.initial["deadline"] + timedelta(days=14)
        rect = follow_up_spec(self.initial, "RECTIFICATIF", deadline=new_deadline)
        messages_before = len(self.lead.message_ids)
        old_deadline = self.lead._tender_format_datetime(self.lead.tender_deadline)
        _run, counts = self.import_page([record(rect)])
        self.assertEqual((counts["created"], counts["updated"], counts["kept"]), (0, 1, 1))
        self.assertEqual(len(self.tender_leads()), 1, "no second lead for the same procedure")
        self.assertEqual(self.lead.date_deadline, new_deadline.date())
        self.assertEqual(self.lead.tender_deadline.date(), new_deadline.date())
        self.assertEqual(len(self.lead.message_ids), messages_before + 1)
        self.assertIn(rect["idweb"], self.lead.message_ids[0].body)
        # what changed, old → new, in Paris wall-clock time (the spec's naive times are Paris)
        new_text = self.lead._tender_format_datetime(self.lead.tender_deadline)
        self.assertNotEqual(old_deadline, new_text)
        self.assertIn(new_deadline.strftime("%H:%M"), new_text)
        self.assertIn(f"{old_deadline} → {new_text}", self.lead.message_ids[0].body)
        self.assertEqual(
            set(self.lead.boamp_notice_ids.mapped("idweb")), {self.initial["idweb"], rect["idweb"]}
        )

    def test_annulation_marks_lost_and_deletes_nothing(self):
        cancel = follow_up_spec(self.initial, "ANNULATION")
        self.import_page([record(cancel)])
        lead = self.lead.with_context(active_test=False)
        self.assertTrue(lead.exists())
        self.assertFalse(lead.active)
        self.assertEqual(lead.probability, 0)
        self.assertEqual(lead.lost_reason_id, self.env.ref("duret_boamp.lost_reason_cancelled"))
        self.assertIn(cancel["idweb"], lead.message_ids[0].body)
        self.assertEqual(len(lead.boamp_notice_ids), 2)

    def test_attribution_notes_winners(self):
        award = follow_up_spec(
            self.initial,
            "ATTRIBUTION",
            winners=[("SPIE CityNetworks", 231000)],
            deadline_missing=True,
        )
        self.import_page([record(award)])
        self.assertEqual(self.lead.tender_winners, "SPIE CityNetworks")
        self.assertIn("SPIE CityNetworks", self.lead.message_ids[0].body)
        self.assertEqual(self.lead.tender_award_amount, 231000)
        body = html.unescape(self.lead.message_ids[0].body)
        self.assertIn(self.lead._tender_format_amount(231000), body)

    def test_follow_up_of_an_unseen_notice_creates_the_lead(self):
        unseen = notice_spec(objet="Installation de centrales photovoltaïques en toiture")
        rect = follow_up_spec(unseen, "RECTIFICATIF")
        _run, counts = self.import_page([record(rect)])
        self.assertEqual(counts["created"], 1)
        lead = self.tender_leads() - self.lead
        self.assertEqual(lead.boamp_idweb, unseen["idweb"], "keyed by the procedure's first notice")
        # the initial notice arrives later (pages are newest first): attached, not duplicated
        _run, counts = self.import_page([record(unseen)])
        self.assertEqual((counts["created"], counts["updated"]), (0, 1))
        self.assertEqual(
            set(lead.boamp_notice_ids.mapped("idweb")), {unseen["idweb"], rect["idweb"]}
        )

    def test_initial_and_follow_up_in_same_page(self):
        other = notice_spec(objet="Travaux d'éclairage public du stade")
        cancel = follow_up_spec(other, "ANNULATION")
        _run, counts = self.import_page([record(cancel), record(other)])
        self.assertEqual(counts["created"], 1)
        lead = (self.tender_leads() - self.lead).with_context(active_test=False)
        self.assertEqual(lead.boamp_idweb, other["idweb"])
        self.assertFalse(lead.active, "the cancellation applies after the initial notice")

    def test_follow_up_found_through_contract_folder_id(self):
        initial = notice_spec(
            shape="EFORMS", contractfolderid="4f1b3c6e-1111-4aaa-8bbb-123456789abc"
        )
        self.import_page([record(initial)])
        lead = self.tender_leads() - self.lead
        self.assertEqual(lead.boamp_contract_folder_id, initial["contractfolderid"])
        rect = follow_up_spec(initial, "RECTIFICATIF", linked=None, shape="EFORMS")
        _run, counts = self.import_page([record(rect)])
        self.assertEqual((counts["created"], counts["updated"]), (0, 1))
        self.assertIn(rect["idweb"], lead.boamp_notice_ids.mapped("idweb"))
