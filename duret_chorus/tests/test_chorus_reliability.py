"""Issue 12 for Chorus: who may use the credentials, runs left behind, jobs in French."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..lib.errors import ChorusAccountError, ChorusFunctionalError, TransportError
from ..models.chorus_messages import chorus_error_message
from .common import ALBERTVILLE, ChorusCase


@tagged("post_install", "-at_install")
class TestChorusReliability(ChorusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.albertville = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)
        cls.service = cls.albertville.chorus_service_ids.filtered(lambda s: s.code == "SERV-TECH")
        company = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.employee = new_test_user(
            cls.env, login="cf_employee", groups="base.group_user", **company
        )
        cls.accountant = new_test_user(
            cls.env, login="cf_accountant", groups="account.group_account_invoice", **company
        )

    def setUp(self):
        super().setUp()
        self.sandbox_reset()

    # ------------------------------------------------------ defect 1: privilege
    def test_credential_actions_check_the_callers_group(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        move.chorus_state = "sent"
        self.env.flush_all()
        writer = self.company.write_uid
        for user in (self.employee, self.accountant):
            with self.assertRaises(AccessError):
                self.company.with_user(user).action_chorus_test_connection()
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.employee).create(
                {}
            ).action_chorus_test_connection()
        for call in (
            lambda env: env["res.partner"].browse(self.albertville.id).action_chorus_check(),
            lambda env: env["account.move"].browse(move.id).action_chorus_update(),
            lambda env: env["chorus.poll.run"].action_poll_now(),
            lambda env: env["account.move"].browse(move.id).action_chorus_send(),
        ):
            with self.assertRaises(AccessError):
                call(self.env(user=self.employee))
        self.env.invalidate_all()
        self.assertEqual(self.company.write_uid, writer)
        self.assertEqual(self.sandbox_calls("/cpro/"), 0)  # nothing reached Chorus
        # the administrator may, the accountant may update
        self.company.action_chorus_test_connection()
        self.assertTrue(self.company.chorus_structure_id)
        self.env["account.move"].with_user(self.accountant).browse(move.id).action_chorus_update()

    # ------------------------------------------------- defect 2: stuck run logs
    def test_a_killed_run_is_closed_as_interrupted_by_the_next_run(self):
        Run = self.env["chorus.poll.run"]
        killed = Run.create({"company_id": self.company.id, "log": "Flux CPP1: IN_RECU"})
        other_company = Run.create({"company_id": self.env.ref("base.main_company").id})
        run = self.poll()
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(killed.state, "interrupted")
        self.assertTrue(killed.date_end)
        self.assertIn("Flux CPP1: IN_RECU", killed.log)  # what it had logged stays
        # one line added that says why (its words are the job's language, checked elsewhere)
        self.assertEqual(len(killed.log.splitlines()), 2)
        # another company's run is that company's business
        self.assertEqual(other_company.state, "running")
        # a second poll has nothing more to close
        self.assertEqual(self.poll().state, "done")
        self.assertEqual(Run.search_count([("state", "=", "interrupted")]), 1)

    # ------------------------------------------------- defect 3: jobs in French
    def test_cron_texts_are_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.company.partner_id.lang = "fr_FR"
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        cron_env = self.env(context={})  # what ir.cron gives: no language
        cron_env["chorus.poll.run"]._poll_company(self.company, "cron")
        self.sandbox_admin(
            "POST",
            "chorus/advance",
            {"numeroFacture": move.name, "statut": "SUSPENDUE", "commentaire": "PV manquant"},
        )
        cron_env["chorus.poll.run"]._poll_company(self.company, "cron")
        body = move.message_ids[0].body
        self.assertIn("Statut Chorus Pro : Suspendue (SUSPENDUE)", body)
        self.assertIn("PV manquant", body)
        activity = move.activity_ids.filtered(lambda a: "PV manquant" in str(a.note))
        self.assertEqual(activity.summary, "Chorus Pro : Suspendue")
        self.assertEqual(move.chorus_status_ids.with_context(lang="fr_FR")[-1:].label, "Suspendue")

        # Chorus unreachable: the run log and the administrator's activity in French
        self.sandbox_fault("/cpro/factures/v1/rechercher/fournisseur", "503", count=10)
        run = cron_env["chorus.poll.run"]._poll_company(self.company, "cron")
        self.assertEqual(run.state, "failed")
        self.assertIn("Chorus Pro est indisponible pour le moment.", run.log)
        self.assertNotIn("is unavailable for the moment", run.log)
        self.assertEqual(run.activity_ids.summary, "Échec de la mise à jour des statuts Chorus Pro")

    def test_one_french_sentence_per_error_kind_then_the_detail(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        french = self.env(context=dict(self.env.context, lang="fr_FR"))
        lost = TransportError("connection to api.piste.gouv.fr failed (RemoteDisconnected)")
        lost.service = "Chorus Pro"
        self.assertEqual(
            chorus_error_message(french, lost),
            "Chorus Pro n'a pas pu être joint : vérifiez l'accès Internet du serveur. "
            "Détail technique : connection to api.piste.gouv.fr failed (RemoteDisconnected)",
        )
        account = ChorusAccountError("Chorus Pro refused the technical account", status=401)
        text = chorus_error_message(french, account)
        self.assertTrue(text.startswith("Chorus Pro a refusé le compte technique"), text)
        self.assertTrue(text.endswith("Détail technique : " + str(account)), text)
        # Chorus's own refusal is its text and code, said once
        refused = ChorusFunctionalError("refused", code=20002, libelle="Structure fermée")
        self.assertEqual(
            chorus_error_message(french, refused),
            "Chorus Pro a répondu par une erreur : Structure fermée (code 20002)",
        )

    # ------------------------------------------------- defect 5: asked to wait long
    def test_a_poll_told_to_wait_long_runs_again_when_allowed(self):
        # an invoice integrated in Chorus Pro: the poll searches for its changes
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        before = fields.Datetime.now()
        self.sandbox_fault(
            "/cpro/factures/v1/rechercher/fournisseur", "429", count=10, retry_after=3600
        )
        run = self.env(context={})["chorus.poll.run"]._poll_company(self.company, "cron")
        self.assertEqual(run.state, "failed")
        self.assertIn("runs again", run.log)
        # the trigger is committed apart from the job (its rollback must not drop it)
        cron_id = self.env.ref("duret_chorus.ir_cron_chorus_poll").id
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM ir_cron_trigger WHERE cron_id = %s AND call_at >= %s RETURNING 1",
                (cron_id, before + timedelta(seconds=3590)),
            )
            self.assertEqual(len(cr.fetchall()), 1)
        # a button click is the accountant's: told, nothing scheduled behind their back
        run = self.env["chorus.poll.run"]._poll_company(self.company, "manual")
        self.assertNotIn("runs again", run.log)

    # ---------------------------------------------------- defect 6: time budget
    def test_a_poll_reports_the_time_its_remote_calls_used(self):
        run = self.poll()
        self.assertEqual(run.state, "done", run.log)
        self.assertIn("of a 300 s budget", run.log.splitlines()[-1])

    # --------------------------------------------- access rights, multi-company
    def test_deposits_and_status_steps_stay_in_their_company(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        move._chorus_send()
        move.write({"chorus_state": "integrated", "chorus_invoice_id": 1})
        move._chorus_sync_history(
            {
                "idFacture": 1,
                "historiquesDesStatuts": {
                    "histoStatut": [
                        {"histoStatutId": 9, "histoStatutCode": "DEPOSEE",
                         "histoStatutDatePassage": "2026-03-10 17:09"}
                    ]
                },
            }
        )  # fmt: skip
        other = self.env["res.company"].create({"name": "Autre société"})
        outsider = new_test_user(
            self.env,
            login="cf_other_accountant",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        for model in ("chorus.flow", "chorus.invoice.status"):
            self.assertTrue(self.env[model].with_user(self.accountant).search([]))
            outside = self.env(user=outsider, context={"allowed_company_ids": other.ids})
            self.assertFalse(outside[model].search([]), model)
        # an employee reads the timeline of invoices but cannot forge a step
        line = move.chorus_status_ids
        self.assertEqual(line.with_user(self.employee).read(["code"])[0]["code"], "DEPOSEE")
        with self.assertRaises(AccessError):
            line.with_user(self.employee).write({"code": "MISE_EN_PAIEMENT"})
        with self.assertRaises(AccessError):
            self.env["chorus.flow"].with_user(self.employee).search([])
