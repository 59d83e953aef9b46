"""The works deposit client: payload per cadre, and answers, with HTTP replaced at the session."""

from odoo.addons.duret_chorus.lib.errors import (
    ChorusFunctionalError,
    ServiceUnavailableError,
    UnexpectedAnswerError,
)
from odoo.addons.duret_chorus.tests.test_chorus_client import (
    API,
    CLIENT_SECRET,
    LOGIN,
    OAUTH,
    PASSWORD,
    bodies,
    chorus_session,
    ok,
    response,
    token_response,
)
from odoo.tests import BaseCase, tagged

from ..lib import works_client as wc

SUBMIT = "factures/v1/soumettre"
DOCUMENT = {
    "number": "FAC/2026/00012",
    "date": "2026-05-31",
    "cadre": wc.A4_MONTHLY,
    "buyer_siret": "21733030700018",
    "service_code": None,
    "supplier_id": 26311001,
    "validator_siret": "81245000500010",
    "validator_service": "MOE-TRAVAUX",
    "contract_number": "2026-TRX-014",
    "ej": None,
    "vat_type": wc.VAT_ON_RECEIPTS,
    "exemption_reason": None,
    "lines": [
        {
            "reference": "SIT-3-1",
            "name": "Travaux du mois",
            "quantity": 1,
            "unit": "lot",
            "unit_price": 73295.78,
            "vat_rate": 20.0,
        }
    ],
    "vat": [{"rate": 20.0, "base": 73295.78, "amount": 14659.16}],
    "untaxed": 73295.78,
    "tax": 14659.16,
    "total": 87954.94,
    "to_pay": 83557.2,
    "piece_id": "10321600",
    "piece_name": "FAC_2026_00012.pdf",
    "comment": "Situation n° 3",
}


def client(session):
    return wc.WorksChorusClient(
        OAUTH, API, "client", CLIENT_SECRET, LOGIN, PASSWORD, session=session, sleep=lambda s: None
    )


@tagged("post_install", "-at_install")
class TestWorksClient(BaseCase):
    def test_a4_payload_carries_the_cadre_validator_and_amount_to_pay(self):
        payload = wc.submission_payload(DOCUMENT)
        self.assertEqual(
            payload["cadreDeFacturation"],
            {
                "codeCadreFacturation": "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
                "codeStructureValideur": "81245000500010",
                "codeServiceValideur": "MOE-TRAVAUX",
            },
        )
        self.assertEqual(payload["modeDepot"], "DEPOT_PDF_API")
        self.assertEqual(payload["destinataire"], {"codeDestinataire": "21733030700018"})
        self.assertEqual(payload["references"]["typeTva"], "TVA_SUR_ENCAISSEMENT")
        self.assertEqual(payload["references"]["numeroMarche"], "2026-TRX-014")
        self.assertNotIn("numeroBonCommande", payload["references"])
        self.assertEqual(payload["montantTotal"]["montantAPayer"], 83557.2)
        self.assertEqual(payload["pieceJointePrincipale"]["pieceJointePrincipaleId"], 10321600)

    def test_a1_payload_has_no_validator(self):
        payload = wc.submission_payload({**DOCUMENT, "cadre": wc.A8_DGD})
        self.assertEqual(payload["cadreDeFacturation"], {"codeCadreFacturation": wc.A8_DGD})

    def test_submit_is_never_retried_and_an_answer_without_id_is_uncertain(self):
        session = chorus_session(token=[token_response()], **{"factures/v1/soumettre": [ok()]})
        with self.assertRaises(UnexpectedAnswerError) as caught:
            client(session).submit_invoice(wc.submission_payload(DOCUMENT))
        self.assertTrue(caught.exception.request_may_have_arrived)
        session = chorus_session(token=[token_response()], **{SUBMIT: [response(502)]})
        with self.assertRaises(ServiceUnavailableError) as caught:
            client(session).submit_invoice(wc.submission_payload(DOCUMENT))
        self.assertTrue(caught.exception.request_may_have_arrived)
        self.assertEqual(len(bodies(session, SUBMIT)), 1, "a deposit is never sent twice")

    def test_submit_answer_and_refusal(self):
        refused = response(400, {"codeRetour": 20002, "libelle": "Le valideur est obligatoire"})
        session = chorus_session(
            token=[token_response()],
            **{SUBMIT: [ok(identifiantFactureCPP=8316901, statutFacture="A_VALIDER_MOE"), refused]},
        )
        works = client(session)
        self.assertEqual(works.submit_invoice({})["identifiantFactureCPP"], 8316901)
        with self.assertRaisesRegex(ChorusFunctionalError, "valideur est obligatoire"):
            works.submit_invoice({})
