"""The tenders section of the morning summary (duret_procurement): a pointer, not a copy.

The sales part of the morning is the BOAMP digest (the director's, and each salesperson's
summary of their own tenders), sent by the nightly watch with its cards, scores and
"Not relevant" buttons. The morning summary only counts what concerns the user (new
tenders since their last summary, deadlines of the week) and links to the pipeline, so
that nothing is told twice in two different emails.
"""

from datetime import timedelta

from odoo import _, fields, models

from .boamp_digest import DUE_SOON_DAYS

SALESMEN = "sales_team.group_sale_salesman"
SALES_MANAGERS = "sales_team.group_sale_manager"


class ProcurementMorningSummary(models.Model):
    _inherit = "procurement.morning.summary"

    def _duret_summary_sections(self, user, since):
        sections = super()._duret_summary_sections(user, since)
        if not user.has_group(SALESMEN):
            return sections
        Lead = self.env["crm.lead"]
        domain = [
            ("is_tender", "=", True),
            ("active", "=", True),
            ("company_id", "in", user.company_ids.ids),
        ]
        if not user.has_group(SALES_MANAGERS):
            domain.append(("user_id", "=", user.id))
        now = fields.Datetime.now()
        new = Lead.search_count(domain + [("create_date", ">=", since)])
        due = Lead.search_count(
            domain
            + [
                # not won; a lead crm's scoring never reached has no probability (NULL)
                "|",
                ("probability", "=", False),
                ("probability", "<", 100),
                ("tender_deadline", ">=", now),
                ("tender_deadline", "<=", now + timedelta(days=DUE_SOON_DAYS)),
            ]
        )
        if new or due:
            sections.append(
                {
                    "code": "tenders",
                    "sequence": 40,
                    "title": _("Tenders"),
                    "items": [],
                    "pointer": True,
                    "footer": self._boamp_tenders_footer(new, due),
                    "link": self._duret_action_url(
                        "duret_boamp.crm_lead_action_tender_pipeline", user.company_id
                    ),
                    "link_label": _("Open the tenders pipeline"),
                }
            )
        return sections

    def _boamp_tenders_footer(self, new, due):
        """What the BOAMP digest holds for the user, naming only the counts that are not 0."""
        if new and due:
            counts = _(
                "%(new)s new tender(s) and %(due)s deadline(s) within %(days)s days",
                new=new,
                due=due,
                days=DUE_SOON_DAYS,
            )
        elif new:
            counts = _("%s new tender(s)", new)
        else:
            counts = _("%(due)s deadline(s) within %(days)s days", due=due, days=DUE_SOON_DAYS)
        return _("%s: the BOAMP morning digest has them, with their scores and links.", counts)
