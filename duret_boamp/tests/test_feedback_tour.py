"""The sales director's path through the feedback suggestions, clicked in a browser."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import BoampCaseMixin, notice_spec, record
from .test_feedback import FESTIVE, festive_spec


@tagged("post_install", "-at_install")
class TestFeedbackTour(BoampCaseMixin, HttpCase):
    def test_director_applies_and_reverts_a_suggestion(self):
        self.env["res.lang"]._activate_lang("en_US")  # the template database may be French
        new_test_user(
            self.env,
            login="boamp_feedback_director",
            password="boamp_feedback_director",
            lang="en_US",
            groups="duret_procurement.group_manager,sales_team.group_sale_manager",
        )
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
        self.start_tour(
            f"/web#model=boamp.watch&id={self.watch.id}&view_type=form",
            "duret_boamp_feedback_tour",
            login="boamp_feedback_director",
        )
        change = self.watch.rule_change_ids
        self.assertEqual((change.kind, change.state), ("penalty", "reverted"))
        self.assertFalse(self.watch.penalty_phrases)
