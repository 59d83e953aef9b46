"""Chorus Pro works documents: ``factures/v1/soumettre`` with a cadre and its validator.

What rests on documentation (docs/chorus-works.md, with sources):

* the request keys of ``soumettre`` (``cadreDeFacturation{codeCadreFacturation,
  codeStructureValideur, codeServiceValideur}``, ``destinataire``, ``fournisseur``,
  ``references``, ``lignePoste``, ``ligneTva``, ``montantTotal``,
  ``pieceJointePrincipale``, ``modeDepot``) and its answer keys
  (``identifiantFactureCPP``, ``numeroFacture``, ``statutFacture``, ``dateDepot``,
  ``empreinteCertificatDepot``, ``identifiantStructure``): antoine2116/go-choruspro
  ``factures_depots.go`` and its test fixture;
* the cadre codes A1...A25 (go-choruspro ``factures.go``);
* the PDF is uploaded first with ``transverses/v1/ajouter/fichier`` (served by
  ``chorus.py`` with its limits) and referenced by its ``pieceJointeId``;
* the MOE processes a monthly statement (7 days), a refusal stops the circuit
  and needs a reason; since 19 Feb 2025 "erreur de montant" is no longer a
  refusal reason (Chorus KB0011867);
* a subcontractor paid directly deposits in A9 with the main contractor as
  validator (docs/chorus-works.md).

What is inference (no public example):

* which cadres require a validator (A4, A7, A9...A14 here) and that
  ``codeStructureValideur`` is the validator's SIRET, like ``codeDestinataire``;
* the status codes of the circuit: ``DEPOSEE`` then ``A_VALIDER_MOE`` (A4, A7)
  or ``A_VALIDER_1`` (A9...A14); the MOE's decision ``PRISE_EN_COMPTE_MOE`` or
  ``REFUSEE_MOE``, the main contractor's ``VALIDEE_1`` or ``REFUSEE_1``; then
  the buyer's ``MISE_A_DISPOSITION`` ... ``MISE_EN_PAIEMENT`` (moved with
  ``/_sandbox/chorus/advance``). In the real portal the payment statuses belong
  to the MOE's état d'acompte that follows the statement (``pieceSuivante``);
  here they are carried by the statement itself;
* a statement number may be deposited again once its previous deposit was
  refused or rejected (Chorus lists a ``DUPLIQUE_APRES_REFUS`` status);
* the totals must add up (HT + TVA = TTC, amount to pay ≤ TTC) and
  ``pieceJointePrincipale`` may be one object (go-choruspro) or a list (AIFE
  examples): both are accepted.

Works invoices live in the same state as the flow-deposited ones, so
``consulter/historique``, ``consulter/fournisseur`` and
``rechercher/fournisseur`` of ``chorus.py`` serve them unchanged.

Admin routes:

* ``POST /_sandbox/chorus_works/decide`` ``{"identifiantFactureCPP" | "numeroFacture",
  "decision": "VALIDER" | "REFUSER", "commentaire"?}``: the validator's decision.
* ``POST /_sandbox/chorus_works/age`` ``{"identifiantFactureCPP" | "numeroFacture",
  "days"}``: every date of the invoice moves ``days`` back (time passing).
* ``GET /_sandbox/chorus_works/submissions``: the ``soumettre`` bodies received.
"""

import datetime as dt
import hashlib

from . import chorus_directory as directory
from . import chorus_state as cs
from .core import SandboxResponse

