"""Browser tour: the accountant sends a posted invoice to Chorus and sees its state."""

from odoo.tests import HttpCase, tagged

from .common import ALBERTVILLE, ChorusTourMixin


@tagged("post_install", "-at_install")
class TestChorusTour(ChorusTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chorus_company()
        cls.setup_tour_accountant("c2_tour_accountant")
        buyer = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)
        cls.move = cls.make_invoice(buyer, chorus_service_id=buyer.chorus_service_ids[:1].id)

    def test_send_from_the_invoice_form(self):
        with self.chorus_file_rendered_here(self.move):
            self.tour_as(self.accountant, "duret_chorus_send_tour", self.move)
        self.assertEqual(self.move.chorus_state, "sent")
        self.assertTrue(self.move.chorus_flow_number)
        self.assertEqual(self.move.chorus_sent_by, self.accountant)
        self.assertEqual(self.sandbox_calls("/cpro/factures/v1/deposer/flux"), 1)
