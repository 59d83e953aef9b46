"""17.0.1.2.0: profiles never edited take the new default vocabulary.

The default keywords and CPV codes of a profile are written once, when it is created
(``boamp.watch._apply_default_rules``): after an upgrade, a profile keeps the vocabulary
of the version that created it and misses the trades added since (low-current cabling,
energy performance, network electrification, their CPV codes). Profiles whose list is still
exactly an old default take the current one (``_boamp_add_default_vocabulary``); a list the
user edited is left alone.
"""

from odoo import SUPERUSER_ID, api

#: the default keywords of earlier versions, as they were written into the profiles
OLD_KEYWORDS = [
    # 17.0.1.0.0 (first release)
    ["électricité", "électrique", "éclairage public", "éclairage", "rénovation énergétique",
     "photovoltaïque", "panneaux solaires", "centrale solaire", "courants forts",
     "courants faibles", "CFO", "CFA", "basse tension", "haute tension", "HTA", "TGBT",
     "poste de transformation", "luminaire", "candélabre", "IRVE", "bornes de recharge",
     "infrastructure de recharge", "alarme incendie", "SSI", "vidéoprotection",
     "vidéosurveillance", "contrôle d'accès", "GTB"],
    # an intermediate default (trade vocabulary added, before 'réseaux secs')
    ["électricité", "électrique", "éclairage public", "éclairage", "rénovation énergétique",
     "photovoltaïque", "panneaux solaires", "centrale solaire", "courants forts",
     "courants faibles", "CFO", "CFA", "basse tension", "haute tension", "HTA", "réseaux BT",
     "électrification", "câblage informatique", "précâblage", "câblage VDI", "VDI",
     "téléphonie", "performance énergétique", "efficacité énergétique",
     "amélioration énergétique", "TGBT", "poste de transformation", "luminaire", "candélabre",
     "IRVE", "bornes de recharge", "infrastructure de recharge", "alarme incendie", "SSI",
     "vidéoprotection", "vidéosurveillance", "contrôle d'accès", "GTB"],
]  # fmt: skip
#: the default CPV prefixes of earlier versions
OLD_CPV_CODES = [
    ["4531", "45231400", "45232200", "45261215", "45251100", "0933", "31712331", "3152",
     "31527200", "349285", "34993000", "5023"],
]  # fmt: skip


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["boamp.watch"]._boamp_add_default_vocabulary(OLD_KEYWORDS, OLD_CPV_CODES)
