"""Chorus Pro calls of works documents: ``factures/v1/soumettre`` in a works cadre.

Works documents (projets de décompte, subcontractor invoices) are deposited
through the API with the PDF uploaded first (``transverses/v1/ajouter/fichier``,
``ChorusClient.add_attachment``), not as flows: see docs/chorus-works.md.
The request path (token, typed errors, scrubbing) is duret_chorus's, on the suite's
shared HTTP layer (a deposit is never retried).
"""

from ...duret_chorus.lib.chorus_client import ChorusClient
from ...duret_chorus.lib.errors import UnexpectedAnswerError

SUBMIT_PATH = "factures/v1/soumettre"
MODE_PDF = "DEPOT_PDF_API"

A4_MONTHLY = "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR"
A7_FINAL = "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR"
A8_DGD = "A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR"
A9_SUBCONTRACTOR = "A9_FACTURE_SOUSTRAITANT"
#: cadres whose document goes to a validator before the buyer (docs/chorus-works.md, section 2)
CADRES_WITH_VALIDATOR = frozenset({A4_MONTHLY, A7_FINAL, A9_SUBCONTRACTOR})

VAT_ON_RECEIPTS = "TVA_SUR_ENCAISSEMENT"
VAT_ON_DEBITS = "TVA_SUR_DEBIT"
VAT_EXEMPT = "EXONERATION"


def _amount(value):
    return round(float(value), 2)


def submission_payload(document):
    """The ``soumettre`` body of one works document, from plain values.

    ``document`` keys: number, date (ISO), cadre, buyer_siret, service_code,
    supplier_id, validator_siret, validator_service, contract_number, ej,
    vat_type, exemption_reason, lines [{reference, name, quantity, unit,
    unit_price, vat_rate}], vat [{rate, base, amount}], untaxed, tax, total,
    to_pay, piece_id, piece_name, comment.
    """
    cadre = {"codeCadreFacturation": document["cadre"]}
    if document["cadre"] in CADRES_WITH_VALIDATOR:
        cadre["codeStructureValideur"] = document["validator_siret"]
        if document.get("validator_service"):
            cadre["codeServiceValideur"] = document["validator_service"]
    recipient = {"codeDestinataire": document["buyer_siret"]}
    if document.get("service_code"):
        recipient["codeServiceExecutant"] = document["service_code"]
    references = {
        "deviseFacture": "EUR",
        "typeFacture": "FACTURE",
        "typeTva": document["vat_type"],
        "modePaiement": "VIREMENT",
    }
    for key, value in (
        ("numeroMarche", document.get("contract_number")),
        ("numeroBonCommande", document.get("ej")),
        ("motifExonerationTva", document.get("exemption_reason")),
    ):
        if value:
            references[key] = value
    payload = {
        "modeDepot": MODE_PDF,
        "numeroFactureSaisi": document["number"],
        "dateFacture": document["date"],
        "cadreDeFacturation": cadre,
        "destinataire": recipient,
        "fournisseur": {"idFournisseur": int(document["supplier_id"])},
        "references": references,
        "lignePoste": [
            {
                "lignePosteNumero": index,
                "lignePosteReference": line["reference"],
                "lignePosteDenomination": line["name"],
                "lignePosteQuantite": line["quantity"],
                "lignePosteUnite": line["unit"],
                "lignePosteMontantUnitaireHT": _amount(line["unit_price"]),
                "lignePosteTauxTvaManuel": line["vat_rate"],
            }
            for index, line in enumerate(document["lines"], start=1)
        ],
        "ligneTva": [
            {
                "ligneTvaTauxManuel": vat["rate"],
                "ligneTvaMontantBaseHtParTaux": _amount(vat["base"]),
                "ligneTvaMontantTvaParTaux": _amount(vat["amount"]),
            }
            for vat in document["vat"]
        ],
        "montantTotal": {
            "montantHtTotal": _amount(document["untaxed"]),
            "montantTVA": _amount(document["tax"]),
            "montantTtcTotal": _amount(document["total"]),
            "montantAPayer": _amount(document["to_pay"]),
        },
        "pieceJointePrincipale": {
            "pieceJointePrincipaleDesignation": document["piece_name"],
            "pieceJointePrincipaleId": int(document["piece_id"]),
        },
    }
    if document.get("comment"):
        payload["commentaire"] = document["comment"]
    return payload


class WorksChorusClient(ChorusClient):
    """duret_chorus's client plus the works deposit."""

    @classmethod
    def from_client(cls, client):
        """The same configured client (token store, session, secrets) with the works calls.

        The company builds the client from its settings in one place
        (``res.company._chorus_client``); copying its state avoids a second builder.
        """
        works = cls.__new__(cls)
        works.__dict__.update(client.__dict__)
        return works

    def submit_invoice(self, payload):
        """Deposit one works document; never retried (a lost answer may hide a success).

        An answer without ``identifiantFactureCPP`` is treated as a lost answer:
        the document may exist in Chorus Pro, so it must not be sent again blindly.
        """
        answer = self._call(SUBMIT_PATH, payload, idempotent=False)
        if not answer.get("identifiantFactureCPP"):
            raise UnexpectedAnswerError(
                "Chorus Pro soumettre: no identifiantFactureCPP in the answer",
                request_may_have_arrived=True,
            )
        return answer
