"""API Entreprise double: ``/v3/...`` and ``/v4/...`` GET endpoints.

Wire format from real sources, read at run time from the shared fixtures:
* answers for the staging test ids are the staging cases of etalab/siade_staging_data
  (``params``/``status``/``payload`` per operation), served unchanged;
* an unknown id gets the operation's own recorded 404 envelope;
* auth, 422 and 429 envelopes are the examples of the official OpenAPI file.
Duret (SIREN 842317653) additionally answers on every endpoint (except OPQIBI,
out of its perimeter: a 404 there shows that "not found" is not "non compliant"),
with payloads built from the staging 200 payload of the same operation (same keys,
same types), dates relative to today and ``document_url`` pointing to this sandbox.

Design choices, not documented behaviour (unverified): the 00211 and "object too
long" details, the order of checks (401, 429, 403, 422, lookup), Luhn never checked
(staging ids fail it), a fixed rate-limit window per token and family.

Admin: ``POST /_sandbox/api_entreprise/config`` with any of ``document_ttl``
(seconds, null = each operation's staging value), ``rate_limit_json``,
``rate_limit_documents``, ``rate_window`` (seconds), ``expire_token`` (that token
now answers 00103); ``POST /_sandbox/api_entreprise/expire_documents`` kills every
document URL issued so far.
"""

import copy
import json
import math
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date

from . import company_data
from .core import SandboxResponse
from .fixtures import fixtures_dir

VALID_TOKEN = "duret-sandbox-api-entreprise-token"
EXPIRED_TOKEN = "duret-sandbox-expired-token"
# Valid token whose scopes cover the INSEE endpoints only (403 00100 elsewhere).
LIMITED_TOKEN = "duret-sandbox-limited-token"

DEFAULT_CONFIG = {
    "document_ttl": None,
    "rate_limit_json": 250,
    "rate_limit_documents": 50,
    "rate_window": 60,
}


@dataclass(frozen=True)
class Endpoint:
    path: str  # documented path, ``{siren}`` or ``{siret}`` placeholder
    operation: str  # siade_staging_data payload folder
    document: bool = False  # 50/min family, ``document_url`` to issue
    duret: str = ""  # name of the Duret builder, "" = Duret unknown (404)

    @property
    def id_name(self):
        return "siret" if "{siret}" in self.path else "siren"

    @property
    def scope(self):
        return self.operation.split("_", 3)[3]

    @property
    def regex(self):
        return re.escape(self.path).replace(
            re.escape("{" + self.id_name + "}"), f"(?P<{self.id_name}>[^/]+)"
        )


