import base64
import datetime

from odoo.tests import HttpCase, tagged

from .common import PDF


@tagged("post_install", "-at_install")
class TestComplianceTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("base.main_company")
        today = datetime.date.today()
        urssaf = cls.env.ref("duret_api_entreprise.type_urssaf_vigilance")
        company.compliance_tracked_type_ids = [(6, 0, urssaf.ids)]
        cls.env["compliance.document"].create(
            {
                "name": "Tour expired URSSAF",
                "type_id": urssaf.id,
                "company_id": company.id,
                "date_end": today + datetime.timedelta(days=10),
                "file": base64.b64encode(PDF),
                "file_name": "urssaf.pdf",
            }
        )
        cls.env["compliance.document"].create(
            {
                "name": "Tour expired URSSAF (old)",
                "type_id": urssaf.id,
                "company_id": company.id,
                "date_end": today - datetime.timedelta(days=10),
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Tour tender",
                "company_id": company.id,
                "type": "opportunity",
                "date_deadline": today + datetime.timedelta(days=15),
            }
        )

    def test_dashboard_tour(self):
        self.start_tour("/web", "duret_api_entreprise_dashboard_tour", login="admin")

    def test_tender_file_tour(self):
        url = f"/web#id={self.lead.id}&model=crm.lead&view_type=form"
        self.start_tour(url, "duret_api_entreprise_tender_file_tour", login="admin")
