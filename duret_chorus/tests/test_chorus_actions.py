"""Acting on a status from Odoo, end to end over HTTP against the sandbox:
Compléter (SUSPENDUE), Recycler (A_RECYCLER), rejection handled (REJETEE)."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ALBERTVILLE, ChorusCase

COMPLETE = "/cpro/factures/v1/completer"
RECYCLE = "/cpro/factures/v1/recycler"
REJECTION = "/cpro/factures/v1/traiterRejet"
ATTACH = "/cpro/transverses/v1/ajouter/fichier"


@tagged("post_install", "-at_install")
class TestChorusActions(ChorusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.albertville = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)
        services = cls.albertville.chorus_service_ids
        cls.tech = services.filtered(lambda s: s.code == "SERV-TECH")
        cls.finances = services.filtered(lambda s: s.code == "FINANCES")

    def setUp(self):
        super().setUp()
        self.sandbox_reset()

    def integrated(self, status=None, comment=None):
        move = self.make_invoice(self.albertville, chorus_service_id=self.tech.id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        if status:
            spec = {"numeroFacture": move.name, "statut": status}
            if comment:
                spec["commentaire"] = comment
            self.sandbox_admin("POST", "chorus/advance", spec)
            self.poll()
            self.assertEqual(move.chorus_status, status)
        return move

    def requests(self, path):
        return [
            entry
            for entry in self.sandbox_admin("GET", "log")
            if entry["path"] == path and entry["status"] != 401
        ]

    def chorus(self, move):
        (invoice,) = self.sandbox_invoices(move.name)
        return invoice

    def wizard(self, action):
        return Form(self.env[action["res_model"]].with_context(**action["context"]))

    # ----------------------------------------------------------- compléter
    def test_complete_a_suspended_invoice_with_a_document(self):
        move = self.integrated("SUSPENDUE", "Procès-verbal de réception manquant")
        self.assertEqual(move.chorus_status_comment, "Procès-verbal de réception manquant")
        pv = self.env["ir.attachment"].create(
            {"name": "pv_reception.pdf", "raw": b"%PDF-1.4 PV", "mimetype": "application/pdf"}
        )
        form = self.wizard(move.action_chorus_complete())
        self.assertEqual(form.reason, "Procès-verbal de réception manquant")
        form.comment = "PV de réception signé joint"
        form.attachment_ids.add(pv)
        form.save().action_complete()

        self.assertEqual(len(self.requests(ATTACH)), 1)
        self.assertEqual(len(self.requests(COMPLETE)), 1)
        invoice = self.chorus(move)
        self.assertEqual(invoice["statut"], "COMPLETEE")
        self.assertEqual(invoice["piecesJointesComplementaires"], ["pv_reception.pdf"])
        # in Odoo at once, with Chorus's date, and the suspension's activity is done
        self.assertEqual(move.chorus_status, "COMPLETEE")
        self.assertEqual(
            move.chorus_status_ids.mapped("code"), ["DEPOSEE", "SUSPENDUE", "COMPLETEE"]
        )
        self.assertFalse(move.activity_ids)
        self.assertFalse(move.chorus_done)
        # polling goes on: the buyer takes it up again
        self.sandbox_admin("POST", "chorus/advance", {"numeroFacture": move.name})
        self.poll()
        self.assertEqual(move.chorus_status, "MISE_A_DISPOSITION")

    def test_complete_checks_chorus_limits_before_any_call(self):
        move = self.integrated("SUSPENDUE")
        form = self.wizard(move.action_chorus_complete())
        form.comment = "Voir pièce"
        form.attachment_ids.add(
            self.env["ir.attachment"].create({"name": "macro.exe", "raw": b"MZ"})
        )
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "macro.exe"):
            wizard.action_complete()
        self.assertEqual(self.requests(ATTACH) + self.requests(COMPLETE), [])
        empty = self.wizard(move.action_chorus_complete()).save()
        with self.assertRaisesRegex(UserError, "answer"):
            empty.action_complete()

    def test_complete_refused_by_chorus_shows_its_reason(self):
        move = self.integrated("SUSPENDUE")
        # the buyer took it back meanwhile: Chorus refuses, the text says why
        self.sandbox_admin(
            "POST", "chorus/advance", {"numeroFacture": move.name, "statut": "COMPLETEE"}
        )
        form = self.wizard(move.action_chorus_complete())
        form.comment = "Complément"
        with self.assertRaisesRegex(UserError, "SUSPENDUE"):
            form.save().action_complete()

    # ------------------------------------------------------------ recycler
    def test_redirect_an_invoice_to_another_service(self):
        move = self.integrated("A_RECYCLER", "Adressée au mauvais service")
        form = self.wizard(move.action_chorus_recycle())
        self.assertEqual(form.partner_id, self.albertville)
        form.service_id = self.finances
        form.legal_commitment = "EJ-2026-000777"
        form.comment = "Service des finances"
        form.save().action_recycle()
        (request,) = self.requests(RECYCLE)
        invoice = self.chorus(move)
        self.assertEqual(invoice["codeServiceExecutant"], "FINANCES")
        self.assertEqual(invoice["numeroBonCommande"], "EJ-2026-000777")
        self.assertEqual(move.chorus_service_id, self.finances)
        self.assertEqual(move.buyer_reference, "FINANCES")
        self.assertEqual(move.chorus_status, "EN_COURS_ACHEMINEMENT")
        self.assertEqual(
            move.chorus_status_ids[-2:].mapped("code"), ["A_RECYCLER", "EN_COURS_ACHEMINEMENT"]
        )

    # ------------------------------------------------------------ rejection
    def test_rejected_fixed_and_resent_marks_the_rejection_handled(self):
        move = self.integrated("REJETEE", "Montant non conforme au devis")
        old_id = move.chorus_invoice_id
        self.assertTrue(move.chorus_done)
        self.assertEqual(move.chorus_status_comment, "Montant non conforme au devis")
        self.assertTrue(move._chorus_sendable())
        result = move._chorus_send()
        self.assertEqual(result["sent"], move)
        (request,) = self.requests(REJECTION)
        old = [i for i in self.sandbox_invoices(move.name) if i["identifiantFactureCPP"] == old_id]
        self.assertTrue(old[0]["rejetTraite"])
        self.assertTrue(move.chorus_rejection_handled)
        self.assertFalse(move.chorus_status_comment)
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        self.assertEqual(move.chorus_status, "DEPOSEE")
        self.assertNotEqual(move.chorus_invoice_id, old_id)
        # both Chorus invoices' steps stay on the invoice, each with its deposit
        self.assertEqual(move.chorus_status_ids.mapped("code"), ["DEPOSEE", "REJETEE", "DEPOSEE"])
        self.assertEqual(len(move.chorus_status_ids.flow_id), 2)

    def test_rejection_handled_without_resending(self):
        move = self.integrated("REJETEE")
        move.action_chorus_rejection_handled()
        self.assertTrue(move.chorus_rejection_handled)
        self.assertEqual(len(self.requests(REJECTION)), 1)
        self.assertTrue(self.chorus(move)["rejetTraite"])
        with self.assertRaises(UserError):
            self.integrated().action_chorus_rejection_handled()
