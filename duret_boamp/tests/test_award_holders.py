"""Award holders' company numbers, read from ``donnees`` to recognise the company's wins."""

import json

from odoo.tests import BaseCase, tagged

from ..lib.notice_parser import company_number, parse_record
from .test_notice_parser import eforms_donnees, eforms_xml


@tagged("post_install", "-at_install")
class TestAwardHolders(BaseCase):
    def test_eforms_holder_is_the_selected_tenderer_not_the_buyer(self):
        # can_24_minimal (eForms SDK example): buyer ORG-0001 "123 456 789", the only
        # selected tender TEN-0001 → TPA-0001 → ORG-0004 "Espaces Verts Lemire" 326 912 557
        record = {
            "idweb": "24-1",
            "nature": "ATTRIBUTION",
            "donnees": eforms_donnees(eforms_xml("can_24_minimal.xml")),
        }
        notice = parse_record(record)
        self.assertEqual(notice.holder_ids, ("326912557",))

    def test_fnsimple_and_legacy_holders_give_their_numbers(self):
        donnees = {
            "FNSimple": {
                "organisme": {
                    "nomOfficiel": "Commune",
                    "codeIdentificationNational": "21730010200001",
                },
                "attribution": {
                    "avisInitial": {"idWeb": "26-1"},
                    "attributionMarche": [
                        {
                            "titulaire": {
                                "denomination": "A",
                                "codeIdentificationNational": "552 081 317 00010",
                            }
                        },
                        {"titulaire": {"denomination": "B"}},
                    ],
                },
            }
        }
        notice = parse_record(
            {"idweb": "26-2", "nature": "ATTRIBUTION", "donnees": json.dumps(donnees)}
        )
        self.assertEqual(
            notice.holder_ids, ("55208131700010",), "the buyer's SIRET is not a holder"
        )
        legacy = {
            "ATTRIBUTION": {"DECISION": {"TITULAIRE": {"DENOMINATION": "C", "SIRET": "552081317"}}}
        }
        notice = parse_record({"idweb": "26-3", "nature": "ATTRIBUTION", "donnees": legacy})
        self.assertEqual(notice.holder_ids, ("552081317",))

    def test_no_donnees_no_holder(self):
        notice = parse_record({"idweb": "26-4", "nature": "ATTRIBUTION", "titulaire": ["X"]})
        self.assertEqual(notice.holder_ids, ())

    def test_company_number(self):
        self.assertEqual(company_number("552 081 317"), "552081317")
        self.assertEqual(company_number("552.081.317.00010"), "55208131700010")
        self.assertIsNone(company_number("FR12552081317"))
        self.assertIsNone(company_number(None))
