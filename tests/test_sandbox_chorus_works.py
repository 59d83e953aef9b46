"""Chorus works double over real HTTP: ``soumettre`` in every cadre, validator checks, circuit."""

import base64

import pytest

from tests.sandbox import chorus_directory as directory
from tests.sandbox.chorus_works import (
    CONTRACTOR_CADRES,
    MAIN_CONTRACTOR,
    MOE,
    OTHER_ROLE_CADRES,
    SUPPLIER_CADRES,
)
from tests.test_sandbox_chorus import Cpro, assert_same_shape, real_body

ALBERTVILLE = directory.BUYER_SERVICE_CODE["siret"]
UGINE = directory.BUYER_NO_REQUIREMENT["siret"]
CHAMBERY = directory.BUYER_EJ["siret"]
A4 = "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"
A7 = "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR"
A9 = "A9_FACTURE_SOUSTRAITANT"
PDF = b"%PDF-1.4\n% situation de travaux\n"


class Works(Cpro):
    def upload(self, name="situation.pdf", extension="PDF", data=PDF):
        body = {
            "pieceJointeFichier": base64.b64encode(data).decode(),
            "pieceJointeNom": name,
            "pieceJointeTypeMime": "application/pdf",
            "pieceJointeExtension": extension,
        }
        return self.ok("transverses/v1/ajouter/fichier", body)["pieceJointeId"]

    def body(self, cadre=A4, number="SIT-2026-001", validator=MOE, piece=None, **over):
        body = {
            "modeDepot": "DEPOT_PDF_API",
            "numeroFactureSaisi": number,
            "dateFacture": "2026-11-30",
            "cadreDeFacturation": {"codeCadreFacturation": cadre},
            "destinataire": {"codeDestinataire": UGINE},
            "fournisseur": {"idFournisseur": directory.OWN_ID_STRUCTURE},
            "references": {
                "deviseFacture": "EUR",
                "typeFacture": "FACTURE",
                "typeTva": "TVA_SUR_ENCAISSEMENT",
                "numeroMarche": "2026-TRX-014",
                "modePaiement": "VIREMENT",
            },
            "lignePoste": [
                {
                    "lignePosteNumero": 1,
                    "lignePosteReference": "SIT-1",
                    "lignePosteDenomination": "Travaux du mois",
                    "lignePosteQuantite": 1,
                    "lignePosteUnite": "lot",
                    "lignePosteMontantUnitaireHT": 1000.0,
                    "lignePosteTauxTvaManuel": 20,
                }
            ],
            "ligneTva": [
                {
                    "ligneTvaTauxManuel": 20,
                    "ligneTvaMontantBaseHtParTaux": 1000.0,
                    "ligneTvaMontantTvaParTaux": 200.0,
                }
            ],
            "montantTotal": {
                "montantHtTotal": 1000.0,
                "montantTVA": 200.0,
                "montantTtcTotal": 1200.0,
                "montantAPayer": 1140.0,
            },
            "pieceJointePrincipale": {
                "pieceJointePrincipaleDesignation": "Situation 1",
                "pieceJointePrincipaleId": piece if piece is not None else self.upload(),
            },
        }
        if validator:
            body["cadreDeFacturation"].update(
                codeStructureValideur=validator["siret"],
                codeServiceValideur=validator["services"][0]["codeService"],
            )
        for key, value in over.items():
            if isinstance(value, dict) and isinstance(body.get(key), dict):
                body[key] = {**body[key], **value}
            else:
                body[key] = value
        return body

    def submit(self, status=200, **kwargs):
        return self.call("factures/v1/soumettre", self.body(**kwargs), status=status)

    def decide(self, invoice_id, decision, comment=None, status=200):
        response = self.http.post(
            f"{self.url}/_sandbox/chorus_works/decide",
            json={
                "identifiantFactureCPP": invoice_id,
                "decision": decision,
                "commentaire": comment,
            },
            timeout=10,
        )
        assert response.status_code == status, response.text
        return response.json()

    def history(self, invoice_id):
        answer = self.ok("factures/v1/consulter/historique", {"idFacture": invoice_id})
        return [h["histoStatutCode"] for h in answer["historiquesDesStatuts"]["histoStatut"]]


@pytest.fixture
def works(sandbox, http):
    return Works(sandbox, http)


def test_a4_answer_has_the_documented_shape_and_waits_for_the_moe(works):
    answer = works.submit()
    assert answer["codeRetour"] == 0
    assert_same_shape(real_body("TestFacturesService_SoumettreFacture"), answer)
    assert answer["statutFacture"] == "A_VALIDER_MOE"
    assert answer["numeroFacture"] == "SIT-2026-001"
    # newest first, as Chorus answers
    assert works.history(answer["identifiantFactureCPP"]) == ["A_VALIDER_MOE", "DEPOSEE"]
    found = works.ok("factures/v1/rechercher/fournisseur", {"numeroFacture": "SIT-2026-001"})
    assert found["listeFactures"][0]["statut"] == "A_VALIDER_MOE"


def test_every_supplier_cadre_is_accepted_with_its_validator(works):
    for index, cadre in enumerate(SUPPLIER_CADRES):
        validator = MAIN_CONTRACTOR if cadre in CONTRACTOR_CADRES else MOE
        answer = works.submit(cadre=cadre, number=f"DOC-{index}", validator=validator)
        assert answer["codeRetour"] == 0, (cadre, answer)


@pytest.mark.parametrize("cadre", OTHER_ROLE_CADRES)
def test_moe_and_moa_cadres_are_refused_to_a_supplier(works, cadre):
    answer = works.submit(cadre=cadre, status=400)
    assert "n'est pas autorisé au fournisseur" in answer["libelle"]


