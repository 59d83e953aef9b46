"""Answer shapes other Chorus clients recorded (issue 9, point 7), end to end over HTTP.

Each test asks the sandbox for the shape (``/_sandbox/chorus/shape``) and ends
on the state the invoice must be in.
"""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DEPOSIT, UGINE, ChorusAlbertvilleCase

SEARCH = "factures/v1/rechercher/fournisseur"
HISTORY = "factures/v1/consulter/historique"


@tagged("post_install", "-at_install")
class TestChorusAnswerShapes(ChorusAlbertvilleCase):
    def shape(self, route, shape, **options):
        self.sandbox_admin("POST", "chorus/shape", {"route": route, "shape": shape, **options})

    def invoice(self):
        return self.make_invoice(self.albertville, chorus_service_id=self.service.id)

    def integrated(self):
        move = self.invoice()
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        return move

    def test_deposit_without_flow_number_becomes_uncertain_then_found(self):
        move = self.invoice()
        self.shape(DEPOSIT.removeprefix("/cpro/"), "no_flow_number")
        result = move._chorus_send()
        self.assertEqual(result["uncertain"], move)
        self.assertEqual(move.chorus_state, "uncertain")
        self.assertFalse(move.chorus_flow_number)
        self.assertIn("without flow number", move.message_ids[0].body)
        self.assertFalse(move._chorus_sendable())
        # the poll searches it by number and links it, never deposits it again
        self.sandbox_admin("POST", "chorus/process_flows")
        run = self.poll()
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(move.chorus_state, "integrated")
        self.assertEqual(move.chorus_status, "DEPOSEE")
        self.assertTrue(move.chorus_flow_number.startswith("CPP"))
        deposits = [
            e
            for e in self.sandbox_admin("GET", "log")
            if e["path"] == DEPOSIT and e["status"] != 401
        ]
        self.assertEqual(len(deposits), 1)

    def test_retour_fonctionnel_on_deposit_is_an_error_with_its_text(self):
        move = self.invoice()
        self.shape(DEPOSIT.removeprefix("/cpro/"), "retour_fonctionnel", libelle="Structure fermée")
        with self.assertRaisesRegex(UserError, "Structure fermée"):
            move._chorus_send()
        # refused for sure: back to "not sent", it can be sent once fixed
        self.assertEqual(move.chorus_state, "not_sent")
        self.assertTrue(move._chorus_sendable())
        self.assertEqual(move._chorus_send()["sent"], move)
        self.assertEqual(move.chorus_state, "sent")

    def test_pascal_case_envelope_on_4xx_in_a_poll_is_logged_and_retried(self):
        move = self.integrated()
        self.sandbox_admin(
            "POST",
            "chorus/advance",
            {"numeroFacture": move.name, "statut": "EN_COURS_ACHEMINEMENT"},
        )
        self.shape(HISTORY, "retour_fonctionnel_pascal", status=400, libelle="Service indisponible")
        run = self.poll()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.error_count, 1)
        self.assertIn("Service indisponible", run.log)
        self.assertIn(move.name, run.log)
        self.assertEqual(move.chorus_status, "DEPOSEE")
        # the next run looks again and gets it
        run = self.poll()
        self.assertEqual(run.error_count, 0, run.log)
        self.assertEqual(move.chorus_status, "EN_COURS_ACHEMINEMENT")
        self.assertEqual(
            move.chorus_status_ids.mapped("code"), ["DEPOSEE", "EN_COURS_ACHEMINEMENT"]
        )

    def test_search_item_without_id_is_reported_and_the_run_completes(self):
        first, second = self.integrated(), self.integrated()
        for move in (first, second):
            self.sandbox_admin(
                "POST",
                "chorus/advance",
                {"numeroFacture": move.name, "statut": "MISE_A_DISPOSITION"},
            )
        # the sandbox lists by Chorus id: the first invoice's item loses its id
        self.shape(SEARCH, "item_without_id")
        run = self.poll()
        self.assertEqual(run.state, "done", run.log)
        self.assertEqual(run.error_count, 1)
        self.assertIn("without identifier", run.log)
        self.assertIn(first.name, run.log)
        self.assertEqual(second.chorus_status, "MISE_A_DISPOSITION")

    def test_structure_search_answering_one_object(self):
        self.shape("structures/v1/rechercher", "single_object")
        buyer = self.make_buyer("Commune d'Ugine", UGINE)
        self.assertTrue(buyer.chorus_structure_id)
