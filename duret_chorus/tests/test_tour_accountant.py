"""Browser tours of the accountant's Chorus Pro day (issue 16): post → send → suspended →
complete → paid; rejected → corrected → sent again. The sandbox plays the buyer."""

from odoo.tests import HttpCase, tagged

from .common import ALBERTVILLE, ChorusTourMixin


@tagged("post_install", "-at_install")
class TestChorusAccountantTour(ChorusTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chorus_company()
        cls.setup_tour_accountant("cf_tour_accountant")
        cls.buyer = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)

    def setUp(self):
        super().setUp()
        self.sandbox_reset()

    def integrated_invoice(self, status, comment):
        move = self.make_invoice(self.buyer, chorus_service_id=self.buyer.chorus_service_ids[:1].id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        for step in ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION"):
            self.sandbox_admin(
                "POST", "chorus/advance", {"numeroFacture": move.name, "statut": step}
            )
        self.sandbox_admin(
            "POST",
            "chorus/advance",
            {"numeroFacture": move.name, "statut": status, "commentaire": comment},
        )
        self.poll()
        self.assertEqual(move.chorus_status, status)
        return move

    def test_suspended_completed_then_paid(self):
        move = self.integrated_invoice("SUSPENDUE", "Procès-verbal de réception manquant")
        self.tour_as(self.accountant, "duret_chorus_complete_tour", move)
        self.assertEqual(move.chorus_status, "COMPLETEE")
        self.assertEqual(self.sandbox_invoices(move.name)[0]["statut"], "COMPLETEE")
        # the buyer takes it up and pays; the accountant clicks "update"
        for step in ("MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT"):
            self.sandbox_admin(
                "POST", "chorus/advance", {"numeroFacture": move.name, "statut": step}
            )
        self.tour_as(self.accountant, "duret_chorus_paid_tour", move)
        self.assertEqual(move.chorus_stage, "paid")
        self.assertEqual(
            move.chorus_status_ids.mapped("code"),
            [
                "DEPOSEE",
                "EN_COURS_ACHEMINEMENT",
                "MISE_A_DISPOSITION",
                "SUSPENDUE",
                "COMPLETEE",
                "MISE_A_DISPOSITION",
                "SERVICE_FAIT",
                "MANDATEE",
                "MISE_EN_PAIEMENT",
            ],
        )

    def test_rejected_then_sent_again(self):
        move = self.integrated_invoice("REJETEE", "Montant non conforme au devis accepté")
        with self.chorus_file_rendered_here(move):
            self.tour_as(self.accountant, "duret_chorus_resend_tour", move)
        self.assertEqual(move.chorus_state, "sent")
        self.assertTrue(move.chorus_rejection_handled)
        self.assertEqual(
            len(self.sandbox_invoices(move.name)), 1
        )  # the new one comes with its flow
