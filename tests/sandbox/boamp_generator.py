"""Deterministic generator of realistic BOAMP records (Explore v2.1 flat records).

``generate(count, seed, day, departements)`` returns ``(records, manifest)``: ``records``
are flat dicts with the 41 real fields in the real order (list fields as arrays,
``donnees``/``gestion`` as JSON strings); ``manifest`` maps each ``idweb`` to the
category the notice was written for, kept OUTSIDE the record so tests can assert what
a classifier should decide.

Categories:

* ``relevant``: electrical, public-lighting, photovoltaic, EV-charging or
  energy-renovation works in the home départements (73/74/38 by default);
* ``relevant_lot``: a building project whose ``Lot 8 Électricité CFO/CFA`` is published
  under the energy-supply CPV 09310000 (a real-world trap, docs/boamp.md section 8);
* ``energy_supply``: electricity/gas supply contracts (false positives), a third of
  them with an ``objet`` that never says "fourniture";
* ``other_trade``: other trades and services in the home départements;
* ``elsewhere``: relevant-looking works in other départements;
* ``rectificatif``, ``annulation``, ``attribution``: later notices linked to an earlier
  one by ``annonce_lie`` (and, for EFORMS, by ``contractfolderid``).

Which shapes rest on what:

* top-level fields, ``gestion`` and the FNSimple ``donnees``: copied from the REAL
  records in ``fixtures/boamp/ods_v21_records_fnsimple.json`` (key names, nesting,
  ``{"oui": ""}`` flags, ``@devise``, date formats);
* legacy ``donnees`` (IDENTITE/OBJET/PROCEDURE/CONDITION_DELAI): the REAL record
  ``fixtures/boamp/ods_v21_record_legacy_15-31501.json`` plus the paths of docs/boamp.md §5 (e);
* EFORMS ``donnees``: DOCUMENTATION only: the structure of the official eForms SDK
  examples (``fixtures/eforms``) converted as :mod:`.eforms` does, with our values;
* MAPA ``donnees``: DOCUMENTATION only, the paths listed in docs/boamp.md section 5 (c);
  FNSimple rectificatif/attribution blocks: the documented ``…avisInitial.idWeb``
  paths (docs/boamp.md section 5 (b)), inner keys invented;
* DSP ``donnees``: no documented structure at all (docs/boamp.md section 5 (d)); a minimal
  invented block, for parsers that must not crash on it.

Descriptor codes: the codes of ``fixtures/boamp/descripteurs_observed.csv`` are real;
the codes of labels marked ``invented`` below are NOT (the real ones are unknown,
docs/boamp.md section 9) and are chosen in the 9xx range so they never clash with a real one.
"""

import json
import random
import uuid
from datetime import date, datetime, timedelta

RECORD_FIELDS = (
    "idweb",
    "id",
    "contractfolderid",
    "objet",
    "filename",
    "famille",
    "code_departement",
    "code_departement_prestation",
    "famille_libelle",
    "dateparution",
    "datefindiffusion",
    "datelimitereponse",
    "nomacheteur",
    "titulaire",
    "perimetre",
    "type_procedure",
    "soustype_procedure",
    "procedure_libelle",
    "procedure_categorise",
    "nature",
    "sousnature",
    "nature_libelle",
    "sousnature_libelle",
    "nature_categorise",
    "nature_categorise_libelle",
    "criteres",
    "marche_public_simplifie",
    "marche_public_simplifie_label",
    "etat",
    "descripteur_code",
    "dc",
    "descripteur_libelle",
    "type_marche",
    "type_marche_facette",
    "type_avis",
    "annonce_lie",
    "annonces_anterieures",
    "source_schema",
    "gestion",
    "donnees",
    "url_avis",
)

HOME_DEPARTEMENTS = ("73", "74", "38")
INITIAL_CATEGORIES = ("relevant", "relevant_lot", "energy_supply", "other_trade", "elsewhere")
FOLLOW_UP_CATEGORIES = ("rectificatif", "annulation", "attribution")

# label -> code; "invented" codes are sandbox-only (see the module docstring)
DESCRIPTORS = {
    "Bâtiment": "33",
    "Isolation": "169",
    "Menuiserie": "222",
    "Peinture (travaux)": "264",
    "Plâtrerie": "269",
    "Prestations de services": "274",
    "Repas, traiteur": "304",
    "Revêtements de sols": "308",
    "Terrassement": "341",
    "Espaces verts": "116",
    "Informatique (matériel)": "162",
    "Câblage": "47",
    "Etude": "118",
    "Délégation de service public": "406",
    "Carburant, hydrocarbure": "52",
    "Maîtrise d'oeuvre": "197",
    # invented codes (real codes unknown, docs/boamp.md section 9)
    "Electricité (travaux)": "901",
    "Electricité": "902",
    "Eclairage public": "903",
    "Photovoltaïque": "904",
    "Chauffage (travaux)": "905",
    "Climatisation": "906",
    "Ventilation": "907",
    "Plomberie (travaux)": "908",
    "Tous corps d'état": "909",
    "Gros oeuvre": "910",
    "Energie": "911",
    "Voirie": "912",
    "Nettoyage": "913",
    "Déneigement": "914",
    "Vidéosurveillance": "915",
    "Assurance": "916",
}

FAMILLES = {
    "EFORMS": ("JOUE", "Marchés européens", "EFORMS", "None"),
    "FNSimple": ("FNS", "Marchés entre 90 k€ et seuils européens", "FNSimple", "3.2.5"),
    "MAPA": ("MAPA", "Marchés <90 k€ (MAPA)", "MAPA", "3.2.5"),
    "DSP": ("DSP", "Délégation de service public", "DSP", "3.2.5"),
    "LEGACY": ("FNS", "Marchés entre 90 k€ et seuils européens", "AUTRE", "Boamp_v230.xsd"),
}
NATURES = {
    "APPEL_OFFRE": ("Avis de marché", "appeloffre/standard", "Avis de marché/", "INITIAL"),
    "RECTIFICATIF": ("Rectificatif", "rectificatif/standard", "Rectificatif/", "RECTIFICATIF"),
    "ANNULATION": ("Annulation", "rectificatif/annulation", "Rectificatif/", "ANNULATION"),
    "ATTRIBUTION": ("Résultat de marché", "attribution/standard", "Résultat de marché/", "INITIAL"),
    "PRE_INFORMATION": (
        "Avis de pré-information",
        "preinformation/standard",
        "Avis informatif/",
        "INITIAL",
    ),
}
PROCEDURES = {
    "OUVERT": ("Procédure Ouverte", "open"),
    "PROCEDURE_ADAPTE": ("Procédure Adaptée", "open"),
    "RESTREINT": ("Procédure Restreinte", "restricted"),
    "NEGOCIE": ("Procédure Négociée", "neg-w-call"),
}
TYPE_FACETTE = {"TRAVAUX": "Travaux", "FOURNITURES": "Fournitures", "SERVICES": "Services"}
EFORMS_NATURE = {"TRAVAUX": "works", "FOURNITURES": "supplies", "SERVICES": "services"}

