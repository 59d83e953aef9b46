"""The legal rules against a table computed by hand (figures in the comments).

Rates come from the seeded, verified ECB history (``lib/mro_history.py``):
4.50 % from 2023-09-20, 4.25 % from 2024-06-12, 3.15 % from 2024-12-18; rates are known up
to 2025-09-11 at install.  Interest = amount x (ECB + 8) % x days late / 365, per payment,
rounded to the cent.
"""

from datetime import date
from decimal import Decimal

from odoo.tests import TransactionCase, tagged

from ..lib import deadline, interest
from .common import assert_values

D = Decimal
MAD = "MISE_A_DISPOSITION"
TODAY = date(2026, 1, 31)

# fmt: off
# name: (days, Chorus events, payments [(day, amount)], invoice total,
#        expected: start, due, days late, rate %, interest, fee, claimable)
TABLE = {
    # State, 30 days: available 2 March 2024, due 1 April, paid 28 March: nothing owed.
    "on_time": (
        30, [("DEPOSEE", date(2024, 3, 1)), (MAD, date(2024, 3, 2)),
             ("MISE_EN_PAIEMENT", date(2024, 3, 28))],
        [(date(2024, 3, 28), "1000.00")], "1000.00",
        (date(2024, 3, 2), date(2024, 4, 1), 0, None, D("0.00"), D("0.00"), D("0.00")),
    ),
    # Local authority: available 21 May 2024, due 20 June, paid 7 July = 17 days late.
    # Interest started on 21 June (first half of 2024): the ECB rate in force on
    # 1 January 2024 applies to all 17 days, 4.50 + 8 = 12.50 % (not July's 4.25):
    # 12 000 x 12.50 % x 17 / 365 = 69.863 -> 69.86; fee 40 -> 109.86.
    "late_17_days_across_half_year": (
        30, [(MAD, date(2024, 5, 21))],
        [(date(2024, 7, 7), "12000.00")], "12000.00",
        (date(2024, 5, 21), date(2024, 6, 20), 17, D("12.50"), D("69.86"), D("40.00"),
         D("109.86")),
    ),
    # Interrupted once: available 10 Jan 2025 (due 9 Feb), suspended 20 Jan with 20 days
    # left, completed 3 Feb: new deadline max(30, 20) = 30 days -> due 5 March (R2192-29).
    # Paid 15 March = 10 days late; interest from 6 March 2025 -> 3.15 + 8 = 11.15 %:
    # 5 000 x 11.15 % x 10 / 365 = 15.274 -> 15.27; fee 40 -> 55.27.
    "interrupted_then_completed": (
        30, [(MAD, date(2025, 1, 10)), ("SUSPENDUE", date(2025, 1, 20)),
             ("COMPLETEE", date(2025, 2, 3))],
        [(date(2025, 3, 15), "5000.00")], "5000.00",
        (date(2025, 1, 10), date(2025, 3, 5), 10, D("11.15"), D("15.27"), D("40.00"), D("55.27")),
    ),
    # Hospital, 50 days: available 1 Oct 2024, due 20 Nov, paid 10 Dec = 20 days late;
    # interest from 21 Nov 2024 -> rate of 1 July 2024, 4.25 + 8 = 12.25 %:
    # 8 400 x 12.25 % x 20 / 365 = 56.384 -> 56.38; fee 40 -> 96.38.
    "hospital_50_days": (
        50, [(MAD, date(2024, 10, 1))],
        [(date(2024, 12, 10), "8400.00")], "8400.00",
        (date(2024, 10, 1), date(2024, 11, 20), 20, D("12.25"), D("56.38"), D("40.00"),
         D("96.38")),
    ),
    # Two instalments, due 1 May 2025: 6 000 on 25 April (on time), 4 000 on 21 May
    # (20 days late): 4 000 x 11.15 % x 20 / 365 = 24.438 -> 24.44; fee 40 -> 64.44.
    "two_instalments": (
        30, [(MAD, date(2025, 4, 1))],
        [(date(2025, 4, 25), "6000.00"), (date(2025, 5, 21), "4000.00")], "10000.00",
        (date(2025, 4, 1), date(2025, 5, 1), 20, D("11.15"), D("24.44"), D("40.00"), D("64.44")),
    ),
    # Both instalments late: 3 000 10 days late -> 9.16 (3 000 x 11.15 % x 10 / 365 = 9.164),
    # 7 000 30 days late -> 64.15 (23 415 / 365 = 64.151); the fee once: 73.31 + 40 = 113.31.
    "fee_once_per_invoice": (
        30, [(MAD, date(2025, 4, 1))],
        [(date(2025, 5, 11), "3000.00"), (date(2025, 5, 31), "7000.00")], "10000.00",
        (date(2025, 4, 1), date(2025, 5, 1), 30, D("11.15"), D("73.31"), D("40.00"),
         D("113.31")),
    ),
}
# fmt: on


