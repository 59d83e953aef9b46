"""Explainable relevance scoring of BOAMP notices for an electrical contractor.

A score is a sum of signals, each kept as a :class:`Reason` (code, parameters, points)
so that a person sees why a notice was kept or rejected:

* include keywords in the title (objet), the BOAMP descriptors, the lots or the full text;
* CPV codes of the watched families (works codes ``45*`` weigh more than supply codes);
* the preferred market type, and words that show works (``travaux``, ``lot``, ``pose``...);
* penalties for studies, project management, training... (another trade than works);
* exclusions (energy supply phrases and CPV codes) that reject the notice, unless works
  evidence overrides them: buyers publish "Lot 8 Électricité" of a building project under
  the supply CPV 09310000, so neither a CPV code nor one keyword decides alone.

Matching is accent- and case-insensitive, tolerates plurals and small words
(``contrôle d'accès`` matches ``CONTROLE ACCES``), and a longer keyword hides the
shorter one it contains (``éclairage public`` is not also counted as ``éclairage``).
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from .cpv_labels import cpv_label
from .cpv_labels import translatable as _lt

# Points of each signal: the whole scoring policy in one table.
POINTS = {
    "keyword_title": 40,
    "keyword_descriptor": 40,
    "keyword_descriptor_works": 50,  # a BOAMP works descriptor: "Electricité (travaux)"
    "keyword_descriptor_supply": 15,  # a supply descriptor: "Matériel électrique"
    "keyword_acronym_alone": 20,  # one acronym alone (CFA, SSI, HTA...): never enough
    "keyword_lot": 30,
    "keyword_text": 15,
    "extra_keyword": 10,  # each further distinct keyword, wherever found
    "cpv_works": 50,  # a watched CPV of the works division 45
    "cpv_other": 25,  # a watched supply or service CPV (luminaires, solar panels...)
    "market_type": 15,
    "works_evidence": 10,
}
WORKS_DIVISION = "45"
LIGHT_PENALTY = 10  # penalties up to this weight yield to clear works evidence
# Words of a BOAMP descriptor that tell works from supplies ("Electricité (travaux)" vs
# "Matériel électrique", "Electricité, gaz (fourniture)").
DESCRIPTOR_WORKS_WORDS = ("travaux",)
# Works words that mean works on their own; "installation", "pose", "lot" or "mise en
# place" also describe the delivery of a supply or a service.
STRONG_WORKS_WORDS = (
    "travaux",
    "construction",
    "reconstruction",
    "rénovation",
    "réhabilitation",
    "restructuration",
    "renouvellement",
    "remplacement",
    "réfection",
    "gros entretien",
    "électrification",
)
MAX_EXTRA_KEYWORDS = 2  # a list of trade words in a study's title is still a study
DESCRIPTOR_SUPPLY_WORDS = ("materiel", "fourniture", "acquisition")

DEFAULT_KEYWORDS = [
    "électricité",
    "électrique",
    "éclairage public",
    "éclairage",
    "rénovation énergétique",
    "photovoltaïque",
    "panneaux solaires",
    "centrale solaire",
    "courants forts",
    "courants faibles",
    "CFO",
    "CFA",
    "basse tension",
    "haute tension",
    "HTA",
    "réseaux BT",
    "électrification",
    "câblage informatique",
    "précâblage",
    "câblage VDI",
    "VDI",
    "téléphonie",
    "performance énergétique",
    "efficacité énergétique",
    "amélioration énergétique",
    "réseaux secs",
    "TGBT",
    "poste de transformation",
    "luminaire",
    "candélabre",
    "IRVE",
    "bornes de recharge",
    "infrastructure de recharge",
    "alarme incendie",
    "SSI",
    "vidéoprotection",
    "vidéosurveillance",
    "contrôle d'accès",
    "GTB",
]
DEFAULT_EXCLUDE_PHRASES = [
    "fourniture d'électricité",
    "acheminement d'électricité",
    "fourniture d'énergie",
    "acheminement d'énergie",
    "achat d'électricité",
    "achat d'énergie",
    "fourniture de gaz",
    "gaz naturel",
    "électricité, gaz (fourniture)",
    "points de livraison",
    "tarif jaune",
    "tarif vert",
]
DEFAULT_CPV_INCLUDE = [
    # electrical installation works (4531*) but lifts and escalators (45313*, another trade)
    "45310",
    "45311",
    "45312",
    "45314",
    "45315",
    "45316",  # lighting and signalling
    "45317",
    "45231400",
    "45232200",
    "45261215",
    "45251100",
    "0933",  # solar energy equipment (supply: lower score)
    "31712331",
    "3152",  # luminaires
    "31527200",
    "349285",  # street-lighting equipment
    "34993000",
    "5023",  # public-lighting maintenance
]
DEFAULT_CPV_EXCLUDE = ["0930", "0931", "0912", "6531", "65300000"]
# Words of an object that show works (as opposed to a supply or a service).
DEFAULT_WORKS_WORDS = [
    "travaux",
    "lot",
    "construction",
    "reconstruction",
    "rénovation",
    "réhabilitation",
    "restructuration",
    "extension",
    "aménagement",
    "installation",
    "mise en place",
    "mise en oeuvre",
    "mise aux normes",
    "mise en conformité",
    "mise en sécurité",
    "remplacement",
    "réfection",
    "renouvellement",
    "enfouissement",
    "raccordement",
    "pose",
    "création",
    "modernisation",
    "remise à niveau",
    "gros entretien",
    "déploiement",
    "électrification",
]
# Another trade than works: studies, project management, missions, inspections, software,
# event services, advisory and financing, training, rentals, purchases. They name an
# electrical system often ("mission de coordination ... éclairage public", "vérification
# des installations électriques") but are services: the penalty outweighs a keyword.
# Maintenance weighs little (LIGHT_PENALTY): lighting maintenance contracts are still worth
# a look, and clear works evidence ("travaux et entretien", "gros entretien et
# renouvellement") waives it.
DEFAULT_PENALTIES = {
    "maîtrise d'oeuvre": 40,
    "assistance à maîtrise d'ouvrage": 40,
    "AMO": 40,
    "étude": 40,
    "audit": 40,
    "diagnostic": 40,
    "contrôle technique": 40,
    "mission de contrôle": 40,
    "mission": 40,
    "coordination": 40,
    "assistance": 40,
    "vérification": 40,
    "inspection": 40,
    "contrôle réglementaire": 40,
    "contrôle périodique": 40,
    "logiciel": 40,
    "progiciel": 40,
    "événementiel": 40,
    "manifestation": 40,
    "spectacle": 40,
    "festival": 40,
    "prestations techniques": 40,
    "financement": 40,
    "conseil en énergie": 40,
    "accompagnement": 40,
    "schéma directeur": 40,
    "services de télécommunications": 40,
    "téléphonie mobile": 40,
    "accès internet": 40,
    "abonnement": 40,
    "formation": 40,
    "location": 40,
    "acquisition": 40,
    "achat": 40,
    "prestations": 10,
    "maintenance": 10,
    "maintien en condition opérationnelle": 10,
    "entretien": 10,
    "exploitation": 10,
}

REASON_TEMPLATES = {
    "keyword_title": _lt('keyword "%(keyword)s" in the title'),
    "keyword_descriptor": _lt('keyword "%(keyword)s" in the BOAMP descriptors'),
    "keyword_text": _lt('keyword "%(keyword)s" in the notice text'),
    "keyword_lot": _lt('keyword "%(keyword)s" in lot %(lot)s'),
    "cpv_match": _lt("CPV %(code)s %(label)s"),
    "cpv_lot_match": _lt("CPV %(code)s in lot %(lot)s"),
    "market_type": _lt("market type %(type)s"),
    "works_evidence": _lt('works: "%(word)s" in the title'),
    "penalty_phrase": _lt('not works: "%(phrase)s"'),
    "penalty_waived": _lt('"%(phrase)s" ignored: the notice describes works'),
    "acronym_only": _lt('only the acronym "%(keyword)s": ambiguous, weighed low'),
    "excluded_phrase": _lt("excluded: %(phrase)s"),
    "excluded_cpv": _lt("excluded: CPV %(code)s"),
    "supply_override": _lt("exclusion overridden: the notice describes electrical works"),
    "department_match": _lt("département %(departement)s"),
    "department_out_of_scope": _lt("département not watched: %(departements)s"),
    "amount_out_of_range": _lt("estimated amount %(amount)s out of the watched range"),
    "below_threshold": _lt("score %(score)s below the minimum %(min_score)s"),
}


@dataclass
class Reason:
    code: str
    params: dict
    points: int = 0

    def to_dict(self):
        return {"code": self.code, "params": dict(self.params), "points": self.points}


@dataclass
class ScoreResult:
    score: int
    kept: bool
    reasons: list


@dataclass
class ScoringRules:
    include_keywords: list
    exclude_phrases: list
    cpv_include_prefixes: list
    cpv_exclude_prefixes: list
    preferred_market_types: list
    min_score: int
    min_amount: float | None = None
    max_amount: float | None = None
    # Additions to the B1/B2 interface (all optional):
    departements: list = field(default_factory=list)  # empty: every département
    works_words: list = field(default_factory=lambda: list(DEFAULT_WORKS_WORDS))
    penalty_phrases: dict = field(default_factory=lambda: dict(DEFAULT_PENALTIES))


def default_rules():
    """Duret Électricité's watch: electrical, lighting, photovoltaic and energy-renovation works."""
    return ScoringRules(
        include_keywords=list(DEFAULT_KEYWORDS),
        exclude_phrases=list(DEFAULT_EXCLUDE_PHRASES),
        cpv_include_prefixes=list(DEFAULT_CPV_INCLUDE),
        cpv_exclude_prefixes=list(DEFAULT_CPV_EXCLUDE),
        preferred_market_types=["TRAVAUX"],
        min_score=50,
    )


