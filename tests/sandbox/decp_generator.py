"""Deterministic DECP contracts around Savoie (73, 74, 38), in the regulatory JSON shape.

Invented data (names of the buyers exist only here: the 2022 format carries identifiers
only). Electrical works (CPV 4531xxxx) and other trades, a dozen holders among which Duret
Électricité (SIREN 842317653), groupings, modifications, framework agreements, and one
contract in five ending 6 to 12 months after ``day`` (re-tender radar).
"""

import random
from datetime import timedelta

DURET_SIRET = "84231765300012"
#: (SIRET, postal code) of the generated buyers (communes, département, hospital, schools)
BUYERS = (
    ("21730065600018", "73000"),
    ("21730011200013", "73200"),
    ("22730001800016", "73000"),
    ("21740010900012", "74000"),
    ("21740256800019", "74200"),
    ("22740001600019", "74000"),
    ("21380185100014", "38000"),
    ("21380151300012", "38100"),
    ("22380001400011", "38000"),
    ("26730002000017", "73100"),
)
HOLDERS = (
    DURET_SIRET,
    "38012345600011",
    "41298765400027",
    "50211122200034",
    "52233344400015",
    "60244455500026",
    "71255566600037",
    "79266677700048",
    "81277788800019",
    "88288899900020",
)
ELECTRICAL_CPV = ("45311000", "45311200", "45312100", "45315000", "45316110", "45317000")
OTHER_CPV = ("45421100", "45330000", "45261210", "45442100", "71321000", "50711000")
OBJECTS = {
    "4531": ("Travaux d'électricité courants forts et faibles", "Éclairage public"),
    "other": ("Menuiseries extérieures", "Plomberie sanitaire", "Couverture", "Peinture"),
}


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def generate(count, seed, day):
    """``count`` contracts notified in the 24 months before ``day``; ``(marches, manifest)``."""
    rnd = random.Random(seed)
    marches, manifest = [], {}
    for number in range(count):
        buyer, postal = BUYERS[number % len(BUYERS)]
        electrical = rnd.random() < 0.55
        cpv = rnd.choice(ELECTRICAL_CPV if electrical else OTHER_CPV)
        notified = day - timedelta(days=rnd.randint(20, 720))
        if number % 5 == 0:  # ends 6 to 12 months after day
            end = day + timedelta(days=rnd.randint(190, 350))
            months = (end.year - notified.year) * 12 + end.month - notified.month
        else:
            months = rnd.randint(2, 24)
        holders = [rnd.choice(HOLDERS)]
        if number % 7 == 0:
            holders.append(rnd.choice([h for h in HOLDERS if h != holders[0]]))
        amount = round(rnd.uniform(40_000, 900_000), 2)
        framework = number % 9 == 0
        marche = {
            "id": f"{notified.year}DS{number:05d}",
            "acheteur": {"id": buyer},
            "nature": "Marché",
            "objet": f"{rnd.choice(OBJECTS['4531' if electrical else 'other'])} - lot {number}",
            "codeCPV": cpv,
            "procedure": rnd.choice(("Procédure adaptée", "Appel d'offres ouvert")),
            "lieuExecution": {"code": postal, "typeCode": "Code postal"},
            "dureeMois": months,
            "dateNotification": notified.isoformat(),
            "datePublicationDonnees": min(
                notified + timedelta(days=rnd.randint(1, 20)), day
            ).isoformat(),
            "montant": amount,
            "formePrix": "Forfaitaire",
            "offresRecues": rnd.randint(1, 9),
            "ccag": "Travaux",
            "typeGroupementOperateurs": "Conjoint" if len(holders) > 1 else "Pas de groupement",
            "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": h}} for h in holders],
            "techniques": {"technique": ["Accord-cadre" if framework else "Sans objet"]},
        }
        if number % 6 == 0:
            changed = notified + timedelta(days=60)
            marche["modifications"] = [
                {
                    "modification": {
                        "id": 1,
                        "montant": round(amount * 1.1, 2),
                        "dateNotificationModification": changed.isoformat(),
                        "datePublicationDonneesModification": min(changed, day).isoformat(),
                    }
                }
            ]
        marches.append(marche)
        manifest[f"{buyer}|{marche['id']}"] = "generated"
    return marches, manifest