@tagged("post_install", "-at_install")
class TestLedgerRules(TransactionCase):
    def run_case(self, days, events, payments, total):
        clock = deadline.legal_clock(days, events)
        paid = sum((D(amount) for _day, amount in payments), D("0"))
        result = interest.compute(
            clock.due,
            [interest.Payment(day, D(amount)) for day, amount in payments],
            D(total) - paid,
            self.env["late.payment.rate"]._late_payment_rate_on,
            TODAY,
        )
        return clock, result

    def test_hand_computed_table(self):
        for name, (days, events, payments, total, expected) in TABLE.items():
            with self.subTest(name):
                clock, result = self.run_case(days, events, payments, total)
                start, due, late, rate, owed, fee, claimable = expected
                assert_values(self, clock, {"start": start, "due": due})
                assert_values(
                    self,
                    result,
                    {
                        "days_late": late,
                        "rate": rate,
                        "interest": owed,
                        "fee": fee,
                        "claimable": claimable,
                    },
                )

    def test_second_suspension_and_suspension_after_payment_order_do_not_move_the_clock(self):
        # R2192-27: one interruption, before the payment order.
        events = [
            (MAD, date(2025, 1, 10)),
            ("SUSPENDUE", date(2025, 1, 20)),
            ("COMPLETEE", date(2025, 2, 3)),
            ("SUSPENDUE", date(2025, 2, 20)),
            ("COMPLETEE", date(2025, 3, 1)),
        ]
        self.assertEqual(deadline.legal_clock(30, events).due, date(2025, 3, 5))
        after_order = [
            (MAD, date(2025, 1, 10)),
            ("MANDATEE", date(2025, 1, 25)),
            ("SUSPENDUE", date(2025, 2, 1)),
        ]
        clock = deadline.legal_clock(30, after_order)
        self.assertEqual(clock.due, date(2025, 2, 9))
        self.assertFalse(clock.interrupted)

    def test_interruption_keeps_a_longer_balance(self):
        # Hospital: available 1 Oct 2024 (due 20 Nov), suspended 5 Oct with 46 days left,
        # completed 10 Oct: the new deadline is the balance, 46 days -> 25 Nov.
        events = [
            (MAD, date(2024, 10, 1)),
            ("SUSPENDUE", date(2024, 10, 5)),
            ("COMPLETEE", date(2024, 10, 10)),
        ]
        self.assertEqual(deadline.legal_clock(50, events).due, date(2024, 11, 25))
        # still suspended: no due date, the clock waits
        clock = deadline.legal_clock(50, events[:2])
        self.assertTrue(clock.interrupted)
        self.assertIsNone(clock.due)

    def test_rejected_then_sent_again_starts_a_new_clock(self):
        events = [
            (MAD, date(2025, 1, 10)),
            ("REJETEE", date(2025, 1, 20)),
            ("DEPOSEE", date(2025, 2, 1)),
            (MAD, date(2025, 2, 3)),
        ]
        clock = deadline.legal_clock(30, events)
        self.assertEqual(clock.start, date(2025, 2, 3))
        self.assertEqual(clock.due, date(2025, 3, 5))
        self.assertEqual(deadline.current_request(events[:2]), [])
        # a works statement refused by the project manager, corrected and deposited again
        refused = [
            ("A_VALIDER_MOE", date(2025, 1, 10)),
            ("REFUSEE_MOE", date(2025, 1, 15)),
            ("DEPOSEE", date(2025, 1, 20)),
            ("A_VALIDER_MOE", date(2025, 1, 21)),
        ]
        self.assertEqual(deadline.legal_clock(30, refused).due, date(2025, 2, 20))

    def test_start_of_the_clock(self):
        # works statement: the project manager's reception comes first
        moe = [("DEPOSEE", date(2025, 3, 1)), ("A_VALIDER_MOE", date(2025, 3, 2))]
        self.assertEqual(deadline.start_date(moe), date(2025, 3, 2))
        # only deposited yet: the deposit day
        self.assertEqual(deadline.start_date([("DEPOSEE", date(2025, 3, 1))]), date(2025, 3, 1))
        # nothing recorded: the invoice date plus two days (R2192-12)
        self.assertEqual(deadline.start_date([], date(2025, 3, 1)), date(2025, 3, 3))

    def test_missing_rate_is_reported_not_guessed(self):
        # due 10 Jan 2026, paid 20 Jan: the rate of 1 January 2026 is not known yet
        clock, result = self.run_case(
            30, [(MAD, date(2025, 12, 11))], [(date(2026, 1, 20), "1000.00")], "1000.00"
        )
        self.assertEqual(result.days_late, 10)
        self.assertTrue(result.rate_missing)
        self.assertEqual(result.rate_day, date(2026, 1, 1))
        self.assertIsNone(result.interest)
        self.assertIsNone(result.claimable)

    def test_unpaid_amount_runs_until_today(self):
        # 1 000 due 10 Jan 2025, unpaid on 31 Jan 2026: 386 days at 11.15 %
        # = 1 000 x 11.15 % x 386 / 365 = 117.915 -> 117.92, nothing claimable yet
        clock, result = self.run_case(30, [(MAD, date(2024, 12, 11))], [], "1000.00")
        self.assertEqual(result.days_late, 386)
        self.assertEqual(result.interest, D("117.92"))
        self.assertEqual(result.claimable, D("0.00"))
