"""chorus.invoice.status: every step Chorus reports, with Chorus's date, exactly once."""

from datetime import datetime

from odoo.tests import tagged

from ..lib import wire
from .common import ALBERTVILLE, ChorusAlbertvilleCase, ChorusCase

HISTORY = "/cpro/factures/v1/consulter/historique"
SEARCH = "/cpro/factures/v1/rechercher/fournisseur"


def history_answer(id_facture, *steps, current=None):
    """A ``consulter/historique`` answer, steps given as (id, code, "YYYY-MM-DD HH:MM", comment),
    listed newest first as Chorus answers."""
    return {
        "codeRetour": 0,
        "idFacture": id_facture,
        "statutCourantCode": current or steps[0][1],
        "historiquesDesStatuts": {
            "histoStatut": [
                {
                    "histoStatutId": number,
                    "histoStatutCode": code,
                    "histoStatutDatePassage": date,
                    "histoStatutCommentaire": comment,
                }
                for number, code, date, comment in steps
            ],
            "pagesHistoStatut": 1,
        },
    }


@tagged("post_install", "-at_install")
class TestChorusStatusHistoryUnit(ChorusCase):
    """The one algorithm, on hand-written answers (Paris wall clock → UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)

    def _integrated(self):
        move = self.make_invoice(self.buyer)
        move.write({"chorus_state": "integrated", "chorus_invoice_id": 8316845})
        return move

    def test_newest_first_history_gives_every_step_and_the_latest_by_date(self):
        move = self._integrated()
        answer = history_answer(
            8316845,
            (45, "SUSPENDUE", "2026-03-14 09:12", "Bon de commande manquant"),
            (44, "MISE_A_DISPOSITION", "2026-03-11 08:00", None),
            (43, "EN_COURS_ACHEMINEMENT", "2026-03-10 17:10", None),
            (42, "DEPOSEE", "2026-03-10 17:09", None),
        )
        self.assertTrue(move._chorus_sync_history(answer))
        lines = move.chorus_status_ids
        self.assertEqual(
            lines.mapped("code"),
            ["DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "SUSPENDUE"],
        )
        # Paris winter time = UTC+1
        self.assertEqual(lines[0].date, datetime(2026, 3, 10, 16, 9))
        self.assertEqual(lines[-1].date, datetime(2026, 3, 14, 8, 12))
        self.assertEqual(lines[-1].comment, "Bon de commande manquant")
        self.assertEqual(lines.mapped("history_number"), [42, 43, 44, 45])
        self.assertEqual(lines.company_id, self.company)
        self.assertEqual(move.chorus_status, "SUSPENDUE")
        self.assertEqual(move.chorus_status_date, datetime(2026, 3, 14, 8, 12))
        self.assertEqual(move.chorus_status_comment, "Bon de commande manquant")
        activity = move.activity_ids.filtered(lambda a: "Suspended" in (a.summary or ""))
        self.assertIn("Bon de commande manquant", str(activity.note))

        # the same answer again: nothing new, no second line, no second activity
        self.assertFalse(move._chorus_sync_history(answer))
        self.assertEqual(len(move.chorus_status_ids), 4)
        self.assertEqual(len(move.activity_ids), 1)

    def test_latest_picked_by_date_not_by_position(self):
        """A history whose first entry is not the newest (an older suspension listed
        first): the current status is the newest by date, with its own comment."""
        move = self._integrated()
        answer = history_answer(
            8316845,
            (50, "SUSPENDUE", "2026-03-12 10:00", "Pièce manquante"),
            (52, "SUSPENDUE", "2026-03-20 14:30", "RIB illisible"),
            (51, "COMPLETEE", "2026-03-15 11:00", None),
            (49, "DEPOSEE", "2026-03-10 17:09", None),
        )
        move._chorus_sync_history(answer)
        self.assertEqual(move.chorus_status, "SUSPENDUE")
        self.assertEqual(move.chorus_status_comment, "RIB illisible")
        self.assertEqual(move.chorus_status_date, datetime(2026, 3, 20, 13, 30))
        self.assertEqual(
            move.chorus_status_ids.mapped("code"),
            ["DEPOSEE", "SUSPENDUE", "COMPLETEE", "SUSPENDUE"],
        )

    def test_same_minute_steps_ordered_by_chorus_id(self):
        entries = wire.history_entries(
            history_answer(
                1,
                (7, "MISE_A_DISPOSITION", "2026-03-10 17:09", None),
                (6, "EN_COURS_ACHEMINEMENT", "2026-03-10 17:09", None),
                (5, "DEPOSEE", "2026-03-10 17:09", None),
            )
        )
        self.assertEqual(wire.latest_entry(entries).code, "MISE_A_DISPOSITION")
        self.assertEqual([e.number for e in entries], [5, 6, 7])

    def test_new_steps_appended_once_and_a_status_re_entered_is_a_new_step(self):
        move = self._integrated()
        move._chorus_sync_history(
            history_answer(
                8316845,
                (61, "SUSPENDUE", "2026-03-12 10:00", "Pièce manquante"),
                (60, "DEPOSEE", "2026-03-10 17:09", None),
            )
        )
        # completed, then suspended again for another reason, all between two polls
        changed = move._chorus_sync_history(
            history_answer(
                8316845,
                (63, "SUSPENDUE", "2026-03-16 09:00", "Attestation manquante"),
                (62, "COMPLETEE", "2026-03-13 08:00", None),
                (61, "SUSPENDUE", "2026-03-12 10:00", "Pièce manquante"),
                (60, "DEPOSEE", "2026-03-10 17:09", None),
            )
        )
        self.assertTrue(changed)
        self.assertEqual(len(move.chorus_status_ids), 4)
        self.assertEqual(move.chorus_status_comment, "Attestation manquante")
        notes = " ".join(str(a.note) for a in move.activity_ids)
        self.assertIn("Attestation manquante", notes)

    def test_history_without_steps_keeps_the_current_code(self):
        move = self._integrated()
        move._chorus_sync_history({"idFacture": 8316845, "statutCourantCode": "DEPOSEE"})
        self.assertEqual(move.chorus_status, "DEPOSEE")
        self.assertFalse(move.chorus_status_ids)

    def test_lines_follow_the_invoice_and_its_company(self):
        move = self._integrated()
        move._chorus_sync_history(
            history_answer(8316845, (70, "DEPOSEE", "2026-03-10 17:09", None))
        )
        line = move.chorus_status_ids
        self.assertEqual(line.move_id, move)
        self.assertEqual(line.with_context(lang="fr_FR").label, "Déposée")
        move.button_draft()
        move.with_context(force_delete=True).unlink()
        self.assertFalse(line.exists())


@tagged("post_install", "-at_install")
class TestChorusStatusHistoryEndToEnd(ChorusAlbertvilleCase):
    """Poll and "Update" button over HTTP against the sandbox: the same lines."""

    def _integrated_invoice(self):
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.assertEqual(move.chorus_state, "integrated")
        return move

    def _chorus_history(self, move):
        """The sandbox's own record of the invoice, history oldest first."""
        (invoice,) = [
            i
            for i in self.sandbox_admin("GET", "chorus/invoices")
            if i["numeroFacture"] == move.name
        ]
        return invoice

    def _calls(self, path):
        log = self.sandbox_admin("GET", "log")[self._offset :]
        return sum(1 for e in log if e["path"] == path and e["status"] != 401)

    def test_a_poll_jumping_several_steps_keeps_each_with_its_date(self):
        move = self._integrated_invoice()
        self.assertEqual(move.chorus_status_ids.mapped("code"), ["DEPOSEE"])
        self._offset = len(self.sandbox_admin("GET", "log"))
        for status in ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "SERVICE_FAIT"):
            self.sandbox_admin(
                "POST", "chorus/advance", {"numeroFacture": move.name, "statut": status}
            )
        self.sandbox_admin(
            "POST",
            "chorus/advance",
            {"numeroFacture": move.name, "statut": "SUSPENDUE", "commentaire": "PV manquant"},
        )
        self.sandbox_admin(
            "POST", "chorus/advance", {"numeroFacture": move.name, "statut": "COMPLETEE"}
        )
        self.sandbox_admin(
            "POST", "chorus/advance", {"numeroFacture": move.name, "statut": "MANDATEE"}
        )
        self.sandbox_admin(
            "POST", "chorus/advance", {"numeroFacture": move.name, "statut": "MISE_EN_PAIEMENT"}
        )
        run = self.poll()
        self.assertEqual(run.state, "done", run.log)
        expected = [
            "DEPOSEE",
            "EN_COURS_ACHEMINEMENT",
            "MISE_A_DISPOSITION",
            "SERVICE_FAIT",
            "SUSPENDUE",
            "COMPLETEE",
            "MANDATEE",
            "MISE_EN_PAIEMENT",
        ]
        self.assertEqual(move.chorus_status_ids.mapped("code"), expected)
        self.assertEqual(move.chorus_status, "MISE_EN_PAIEMENT")
        self.assertTrue(move.chorus_done)
        suspended = move.chorus_status_ids.filtered(lambda line: line.code == "SUSPENDUE")
        self.assertEqual(suspended.comment, "PV manquant")
        # the dates are Chorus's own (minute precision), not the poll's
        sandbox = self._chorus_history(move)["historique"]
        self.assertEqual([e["statut"] for e in sandbox], expected)
        for line, entry in zip(move.chorus_status_ids, sandbox, strict=True):
            exact = wire.parse_chorus_datetime(entry["dateHeure"])
            self.assertEqual(line.date, exact.replace(second=0, microsecond=0))
        # cost: one search page + one history for the one changed invoice (+ token)
        self.assertEqual(self._calls(SEARCH), 1)
        self.assertEqual(self._calls(HISTORY), 1)

        # a second poll and the button add nothing
        self.poll()
        move.action_chorus_update()
        self.assertEqual(len(move.chorus_status_ids), len(expected))

    def test_update_button_and_poll_share_one_algorithm(self):
        move = self._integrated_invoice()
        other = self._integrated_invoice()
        for invoice in (move, other):
            self.sandbox_admin(
                "POST",
                "chorus/advance",
                {"numeroFacture": invoice.name, "statut": "EN_COURS_ACHEMINEMENT"},
            )
            self.sandbox_admin(
                "POST",
                "chorus/advance",
                {"numeroFacture": invoice.name, "statut": "REJETEE", "commentaire": "Montant faux"},
            )
        move.action_chorus_update()  # the button on one invoice
        self.poll()  # the cron for the other (and finds nothing new on the first)
        for invoice in (move, other):
            self.assertEqual(
                invoice.chorus_status_ids.mapped("code"),
                ["DEPOSEE", "EN_COURS_ACHEMINEMENT", "REJETEE"],
            )
            self.assertEqual(invoice.chorus_status, "REJETEE")
            self.assertEqual(invoice.chorus_status_comment, "Montant faux")
            self.assertEqual(
                len(invoice.activity_ids.filtered(lambda a: "Rejected" in (a.summary or ""))), 1
            )
