"""The payment-delay section of the accountant's morning summary (duret_procurement).

Frozen on 30 June 2025; invoices of 10 March 2025 to a commune (30 days), clock started on
12 March, due on 11 April 2025. Rate of the first half of 2025: 3.15 + 8 = 11.15 %.

| inv. | payment            | late | interest                               | + fee | claimable |
|------|--------------------|------|----------------------------------------|-------|-----------|
| A    | open               | 80   | 1 200 x 11.15 % x 80 / 365 = 29.33     | 40    | 69.33     |
| B    | 1 200 on 29 June   | 79   | 1 200 x 11.15 % x 79 / 365 = 28.96     | 40    | 68.96     |
| C    | 1 200 on 1 May     | 20   | paid before the last summary: not told |       |           |
"""

from datetime import date

from freezegun import freeze_time

from odoo.addons.duret_procurement.tests.common import (
    ACCOUNTANT,
    make_user,
    morning_summary_of,
)
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import LedgerCase


@tagged("post_install", "-at_install")
class TestLatePaymentMorningSummary(LedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.commune = cls.make_public_buyer("Commune de Frontenex", "local")
        cls.accountant = make_user(
            cls.env,
            "ms_ledger_accountant",
            ACCOUNTANT,
            company_id=cls.company.id,
            email="compta@duret-electricite.fr",
        )
        cls.salesman = make_user(
            cls.env,
            "ms_ledger_salesman",
            company_id=cls.company.id,
            email="commercial@duret-electricite.fr",
        )

    def summary_of(self, user):
        return morning_summary_of(self.env, user)

    @freeze_time("2025-06-30 05:00:00")
    def test_late_and_paid_late_invoices_told_once(self):
        late = self.make_invoice(self.commune, invoice_date="2025-03-10")
        paid = self.make_invoice(self.commune, invoice_date="2025-03-10")
        old = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.pay(paid, 1200.0, date(2025, 6, 29))
        self.pay(old, 1200.0, date(2025, 5, 1))
        self.assertEqual(late.late_payment_state, "late")
        self.assertEqual(late.late_payment_days_late, 80)
        self.assertAlmostEqual(late.late_payment_interest, 29.33)
        self.assertAlmostEqual(late._late_payment_summary_owed(), 69.33)
        self.assertEqual(paid.late_payment_state, "paid_late")
        self.assertAlmostEqual(paid.late_payment_claimable, 68.96)

        summary = self.summary_of(self.accountant)
        keys = summary.item_ids.mapped("key")
        self.assertIn(f"late_payment,{late.id},2025-04-11", keys)
        self.assertIn(f"late_payment_paid,{paid.id}", keys)
        self.assertFalse([key for key in keys if f",{old.id}" in key])
        body = summary.mail_id.body_html

        def euros(value):
            return format_amount(self.env, value, self.company.currency_id)

        self.assertIn(f"Due on 04/11/2025, 80 day(s) late: {euros(69.33)} of interest", body)
        self.assertIn(f"Paid 79 day(s) late on 06/29/2025: {euros(68.96)} of interest", body)
        self.assertIn(f"the 1 late invoice(s) so far: {euros(69.33)}", body)
        self.assertIn(f"/web#id={late.id}&amp;model=account.move", body)
        # the accounting sections are not for the other users
        self.assertFalse(self.summary_of(self.salesman))

        # the next morning: nothing new, nothing sent
        with freeze_time("2025-07-01 05:00:00"):
            self.assertEqual(self.summary_of(self.accountant), summary)
