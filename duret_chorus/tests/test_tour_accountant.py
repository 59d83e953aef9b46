"""Browser tours of the accountant's Chorus Pro day (issue 16): post → send → suspended →
complete → paid; rejected → corrected → sent again; the invoice list brought up to date
with "Mettre à jour les statuts". The sandbox plays the buyer. Each screen is saved as a
PNG (``$DURET_SCREENS_DIR``, default ``/tmp/duret_screens``) for a human to look at."""

from odoo.addons.duret_procurement.tests.common import ACCOUNTANT
from odoo.addons.duret_procurement.tests.screens import ScreenshotTourMixin
from odoo.tests import HttpCase, tagged

from .common import ALBERTVILLE, ChorusTourMixin


@tagged("post_install", "-at_install")
class TestChorusAccountantTour(ScreenshotTourMixin, ChorusTourMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chorus_company()
        # the Chorus Pro menus sit in the Marchés publics app
        cls.setup_tour_accountant(
            "cf_tour_accountant", groups=ACCOUNTANT + ",duret_procurement.group_user"
        )
        cls.buyer = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)

    def setUp(self):
        super().setUp()
        self.sandbox_reset()

    def integrated_invoice(self, status, comment):
        """An invoice made available to the buyer, then given ``status`` by the buyer."""
        move = self.make_invoice(self.buyer, chorus_service_id=self.buyer.chorus_service_ids[:1].id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        for step in ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION"):
            self.sandbox_admin(
                "POST", "chorus/advance", {"numeroFacture": move.name, "statut": step}
            )
        if status:
            self.sandbox_admin(
                "POST",
                "chorus/advance",
                {"numeroFacture": move.name, "statut": status, "commentaire": comment},
            )
        self.poll()
        self.assertEqual(move.chorus_status, status or "MISE_A_DISPOSITION")
        return move

    def tour(self, move, name, screens):
        saved = self.start_tour_with_screens(
            f"/web#id={move.id}&model=account.move&view_type=form",
            name,
            login=self.accountant.login,
        )
        self.assertEqual(len(saved), screens, [path.name for path in saved])

    def test_suspended_completed_then_paid(self):
        move = self.integrated_invoice("SUSPENDUE", "Procès-verbal de réception manquant")
        self.tour(move, "duret_chorus_complete_tour", 3)
        self.assertEqual(move.chorus_status, "COMPLETEE")
        self.assertEqual(self.sandbox_invoices(move.name)[0]["statut"], "COMPLETEE")
        # the buyer takes it up and pays; the accountant clicks "update"
        for step in ("MISE_A_DISPOSITION", "SERVICE_FAIT", "MANDATEE", "MISE_EN_PAIEMENT"):
            self.sandbox_admin(
                "POST", "chorus/advance", {"numeroFacture": move.name, "statut": step}
            )
        self.tour(move, "duret_chorus_paid_tour", 2)
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
            self.tour(move, "duret_chorus_resend_tour", 3)
        self.assertEqual(move.chorus_state, "sent")
        self.assertTrue(move.chorus_rejection_handled)
        self.assertEqual(
            len(self.sandbox_invoices(move.name)), 1
        )  # the new one comes with its flow

    def test_update_statuses_from_the_invoice_list(self):
        move = self.integrated_invoice(None, None)
        # the buyer suspends the invoice; Odoo does not know yet
        self.sandbox_admin(
            "POST",
            "chorus/advance",
            {"numeroFacture": move.name, "statut": "SUSPENDUE", "commentaire": "PV manquant"},
        )
        action = self.env.ref("duret_chorus.action_chorus_invoices")
        menu = self.env.ref("duret_procurement.menu_root")
        saved = self.start_tour_with_screens(
            f"/web#action={action.id}&menu_id={menu.id}",
            "duret_chorus_update_list_tour",
            login=self.accountant.login,
        )
        self.assertEqual(len(saved), 2, [path.name for path in saved])
        self.assertEqual(move.chorus_status, "SUSPENDUE")