# (département, city, postal code, NUTS) and buyers per département
PLACES = {
    "73": [
        ("Albertville", "73200"),
        ("Chambéry", "73000"),
        ("Aix-les-Bains", "73100"),
        ("Moûtiers", "73600"),
        ("Bourg-Saint-Maurice", "73700"),
        ("Saint-Jean-de-Maurienne", "73300"),
        ("Montmélian", "73800"),
    ],
    "74": [
        ("Annecy", "74000"),
        ("Thonon-les-Bains", "74200"),
        ("Annemasse", "74100"),
        ("Cluses", "74300"),
        ("Sallanches", "74700"),
        ("Rumilly", "74150"),
    ],
    "38": [
        ("Grenoble", "38000"),
        ("Voiron", "38500"),
        ("Bourgoin-Jallieu", "38300"),
        ("Vienne", "38200"),
        ("Échirolles", "38130"),
        ("Meylan", "38240"),
    ],
    "69": [("Lyon", "69003"), ("Villeurbanne", "69100"), ("Vénissieux", "69200")],
    "01": [("Bourg-en-Bresse", "01000"), ("Oyonnax", "01100")],
    "26": [("Valence", "26000"), ("Montélimar", "26200")],
    "75": [("Paris", "75013")],
    "13": [("Marseille", "13002"), ("Aix-en-Provence", "13100")],
    "33": [("Bordeaux", "33000")],
    "44": [("Nantes", "44000")],
    "59": [("Lille", "59000")],
    "67": [("Strasbourg", "67000")],
    "31": [("Toulouse", "31000")],
    "35": [("Rennes", "35000")],
}
NUTS = {
    "73": "FRK27",
    "74": "FRK28",
    "38": "FRK24",
    "69": "FRK26",
    "01": "FRK21",
    "26": "FRK23",
    "75": "FR101",
    "13": "FRL04",
    "33": "FRI12",
    "44": "FRG01",
    "59": "FRE11",
    "67": "FRF11",
    "31": "FRJ23",
    "35": "FRH03",
}
DEPARTEMENT_BUYERS = {
    "73": [
        "Département de la Savoie",
        "SDES - Syndicat départemental d'énergie de la Savoie",
        "OPAC de la Savoie",
        "Centre hospitalier Métropole Savoie",
    ],
    "74": [
        "Département de la Haute-Savoie",
        "SYANE",
        "Haute-Savoie Habitat",
        "Grand Annecy Agglomération",
    ],
    "38": [
        "Département de l'Isère",
        "Territoire d'Énergie Isère (TE38)",
        "Grenoble-Alpes Métropole",
        "Université Grenoble Alpes",
        "CHU Grenoble Alpes",
    ],
}
BUILDINGS = [
    "groupe scolaire Jean Moulin",
    "gymnase municipal",
    "hôtel de ville",
    "médiathèque",
    "collège Louis Armand",
    "centre technique municipal",
    "salle polyvalente",
    "crèche des Marmottes",
    "EHPAD Les Edelweiss",
    "piscine intercommunale",
    "lycée du Granier",
    "maison de santé",
]
STREETS = [
    "avenue de la Gare",
    "route de Tamié",
    "rue de la République",
    "quai des Allobroges",
    "chemin des Vignes",
    "boulevard de la Mer Caspienne",
    "place de l'Église",
]
WINNERS = [
    "SPIE CityNetworks",
    "EIFFAGE ENERGIE SYSTEMES - CLEMESSY",
    "CITEOS",
    "BOUYGUES ENERGIES & SERVICES",
    "SOBECA",
    "SERPOLLET SAVOIE MONT BLANC",
    "Duret Électricité",
    "ENGIE Solutions",
    "CEGELEC ALPES",
    "Électricité Morel",
    "EDF",
    "TotalEnergies Electricité et Gaz France",
    "ENGIE",
    "Sodexo",
    "Colas France",
    "Peinture Savoyarde SARL",
]

