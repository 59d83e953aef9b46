"""A salesperson opens a tender lead and reads its "Past contracts" tab (browser tour)."""

from odoo.addons.duret_procurement.tests.common import make_user
from odoo.tests import HttpCase, tagged

from .common import DecpWorldMixin


@tagged("post_install", "-at_install")
class TestDecpTour(DecpWorldMixin, HttpCase):
    def test_salesperson_reads_past_contracts(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.decp_setup_world(self.env)
        self.env["decp.sync"]._cron_decp_sync()
        salesman = make_user(
            self.env,
            "decp_tour_sales",
            "sales_team.group_sale_salesman,duret_procurement.group_user",
            lang="en_US",
            password="decp_tour_sales",
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "AO Saint-Test - Éclairage",
                "type": "opportunity",
                "company_id": self.env.company.id,
                "user_id": salesman.id,
                "partner_id": self.buyer.id,
                "boamp_idweb": "26-777002",
                "tender_cpv_codes": "45311000",
                "tender_departement": "73, 74, 38",
            }
        )
        self.start_tour(
            f"/web#id={lead.id}&model=crm.lead&view_type=form",
            "duret_decp_lead_tab_tour",
            login="decp_tour_sales",
        )
