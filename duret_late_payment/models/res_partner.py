"""Public buyers: payment-deadline category and observed payment habits."""

from odoo import _, api, fields, models

from ..lib import deadline, legal_category, stats

BUYER_CATEGORIES = [
    ("state", "State or national public establishment (30 days)"),
    ("local", "Local authority or local public establishment (30 days)"),
    ("other_public", "Other contracting authority (30 days)"),
    ("health", "Public health establishment (50 days)"),
    ("public_company", "Public company (60 days)"),
]
#: field of duret_api_entreprise holding "<INSEE code> <label>", read when installed
LEGAL_CATEGORY_FIELD = "compliance_legal_category"


class ResPartner(models.Model):
    _inherit = "res.partner"

    late_payment_buyer_category = fields.Selection(
        BUYER_CATEGORIES,
        string="Public buyer category",
        help="Sets the legal payment deadline (Code de la commande publique R2192-10 and "
        "R2192-11): 30 days for the State, local authorities and other contracting "
        "authorities, 50 days for public health establishments, 60 days for public companies. "
        "Guessed from the INSEE legal category when known; can be changed.",
    )
    late_payment_category_guessed = fields.Boolean(
        string="Category guessed", help="Guessed from the legal category, not set by a person."
    )
    late_payment_deadline_days = fields.Integer(
        string="Legal payment deadline (days)", compute="_compute_late_payment_deadline_days"
    )
    late_payment_delay_count = fields.Integer(
        string="Paid invoices observed", compute="_compute_late_payment_delays"
    )
    late_payment_delay_mean = fields.Float(
        string="Mean payment delay (days)", digits=(16, 1), compute="_compute_late_payment_delays"
    )
    late_payment_delay_median = fields.Float(
        string="Median payment delay (days)",
        digits=(16, 1),
        compute="_compute_late_payment_delays",
    )
    late_payment_delay_q1 = fields.Float(
        string="Payment delay, first quartile",
        digits=(16, 1),
        compute="_compute_late_payment_delays",
    )
    late_payment_delay_q3 = fields.Float(
        string="Payment delay, third quartile",
        digits=(16, 1),
        compute="_compute_late_payment_delays",
    )
    late_payment_delay_summary = fields.Char(
        string="Payment habit", compute="_compute_late_payment_delays"
    )

    @api.depends("late_payment_buyer_category")
    def _compute_late_payment_deadline_days(self):
        for partner in self:
            partner.late_payment_deadline_days = deadline.CATEGORY_DAYS.get(
                partner.late_payment_buyer_category, 0
            )

    def _late_payment_delay_stats(self):
        """{partner: stats dict or None} from the paid invoices of the current companies."""
        partners = self.commercial_partner_id
        groups = self.env["account.move"]._read_group(
            [
                ("company_id", "in", self.env.companies.ids),
                ("commercial_partner_id", "in", partners.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("late_payment_payment_delay", ">=", 0),
                ("late_payment_paid_date", "!=", False),
            ],
            ["commercial_partner_id"],
            ["late_payment_payment_delay:array_agg"],
        )
        delays = dict(groups)
        return {
            partner: stats.delay_stats(delays.get(partner.commercial_partner_id, []))
            for partner in self
        }

    @api.depends_context("allowed_company_ids", "lang")
    def _compute_late_payment_delays(self):
        by_partner = self._late_payment_delay_stats() if self.ids else {}
        for partner in self:
            observed = by_partner.get(partner)
            partner.late_payment_delay_count = observed["count"] if observed else 0
            partner.late_payment_delay_mean = observed["mean"] if observed else 0.0
            partner.late_payment_delay_median = observed["median"] if observed else 0.0
            partner.late_payment_delay_q1 = observed["q1"] if observed else 0.0
            partner.late_payment_delay_q3 = observed["q3"] if observed else 0.0
            partner.late_payment_delay_summary = partner._late_payment_summary_text(observed)

    def _late_payment_summary_text(self, observed):
        if not observed:
            return _("No paid invoice observed yet.")
        return _(
            "This buyer pays in %(mean)s days on average over %(count)s invoices "
            "(median %(median)s days, half of them between %(q1)s and %(q3)s days).",
            mean=round(observed["mean"]),
            count=observed["count"],
            median=round(observed["median"]),
            q1=round(observed["q1"]),
            q3=round(observed["q3"]),
        )

    # ------------------------------------------------------------ category guess
    def _late_payment_guess_category(self):
        """Set the category from the stored legal category, unless a person chose one."""
        if LEGAL_CATEGORY_FIELD not in self._fields:
            return
        for partner in self:
            if partner.late_payment_buyer_category and not partner.late_payment_category_guessed:
                continue
            guess = legal_category.guess_category(partner[LEGAL_CATEGORY_FIELD])
            if guess and guess != partner.late_payment_buyer_category:
                partner.write(
                    {"late_payment_buyer_category": guess, "late_payment_category_guessed": True}
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners.filtered(
            lambda p: not p.late_payment_buyer_category
        )._late_payment_guess_category()
        return partners

    def write(self, vals):
        if "late_payment_buyer_category" in vals and "late_payment_category_guessed" not in vals:
            vals = dict(vals, late_payment_category_guessed=False)
        result = super().write(vals)
        if LEGAL_CATEGORY_FIELD in vals:
            self._late_payment_guess_category()
        return result