# (objet template, main CPV, extra CPVs, type_marche, descriptors)
RELEVANT = [
    (
        "Travaux de rénovation de l'éclairage public - {city}",
        "45316110",
        ["34928500"],
        "TRAVAUX",
        ["Eclairage public"],
    ),
    (
        "Remplacement des luminaires d'éclairage public par des luminaires LED - tranche {year}",
        "45316100",
        ["34993000"],
        "TRAVAUX",
        ["Eclairage public", "Electricité (travaux)"],
    ),
    (
        "Travaux d'électricité courants forts et courants faibles - {building}",
        "45310000",
        ["45311000", "45314300"],
        "TRAVAUX",
        ["Electricité (travaux)", "Câblage"],
    ),
    (
        "Installation de centrales photovoltaïques en toiture sur {n} bâtiments communaux",
        "45261215",
        ["09331200"],
        "TRAVAUX",
        ["Photovoltaïque", "Electricité (travaux)"],
    ),
    (
        "Mise en conformité électrique et remplacement du TGBT - {building}",
        "45315000",
        ["45317300"],
        "TRAVAUX",
        ["Electricité (travaux)"],
    ),
    (
        "Fourniture et pose de bornes de recharge pour véhicules électriques (IRVE) - {city}",
        "45310000",
        ["31158100"],
        "TRAVAUX",
        ["Electricité (travaux)"],
    ),
    (
        "Rénovation énergétique du {building} : isolation, chauffage, ventilation et électricité",
        "45453000",
        ["45321000", "45331000", "45310000"],
        "TRAVAUX",
        ["Isolation", "Chauffage (travaux)", "Ventilation", "Electricité (travaux)"],
    ),
    (
        "Enfouissement des réseaux secs et éclairage public - {street} à {city}",
        "45231400",
        ["45316110", "45232200"],
        "TRAVAUX",
        ["Eclairage public", "Terrassement"],
    ),
    (
        "Accord-cadre de maintenance et de travaux neufs d'éclairage public",
        "50232100",
        ["45316110"],
        "SERVICES",
        ["Eclairage public"],
    ),
    (
        "Remplacement du système de sécurité incendie (SSI) - {building}",
        "45312100",
        [],
        "TRAVAUX",
        ["Electricité (travaux)"],
    ),
    (
        "Extension du réseau de vidéoprotection urbaine - {city}",
        "45312000",
        ["32323500"],
        "TRAVAUX",
        ["Vidéosurveillance", "Câblage"],
    ),
    (
        "Installation de pompes à chaleur et d'une GTB au {building}",
        "45331000",
        ["42511110"],
        "TRAVAUX",
        ["Chauffage (travaux)", "Electricité (travaux)"],
    ),
]
BUILDING_LOT = [
    (
        "Construction du {building} à {city} - Lot 8 Électricité CFO/CFA",
        "Lot 8",
        "Électricité courants forts / courants faibles (CFO/CFA)",
    ),
    (
        "Réhabilitation du {building} - Lot n°12 : Électricité courant fort / courant faible",
        "Lot 12",
        "Électricité courant fort / courant faible",
    ),
    (
        "Extension et restructuration du {building} (11 lots) - Relance du lot 7 Électricité",
        "Lot 7",
        "Électricité - éclairage - courants faibles",
    ),
]
SUPPLY = [  # (objet, main CPV, extra, type_marche, descriptors, says_fourniture)
    (
        "Fourniture et acheminement d'électricité pour les bâtiments communaux et l'éclairage "
        "public",
        "09310000",
        ["65310000"],
        "FOURNITURES",
        ["Electricité"],
        True,
    ),
    (
        "Fourniture d'électricité et services associés - groupement de commandes {year}-{year2}",
        "09310000",
        [],
        "FOURNITURES",
        ["Electricité", "Energie"],
        True,
    ),
    (
        "Fourniture de gaz naturel et services associés pour les sites de {buyer}",
        "09123000",
        [],
        "FOURNITURES",
        ["Energie"],
        True,
    ),
    (
        "Achat d'électricité pour les points de livraison C4 et C5 et l'éclairage public",
        "09310000",
        [],
        "FOURNITURES",
        ["Electricité"],
        False,
    ),
    (
        "Marché d'énergie : électricité d'origine renouvelable et gaz naturel {year}-{year2}",
        "09300000",
        ["09123000"],
        "FOURNITURES",
        ["Energie"],
        False,
    ),
    (
        "Acheminement et approvisionnement en électricité des sites de {buyer}",
        "09310000",
        ["65300000"],
        "SERVICES",
        ["Electricité"],
        False,
    ),
    (
        "Électricité verte - accord-cadre mono-attributaire pour le patrimoine de {city}",
        "09310000",
        [],
        "FOURNITURES",
        ["Electricité", "Energie"],
        False,
    ),
]
OTHER_TRADES = [
    ("Travaux de peinture intérieure - {building}", "45442100", "TRAVAUX", ["Peinture (travaux)"]),
    (
        "Réfection de la couverture et de l'étanchéité du {building}",
        "45261210",
        "TRAVAUX",
        ["Bâtiment"],
    ),
    ("Travaux de plomberie sanitaire - {building}", "45332400", "TRAVAUX", ["Plomberie (travaux)"]),
    (
        "Entretien des espaces verts de la commune de {city}",
        "77310000",
        "SERVICES",
        ["Espaces verts"],
    ),
    (
        "Prestations de restauration scolaire et livraison de repas en liaison froide",
        "55524000",
        "SERVICES",
        ["Repas, traiteur"],
    ),
    (
        "Déneigement et salage des voies communales - saison {year}-{year2}",
        "90620000",
        "SERVICES",
        ["Déneigement"],
    ),
    (
        "Travaux de voirie et réseaux divers - {street}",
        "45233140",
        "TRAVAUX",
        ["Voirie", "Terrassement"],
    ),
    ("Nettoyage des locaux administratifs de {buyer}", "90919200", "SERVICES", ["Nettoyage"]),
    (
        "Acquisition de postes informatiques et de périphériques",
        "30213000",
        "FOURNITURES",
        ["Informatique (matériel)"],
    ),
    (
        "Assurance dommages aux biens et responsabilité civile {year}-{year2}",
        "66510000",
        "SERVICES",
        ["Assurance"],
    ),
    (
        "Menuiseries extérieures - remplacement des fenêtres du {building}",
        "45421000",
        "TRAVAUX",
        ["Menuiserie"],
    ),
    (
        "Mission de maîtrise d'oeuvre pour la réhabilitation du {building}",
        "71000000",
        "SERVICES",
        ["Maîtrise d'oeuvre", "Etude"],
    ),
]
OTHER_LOTS = [
    ("Lot 1", "Gros oeuvre - maçonnerie", "45262522"),
    ("Lot 2", "Charpente - couverture", "45261000"),
    ("Lot 3", "Menuiseries extérieures", "45421000"),
    ("Lot 4", "Plâtrerie - peinture", "45442100"),
    ("Lot 5", "Plomberie - chauffage - ventilation", "45330000"),
]


def _luhn_ok(digits):
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _with_luhn(rng, prefix, length):
    """Random digits after ``prefix``, last digit chosen so the Luhn check passes."""
    body = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    return next(body + str(d) for d in range(10) if _luhn_ok(body + str(d)))


def _siret(rng, public=True):
    siren = _with_luhn(rng, "2" if public else str(rng.randrange(3, 9)), 9)
    return _with_luhn(rng, siren + "000", 14)


def _descriptors(labels):
    return [DESCRIPTORS[label] for label in labels], list(labels)


