"""The ledger on real invoices and payments: due date, instalments, claims, alerts, rates."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..lib import ecb_client
from ..models.res_partner import LEGAL_CATEGORY_FIELD
from .common import LedgerCase, assert_delays


@tagged("post_install", "-at_install")
class TestLedger(LedgerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.commune = cls.make_public_buyer("Commune de Frontenex", "local")
        cls.hospital = cls.make_public_buyer("Centre hospitalier Métropole Savoie", "health")
        cls.accountant = new_test_user(
            cls.env,
            login="ledger_accountant",
            groups="account.group_account_invoice,account.group_account_manager,base.group_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            email="compta@duret-electricite.fr",
        )

    def test_due_date_is_the_legal_deadline(self):
        move = self.make_invoice(self.hospital, invoice_date="2025-03-10")
        self.assertEqual(move.invoice_payment_term_id.line_ids.nb_days, 50)
        self.assertEqual(move.invoice_date_due, date(2025, 4, 29))
        commune_move = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.assertEqual(commune_move.invoice_date_due, date(2025, 4, 9))
        # a buyer's own payment term wins
        term = self.env.ref("account.account_payment_term_45days")
        self.commune.property_payment_term_id = term
        own = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.assertEqual(own.invoice_payment_term_id, term)
        # a buyer known in Chorus Pro, category not set yet: the general 30 days
        chorus_buyer = self.env["res.partner"].create(
            {"name": "Syndicat intercommunal", "is_company": True, "chorus_structure_id": 4242}
        )
        chorus_move = self.make_invoice(chorus_buyer, invoice_date="2025-03-10")
        self.assertEqual(chorus_move.invoice_date_due, date(2025, 4, 9))
        self.assertFalse(chorus_move.late_payment_applies)
        # a private customer keeps Odoo's behaviour
        private = self.env["res.partner"].create({"name": "SARL Privée"})
        self.assertFalse(self.make_invoice(private).late_payment_applies)

    @freeze_time("2025-06-30")
    def test_two_instalments_without_chorus_dates(self):
        # no Chorus history: the clock starts on the invoice date + 2 days (R2192-12),
        # 12 March 2025 -> due 11 April.  1 200 TTC (1 000 + 20 % VAT): 500 paid on
        # 10 April (on time), 700 on 1 May = 20 days late at 11.15 %:
        # 700 x 11.15 % x 20 / 365 = 4.276 -> 4.28; fee 40 -> claimable 44.28.
        move = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.assertEqual(move.amount_total, 1200.0)
        self.assertEqual(move.late_payment_start_date, date(2025, 3, 12))
        self.assertEqual(move.late_payment_due_date, date(2025, 4, 11))
        self.assertEqual(move.late_payment_state, "late")
        self.pay(move, 500.0, date(2025, 4, 10))
        self.pay(move, 700.0, date(2025, 5, 1))
        self.assertEqual(move.payment_state, "paid")
        self.assertEqual(move.late_payment_paid_date, date(2025, 5, 1))
        self.assertEqual(move.late_payment_days_late, 20)
        self.assertAlmostEqual(move.late_payment_rate, 11.15)
        self.assertAlmostEqual(move.late_payment_amount_late, 700.0)
        self.assertAlmostEqual(move.late_payment_interest, 4.28)
        self.assertAlmostEqual(move.late_payment_fee, 40.0)
        self.assertAlmostEqual(move.late_payment_claimable, 44.28)
        self.assertEqual(move.late_payment_state, "paid_late")
        self.assertEqual(move.late_payment_payment_delay, 50)  # 12 March -> 1 May

    def test_reception_hook_moves_the_start(self):
        # works statements: another addon knows the project manager's reception day
        move_class = type(self.env["account.move"])
        with patch.object(
            move_class, "_late_payment_reception_date", lambda move, events: date(2025, 3, 20)
        ):
            move = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.assertEqual(move.late_payment_start_date, date(2025, 3, 20))
        self.assertEqual(move.late_payment_due_date, date(2025, 4, 19))

    @freeze_time("2025-06-30")
    def test_credit_note_lowers_the_principal(self):
        # 1 200 due 11 April; a 240 credit note, then 960 paid on 21 April = 10 days late:
        # 960 x 11.15 % x 10 / 365 = 2.932 -> 2.93
        move = self.make_invoice(self.commune, invoice_date="2025-03-10")
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"journal_id": move.journal_id.id, "date": "2025-03-20"})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        refund.invoice_line_ids.price_unit = 200.0
        refund.action_post()
        receivable = (move + refund).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        if not refund.reversed_entry_id or refund.payment_state == "not_paid":
            receivable.filtered(lambda line: not line.reconciled).reconcile()
        self.pay(move, 960.0, date(2025, 4, 21))
        self.assertEqual(move.late_payment_days_late, 10)
        self.assertAlmostEqual(move.late_payment_amount_late, 960.0)
        self.assertAlmostEqual(move.late_payment_interest, 2.93)

    @freeze_time("2025-06-30")
    def test_claim_send_receive_and_letter(self):
        late = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.pay(late, 1200.0, date(2025, 5, 1))  # 20 days late: 7.33 + 40
        on_time = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.pay(on_time, 1200.0, date(2025, 4, 1))
        with self.assertRaises(UserError):
            on_time.action_late_payment_claim()
        action = (late + on_time).action_late_payment_claim()
        claim = self.env["late.payment.claim"].browse(action["res_id"])
        self.assertEqual(claim.partner_id, self.commune)
        self.assertEqual(claim.line_ids.move_id, late)
        # 1 200 x 11.15 % x 20 / 365 = 7.331 -> 7.33
        self.assertAlmostEqual(claim.amount_interest, 7.33)
        self.assertAlmostEqual(claim.amount_fee, 40.0)
        self.assertAlmostEqual(claim.amount_total, 47.33)
        self.assertTrue(claim.name.startswith("IM/"))
        self.assertEqual(late.late_payment_state, "paid_late")  # a draft claims nothing yet
        claim.action_send()
        self.assertEqual(claim.state, "sent")
        self.assertEqual(late.late_payment_state, "claimed")
        with self.assertRaises(UserError):  # already in a claim
            late.action_late_payment_claim()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("duret_late_payment.report_late_payment_claim", claim.ids)[0]
            .decode()
        )
        for text in (claim.name, late.name, "7,33", "47,33", "R2192-31", "D2192-35", "11,15"):
            self.assertIn(text, html)
        wizard = (
            self.env["late.payment.receive.wizard"]
            .with_context(active_model="late.payment.claim", active_ids=claim.ids)
            .create({"date": "2025-06-20"})
        )
        self.assertAlmostEqual(wizard.amount, 47.33)
        wizard.action_confirm()
        self.assertEqual(claim.state, "received")
        self.assertEqual(claim.received_date, date(2025, 6, 20))
        self.assertEqual(late.late_payment_state, "received")

    def test_claim_letter_in_french(self):
        with freeze_time("2025-06-30"):
            late = self.make_invoice(self.commune, invoice_date="2025-03-10")
            self.pay(late, 1200.0, date(2025, 5, 1))
            claim = self.env["late.payment.claim"].browse(
                late.action_late_payment_claim()["res_id"]
            )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.commune.lang = "fr_FR"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("duret_late_payment.report_late_payment_claim", claim.ids)[0]
            .decode()
        )
        self.assertIn("intérêts moratoires", html)
        self.assertIn("Code de la commande publique", html)
        self.assertIn("40 euros", html)

    def use_french_company(self):
        """Jobs write in the company's language: French, as at Duret."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.partner_id.lang = "fr_FR"

    def test_alert_once_when_the_deadline_passes(self):
        self.use_french_company()
        with freeze_time("2025-03-20"):
            move = self.make_invoice(self.commune, invoice_date="2025-03-10")
            move.invoice_user_id = self.accountant
            self.env["account.move"]._cron_late_payment_daily()
            self.assertEqual(move.late_payment_state, "on_time")
            self.assertFalse(move.activity_ids)
        with freeze_time("2025-04-15"):
            self.env["account.move"]._cron_late_payment_daily()
            self.assertEqual(move.late_payment_state, "late")
            self.assertEqual(move.late_payment_days_late, 4)
            activity = move.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.accountant)
            self.assertIn("4 jour(s) de retard", activity.note)
            self.assertIn("11,15", activity.note)
            self.assertEqual(activity.summary, "Délai de paiement légal dépassé")
            self.env["account.move"]._cron_late_payment_daily()  # run again: nothing more
            self.assertEqual(len(move.activity_ids), 1)
            self.assertEqual(move.late_payment_alert_date, date(2025, 4, 15))

    def test_weekly_digest_tells_what_is_new_and_runs_once(self):
        self.use_french_company()
        with freeze_time("2025-04-15"):
            late = self.make_invoice(self.commune, invoice_date="2025-03-10")
            paid = self.make_invoice(self.commune, invoice_date="2025-03-10")
            self.pay(paid, 1200.0, date(2025, 4, 14))  # 3 days late: 1.10 + 40
            self.env["account.move"]._cron_late_payment_daily()
            mails = self.env["account.move"]._cron_late_payment_digest()
            mine = mails.filtered(lambda m: self.accountant.partner_id in m.recipient_ids)
            self.assertEqual(len(mine), 1)
            # 1 200 paid 3 days late: 1 200 x 11.15 % x 3 / 365 = 1.10, + 40 = 41.10
            self.assertIn("1 facture(s) nouvellement en retard, 41,10", mine.subject)
            self.assertIn("Factures nouvellement en retard", mine.body_html)
            self.assertIn(late.name, mine.body_html)
            self.assertIn(paid.name, mine.body_html)
            again = self.env["account.move"]._cron_late_payment_digest()
            self.assertFalse(
                again.filtered(lambda m: self.accountant.partner_id in m.recipient_ids)
            )

    def test_category_guess_from_legal_category(self):
        values = {"name": "CHU Grenoble Alpes", "is_company": True}
        if LEGAL_CATEGORY_FIELD in self.env["res.partner"]._fields:
            values[LEGAL_CATEGORY_FIELD] = "7364 Établissement d'hospitalisation"
            partner = self.env["res.partner"].create(values)
            self.assertEqual(partner.late_payment_buyer_category, "health")
            self.assertTrue(partner.late_payment_category_guessed)
            partner.late_payment_buyer_category = "local"  # a person decides
            self.assertFalse(partner.late_payment_category_guessed)
            partner.write({LEGAL_CATEGORY_FIELD: "7210 Commune et commune nouvelle"})
            self.assertEqual(partner.late_payment_buyer_category, "local")
            partner.write({LEGAL_CATEGORY_FIELD: "5710 SAS, société par actions simplifiée"})
            self.assertEqual(partner.late_payment_buyer_category, "local")
        else:
            partner = self.env["res.partner"].create(values)
            self.assertFalse(partner.late_payment_buyer_category)

    def test_buyer_statistics_and_expected_payment(self):
        with freeze_time("2025-06-30"):
            # paid 30, 40 and 50 days after the start (invoice date + 2): mean 40, median 40
            for days in (30, 40, 50):
                move = self.make_invoice(self.hospital, invoice_date="2025-03-10")
                self.pay(move, 1200.0, date(2025, 3, 12) + timedelta(days=days))
            assert_delays(self, self.hospital, 3, 40.0, 40.0, 35.0, 45.0)
            self.assertIn(
                "40 days on average over 3 invoices", self.hospital.late_payment_delay_summary
            )
            open_move = self.make_invoice(self.hospital, invoice_date="2025-06-01")
            # start 3 June + median 40 days
            self.assertEqual(open_move.late_payment_expected_date, date(2025, 7, 13))

    def test_ecb_update_from_the_portal_and_errors(self):
        rates = self.env["late.payment.rate"]
        self.addCleanup(self.sandbox_reset)
        self.assertIsNone(rates._late_payment_rate_on(date(2026, 1, 1)))
        with freeze_time("2026-10-01"):
            self.sandbox_admin(
                "POST", "ecb/observations", {"TIME_PERIOD": "2026-09-16", "OBS_VALUE": "2.40"}
            )
            self.assertEqual(rates._late_payment_update_from_ecb(), 1)
        self.assertEqual(rates._late_payment_known_until(), date(2026, 10, 1))
        self.assertAlmostEqual(rates._late_payment_rate_on(date(2026, 7, 1)), 2.15)
        self.assertAlmostEqual(rates._late_payment_rate_on(date(2026, 10, 1)), 2.40)
        self.assertIsNone(rates._late_payment_rate_on(date(2027, 1, 1)))
        self.assertEqual(rates.search([("day", "=", "2026-09-16")]).source, "ecb")
        # an unreadable answer changes nothing and says why
        self.sandbox_admin(
            "POST", "ecb/observations", {"TIME_PERIOD": "2026-10-20", "OBS_VALUE": "N/A"}
        )
        with self.assertRaises(ecb_client.EcbFormatError):
            rates._late_payment_update_from_ecb()
        self.assertEqual(rates._late_payment_known_until(), date(2026, 10, 1))
        with self.assertRaises(UserError) as caught:
            rates.with_user(self.accountant).action_late_payment_update()
        self.assertIn("could not be updated", str(caught.exception))

    def test_access_rights_and_companies(self):
        clerk = new_test_user(self.env, login="ledger_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["late.payment.claim"].with_user(clerk).search([])
        with self.assertRaises(AccessError):
            self.env["late.payment.rate"].with_user(clerk).search([])
        invoicer = new_test_user(
            self.env,
            login="ledger_invoicer",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.env["late.payment.rate"].with_user(invoicer).action_late_payment_update()
        other = self.env["res.company"].create({"name": "Autre société"})
        claim_other = self.env["late.payment.claim"].create(
            {"company_id": other.id, "partner_id": self.commune.id}
        )
        mine = self.env["late.payment.claim"].create(
            {"company_id": self.company.id, "partner_id": self.commune.id}
        )
        visible = self.env["late.payment.claim"].with_user(invoicer).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(claim_other, visible)

    def test_buyer_statistics_stay_within_the_user_companies(self):
        # the same commune, invoiced by a second company that paid it after 90 days
        other = self.env["res.company"].create(
            {"name": "Duret Isère", "country_id": self.env.ref("base.fr").id}
        )
        self.env.user.company_ids |= other
        other_env = self.env(context=dict(self.env.context, allowed_company_ids=[other.id]))
        self.env["account.chart.template"].with_env(other_env).try_loading(
            "fr", company=other, install_demo=False
        )
        move = self.make_invoice(self.commune, invoice_date="2025-03-10")
        self.pay(move, 1200.0, date(2025, 4, 1))  # 20 days after the start
        other_move = (
            self.env["account.move"]
            .with_env(other_env)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.commune.id,
                    "invoice_date": "2025-03-10",
                    "invoice_line_ids": [(0, 0, {"name": "Travaux", "price_unit": 500.0})],
                }
            )
        )
        other_move.action_post()
        self.assertEqual(other_move.late_payment_deadline_days, 30)
        self.pay(other_move.with_env(other_env), 600.0, date(2025, 6, 10))  # 90 days
        self.assertEqual(other_move.late_payment_payment_delay, 90)
        self.commune.invalidate_recordset()
        self.assertEqual(self.commune.late_payment_delay_count, 1)
        self.assertAlmostEqual(self.commune.late_payment_delay_mean, 20.0)
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=[self.company.id, other.id])
        )
        self.assertEqual(self.commune.with_env(both).late_payment_delay_count, 2)
        self.assertAlmostEqual(self.commune.with_env(both).late_payment_delay_mean, 55.0)
