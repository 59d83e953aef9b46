"""The certificates section of the morning summary (duret_procurement).

Compliance documents (attestations URSSAF, DGFIP, Kbis…) that entered their renewal
window or expired: told to the accountants of the company and to each document's
responsible, once per state and end date (a renewed document that expires again is told
again).
"""

from odoo import _, models
from odoo.tools import format_date

#: the accountants see every document of their companies (when accounting is installed)
ACCOUNTANTS = "account.group_account_invoice"


class ProcurementMorningSummary(models.Model):
    _inherit = "procurement.morning.summary"

    def _duret_summary_sections(self, user, since):
        sections = super()._duret_summary_sections(user, since)
        domain = [
            ("state", "in", ("expiring", "expired")),
            ("delivered", "=", True),
            ("company_id", "in", user.company_ids.ids),
        ]
        accountants = self.env.ref(ACCOUNTANTS, raise_if_not_found=False)
        if not (accountants and accountants in user.groups_id):
            domain.append(("user_id", "=", user.id))
        docs = self.env["compliance.document"].search(domain, order="date_end, id")
        if docs:
            sections.append(
                {
                    "code": "compliance",
                    "sequence": 30,
                    "title": _("Certificates to renew"),
                    "items": [self._compliance_summary_item(doc) for doc in docs],
                    "link": self._duret_action_url(
                        "duret_api_entreprise.compliance_document_action", user.company_id
                    ),
                    "link_label": _("Open the compliance documents"),
                }
            )
        return sections

    def _compliance_summary_item(self, doc):
        end = format_date(self.env, doc.date_end)
        detail = _("Expired on %s", end) if doc.state == "expired" else _("Expires on %s", end)
        holder = doc.partner_id
        title = doc.name
        if holder and holder != doc.company_id.partner_id:
            title = f"{doc.name} · {holder.name}"
        return {
            "key": f"compliance.document,{doc.id},{doc.state},{doc.date_end}",
            "title": title,
            "detail": detail,
            "url": self._duret_record_url(doc),
            "tone": "danger" if doc.state == "expired" else "warning",
        }
