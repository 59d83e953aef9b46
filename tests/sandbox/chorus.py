"""Chorus Pro API (``/cpro/...``) behind the PISTE gateway, on the documented wire format.

Every call needs a live PISTE bearer token (401 from the gateway otherwise), a
subscribed API (403, see ``piste.py``) and the ``cpro-account`` header =
base64(``TECH_1_duret@cpro.fr:duret-sandbox-password``) (401 with a Chorus
body otherwise).  Every answer carries ``codeRetour`` (0 = OK) and
``libelle``; a bad request answers HTTP 400 with ``codeRetour`` != 0, an
unknown id answers HTTP 200 with ``codeRetour`` != 0 (both happen live, so
clients must check ``codeRetour`` on any status).  Keys and types follow the
bodies in ``fixtures/chorus/go-choruspro`` and docs/chorus-api.md; the
``engagementsJuridiques/v1/rechercher`` item keys rest on the AIFE detail
example only (no list example is public).  Lists page with a default size of
10 (``parametresRetour``).

Admin routes (state in ``chorus_state.py``, buyers in ``chorus_directory.py``):

* ``POST /_sandbox/chorus/process_flows``: every pending flow gets its verdict now.
* ``POST /_sandbox/chorus/advance`` ``{"numeroFacture" | "identifiantFactureCPP",
  "statut"?, "commentaire"?, "dateHeure"?}``: next lifecycle step, or that status.
* ``POST /_sandbox/chorus/advance_all``: every non-final invoice one step further.
* ``POST /_sandbox/chorus/seed_invoices`` ``{"count", "prefix"?, "statut"?,
  "dateHeureEtatCourant"?, "buyers"?: [SIRET], "numerosFacture"?: [...],
  "changed"?: N, "changedAt"?}``: integrated invoices created directly, all last
  changed at ``dateHeureEtatCourant`` (default two days ago); the ``changed``
  first ones then move one step at ``changedAt`` (default now).
* ``GET /_sandbox/chorus/invoices``: every invoice with its history.
* ``POST /_sandbox/chorus/shape`` ``{"route", "shape", "count"?, "status"?, "libelle"?}``:
  the next answers of an operation in a shape other clients recorded (``chorus_shapes.py``).
* ``POST /_sandbox/chorus/config`` ``{"flow_delay"?, "password_expiry_days"?,
  "auto_advance_seconds"?, "max_page_size"?}``: a negative
  ``password_expiry_days`` makes the technical account expired (401 on every
  call); ``max_page_size`` 10 reproduces the live answer that ignored a larger
  requested page size (docs/chorus-api.md section 2).

Start-up options: ``flow_delay`` (1: the first report consultation answers
IN_RECU), ``password_expiry_days`` (20), ``auto_advance_seconds`` (off),
``max_page_size`` (100).
"""

import base64
import binascii
import datetime as dt
import math
import secrets

from . import chorus_actions as actions
from . import chorus_directory as directory
from . import chorus_shapes as shapes
from . import chorus_state as cs
from .core import SandboxResponse

TECH_LOGIN = "TECH_1_duret@cpro.fr"
TECH_PASSWORD = "duret-sandbox-password"
OK_TRA = "TRA_MSG_00.000"
OK_GCU = "GCU_MSG_01_000"
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100  # option ``max_page_size``
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# fmt: off
ATTACHMENT_EXTENSIONS = frozenset((
    "BMP", "BZ2", "CSV", "DOC", "DOCX", "FAX", "GIF", "GZ", "GZIP", "HTM", "HTML", "JPEG", "JPG",
    "ODP", "ODS", "ODT", "P7S", "PDF", "PNG", "PPS", "PPT", "PPTX", "RTF", "SVG", "TGZ", "TIF",
    "TIFF", "TXT", "XHTML", "XLC", "XLM", "XLS", "XLSX", "XML", "XSD", "XSL", "ZIP",
))
# fmt: on


def paginate(
    items,
    params,
    size_key="nbResultatsParPage",
    page_key="pageResultatDemandee",
    max_size=MAX_PAGE_SIZE,
):
    """``(page items, parametresRetour)``; default page size 10, capped at ``max_size``."""
    params = params if isinstance(params, dict) else {}
    try:
        size = int(params.get(size_key) or DEFAULT_PAGE_SIZE)
        page = int(params.get(page_key) or 1)
    except (TypeError, ValueError):
        raise cs.ChorusFault(cs.ERR_VALUE, "Les paramètres de pagination sont invalides") from None
    size = max(1, min(size, max_size))
    page = max(1, page)
    total = len(items)
    start = (page - 1) * size
    return items[start : start + size], {
        "nbResultatsParPage": size,
        "pageCourante": page,
        "pages": math.ceil(total / size),
        "total": total,
    }


def _require(body, *names):
    for name in names:
        if body.get(name) in (None, "", []):
            raise cs.ChorusFault(cs.ERR_MISSING, f"Le paramètre {name} est obligatoire")


def _int_param(body, name):
    _require(body, name)
    try:
        return int(body[name])
    except (TypeError, ValueError):
        raise cs.ChorusFault(cs.ERR_VALUE, f"Le paramètre {name} doit être un entier") from None


