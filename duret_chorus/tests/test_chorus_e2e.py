"""End-to-end: send, flows, statuses and lost answers, over real HTTP against the sandbox."""

import io
from unittest.mock import patch

from pypdf import PdfReader

from odoo.tests import tagged

from ..lib.chorus_client import ChorusClient
from ..lib.errors import TransportError
from .common import CHAMBERY, DEPOSIT, ChorusAlbertvilleCase


@tagged("post_install", "-at_install")
class TestChorusEndToEnd(ChorusAlbertvilleCase):
    def _sent_invoice(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        result = move._chorus_send()
        self.assertEqual(result["sent"], move)
        return move

    def _advance(self, move, status, comment=None):
        payload = {"numeroFacture": move.name, "statut": status}
        if comment:
            payload["commentaire"] = comment
        self.sandbox_admin("POST", "chorus/advance", payload)

    def test_send_then_poll_until_payment(self):
        move = self._sent_invoice()
        self.assertEqual(move.chorus_state, "sent")
        self.assertTrue(move.chorus_flow_number.startswith("CPP"))
        self.assertEqual(move.buyer_reference, "SERV-TECH")
        # the exact file sent is kept, and it is a Factur-X PDF
        data = move.chorus_attachment_id.raw
        self.assertTrue(data.startswith(b"%PDF"))
        names = list(PdfReader(io.BytesIO(data)).attachments)
        self.assertIn("factur-x.xml", names)
        self.assertEqual(self.sandbox_calls(DEPOSIT), 1)

        # first report: the flow is still being processed
        self.poll()
        self.assertEqual(move.chorus_state, "sent")
        # second report: integrated, the Chorus invoice id is linked
        run = self.poll()
        self.assertEqual(run.state, "done")
        self.assertEqual(move.chorus_state, "integrated")
        chorus = self.sandbox_invoices(move.name)
        self.assertEqual(len(chorus), 1)
        self.assertEqual(move.chorus_invoice_id, chorus[0]["identifiantFactureCPP"])
        self.assertEqual(move.chorus_status, "DEPOSEE")

        for status in ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE"):
            self._advance(move, status)
        self._advance(move, "MISE_EN_PAIEMENT")
        run = self.poll()
        self.assertEqual(move.chorus_status, "MISE_EN_PAIEMENT")
        self.assertTrue(move.chorus_done)
        self.assertGreaterEqual(run.changes, 1)
        # shown in the chatter, but not reconciled by itself
        self.assertIn("not reconciled automatically", move.message_ids[0].body)
        self.assertEqual(move.payment_state, "not_paid")
        # a terminal invoice is no longer part of the polled invoices
        self.assertNotIn(move, self.env["account.move"].search([("chorus_done", "=", False)]))

    def test_flow_rejected_then_corrected_and_resent(self):
        # Chambéry requires an EJ; our copy of its settings is stale, so Chorus rejects.
        chambery = self.make_buyer("Commune de Chambéry", CHAMBERY)
        chambery.chorus_ej_required = False
        move = self.make_invoice(chambery)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "flow_rejected")
        self.assertIn("engagement juridique", move.chorus_flow_errors)
        activity = move.activity_ids.filtered(lambda a: "rejected" in (a.summary or ""))
        self.assertTrue(activity)
        self.assertIn("engagement juridique", str(activity.note))
        rejected = self.env["account.move"].search(
            [("chorus_state", "=", "flow_rejected"), ("id", "=", move.id)]
        )
        self.assertEqual(rejected, move)

        # corrected: the invoice can be sent again and is integrated
        move.purchase_order_reference = "EJ-2026-000123"
        self.assertTrue(move._chorus_sendable())
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        self.assertEqual(self.sandbox_calls(DEPOSIT), 2)

    def test_legal_commitment_checked_before_sending_unknown_is_a_warning(self):
        chambery = self.make_buyer("Commune de Chambéry", CHAMBERY)
        self.assertTrue(chambery.chorus_ej_required)
        ej_calls = "/cpro/engagementsJuridiques/v1/rechercher"
        known = self.make_invoice(chambery, purchase_order_reference="EJ-2026-000123")
        known._chorus_send()
        self.assertEqual(known.chorus_state, "sent")
        self.assertEqual(self.sandbox_calls(ej_calls), 1)
        self.assertFalse(known.message_ids.filtered(lambda m: "EJ-2026-000123" in m.body))

        # not registered in Chorus (or no longer an order): sent anyway, with a warning
        unknown = self.make_invoice(chambery, purchase_order_reference="EJ-2025-000987")
        result = unknown._chorus_send()
        self.assertEqual(result["sent"], unknown)
        self.assertEqual(self.sandbox_calls(ej_calls), 2)
        self.assertEqual(self.sandbox_calls(DEPOSIT), 2)
        warning = unknown.message_ids.filtered(lambda m: "EJ-2025-000987" in m.body)
        self.assertEqual(len(warning), 1)
        self.assertIn("not registered in Chorus Pro", warning.body)

    def test_suspended_invoice_gets_an_activity_with_the_reason(self):
        move = self._sent_invoice()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        self._advance(move, "SUSPENDUE", "Bon de commande n° 42 manquant")
        self.sandbox_reset_log()
        run = self.poll()
        self.assertEqual(move.chorus_status, "SUSPENDUE")
        self.assertFalse(move.chorus_done)
        activity = move.activity_ids.filtered(lambda a: "Suspended" in (a.summary or ""))
        self.assertTrue(activity)
        self.assertIn("Bon de commande n° 42 manquant", str(activity.note))
        self.assertIn("Bon de commande n° 42 manquant", move.message_ids[0].body)
        self.assertEqual(self.sandbox_calls("/cpro/factures/v1/consulter/historique"), 1)
        self.assertEqual(run.error_count, 0)
        # the filter "Chorus action needed" finds it
        needing = self.env["account.move"].search(
            [("chorus_status", "in", ("SUSPENDUE", "A_RECYCLER", "A_COMPLETER"))]
        )
        self.assertIn(move, needing)

    def sandbox_reset_log(self):
        """Forget the calls so far without resetting the emulated Chorus state."""
        self._calls_offset = len(self.sandbox_admin("GET", "log"))

    def sandbox_calls(self, path_prefix):
        """Calls that reached Chorus (a 401 asking for a fresh token is not one)."""
        log = self.sandbox_admin("GET", "log")[getattr(self, "_calls_offset", 0) :]
        return sum(
            1 for entry in log if entry["path"].startswith(path_prefix) and entry["status"] != 401
        )

    def test_connection_dropped_during_send_is_never_resent(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        self.sandbox_fault(DEPOSIT, "drop", 1)
        result = move._chorus_send()
        self.assertEqual(result["uncertain"], move)
        self.assertEqual(move.chorus_state, "uncertain")
        self.assertFalse(move._chorus_sendable())
        with self.assertRaisesRegex(Exception, "already sent"):
            move._chorus_send()
        # the poll looks for it by number, finds nothing, and does not re-send
        self.poll()
        self.assertEqual(move.chorus_state, "uncertain")
        self.assertEqual(self.sandbox_calls(DEPOSIT), 1)
        # a person confirms that Chorus did not get it: it can be sent, once
        move.action_chorus_mark_not_received()
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        self.assertEqual(len(self.sandbox_invoices(move.name)), 1)

    def test_answer_lost_after_arrival_is_resolved_without_duplicate(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        real_deposit = ChorusClient.deposit_flow
        states_at_call = []

        def deposit_then_lose_answer(client, *args, **kwargs):
            states_at_call.append(move.chorus_state)
            real_deposit(client, *args, **kwargs)
            raise TransportError("connection reset", request_may_have_arrived=True)

        with patch.object(ChorusClient, "deposit_flow", deposit_then_lose_answer):
            move._chorus_send()
        self.assertEqual(states_at_call, ["sending"])
        self.assertEqual(move.chorus_state, "uncertain")
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        chorus = self.sandbox_invoices(move.name)
        self.assertEqual(len(chorus), 1)
        self.assertEqual(move.chorus_invoice_id, chorus[0]["identifiantFactureCPP"])
        self.assertEqual(move.chorus_flow_number, chorus[0]["numeroFluxDepot"])
        self.assertEqual(self.sandbox_calls(DEPOSIT), 1)

    def test_crash_during_send_leaves_uncertain(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        with patch.object(ChorusClient, "deposit_flow", side_effect=RuntimeError("worker died")):
            try:
                move._chorus_send()
            except RuntimeError:
                pass
        self.assertEqual(move.chorus_state, "uncertain")
        self.assertFalse(move._chorus_sendable())

    def test_update_button_and_auto_send(self):
        self.company.chorus_auto_send = True
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        self.assertTrue(move.chorus_send_pending)
        self.env["account.move"]._cron_chorus_auto_send()
        self.assertEqual(move.chorus_state, "sent")
        self.assertFalse(move.chorus_send_pending)
        self.sandbox_admin("POST", "chorus/process_flows")
        move.action_chorus_update()
        self.assertEqual(move.chorus_state, "integrated")
        self._advance(move, "EN_COURS_ACHEMINEMENT")
        move.action_chorus_update()
        self.assertEqual(move.chorus_status, "EN_COURS_ACHEMINEMENT")

    def test_extra_document_is_embedded_through_the_wizard(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        pv = self.env["ir.attachment"].create(
            {
                "name": "pv_reception.txt",
                "raw": b"PV de reception sans reserve",
                "mimetype": "text/plain",
            }
        )
        action = move.action_chorus_send()
        wizard = (
            self.env[action["res_model"]]
            .with_context(action["context"])
            .create({"attachment_ids": [(6, 0, pv.ids)]})
        )
        self.assertEqual(wizard.move_ids, move)
        notification = wizard.action_send()
        self.assertEqual(notification["params"]["type"], "success")
        self.assertEqual(move.chorus_state, "sent")
        embedded = PdfReader(io.BytesIO(move.chorus_attachment_id.raw)).attachments
        self.assertIn("pv_reception.txt", embedded)
        self.assertIn("factur-x.xml", embedded)
