"""Browser tour: the accountant opens the late-invoice report and prints a claim."""

from datetime import date

from odoo.addons.duret_chorus.tests.common import ChorusTourMixin
from odoo.addons.duret_procurement.tests.common import ACCOUNTANT
from odoo.tests import HttpCase, tagged

from .common import LedgerSetupMixin


@tagged("post_install", "-at_install")
class TestLateInvoiceTour(LedgerSetupMixin, ChorusTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_ledger()
        cls.setup_tour_accountant(
            "ledger_tour_accountant", f"{ACCOUNTANT},duret_procurement.group_user"
        )
        cls.buyer = cls.make_public_buyer("Commune de Frontenex", "local", lang="fr_FR")

    def test_accountant_claims_from_the_late_invoice_report(self):
        # due 11 April 2025 (invoice date + 2 + 30 days), paid 1 May: 20 days late,
        # 1 200 x 11.15 % x 20 / 365 = 7.33, + 40 = 47.33
        move = self.make_invoice(self.buyer, invoice_date="2025-03-10")
        self.pay(move, 1200.0, date(2025, 5, 1))
        self.assertEqual(move.late_payment_state, "paid_late")
        self.tour_as(self.accountant, "duret_late_payment_claim_tour")
        claim = move.late_payment_claim_line_ids.claim_id
        self.assertEqual(claim.state, "sent")
        self.assertEqual(move.late_payment_state, "claimed")
        letter = self.env["ir.attachment"].search(
            [("res_model", "=", claim._name), ("res_id", "=", claim.id)]
        )
        self.assertEqual(len(letter), 1)
        text = letter.raw.decode()
        self.assertIn("Réclamation d'intérêts moratoires", text)
        self.assertIn(move.name, text)
        self.assertIn("47,33", text)
