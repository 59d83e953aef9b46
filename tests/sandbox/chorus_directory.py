"""The Chorus Pro directory served by the sandbox, as plain data.

Other tests and the demo import these lists to use the very buyers the
sandbox knows (``from tests.sandbox.chorus_directory import PUBLIC_BUYERS``).

``OWN_STRUCTURE``: our supplier structure (Duret Électricité, SIRET
84231765300017, ``idStructureCPP`` 26311001).  Its technical-account password
expires ``PASSWORD_EXPIRY_DAYS`` days after the sandbox starts (option
``password_expiry_days``), so password reminders can be demoed.

``PUBLIC_BUYERS``: public bodies of Savoie (73), Haute-Savoie (74) and Isère
(38).  SIRETs are valid (Luhn on SIREN and SIRET) and follow the real
numbering (communes ``21`` + INSEE code, départements ``22``, hospitals ``26``,
EPLE ``19``); they are realistic, not checked against Sirene.  Each dict has:

* ``siret``, ``idStructureCPP``, ``name``, ``kind``, ``address``
  (``adresse``, ``codePostal``, ``ville``), ``email``;
* the Chorus ``parametres`` flags: ``requires_service_code``
  (codeServiceDoitEtreRenseigne), ``requires_ej`` (numeroEJDoitEtreRenseigne),
  ``ej_or_service_code`` (gestionNumeroEJOuCodeService),
  ``payment_not_reported`` (statutMiseEnPaiementNestPasRemonte: the invoice
  stops at MANDATEE, MISE_EN_PAIEMENT never comes);
* ``services``: ``idService``, ``codeService``, ``libelleService``,
  ``estActif``, ``dateDbtService``, ``dateFinService``, ``ej_required``
  (``parametres.numeroEngagement`` of ``structures/v1/consulter/service``).
  ``FACTURES_PUBLIQUES`` is reserved to invoices between public bodies: a
  supplier invoice addressed to it is rejected like an unknown code;
* ``legal_commitments``: engagements juridiques (EJ) issued to us:
  ``number``, ``state``, ``amount``.

Quick picks for tests: ``buyer(siret)``, ``BUYER_NO_REQUIREMENT`` (Ugine),
``BUYER_SERVICE_CODE`` (Albertville), ``BUYER_EJ`` (Chambéry),
``BUYER_PAYMENT_NOT_REPORTED`` (CH Métropole Savoie).
"""

OWN_SIRET = "84231765300017"
OWN_ID_STRUCTURE = 26311001
PASSWORD_EXPIRY_DAYS = 20

OWN_STRUCTURE = {
    "siret": OWN_SIRET,
    "idStructureCPP": OWN_ID_STRUCTURE,
    "name": "DURET ELECTRICITE",
    "kind": "entreprise",
    "vat": "FR54842317653",
    "address": {
        "adresse": "145 avenue du Général de Gaulle",
        "codePostal": "73200",
        "ville": "Albertville",
    },
    "email": "contact@duret-electricite.fr",
    "phone": "0479320000",
    "public": False,
    "requires_service_code": False,
    "requires_ej": False,
    "ej_or_service_code": False,
    "payment_not_reported": False,
    "services": [
        {
            "idService": 9263110,
            "codeService": "FACTURATION",
            "libelleService": "Service facturation",
            "estActif": True,
            "dateDbtService": "2019-01-01",
            "dateFinService": None,
            "ej_required": False,
        }
    ],
    "legal_commitments": [],
}


def _service(id_service, code, label, active=True, start="2019-01-01", end=None, ej=False):
    return {
        "idService": id_service,
        "codeService": code,
        "libelleService": label,
        "estActif": active,
        "dateDbtService": start,
        "dateFinService": end,
        "ej_required": ej,
    }


def _public_invoices_service(id_service):
    return _service(id_service, "FACTURES_PUBLIQUES", "Factures entre entités publiques")


def _buyer(siret, id_structure, name, kind, address, email, services=(), commitments=(), **flags):
    return {
        "siret": siret,
        "idStructureCPP": id_structure,
        "name": name,
        "kind": kind,
        "vat": None,
        "address": dict(zip(("adresse", "codePostal", "ville"), address, strict=True)),
        "email": email,
        "phone": None,
        "public": True,
        "requires_service_code": flags.get("requires_service_code", False),
        "requires_ej": flags.get("requires_ej", False),
        "ej_or_service_code": flags.get("ej_or_service_code", False),
        "payment_not_reported": flags.get("payment_not_reported", False),
        "services": list(services),
        "legal_commitments": [
            {"number": number, "state": state, "amount": amount}
            for number, state, amount in commitments
        ],
    }


