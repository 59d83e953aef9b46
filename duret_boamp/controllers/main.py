"""Links of the morning digest that act on a lead: they open a screen, never act on GET.

Mail clients and link scanners open links by themselves: a GET here only prepares the
"Not relevant" dialog; the user confirms it in the backend, with their own rights
(``auth="user"``: a logged-out reader goes through the login page and comes back).
"""

from odoo import http
from odoo.http import request


class BoampDigestLinks(http.Controller):
    @http.route("/duret_boamp/lead/<int:lead_id>/not_relevant", type="http", auth="user")
    def not_relevant(self, lead_id, **_kwargs):
        lead = request.env["crm.lead"].browse(lead_id).exists()
        if not lead:
            return request.redirect("/web#action=duret_boamp.action_tender_leads")
        lead.check_access_rights("write")
        lead.check_access_rule("write")
        wizard = request.env["boamp.not.relevant.wizard"].create(
            {"lead_ids": [(6, 0, lead.ids)], "open_lead_after": True}
        )
        return request.redirect(
            f"/web#id={wizard.id}&model=boamp.not.relevant.wizard&view_type=form"
        )