ENDPOINTS = [
    Endpoint(
        "/v4/urssaf/unites_legales/{siren}/attestation_vigilance",
        "api_entreprise_v4_acoss_attestations_sociales",
        True,
        "urssaf_v4",
    ),
    Endpoint(
        "/v3/urssaf/unites_legales/{siren}/attestation_vigilance",
        "api_entreprise_v3_acoss_attestations_sociales",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v4/dgfip/unites_legales/{siren}/attestation_fiscale",
        "api_entreprise_v4_dgfip_attestations_fiscales",
        True,
        "dgfip_v4",
    ),
    Endpoint(
        "/v3/dgfip/unites_legales/{siren}/attestation_fiscale",
        "api_entreprise_v3_dgfip_attestations_fiscales",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v3/qualifelec/etablissements/{siret}/certificats",
        "api_entreprise_v3_qualifelec_certificats",
        True,
        "qualifelec",
    ),
    Endpoint(
        "/v4/qualibat/etablissements/{siret}/certification_batiment",
        "api_entreprise_v4_qualibat_certifications_batiment",
        True,
        "qualibat_v4",
    ),
    Endpoint(
        "/v3/qualibat/etablissements/{siret}/certification_batiment",
        "api_entreprise_v3_qualibat_certifications_batiment",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v3/ademe/etablissements/{siret}/certification_rge",
        "api_entreprise_v3_ademe_certificats_rge",
        False,
        "rge",
    ),
    Endpoint(
        "/v3/opqibi/unites_legales/{siren}/certification_ingenierie",
        "api_entreprise_v3_opqibi_certifications_ingenierie",
    ),
    Endpoint(
        "/v3/cibtp/etablissements/{siret}/attestation_cotisations_conges_payes_chomage_intemperies",
        "api_entreprise_v3_cibtp_attestation_cotisations_conges_payes_chomage_intemperies",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v3/cnetp/unites_legales/{siren}/attestation_cotisations_conges_payes_chomage_intemperies",
        "api_entreprise_v3_cnetp_attestation_cotisations_conges_payes_chomage_intemperies",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v3/probtp/etablissements/{siret}/attestation_cotisations_retraite",
        "api_entreprise_v3_probtp_attestations_cotisation_retraite",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v3/probtp/etablissements/{siret}/conformite_cotisations_retraite",
        "api_entreprise_v3_probtp_conformites_cotisations_retraite",
        False,
        "as_staged",
    ),
    Endpoint(
        "/v3/fntp/unites_legales/{siren}/carte_professionnelle_travaux_publics",
        "api_entreprise_v3_fntp_carte_professionnelle_travaux_publics",
        True,
        "document_v3",
    ),
    Endpoint(
        "/v3/infogreffe/rcs/unites_legales/{siren}/extrait_kbis",
        "api_entreprise_v3_infogreffe_extraits_rcs",
        False,
        "kbis",
    ),
    Endpoint(
        "/v3/inpi/rne/unites_legales/{siren}/extrait_rne",
        "api_entreprise_v3_inpi_rne_extrait_rne",
        True,
        "rne",
    ),
    Endpoint(
        "/v3/insee/sirene/etablissements/{siret}/successions", "api_entreprise_v3_insee_successions"
    ),
]
for _version in ("v4", "v3"):
    ENDPOINTS += [
        Endpoint(
            f"/{_version}/insee/sirene/unites_legales/{{siren}}",
            f"api_entreprise_{_version}_insee_unites_legales",
            False,
            "insee_unite",
        ),
        Endpoint(
            f"/{_version}/insee/sirene/unites_legales/diffusibles/{{siren}}",
            f"api_entreprise_{_version}_insee_unites_legales_diffusables",
            False,
            "insee_unite",
        ),
        Endpoint(
            f"/{_version}/insee/sirene/etablissements/{{siret}}",
            f"api_entreprise_{_version}_insee_etablissements",
            False,
            "insee_etab",
        ),
        Endpoint(
            f"/{_version}/insee/sirene/etablissements/diffusibles/{{siret}}",
            f"api_entreprise_{_version}_insee_etablissements_diffusables",
            False,
            "insee_etab",
        ),
        Endpoint(
            f"/{_version}/insee/sirene/unites_legales/{{siren}}/siege_social",
            f"api_entreprise_{_version}_insee_sieges_unites_legales",
            False,
            "insee_etab",
        ),
        Endpoint(
            f"/{_version}/insee/sirene/unites_legales/diffusibles/{{siren}}/siege_social",
            f"api_entreprise_{_version}_insee_sieges_diffusables_unites_legales",
            False,
            "insee_etab",
        ),
    ]
DOCUMENT_TITLES = {  # titles printed on the sandbox's PDFs, by endpoint scope
    "acoss_attestations_sociales": "Attestation de vigilance URSSAF",
    "dgfip_attestations_fiscales": "Attestation de régularité fiscale",
    "qualibat_certifications_batiment": "Certificat Qualibat",
    "cibtp_attestation_cotisations_conges_payes_chomage_intemperies": (
        "Attestation CIBTP congés payés et chômage intempéries"
    ),
    "cnetp_attestation_cotisations_conges_payes_chomage_intemperies": (
        "Attestation CNETP congés payés et chômage intempéries"
    ),
    "probtp_attestations_cotisation_retraite": "Attestation de cotisations retraite PRO BTP",
    "fntp_carte_professionnelle_travaux_publics": "Carte professionnelle FNTP",
}
LIMITED_SCOPES = frozenset(e.scope for e in ENDPOINTS if "_insee_" in e.operation)


def _error(code, title, detail, parameter=None, meta=None):
    return {
        "code": code,
        "title": title,
        "detail": detail,
        "source": {"parameter": parameter} if parameter else None,
        "meta": meta or {},
    }