SUPPLIER_CADRES = (
    "A1_FACTURE_FOURNISSEUR",
    "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE",
    "A3_MEMOIRE_JUSTICE",
    "A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR",
    "A5_ETAT_ACOMPTE_FOURNISSEUR",
    "A6_ETAT_ACOMPTE_VALIDE_FOURNISSEUR",
    "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR",
    "A8_DECOMPTE_GENERAL_DEFINITIF_FOURNISSEUR",
    "A9_FACTURE_SOUSTRAITANT",
    "A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT",
    "A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT",
    "A12_FACTURE_COTRAITANT",
    "A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT",
    "A14_PROJET_DECOMPTE_FINAL_COTRAITANT",
    "A22_PROJET_DECOMPTE_GENERAL_FOURNISSEUR_PROCEDURE_TACITE",
    "A23_DECOMPTE_GENERAL_DEFINITIF_TACITE_FOURNISSEUR",
)
#: cadres deposited by a MOE or a MOA, never by a supplier's account
OTHER_ROLE_CADRES = (
    "A15_ETAT_ACOMPTE_MOE",
    "A16_ETAT_ACOMPTE_VALIDE_MOE",
    "A17_PROJET_DECOMPTE_GENERAL_MOE",
    "A18_DECOMPTE_GENERAL_MOE",
    "A19_ETAT_ACOMPTE_VALIDE_MOA",
    "A20_DECOMPTE_GENERAL_MOA",
    "A21_DEMANDE_REMBOURSEMENT_TIC",
    "A24_DECOMPTE_GENERAL_DEFINITIF_TACITE_MOE",
    "A25_DECOMPTE_GENERAL_DEFINITIF_MOE_PROCEDURE_TACITE",
)
MOE_CADRES = ("A4_PROJET_DECOMPTE_MENSUEL_FOURNISSEUR", "A7_PROJET_DECOMPTE_FINAL_FOURNISSEUR")
CONTRACTOR_CADRES = (
    "A9_FACTURE_SOUSTRAITANT",
    "A10_PROJET_DECOMPTE_MENSUEL_SOUSTRAITANT",
    "A11_PROJET_DECOMPTE_FINAL_SOUSTRAITANT",
    "A12_FACTURE_COTRAITANT",
    "A13_PROJET_DECOMPTE_MENSUEL_COTRAITANT",
    "A14_PROJET_DECOMPTE_FINAL_COTRAITANT",
)
WAITING = {"moe": "A_VALIDER_MOE", "contractor": "A_VALIDER_1"}
DECISIONS = {
    ("moe", "VALIDER"): "PRISE_EN_COMPTE_MOE",
    ("moe", "REFUSER"): "REFUSEE_MOE",
    ("contractor", "VALIDER"): "VALIDEE_1",
    ("contractor", "REFUSER"): "REFUSEE_1",
}
#: statuses after which the same number may be deposited again (inference)
REDEPOSIT_ALLOWED = frozenset({"REJETEE", "REFUSEE_MOE", "REFUSEE_1", "REFUSEE_2"})
MODES = ("DEPOT_PDF_API", "SAISIE_API")
TVA_TYPES = ("TVA_SUR_DEBIT", "TVA_SUR_ENCAISSEMENT", "EXONERATION", "SANS_TVA")
#: documented since 19 Feb 2025: an amount error is corrected by the MOE, not refused
AMOUNT_ERROR_REASON = "erreur de montant"


def _validator(siret, id_structure, name, service_id, service_code, label):
    return {
        "siret": siret,
        "idStructureCPP": id_structure,
        "name": name,
        "kind": "entreprise",
        "vat": None,
        "address": {"adresse": "", "codePostal": "73000", "ville": "Chambéry"},
        "email": None,
        "phone": None,
        "public": False,
        "requires_service_code": True,
        "requires_ej": False,
        "ej_or_service_code": False,
        "payment_not_reported": False,
        "services": [
            {
                "idService": service_id,
                "codeService": service_code,
                "libelleService": label,
                "estActif": True,
                "dateDbtService": "2019-01-01",
                "dateFinService": None,
                "ej_required": False,
            }
        ],
        "legal_commitments": [],
    }


#: private structures acting as validators, a project manager (MOE) and a main contractor;
#: known to ``soumettre`` only, so the directory searches of ``chorus.py`` stay unchanged
MOE = _validator(
    "81245000500010",
    27812450,
    "ATELIER ALPES LUMIERE ARCHITECTES",
    9812451,
    "MOE-TRAVAUX",
    "Maîtrise d'œuvre travaux",
)
MAIN_CONTRACTOR = _validator(
    "79312000700018",
    27793120,
    "BATIR SAVOIE CONSTRUCTION",
    9793121,
    "SOUS-TRAITANCE",
    "Gestion de la sous-traitance",
)
VALIDATORS = (MOE, MAIN_CONTRACTOR)


def _amount(value, name):
    try:
        return round(float(value), 2)
    except (TypeError, ValueError):
        raise cs.ChorusFault(cs.ERR_VALUE, f"Le montant {name} est invalide") from None


