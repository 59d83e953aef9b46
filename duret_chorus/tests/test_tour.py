"""Browser tour: the accountant sends a posted invoice to Chorus and sees its state."""

from unittest.mock import patch

from odoo.addons.duret_chorus.models.account_move import AccountMove
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ALBERTVILLE, ChorusSetupMixin


@tagged("post_install", "-at_install")
class TestChorusTour(ChorusSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chorus_company()
        cls.accountant = new_test_user(
            cls.env,
            login="c2_tour_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.accountant.lang = "fr_FR"
        buyer = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)
        cls.move = cls.make_invoice(buyer, chorus_service_id=buyer.chorus_service_ids[:1].id)

    def test_send_from_the_invoice_form(self):
        # The PDF is rendered here, in the test thread: wkhtmltopdf fetches its assets
        # from this server, which a rendering inside a tour request would block on.
        data = self.move._chorus_build_file()
        with patch.object(AccountMove, "_chorus_build_file", lambda move, extra=None: data):
            self.start_tour(
                f"/web#id={self.move.id}&model=account.move&view_type=form",
                "duret_chorus_send_tour",
                login=self.accountant.login,
            )
        self.assertEqual(self.move.chorus_state, "sent")
        self.assertTrue(self.move.chorus_flow_number)
        self.assertEqual(self.move.chorus_sent_by, self.accountant)
        self.assertEqual(self.sandbox_calls("/cpro/factures/v1/deposer/flux"), 1)
