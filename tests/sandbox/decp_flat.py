"""Regulatory DECP JSON (arrêté du 22/12/2022) → the flat rows of ``decp-2022-marches-valides``.

Documented (docs/decp.md section 3): one row per contract × group of up to three holders ×
modification × subcontracting act, the contract's columns repeated on each row, ``CDL`` in the
empty co-holder, modification, subcontracting and framework cells. Inference: the producer's
row order, the pairing of an act's modification with the act (by position), one row per
modification holder, and the JSON types of the boolean columns (kept as JSON booleans).
"""

import itertools

CDL = "CDL"
#: the 55 columns, in the order public consumers list them (docs/decp.md)
COLUMNS = (
    "id", "nature", "objet", "codecpv", "procedure", "titulaire_id_1",
    "titulaire_typeidentifiant_1", "titulaire_id_2", "titulaire_typeidentifiant_2",
    "titulaire_id_3", "titulaire_typeidentifiant_3", "acheteur_id", "dureemois",
    "datenotification", "datepublicationdonnees", "montant", "formeprix", "attributionavance",
    "tauxavance", "offresrecues", "ccag", "soustraitancedeclaree", "typegroupementoperateurs",
    "idaccordcadre", "lieuexecution_code", "lieuexecution_typecode", "considerationssociales",
    "considerationsenvironnementales", "modalitesexecution", "techniques", "typesprix",
    "origineue", "originefrance", "marcheinnovant", "idmodification", "montantmodification",
    "dureemoismodification", "idtitulairemodification", "typeidentifianttitulairemodification",
    "datenotificationmodificationmodification",
    "datepublicationdonneesmodificationmodification", "idactesoustraitance",
    "dureemoisactesoustraitance", "datenotificationactesoustraitance",
    "datepublicationdonneesactesoustraitance", "montantactesoustraitance",
    "variationprixactesoustraitance", "idsoustraitant", "typeidentifiantsoustraitant",
    "idmodificationactesoustraitance", "dureemoismodificationactesoustraitance",
    "datenotificationmodificationsoustraitancemodificationactesoustraitance",
    "datepublicationdonneesmodificationactesoustraitance",
    "montantmodificationactesoustraitance", "source",
)  # fmt: skip
FIELD_TYPES = dict.fromkeys(COLUMNS, "text")
FIELD_TYPES.update(
    {
        "datenotification": "date",
        "datepublicationdonnees": "date",
        "montant": "double",
        "offresrecues": "int",
        "dureemois": "int",
    }
)
MODIFICATION_COLUMNS = COLUMNS[34:41]
ACT_COLUMNS = COLUMNS[41:54]


def _unwrap(item, key):
    """``{"titulaire": {...}}`` or the bare ``{...}`` (both occur); None when malformed."""
    if isinstance(item, dict) and isinstance(item.get(key), dict):
        return item[key]
    if isinstance(item, dict) and "id" in item:
        return item
    return None


def _holders(items):
    found = [_unwrap(item, "titulaire") for item in items or ()]
    return [(str(h["id"]), h.get("typeIdentifiant")) for h in found if h and h.get("id")]


def _joined(container, key):
    values = (container or {}).get(key) if isinstance(container, dict) else None
    return ", ".join(values) if isinstance(values, list) and values else None


def _duration(value):
    return value if isinstance(value, int) else None


def _modification_rows(marche):
    rows = []
    for item in marche.get("modifications") or ():
        mod = _unwrap(item, "modification")
        if not mod:
            continue
        base = {
            "idmodification": str(mod.get("id")),
            "montantmodification": mod.get("montant", CDL),
            "dureemoismodification": mod.get("dureeMois", CDL),
            "datenotificationmodificationmodification": mod.get(
                "dateNotificationModification", CDL
            ),
            "datepublicationdonneesmodificationmodification": mod.get(
                "datePublicationDonneesModification", CDL
            ),
        }
        holders = _holders(mod.get("titulaires")) or [(CDL, CDL)]
        for identifier, id_type in holders:
            rows.append(
                {
                    **base,
                    "idtitulairemodification": identifier,
                    "typeidentifianttitulairemodification": id_type or CDL,
                }
            )
    return rows or [dict.fromkeys(MODIFICATION_COLUMNS, CDL)]