class ChorusWorksService:
    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.options = options
        self.reset()

    def reset(self):
        self.submissions = []
        self.roles = {}  # identifiantFactureCPP -> "moe" | "contractor" | None

    @property
    def chorus(self):
        return self.sandbox.service("ChorusService")

    @property
    def state(self):
        return self.chorus.state

    def routes(self):
        path = "factures/v1/soumettre"
        return [
            ("POST", f"/cpro/{path}", self.chorus._guarded(path, self.soumettre)),
            ("POST", r"/_sandbox/chorus_works/decide", self.admin_decide),
            ("POST", r"/_sandbox/chorus_works/age", self.admin_age),
            ("GET", r"/_sandbox/chorus_works/submissions", self.admin_submissions),
        ]

    # -- soumettre -------------------------------------------------------------
    def soumettre(self, body):
        self.submissions.append(_without_files(body))
        cadre = (body.get("cadreDeFacturation") or {}).get("codeCadreFacturation")
        if not cadre:
            raise cs.ChorusFault(cs.ERR_MISSING, "Le cadre de facturation est obligatoire")
        if cadre in OTHER_ROLE_CADRES:
            raise cs.ChorusFault(
                cs.ERR_VALUE, f"Le cadre de facturation {cadre} n'est pas autorisé au fournisseur"
            )
        if cadre not in SUPPLIER_CADRES:
            raise cs.ChorusFault(cs.ERR_VALUE, f"Le cadre de facturation {cadre} n'existe pas")
        mode = body.get("modeDepot")
        if mode not in MODES:
            raise cs.ChorusFault(cs.ERR_VALUE, f"Le mode de dépôt {mode} n'est pas valide")
        self._check_supplier(body.get("fournisseur") or {})
        buyer, service = self._recipient(body)
        role = self._check_validator(cadre, body.get("cadreDeFacturation"))
        references = body.get("references") or {}
        if buyer["requires_ej"] and not references.get("numeroBonCommande"):
            raise cs.ChorusFault(
                cs.ERR_MISSING, "Le numéro d'engagement est obligatoire pour ce destinataire"
            )
        if references.get("typeTva") not in TVA_TYPES:
            raise cs.ChorusFault(cs.ERR_VALUE, "Le type de TVA est invalide")
        if references.get("typeTva") == "EXONERATION" and not references.get("motifExonerationTva"):
            raise cs.ChorusFault(cs.ERR_MISSING, "Le motif d'exonération de TVA est obligatoire")
        totals = self._totals(body.get("montantTotal") or {})
        if mode == "DEPOT_PDF_API":
            self._main_piece(body.get("pieceJointePrincipale"))
        number = str(body.get("numeroFactureSaisi") or "").strip()
        if not number:
            raise cs.ChorusFault(cs.ERR_MISSING, "Le numéro de facture est obligatoire")
        with self.state.lock:
            if any(
                i["numeroFacture"] == number and i["statut"] not in REDEPOSIT_ALLOWED
                for i in self.state.invoices.values()
            ):
                raise cs.ChorusFault(
                    cs.ERR_VALUE, f"La facture {number} a déjà été déposée par ce fournisseur"
                )
            moment = cs.now()
            data = _data(body, cadre, number, buyer, service, totals)
            invoice = self.state._create_invoice(
                data, buyer, {"numeroFluxDepot": None, "deposited_at": moment}, moment
            )
            invoice["service"] = service
            self.roles[invoice["identifiantFactureCPP"]] = role
            if role:
                self.state._set_status(invoice, WAITING[role], None, moment)
        fingerprint = hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()
        return {
            "identifiantFactureCPP": invoice["identifiantFactureCPP"],
            "numeroFacture": number,
            "statutFacture": invoice["statut"],
            "dateDepot": cs.fmt_date(moment),
            "empreinteCertificatDepot": fingerprint,
            "identifiantStructure": directory.OWN_SIRET,
        }

    def _check_supplier(self, supplier):
        wanted = supplier.get("idFournisseur")
        if wanted in (None, ""):
            raise cs.ChorusFault(cs.ERR_MISSING, "L'identifiant du fournisseur est obligatoire")
        if str(wanted) != str(directory.OWN_ID_STRUCTURE):
            raise cs.ChorusFault(
                cs.ERR_VALUE,
                "Le fournisseur ne correspond pas à une structure du compte technique",
            )

    def _recipient(self, body):
        recipient = body.get("destinataire") or {}
        buyer = directory.buyer(str(recipient.get("codeDestinataire") or ""))
        if buyer is None:
            raise cs.ChorusFault(
                cs.ERR_UNKNOWN_STRUCTURE, "Le destinataire n'existe pas dans Chorus Pro", 200
            )
        code = recipient.get("codeServiceExecutant")
        service = None
        if code:
            service = cs.find_service(buyer, code)
            if service is None or not service["estActif"] or code == "FACTURES_PUBLIQUES":
                raise cs.ChorusFault(
                    cs.ERR_UNKNOWN_SERVICE, f"Le service {code} du destinataire n'est pas actif"
                )
        elif buyer["requires_service_code"]:
            raise cs.ChorusFault(
                cs.ERR_MISSING, "Le code service est obligatoire pour ce destinataire"
            )
        return buyer, service

    def _check_validator(self, cadre, block):
        siret = str(block.get("codeStructureValideur") or "").strip()
        role = (
            "moe" if cadre in MOE_CADRES else "contractor" if cadre in CONTRACTOR_CADRES else None
        )
        if role is None:
            return None
        if not siret:
            raise cs.ChorusFault(
                cs.ERR_MISSING, f"Le valideur est obligatoire pour le cadre de facturation {cadre}"
            )
        if siret == directory.OWN_SIRET:
            raise cs.ChorusFault(
                cs.ERR_VALUE, "Le fournisseur ne peut pas être son propre valideur"
            )
        known = (*directory.STRUCTURES, *VALIDATORS)
        structure = next((s for s in known if s["siret"] == siret), None)
        if structure is None:
            raise cs.ChorusFault(
                cs.ERR_UNKNOWN_STRUCTURE, f"La structure valideuse {siret} n'existe pas", 200
            )
        code = block.get("codeServiceValideur")
        if code:
            service = cs.find_service(structure, code)
            if service is None or not service["estActif"]:
                raise cs.ChorusFault(
                    cs.ERR_UNKNOWN_SERVICE, f"Le service {code} du valideur n'est pas actif"
                )
        elif structure["requires_service_code"]:
            raise cs.ChorusFault(
                cs.ERR_MISSING, "Le code service du valideur est obligatoire pour cette structure"
            )
        return role

    @staticmethod
    def _totals(block):
        untaxed = _amount(block.get("montantHtTotal"), "montantHtTotal")
        tax = _amount(block.get("montantTVA"), "montantTVA")
        total = _amount(block.get("montantTtcTotal"), "montantTtcTotal")
        due = _amount(block.get("montantAPayer", total), "montantAPayer")
        if abs(untaxed + tax - total) > 0.005:
            raise cs.ChorusFault(
                cs.ERR_VALUE, "Le montant TTC n'est pas égal au montant HT augmenté de la TVA"
            )
        if due > total + 0.005 or due < 0:
            raise cs.ChorusFault(
                cs.ERR_VALUE, "Le montant à payer doit être compris entre 0 et le montant TTC"
            )
        return untaxed, tax, total, due

    def _main_piece(self, value):
        pieces = value if isinstance(value, list) else [value] if value else []
        if len(pieces) != 1:
            raise cs.ChorusFault(
                cs.ERR_MISSING, "Une pièce jointe principale est obligatoire en dépôt PDF"
            )
        piece_id = pieces[0].get("pieceJointePrincipaleId")
        with self.state.lock:
            try:
                attachment = self.state.attachments.get(int(piece_id))
            except (TypeError, ValueError):
                attachment = None
            if attachment is None:
                raise cs.ChorusFault(
                    cs.ERR_VALUE, f"La pièce jointe {piece_id} n'existe pas ou a déjà été utilisée"
                )
            if attachment["extension"].lstrip(".").upper() != "PDF":
                raise cs.ChorusFault(
                    cs.ERR_EXTENSION, "La pièce jointe principale doit être un fichier PDF"
                )
            del self.state.attachments[int(piece_id)]

    # -- admin -----------------------------------------------------------------
    def _invoice(self, body):
        if body.get("identifiantFactureCPP") is not None:
            return self.state.find_invoice(body["identifiantFactureCPP"])
        return self.state.find_invoice(numero=body.get("numeroFacture"))

    def admin_decide(self, request):
        body = request.json() or {}
        try:
            invoice = self._invoice(body)
        except cs.ChorusFault as fault:
            return SandboxResponse.json({"error": fault.libelle}, 404)
        decision = body.get("decision")
        role = self.roles.get(invoice["identifiantFactureCPP"])
        comment = (body.get("commentaire") or "").strip() or None
        if role is None or invoice["statut"] != WAITING[role]:
            return SandboxResponse.json({"error": "invoice is not waiting for a validator"}, 409)
        if decision not in ("VALIDER", "REFUSER"):
            return SandboxResponse.json({"error": "decision must be VALIDER or REFUSER"}, 400)
        if decision == "REFUSER" and not comment:
            return SandboxResponse.json({"error": "a refusal needs a reason"}, 400)
        if decision == "REFUSER" and role == "moe" and AMOUNT_ERROR_REASON in comment.lower():
            return SandboxResponse.json(
                {"error": "since 19 Feb 2025 an amount error is corrected, not refused"}, 409
            )
        with self.state.lock:
            moment = cs.now()
            self.state._set_status(invoice, DECISIONS[(role, decision)], comment, moment)
            if decision == "VALIDER":
                self.state._set_status(invoice, "MISE_A_DISPOSITION", None, moment)
        return SandboxResponse.json({"statut": invoice["statut"]})

    def admin_age(self, request):
        body = request.json() or {}
        try:
            invoice = self._invoice(body)
        except cs.ChorusFault as fault:
            return SandboxResponse.json({"error": fault.libelle}, 404)
        shift = dt.timedelta(days=float(body.get("days") or 0))
        with self.state.lock:
            invoice["deposited_at"] -= shift
            invoice["status_at"] -= shift
            for entry in invoice["history"]:
                entry["at"] -= shift
        return SandboxResponse.json({"identifiantFactureCPP": invoice["identifiantFactureCPP"]})

    def admin_submissions(self, request):
        return SandboxResponse.json({"submissions": self.submissions})