def _as_one_or_list(items):
    return items[0] if len(items) == 1 else items


class _Generator:
    def __init__(self, seed, day, departements):
        self.rng = random.Random(seed)
        self.day = day
        self.home = tuple(departements)
        self.elsewhere = tuple(d for d in PLACES if d not in self.home) or ("75",)
        self.next_number = 100001
        self.buyers = {}

    # -- small helpers -------------------------------------------------------
    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def buyer(self, dep):
        """A stable buyer per (département, slot): communes and public bodies."""
        slot = self.rng.randrange(8)
        key = (dep, slot)
        if key not in self.buyers:
            places = PLACES.get(dep) or [("Ville", dep + "000")]
            city, postal = places[slot % len(places)]
            named = DEPARTEMENT_BUYERS.get(dep, [])
            if slot >= 6 and named:
                name = named[slot % len(named)]
            else:
                name = f"Commune de {city}" if slot % 3 else f"COMMUNE DE {city.upper()}"
            self.buyers[key] = {
                "name": name,
                "siret": _siret(self.rng),
                "city": city.upper(),
                "cp": postal,
                "dep": dep,
                "street": f"{self.rng.randint(1, 60)} {self.pick(STREETS)}",
                "email": f"marches@{city.lower().replace(' ', '-')}.fr".translate(
                    str.maketrans("éèûô", "eeuo")
                ),
                "url": f"https://www.marches-publics.info/acheteur/{self.rng.randint(1000, 9999)}",
            }
        return self.buyers[key]

    def fill(self, template, buyer):
        year = self.day.year + 1
        return template.format(
            city=buyer["city"].title(),
            building=self.pick(BUILDINGS),
            n=self.rng.randint(3, 9),
            street=self.pick(STREETS),
            year=year,
            year2=year + 2,
            buyer=buyer["name"],
        )

    def idweb(self, published):
        number = self.next_number
        self.next_number += 1
        return f"{published:%y}-{number}"

    # -- notices -------------------------------------------------------------
    def initial(self, category):
        rng = self.rng
        dep = self.pick(self.home) if category != "elsewhere" else self.pick(self.elsewhere)
        buyer = self.buyer(dep)
        lots = []
        if category in ("relevant", "elsewhere"):
            objet, cpv, extra, type_marche, labels = self.pick(RELEVANT)
            objet = self.fill(objet, buyer)
            if rng.random() < 0.3:
                lots = [
                    ("Lot 1", "Électricité courants forts", "45311000"),
                    ("Lot 2", "Éclairage et courants faibles", "45316000"),
                ]
        elif category == "relevant_lot":
            objet, lot_no, lot_title = self.pick(BUILDING_LOT)
            objet = self.fill(objet, buyer)
            cpv, extra = "09310000", ["45210000"]
            type_marche = self.pick(["TRAVAUX", "TRAVAUX", "FOURNITURES"])
            labels = ["Electricité", "Tous corps d'état"]
            lots = [(lot_no, lot_title, "09310000")]
        elif category == "energy_supply":
            objet, cpv, extra, type_marche, labels, _says = self.pick(SUPPLY)
            objet = self.fill(objet, buyer)
        else:
            objet, cpv, type_marche, labels = self.pick(OTHER_TRADES)
            objet, extra = self.fill(objet, buyer), []
            if type_marche == "TRAVAUX" and rng.random() < 0.3:
                lots = rng.sample(OTHER_LOTS, 3)
        published = self.day - timedelta(days=int(rng.triangular(0, 45, 3)))
        if category in ("relevant", "energy_supply") and rng.random() < 0.5:
            shape = "EFORMS" if rng.random() < 0.6 else "FNSimple"
        else:
            shape = self.pick(["EFORMS"] * 5 + ["FNSimple"] * 3 + ["MAPA"] * 2 + ["LEGACY", "DSP"])
        if shape == "DSP" and category != "other_trade":
            shape = "FNSimple"
        procedure = (
            "PROCEDURE_ADAPTE"
            if shape == "MAPA"
            else self.pick(["OUVERT", "OUVERT", "PROCEDURE_ADAPTE", "RESTREINT", "NEGOCIE"])
        )
        amount = round(rng.uniform(40_000, 2_500_000), -2) if shape != "MAPA" else None
        deadline = datetime.combine(
            published + timedelta(days=rng.randint(21, 45)),
            datetime.min.time(),
        ).replace(hour=rng.choice([10, 12, 12, 16]))
        prestation = None
        publication_deps = [dep]
        if category != "elsewhere" and rng.random() < 0.15:
            publication_deps, prestation = ["69"], dep  # regional buyer, works in the département
        elif rng.random() < 0.1:
            publication_deps.append(self.pick(self.elsewhere))
        spec = {
            "category": category,
            "shape": shape,
            "nature": "APPEL_OFFRE",
            "objet": objet,
            "buyer": buyer,
            "cpv": cpv,
            "extra_cpv": list(extra),
            "type_marche": type_marche,
            "labels": labels,
            "lots": lots,
            "published": published,
            "deadline": deadline,
            "amount": amount,
            "procedure": procedure,
            "deps": publication_deps,
            "prestation": prestation,
            "duration": rng.choice([3, 6, 8, 12, 24, 36, 48]),
            "linked": None,
            "winners": [],
            "contractfolderid": str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if shape == "EFORMS"
            else None,
            "reference": f"{published.year}-{rng.choice(['TX', 'FCS', 'SRV'])}-"
            f"{rng.randint(1, 250):03d}",
        }
        if rng.random() < 0.05:
            spec["deadline_missing"] = True
        return spec

    def follow_up(self, category, original):
        rng = self.rng
        spec = dict(original)
        spec["category"] = category
        spec["nature"] = {
            "rectificatif": "RECTIFICATIF",
            "annulation": "ANNULATION",
            "attribution": "ATTRIBUTION",
        }[category]
        spec["linked"] = original["idweb"]
        if spec["shape"] in ("LEGACY", "DSP"):
            spec["shape"] = "FNSimple"
        latest = max(original["published"], self.day - timedelta(days=1))
        spec["published"] = min(original["published"] + timedelta(days=rng.randint(1, 20)), latest)
        if category == "rectificatif":
            spec["deadline"] = original["deadline"] + timedelta(days=rng.choice([7, 10, 14]))
        if category == "attribution":
            spec["winners"] = [
                (self.pick(WINNERS), round(rng.uniform(0.6, 1.1) * (original["amount"] or 80_000)))
                for _ in range(rng.choice([1, 1, 2]))
            ]
            spec["deadline_missing"] = True
        return spec

    # -- records ----------------------------------------------------------------
    def record(self, spec):
        idweb = spec["idweb"]
        famille, famille_libelle, perimetre, schema = FAMILLES[spec["shape"]]
        nature_libelle, nature_cat, nature_cat_libelle, etat = NATURES[spec["nature"]]
        procedure_libelle = PROCEDURES[spec["procedure"]][0]
        codes, labels = _descriptors(spec["labels"])
        deadline = None if spec.get("deadline_missing") else spec["deadline"]
        donnees = spec.get("donnees") or DONNEES_BUILDERS[spec["shape"]](self, spec)
        record = {
            "idweb": idweb,
            "id": idweb.replace("-", "_"),
            "contractfolderid": spec["contractfolderid"] if spec["shape"] == "EFORMS" else None,
            "objet": spec["objet"],
            "filename": idweb
            if spec["shape"] != "LEGACY"
            else f"BOAMP-J-AO_{spec['published']:%Y}_{idweb.split('-')[1]}",
            "famille": famille,
            "code_departement": list(spec["deps"]),
            "code_departement_prestation": spec["prestation"],
            "famille_libelle": famille_libelle,
            "dateparution": spec["published"].isoformat(),
            "datefindiffusion": (deadline or spec["deadline"]).date().isoformat(),
            # the Paris wall-clock time labelled +00:00, as in the 2026 FNSimple records
            "datelimitereponse": f"{deadline:%Y-%m-%dT%H:%M:%S}+00:00" if deadline else None,
            "nomacheteur": spec["buyer"]["name"],
            "titulaire": [name for name, _ in spec["winners"]] or None,
            "perimetre": perimetre,
            "type_procedure": spec["procedure"],
            "soustype_procedure": None,
            "procedure_libelle": procedure_libelle,
            "procedure_categorise": f"{spec['procedure']}/",
            "nature": spec["nature"],
            "sousnature": None,
            "nature_libelle": nature_libelle,
            "sousnature_libelle": None,
            "nature_categorise": nature_cat,
            "nature_categorise_libelle": nature_cat_libelle,
            "criteres": self.pick(
                [None, None, ["environnementaux"], ["sociaux", "environnementaux"]]
            ),
            "marche_public_simplifie": None,
            "marche_public_simplifie_label": None,
            "etat": etat,
            "descripteur_code": codes,
            "dc": list(codes),
            "descripteur_libelle": labels,
            "type_marche": [spec["type_marche"]],
            "type_marche_facette": [TYPE_FACETTE[spec["type_marche"]]],
            "type_avis": ["5", "1", ""],
            "annonce_lie": [spec["linked"]] if spec["linked"] else None,
            "annonces_anterieures": None,
            "source_schema": schema,
            "gestion": json.dumps(_gestion(spec, deadline), ensure_ascii=False),
            "donnees": json.dumps(donnees, ensure_ascii=False),
            "url_avis": f"https://www.boamp.fr/pages/avis/?q=idweb:{idweb}",
        }
        return record