# -- text matching --------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]*>")
_NON_WORD = re.compile(r"[^0-9a-z*]+")
_STOPWORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}
_GAP = r"(?:\s+(?:" + "|".join(sorted(_STOPWORDS)) + r"))*\s+"


def _fold_table():
    """Each character of the Basic Multilingual Plane whose compatibility decomposition
    differs once combining marks are dropped (é → e, ﬁ → fi, œ → oe), for ``str.translate``:
    the same result as decomposing every text, at C speed (notice texts run long)."""
    table = {ord("œ"): "oe", ord("æ"): "ae"}
    for code in range(0x80, 0x10000):
        char = chr(code)
        if code in table or 0xD800 <= code <= 0xDFFF:
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c))
        if folded != char:
            table[code] = folded
    return table


_FOLD = _fold_table()


@functools.lru_cache(maxsize=1024)
def normalize(text):
    """Lower-case, accents stripped, HTML tags and punctuation turned into single spaces."""
    text = _TAGS.sub(" ", text or "").lower().translate(_FOLD)
    return " ".join(_NON_WORD.sub(" ", text.replace("*", " ")).split())


def _word_parts(word):
    """``(literal, suffix)``: the text a match of ``word`` always holds, then a regex."""
    if word.endswith("*"):
        return word[:-1], "[0-9a-z]*"
    if word.endswith("al"):
        return word[:-2], "(?:al|ale|ales|als|aux)"
    if word.endswith(("s", "x")):
        return (word[:-1], re.escape(word[-1]) + "?") if len(word) > 4 else (word, "")
    return word, "(?:s|x|e|es)?"


