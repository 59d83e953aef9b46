"""End to end against the sandbox: invoices sent to Chorus Pro, statuses moving to
MISE_EN_PAIEMENT at various delays, then the ledger, the buyer's statistics and the
claim letter as a real PDF.

Every date is relative to the deposit day d0 (the day the sandbox processes the flow),
so the figures do not depend on the day the test runs.  All invoices: 1 200.00 TTC to the
commune of Albertville (local authority, 30 days), made available on d0 + 2, hence due on
d0 + 32.  The sandbox serves the verified ECB history, whose last change is 2.15 % (11 June
2025); rates are downloaded "120 days after d0", so the rate of any half-year after that
change is 2.15 + 8 = 10.15 %: 1 200 x 10.15 % = 121.80 a year.

| inv. | Chorus path (days after d0)                         | due | late | interest            |
|------|-----------------------------------------------------|-----|------|---------------------|
| A    | MAD 2, paid 32                                      | 32  | 0    | 0                   |
| B    | MAD 2, paid 49                                      | 32  | 17   | 121.80x17/365=5.67  |
| C    | MAD 2, paid 72                                      | 32  | 40   | 121.80x40/365=13.35 |
| D    | MAD 2, suspended 7 (25 days left: 30), completed 17, | 47  | 6    | 121.80x6/365=2.00   |
|      | paid 53                                             |     |      |                     |
| E    | MAD 2, open                                         | 32  | -    | expected d0 + 51    |

Claim to the commune: B, C, D: interest 21.02, fees 3 x 40 = 120, total 141.02.
Buyer's delays deposit -> payment: 32, 49, 53, 72: count 4, mean 51.5, median 51,
quartiles 44.75 and 57.75 (shown 44.8 and 57.8).
"""

import io
from datetime import datetime, time, timedelta

import pytz
from pypdf import PdfReader

from odoo.addons.duret_chorus.tests.common import ALBERTVILLE
from odoo.tests import tagged

from .common import LedgerCase, assert_delays, assert_values

PARIS = pytz.timezone("Europe/Paris")


@tagged("post_install", "-at_install")
class TestLedgerEndToEnd(LedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.buyer = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)
        cls.buyer.write({"late_payment_buyer_category": "local", "lang": "fr_FR"})
        cls.service = cls.buyer.chorus_service_ids.filtered(lambda s: s.code == "SERV-TECH")

    def setUp(self):
        super().setUp()
        self.sandbox_reset()

    def advance(self, move, status, day, comment=None):
        moment = PARIS.localize(datetime.combine(self.d0 + timedelta(days=day), time(10, 0)))
        payload = {"numeroFacture": move.name, "statut": status, "dateHeure": moment.isoformat()}
        if comment:
            payload["commentaire"] = comment
        self.sandbox_admin("POST", "chorus/advance", payload)

    def test_sent_invoices_to_ledger_statistics_and_claim_letter(self):
        moves = {
            name: self.make_invoice(self.buyer, chorus_service_id=self.service.id)
            for name in "ABCDE"
        }
        moves_all = self.env["account.move"].concat(*moves.values())
        result = moves_all._chorus_send()
        self.assertEqual(result["sent"], moves_all)
        self.sandbox_admin("POST", "chorus/process_flows")
        moves_all.action_chorus_update()
        self.assertEqual(set(moves_all.mapped("chorus_status")), {"DEPOSEE"})
        deposit = moves["A"].chorus_status_ids.filtered(lambda line: line.code == "DEPOSEE")
        self.d0 = pytz.utc.localize(deposit.date).astimezone(PARIS).date()

        for move in moves_all:
            self.advance(move, "MISE_A_DISPOSITION", 2)
        self.advance(moves["A"], "MISE_EN_PAIEMENT", 32)
        self.advance(moves["B"], "MISE_EN_PAIEMENT", 49)
        self.advance(moves["C"], "MISE_EN_PAIEMENT", 72)
        self.advance(moves["D"], "SUSPENDUE", 7, "Procès-verbal de réception manquant")
        self.advance(moves["D"], "COMPLETEE", 17)
        self.advance(moves["D"], "MISE_EN_PAIEMENT", 53)
        self.env["late.payment.rate"]._late_payment_update_from_ecb(
            today=self.d0 + timedelta(days=120)
        )
        moves_all.action_chorus_update()
        self.env["account.move"]._late_payment_recompute_open()

        day = self.d0.__add__
        expected = {
            # name: (state, start, due, paid, days late, interest, claimable)
            "A": ("on_time", day(timedelta(2)), day(timedelta(32)), day(timedelta(32)), 0, 0, 0),
            "B": ("paid_late", day(timedelta(2)), day(timedelta(32)), day(timedelta(49)), 17,
                  5.67, 45.67),
            "C": ("paid_late", day(timedelta(2)), day(timedelta(32)), day(timedelta(72)), 40,
                  13.35, 53.35),
            "D": ("paid_late", day(timedelta(2)), day(timedelta(47)), day(timedelta(53)), 6,
                  2.00, 42.00),
        }  # fmt: skip
        for name, (state, start, due, paid, late, owed, claimable) in expected.items():
            with self.subTest(name):
                move = moves[name]
                assert_values(
                    self,
                    move,
                    {
                        "late_payment_state": state,
                        "late_payment_start_date": start,
                        "late_payment_due_date": due,
                        "late_payment_paid_date": paid,
                        "late_payment_days_late": late,
                        "late_payment_interest": owed,
                        "late_payment_claimable": claimable,
                    },
                )
                if late:
                    self.assertAlmostEqual(move.late_payment_rate, 10.15)
        self.assertEqual(moves["D"].late_payment_interrupted_date, day(timedelta(7)))
        self.assertEqual(moves["D"].late_payment_completed_date, day(timedelta(17)))

        # the buyer's habit, and the forecast of the open invoice
        # quartiles 44.75 and 57.75, shown with one decimal
        assert_delays(self, self.buyer, 4, 51.5, 51.0, 44.8, 57.8)
        self.assertEqual(moves["E"].late_payment_state, "on_time")
        self.assertEqual(moves["E"].late_payment_expected_date, day(timedelta(51)))

        # one claim for the buyer, its letter a real PDF in French
        action = moves_all.action_late_payment_claim()
        claim = self.env["late.payment.claim"].browse(action["res_id"])
        self.assertEqual(claim.line_ids.move_id, moves["B"] | moves["C"] | moves["D"])
        self.assertAlmostEqual(claim.amount_interest, 21.02)
        self.assertAlmostEqual(claim.amount_fee, 120.0)
        self.assertAlmostEqual(claim.amount_total, 141.02)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("duret_late_payment.report_late_payment_claim", claim.ids)
        )
        self.assertEqual(kind, "pdf")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        for expected_text in (
            "Réclamation d'intérêts moratoires",
            "Commune d'Albertville",
            moves["B"].name,
            moves["C"].name,
            moves["D"].name,
            "10,15",
            "13,35",
            "141,02",
            "R2192-31",
            "D2192-35",
            "40 euros",
        ):
            self.assertIn(expected_text, text)
        self.assertNotIn(moves["A"].name, text)