def _act_rows(marche):
    acts = [_unwrap(a, "acteSousTraitance") for a in marche.get("actesSousTraitance") or ()]
    changes = [
        _unwrap(m, "modificationActeSousTraitance")
        for m in marche.get("modificationsActesSousTraitance") or ()
    ]
    rows = []
    for act, change in itertools.zip_longest([a for a in acts if a], [c for c in changes if c]):
        act, change = act or {}, change or {}
        sub = act.get("sousTraitant") or {}
        rows.append(
            {
                "idactesoustraitance": str(act["id"]) if "id" in act else CDL,
                "dureemoisactesoustraitance": act.get("dureeMois", CDL),
                "datenotificationactesoustraitance": act.get("dateNotification", CDL),
                "datepublicationdonneesactesoustraitance": act.get("datePublicationDonnees", CDL),
                "montantactesoustraitance": act.get("montant", CDL),
                "variationprixactesoustraitance": act.get("variationPrix", CDL),
                "idsoustraitant": sub.get("id", CDL),
                "typeidentifiantsoustraitant": sub.get("typeIdentifiant", CDL),
                "idmodificationactesoustraitance": str(change["id"]) if "id" in change else CDL,
                "dureemoismodificationactesoustraitance": change.get("dureeMois", CDL),
                "datenotificationmodificationsoustraitancemodificationactesoustraitance": (
                    change.get("dateNotificationModificationSousTraitance", CDL)
                ),
                "datepublicationdonneesmodificationactesoustraitance": change.get(
                    "datePublicationDonnees", CDL
                ),
                "montantmodificationactesoustraitance": change.get("montant", CDL),
            }
        )
    return rows or [dict.fromkeys(ACT_COLUMNS, CDL)]


def flatten(marche, source="sandbox"):
    """The flat rows of one regulatory ``marche`` record."""
    place = marche.get("lieuExecution") or {}
    common = {
        "id": marche.get("id"),
        "nature": marche.get("nature"),
        "objet": marche.get("objet"),
        "codecpv": marche.get("codeCPV"),
        "procedure": marche.get("procedure"),
        "acheteur_id": (marche.get("acheteur") or {}).get("id"),
        "dureemois": _duration(marche.get("dureeMois")),
        "datenotification": marche.get("dateNotification"),
        "datepublicationdonnees": marche.get("datePublicationDonnees"),
        "montant": marche.get("montant"),
        "formeprix": marche.get("formePrix"),
        "attributionavance": marche.get("attributionAvance"),
        "tauxavance": marche.get("tauxAvance"),
        "offresrecues": marche.get("offresRecues"),
        "ccag": marche.get("ccag"),
        "soustraitancedeclaree": marche.get("sousTraitanceDeclaree"),
        "typegroupementoperateurs": marche.get("typeGroupementOperateurs"),
        "idaccordcadre": marche.get("idAccordCadre") or CDL,
        "lieuexecution_code": place.get("code"),
        "lieuexecution_typecode": place.get("typeCode"),
        "considerationssociales": _joined(
            marche.get("considerationsSociales"), "considerationSociale"
        ),
        "considerationsenvironnementales": _joined(
            marche.get("considerationsEnvironnementales"), "considerationEnvironnementale"
        ),
        "modalitesexecution": _joined(marche.get("modalitesExecution"), "modaliteExecution"),
        "techniques": _joined(marche.get("techniques"), "technique"),
        "typesprix": _joined(marche.get("typesPrix"), "typePrix"),
        "origineue": marche.get("origineUE"),
        "originefrance": marche.get("origineFrance"),
        "marcheinnovant": marche.get("marcheInnovant"),
        "source": source,
    }
    holders = _holders(marche.get("titulaires"))
    groups = [holders[i : i + 3] for i in range(0, len(holders), 3)] or [[]]
    rows = []
    for group, modification, act in itertools.product(
        groups, _modification_rows(marche), _act_rows(marche)
    ):
        row = dict(common)
        for slot in (1, 2, 3):
            identifier, id_type = group[slot - 1] if slot <= len(group) else (CDL, CDL)
            row[f"titulaire_id_{slot}"] = identifier
            row[f"titulaire_typeidentifiant_{slot}"] = id_type or CDL
        row.update(modification)
        row.update(act)
        rows.append({column: row.get(column) for column in COLUMNS})
    return rows
