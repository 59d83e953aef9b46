"""The accountant's Chorus Pro overview: a column per stage, with its amount."""

from odoo.exceptions import RedirectWarning, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ALBERTVILLE, ChorusCase


@tagged("post_install", "-at_install")
class TestChorusOverview(ChorusCase):
    def test_stages_and_amounts_per_stage(self):
        buyer = self.make_buyer("Commune d'Albertville", ALBERTVILLE)
        # (untaxed amount, sending state, Chorus status, rejection handled) -> stage
        table = [
            (1000.0, "not_sent", False, False, "to_send"),
            (500.0, "sent", False, False, "in_progress"),
            (250.0, "integrated", "MISE_A_DISPOSITION", False, "in_progress"),
            (100.0, "integrated", "SUSPENDUE", False, "action"),
            (40.0, "uncertain", False, False, "action"),
            (20.0, "integrated", "REJETEE", False, "action"),
            (10.0, "integrated", "REJETEE", True, "closed"),
            (2000.0, "integrated", "MISE_EN_PAIEMENT", False, "paid"),
        ]
        moves = self.env["account.move"]
        for amount, state, status, handled, stage in table:
            move = self.make_invoice(buyer, amount=amount)
            move.write(
                {
                    "chorus_state": state,
                    "chorus_status": status,
                    "chorus_rejection_handled": handled,
                }
            )
            self.assertEqual(move.chorus_stage, stage, (amount, state, status))
            moves |= move
        draft = self.make_invoice(buyer, post=False)
        self.assertFalse(draft.chorus_stage)
        # amounts with 20 % VAT, by hand: to send 1 200; in progress 600 + 300 = 900;
        # action 120 + 48 + 24 = 192; closed 12; paid 2 400
        groups = self.env["account.move"].read_group(
            [("id", "in", moves.ids)], ["amount_total_signed:sum"], ["chorus_stage"]
        )
        totals = {g["chorus_stage"]: g["amount_total_signed"] for g in groups}
        self.assertEqual(
            totals,
            {
                "to_send": 1200.0,
                "in_progress": 900.0,
                "action": 192.0,
                "closed": 12.0,
                "paid": 2400.0,
            },
        )
        action = self.env.ref("duret_chorus.account_move_action_chorus_overview")
        found = self.env["account.move"].search(safe_eval(action.domain))
        self.assertEqual(found & (moves | draft), moves)


@tagged("post_install", "-at_install")
class TestChorusOneClickFix(ChorusCase):
    def test_error_dialog_offers_to_check_the_buyer_in_chorus(self):
        buyer = self.make_buyer("Commune d'Albertville", ALBERTVILLE, check=False)
        move = self.make_invoice(buyer)
        with self.assertRaises(RedirectWarning) as caught:
            move.action_chorus_send()
        message, action_id, button, context = caught.exception.args
        self.assertIn("was not checked in Chorus Pro", message)
        self.assertIn("Commune d'Albertville", button)
        self.assertEqual(context["active_id"], buyer.id)
        # the button runs the check on that buyer, through Chorus Pro
        action = self.env["ir.actions.server"].browse(action_id)
        action.with_context(**context).run()
        self.assertTrue(buyer.chorus_structure_id)
        self.assertTrue(buyer.chorus_service_ids)
        # what is left to fix is now said without the button
        with self.assertRaises(UserError) as caught:
            move.action_chorus_send()
        self.assertNotIsInstance(caught.exception, RedirectWarning)
        self.assertIn("requires a service code", str(caught.exception))


@tagged("post_install", "-at_install")
class TestChorusUpdateRefreshes(ChorusCase):
    def test_update_statuses_now_reloads_what_is_on_screen(self):
        action = self.env["chorus.poll.run"].action_poll_now()
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.client", "tag": "soft_reload"}
        )
        buyer = self.make_buyer("Commune d'Albertville", ALBERTVILLE)
        move = self.make_invoice(buyer, chorus_service_id=buyer.chorus_service_ids[:1].id)
        move._chorus_send()
        action = move.action_chorus_update()
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