def _paris(value):
    """ISO timestamp with the winter/summer Paris offset (approximation: Apr-Oct = +02:00)."""
    offset = "+02:00" if 4 <= value.month <= 10 else "+01:00"
    return f"{value:%Y-%m-%dT%H:%M:%S}.000{offset}"


def _gestion(spec, deadline):
    """The real ``gestion`` block of the FNSimple fixtures, filled with our values."""
    famille, _, perimetre, schema = FAMILLES[spec["shape"]]
    descriptors = [{"CODE": DESCRIPTORS[label], "LIBELLE": label} for label in spec["labels"]]
    indexation = {
        "SCHEMA": schema,
        "NOMORGANISME": spec["buyer"]["name"],
        "TYPE_PROCEDURE": {spec["procedure"]: ""},
        "DATE_PUBLICATION": spec["published"].isoformat(),
    }
    if deadline:
        indexation["DATE_LIMITE_REPONSE"] = _paris(deadline)
    indexation.update(
        {
            "DATE_FIN_DIFFUSION": spec["deadline"].date().isoformat(),
            "DESCRIPTEURS": {"DESCRIPTEUR": _as_one_or_list(descriptors)} if descriptors else None,
            "NATURE_MARCHE": {spec["type_marche"]: ""},
            "DEP_PUBLICATION": _as_one_or_list(spec["deps"]),
            "RESUME_OBJET": spec["objet"],
        }
    )
    return {
        "REFERENCE": {
            "IDWEB": spec["idweb"],
            "TYPE_AVIS": {
                "FAMILLE": {famille: ""},
                "PERIMETRE": {perimetre: ""},
                "NATURE": {spec["nature"]: ""},
                "STATUT": {NATURES[spec["nature"]][3]: ""},
            },
        },
        "INDEXATION": {k: v for k, v in indexation.items() if v is not None},
    }


# -- donnees builders -------------------------------------------------------------


