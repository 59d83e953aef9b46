"""The tender lead shows how its buyer pays."""

from datetime import date, timedelta

from odoo.addons.duret_late_payment.tests.common import LedgerCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestLeadHabit(LedgerCase):
    def test_tender_lead_shows_the_buyer_payment_habit(self):
        hospital = self.make_public_buyer("Centre hospitalier de Chambéry", "health")
        lead = self.env["crm.lead"].create(
            {"name": "AO Centre hospitalier - Éclairage", "partner_id": hospital.id}
        )
        self.assertIn("No paid invoice observed yet", lead.late_payment_buyer_habit)
        self.assertEqual(lead.late_payment_buyer_deadline_days, 50)
        # paid 30, 40 and 50 days after the start (invoice date + 2 days): mean 40
        for days in (30, 40, 50):
            move = self.make_invoice(hospital, invoice_date="2025-03-10")
            self.pay(move, 1200.0, date(2025, 3, 12) + timedelta(days=days))
        self.env["res.lang"]._activate_lang("fr_FR")
        lead = lead.with_context(lang="fr_FR")
        lead.invalidate_recordset()
        hospital.invalidate_recordset()
        self.assertIn(
            "Cet acheteur paie en 40 jours en moyenne sur 3 factures", lead.late_payment_buyer_habit
        )