_PATTERNS = {}


def phrase_pattern(phrase):
    """A regex matching ``phrase`` in :func:`normalize`-d text (plurals, small words)."""
    return _phrase(phrase)[0]


def _phrase(phrase):
    """``(regex, literal)``: the literal is the longest substring every match contains."""
    found = _PATTERNS.get(phrase)
    if found is None:
        words = _NON_WORD.sub(" ", normalize(phrase.replace("*", "STAR"))).split()
        words = [w.replace("star", "*") for w in words]
        significant = [w for w in words if w not in _STOPWORDS] or words
        parts = [_word_parts(w) for w in significant]
        body = _GAP.join(re.escape(literal) + suffix for literal, suffix in parts)
        pattern = re.compile(r"(?<![0-9a-z])" + body + r"(?![0-9a-z])")
        found = _PATTERNS[phrase] = (pattern, max((lit for lit, _s in parts), key=len))
    return found


class _Text:
    """Normalised text in which found phrases are blanked, so that longer phrases win."""

    def __init__(self, raw):
        self.value = normalize(raw)

    def take(self, pattern):
        match = pattern.search(self.value)
        if not match:
            return False
        start, end = match.span()
        self.value = self.value[:start] + " " * (end - start) + self.value[end:]
        return True


@functools.lru_cache(maxsize=64)
def _by_length(phrases):
    """``(phrase, regex, literal)``, longest phrase first."""
    ordered = sorted((p for p in phrases if p and p.strip()), key=lambda p: -len(normalize(p)))
    return tuple((phrase, *_phrase(phrase)) for phrase in ordered)