def _fnsimple(gen, spec):
    """Shape of the REAL FNSimple fixtures (26-7298, 26-7308, 26-7319)."""
    buyer = spec["buyer"]
    organisme = {
        "nomOfficiel": buyer["name"],
        "typeIdentificationNational": {"siret": ""},
        "codeIdentificationNational": buyer["siret"],
        "ville": buyer["city"],
        "cp": buyer["cp"],
        "grpCommandes": {"non": ""},
    }
    if spec["nature"] in ("RECTIFICATIF", "ANNULATION"):
        # documented path FNSimple.rectificatif.avisInitial.idWeb; inner keys invented
        block = {
            "avisInitial": {"idWeb": spec["linked"], "dateParution": spec["published"].isoformat()}
        }
        if spec["nature"] == "ANNULATION":
            block["annulation"] = {
                "motif": "Procédure déclarée sans suite pour motif d'intérêt général"
            }
        else:
            block["rectification"] = {
                "texte": "Report de la date limite de réception des offres",
                "nouvelleDateReceptionOffres": _paris(spec["deadline"]),
            }
        return {"FNSimple": {"organisme": organisme, "rectificatif": block}}
    if spec["nature"] == "ATTRIBUTION":
        # documented paths FNSimple.attribution.{avisInitial.idWeb, attributionMarche}
        return {
            "FNSimple": {
                "organisme": organisme,
                "attribution": {
                    "avisInitial": {"idWeb": spec["linked"]},
                    "attributionMarche": _as_one_or_list(
                        [
                            {
                                "titulaire": {"denomination": name},
                                "montant": {"@devise": "EUR", "valeur": f"{amount:.2f}"},
                            }
                            for name, amount in spec["winners"]
                        ]
                    ),
                },
            }
        }
    nature_key = {"TRAVAUX": "travaux", "FOURNITURES": "fournitures", "SERVICES": "services"}
    code_cpv = {"objetPrincipal": {"classPrincipale": spec["cpv"]}}
    if spec["extra_cpv"]:
        code_cpv["objetSecondaire"] = _as_one_or_list(
            [{"classPrincipale": code} for code in spec["extra_cpv"]]
        )
    nature = {
        "intitule": spec["objet"],
        "codeCPV": code_cpv,
        "natureMarche": {nature_key[spec["type_marche"]]: ""},
        "description": spec["objet"],
        "lieuExecution": f"{spec['buyer']['city'].title()} ({spec['buyer']['dep']})",
        "dureeMois": str(spec["duration"]),
        "tranches": {"non": ""},
        "reservationMarche": {"non": ""},
        "lotsMarche": {"oui" if spec["lots"] else "non": ""},
    }
    if spec["amount"]:
        nature["valeurEstimee"] = {
            "@devise": "EUR",
            "fourchette": {
                "valeurBasse": f"{spec['amount'] * 0.8:.0f}",
                "valeurHaute": f"{spec['amount']:.0f}",
            },
        }
    initial = {
        "communication": {
            "urlDocConsul": f"{buyer['url']}/consultation/{spec['reference']}?a=1&amp;b=2",
            "identifiantInterne": spec["reference"],
            "nomContact": "Service de la commande publique",
            "adresseMailContact": buyer["email"],
        },
        "procedure": {
            "capaciteTech": "Conditions énoncées dans les documents de la consultation",
            "techAchat": {"autres": ""},
            "dateReceptionOffres": _paris(spec["deadline"])
            if gen.rng.random() < 0.5
            else f"{spec['deadline']:%Y-%m-%dT%H:%M:%S}",
            "presOffres": {"interdite": ""},
            "variantes": {"non": ""},
        },
        "natureMarche": nature,
        "informComplementaire": {"non": ""},
    }
    if spec["lots"]:
        initial["lots"] = {
            "lot": _as_one_or_list(
                [
                    {
                        "description": f"{number} : {title}",
                        "codeCPV": {"objetPrincipal": {"classPrincipale": cpv}},
                        "lieuExecutionLivraison": spec["buyer"]["city"].title(),
                    }
                    for number, title, cpv in spec["lots"]
                ]
            )
        }
    return {"FNSimple": {"organisme": organisme, "initial": initial}}


def _mapa(gen, spec):
    """DOCUMENTATION only (docs/boamp.md §5 (c)): no CPV and no estimated amount by design."""
    buyer = spec["buyer"]
    organisme = {
        "acheteurPublic": buyer["name"],
        "codeIdentificationNational": buyer["siret"],
        "urlProfilAcheteur": buyer["url"],
        "adr": {"voie": buyer["street"], "cp": buyer["cp"], "ville": buyer["city"]},
    }
    if spec["nature"] == "ATTRIBUTION":
        name, amount = spec["winners"][0]
        return {
            "MAPA": {
                "organisme": organisme,
                "attribution": {
                    "avisInitial": {"idWeb": spec["linked"]},
                    "attribution": {
                        "resultat": {
                            "attribue": {
                                "titulaire": {"nom": name},
                                "montant": {"valeur": f"{amount:.2f}", "@devise": "EUR"},
                            }
                        }
                    },
                },
            }
        }
    initial = {
        "description": {"objet": spec["objet"], "lieuExecution": buyer["city"].title()},
        "natureMarche": {spec["type_marche"].lower(): "", "nbMois": str(spec["duration"])},
        "delais": {"receptionOffres": f"{spec['deadline']:%Y-%m-%dT%H:%M:%S}"},
        "renseignements": {"idMarche": spec["reference"]},
        "criteres": {
            "criterePondere": [
                {"critere": "Prix", "criterePCT": "60"},
                {"critere": "Valeur technique", "criterePCT": "40"},
            ]
        },
    }
    if spec["nature"] != "APPEL_OFFRE":
        initial["avisInitial"] = {"idWeb": spec["linked"]}
    return {"MAPA": {"organisme": organisme, "initial": initial}}


def _dsp(gen, spec):
    """No documented structure (docs/boamp.md section 5 (d)): a minimal invented block."""
    buyer = spec["buyer"]
    return {
        "DSP": {
            "organisme": {"nomOfficiel": buyer["name"], "ville": buyer["city"], "cp": buyer["cp"]},
            "initial": {"objet": spec["objet"], "dureeAnnees": "7"},
        }
    }


