"""Pre-send checks, access rights, buyers, connection test, poll lock and alerts."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..lib.facturx import FacturxError
from ..models.chorus_messages import facturx_error_message
from ..models.chorus_poll_run import POLL_LOCK_KEY
from .common import ALBERTVILLE, UGINE, ChorusCase


@tagged("post_install", "-at_install")
class TestChorusChecks(ChorusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.albertville = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)

    def setUp(self):
        super().setUp()
        self.sandbox_reset()

    # ------------------------------------------------------------------ buyers
    def test_buyer_check_stores_requirements_and_services(self):
        buyer = self.albertville
        self.assertEqual(buyer.chorus_structure_id, 25730011)
        self.assertTrue(buyer.chorus_service_required)
        self.assertFalse(buyer.chorus_ej_required)
        self.assertTrue(buyer.chorus_payment_reported)
        codes = set(buyer.chorus_service_ids.mapped("code"))
        self.assertEqual(codes, {"SERV-TECH", "FINANCES"})
        archived = (
            buyer.with_context(active_test=False).chorus_service_ids - buyer.chorus_service_ids
        )
        self.assertEqual(archived.mapped("code"), ["ECLAIRAGE"])
        all_codes = buyer.with_context(active_test=False).chorus_service_ids.mapped("code")
        self.assertNotIn("FACTURES_PUBLIQUES", all_codes)
        # a second check updates in place
        buyer.action_chorus_check()
        self.assertEqual(len(buyer.with_context(active_test=False).chorus_service_ids), 3)

    def test_invalid_siret_is_refused_in_french(self):
        partner = self.make_buyer("Mairie fictive", "21730011000013", check=False)
        with self.assertRaisesRegex(UserError, r"This SIRET is not valid \(check digit\)"):
            partner.action_chorus_check()
        with self.assertRaisesRegex(UserError, "clé de contrôle"):
            partner.with_context(lang="fr_FR").action_chorus_check()

    def test_la_poste_siret_is_accepted_by_the_check(self):
        partner = self.make_buyer("La Poste Albertville", "35600000000048", check=False)
        with self.assertRaisesRegex(UserError, "No Chorus Pro structure"):
            partner.action_chorus_check()

    # ------------------------------------------------------------------ checks
    def test_every_problem_in_one_message(self):
        self.company.partner_id.phone = False
        buyer = self.make_buyer("Commune d'Ugine", UGINE, check=False)
        buyer.siret = "12345678901234"
        move = self.make_invoice(buyer, purchase_order_reference="E" * 51)
        draft = self.make_invoice(self.albertville, post=False)
        with self.assertRaises(UserError) as caught:
            (move | draft)._chorus_send()
        message = str(caught.exception)
        for expected in (
            move.name,
            "The SIREN part of this SIRET is not valid (check digit)",
            "was not checked in Chorus Pro",
            "more than 50 characters",
            "has no phone number",
            "is not posted",
            "requires a service code",
        ):
            self.assertIn(expected, message)
        self.assertEqual(move.chorus_state, "not_sent")

    def test_message_is_french_for_french_users(self):
        draft = self.make_invoice(self.albertville, post=False)
        with self.assertRaises(UserError) as caught:
            draft.with_context(lang="fr_FR")._chorus_send()
        self.assertIn("ne peuvent pas être envoyées", str(caught.exception))

    def test_facturx_problems_are_introduced_in_french(self):
        move = self.make_invoice(self.albertville)
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        error = FacturxError(["line 12: Element 'ram:Name': missing"], FacturxError.XSD)
        message = facturx_error_message(french, error, move)
        self.assertIn("refusé par le schéma EN16931", message)
        self.assertIn(move.name, message)
        self.assertIn("- line 12: Element 'ram:Name': missing", message)
        # the status label follows the reader's language
        move.chorus_status = "SUSPENDUE"
        self.assertEqual(move.with_env(french).chorus_status_label, "Suspendue")
        self.assertEqual(move.chorus_status_label, "Suspended")

    def test_unknown_service_code_and_long_number(self):
        move = self.make_invoice(self.albertville, buyer_reference="NOPE")
        move.name = "FAC-2026-ALBERTVILLE-0001"
        problems = move._chorus_problems()
        self.assertTrue(any("NOPE" in p for p in problems))
        self.assertTrue(any("more than 20 characters" in p for p in problems))

    def test_valid_invoice_has_no_problem(self):
        service = self.albertville.chorus_service_ids[:1]
        move = self.make_invoice(self.albertville, chorus_service_id=service.id)
        self.assertEqual(move.buyer_reference, service.code)
        self.assertEqual(move._chorus_problems(), [])

    # ------------------------------------------------------------------ access
    def test_salesperson_cannot_send(self):
        user = new_test_user(
            self.env,
            login="c2_sales",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        move = self.make_invoice(self.albertville)
        with self.assertRaises(AccessError):
            move.with_user(user)._chorus_send()
        wizard = self.env["chorus.send.wizard"].create({"move_ids": [(6, 0, move.ids)]})
        with self.assertRaises(AccessError):
            wizard.with_user(user).action_send()
        self.assertEqual(move.chorus_state, "not_sent")
        move.chorus_state = "uncertain"
        with self.assertRaises(AccessError):
            move.with_user(user).action_chorus_mark_not_received()
        self.assertEqual(move.chorus_state, "uncertain")

    def test_other_company_services_and_poll_runs_are_hidden(self):
        other = self.env["res.company"].create({"name": "Autre société"})
        buyer = self.env["res.partner"].create({"name": "Mairie B", "company_id": other.id})
        service = self.env["chorus.service"].create(
            {"partner_id": buyer.id, "chorus_id": 1, "code": "SB"}
        )
        shared = self.albertville.chorus_service_ids[:1]
        run = self.env["chorus.poll.run"].create({"company_id": other.id})
        accountant = new_test_user(
            self.env,
            login="r_accountant_a",
            groups="account.group_account_invoice",
            company_id=self.company.id,
        )
        services = self.env["chorus.service"].with_user(accountant).search([])
        self.assertIn(shared, services)
        self.assertNotIn(service, services)
        self.assertFalse(
            self.env["chorus.poll.run"].with_user(accountant).search([("id", "=", run.id)])
        )

    def test_remote_reason_is_escaped_in_activity_and_chatter(self):
        move = self.make_invoice(self.albertville)
        move.write({"chorus_state": "integrated", "chorus_invoice_id": 1})
        reason = "<img src=x onerror=alert(1)> pièce manquante"
        move._chorus_apply_status("SUSPENDUE", comment=reason)
        move._chorus_reason_activity("SUSPENDUE", reason)
        note = str(move.activity_ids[-1:].note)
        self.assertNotIn("<img", note)
        self.assertIn("&lt;img", note)
        self.assertNotIn("<img", move.message_ids[0].body)
        self.assertIn("pièce manquante", move.message_ids[0].body)

    def test_secrets_are_for_administrators_only(self):
        accountant = new_test_user(
            self.env,
            login="c2_accountant",
            groups="account.group_account_invoice",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.company.with_user(accountant).read(["chorus_client_secret"])
        for name in ("chorus_client_secret", "chorus_password", "chorus_client_id"):
            self.assertEqual(self.company._fields[name].groups, "base.group_system")

    # --------------------------------------------------------------- connection
    def test_connection_ok_reads_structure_and_password_expiry(self):
        action = self.company.action_chorus_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.company.chorus_structure_id, 26311001)
        expiry = self.company.chorus_password_expiry
        self.assertTrue(expiry)
        # the sandbox password expires in 20 days: the reminder is due
        self.env["res.company"]._cron_chorus_password_expiry()
        activities = self.company.partner_id.activity_ids
        self.assertEqual(len(activities), 1)
        self.env["res.company"]._cron_chorus_password_expiry()
        self.assertEqual(len(self.company.partner_id.activity_ids), 1)

    def test_connection_errors_are_precise(self):
        self.sandbox_admin("POST", "piste/expire")
        self.company.chorus_client_secret = "wrong"
        with self.assertRaisesRegex(UserError, "client id or client secret"):
            self.company.action_chorus_test_connection()
        self.company.chorus_client_secret = "duret-sandbox-secret"
        self.company.chorus_password = "wrong"
        with self.assertRaisesRegex(UserError, "technical account"):
            self.company.action_chorus_test_connection()
        self.company.chorus_password = "duret-sandbox-password"
        self.sandbox_admin("POST", "piste/forbid", {"api": "structures"})
        with self.assertRaisesRegex(UserError, "403"):
            self.company.action_chorus_test_connection()
        self.sandbox_admin("POST", "piste/forbid", {"api": "structures", "forbidden": False})
        self.company.siret = "84231765300025"  # valid, but unknown to Chorus
        with self.assertRaisesRegex(UserError, "knows no structure"):
            self.company.action_chorus_test_connection()

    def test_token_is_shared_through_the_database(self):
        self.company.action_chorus_test_connection()
        client = self.company._chorus_client()
        client.search_structure(ALBERTVILLE)
        self.assertEqual(client.calls_by_operation.get("token", 0), 0)
        # stored through its own committed cursor, visible to every worker
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM chorus_token WHERE access_token <> ''")
            self.assertGreaterEqual(cr.fetchone()[0], 1)

    # -------------------------------------------------------------------- poll
    def test_concurrent_poll_is_skipped(self):
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", [POLL_LOCK_KEY, self.company.id])
            run = self.poll()
            other.execute("SELECT pg_advisory_unlock(%s, %s)", [POLL_LOCK_KEY, self.company.id])
        self.assertEqual(run.state, "skipped")
        self.assertEqual(run.calls, 0)

    def test_failed_poll_alerts_the_administrator(self):
        move = self.make_invoice(
            self.albertville, chorus_service_id=self.albertville.chorus_service_ids[:1].id
        )
        move._chorus_send()
        self.company.chorus_password = "wrong"
        before = self.company.chorus_last_poll
        run = self.poll()
        self.assertEqual(run.state, "failed")
        self.assertIn("technical account", run.log)
        self.assertTrue(run.activity_ids)
        self.assertEqual(self.company.chorus_last_poll, before)

    def test_stale_sending_becomes_uncertain(self):
        move = self.make_invoice(self.albertville)
        flow = self.env["chorus.flow"].create(
            {"company_id": self.company.id, "date_sent": fields.Datetime.now() - timedelta(hours=1)}
        )
        move.write({"chorus_state": "sending", "chorus_flow_id": flow.id})
        self.poll()
        self.assertEqual(move.chorus_state, "uncertain")

    def test_weekly_refresh_updates_buyers_in_use(self):
        move = self.make_invoice(self.albertville)
        flow = self.env["chorus.flow"].create(
            {"company_id": self.company.id, "date_sent": fields.Datetime.now()}
        )
        move.write({"chorus_state": "integrated", "chorus_flow_id": flow.id})
        self.albertville.write({"chorus_service_required": False})
        self.albertville.chorus_service_ids[:1].active = False
        self.env["res.partner"]._cron_chorus_refresh_buyers()
        self.assertTrue(self.albertville.chorus_service_required)
        self.assertEqual(len(self.albertville.chorus_service_ids), 2)
        self.assertTrue(self.company.chorus_password_expiry)

    def test_weekly_refresh_stops_at_an_error_every_buyer_would_meet(self):
        ugine = self.make_buyer("Commune d'Ugine", UGINE)
        for buyer in (self.albertville, ugine):
            flow = self.env["chorus.flow"].create(
                {"company_id": self.company.id, "date_sent": fields.Datetime.now()}
            )
            move = self.make_invoice(buyer)
            move.write({"chorus_state": "integrated", "chorus_flow_id": flow.id})
        self.company.chorus_password = "wrong"
        self.sandbox_reset()
        self.env["res.partner"]._cron_chorus_refresh_buyers()
        # the first buyer (a call, then again with a new token), then the company's own
        # structure: the second buyer is not asked, it would be refused the same way
        self.assertEqual(self.sandbox_calls("/cpro/structures/v1/rechercher"), 4)
