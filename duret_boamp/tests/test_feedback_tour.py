"""The sales director's path through the feedback suggestions, clicked in a browser."""

from odoo.addons.duret_procurement.tests.common import DIRECTOR, TourMixin, make_user
from odoo.tests import HttpCase, tagged

from .common import BoampCaseMixin, notice_spec, record
from .test_feedback import FESTIVE, festive_spec


@tagged("post_install", "-at_install")
class TestFeedbackTour(BoampCaseMixin, TourMixin, HttpCase):
    def test_director_applies_and_reverts_a_suggestion(self):
        director = make_user(self.env, "boamp_feedback_director", DIRECTOR, lang="en_US")
        self.setup_watch()
        festive = [festive_spec(objet) for objet in FESTIVE]
        works = [notice_spec() for _i in range(2)]
        self.import_page([record(s) for s in festive + works])
        leads = {lead.boamp_idweb: lead for lead in self.tender_leads()}
        self.env["boamp.not.relevant.wizard"].create(
            {
                "lead_ids": [(6, 0, [leads[s["idweb"]].id for s in festive])],
                "reason": "Illuminations festives",
            }
        ).action_confirm()
        for spec in works:
            leads[spec["idweb"]].action_set_won()
        self.tour_as(director, "duret_boamp_feedback_tour", self.watch)
        change = self.watch.rule_change_ids
        self.assertEqual((change.kind, change.state), ("penalty", "reverted"))
        self.assertFalse(self.watch.penalty_phrases)