def _legacy(gen, spec):
    """Shape of the REAL legacy record 15-31501 and docs/boamp.md section 5 (e)."""
    buyer = spec["buyer"]
    objet = {
        "TITRE_MARCHE": spec["objet"],
        "TYPE_MARCHE": {spec["type_marche"]: {"EXECUTION": ""}}
        if spec["type_marche"] == "TRAVAUX"
        else {spec["type_marche"]: ""},
        "OBJET_COMPLET": spec["objet"],
        "CPV": {"PRINCIPAL": spec["cpv"]}
        if not spec["extra_cpv"]
        else [{"PRINCIPAL": code} for code in [spec["cpv"], *spec["extra_cpv"]]],
        "DUREE_DELAI": {"DUREE_MOIS": str(spec["duration"])},
        "CARACTERISTIQUES": {"VALEUR": {"@DEVISE": "EUR", "#text": f"{spec['amount']:.0f}"}},
    }
    if spec["lots"]:
        objet["DIV_EN_LOTS"] = {"OUI": ""}
        objet["LOTS"] = {
            "LOT": _as_one_or_list(
                [
                    {
                        "NUM": number.split()[-1],
                        "INTITULE": title,
                        "DESCRIPTION": title,
                        "CPV": {"PRINCIPAL": cpv},
                    }
                    for number, title, cpv in spec["lots"]
                ]
            )
        }
    else:
        objet["DIV_EN_LOTS"] = {"NON": ""}
    return {
        "IDENTITE": {
            "DENOMINATION": buyer["name"],
            "ADRESSE": buyer["street"],
            "CP": buyer["cp"],
            "VILLE": buyer["city"],
            "MEL": buyer["email"],
            "URL_PROFIL_ACHETEUR": buyer["url"],
        },
        "OBJET": objet,
        "PROCEDURE": {"TYPE_PROCEDURE": {spec["procedure"]: ""}},
        "CONDITION_DELAI": {"RECEPT_OFFRES": _paris(spec["deadline"]).replace(".000", "")},
        "RENSEIGNEMENTS_COMPLEMENTAIRES": {
            "RENS_COMPLEMENT": f"Dossier de consultation : {buyer['url']}/{spec['reference']}"
        },
    }


_EFORMS_NS = {
    "@xmlns:cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "@xmlns:cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "@xmlns:ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "@xmlns:efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "@xmlns:efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "@xmlns:efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}


def _code(list_name, value):
    return {"@listName": list_name, "#text": value}


def _fra(text):
    return {"@languageID": "FRA", "#text": text}


def _eur(amount):
    return {"@currencyID": "EUR", "#text": f"{amount:.2f}"}


def _eforms_company(org_id, name, city, cp, dep, siret=None, email=None):
    company = {
        "cac:PartyIdentification": {"cbc:ID": {"@schemeName": "organization", "#text": org_id}},
        "cac:PartyName": {"cbc:Name": _fra(name)},
        "cac:PostalAddress": {
            "cbc:CityName": city,
            "cbc:PostalZone": cp,
            "cbc:CountrySubentityCode": _code("nuts", NUTS.get(dep, "FR")),
            "cac:Country": {"cbc:IdentificationCode": _code("country", "FRA")},
        },
    }
    if siret:
        company["cac:PartyLegalEntity"] = {"cbc:CompanyID": siret}
    if email:
        company["cac:Contact"] = {"cbc:ElectronicMail": email}
    return {"efac:Company": company}