def _found(phrases, raw):
    """The phrases found in ``raw``, longest first, a shorter one not re-found inside."""
    text = _Text(raw)
    # the substring test is much cheaper than the regex and rules most phrases out
    return [
        phrase
        for phrase, pattern, literal in _by_length(tuple(phrases))
        if literal in text.value and text.take(pattern)
    ]


# -- scoring ----------------------------------------------------------------------------


def _as_tuple(value):
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _cpv_points(code):
    return POINTS["cpv_works"] if code.startswith(WORKS_DIVISION) else POINTS["cpv_other"]


def is_acronym(keyword):
    """``CFA``, ``SSI``, ``HTA``: one upper-case token, which other trades use too."""
    token = keyword.strip()
    return 2 <= len(token) <= 5 and token.isalnum() and token.isupper()


def _descriptor_kind(descriptor):
    """``works``, ``supply`` or ``None`` from the wording of one BOAMP descriptor."""
    words = set(normalize(descriptor).split())
    if words & set(DESCRIPTOR_WORKS_WORDS):
        return "works"
    if words & set(DESCRIPTOR_SUPPLY_WORDS):
        return "supply"
    return None


def _keyword_reasons(objet, descriptors, lots, full_text, rules):
    """One reason per keyword found, where it weighs most (title, descriptor, lot, text)."""
    found = {}  # keyword -> (code, params, points)

    def add(code, kw, points, **params):
        if kw not in found or points > found[kw][2]:
            found[kw] = (code, {"keyword": kw, **params}, points)

    for kw in _found(rules.include_keywords, objet):
        add("keyword_title", kw, POINTS["keyword_title"])
    for descriptor in descriptors:
        kind = _descriptor_kind(descriptor)
        code = "keyword_descriptor" + (f"_{kind}" if kind else "")
        for kw in _found(rules.include_keywords, descriptor):
            add("keyword_descriptor", kw, POINTS[code])
    for number, title, _codes in lots:
        for kw in _found(rules.include_keywords, title or ""):
            add("keyword_lot", kw, POINTS["keyword_lot"], lot=number)
    for kw in _found(rules.include_keywords, full_text):
        add("keyword_text", kw, POINTS["keyword_text"])
    ranked = sorted(found.values(), key=lambda item: -item[2])
    # the strongest keyword counts in full, a few further ones add a little each; a
    # keyword met only in the full text (a site's description) adds nothing more
    return [
        Reason(code, params, _nth_keyword_points(position, code, points))
        for position, (code, params, points) in enumerate(ranked)
    ]


