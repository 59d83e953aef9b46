"""The Chorus Pro section of the accountant's morning summary (duret_procurement): what
Chorus Pro reported since the last summary, told once, with the buyer's reason."""

import html

from odoo.addons.duret_procurement.tests.common import ACCOUNTANT, make_user, morning_summary_of
from odoo.addons.duret_procurement.tests.screens import screens_dir
from odoo.tests import tagged

from .common import ChorusAlbertvilleCase


@tagged("post_install", "-at_install")
class TestChorusMorningSummary(ChorusAlbertvilleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = make_user(
            cls.env,
            "ms_chorus_accountant",
            ACCOUNTANT,
            company_id=cls.company.id,
            email="compta@duret-electricite.fr",
        )

    def summary(self):
        return morning_summary_of(self.env, self.accountant)

    def advance(self, move, status, comment=None):
        payload = {"numeroFacture": move.name, "statut": status}
        if comment:
            payload["commentaire"] = comment
        self.sandbox_admin("POST", "chorus/advance", payload)

    def test_rejected_suspended_paid_and_deposit_errors(self):
        suspended, rejected = (
            self.make_invoice(self.albertville, chorus_service_id=self.service.id) for _ in range(2)
        )
        (suspended | rejected)._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.advance(suspended, "SUSPENDUE", "Procès-verbal de réception manquant")
        self.advance(rejected, "REJETEE", "<b>Montant</b> non conforme")
        self.poll()
        refused = self.env["chorus.flow"].create(
            {"company_id": self.company.id, "state": "rejected", "errors": "Fichier illisible"}
        )

        first = self.summary()
        raw = first.mail_id.body_html
        body = html.unescape(raw)
        steps = (suspended | rejected).chorus_status_ids.filtered(
            lambda s: s.code in ("SUSPENDUE", "REJETEE")
        )
        self.assertEqual(
            sorted(first.item_ids.mapped("key")),
            sorted(
                [f"chorus.invoice.status,{s.id}" for s in steps]
                + [f"chorus.flow,{refused.id},rejected"]
            ),
        )
        self.assertIn("Suspended on", body)
        self.assertIn("Buyer's reason: Procès-verbal de réception manquant", body)
        self.assertIn("&lt;b&gt;Montant&lt;/b&gt; non conforme", raw, "remote text is escaped")
        self.assertIn("Deposit refused by Chorus Pro: Fichier illisible", body)
        self.assertIn(f"/web#id={suspended.id}&model=account.move", body)
        self.assertIn("Open the Chorus Pro overview", body)

        # nothing new: nothing sent; then the payment: only it
        self.assertEqual(self.summary(), first)
        for step in ("COMPLETEE", "MISE_A_DISPOSITION", "MANDATEE", "MISE_EN_PAIEMENT"):
            self.advance(suspended, step)
        self.poll()
        second = self.summary()
        self.assertNotEqual(second, first)
        paid = suspended.chorus_status_ids.filtered(lambda s: s.code == "MISE_EN_PAIEMENT")
        self.assertEqual(second.item_ids.mapped("key"), [f"chorus.invoice.status,{paid.id}"])
        self.assertIn("Payment issued on", html.unescape(second.mail_id.body_html))
        self.assertNotIn("Procès-verbal", html.unescape(second.mail_id.body_html))

    def test_in_french_for_a_french_company(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["duret_procurement", "duret_chorus"], ["fr_FR"], overwrite=True
        )
        self.company.partner_id.lang = "fr_FR"
        move = self.make_invoice(self.albertville, chorus_service_id=self.service.id)
        move._chorus_send()
        self.sandbox_admin("POST", "chorus/process_flows")
        self.poll()
        self.advance(move, "SUSPENDUE", "PV manquant")
        self.poll()
        summary = self.summary()
        # kept beside the screenshots for a human to open at a phone's width
        folder = screens_dir() / "morning_summary"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "synthese-comptable.html").write_text(summary.mail_id.body_html)
        body = html.unescape(summary.mail_id.body_html)
        self.assertIn("1 nouveauté(s)", summary.subject)
        self.assertIn("Suspendue le", body)
        self.assertIn("Motif de l'acheteur : PV manquant", body)
        self.assertIn("Ouvrir la vue d'ensemble Chorus Pro", body)
