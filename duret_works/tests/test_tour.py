"""Browser tour: the accountant enters a month's progress, previews and sends the statement."""

from unittest.mock import patch

from odoo.addons.duret_chorus.models.account_move import AccountMove
from odoo.tests import HttpCase, new_test_user, tagged

from .common import WorksSetupMixin


@tagged("post_install", "-at_install")
class TestWorksTour(WorksSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_works()
        cls.accountant = new_test_user(
            cls.env,
            login="works_tour_accountant",
            groups="base.group_user,account.group_account_invoice,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.accountant.lang = "fr_FR"
        cls.contract = cls.make_contract()

    def test_enter_progress_preview_and_send(self):
        # The PDF is rendered here, in the test thread: wkhtmltopdf fetches its assets
        # from this server, which a rendering inside a tour request would block on.
        data = self.make_invoice(self.buyer)._chorus_build_file()
        with patch.object(
            AccountMove, "_chorus_build_file", lambda move, extra=None: data, create=True
        ):
            self.start_tour(
                f"/web#id={self.contract.id}&model=works.contract&view_type=form",
                "duret_works_statement_tour",
                login=self.accountant.login,
            )
        statement = self.contract.statement_ids
        self.assertEqual(len(statement), 1)
        self.assertEqual(statement.state, "sent")
        self.assertAlmostEqual(statement.net_to_pay, 32719.93, places=2)
        self.assertEqual(statement.move_id.chorus_sent_by, self.accountant)
        sent = self.sandbox_admin("GET", "chorus_works/submissions")["submissions"]
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            sent[0]["cadreDeFacturation"]["codeCadreFacturation"],
            "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
        )
