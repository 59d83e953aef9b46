"""Browser tour: the accountant enters a month's progress, previews and sends the statement."""

from odoo.addons.duret_chorus.tests.common import ChorusTourMixin
from odoo.addons.duret_procurement.tests.common import ACCOUNTANT
from odoo.tests import HttpCase, tagged

from .common import WorksSetupMixin


@tagged("post_install", "-at_install")
class TestWorksTour(WorksSetupMixin, ChorusTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_works()
        cls.setup_tour_accountant(
            "works_tour_accountant", f"{ACCOUNTANT},sales_team.group_sale_salesman"
        )
        cls.contract = cls.make_contract()

    def test_enter_progress_preview_and_send(self):
        with self.chorus_file_rendered_here(self.make_invoice(self.buyer)):
            self.tour_as(self.accountant, "duret_works_statement_tour", self.contract)
        statement = self.contract.statement_ids
        self.assertEqual(len(statement), 1)
        self.assertEqual(statement.state, "sent")
        self.assertAlmostEqual(statement.net_to_pay, 32719.93, places=2)
        self.assertEqual(statement.move_id.chorus_sent_by, self.accountant)
        sent = self.sandbox_admin("GET", "chorus_works/submissions")["submissions"]
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            sent[0]["cadreDeFacturation"]["codeCadreFacturation"],
            "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
        )