@pytest.mark.parametrize("cadre", [A4, A7, A9])
def test_validator_is_required(works, cadre):
    answer = works.submit(cadre=cadre, validator=None, status=400)
    assert "valideur est obligatoire" in answer["libelle"]


def test_validator_checks(works):
    unknown = {**MOE, "siret": "53318000600017"}
    assert "n'existe pas" in works.submit(validator=unknown, status=200)["libelle"]
    wrong_service = {**MOE, "services": [{**MOE["services"][0], "codeService": "NOPE"}]}
    assert "NOPE" in works.submit(validator=wrong_service, status=400)["libelle"]
    no_service = works.body()
    del no_service["cadreDeFacturation"]["codeServiceValideur"]
    answer = works.call("factures/v1/soumettre", no_service, status=400)
    assert "code service du valideur" in answer["libelle"]
    itself = {**MOE, "siret": directory.OWN_SIRET}
    assert "son propre valideur" in works.submit(validator=itself, status=400)["libelle"]


def test_recipient_supplier_amounts_and_piece_checks(works):
    albertville = works.submit(destinataire={"codeDestinataire": ALBERTVILLE}, status=400)
    assert "code service" in albertville["libelle"]
    chambery = works.submit(destinataire={"codeDestinataire": CHAMBERY}, status=400)
    assert "engagement" in chambery["libelle"]
    wrong_total = works.submit(montantTotal={"montantTtcTotal": 1300.0}, status=400)
    assert "TTC" in wrong_total["libelle"]
    too_much = works.submit(montantTotal={"montantAPayer": 1500.0}, status=400)
    assert "montant à payer" in too_much["libelle"]
    assert "fournisseur" in works.submit(fournisseur={"idFournisseur": 1}, status=400)["libelle"]
    assert "pièce jointe" in works.submit(piece=999, status=400)["libelle"]
    zip_piece = works.upload("plan.zip", "ZIP")
    assert "PDF" in works.submit(piece=zip_piece, status=400)["libelle"]
    exempt = works.submit(references={"typeTva": "EXONERATION"}, status=400)
    assert "exonération" in exempt["libelle"]


def test_piece_is_used_once_and_upload_limits_hold(works):
    piece = works.upload()
    assert works.submit(piece=piece, number="A")["codeRetour"] == 0
    assert "déjà été utilisée" in works.submit(piece=piece, number="B", status=400)["libelle"]
    body = {
        "pieceJointeFichier": base64.b64encode(PDF).decode(),
        "pieceJointeNom": "x" * 47 + ".pdf",
        "pieceJointeTypeMime": "application/pdf",
        "pieceJointeExtension": "PDF",
    }
    assert "50 caractères" in works.call("transverses/v1/ajouter/fichier", body, 400)["libelle"]


def test_moe_refusal_with_reason_then_corrected_redeposit(works):
    first = works.submit()["identifiantFactureCPP"]
    assert "déjà été déposée" in works.submit(status=400)["libelle"]  # while the MOE decides
    works.decide(first, "REFUSER", status=400)  # a refusal needs its reason
    works.decide(first, "REFUSER", "Erreur de montant sur le lot 2", status=409)
    works.decide(first, "REFUSER", "Quantités de câble non constatées sur site")
    detail = works.ok("factures/v1/consulter/historique", {"idFacture": first})
    latest = detail["historiquesDesStatuts"]["histoStatut"][0]
    assert latest["histoStatutCode"] == "REFUSEE_MOE"
    assert latest["histoStatutCommentaire"] == "Quantités de câble non constatées sur site"
    second = works.submit()  # the same number again, corrected
    assert second["codeRetour"] == 0 and second["identifiantFactureCPP"] != first
    works.decide(second["identifiantFactureCPP"], "VALIDER")
    assert works.history(second["identifiantFactureCPP"])[:2] == [
        "MISE_A_DISPOSITION",
        "PRISE_EN_COMPTE_MOE",
    ]
    for _step in range(3):
        works.admin("advance", {"identifiantFactureCPP": second["identifiantFactureCPP"]})
    assert works.history(second["identifiantFactureCPP"])[0] == "MISE_EN_PAIEMENT"
    works.decide(second["identifiantFactureCPP"], "VALIDER", status=409)


def test_subcontractor_a9_waits_for_the_main_contractor(works):
    answer = works.submit(
        cadre=A9,
        validator=MAIN_CONTRACTOR,
        references={"typeTva": "EXONERATION", "motifExonerationTva": "Autoliquidation"},
        ligneTva=[],
        montantTotal={"montantTVA": 0.0, "montantTtcTotal": 1000.0, "montantAPayer": 1000.0},
    )
    assert answer["statutFacture"] == "A_VALIDER_1"
    works.decide(answer["identifiantFactureCPP"], "REFUSER", "Travaux non réceptionnés")
    assert works.history(answer["identifiantFactureCPP"])[0] == "REFUSEE_1"


def test_age_moves_dates_back_and_submissions_are_recorded(works, http):
    invoice = works.submit()["identifiantFactureCPP"]
    before = works.ok("factures/v1/consulter/historique", {"idFacture": invoice})
    http.post(
        f"{works.url}/_sandbox/chorus_works/age",
        json={"identifiantFactureCPP": invoice, "days": 8},
        timeout=10,
    ).raise_for_status()
    after = works.ok("factures/v1/consulter/historique", {"idFacture": invoice})
    assert (
        after["historiquesDesStatuts"]["histoStatut"][0]["histoStatutDatePassage"]
        < before["historiquesDesStatuts"]["histoStatut"][0]["histoStatutDatePassage"]
    )
    sent = http.get(f"{works.url}/_sandbox/chorus_works/submissions", timeout=10).json()
    assert sent["submissions"][0]["cadreDeFacturation"]["codeStructureValideur"] == MOE["siret"]
