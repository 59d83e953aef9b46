"""Recherche d'entreprises double: ``GET /search``.

Corpus: every unit of the real recorded ``/search`` responses in
``api_entreprise/recherche_entreprises/annuaire-site-e2e-mock/`` (read at run time),
plus Duret (with a closed former establishment, ``etat_administratif`` "F") and the
public buyers of Savoie of ``company_data``, poured into the shape of a recorded
company and a recorded département respectively (same keys, same types).

Behaviour from the official OpenAPI file and domain notes: a 9- or 14-digit ``q``
is a direct SIREN/SIRET lookup that ignores the other filters; ``per_page`` at most
25; no criterion at all gives 400 ``{"erreur": ...}``; above 7 requests/s the answer
is 429 with ``Retry-After``.  Ranking, the wording of the ``per_page``/429 messages
and the text matching (every word must appear in the name, address, officers or
elected officials, accents ignored) are the sandbox's own (unverified).

Admin: ``POST /_sandbox/recherche_entreprises/config {"rate_limit": n}`` (requests
per second, ``null`` disables it).
"""

import collections
import copy
import json
import math
import threading
import time
import unicodedata

from . import company_data
from .core import SandboxResponse
from .fixtures import fixtures_dir

RATE_LIMIT = 7  # requests per second per IP
MAX_PER_PAGE = 25
NO_CRITERIA = "Veuillez indiquer au moins un paramètre de recherche."
GEO_FILTERS = ("code_postal", "departement", "code_commune", "region", "epci")
LIST_FILTERS = (
    "activite_principale",
    "nature_juridique",
    "section_activite_principale",
    "categorie_entreprise",
    "etat_administratif",
    "tranche_effectif_salarie",
)
SECONDARY_FIELDS = (
    "complements",
    "dirigeants",
    "finances",
    "matching_etablissements",
    "siege",
    "score",
    "tva",
)
PAGING = (
    "page",
    "per_page",
    "minimal",
    "include",
    "limite_matching_etablissements",
    "page_etablissements",
    "sort_by_size",
)


def _mock_dir():
    return fixtures_dir() / "api_entreprise" / "recherche_entreprises" / "annuaire-site-e2e-mock"


def _recorded_units():
    """Real units by SIREN, each with the establishments seen across the recordings."""
    units, establishments = {}, collections.defaultdict(dict)
    for path in sorted(_mock_dir().glob("search-*.json")):
        for unit in json.loads(path.read_text(encoding="utf-8"))["result"]["results"]:
            if not unit.get("nom_complet"):
                continue  # the recording of an unknown SIREN holds an empty stub
            for etab in unit["matching_etablissements"]:
                establishments[unit["siren"]][etab["siret"]] = etab
            units.setdefault(unit["siren"], unit)
    for siren, unit in units.items():
        unit["_etablissements"] = list(establishments[siren].values())
    return units


def _address(place):
    street = " ".join(
        part for part in (place["numero_voie"], place["type_voie"], place["libelle_voie"]) if part
    )
    return f"{street} {place['code_postal']} {place['commune']}"


def _establishment(template, unit, place, siege, closed_on=None):
    return _set(
        template,
        {
            "siret": place["siret"],
            "adresse": _address(place),
            "code_postal": place["code_postal"],
            "commune": place["code_commune"],
            "libelle_commune": place["commune"],
            "activite_principale": unit["activite_principale"],
            "est_siege": siege,
            "ancien_siege": False,
            "etat_administratif": "F" if closed_on else "A",
            "date_fermeture": closed_on,
            "date_creation": place.get("date_creation", "1983-03-01"),
            "date_debut_activite": place.get("date_creation", "1983-03-01"),
            "latitude": place.get("latitude", "45.5646"),
            "longitude": place.get("longitude", "5.9178"),
            "region": "84",
            "liste_rge": None,
            "liste_idcc": None,
            "liste_enseignes": None,
            "nom_commercial": None,
            "epci": place.get("epci", "200068997"),
        },
    )


def _set(template, values):
    """A deep copy of ``template`` with ``values`` written over keys it already has."""
    result = copy.deepcopy(template)
    result.update({k: v for k, v in values.items() if k in result})
    return result


