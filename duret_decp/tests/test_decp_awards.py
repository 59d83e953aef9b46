"""BOAMP award notices as a second source of contracts, completed (never duplicated) by the
DECP record of the same contract, against the sandbox.

The notices are the eForms SDK's real result notice ``can_24_minimal.xml``
(``../shared/fixtures/eforms``, read at test time) with its company numbers replaced by
the test world's: buyer ORG-0001 "123 456 789" becomes the commune, the selected
tenderer ORG-0004 "326 912 557" a holder of the world. Its figures stay the fixture's:
``cbc:TotalAmount`` 390 697.84 €, CPV 77310000.
"""

import json
from datetime import timedelta

from odoo.addons.duret_boamp.tests.test_notice_parser import eforms_donnees, eforms_xml
from odoo.tests import TransactionCase, tagged

from .common import ALPES, BUYER, GRESI, OTHER_BUYER, DecpWorldMixin, marche

FIXTURE_BUYER, FIXTURE_WINNER = b"123 456 789", b"326 912 557"
FIXTURE_AMOUNT = 390697.84


def award_record(idweb, buyer, winner, published, departement="73"):
    """A BOAMP award record as the API serves it (flat fields, ``donnees`` as JSON text)."""
    xml = eforms_xml("can_24_minimal.xml")
    xml = xml.replace(FIXTURE_BUYER, buyer.encode()).replace(FIXTURE_WINNER, winner.encode())
    return {
        "idweb": idweb,
        "objet": "Entretien des espaces verts",
        "nature": "ATTRIBUTION",
        "nature_libelle": "Avis d'attribution",
        "dateparution": published.isoformat(),
        "code_departement": [departement],
        "donnees": json.dumps(eforms_donnees(xml)),
    }


@tagged("post_install", "-at_install")
class TestDecpAwards(DecpWorldMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.decp_setup_world(cls.env)
        cls.Contract = cls.env["decp.contract"]

    def setUp(self):
        super().setUp()
        self.decp_load_world()  # the sandbox outlives a test's rollback

    def sync(self):
        run = self.env["decp.sync"]._cron_decp_sync()
        self.assertEqual(run.state, "done", run.message)
        return run

    def decp_of(self, number, buyer, holder, notified, amount):
        return marche(number, buyer, "77310000", "73000", notified, amount, 3, [holder],
                      published=self.today)  # fmt: skip

    def test_award_gives_a_contract_that_its_decp_record_completes(self):
        day = self.today - timedelta(days=10)
        self.decp_load_world(
            awards=[
                award_record("26-900001", BUYER, ALPES, day),
                # another buyer: its contract with this holder (c3) is 190 days away
                award_record("26-900002", OTHER_BUYER, ALPES, day, departement="74"),
                award_record("26-900003", BUYER, ALPES, day, departement="69"),  # not watched
            ]
        )
        first = self.sync()
        self.assertEqual((first.awards_read, first.awards_created), (2, 2))
        award = self.Contract.search([("boamp_idweb", "=", "26-900001")])
        self.assertEqual(award.origin, "boamp")
        self.assertEqual(award.key, "BOAMP|26-900001")
        self.assertEqual((award.buyer_siret, award.buyer_partner_id), (BUYER, self.buyer))
        self.assertEqual(award.amount_current, FIXTURE_AMOUNT)
        self.assertEqual((award.cpv_code, award.cpv_class), ("77310000", "7731"))
        self.assertEqual((award.departement, award.notified), ("73", day))
        self.assertEqual(award.holder_ids.mapped("identifier"), [ALPES])
        self.assertEqual(award.holder_ids.partner_id, self.alpes)
        self.assertEqual(award.holder_label, "Alpes Élec")
        self.assertFalse(self.Contract.search([("boamp_idweb", "=", "26-900003")]))
        self.assertEqual(self.Contract.search_count([]), 9)  # 7 DECP + 2 awards

        # the DECP record of the first award arrives: notified 5 days before the notice
        c10 = self.decp_of(10, BUYER, ALPES, day - timedelta(days=5), 385000.0)
        self.sandbox_admin("POST", "decp/append", {"marches": [c10]})
        second = self.sync()
        self.assertEqual((second.contracts_created, second.contracts_completed), (0, 1))
        self.assertEqual(second.awards_created, 0, "the notice read again adds nothing")
        self.assertEqual(self.Contract.search_count([]), 9, "completed, not duplicated")
        award.invalidate_recordset()
        self.assertEqual((award.origin, award.key), ("decp", f"{BUYER}|T010"))
        self.assertEqual(award.boamp_idweb, "26-900001")
        self.assertEqual(award.amount_current, 385000.0)
        self.assertEqual(award.offers_received, 3)
        self.assertEqual(len(award.holder_ids), 1)
        # the other award (another buyer) is left as it was
        other = self.Contract.search([("boamp_idweb", "=", "26-900002")])
        self.assertEqual((other.origin, other.amount_current), ("boamp", FIXTURE_AMOUNT))
        # a third run changes nothing
        third = self.sync()
        self.assertEqual((third.contracts_created, third.awards_created), (0, 0))
        self.assertEqual(self.Contract.search_count([]), 9)

    def test_award_of_a_contract_already_in_the_decp_only_stamps_it(self):
        self.sync()  # first load: the world
        c11 = self.decp_of(11, BUYER, ALPES, self.today - timedelta(days=20), 120000.0)
        # same buyer, another holder: another contract even on the same days
        c12 = self.decp_of(12, BUYER, GRESI, self.today - timedelta(days=20), 90000.0)
        self.sandbox_admin("POST", "decp/append", {"marches": [c11, c12]})
        self.sandbox_admin(
            "POST",
            "boamp/load",
            {"records": [award_record("26-900011", BUYER, ALPES, self.today - timedelta(days=3))]},
        )
        run = self.sync()
        self.assertEqual((run.contracts_created, run.awards_read, run.awards_created), (2, 1, 0))
        stamped = self.Contract.search([("boamp_idweb", "=", "26-900011")])
        self.assertEqual(stamped.key, f"{BUYER}|T011")
        self.assertEqual((stamped.origin, stamped.amount_current), ("decp", 120000.0))
        self.assertFalse(self.Contract.search([("key", "=like", "BOAMP|%")]))

    def test_award_far_from_any_decp_date_stays_apart(self):
        self.sync()
        old = self.decp_of(13, BUYER, ALPES, self.today - timedelta(days=200), 50000.0)
        self.sandbox_admin("POST", "decp/append", {"marches": [old]})
        self.sandbox_admin(
            "POST",
            "boamp/load",
            {"records": [award_record("26-900013", BUYER, ALPES, self.today - timedelta(days=2))]},
        )
        run = self.sync()
        self.assertEqual((run.contracts_created, run.awards_created), (1, 1))
        self.assertEqual(self.Contract.search([("boamp_idweb", "=", "26-900013")]).origin, "boamp")