class ChorusService:
    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.options = options
        self.reset()

    def reset(self):
        self.state = cs.ChorusState(
            flow_delay=self.options.get("flow_delay", 1),
            auto_advance_seconds=self.options.get("auto_advance_seconds"),
        )
        self.max_page_size = int(self.options.get("max_page_size", MAX_PAGE_SIZE))
        self.shapes = shapes.ShapeQueue()
        days = self.options.get("password_expiry_days", directory.PASSWORD_EXPIRY_DAYS)
        self.password_expiry = cs.now() + dt.timedelta(days=days)

    def routes(self):
        api = [
            ("factures/v1/deposer/flux", self.deposer_flux),
            ("factures/v1/rechercher/fournisseur", self.rechercher_factures),
            ("factures/v1/consulter/historique", self.consulter_historique),
            ("factures/v1/consulter/fournisseur", self.consulter_facture),
            ("transverses/v1/consulterCRDetaille", self.consulter_cr_detaille),
            ("transverses/v1/ajouter/fichier", self.ajouter_fichier),
            ("structures/v1/rechercher", self.rechercher_structures),
            ("structures/v1/consulter", self.consulter_structure),
            ("structures/v1/rechercher/services", self.rechercher_services),
            ("structures/v1/consulter/service", self.consulter_service),
            ("engagementsJuridiques/v1/rechercher", self.rechercher_ej),
            ("factures/v1/completer", lambda body: actions.completer(self.state, body)),
            ("factures/v1/recycler", lambda body: actions.recycler(self.state, body)),
            ("factures/v1/traiterRejet", lambda body: actions.traiter_rejet(self.state, body)),
        ]
        routes = [("POST", f"/cpro/{path}", self._guarded(path, handler)) for path, handler in api]
        routes.append(("GET", "/cpro/transverses/v1/health-check", self.health_check))
        routes += [
            ("POST", r"/_sandbox/chorus/process_flows", self.admin_process_flows),
            ("POST", r"/_sandbox/chorus/advance", self.admin_advance),
            ("POST", r"/_sandbox/chorus/advance_all", self.admin_advance_all),
            ("POST", r"/_sandbox/chorus/seed_invoices", self.admin_seed),
            ("GET", r"/_sandbox/chorus/invoices", self.admin_invoices),
            ("POST", r"/_sandbox/chorus/config", self.admin_config),
            ("POST", r"/_sandbox/chorus/shape", self.admin_shape),
        ]
        return routes

    # -- gateway and envelope ----------------------------------------------------
    @property
    def piste(self):
        return self.sandbox.service("PisteService")

    def _guarded(self, path, handler):
        api = path.split("/", 1)[0]
        ok_libelle = OK_GCU if api == "structures" or path.endswith("ajouter/fichier") else OK_TRA

        def guarded(request):
            problem = self.piste.bearer_problem(request) or self.piste.forbidden_problem(api)
            if problem:
                return problem
            problem = self._account_problem(request)
            if problem:
                return problem
            try:
                body = request.json()
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except (ValueError, UnicodeDecodeError):
                return _fault(
                    cs.ChorusFault(cs.ERR_VALUE, "Le corps de la requête n'est pas un JSON valide")
                )
            self.state.tick()
            shape = self.shapes.take(path)
            if shape and shape["shape"] in shapes.REFUSALS:
                return SandboxResponse.json(*shapes.refusal(shape))
            try:
                payload = handler(body)
            except cs.ChorusFault as fault:
                return _fault(fault)
            answer = {"codeRetour": 0, "libelle": ok_libelle, **payload}
            if shape:
                return SandboxResponse.json(*shapes.reshape(shape, answer))
            return SandboxResponse.json(answer)

        return guarded

    def _account_problem(self, request):
        header = request.headers.get("cpro-account", "")
        try:
            login, _, password = base64.b64decode(header, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            login = password = ""
        if not header or not (
            secrets.compare_digest(login, TECH_LOGIN)
            and secrets.compare_digest(password, TECH_PASSWORD)
        ):
            libelle = "Authentification impossible : l'en-tête cpro-account est absent ou invalide"
        elif self.password_expiry <= cs.now():
            libelle = "Authentification impossible : le mot de passe du compte technique a expiré"
        else:
            return None
        return SandboxResponse.json({"codeRetour": 401, "libelle": libelle}, 401)

    def health_check(self, request):
        problem = self.piste.bearer_problem(request) or self.piste.forbidden_problem("transverses")
        return problem or SandboxResponse.json({"statusCode": "200"})

    def _paginate(self, items, params, *keys):
        return paginate(items, params, *keys, max_size=self.max_page_size)

    # -- factures --------------------------------------------------------------
    def deposer_flux(self, body):
        _require(body, "fichierFlux", "nomFichier", "syntaxeFlux")
        syntax = body["syntaxeFlux"]
        if syntax not in cs.SYNTAXES:
            raise cs.ChorusFault(cs.ERR_VALUE, f"La syntaxe de flux {syntax} n'existe pas")
        if syntax != cs.FACTURX_SYNTAX:
            raise cs.ChorusFault(
                cs.ERR_VALUE,
                f"La syntaxe de flux {syntax} ne correspond pas au fichier déposé "
                f"(attendu : {cs.FACTURX_SYNTAX})",
            )
        data = cs.decode_base64(body["fichierFlux"], "fichierFlux")
        flow = self.state.deposit(data, str(body["nomFichier"]), syntax)
        return {
            "numeroFluxDepot": flow["numeroFluxDepot"],
            "dateDepot": cs.fmt_date(flow["deposited_at"]),
            "syntaxeFlux": syntax,
        }

    def rechercher_factures(self, body):
        matches = self._filter_invoices(body)
        if (body.get("rechercheFactureParFournisseur") or {}).get("triSens") == "Descendant":
            matches.reverse()
        page, parametres = self._paginate(matches, body.get("rechercheFactureParFournisseur"))
        return {"listeFactures": [_search_item(i) for i in page], "parametresRetour": parametres}

    def _filter_invoices(self, body):
        checks = []
        for key in ("numeroFluxDepot", "numeroFacture", "numeroBonCommande", "numeroMarche"):
            if body.get(key):
                checks.append(lambda i, k=key, v=body[key]: _search_value(i, k) == v)
        if body.get("idFournisseur") not in (None, ""):
            wanted = str(body["idFournisseur"])
            checks.append(lambda i: str(directory.OWN_ID_STRUCTURE) == wanted)
        statuses = body.get("statutCourant")
        if statuses:
            statuses = {statuses} if isinstance(statuses, str) else set(statuses)
            checks.append(lambda i: i["statut"] in statuses)
        if body.get("typeFacture"):
            checks.append(lambda i: _search_value(i, "typeFacture") == body["typeFacture"])
        if body.get("rejetTraite") is not None:
            checks.append(lambda i: i["rejetTraite"] == bool(body["rejetTraite"]))
        for prefix, getter in (
            ("periodeDateHeureEtatCourant", lambda i: i["status_at"]),
            ("periodeDateDepot", lambda i: i["deposited_at"]),
            ("periodeDateFacture", _invoice_date),
        ):
            for suffix, end in (("Du", False), ("Au", True)):
                name = prefix + suffix
                if body.get(name):
                    bound = cs.parse_moment(body[name], end=end, name=name)
                    if end:
                        checks.append(lambda i, g=getter, b=bound: g(i) <= b)
                    else:
                        checks.append(lambda i, g=getter, b=bound: g(i) >= b)
        for recipient in body.get("listeDestinataire") or []:
            ids = {str(recipient.get("idDestinataire"))}
            services = {str(s) for s in recipient.get("listeIdServiceExecutant") or []}
            checks.append(
                lambda i, ids=ids, services=services: (
                    str(i["buyer"]["idStructureCPP"]) in ids
                    and (not services or str((i["service"] or {}).get("idService")) in services)
                )
            )
        with self.state.lock:
            invoices = sorted(
                self.state.invoices.values(), key=lambda i: i["identifiantFactureCPP"]
            )
            return [i for i in invoices if all(check(i) for check in checks)]

    def consulter_historique(self, body):
        invoice = self.state.find_invoice(_int_param(body, "idFacture"))
        params = body.get("paramRechercheHistoStatuts")
        history = sorted(invoice["history"], key=lambda h: h["id"], reverse=True)
        page, meta = self._paginate(
            history,
            params,
            "nbResultatsParPageListeHistoStatut",
            "pageResultatDemandeeListeHistoStatut",
        )
        deposit = invoice["history"][0]
        return {
            "idFacture": invoice["identifiantFactureCPP"],
            "numeroFacture": invoice["numeroFacture"],
            "statutCourantCode": invoice["statut"],
            "modeDepot": "DEPOT_FLUX",
            "historiquesDesStatuts": {
                "histoStatut": [_history_item(h) for h in page],
                "nbResultatsParPageHistoStatut": meta["nbResultatsParPage"],
                "pageCouranteHistoStatut": meta["pageCourante"],
                "pagesHistoStatut": meta["pages"],
                "totalHistoStatut": meta["total"],
            },
            "derniereAction": {"derniereActionCode": "DEPOSER", "derniereActionId": deposit["id"]},
            "historiquesDesActionsUtilisateurs": {
                "histoAction": [
                    {
                        "histoActionCode": "DEPOSER",
                        "histoActionDateHeure": cs.fmt_history(invoice["deposited_at"]),
                        "histoActionId": deposit["id"],
                        "histoActionUtilisateurEmail": TECH_LOGIN,
                        "histoActionUtilisateurNom": "TECHNIQUE",
                        "histoActionUtilisateurPrenom": "Compte",
                        "histoActionUtilisateurTelephone": "",
                    }
                ],
                "nbResultatsParPageHistoAction": DEFAULT_PAGE_SIZE,
                "pageCouranteHistoAction": 1,
                "pagesHistoAction": 1,
                "totalHistoAction": 1,
            },
            "historiquesDesEvenementsComplementaires": {
                "evenement": [],
                "nbResultatsParPageEvenement": DEFAULT_PAGE_SIZE,
                "pageCouranteEvenement": 1,
                "pagesEvenement": 0,
                "totalEvenement": 0,
            },
        }

    def consulter_facture(self, body):
        invoice = self.state.find_invoice(_int_param(body, "identifiantFactureCPP"))
        return {"facture": _invoice_detail(invoice)}

    # -- transverses -----------------------------------------------------------
    def consulter_cr_detaille(self, body):
        _require(body, "numeroFluxDepot")
        flow = self.state.consult_flow(str(body["numeroFluxDepot"]))
        return {
            "nomFichier": f"{cs.INTERFACE_CODE}_CPP001_{flow['numeroFluxDepot']}",
            "codeInterfaceDepotFlux": cs.INTERFACE_CODE,
            "dateDepotFlux": cs.fmt_timestamp(flow["deposited_at"]),
            "etatCourantDepotFlux": flow["state"],
            "dateHeureEtatCourantFlux": cs.fmt_timestamp(flow["state_at"]),
            "listeErreurDP": list(flow["dp_errors"]) if flow["processed"] else [],
            "listeErreurTechnique": list(flow["technical_errors"]) if flow["processed"] else [],
        }

    def ajouter_fichier(self, body):
        _require(
            body,
            "pieceJointeFichier",
            "pieceJointeNom",
            "pieceJointeTypeMime",
            "pieceJointeExtension",
        )
        name, extension = str(body["pieceJointeNom"]), str(body["pieceJointeExtension"])
        if len(name) > 50:
            raise cs.ChorusFault(
                cs.ERR_NAME, "Le nom de la pièce jointe ne doit pas dépasser 50 caractères"
            )
        if extension.lstrip(".").upper() not in ATTACHMENT_EXTENSIONS:
            raise cs.ChorusFault(cs.ERR_EXTENSION, f"L'extension {extension} n'est pas autorisée")
        data = cs.decode_base64(body["pieceJointeFichier"], "pieceJointeFichier")
        if len(data) > ATTACHMENT_MAX_BYTES:
            raise cs.ChorusFault(
                cs.ERR_TOO_BIG, "La taille de la pièce jointe dépasse la limite autorisée (10 Mo)"
            )
        attachment_id = self.state.add_attachment(
            name, body["pieceJointeTypeMime"], extension, len(data)
        )
        return {"pieceJointeId": attachment_id}

    # -- structures ------------------------------------------------------------
    def rechercher_structures(self, body):
        criteria = body.get("structure") or {}
        checks = []
        if criteria.get("identifiantStructure"):
            checks.append(lambda s: s["siret"] == str(criteria["identifiantStructure"]).strip())
        if criteria.get("typeIdentifiantStructure"):
            checks.append(lambda s: criteria["typeIdentifiantStructure"] == "SIRET")
        if criteria.get("raisonSocialeStructure"):
            needle = str(criteria["raisonSocialeStructure"]).casefold()
            checks.append(lambda s: needle in s["name"].casefold())
        if body.get("restreindreStructuresPrivees"):
            checks.append(lambda s: not s["public"])
        found = [s for s in directory.STRUCTURES if all(check(s) for check in checks)]
        page, parametres = self._paginate(found, body.get("parametres"))
        return {
            "listeStructures": [
                {
                    "idStructureCPP": s["idStructureCPP"],
                    "identifiantStructure": s["siret"],
                    "typeIdentifiantStructure": "SIRET",
                    "designationStructure": s["name"],
                    "statut": "ACTIF",
                }
                for s in page
            ],
            "parametresRetour": parametres,
        }

    def _structure(self, body, *keys):
        for key in keys:
            if body.get(key) not in (None, ""):
                structure = cs.structure_by_id(body[key])
                if structure is None:
                    raise cs.ChorusFault(
                        cs.ERR_UNKNOWN_STRUCTURE,
                        f"La structure {body[key]} n'existe pas ou n'est pas accessible",
                        200,
                    )
                return structure
        raise cs.ChorusFault(cs.ERR_MISSING, f"Le paramètre {keys[0]} est obligatoire")

    def consulter_structure(self, body):
        s = self._structure(body, "idStructureCPP", "idStructure")
        own = s["idStructureCPP"] == directory.OWN_ID_STRUCTURE
        address = s["address"]
        return {
            "informationGenerales": {
                "idStructureCPP": s["idStructureCPP"],
                "identifiantStructure": s["siret"],
                "typeIdentifiantStructure": "SIRET",
                "raisonSocialeStructure": s["name"],
                "libelleStructure": s["name"],
                "nomStructure": None,
                "prenomStructure": None,
                "numeroTVA": s["vat"],
                "numeroRcsStructure": None,
                "emailStructure": s["email"],
                "structurePriveePublique": "PUBLIQUE" if s["public"] else "PRIVEE",
                "estValideurDeleguee": False,
                "idStructureOrigine": None,
                "listeStructureDupliquees": [],
                "dateExpirationMotPasseCompteTech": (
                    cs.fmt_timestamp(self.password_expiry) if own else None
                ),
            },
            "adressePostaleDuSiege": {
                "adresse": address["adresse"],
                "complementAdresse1": None,
                "complementAdresse2": None,
                "codePostal": address["codePostal"],
                "ville": address["ville"],
                "pays": "FR",
                "indicatifTelephone": "+33" if s["phone"] else None,
                "telephone": s["phone"],
                "indicatifFax": None,
                "fax": None,
            },
            "parametres": {
                "codeServiceDoitEtreRenseigne": s["requires_service_code"],
                "numeroEJDoitEtreRenseigne": s["requires_ej"],
                "gestionNumeroEJOuCodeService": s["ej_or_service_code"],
                "statutMiseEnPaiementNestPasRemonte": s["payment_not_reported"],
                "connexionEDI": own,
                "recevoirDonneesViaEDI": False,
                "estMoaUniquement": False,
                "estValideurDelegue": False,
                "getaMoa": False,
                "nonDiffusibleInsee": False,
            },
        }

    def rechercher_services(self, body):
        s = self._structure(body, "idStructure", "idStructureCPP")
        page, parametres = self._paginate(
            s["services"], body.get("parametresRechercherServicesStructure")
        )
        return {
            "listeServices": [
                {
                    "idService": v["idService"],
                    "codeService": v["codeService"],
                    "libelleService": v["libelleService"],
                    "estActif": v["estActif"],
                    "statutService": "ACTIF" if v["estActif"] else "INACTIF",
                    "dateDbtService": v["dateDbtService"],
                    "dateFinService": v["dateFinService"],
                }
                for v in page
            ],
            "parametresRetour": parametres,
        }

    def consulter_service(self, body):
        s = self._structure(body, "idStructure", "idStructureCPP")
        wanted = _int_param(body, "idService")
        service = next((v for v in s["services"] if v["idService"] == wanted), None)
        if service is None:
            raise cs.ChorusFault(
                cs.ERR_UNKNOWN_SERVICE,
                f"Le service {wanted} n'existe pas pour cette structure",
                200,
            )
        address = s["address"]
        return {
            "informationsGenerales": {
                "codeService": service["codeService"],
                "nomService": service["libelleService"],
                "descriptionService": service["libelleService"],
            },
            "adressePostale": {
                "adresse": address["adresse"],
                "complementAdresse1": None,
                "complementAdresse2": None,
                "codePostal": address["codePostal"],
                "ville": address["ville"],
                "pays": "FR",
                "indicatifTelephone": None,
                "telephone": None,
                "indicatifFax": None,
                "fax": None,
            },
            "parametres": {
                "numeroEngagement": service["ej_required"] or s["requires_ej"],
                "miseEnPaiement": not s["payment_not_reported"],
                "dateCreation": f"{service['dateDbtService']} 00:00",
                "dateModification": f"{service['dateDbtService']} 00:00",
                "dateDebutValidite": f"{service['dateDbtService']} 00:00",
                "dateFinValidite": (
                    f"{service['dateFinService']} 23:59" if service["dateFinService"] else None
                ),
            },
        }

    def rechercher_ej(self, body):
        _require(body, "structureReceptriceEngagementJuridique")
        if str(body["structureReceptriceEngagementJuridique"]) != str(directory.OWN_ID_STRUCTURE):
            raise cs.ChorusFault(
                cs.ERR_UNKNOWN_STRUCTURE,
                "La structure réceptrice n'est pas rattachée au compte technique",
                200,
            )
        number, state = (
            body.get("numeroEngagementJuridique"),
            body.get("etatCourantEngagementJuridique"),
        )
        found = [
            (buyer, ej)
            for buyer in directory.PUBLIC_BUYERS
            for ej in buyer["legal_commitments"]
            if (not number or ej["number"] == number) and (not state or ej["state"] == state)
        ]
        page, parametres = self._paginate(found, body.get("parametresRechercheEngagementJuridique"))
        return {
            "listeEngagementJuridique": [
                {
                    "idEngagementJuridique": int(f"{buyer['idStructureCPP']}{index:04d}"),
                    "numeroEngagementJuridique": ej["number"],
                    "etatCourantEngagementJuridique": ej["state"],
                    "montantTtcEngagementJuridique": ej["amount"],
                    "idStructureEmettrice": buyer["idStructureCPP"],
                    "identifiantStructureEmettrice": buyer["siret"],
                    "raisonSocialeStructureEmettrice": buyer["name"],
                    "idStructureReceptrice": directory.OWN_ID_STRUCTURE,
                    "identifiantStructureReceptrice": directory.OWN_SIRET,
                    "designationStructureReceptrice": directory.OWN_STRUCTURE["name"],
                }
                for index, (buyer, ej) in enumerate(page, start=1)
            ],
            "parametresRetour": parametres,
        }

    # -- admin -----------------------------------------------------------------
    def admin_process_flows(self, request):
        return SandboxResponse.json({"processed": self.state.process_flows()})

    def admin_advance(self, request):
        spec = request.json() or {}
        try:
            invoice = self.state.find_invoice(
                spec.get("identifiantFactureCPP"), spec.get("numeroFacture")
            )
            moment = cs.parse_moment(spec["dateHeure"]) if spec.get("dateHeure") else None
            self.state.advance(invoice, spec.get("statut"), spec.get("commentaire"), moment)
        except cs.ChorusFault as fault:
            return SandboxResponse.json({"error": fault.libelle}, 404)
        except ValueError as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        return SandboxResponse.json(_admin_invoice(invoice))

    def admin_advance_all(self, request):
        return SandboxResponse.json({"advanced": self.state.advance_all()})

    def admin_seed(self, request):
        spec = request.json() or {}
        try:
            at = spec.get("dateHeureEtatCourant")
            created = self.state.seed(
                int(spec.get("count", 0)),
                spec.get("prefix", "SEED-"),
                spec.get("statut", "MISE_A_DISPOSITION"),
                cs.parse_moment(at) if at else None,
                spec.get("buyers"),
                spec.get("numerosFacture"),
            )
            changed_at = spec.get("changedAt")
            changed_at = cs.parse_moment(changed_at) if changed_at else cs.now()
            changed = []
            for invoice in created[: int(spec.get("changed", 0))]:
                if self.state.next_status(invoice):
                    self.state.advance(invoice, moment=changed_at)
                    changed.append(invoice["identifiantFactureCPP"])
        except (ValueError, cs.ChorusFault) as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        return SandboxResponse.json(
            {
                "created": len(created),
                "factures": [_admin_invoice(i, history=False) for i in created],
                "changed": changed,
            }
        )

    def admin_invoices(self, request):
        with self.state.lock:
            invoices = sorted(
                self.state.invoices.values(), key=lambda i: i["identifiantFactureCPP"]
            )
            return SandboxResponse.json([_admin_invoice(i) for i in invoices])

    def admin_shape(self, request):
        try:
            pending = self.shapes.add(request.json() or {})
        except ValueError as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        return SandboxResponse.json({"pending": pending})

    def admin_config(self, request):
        spec = request.json() or {}
        if "flow_delay" in spec:
            self.state.flow_delay = int(spec["flow_delay"])
        if "password_expiry_days" in spec:
            self.password_expiry = cs.now() + dt.timedelta(days=float(spec["password_expiry_days"]))
        if "auto_advance_seconds" in spec:
            self.state.auto_advance_seconds = spec["auto_advance_seconds"]
        if "max_page_size" in spec:
            self.max_page_size = int(spec["max_page_size"])
        return SandboxResponse.json(
            {
                "flow_delay": self.state.flow_delay,
                "password_expiry": cs.fmt_timestamp(self.password_expiry),
                "auto_advance_seconds": self.state.auto_advance_seconds,
                "max_page_size": self.max_page_size,
            }
        )


# -- serialisers --------------------------------------------------------------
def _fault(fault):
    return SandboxResponse.json(
        {"codeRetour": fault.code, "libelle": fault.libelle}, fault.http_status
    )


def _invoice_date(invoice):
    date = invoice["data"]["date"]
    return cs.parse_moment(date) if date and len(date) == 10 else invoice["deposited_at"]


def _search_value(invoice, key):
    data = invoice["data"]
    return {
        "numeroFluxDepot": invoice["numeroFluxDepot"],
        "numeroFacture": invoice["numeroFacture"],
        "numeroBonCommande": data["ej"],
        "numeroMarche": data["contract"],
        "typeFacture": cs.TYPE_CODES.get(data["type_code"], "FACTURE"),
    }[key]


def _search_item(invoice):
    data, buyer, service = invoice["data"], invoice["buyer"], invoice["service"] or {}
    own = directory.OWN_STRUCTURE
    return {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "numeroFacture": invoice["numeroFacture"],
        "statut": invoice["statut"],
        "dateHeureEtatCourant": cs.fmt_timestamp(invoice["status_at"]),
        "commentaireEtatCourant": invoice["commentaire"],
        "numeroFluxDepot": invoice["numeroFluxDepot"],
        "dateDepot": cs.fmt_date(invoice["deposited_at"]),
        "dateFacture": data["date"],
        "typeFacture": _search_value(invoice, "typeFacture"),
        "typeDemandePaiement": "FACTURE",
        "codeDestinataire": buyer["siret"],
        "idDestinataire": buyer["idStructureCPP"],
        "designationDestinataire": buyer["name"],
        "codeServiceExecutant": service.get("codeService"),
        "idServiceExecutant": service.get("idService"),
        "nomServiceExecutant": service.get("libelleService"),
        "codeFournisseur": own["siret"],
        "typeIdentifiantFournisseur": "SIRET",
        "designationFournisseur": own["name"],
        "codeServiceFournisseur": None,
        "nomServiceFournisseur": None,
        "numeroBonCommande": data["ej"],
        "numeroMarche": data["contract"],
        "numeroFactureOrigine": None,
        "montantHT": data["untaxed"],
        "montantTTC": data["total"],
        "montantAPayer": data["due"],
        "devise": data["currency"],
        "rejetTraite": invoice["rejetTraite"],
        "modeDepot": "DEPOT_FLUX",
        "nomPrenomUtilisateurCreateur": "TECHNIQUE Compte",
        "taille": 1,
        "affactureurCode": None,
        "affactureurRaisonSociale": None,
        "affactureurTypeIdentifiant": None,
        "coordBancairesFournisseurCleIban": None,
        "coordBancairesFournisseurCleRib": None,
        "coordBancairesFournisseurCodeBanque": None,
        "coordBancairesFournisseurCodePays": None,
        "coordBancairesFournisseurCompteBancaire": None,
        "coordBancairesFournisseurNomCb": None,
        "codeValideur1": None,
        "codeValideur2": None,
        "dateValidation1": None,
        "dateValidation2": None,
        "nomValideur1": None,
        "nomValideur2": None,
        "prenomValideur1": None,
        "prenomValideur2": None,
        "raisonSocialeValideur1": None,
        "raisonSocialeValideur2": None,
        "typeIdentifiantValideur1": None,
        "typeIdentifiantValideur2": None,
    }


def _history_item(entry):
    return {
        "histoStatutId": entry["id"],
        "histoStatutCode": entry["code"],
        "histoStatutDatePassage": cs.fmt_history(entry["at"]),
        "histoStatutCommentaire": entry["comment"],
        "histoStatutUtilisateurEmail": None,
        "histoStatutUtilisateurNom": None,
        "histoStatutUtilisateurPrenom": None,
        "histoStatutUtilisateurTelephone": None,
    }


def _invoice_detail(invoice):
    data, buyer, service = invoice["data"], invoice["buyer"], invoice["service"] or {}
    own = directory.OWN_STRUCTURE
    lines = [
        {
            "lignePosteNumero": index,
            "lignePosteReference": line["reference"],
            "lignePosteDenomination": line["name"],
            "lignePosteQuantite": line["quantity"],
            "lignePosteUniteCode": 1,
            "lignePosteUniteLibelle": line["unit"],
            "lignePosteMontantUnitaireHT": line["unit_price"],
            "lignePosteMontantRemiseHT": 0.0,
            "lignePosteMontantHtApresRemise": line["amount"],
            "lignePosteTauxTva": f"TVA{line['vat_rate']:g}"
            if line["vat_rate"] is not None
            else None,
            "lignePosteTauxTvaManuel": line["vat_rate"],
            "lignePosteMontantTva": _vat_of(line),
            "lignePosteMontantTtcApresRemise": _ttc_of(line),
        }
        for index, line in enumerate(data["lines"], start=1)
    ]
    vat = [
        {
            "ligneTvaTauxRefCode": f"TVA{v['rate']:g}" if v["rate"] is not None else None,
            "ligneTvaTauxRefId": index,
            "ligneTvaTauxRefLibelle": f"{v['rate']:g} %" if v["rate"] is not None else None,
            "ligneTvaTauxRefValeur": v["rate"],
            "ligneTvaTauxManuel": v["rate"],
            "ligneTvaMontantBaseHtParTaux": v["base"],
            "ligneTvaMontantTvaParTaux": v["amount"],
        }
        for index, v in enumerate(data["vat"], start=1)
    ]
    address = buyer["address"]
    return {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "numeroFacture": invoice["numeroFacture"],
        "statutFacture": invoice["statut"],
        "commentaire": invoice["commentaire"],
        "modeDepot": "DEPOT_FLUX",
        "cadreDeFacturation": {
            "codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"
            if (data["cadre"] or "A1") in ("A1", "S1", "B1")
            else data["cadre"],
            **dict.fromkeys(_CADRE_UNUSED),
        },
        "destinataire": {
            "idDestinataire": buyer["idStructureCPP"],
            "codeDestinataire": buyer["siret"],
            "libelleDestinataire": buyer["name"],
            "destinataireEtat": "ACTIF",
            "idServiceExecutant": service.get("idService"),
            "codeServiceExecutant": service.get("codeService"),
            "libelleServiceExecutant": service.get("libelleService"),
            "adresseDestinataireId": buyer["idStructureCPP"],
            "adresseDestinataireDetail": address["adresse"],
            "adresseDestinataireComplement1": None,
            "adresseDestinataireComplement2": None,
            "adresseDestinataireCodePostal": address["codePostal"],
            "adresseDestinataireVille": address["ville"],
            "adresseDestinataireCodePays": "FR",
            "adresseDestinataireLibellePays": "France",
        },
        "fournisseur": {
            "idFournisseur": own["idStructureCPP"],
            "codeFournisseur": own["siret"],
            "typeIdentifiantFournisseur": "SIRET",
            "designationFournisseur": own["name"],
            "numeroRcsFournisseur": None,
            "adresseFournisseurDetail": own["address"]["adresse"],
            "adresseFournisseurCodePostal": own["address"]["codePostal"],
            "adresseFournisseurVille": own["address"]["ville"],
            "adresseFournisseurCodePays": "FR",
            "adresseFournisseurLibellePays": "France",
            "adresseFournisseurId": own["idStructureCPP"],
            "adresseFournisseurComplement1": None,
            "adresseFournisseurComplement2": None,
            "idServiceFournisseur": own["services"][0]["idService"],
            "codeServiceFournisseur": own["services"][0]["codeService"],
            "libelleServiceFournisseur": own["services"][0]["libelleService"],
            "affactureur": dict.fromkeys(
                (
                    "affactureurId",
                    "affactureurCode",
                    "affactureurCodePays",
                    "affactureurRaisonSociale",
                    "affactureurTypeIdentifiant",
                )
            ),
            **dict.fromkeys(_BANK_UNUSED),
        },
        "references": {
            "numeroBonCommande": data["ej"],
            "numeroMarche": data["contract"],
            "typeFacture": _search_value(invoice, "typeFacture"),
            "typeTva": "TVA_SUR_DEBIT",
            "modePaiement": "VIREMENT" if data["payment_means"] in ("30", "58", None) else "AUTRE",
            "dateFacture": data["date"],
            "dateDepot": cs.fmt_date(invoice["deposited_at"]),
            "dateEcheancePaiement": data["due_date"],
            "dateCreationFacture": cs.fmt_history(invoice["deposited_at"]),
            "codeDeviseFacture": data["currency"],
            "libelleDeviseFacture": "Euro" if data["currency"] == "EUR" else data["currency"],
            "numeroFactureOrigine": None,
            "motifExonerationTva": None,
            "libelleMotifExonerationTva": None,
            "numeroDpMandat": None,
            "tailleTotalePiecesJointes": 0,
            "typeFactureTravaux": None,
        },
        "montantTotal": {
            "montantHtTotal": data["untaxed"],
            "montantTVA": data["tax"],
            "montantTtcTotal": data["total"],
            "montantAPayer": data["due"],
            "montantRemiseGlobaleTTC": 0.0,
            "montantTtcAvantRemiseGlobalTTC": data["total"],
            "motifRemiseGlobaleTTC": None,
        },
        "lignesDePoste": {
            "lignePoste": lines,
            "nbResultatsParPageLignesPoste": max(len(lines), 1),
            "pageCouranteLignesPoste": 1,
            "pagesLignesPoste": 1,
            "totalLignesPoste": len(lines),
        },
        "recapitulatifDeTva": {
            "ligneTva": vat,
            "nbResultatsParPageLignesRecapitulativesTVA": max(len(vat), 1),
            "pageCouranteLignesRecapitulativesTVA": 1,
            "pagesLignesRecapitulativesTVA": 1,
            "totalLignesRecapitulativesTVA": len(vat),
        },
        "listeDesPiecesJointes": {
            "pieceJointe": [],
            "nbResultatsParPageListePiecesJointe": DEFAULT_PAGE_SIZE,
            "pageCouranteListePiecesJointe": 1,
            "pagesListePiecesJointe": 0,
            "totalListePiecesJointe": 0,
        },
        "piecePrecedente": dict.fromkeys(_PREVIOUS_UNUSED),
        "pieceSuivante": dict.fromkeys(
            ("cadreFacturationPieceSuivante", "idPieceSuivante", "numeroPieceSuivante")
        ),
        "pieceJointePrincipale": {
            "idPieceJointePrincipale": invoice["identifiantFactureCPP"],
            "idLiaisonPieceJointePrincipale": invoice["identifiantFactureCPP"],
        },
    }


# Keys of the documented detail that the sandbox leaves empty (no MOA/MOE,
# validators, factoring, bank details or linked invoices are emulated).
_CADRE_UNUSED = (
    "codeServiceMoa",
    "codeServiceMoe",
    "codeValideur1",
    "codeValideur2",
    "dateValidation1",
    "dateValidation2",
    "designationMoa",
    "designationMoe",
    "designationValideur2",
    "idMoa",
    "idMoe",
    "idServiceMoa",
    "idServiceMoe",
    "idValideur1",
    "idValideur2",
    "identifiantMoa",
    "identifiantMoe",
    "nomMoe",
    "nomServiceMoa",
    "nomServiceMoe",
    "nomValideur1",
    "nomValideur2",
    "prenomMoe",
    "prenomValideur1",
    "prenomValideur2",
    "raisonSocialeMoa",
    "raisonSocialeMoe",
    "raisonSocialeValideur1",
    "raisonSocialeValideur2",
    "typeIdentifiantMoa",
    "typeIdentifiantMoe",
    "typeIdentifiantValideur1",
    "typeIdentifiantValideur2",
)
_BANK_UNUSED = (
    "coordBancairesBicSwift",
    "coordBancairesCodeGuichet",
    "coordBancairesFournisseurCleIban",
    "coordBancairesFournisseurCleRib",
    "coordBancairesFournisseurCodeBanque",
    "coordBancairesFournisseurCodePays",
    "coordBancairesFournisseurCompteBancaire",
    "coordBancairesFournisseurId",
    "coordBancairesFournisseurLibelle",
    "coordBancairesFournisseurType",
)
_PREVIOUS_UNUSED = (
    "cadreFacturationPiecePrecedente",
    "codeServiceExecutantPiecePrecedente",
    "idDestinatairePiecePrecedente",
    "idPiecePrecedente",
    "idServiceExecutantPiecePrecedente",
    "identifiantDestinatairePiecePrecedente",
    "nomServiceExecutantPiecePrecedente",
    "numeroPiecePrecedente",
    "raisonSocialeDestinatairePiecePrecedente",
)


def _vat_of(line):
    if line["amount"] is None or line["vat_rate"] is None:
        return None
    return round(line["amount"] * line["vat_rate"] / 100, 2)


def _ttc_of(line):
    vat = _vat_of(line)
    return None if vat is None else round(line["amount"] + vat, 2)


def _admin_invoice(invoice, history=True):
    result = {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "numeroFacture": invoice["numeroFacture"],
        "numeroFluxDepot": invoice["numeroFluxDepot"],
        "statut": invoice["statut"],
        "dateHeureEtatCourant": cs.fmt_timestamp(invoice["status_at"]),
        "commentaireEtatCourant": invoice["commentaire"],
        "codeDestinataire": invoice["buyer"]["siret"],
        "codeServiceExecutant": (invoice["service"] or {}).get("codeService"),
        "numeroBonCommande": invoice["data"]["ej"],
        "rejetTraite": invoice["rejetTraite"],
        "piecesJointesComplementaires": list(invoice.get("attachments", [])),
    }
    if history:
        result["historique"] = [
            {
                "statut": h["code"],
                "dateHeure": cs.fmt_timestamp(h["at"]),
                "commentaire": h["comment"],
            }
            for h in invoice["history"]
        ]
    return result