def _own_unit(template, identity, places, complements, extra):
    """One unit of ours in the shape of the recorded ``template`` unit."""
    head = places[0]
    etab_template = template["_etablissements"][0]
    unit = _set(
        template,
        dict(
            siren=identity["siren"],
            nom_complet=identity["name"],
            nom_raison_sociale=identity["name"],
            sigle=None,
            etat_administratif="A",
            date_fermeture=None,
            activite_principale=identity["naf"],
            nombre_etablissements=len(places),
            nombre_etablissements_ouverts=sum(1 for p in places if not p.get("date_fermeture")),
            matching_etablissements=[],
            **extra,
        ),
    )
    unit["siege"] = _set(
        template["siege"],
        dict(
            _establishment(etab_template, unit, head, True),
            departement=head["code_postal"][:2],
            libelle_voie=head["libelle_voie"],
            numero_voie=head["numero_voie"] or None,
            type_voie=head["type_voie"] or None,
            coordonnees=f"{head.get('latitude', '45.5646')},{head.get('longitude', '5.9178')}",
        ),
    )
    unit["complements"] = dict(unit["complements"], **complements)
    unit["admin"] = dict(
        unit["admin"], slug=f"{identity['name'].lower().replace(' ', '-')}-{identity['siren']}"
    )
    unit["_etablissements"] = [
        _establishment(etab_template, unit, place, index == 0, place.get("date_fermeture"))
        for index, place in enumerate(places)
    ]
    return unit


def _duret_unit(template):
    duret = company_data.DURET
    last, first, born = duret["president"]
    officer = dict(
        template["dirigeants"][0],
        nom=last,
        prenoms=first.upper(),
        annee_de_naissance=born[:4],
        date_de_naissance=born,
        qualite="Président",
    )
    identity = dict(duret, naf=duret["naf"][0])
    return _own_unit(
        template,
        identity,
        [duret, company_data.DURET_CLOSED],
        {},
        {
            "activite_principale_naf25": duret["naf25"],
            "nature_juridique": duret["legal_form"][0],
            "section_activite_principale": "F",
            "date_creation": duret["date_creation"],
            "categorie_entreprise": "PME",
            "tranche_effectif_salarie": "12",
            "dirigeants": [officer],
            "finances": {"2024": {"ca": 4850000, "resultat_net": 212000}},
            "immatriculation": dict(
                template["immatriculation"],
                date_immatriculation=duret["date_creation"],
                date_debut_activite=duret["date_creation"],
                capital_social=duret["capital"],
                nature_entreprise=["Artisanale réglementée", "Commerciale"],
            ),
        },
    )


def _buyer_unit(template, buyer):
    collectivite = None
    if buyer["collectivite"]:
        collectivite = dict(buyer["collectivite"], elus=[])
    return _own_unit(
        template,
        buyer,
        [buyer],
        {
            "collectivite_territoriale": collectivite,
            "est_administration": True,
            "est_service_public": True,
            "est_rge": False,
        },
        {
            "nature_juridique": buyer["nature_juridique"],
            "section_activite_principale": "O",
            "dirigeants": [],
            "finances": None,
        },
    )


def build_corpus():
    """Units in search order: ours first (the demo's), then the recorded ones."""
    recorded = _recorded_units()
    company_template = recorded["487444697"]  # an electrical contractor (43.21A siege)
    buyer_template = recorded["226300010"]  # a département
    own = [_duret_unit(company_template)]
    own += [_buyer_unit(buyer_template, b) for b in company_data.public_buyers()]
    return own + [u for s, u in recorded.items() if s not in {o["siren"] for o in own}]


def _fold(text):
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _unit_text(unit):
    people = list(unit.get("dirigeants") or [])
    people += ((unit.get("complements") or {}).get("collectivite_territoriale") or {}).get(
        "elus"
    ) or []
    parts = [
        unit.get("nom_complet"),
        unit.get("nom_raison_sociale"),
        unit.get("sigle"),
        (unit.get("siege") or {}).get("adresse"),
    ]
    parts += [f"{p.get('nom')} {p.get('prenoms')}" for p in people]
    return _fold(" ".join(str(p) for p in parts if p))


class _BadRequest(Exception):
    pass


def _flag(value):
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise _BadRequest(f"Veuillez indiquer true ou false pour ce filtre ({value}).")


def _int_arg(request, name, default, low, high):
    raw = request.arg(name)
    try:
        value = int(raw) if raw not in (None, "") else default
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise _BadRequest(f"Veuillez indiquer un paramètre `{name}` entre {low} et {high}.")
    return value


def _geo_ok(etab, filters):
    for name, values in filters.items():
        field = {"code_commune": "commune", "departement": "code_postal"}.get(name, name)
        value = str(etab.get(field) or "")
        if name == "departement":
            value = value[:3] if value.startswith("97") else value[:2]
        if value not in values:
            return False
    return True


