"""Learning from the sales team: a profile's history of leads marked not relevant and of
won leads yields measured rule suggestions, applied in one click and reverted."""

from odoo.addons.duret_procurement.tests.common import DIRECTOR, make_user
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..lib.feedback import HistoryItem, associations
from .common import BoampCaseMixin, notice_spec, record

FESTIVE = (
    "Illuminations de Noël à Moûtiers : guirlandes électriques",
    "Illuminations festives d'Ugine, motifs lumineux électriques",
    "Illuminations de fin d'année à Bozel : décors électriques",
)


def festive_spec(objet):
    """Kept by the default rules (electrical keyword, lighting CPV), yet not a job for
    Duret: the sales team marks these not relevant."""
    return notice_spec(
        objet=objet,
        cpv="31527200",
        extra_cpv=[],
        labels=[],
        type_marche="FOURNITURES",
    )


@tagged("post_install", "-at_install")
class TestFeedbackSuggestions(BoampCaseMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_watch()
        cls.director = make_user(cls.env, "feedback_director", DIRECTOR)

    def history(self):
        festive = [festive_spec(objet) for objet in FESTIVE]
        works = [notice_spec() for _i in range(2)]
        self.import_page([record(s) for s in festive + works])
        leads = {lead.boamp_idweb: lead for lead in self.tender_leads()}
        rejected = self.env["crm.lead"].browse([leads[s["idweb"]].id for s in festive])
        self.env["boamp.not.relevant.wizard"].create(
            {
                "lead_ids": [(6, 0, rejected.ids)],
                "reason": "Illuminations festives, pas nos travaux",
            }
        ).action_confirm()
        for spec in works:
            leads[spec["idweb"]].action_set_won()
        return rejected

    def test_associations_rank_the_words_of_one_outcome(self):
        history = [
            HistoryItem(1, "Illuminations de Noël", ("31527200",), "rejected", None),
            HistoryItem(2, "Illuminations festives", ("31527200",), "rejected", None),
            HistoryItem(3, "Éclairage public du centre", ("45316110",), "won", None),
        ]
        words = associations(history, "rejected")
        self.assertEqual((words[0].term, words[0].count, words[0].others), ("illuminations", 2, 0))
        codes = associations(history, "rejected", "cpv")
        self.assertEqual([a.term for a in codes], ["31527200"])
        self.assertEqual(associations(history, "won"), [])  # seen once: proves nothing

    def test_suggested_penalty_is_measured_applied_and_reverted(self):
        # texts asserted in English: the director reads them in their own language
        self.env["res.lang"]._activate_lang("en_US")
        self.director.lang = "en_US"
        self.history()
        watch = self.watch.with_user(self.director)
        action = watch.action_open_feedback()
        wizard = self.env["boamp.watch.feedback"].with_user(self.director).browse(action["res_id"])
        self.assertEqual(wizard.summary, "3 leads marked not relevant, 2 won leads.")
        rejected_terms = wizard.rejected_term_ids
        first = rejected_terms[0]  # words first, the most typical first
        self.assertEqual(
            (first.kind, first.term, first.count, first.others), ("word", "illuminations", 3, 0)
        )
        self.assertIn("31527200", rejected_terms.filtered(lambda t: t.kind == "cpv").mapped("term"))
        penalty = wizard.line_ids.filtered(lambda line: line.kind == "penalty")
        self.assertEqual(penalty.value, "illuminations")
        self.assertEqual(penalty.description, 'Add the penalty phrase "illuminations"')
        # measured on the history: the three rejected leads dropped, both won leads kept
        self.assertEqual((penalty.rejected_dropped, penalty.won_lost), (3, 0))
        self.assertIn("3 of 3 leads marked not relevant dropped", penalty.effect)
        self.assertIn("0 of 2 won leads lost", penalty.effect)
        threshold = wizard.line_ids.filtered(lambda line: line.kind == "threshold")
        self.assertEqual(threshold.won_lost, 0)
        self.assertGreater(int(threshold.value), self.watch.min_score)

        before = self.watch.penalty_phrases
        self.assertFalse(before)  # the default list
        penalty.action_apply()
        self.assertIn("illuminations: 40", self.watch.penalty_phrases)
        self.assertIn("étude: 40", self.watch.penalty_phrases)  # the defaults are kept
        rules = self.watch._scoring_rules()
        self.assertEqual(rules.penalty_phrases["illuminations"], 40)
        change = self.watch.rule_change_ids
        self.assertEqual((change.kind, change.state), ("penalty", "applied"))
        applied = self.watch.message_ids[0]
        self.assertIn("Rule change applied", applied.body)
        self.assertIn("3 of 3 leads marked not relevant dropped", applied.body)
        # the same festive notice is now filtered out
        festive = record(festive_spec("Illuminations d'Albertville : guirlandes électriques"))
        _run, counts = self.import_page([festive])
        self.assertEqual((counts["created"], counts["rejected"]), (0, 1))

        change.with_user(self.director).action_revert()
        self.assertEqual(self.watch.penalty_phrases, before)
        self.assertEqual(change.state, "reverted")
        self.assertIn("Rule change reverted", self.watch.message_ids[0].body)
        self.assertNotIn("illuminations", self.watch._scoring_rules().penalty_phrases)

    def test_threshold_change_is_applied_and_reverted(self):
        self.history()
        wizard = self.env["boamp.watch.feedback"].browse(
            self.watch.with_user(self.director).action_open_feedback()["res_id"]
        )
        threshold = wizard.line_ids.filtered(lambda line: line.kind == "threshold")
        threshold.with_user(self.director).action_apply()
        self.assertEqual(self.watch.min_score, int(threshold.value))
        self.watch.rule_change_ids.with_user(self.director).action_revert()
        self.assertEqual(self.watch.min_score, 50)

    def test_only_the_sales_director_changes_rules(self):
        salesman = make_user(self.env, "feedback_salesman", "sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            self.watch.with_user(salesman).action_open_feedback()
