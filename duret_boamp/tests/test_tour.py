from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTenderTour(HttpCase):
    def test_director_finds_tender_in_pipeline(self):
        self.env["res.lang"]._activate_lang("en_US")  # the template database may only have French
        director = self.env["res.users"].create(
            {
                "name": "Directrice commerciale",
                "login": "boamp_tour_director",
                "password": "boamp_tour_director",
                "lang": "en_US",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("sales_team.group_sale_manager").id,
                            self.env.ref("duret_procurement.group_manager").id,
                        ],
                    )
                ],
            }
        )
        self.env["crm.lead"].create(
            {
                "name": "AO Commune de Tourville - Éclairage public du centre bourg",
                "type": "opportunity",
                "user_id": director.id,
                "company_id": self.env.ref("base.main_company").id,
                "boamp_idweb": "26-424242",
                "tender_deadline": fields.Datetime.now() + timedelta(days=12),
                "expected_revenue": 150000,
            }
        )
        self.start_tour("/web", "duret_boamp_tender_tour", login="boamp_tour_director")