class RechercheEntreprisesService:
    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.corpus = build_corpus()
        self._texts = [_unit_text(u) for u in self.corpus]
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self.rate_limit = RATE_LIMIT
            self.hits = collections.deque()

    def routes(self):
        return [
            ("GET", r"/search", self.search),
            ("POST", r"/_sandbox/recherche_entreprises/config", self.admin_config),
        ]

    def admin_config(self, request):
        try:
            spec = request.json() or {}
        except ValueError as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        with self._lock:
            self.rate_limit = spec.get("rate_limit", self.rate_limit)
            self.hits.clear()
        return SandboxResponse.json({"rate_limit": self.rate_limit})

    def _throttled(self):
        """Sliding one-second window; True when this request is over the limit."""
        now = time.monotonic()
        with self._lock:
            while self.hits and now - self.hits[0] >= 1.0:
                self.hits.popleft()
            if self.rate_limit is not None and len(self.hits) >= self.rate_limit:
                return True
            self.hits.append(now)
        return False

    def search(self, request):
        if self._throttled():
            return SandboxResponse.json(
                {"erreur": "Trop de requêtes, veuillez réessayer plus tard."},
                429,
                {"Retry-After": "1"},
            )
        try:
            payload = self._search(request)
        except _BadRequest as exc:
            return SandboxResponse.json({"erreur": str(exc)}, 400)
        return SandboxResponse.json(payload)

    def _search(self, request):
        q = (request.arg("q") or "").strip()
        criteria = {k: v[0] for k, v in request.query.items() if v and v[0] and k not in PAGING}
        criteria.pop("q", None)
        if not q and not criteria:
            raise _BadRequest(NO_CRITERIA)
        page = _int_arg(request, "page", 1, 1, 1000)
        per_page = _int_arg(request, "per_page", 10, 1, MAX_PER_PAGE)
        limit_etabs = _int_arg(request, "limite_matching_etablissements", 10, 1, 100)
        digits = q.replace(" ", "")
        if digits.isdigit() and len(digits) in (9, 14):
            matches = self._by_identifier(digits)
        else:
            matches = self._by_criteria(_fold(q).split(), criteria)
        total = len(matches)
        selected = matches[(page - 1) * per_page : page * per_page]
        results = [self._render(unit, etabs[:limit_etabs], request) for unit, etabs in selected]
        return {
            "results": results,
            "total_results": total,
            "page": page,
            "per_page": per_page,
            "total_pages": math.ceil(total / per_page),
        }

    def _by_identifier(self, number):
        for unit in self.corpus:
            if len(number) == 9 and unit["siren"] == number:
                return [(unit, [])]
            for etab in unit["_etablissements"]:
                if etab["siret"] == number:
                    return [(unit, [etab])]
        return []

    def _by_criteria(self, words, criteria):
        geo = {k: set(criteria.pop(k).split(",")) for k in GEO_FILTERS if k in criteria}
        lists = {k: set(criteria.pop(k).split(",")) for k in LIST_FILTERS if k in criteria}
        flags = {k: _flag(v) for k, v in criteria.items() if k.startswith("est_")}
        matches = []
        for unit, text in zip(self.corpus, self._texts, strict=True):
            if not _words_in(words, text):
                continue
            if any(str(unit.get(k)) not in values for k, values in lists.items()):
                continue
            if any(_unit_flag(unit, k) != wanted for k, wanted in flags.items()):
                continue
            etabs = [e for e in unit["_etablissements"] if _geo_ok(e, geo)]
            if geo and not etabs:
                continue
            if not geo and words:
                by_address = [e for e in etabs if _words_in(words, _fold(e.get("adresse")))]
                etabs = by_address or etabs
            matches.append((unit, etabs))
        return matches

    @staticmethod
    def _render(unit, etabs, request):
        result = {k: copy.deepcopy(v) for k, v in unit.items() if not k.startswith("_")}
        result["matching_etablissements"] = copy.deepcopy(etabs)
        if (request.arg("minimal") or "").lower() == "true":
            keep = set((request.arg("include") or "").split(","))
            for name in SECONDARY_FIELDS:
                if name not in keep:
                    result.pop(name, None)
        return result


def _words_in(words, text):
    """Every query word starts a word of ``text`` (both folded)."""
    tokens = text.split()
    return all(any(t.startswith(w) for t in tokens) for w in words)


def _unit_flag(unit, name):
    complements = unit.get("complements") or {}
    if name == "est_collectivite_territoriale":
        return complements.get("collectivite_territoriale") is not None
    return bool(complements.get(name))