PUBLIC_BUYERS = [
    _buyer(
        "21730011000012",
        25730011,
        "COMMUNE D'ALBERTVILLE",
        "commune",
        ("12 cours de l'Hôtel de Ville", "73200", "Albertville"),
        "mairie@albertville.fr",
        services=[
            _service(7301101, "SERV-TECH", "Services techniques"),
            _service(7301102, "FINANCES", "Direction des finances"),
            _service(
                7301103,
                "ECLAIRAGE",
                "Éclairage public (ancien service)",
                active=False,
                end="2024-12-31",
            ),
            _public_invoices_service(7301104),
        ],
        requires_service_code=True,
    ),
    _buyer(
        "21730065600014",
        25730065,
        "COMMUNE DE CHAMBERY",
        "commune",
        ("Place de l'Hôtel de Ville", "73000", "Chambéry"),
        "marches@mairie-chambery.fr",
        services=[_service(7306501, "DST", "Direction des services techniques")],
        commitments=[
            ("EJ-2026-000123", "COMMANDE", 48000.0),
            ("EJ-2026-000124", "COMMANDE", 12500.0),
            ("EJ-2025-000987", "SOLDE", 7300.0),
        ],
        requires_ej=True,
    ),
    _buyer(
        "21733030700018",
        25733030,
        "COMMUNE D'UGINE",
        "commune",
        ("Place de l'Hôtel de Ville", "73400", "Ugine"),
        "mairie@ugine.fr",
    ),
    _buyer(
        "21731810400015",
        25731810,
        "COMMUNE DE MOUTIERS",
        "commune",
        ("Place Aristide Briand", "73600", "Moûtiers"),
        "mairie@moutiers.fr",
        services=[_service(7318101, "ST", "Services techniques municipaux")],
        commitments=[("BC-2026-0042", "COMMANDE", 3600.0)],
        ej_or_service_code=True,
    ),
    _buyer(
        "21740010000012",
        25740010,
        "COMMUNE D'ANNECY",
        "commune",
        ("1 place de l'Hôtel de Ville", "74000", "Annecy"),
        "commande-publique@annecy.fr",
        services=[
            _service(7401001, "DBAT", "Direction des bâtiments"),
            _service(7401002, "DVOIRIE", "Direction de la voirie et de l'éclairage"),
            _public_invoices_service(7401003),
        ],
        requires_service_code=True,
    ),
    _buyer(
        "21380185500015",
        25380185,
        "VILLE DE GRENOBLE",
        "commune",
        ("11 boulevard Jean Pain", "38000", "Grenoble"),
        "marches.publics@grenoble.fr",
        services=[
            _service(3818501, "DIRIMMO", "Direction de l'immobilier municipal", ej=True),
            _service(3818502, "ESPPUB", "Espaces publics"),
        ],
        commitments=[("2026EJ004512", "COMMANDE", 95000.0)],
        requires_service_code=True,
        requires_ej=True,
    ),
    _buyer(
        "22730001900014",
        25730001,
        "DEPARTEMENT DE LA SAVOIE",
        "departement",
        ("Château des ducs de Savoie", "73000", "Chambéry"),
        "commande.publique@savoie.fr",
        services=[
            _service(7300101, "DRD", "Direction des routes départementales"),
            _service(7300102, "COLLEGES", "Direction des collèges"),
            _public_invoices_service(7300103),
        ],
        commitments=[("0000012219", "COMMANDE", 3600.0), ("0000012305", "COMMANDE", 22000.0)],
        requires_ej=True,
    ),
    _buyer(
        "26730001000027",
        25730002,
        "CENTRE HOSPITALIER METROPOLE SAVOIE",
        "hopital",
        ("Place Lucien Biset", "73000", "Chambéry"),
        "achats@ch-metropole-savoie.fr",
        services=[
            _service(7300201, "ACHATS", "Direction des achats et de la logistique"),
            _service(7300202, "TRAVAUX", "Direction des travaux et du patrimoine"),
        ],
        requires_service_code=True,
        payment_not_reported=True,
    ),
    _buyer(
        "26740079400017",
        25740079,
        "CENTRE HOSPITALIER ANNECY GENEVOIS",
        "hopital",
        ("1 avenue de l'Hôpital", "74370", "Épagny Metz-Tessy"),
        "achats@ch-annecygenevois.fr",
        commitments=[("CHAG-2026-00731", "COMMANDE", 18400.0)],
        requires_ej=True,
    ),
    _buyer(
        "19730013000014",
        25730013,
        "LYCEE JEAN MOULIN",
        "lycee",
        ("2 rue Pierre de Coubertin", "73200", "Albertville"),
        "ce.0730013t@ac-grenoble.fr",
    ),
    _buyer(
        "19730222700016",
        25730222,
        "COLLEGE DU BEAUFORTAIN",
        "college",
        ("Chemin du Collège", "73270", "Beaufort"),
        "ce.0730222v@ac-grenoble.fr",
    ),
]

STRUCTURES = [OWN_STRUCTURE, *PUBLIC_BUYERS]


def buyer(siret):
    """The public buyer with this SIRET, or None."""
    return next((b for b in PUBLIC_BUYERS if b["siret"] == siret), None)


BUYER_NO_REQUIREMENT = buyer("21733030700018")
BUYER_SERVICE_CODE = buyer("21730011000012")
BUYER_EJ = buyer("21730065600014")
BUYER_PAYMENT_NOT_REPORTED = buyer("26730001000027")
