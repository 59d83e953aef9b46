"""Learn from the sales team: what "Non pertinent" clicks and won leads say about a watch
profile, and rule changes measured on its history, applied in one click.

The analysis is plain code (``lib/feedback.py``); this wizard reads the history, shows
the associations and the suggestions, and applies one through the profile (which keeps
the change, reversible, and writes it in its chatter).
"""

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..lib.feedback import associations, suggest
from ..lib.relevance import score_notice

MANAGER_GROUP = "duret_procurement.group_manager"


class BoampWatchFeedback(models.TransientModel):
    _name = "boamp.watch.feedback"
    _description = "What the sales team's decisions say about a watch profile"

    watch_id = fields.Many2one("boamp.watch", required=True, ondelete="cascade")
    summary = fields.Char(readonly=True)
    line_ids = fields.One2many("boamp.watch.feedback.line", "wizard_id", string="Suggestions")
    term_ids = fields.One2many("boamp.watch.feedback.term", "wizard_id", string="Terms")
    rejected_term_ids = fields.One2many(
        "boamp.watch.feedback.term",
        "wizard_id",
        domain=[("outcome", "=", "rejected")],
        string="Typical of the leads marked not relevant",
    )
    won_term_ids = fields.One2many(
        "boamp.watch.feedback.term",
        "wizard_id",
        domain=[("outcome", "=", "won")],
        string="Typical of the won leads",
    )

    @api.model
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only the sales director can change a watch profile's rules."))

    def _compute_suggestions(self):
        self.ensure_one()
        self._check_manager()
        watch = self.watch_id
        history = watch._feedback_history()
        rules = watch._scoring_rules()
        self.summary = self._summary(history)
        lines = []
        for suggestion in suggest(history, rules, score_notice):
            lines.append(
                {
                    "kind": suggestion.kind,
                    "value": str(suggestion.value),
                    "description": self._change_description(suggestion, rules),
                    "effect": self._effect_text(suggestion.effect),
                    "rejected_dropped": suggestion.effect.dropped("rejected"),
                    "won_lost": suggestion.effect.dropped("won"),
                    "filtered_gained": suggestion.effect.gained("filtered"),
                }
            )
        self.line_ids = [(5, 0, 0)] + [(0, 0, values) for values in lines]

    def _summary(self, history):
        """The counts line, and the words and CPV codes typical of each outcome."""
        counts = {o: sum(1 for item in history if item.outcome == o) for o in ("rejected", "won")}
        self.term_ids = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "outcome": outcome,
                    "kind": kind,
                    "term": association.term,
                    "count": association.count,
                    "others": association.others,
                },
            )
            for outcome in ("rejected", "won")
            for kind in ("word", "cpv")
            for association in associations(history, outcome, kind, limit=5)
        ]
        return _(
            "%(rejected)s leads marked not relevant, %(won)s won leads.",
            rejected=counts["rejected"],
            won=counts["won"],
        )

    @staticmethod
    def _change_description(suggestion, rules):
        if suggestion.kind == "penalty":
            return _('Add the penalty phrase "%s"', suggestion.value)
        if suggestion.kind == "keyword":
            return _('Add the keyword "%s"', suggestion.value)
        return _(
            "Raise the minimum score from %(old)s to %(new)s",
            old=rules.min_score,
            new=suggestion.value,
        )

    @staticmethod
    def _effect_text(effect):
        return _(
            "%(rejected)s of %(rejected_total)s leads marked not relevant dropped, "
            "%(won)s of %(won_total)s won leads lost, %(open)s of %(open_total)s open leads "
            "lost, %(filtered)s of %(filtered_total)s filtered notices kept",
            rejected=effect.dropped("rejected"),
            rejected_total=effect.totals.get("rejected", 0),
            won=effect.dropped("won"),
            won_total=effect.totals.get("won", 0),
            open=effect.dropped("open"),
            open_total=effect.totals.get("open", 0),
            filtered=effect.gained("filtered"),
            filtered_total=effect.totals.get("filtered", 0),
        )


class BoampWatchFeedbackLine(models.TransientModel):
    _name = "boamp.watch.feedback.line"
    _description = "Suggested rule change of a watch profile"

    wizard_id = fields.Many2one("boamp.watch.feedback", required=True, ondelete="cascade")
    kind = fields.Selection(
        [("penalty", "Penalty phrase"), ("keyword", "Keyword"), ("threshold", "Threshold")],
        required=True,
    )
    value = fields.Char(required=True)
    description = fields.Char(required=True)
    effect = fields.Text(string="Measured effect")
    rejected_dropped = fields.Integer(string="Not relevant dropped")
    won_lost = fields.Integer(string="Won lost")
    filtered_gained = fields.Integer(string="Filtered kept")

    def action_apply(self):
        """Apply this change to the profile (kept in its chatter, reversible)."""
        self.ensure_one()
        self.wizard_id._check_manager()
        watch = self.wizard_id.watch_id
        watch._apply_rule_change(self.kind, self.value, self.description, self.effect)
        return {
            "type": "ir.actions.act_window",
            "res_model": "boamp.watch",
            "res_id": watch.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }


class BoampWatchFeedbackTerm(models.TransientModel):
    _name = "boamp.watch.feedback.term"
    _description = "Word or CPV code typical of an outcome of a watch profile's leads"
    _order = "outcome, kind desc, id"

    wizard_id = fields.Many2one("boamp.watch.feedback", required=True, ondelete="cascade")
    outcome = fields.Selection([("rejected", "Not relevant"), ("won", "Won")], required=True)
    kind = fields.Selection([("word", "Word"), ("cpv", "CPV code")], required=True)
    term = fields.Char(required=True)
    count = fields.Integer(string="These leads")
    others = fields.Integer(string="Other leads")
