"""What the sales team's decisions say about a watch profile's rules.

Plain code, no ORM. The profile's history is a list of :class:`HistoryItem`: the leads it
created with their outcome ("rejected" when a salesperson clicked "Non pertinent",
"won", "lost", "open") and the notices its rules filtered out ("filtered"). From it:

* :func:`associations`: the words and CPV codes most associated with one outcome
  (smoothed log-odds of the term among that outcome's items against the others);
* :func:`suggest`: rule changes (a penalty phrase, a keyword, a higher threshold) each
  with its :class:`Effect`, measured by re-scoring that very history with the changed
  rules through the same ``score`` function the nightly import uses.
"""

import math
from collections import Counter
from dataclasses import dataclass, field, replace

from .relevance import normalize

OUTCOMES = ("rejected", "won", "lost", "open", "filtered")
PENALTY_POINTS = 40  # a suggested penalty weighs like the other "not works" phrases
MIN_COUNT = 2  # a term seen once proves nothing
# words of four letters or more that say nothing about a trade
STOPWORDS = frozenset(
    {"avec", "dans", "leur", "lots", "notre", "pour", "ville", "commune", "communes"}
    | {"marche", "marches", "accord", "cadre", "relatif", "relative", "prestation"}
    | {"travaux", "objet", "site", "sites", "batiment", "batiments", "divers", "diverses"}
)


@dataclass(frozen=True)
class HistoryItem:
    key: object  # the lead id, or the rejection id of a filtered notice
    text: str  # the notice's objet and lot titles
    cpv_codes: tuple
    outcome: str  # one of OUTCOMES
    notice: object  # what ``score`` reads (a parsed notice)


@dataclass(frozen=True)
class Association:
    term: str
    kind: str  # "word" or "cpv"
    count: int  # items of the outcome holding the term
    others: int  # other items holding it
    weight: float  # smoothed log-odds, higher = more typical of the outcome


@dataclass
class Effect:
    """How many items of each outcome the rules keep, before and after a change."""

    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    totals: dict = field(default_factory=dict)

    def dropped(self, outcome):
        return max(self.before.get(outcome, 0) - self.after.get(outcome, 0), 0)

    def gained(self, outcome):
        return max(self.after.get(outcome, 0) - self.before.get(outcome, 0), 0)

    @property
    def useful(self):
        """Drops rejected leads or gains filtered notices, never loses a won or open lead."""
        helps = self.dropped("rejected") or self.gained("filtered")
        return bool(helps) and not (self.dropped("won") or self.dropped("open"))


@dataclass
class Suggestion:
    kind: str  # "penalty", "keyword" or "threshold"
    value: object  # the phrase, the keyword or the new minimum score
    rules: object  # the changed rules
    effect: Effect
    association: Association | None = None


def _words(text):
    return {w for w in normalize(text).split() if len(w) > 3 and w not in STOPWORDS}


def _terms(item, kind):
    return _words(item.text) if kind == "word" else set(item.cpv_codes)


def associations(history, outcome, kind="word", limit=10, exclude=()):
    """The terms most typical of ``outcome`` items, strongest first."""
    inside = [item for item in history if item.outcome == outcome]
    outside = [item for item in history if item.outcome != outcome and item.outcome != "filtered"]
    if not inside:
        return []
    count_in = Counter(t for item in inside for t in _terms(item, kind))
    count_out = Counter(t for item in outside for t in _terms(item, kind))
    excluded = {normalize(e) for e in exclude}
    found = []
    for term, count in count_in.items():
        if count < MIN_COUNT or term in excluded:
            continue
        others = count_out.get(term, 0)
        odds_in = (count + 0.5) / (len(inside) - count + 0.5)
        odds_out = (others + 0.5) / (len(outside) - others + 0.5)
        found.append(Association(term, kind, count, others, math.log(odds_in / odds_out)))
    found.sort(key=lambda a: (-a.weight, -a.count, a.term))
    return found[:limit]


def measure(history, rules, score):
    """Items kept by ``rules``, counted by outcome."""
    kept = Counter(item.outcome for item in history if score(item.notice, rules).kept)
    return {outcome: kept.get(outcome, 0) for outcome in OUTCOMES}


def effect_of(history, rules, changed, score):
    totals = Counter(item.outcome for item in history)
    return Effect(
        before=measure(history, rules, score),
        after=measure(history, changed, score),
        totals={outcome: totals.get(outcome, 0) for outcome in OUTCOMES},
    )


def suggest(history, rules, score, limit=3):
    """Measured rule changes worth proposing, best first (possibly none)."""
    suggestions = []
    known = [*rules.include_keywords, *rules.penalty_phrases, *rules.exclude_phrases]
    for association in associations(history, "rejected", "word", exclude=known):
        if association.others:
            continue
        phrases = dict(rules.penalty_phrases, **{association.term: PENALTY_POINTS})
        changed = replace(rules, penalty_phrases=phrases)
        effect = effect_of(history, rules, changed, score)
        if effect.useful:
            suggestions.append(
                Suggestion("penalty", association.term, changed, effect, association)
            )
            break
    for association in associations(history, "won", "word", exclude=known):
        changed = replace(rules, include_keywords=[*rules.include_keywords, association.term])
        effect = effect_of(history, rules, changed, score)
        if effect.useful:
            suggestions.append(
                Suggestion("keyword", association.term, changed, effect, association)
            )
            break
    threshold = _threshold(history, rules, score)
    if threshold is not None:
        suggestions.append(threshold)
    return suggestions[:limit]


def _threshold(history, rules, score):
    """The lowest higher minimum score that drops rejected leads and no won or open one."""
    scored = [(item.outcome, score(item.notice, rules)) for item in history]
    candidates = sorted(
        {result.score + 1 for outcome, result in scored if outcome == "rejected" and result.kept}
    )
    for value in candidates:
        changed = replace(rules, min_score=value)
        effect = effect_of(history, rules, changed, score)
        if effect.useful:
            return Suggestion("threshold", value, changed, effect)
    return None