_UNPROCESSABLE = "Entité non traitable"
ERR_TOKEN_INVALID = _error(
    "00101", "Interdit", "Votre token n'est pas valide ou n'est pas renseigné", "token"
)
ERR_TOKEN_EXPIRED = _error(
    "00103", "Jeton expiré", "Votre token est expiré. Vous devez refaire une demande", "token"
)
ERR_SCOPE = _error(
    "00100",
    "Privilèges insuffisants",
    "Votre token est valide mais vos privilèges sont insuffisants. "
    "Listez vos privilèges sur /v2/privileges",
    "token",
)
ERR_TOO_MANY = _error("00429", "Trop de requêtes", "Vous avez effectué trop de requêtes")


def _missing(code, name):
    return _error(code, _UNPROCESSABLE, f"Le paramètre {name} est obligatoire", name)


# -- staging cases -------------------------------------------------------------


def _load_yaml_documents(path):
    import yaml  # PyYAML ships with Odoo's dependencies

    with open(path, encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def load_staging_cases(operation):
    """``{id: (status, payload)}`` of one staging operation, in file order."""
    folder = fixtures_dir() / "api_entreprise" / "siade_staging_data" / operation
    cases = {}
    for path in sorted(folder.glob("*.y*ml")):
        for doc in _load_yaml_documents(path):
            (identifier,) = doc["params"].values()
            cases.setdefault(str(identifier), (int(doc["status"]), json.loads(doc["payload"])))
    return cases


def _merge(base, override):
    """``base`` with ``override`` applied to the keys ``base`` already has (shape kept)."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return copy.deepcopy(override)
    result = copy.deepcopy(base)
    for key, value in override.items():
        if key in result:
            result[key] = _merge(result[key], value) if isinstance(value, dict) else value
    return result


def _timestamp(iso_day):
    return int(time.mktime(date.fromisoformat(iso_day).timetuple()))


# -- Duret payloads ------------------------------------------------------------


class _DuretBuilder:
    """Builds Duret's payload for one call from the operation's staging 200 payload."""

    def __init__(self, service, endpoint, request, identifier):
        self.service, self.endpoint = service, endpoint
        self.base_url = "http://" + request.headers.get("host", "127.0.0.1")
        self.identifier = identifier
        self.dates = company_data.duret_dates()
        self.cases = service.cases(endpoint.operation)

    def staged(self, identifier=None):
        """A staging 200 payload of this operation (the first, or the one for ``identifier``)."""
        if identifier:
            return copy.deepcopy(self.cases[identifier][1])
        return next(copy.deepcopy(p) for s, p in self.cases.values() if s == 200)

    def document(self, title, *lines):
        return self.service.issue_document(self.base_url, self.endpoint, title, lines)

    def with_document(self, payload, title, *lines, expires_key="expires_in"):
        url, ttl = self.document(title, *lines)
        return _merge(payload, {"data": {"document_url": url, expires_key: ttl}})

    def build(self):
        return getattr(self, "_" + self.endpoint.duret)()

    # one method per family of operations --------------------------------------
    def _as_staged(self):
        return self.staged()

    def _document_v3(self):
        return self.with_document(self.staged(), DOCUMENT_TITLES[self.endpoint.scope])

    def _urssaf_v4(self):
        d = self.dates
        payload = self.with_document(
            self.staged("000000001"),
            "Attestation de vigilance URSSAF",
            f"Période analysée jusqu'au {d['urssaf_start']}",
            f"Valable jusqu'au {d['urssaf_end']}",
            expires_key="document_url_expires_in",
        )
        return _merge(
            payload,
            {
                "data": {
                    "date_debut_validite": d["urssaf_start"],
                    "date_fin_validite": d["urssaf_end"],
                    "code_securite": "DRT73K2P9Q4W8ZE",
                }
            },
        )

    def _dgfip_v4(self):
        d = self.dates
        payload = self.with_document(
            self.staged(),
            "Attestation de régularité fiscale",
            f"Situation au {d['dgfip_period']}",
            expires_key="document_url_expires_in",
        )
        return _merge(
            payload,
            {
                "data": {
                    "date_delivrance_attestation": d["dgfip_delivery"],
                    "date_periode_analysee": d["dgfip_period"],
                }
            },
        )

    def _qualifelec(self):
        d = self.dates
        payload = self.staged("55204944776279")  # the RGE certificate case
        item = payload["data"][0]
        url, _ttl = self.document(
            "Certificat Qualifelec", f"Valable du {d['qualifelec_start']} au {d['qualifelec_end']}"
        )
        insurance = {"date_debut": d["qualifelec_start"], "date_fin": d["qualifelec_end"]}
        payload["data"] = [
            _merge(
                item,
                {
                    "data": {
                        "document_url": url,
                        "numero": 73211,
                        "date_debut": d["qualifelec_start"],
                        "date_fin": d["qualifelec_end"],
                        "qualification": {
                            "date_debut": d["qualification_start"],
                            "date_fin": d["qualification_end"],
                            "classification": {
                                "code": 2,
                                "label": "Classe 2 - de 4 à 8 exécutants",
                            },
                        },
                        "assurance_decennale": dict(insurance, nom="SMABTP"),
                        "assurance_civile": dict(insurance, nom="SMABTP"),
                    }
                },
            )
        ]
        payload["meta"] = {"total": 1}
        return payload

    def _qualibat_v4(self):
        d = self.dates
        payload = self.with_document(
            self.staged(),
            "Certificat Qualibat",
            f"Valable jusqu'au {d['qualibat_end']}",
            expires_key="document_url_expires_in",
        )
        certification = dict(
            payload["data"]["entity"]["certifications"][0],
            code="5211",
            rge=False,
            libelle="Installations électriques (technicité courante)",
            date_attribution=d["qualibat_emission"],
        )
        insurer = {"nom": "SMABTP", "identifiant": "73-842317653"}
        return _merge(
            payload,
            {
                "data": {
                    "date_emission": d["qualibat_emission"],
                    "date_fin_validite": d["qualibat_end"],
                    "entity": {
                        "certifications": [certification],
                        "assurance_responsabilite_travaux": insurer,
                        "assurance_responsabilite_civile": insurer,
                    },
                }
            },
        )

    def _rge(self):
        d = self.dates
        template = self.staged()["data"][0]
        rows = []
        for start, end, archived in (
            (d["rge_start"], d["rge_end"], False),
            (d["rge_old_start"], d["rge_old_end"], True),
        ):
            url, _ttl = self.document("Certificat RGE Qualifelec", f"Valable jusqu'au {end}")
            rows.append(
                _merge(
                    template,
                    {
                        "data": {
                            "url": url,
                            "nom_certificat": "Qualifelec RGE",
                            "domaine": "Panneaux photovoltaïques",
                            "meta_domaine": "Installations d'énergies renouvelables",
                            "qualification": {
                                "code": "PV",
                                "nom": "Installation photovoltaïque (PV)",
                            },
                            "organisme": "qualifelec",
                            "date_attribution": start,
                            "date_expiration": end,
                            "meta": {
                                "internal_id": f"QE73211-PV-{start}",
                                "updated_at": start,
                                "archived": archived,
                            },
                        }
                    },
                )
            )
        return {"data": rows, "meta": {}, "links": {}}

    def _kbis(self):
        duret, d = company_data.DURET, self.dates
        last, first, born = duret["president"]
        return _merge(
            self.staged(),
            {
                "data": {
                    "siren": duret["siren"],
                    "date_extrait": d["kbis_extract"],
                    "date_immatriculation": duret["date_creation"],
                    "mandataires_sociaux": [
                        {
                            "numero_identification": None,
                            "type": "personne_physique",
                            "fonction": "Président",
                            "nom": last,
                            "prenom": first,
                            "date_naissance": born,
                            "raison_sociale": None,
                        }
                    ],
                    "observations": [],
                    "nom_commercial": duret["name"],
                    "etablissement_principal": {
                        "activite": duret["naf"][1],
                        "code_ape": duret["naf"][0].replace(".", ""),
                    },
                    "capital": {"montant": float(duret["capital"])},
                    "greffe": {"valeur": "CHAMBERY", "code": "7301"},
                    "personne_morale": {
                        "forme_juridique": {
                            "valeur": "SOCIETE PAR ACTIONS SIMPLIFIEE",
                            "code": "SAS",
                        },
                        "denomination": duret["name"],
                    },
                }
            },
        )

    def _rne(self):
        duret = company_data.DURET
        address = {
            "voie": f"{duret['numero_voie']} {duret['type_voie_long']} {duret['libelle_voie']}",
            "code_postal": duret["code_postal"],
            "commune": duret["commune"],
        }
        payload = self.with_document(self.staged(), "Extrait RNE", duret["name"])
        establishment = dict(
            payload["data"]["etablissements"][0],
            siret=duret["siret"],
            date_debut_activite=duret["date_creation"],
            activite_principale=duret["naf"][1],
            adresse=dict(payload["data"]["etablissements"][0]["adresse"], **address),
            code_APE={"code": duret["naf"][0].replace(".", ""), "libelle": duret["naf"][1]},
        )
        return _merge(
            payload,
            {
                "data": {
                    "identite_entreprise": {
                        "denomination": duret["name"],
                        "siren": duret["siren"],
                        "date_immatriculation_rne": duret["date_creation"],
                        "date_debut_activite": duret["date_creation"],
                        "forme_juridique": {
                            "code": duret["legal_form"][0],
                            "libelle": duret["legal_form"][1],
                        },
                        "activite_principales_objet_social": duret["naf"][1],
                        "code_APE": {
                            "code": duret["naf"][0].replace(".", ""),
                            "libelle": duret["naf"][1],
                        },
                        "capital_social": {"montant": float(duret["capital"])},
                        "adresse_siege_social": address,
                    },
                    "dirigeants_et_associes": [
                        dict(
                            payload["data"]["dirigeants_et_associes"][0],
                            qualite="Président",
                            nom=duret["president"][0],
                            prenom=duret["president"][1].upper(),
                            commune_residence="Albertville",
                        )
                    ],
                    "etablissements": [establishment],
                    "etablissements_fermes_total": 1,
                    "observations": [],
                }
            },
        )

    def _unite_legale_override(self):
        duret = company_data.DURET
        activity = {"code": duret["naf"][0], "libelle": duret["naf"][1]}
        return {
            "siren": duret["siren"],
            "siret_siege_social": duret["siret"],
            "categorie_entreprise": "PME",
            "personne_morale_attributs": {"raison_sociale": duret["name"], "sigle": None},
            "forme_juridique": {"code": duret["legal_form"][0], "libelle": duret["legal_form"][1]},
            "activite_principale": activity,
            "activite_principale_naf_rev2": activity,
            "tranche_effectif_salarie": {
                "de": 20,
                "a": 49,
                "code": "12",
                "date_reference": "2023",
                "intitule": "20 à 49 salariés",
            },
            "etat_administratif": "A",
            "date_cessation": None,
            "date_creation": _timestamp(duret["date_creation"]),
        }

    def _links(self, payload):
        payload["links"] = {
            key: value.replace("https://entreprise.api.gouv.fr", self.base_url)
            .replace("55204944776279", company_data.DURET["siret"])
            .replace("552049447", company_data.DURET["siren"])
            for key, value in payload["links"].items()
        }
        return payload

    def _insee_unite(self):
        payload = _merge(self.staged("552049447"), {"data": self._unite_legale_override()})
        return self._links(payload)

    def _insee_etab(self):
        duret = company_data.DURET
        closed = self.identifier == company_data.DURET_CLOSED["siret"]
        place = company_data.DURET_CLOSED if closed else duret
        staged_id = "55204944776279" if self.endpoint.id_name == "siret" else "552049447"
        activity = {"code": duret["naf"][0], "libelle": duret["naf"][1]}
        street = f"{place['numero_voie']} {place['type_voie']} {place['libelle_voie']}"
        payload = _merge(
            self.staged(staged_id),
            {
                "data": {
                    "siret": place["siret"],
                    "siege_social": not closed,
                    "etat_administratif": "F" if closed else "A",
                    "date_fermeture": _timestamp(place["date_fermeture"]) if closed else None,
                    "enseigne": None,
                    "activite_principale": activity,
                    "activite_principale_naf_rev2": activity,
                    "tranche_effectif_salarie": {
                        "de": 0 if closed else 20,
                        "a": 0 if closed else 49,
                        "code": "00" if closed else "12",
                        "date_reference": "2023",
                        "intitule": "0 salarié" if closed else "20 à 49 salariés",
                    },
                    "date_creation": _timestamp(place["date_creation"]),
                    "unite_legale": self._unite_legale_override(),
                    "adresse": {
                        "numero_voie": place["numero_voie"],
                        "type_voie": place["type_voie"],
                        "libelle_voie": place["libelle_voie"],
                        "code_postal": place["code_postal"],
                        "libelle_commune": place["commune"],
                        "code_commune": place["code_commune"],
                        "acheminement_postal": {
                            "l1": duret["name"],
                            "l4": street,
                            "l6": f"{place['code_postal']} {place['commune']}",
                            "l7": "FRANCE",
                        },
                    },
                }
            },
        )
        return self._links(payload)


# -- the service ---------------------------------------------------------------


class ApiEntrepriseService:
    """Routes, token and parameter checks, rate limits and expiring document URLs."""

    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self._lock = threading.Lock()
        self._cases = {}
        self.reset()

    def reset(self):
        with self._lock:
            self.config = dict(DEFAULT_CONFIG)
            self.expired_tokens = {EXPIRED_TOKEN}
            self.windows = {}  # (token, family) -> [window start, count]
            self.documents = {}  # token -> (expires at, title, lines)

    def routes(self):
        routes = [
            ("POST", r"/_sandbox/api_entreprise/config", self.admin_config),
            ("GET", r"/_sandbox/api_entreprise/config", self.admin_config),
            ("POST", r"/_sandbox/api_entreprise/expire_documents", self.admin_expire_documents),
            ("GET", r"/_documents/(?P<token>[\w-]+)\.pdf", self.download),
        ]
        for endpoint in ENDPOINTS:
            routes.append(("GET", endpoint.regex, self._handler_for(endpoint)))
        return routes

    def cases(self, operation):
        if operation not in self._cases:
            self._cases[operation] = load_staging_cases(operation)
        return self._cases[operation]

    # -- admin -----------------------------------------------------------------
    def admin_config(self, request):
        if request.method == "POST":
            try:
                spec = request.json() or {}
            except ValueError as exc:
                return SandboxResponse.json({"error": str(exc)}, 400)
            with self._lock:
                token = spec.pop("expire_token", None)
                if token:
                    self.expired_tokens.add(token)
                unknown = set(spec) - set(DEFAULT_CONFIG)
                if unknown:
                    return SandboxResponse.json({"error": f"unknown keys {sorted(unknown)}"}, 400)
                self.config.update(spec)
                self.windows.clear()
        return SandboxResponse.json(dict(self.config, expired_tokens=sorted(self.expired_tokens)))

    def admin_expire_documents(self, request):
        now = time.time()
        with self._lock:
            self.documents = {
                k: (min(e, now), t, lines) for k, (e, t, lines) in self.documents.items()
            }
        return SandboxResponse.json({"expired": len(self.documents)})

    # -- documents -------------------------------------------------------------
    def issue_document(self, base_url, endpoint, title, lines):
        """A fresh download URL and its lifetime in seconds (like a pre-signed S3 link)."""
        ttl = self.config["document_ttl"]
        if ttl is None:
            staged = next(p for s, p in self.cases(endpoint.operation).values() if s == 200)
            data = staged["data"] if isinstance(staged["data"], dict) else {}
            ttl = data.get("expires_in") or data.get("document_url_expires_in") or 86400
        token = secrets.token_urlsafe(18)
        duret = company_data.DURET
        lines = (f"{duret['name']} - SIREN {duret['siren']}", *lines)
        now = time.time()
        with self._lock:
            # links dead for an hour are deleted, as the bucket would (then 404, not 410)
            self.documents = {k: v for k, v in self.documents.items() if v[0] > now - 3600}
            self.documents[token] = (now + ttl, title, lines)
        return f"{base_url}/_documents/{token}.pdf", int(ttl)

    def download(self, request):
        entry = self.documents.get(request.match["token"])
        if entry is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        expires_at, title, lines = entry
        if time.time() >= expires_at:
            return _s3_error(410, "AccessDenied", "Request has expired")
        body = company_data.render_pdf(title, lines)
        return SandboxResponse(200, body, {"Content-Type": "application/pdf"})

    # -- API calls -------------------------------------------------------------
    def _handler_for(self, endpoint):
        return lambda request: self.answer(endpoint, request)

    def answer(self, endpoint, request):
        token = _bearer(request)
        if token in self.expired_tokens:
            return _errors(401, ERR_TOKEN_EXPIRED)
        if token not in (VALID_TOKEN, LIMITED_TOKEN):
            return _errors(401, ERR_TOKEN_INVALID)
        limit_headers, allowed = self._count(token, endpoint)
        if not allowed:
            return _errors(429, ERR_TOO_MANY, limit_headers)
        if token == LIMITED_TOKEN and endpoint.scope not in LIMITED_SCOPES:
            return _errors(403, ERR_SCOPE, limit_headers)
        identifier = request.match[endpoint.id_name]
        problems = _parameter_errors(endpoint, identifier, request)
        if problems:
            return _errors(422, problems, limit_headers)
        status, payload = self._lookup(endpoint, identifier, request)
        if endpoint.operation.endswith("certificats_rge") and status == 200:
            payload = _limit_list(payload, request.arg("limit"))
        return SandboxResponse.json(payload, status, dict(limit_headers, **_common_headers()))

    def _lookup(self, endpoint, identifier, request):
        cases = self.cases(endpoint.operation)
        if identifier in cases:
            return cases[identifier]
        duret = company_data.DURET
        own_ids = {duret["siren"], duret["siret"]}
        if endpoint.id_name == "siret" and "insee" in endpoint.operation:
            own_ids.add(company_data.DURET_CLOSED["siret"])
        if endpoint.duret and identifier in own_ids:
            return 200, _DuretBuilder(self, endpoint, request, identifier).build()
        return self._not_found(endpoint)

    def _not_found(self, endpoint):
        for status, payload in self.cases(endpoint.operation).values():
            if status == 404:
                return 404, payload
        # INSEE unites legales record no 404 case: INSEE's etablissements one is used.
        return self._not_found(ENDPOINTS_BY_OPERATION["api_entreprise_v4_insee_etablissements"])

    def _count(self, token, endpoint):
        """Fixed window per token and family; returns (RateLimit-* headers, allowed)."""
        family = "documents" if endpoint.document else "json"
        limit = int(self.config[f"rate_limit_{family}"])
        window = float(self.config["rate_window"])
        now = time.time()
        with self._lock:
            start, count = self.windows.get((token, family), (now, 0))
            if now >= start + window:
                start, count = now, 0
            allowed = count < limit
            if allowed:
                count += 1
            self.windows[(token, family)] = (start, count)
        reset = start + window
        headers = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(limit - count, 0)),
            "RateLimit-Reset": str(int(math.ceil(reset))),
        }
        if not allowed:
            headers["Retry-After"] = str(max(1, int(math.ceil(reset - now))))
        return headers, allowed


ENDPOINTS_BY_OPERATION = {e.operation: e for e in ENDPOINTS}


def _bearer(request):
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _parameter_errors(endpoint, identifier, request):
    errors = []
    pattern, code = (r"\d{14}", "00302") if endpoint.id_name == "siret" else (r"\d{9}", "00301")
    if not re.fullmatch(pattern, identifier):
        errors.append(
            _error(
                code,
                _UNPROCESSABLE,
                f"Le numéro de {endpoint.id_name} n'est pas correctement formatté",
                endpoint.id_name,
            )
        )
    context, obj, recipient = (
        request.arg(n, "").strip() for n in ("context", "object", "recipient")
    )
    if not context:
        errors.append(_missing("00201", "context"))
    if not obj:
        errors.append(_missing("00202", "object"))
    elif len(obj) >= 50:
        errors.append(
            _error(
                "00202",
                _UNPROCESSABLE,
                "Le paramètre object doit faire moins de 50 caractères",
                "object",
            )
        )
    if not recipient:
        errors.append(_missing("00203", "recipient"))
    elif recipient[:9] == identifier[:9]:
        errors.append(
            _error(
                "00211",
                _UNPROCESSABLE,
                "Le paramètre recipient ne peut pas être le SIRET de l'entité appelée : "
                "il désigne l'administration destinataire des données",
                "recipient",
            )
        )
    return errors


def _limit_list(payload, limit):
    """``limit`` (1..1000) of the RGE endpoint: the first entries of the list."""
    try:
        size = min(max(int(limit), 1), 1000) if limit else None
    except ValueError:
        size = None
    if size is None:
        return payload
    return dict(payload, data=payload["data"][:size])


def _common_headers():
    return {
        "X-Request-ID": str(uuid.uuid4()),
        "X-Response-Cached": "false",
        "X-Cache-Expires-in": "",
    }


def _errors(status, errors, headers=None):
    errors = errors if isinstance(errors, list) else [errors]
    return SandboxResponse.json(
        {"errors": errors}, status, dict(headers or {}, **_common_headers())
    )


def _s3_error(status, code, message):
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    ).encode()
    return SandboxResponse(status, body, {"Content-Type": "application/xml"})
