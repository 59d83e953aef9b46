"""Official identity of an establishment, from Recherche d'entreprises or INSEE (API Entreprise)."""

from dataclasses import asdict, dataclass

from .dates import parse_date
from .recherche_entreprises import establishment_of

#: first level of the INSEE legal categories, used when only the code is known
LEGAL_CATEGORY_LEVEL1 = {
    "1": "Entrepreneur individuel",
    "2": "Groupement de droit privé non doté de la personnalité morale",
    "3": "Personne morale de droit étranger",
    "4": "Personne morale de droit public soumise au droit commercial",
    "5": "Société commerciale",
    "6": "Autre personne morale immatriculée au RCS",
    "7": "Personne morale et organisme soumis au droit administratif",
    "8": "Organisme privé spécialisé",
    "9": "Groupement de droit privé",
}


#: INSEE street-type abbreviations, spelt out for a readable address
STREET_TYPES = {
    "AV": "AVENUE",
    "BD": "BOULEVARD",
    "CHE": "CHEMIN",
    "CRS": "COURS",
    "ALL": "ALLEE",
    "IMP": "IMPASSE",
    "PL": "PLACE",
    "QUAI": "QUAI",
    "RTE": "ROUTE",
    "SQ": "SQUARE",
    "FG": "FAUBOURG",
    "PASS": "PASSAGE",
    "LD": "LIEU-DIT",
    "ZA": "ZONE ARTISANALE",
    "ZI": "ZONE INDUSTRIELLE",
    "R": "RUE",
}


@dataclass
class CompanyIdentity:
    siret: str = ""
    siren: str = ""
    name: str = ""
    street: str = ""
    street2: str = ""
    zip: str = ""
    city: str = ""
    naf_code: str = ""
    naf_label: str = ""
    legal_category_code: str = ""
    legal_category_label: str = ""
    active: bool = True
    closed_on: object = None
    is_public_body: bool = False
    source: str = ""

    def as_dict(self):
        return asdict(self)


def _join(*parts):
    return " ".join(str(p).strip() for p in parts if p not in (None, "")).strip()


def _legal_label(code, label=None):
    return label or LEGAL_CATEGORY_LEVEL1.get((code or "")[:1], "")


def is_public_legal_category(code):
    """INSEE legal categories 7xxx are bodies under administrative law (State, collectivités...)."""
    return bool(code) and str(code).startswith("7")


def from_recherche_entreprises(result, siret):
    """Identity from one ``/search`` result and the establishment ``siret`` inside it."""
    etab = establishment_of(result, siret) or {}
    complements = result.get("complements") or {}
    legal_code = str(result.get("nature_juridique") or "")
    state = etab.get("etat_administratif") or result.get("etat_administratif") or "A"
    street = _join(
        etab.get("numero_voie"),
        etab.get("indice_repetition"),
        STREET_TYPES.get(etab.get("type_voie") or "", etab.get("type_voie")),
        etab.get("libelle_voie"),
    )
    return CompanyIdentity(
        siret=siret,
        siren=result.get("siren") or siret[:9],
        name=result.get("nom_raison_sociale") or result.get("nom_complet") or "",
        street=street or _street_from_line(etab),
        street2=etab.get("complement_adresse") or "",
        zip=etab.get("code_postal") or "",
        city=etab.get("libelle_commune") or "",
        naf_code=etab.get("activite_principale") or result.get("activite_principale") or "",
        naf_label=etab.get("libelle_activite_principale")
        or result.get("libelle_activite_principale")
        or "",
        legal_category_code=legal_code,
        legal_category_label=_legal_label(legal_code, result.get("libelle_nature_juridique")),
        active=state == "A",
        closed_on=parse_date(etab.get("date_fermeture") or result.get("date_fermeture")),
        is_public_body=bool(
            complements.get("est_administration")
            or complements.get("collectivite_territoriale")
            or is_public_legal_category(legal_code)
        ),
        source="recherche_entreprises",
    )


def _street_from_line(etab):
    """The street part of a one-line ``adresse`` ("12 RUE X 73200 ALBERTVILLE")."""
    line = etab.get("adresse") or ""
    zip_code = etab.get("code_postal")
    if zip_code and zip_code in line:
        line = line.split(zip_code)[0]
    complement = etab.get("complement_adresse")
    if complement and line.startswith(complement):
        line = line[len(complement) :]
    return line.strip()


def from_insee_etablissement(payload):
    """Identity from ``/v4/insee/sirene/etablissements/{siret}`` (API Entreprise)."""
    data = (payload or {}).get("data") or {}
    legal_unit = data.get("unite_legale") or {}
    address = data.get("adresse") or {}
    moral = legal_unit.get("personne_morale_attributs") or {}
    physical = legal_unit.get("personne_physique_attributs") or {}
    name = moral.get("raison_sociale") or _join(
        physical.get("prenom_usuel"), physical.get("nom_usage") or physical.get("nom_naissance")
    )
    activity = data.get("activite_principale_naf_rev2") or {}
    if not activity.get("code"):
        activity = data.get("activite_principale") or {}
    form = legal_unit.get("forme_juridique") or {}
    return CompanyIdentity(
        siret=data.get("siret") or "",
        siren=legal_unit.get("siren") or (data.get("siret") or "")[:9],
        name=name or "",
        street=_join(
            address.get("numero_voie"),
            address.get("indice_repetition_voie"),
            address.get("type_voie"),
            address.get("libelle_voie"),
        ),
        street2=address.get("complement_adresse") or "",
        zip=address.get("code_postal") or "",
        city=address.get("libelle_commune") or "",
        naf_code=activity.get("code") or "",
        naf_label=activity.get("libelle") or "",
        legal_category_code=str(form.get("code") or ""),
        legal_category_label=_legal_label(form.get("code"), form.get("libelle")),
        active=data.get("etat_administratif") == "A",
        closed_on=parse_date(data.get("date_fermeture")),
        is_public_body=is_public_legal_category(form.get("code")),
        source="api_entreprise",
    )
