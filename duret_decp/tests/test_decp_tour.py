"""A salesperson opens a tender lead and reads its "Past contracts" tab; before any sync, a sales
manager starts the first one from the empty states (browser tours)."""

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

    def _first_sync_setup(self):
        self.env["res.lang"]._activate_lang("en_US")
        self.decp_setup_world(self.env)
        self.assertFalse(self.env["decp.sync"].search_count([]))
        return make_user(
            self.env,
            "decp_tour_manager",
            "sales_team.group_sale_manager,duret_procurement.group_user",
            lang="en_US",
            password="decp_tour_manager",
        )

    def test_manager_runs_first_sync_from_contract_list(self):
        self._first_sync_setup()
        self.start_tour(
            "/web#action=duret_decp.decp_contract_action",
            "duret_decp_first_sync_list_tour",
            login="decp_tour_manager",
        )
        self.assertEqual(self.env["decp.sync"].search([]).state, "done")

    def test_manager_runs_first_sync_from_lead_tab(self):
        manager = self._first_sync_setup()
        lead = self.env["crm.lead"].create(
            {
                "name": "AO Saint-Test - Éclairage",
                "type": "opportunity",
                "company_id": self.env.company.id,
                "user_id": manager.id,
                "partner_id": self.buyer.id,
                "boamp_idweb": "26-777003",
                "tender_cpv_codes": "45311000",
                "tender_departement": "73, 74, 38",
            }
        )
        self.start_tour(
            f"/web#id={lead.id}&model=crm.lead&view_type=form",
            "duret_decp_first_sync_tab_tour",
            login="decp_tour_manager",
        )
        self.assertEqual(self.env["decp.sync"].search([]).state, "done")