def _nth_keyword_points(position, code, points):
    if position == 0:
        return points
    if code == "keyword_text" or position > MAX_EXTRA_KEYWORDS:
        return 0
    return POINTS["extra_keyword"]


def _score(objet, descriptors, lots, full_text, cpv_codes, market_types, rules):
    """The shared logic; ``lots`` are ``(number, title, cpv_codes)`` tuples."""
    reasons = _keyword_reasons(objet, descriptors, lots, full_text, rules)
    keyword_reasons = list(reasons)

    # CPV: exclusions first, then the strongest watched code counts (others shown, 0 point).
    lot_codes = {code: number for number, _t, codes in lots for code in codes}
    all_codes = list(dict.fromkeys([*cpv_codes, *lot_codes]))
    excluded = [c for c in all_codes if c.startswith(tuple(rules.cpv_exclude_prefixes))]
    watched = [
        c
        for c in all_codes
        if c not in excluded and c.startswith(tuple(rules.cpv_include_prefixes))
    ]
    best = max(watched, key=_cpv_points, default=None)
    for code in watched:
        points = _cpv_points(code) if code == best else 0
        if code in cpv_codes or code not in lot_codes:
            label = cpv_label(code)
            reasons.append(Reason("cpv_match", {"code": code, "label": str(label or "")}, points))
        else:
            reasons.append(Reason("cpv_lot_match", {"code": code, "lot": lot_codes[code]}, points))

    # An acronym alone is not evidence: CFA is also a training centre, SSI an information
    # system, HTA a blood pressure. Without a worded keyword, a watched CPV or a second
    # acronym of the trade (CFO with CFA), it weighs a fixed amount that cannot reach the
    # threshold with the works and market-type signals alone.
    if (
        len(keyword_reasons) == 1
        and not watched
        and is_acronym(keyword_reasons[0].params["keyword"])
    ):
        keyword_reasons[0].points = POINTS["keyword_acronym_alone"]
        reasons.append(Reason("acronym_only", {"keyword": keyword_reasons[0].params["keyword"]}))

    works_market = False
    for market_type in market_types:
        if market_type in rules.preferred_market_types:
            reasons.append(Reason("market_type", {"type": market_type}, POINTS["market_type"]))
            works_market = market_type == "TRAVAUX"
            break

    title_text = "\n".join([objet, *(title or "" for _n, title, _c in lots)])
    works_words = _found(rules.works_words, title_text)
    if "SERVICES" in market_types and "TRAVAUX" not in market_types:
        # "lot", "installation", "mise en place" say nothing of works in a services notice
        works_words = [w for w in works_words if w in STRONG_WORKS_WORDS]
    if works_words:
        reasons.append(Reason("works_evidence", {"word": works_words[0]}, POINTS["works_evidence"]))
    title_keyword = any(
        r.code in ("keyword_title", "keyword_lot", "keyword_descriptor") for r in keyword_reasons
    )
    works_descriptor = any(
        _descriptor_kind(d) == "works" and _found(rules.include_keywords, d) for d in descriptors
    )
    # Clear works evidence: a works word and an electrical keyword in the title, lots or
    # descriptors, or a works CPV. Light penalties (maintenance) yield to it: "travaux et
    # entretien des systèmes de sécurité incendie" is a works contract.
    has_works_cpv = any(c.startswith(WORKS_DIVISION) for c in watched)
    strong_works = any(w in STRONG_WORKS_WORDS for w in works_words)
    clear_works = (
        has_works_cpv or works_descriptor or (title_keyword and (strong_works or works_market))
    )
    for phrase in _found(list(rules.penalty_phrases), title_text):
        weight = rules.penalty_phrases[phrase]
        if weight <= LIGHT_PENALTY and clear_works:
            reasons.append(Reason("penalty_waived", {"phrase": phrase}, 0))
        else:
            reasons.append(Reason("penalty_phrase", {"phrase": phrase}, -weight))

    # Exclusions: an explicit supply phrase yields only to a works CPV; a supply CPV also
    # yields to an object that names works and a watched keyword (the "Lot 8 Électricité"
    # published under 09310000), or to a BOAMP works descriptor of the trade on a works
    # notice (multi-trade building works published under a supply CPV).
    phrases = _found(rules.exclude_phrases, "\n".join([title_text, *descriptors]))
    any_works_cpv = any(c.startswith(WORKS_DIVISION) for c in all_codes)
    rejected = False
    if phrases or excluded:
        reasons.extend(Reason("excluded_phrase", {"phrase": p}, 0) for p in phrases)
        reasons.extend(Reason("excluded_cpv", {"code": c}, 0) for c in excluded)
        supply_override = not phrases and (
            (works_words and title_keyword) or (works_descriptor and (works_market or works_words))
        )
        if any_works_cpv or supply_override:
            reasons.append(Reason("supply_override", {}, 0))
        else:
            rejected = True
    score = sum(r.points for r in reasons)
    return score, rejected, reasons