def _eforms(gen, spec):
    """DOCUMENTATION only: the structure of the official eForms SDK examples, converted."""
    buyer = spec["buyer"]
    award = spec["nature"] == "ATTRIBUTION"
    root = "ContractAwardNotice" if award else "ContractNotice"
    organizations = [
        _eforms_company(
            "ORG-0001",
            buyer["name"],
            buyer["city"],
            buyer["cp"],
            buyer["dep"],
            buyer["siret"],
            buyer["email"],
        ),
        _eforms_company(
            "ORG-0002", "Tribunal administratif de Grenoble", "Grenoble", "38000", "38"
        ),
    ]
    extension = {
        "efac:NoticeSubType": {"cbc:SubTypeCode": _code("notice-subtype", "29" if award else "16")}
    }
    nature = EFORMS_NATURE[spec["type_marche"]]
    project = {
        "cbc:ID": spec["reference"],
        "cbc:Name": _fra(spec["objet"]),
        "cbc:Description": _fra(spec["objet"]),
        "cbc:ProcurementTypeCode": _code("contract-nature", nature),
        "cac:MainCommodityClassification": {
            "cbc:ItemClassificationCode": _code("cpv", spec["cpv"])
        },
    }
    if spec["extra_cpv"]:
        project["cac:AdditionalCommodityClassification"] = _as_one_or_list(
            [{"cbc:ItemClassificationCode": _code("cpv", code)} for code in spec["extra_cpv"]]
        )
    if spec["amount"]:
        project["cac:RequestedTenderTotal"] = {
            "cbc:EstimatedOverallContractAmount": _eur(spec["amount"])
        }
    lots_spec = spec["lots"] or [("LOT-0000", spec["objet"], spec["cpv"])]
    deadline = spec["deadline"]
    offset = _paris(deadline)[-6:]
    lots = []
    for index, (_number, title, cpv) in enumerate(lots_spec, 1):
        lot_id = "LOT-0000" if not spec["lots"] else f"LOT-{index:04d}"
        lots.append(
            {
                "cbc:ID": {"@schemeName": "Lot", "#text": lot_id},
                "cac:TenderingTerms": {
                    "cac:CallForTendersDocumentReference": {
                        "cbc:ID": spec["reference"],
                        "cbc:DocumentType": "non-restricted-document",
                        "cac:Attachment": {
                            "cac:ExternalReference": {
                                "cbc:URI": f"{buyer['url']}/dce/{spec['reference']}"
                            }
                        },
                    }
                },
                "cac:TenderingProcess": {
                    "cbc:SubmissionMethodCode": _code("esubmission", "required"),
                    "cac:TenderSubmissionDeadlinePeriod": {
                        "cbc:EndDate": f"{deadline:%Y-%m-%d}{offset}",
                        "cbc:EndTime": f"{deadline:%H:%M:%S}{offset}",
                    },
                },
                "cac:ProcurementProject": {
                    "cbc:ID": lot_id,
                    "cbc:Name": _fra(title),
                    "cbc:Description": _fra(title),
                    "cbc:ProcurementTypeCode": _code("contract-nature", nature),
                    "cac:MainCommodityClassification": {
                        "cbc:ItemClassificationCode": _code("cpv", cpv)
                    },
                    "cac:PlannedPeriod": {
                        "cbc:DurationMeasure": {
                            "@unitCode": "MONTH",
                            "#text": str(spec["duration"]),
                        }
                    },
                },
            }
        )
    if award:
        for index, (name, _amount) in enumerate(spec["winners"], 3):
            organizations.append(
                _eforms_company(
                    f"ORG-{index:04d}", name, "Chambéry", "73000", "73", _siret(gen.rng, False)
                )
            )
        tenders = [
            {
                "cbc:ID": {"@schemeName": "tender", "#text": f"TEN-{i:04d}"},
                "cac:LegalMonetaryTotal": {"cbc:PayableAmount": _eur(amount)},
                "efac:TenderingParty": {
                    "cbc:ID": {"@schemeName": "tendering-party", "#text": f"TPA-{i:04d}"}
                },
                "efac:TenderLot": {"cbc:ID": {"@schemeName": "Lot", "#text": "LOT-0000"}},
            }
            for i, (_name, amount) in enumerate(spec["winners"], 1)
        ]
        extension["efac:NoticeResult"] = {
            "cbc:TotalAmount": _eur(sum(amount for _, amount in spec["winners"])),
            "efac:LotTender": _as_one_or_list(tenders),
            "efac:SettledContract": {
                "cbc:ID": {"@schemeName": "contract", "#text": "CON-0001"},
                "cbc:IssueDate": f"{spec['published']:%Y-%m-%d}{offset}",
            },
            "efac:TenderingParty": _as_one_or_list(
                [
                    {
                        "cbc:ID": {"@schemeName": "tendering-party", "#text": f"TPA-{i:04d}"},
                        "efac:Tenderer": {
                            "cbc:ID": {"@schemeName": "organization", "#text": f"ORG-{i + 2:04d}"}
                        },
                    }
                    for i in range(1, len(spec["winners"]) + 1)
                ]
            ),
        }
    elif spec["nature"] in ("RECTIFICATIF", "ANNULATION"):
        extension["efac:Changes"] = {
            "efbc:ChangedNoticeIdentifier": f"{spec['contractfolderid']}-01",
            "efac:Change": {
                "efbc:ChangeDescription": _fra(
                    "Avis annulé : procédure déclarée sans suite"
                    if spec["nature"] == "ANNULATION"
                    else "Report de la date limite de réception des offres"
                ),
                "efac:ChangedSection": {"efbc:ChangedSectionIdentifier": "LOT-0000"},
            },
            "efac:ChangeReason": {
                "cbc:ReasonCode": _code(
                    "change-corrig-justification",
                    "cancel" if spec["nature"] == "ANNULATION" else "update-add",
                )
            },
        }
    extension["efac:Organizations"] = {"efac:Organization": organizations}
    notice = {
        "@xmlns": f"urn:oasis:names:specification:ubl:schema:xsd:{root}-2",
        **_EFORMS_NS,
        "ext:UBLExtensions": {
            "ext:UBLExtension": {"ext:ExtensionContent": {"efext:EformsExtension": extension}}
        },
        "cbc:UBLVersionID": "2.3",
        "cbc:CustomizationID": "eforms-sdk-1.10",
        "cbc:ID": {
            "@schemeName": "notice-id",
            "#text": str(uuid.UUID(int=gen.rng.getrandbits(128), version=4)),
        },
        "cbc:ContractFolderID": spec["contractfolderid"],
        "cbc:IssueDate": f"{spec['published']:%Y-%m-%d}{offset}",
        "cbc:IssueTime": f"09:00:00{offset}",
        "cbc:VersionID": "01",
        "cbc:RegulatoryDomain": "32014L0024",
        "cbc:NoticeTypeCode": _code(
            "result" if award else "competition", "can-standard" if award else "cn-standard"
        ),
        "cbc:NoticeLanguageCode": "FRA",
        "cac:ContractingParty": {
            "cbc:BuyerProfileURI": buyer["url"],
            "cac:Party": {
                "cac:PartyIdentification": {
                    "cbc:ID": {"@schemeName": "organization", "#text": "ORG-0001"}
                }
            },
        },
        "cac:TenderingProcess": {
            "cbc:ProcedureCode": _code(
                "procurement-procedure-type", PROCEDURES[spec["procedure"]][1]
            )
        },
        "cac:ProcurementProject": project,
        "cac:ProcurementProjectLot": _as_one_or_list(lots),
    }
    return {"EFORMS": {root: notice}}


DONNEES_BUILDERS = {
    "EFORMS": _eforms,
    "FNSimple": _fnsimple,
    "MAPA": _mapa,
    "DSP": _dsp,
    "LEGACY": _legacy,
}

# share of each category among the notices of one run (the rest are follow-ups)
_WEIGHTS = {
    "relevant": 16,
    "relevant_lot": 5,
    "energy_supply": 9,
    "other_trade": 30,
    "elsewhere": 25,
    "rectificatif": 7,
    "annulation": 3,
    "attribution": 5,
}


def record_from_spec(spec, seed=0):
    """One record from a hand-made spec (the eForms examples pass ready ``donnees``)."""
    return _Generator(seed, spec["published"], HOME_DEPARTEMENTS).record(spec)


def generate(count, seed=20261123, day=None, departements=HOME_DEPARTEMENTS, first_number=None):
    """``count`` records (sorted by idweb) and their manifest ``{idweb: category}``.

    ``first_number`` moves the idweb numbering (default 100001), e.g. to append more.
    """
    day = day or date.today()
    gen = _Generator(seed, day, departements)
    gen.next_number = first_number or gen.next_number
    categories = list(_WEIGHTS)
    weights = list(_WEIGHTS.values())
    specs = []
    for _ in range(count):
        category = gen.rng.choices(categories, weights)[0]
        if category in FOLLOW_UP_CATEGORIES:
            candidates = [s for s in specs[-400:] if s["nature"] == "APPEL_OFFRE"]
            if not candidates:
                category = "other_trade"
            else:
                relevant = [s for s in candidates if s["category"] in ("relevant", "relevant_lot")]
                pool = relevant if relevant and gen.rng.random() < 0.5 else candidates
                spec = gen.follow_up(category, gen.pick(pool))
        if category not in FOLLOW_UP_CATEGORIES:
            spec = gen.initial(category)
        spec["idweb"] = gen.idweb(spec["published"])
        specs.append(spec)
    records = [gen.record(spec) for spec in specs]
    manifest = {spec["idweb"]: spec["category"] for spec in specs}
    return records, manifest
