"""Shared set-up of the Odoo tests: a French company wired to the local Chorus sandbox."""

from contextlib import contextmanager
from unittest.mock import patch

from odoo import Command
from odoo.addons.duret_procurement.tests.common import (
    ACCOUNTANT,
    SandboxMixin,
    TourMixin,
    make_user,
)
from odoo.tests import TransactionCase

from ..models.account_move import AccountMove

OWN_SIRET = "84231765300017"
IBAN = "FR7630004000031234567890143"
ALBERTVILLE = "21730011000012"  # requires a service code (SERV-TECH, FINANCES)
CHAMBERY = "21730065600014"  # requires an engagement juridique
UGINE = "21733030700018"  # no requirement
DEPOSIT = "/cpro/factures/v1/deposer/flux"
#: what Odoo's CII export and Chorus need to know of the seller
DURET_COMPANY = {
    "siret": OWN_SIRET,
    "vat": "FR54842317653",
    "email": "contact@duret-electricite.fr",
    "phone": "+33 4 79 32 00 00",
    "street": "145 avenue du Général de Gaulle",
    "zip": "73200",
    "city": "Albertville",
}


class ChorusSetupMixin(SandboxMixin):
    """Builds the company, its bank account and Chorus settings, and public buyers."""

    @classmethod
    def setup_chorus_company(cls):
        cls.sandbox_reset()
        cls.env["res.lang"]._activate_lang("en_US")
        company = cls.env["res.company"].create(
            {
                "name": "Duret Électricité",
                "country_id": cls.env.ref("base.fr").id,
                "currency_id": cls.env.ref("base.EUR").id,
            }
        )
        cls.env.user.company_ids |= company
        cls.env.user.company_id = company
        # English messages in assertions; French ones are checked with lang=fr_FR explicitly
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[company.id], lang="en_US")
        )
        company = company.with_env(cls.env)
        cls.env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
        url = cls.sandbox_url()
        company.write(
            {
                **DURET_COMPANY,
                "chorus_oauth_url": url,
                "chorus_api_url": url,
                "chorus_client_id": "duret-sandbox-client",
                "chorus_client_secret": "duret-sandbox-secret",
                "chorus_login": "TECH_1_duret@cpro.fr",
                "chorus_password": "duret-sandbox-password",
            }
        )
        # jobs write in the company's language: English here too (see above). In SQL: the
        # installed-languages cache may lag behind _activate_lang between test classes.
        company.flush_recordset()
        cls.env.cr.execute(
            "UPDATE res_partner SET lang = 'en_US' WHERE id = %s", [company.partner_id.id]
        )
        company.partner_id.invalidate_recordset(["lang"])
        cls.company = company
        cls.bank = cls.env["res.partner.bank"].create(
            {"acc_number": IBAN, "partner_id": company.partner_id.id}
        )
        cls.tax = company.account_sale_tax_id
        return company

    @classmethod
    def make_buyer(cls, name, siret, check=True):
        buyer = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "siret": siret,
                "street": "Place de l'Hôtel de Ville",
                "zip": "73200",
                "city": "Albertville",
                "country_id": cls.env.ref("base.fr").id,
            }
        )
        if check:
            buyer.action_chorus_check()
        return buyer

    @classmethod
    def make_invoice(cls, buyer, post=True, move_type="out_invoice", amount=1000.0, **values):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": buyer.id,
                "invoice_date": "2026-03-10",
                "partner_bank_id": cls.bank.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Remplacement de luminaires LED",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set(cls.tax.ids)],
                        }
                    )
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move

    def sandbox_invoices(self, number):
        return [
            i for i in self.sandbox_admin("GET", "chorus/invoices") if i["numeroFacture"] == number
        ]

    def poll(self):
        return self.env["chorus.poll.run"]._poll_company(self.company, "manual")


class ChorusCase(ChorusSetupMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chorus_company()


class ChorusAlbertvilleCase(ChorusCase):
    """Invoices to the Commune d'Albertville's technical service over the sandbox, reset
    before each test (the set-up the end-to-end classes share)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.albertville = cls.make_buyer("Commune d'Albertville", ALBERTVILLE)
        cls.service = cls.albertville.chorus_service_ids.filtered(lambda s: s.code == "SERV-TECH")

    def setUp(self):
        super().setUp()
        self.sandbox_reset()


class ChorusTourMixin(ChorusSetupMixin, TourMixin):
    """Mix into an ``HttpCase``: the accountant of the Chorus tours, who works in French."""

    @classmethod
    def setup_tour_accountant(cls, login, groups=ACCOUNTANT):
        cls.accountant = make_user(cls.env, login, groups, lang="fr_FR", company_id=cls.company.id)
        return cls.accountant

    @contextmanager
    def chorus_file_rendered_here(self, move):
        """Render ``move``'s Factur-X PDF here, in the test thread, for the tour's send.

        wkhtmltopdf fetches its assets from this server, which a rendering inside a tour
        request would block on.
        """
        data = move._chorus_build_file()
        with patch.object(AccountMove, "_chorus_build_file", lambda _move, _extra=None: data):
            yield