def _result(score, rejected, reasons, rules):
    kept = not rejected and score >= rules.min_score
    if not rejected and not kept:
        reasons.append(Reason("below_threshold", {"score": score, "min_score": rules.min_score}))
    return ScoreResult(score=score, kept=kept, reasons=reasons)


def score_fields(objet, cpv_codes, descriptors, market_types, rules):
    """Score bare fields (no lots, no full text, no département, no amount)."""
    descriptors = _as_tuple(descriptors)
    market_types = tuple(t.upper() for t in _as_tuple(market_types))
    cpv_codes = tuple(c for c in _as_tuple(cpv_codes) if c)
    score, rejected, reasons = _score(
        objet or "", descriptors, (), "", cpv_codes, market_types, rules
    )
    return _result(score, rejected, reasons, rules)


def score_notice(notice, rules):
    """Score a parsed :class:`~.notice_parser.Notice`, with its lots, text, départements
    and amount."""
    lots = tuple((lot.number, lot.title, lot.cpv_codes) for lot in notice.lots)
    lot_codes = {code for lot in notice.lots for code in lot.cpv_codes}
    notice_codes = tuple(c for c in notice.cpv_codes if c == notice.cpv_main or c not in lot_codes)
    score, rejected, reasons = _score(
        notice.objet or "",
        notice.descriptors,
        lots,
        notice.text,
        notice_codes,
        notice.market_types,
        rules,
    )
    if rules.departements and notice.departements:  # unknown départements reject nothing
        matching = [d for d in notice.departements if d in rules.departements]
        if matching:
            reasons.append(Reason("department_match", {"departement": matching[0]}))
        else:
            rejected = True
            reasons.append(
                Reason("department_out_of_scope", {"departements": ", ".join(notice.departements)})
            )
    amount = notice.amount
    if amount is not None and (
        (rules.min_amount and amount < rules.min_amount)
        or (rules.max_amount and amount > rules.max_amount)
    ):
        rejected = True
        reasons.append(Reason("amount_out_of_range", {"amount": amount}))
    return _result(score, rejected, reasons, rules)


def format_reason(reason, translate=None):
    """A reason as a sentence; ``translate`` turns an English term into the reader's
    language (the Odoo side passes the module's code translations), else English."""
    translate = translate or (lambda term: term)
    if isinstance(reason, Reason):
        reason = reason.to_dict()
    code, params = reason.get("code"), dict(reason.get("params") or {})
    template = REASON_TEMPLATES.get(code)
    if code == "cpv_match" and params.get("code"):
        label = cpv_label(params["code"])
        params["label"] = translate(label) if label is not None else params.get("label", "")
    if template is None:
        return code or ""
    try:
        return (translate(template) % params).strip()
    except (KeyError, TypeError, ValueError):
        return code
