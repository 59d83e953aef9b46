"""The accountant's payment-delay section of the morning summary (duret_procurement).

Invoices past their legal payment deadline (each told once, the first morning it is late,
with the interest it earns so far) and invoices paid late since the last summary, whose
interest and flat fee can now be claimed.
"""

from odoo import _, fields, models
from odoo.addons.duret_chorus.models.chorus_tools import ACCOUNTANTS
from odoo.tools import format_amount, format_date


class ProcurementMorningSummary(models.Model):
    _inherit = "procurement.morning.summary"

    def _duret_summary_sections(self, user, since):
        sections = super()._duret_summary_sections(user, since)
        if not user.has_group(ACCOUNTANTS):
            return sections
        Move = self.env["account.move"]
        domain = [
            ("late_payment_applies", "=", True),
            ("company_id", "in", user.company_ids.ids),
        ]
        late = Move.search(
            domain + [("late_payment_state", "=", "late")], order="late_payment_due_date, id"
        )
        paid_late = Move.search(
            domain
            + [
                ("late_payment_state", "=", "paid_late"),
                ("late_payment_claimable", ">", 0),
                ("late_payment_paid_date", ">=", fields.Date.to_date(since)),
            ],
            order="late_payment_paid_date, id",
        )
        items = [self._late_payment_summary_item(move, "late") for move in late]
        items += [self._late_payment_summary_item(move, "paid_late") for move in paid_late]
        owed = sum(move._late_payment_summary_owed() for move in late)
        sections.append(
            {
                "code": "late_payment",
                "sequence": 20,
                "title": _("Late payments"),
                "items": items,
                "footer": _(
                    "Interest and fees owed on the %(count)s late invoice(s) so far: %(amount)s",
                    count=len(late),
                    amount=format_amount(self.env, owed, user.company_id.currency_id),
                )
                if late
                else False,
                "link": self._duret_action_url(
                    "duret_late_payment.account_move_action_late_payment", user.company_id
                ),
                "link_label": _("Open the payment delays"),
            }
        )
        return sections

    def _late_payment_summary_item(self, move, kind):
        owed = move._late_payment_summary_owed() if kind == "late" else move.late_payment_claimable
        amount = format_amount(self.env, owed, move.company_currency_id)
        if kind == "late":
            detail = _(
                "Due on %(due)s, %(days)s day(s) late: %(amount)s of interest and fee so far",
                due=format_date(self.env, move.late_payment_due_date),
                days=move.late_payment_days_late,
                amount=amount,
            )
            # told again if its due date moves (a suspension ends, the buyer's deadline changes)
            key = f"late_payment,{move.id},{move.late_payment_due_date}"
        else:
            detail = _(
                "Paid %(days)s day(s) late on %(paid)s: %(amount)s of interest and fee to claim",
                days=move.late_payment_days_late,
                paid=format_date(self.env, move.late_payment_paid_date),
                amount=amount,
            )
            key = f"late_payment_paid,{move.id}"
        return {
            "key": key,
            "title": f"{move.name} · {move.commercial_partner_id.name}",
            "detail": detail,
            "url": self._duret_record_url(move),
            "tone": "danger" if kind == "late" else "warning",
        }