def _without_files(body):
    return {k: v for k, v in body.items() if k not in ("fichierFlux", "pieceJointeFichier")}


def _data(body, cadre, number, buyer, service, totals):
    """The invoice as ``chorus.py`` stores a parsed Factur-X, from the typed ``soumettre`` data."""
    untaxed, tax, total, due = totals
    references = body.get("references") or {}
    lines = []
    for index, line in enumerate(body.get("lignePoste") or [], start=1):
        quantity = float(line.get("lignePosteQuantite") or 0)
        price = float(line.get("lignePosteMontantUnitaireHT") or 0)
        lines.append(
            {
                "number": str(line.get("lignePosteNumero") or index),
                "reference": line.get("lignePosteReference"),
                "name": line.get("lignePosteDenomination"),
                "quantity": quantity,
                "unit": line.get("lignePosteUnite"),
                "unit_price": price,
                "vat_rate": line.get("lignePosteTauxTvaManuel"),
                "amount": round(quantity * price, 2),
            }
        )
    vat = [
        {
            "base": float(v.get("ligneTvaMontantBaseHtParTaux") or 0),
            "amount": float(v.get("ligneTvaMontantTvaParTaux") or 0),
            "rate": v.get("ligneTvaTauxManuel"),
            "category": "AE" if references.get("typeTva") == "EXONERATION" else "S",
        }
        for v in body.get("ligneTva") or []
    ]
    return {
        "number": number,
        "type_code": "380",
        "date": body.get("dateFacture"),
        "cadre": cadre.split("_", 1)[0],
        "service_code": service["codeService"] if service else None,
        "seller_siret": directory.OWN_SIRET,
        "seller_name": directory.OWN_STRUCTURE["name"],
        "buyer_siret": buyer["siret"],
        "buyer_name": buyer["name"],
        "ej": references.get("numeroBonCommande"),
        "contract": references.get("numeroMarche"),
        "currency": references.get("deviseFacture") or "EUR",
        "payment_means": "30",
        "due_date": None,
        "untaxed": untaxed,
        "tax": tax,
        "total": total,
        "due": due,
        "lines": lines,
        "vat": vat,
    }
