"""The accountant's Chorus Pro section of the morning summary (duret_procurement).

New since the last summary: invoices rejected, suspended (or to complete / redirect) and
paid, as Chorus Pro reported them (``chorus.invoice.status``), and deposits refused or
left uncertain (``chorus.flow``).
"""

from odoo import _, models
from odoo.tools import format_amount, format_datetime

from ..lib import statuses
from .chorus_status_labels import status_label
from .chorus_tools import ACCOUNTANTS

#: status codes worth a line in the summary, with their tone
SUMMARY_TONES = {
    **dict.fromkeys(statuses.TERMINAL_KO, "danger"),
    **dict.fromkeys(statuses.ACTION_NEEDED, "warning"),
    **dict.fromkeys(statuses.TERMINAL_OK, "success"),
}


class ProcurementMorningSummary(models.Model):
    _inherit = "procurement.morning.summary"

    def _duret_summary_sections(self, user, since):
        sections = super()._duret_summary_sections(user, since)
        if user.has_group(ACCOUNTANTS):
            items = self._chorus_summary_status_items(user, since)
            items += self._chorus_summary_flow_items(user, since)
            sections.append(
                {
                    "code": "chorus",
                    "sequence": 10,
                    "title": _("Chorus Pro"),
                    "items": items,
                    "link": self._duret_action_url(
                        "duret_chorus.account_move_action_chorus_overview", user.company_id
                    ),
                    "link_label": _("Open the Chorus Pro overview"),
                }
            )
        return sections

    def _chorus_summary_status_items(self, user, since):
        steps = self.env["chorus.invoice.status"].search(
            [
                ("create_date", ">=", since),
                ("code", "in", list(SUMMARY_TONES)),
                ("company_id", "in", user.company_ids.ids),
            ],
            order="date, id",
        )
        lang = self.env.lang
        items = []
        for step in steps:
            move = step.move_id
            when = format_datetime(
                self.env, step.date, tz=user.tz or "Europe/Paris", dt_format="short"
            )
            detail = _(
                "%(status)s on %(date)s · %(amount)s",
                status=status_label(step.code, lang),
                date=when,
                amount=format_amount(self.env, move.amount_total, move.currency_id),
            )
            if step.comment:
                detail = _(
                    "%(detail)s · Buyer's reason: %(reason)s", detail=detail, reason=step.comment
                )
            items.append(
                {
                    "key": f"chorus.invoice.status,{step.id}",
                    "title": f"{move.name} · {move.commercial_partner_id.name}",
                    "detail": detail,
                    "url": self._duret_record_url(move),
                    "tone": SUMMARY_TONES[step.code],
                }
            )
        return items

    def _chorus_summary_flow_items(self, user, since):
        flows = self.env["chorus.flow"].search(
            [
                ("write_date", ">=", since),
                ("state", "in", ("rejected", "uncertain")),
                ("company_id", "in", user.company_ids.ids),
            ],
            order="date_sent, id",
        )
        items = []
        for flow in flows:
            moves = flow.move_ids
            if flow.state == "rejected":
                detail = _("Deposit refused by Chorus Pro: %s", flow.errors or _("no reason given"))
            else:
                detail = _(
                    "The answer of Chorus Pro to the deposit was lost: check in Chorus Pro "
                    "whether the invoice arrived."
                )
            items.append(
                {
                    "key": f"chorus.flow,{flow.id},{flow.state}",
                    "title": ", ".join(moves.mapped("name")) or flow.name or _("Deposit"),
                    "detail": detail,
                    "url": self._duret_record_url(moves[:1] if len(moves) == 1 else flow),
                    "tone": "danger" if flow.state == "rejected" else "warning",
                }
            )
        return items
