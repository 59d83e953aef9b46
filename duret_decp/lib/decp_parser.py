"""DECP rows → contracts, holders and modifications as plain values (no ORM here).

The dataset is flat (docs/decp.md section 3): one row per contract × co-holders ×
modification × subcontracting act, the contract's own columns repeated on each row.
A contract is identified by its buyer's SIRET and its ``id`` (the id alone is only
unique per buyer). Conventions of the producer read here:

* ``CDL`` stands for an empty cell in the co-holder, modification, subcontracting
  and framework columns; ``NC`` ("non communiqué") for an unknown duration;
* numbers and booleans may come as text (``"700000.0"``, ``"oui"``, ``"true"``);
* a SIRET may have lost its leading zeros (typed as a number) and is padded back;
* an amount of 1 € or less is the producer's "amount not given", an amount of
  10 billion euros or more a typing error: both are unknown, never zero.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

EMPTY = frozenset({"", "CDL", "NC", "NAN", "NONE", "NULL"})
#: amounts at or below this are the producer's "not given"
AMOUNT_FLOOR = 1.0
#: amounts from this on are typing errors (the largest real contracts are a few billion)
AMOUNT_CEILING = 1e10
HOLDER_SLOTS = (1, 2, 3)
FRAMEWORK = "accord-cadre"


@dataclass
class Holder:
    identifier: str
    id_type: str
    siren: str | None  # None for a foreign or non-SIRET identifier


@dataclass
class Modification:
    number: str
    amount: float | None
    duration_months: int | None
    notified: date | None
    published: date | None
    holders: list = field(default_factory=list)


@dataclass
class Contract:
    key: str  # "<buyer SIRET>|<id>"
    market_id: str
    buyer_siret: str
    object: str
    nature: str | None
    procedure: str | None
    cpv_code: str | None  # 8 digits, no check digit
    place_code: str | None
    place_type: str | None
    departement: str | None
    notified: date | None
    published: date | None
    duration_months: int | None
    amount: float | None
    offers_received: int | None
    framework: bool
    price_form: str | None
    source: str | None
    holders: list = field(default_factory=list)
    modifications: list = field(default_factory=list)
    #: amount of each subcontracting act by act id (rows repeat an act per holder group)
    subcontracting_acts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def buyer_siren(self):
        return self.buyer_siret[:9] if len(self.buyer_siret) == 14 else None

    @property
    def subcontracted_amount(self):
        acts = self.subcontracting_acts
        return round(sum(acts.values()), 2) if acts else None

    @property
    def current_amount(self):
        """The amount after the latest modification that gives one (a modification's
        ``montant`` is the contract's new amount), else the initial amount."""
        for modification in sorted(self.modifications, key=_modification_order, reverse=True):
            if modification.amount is not None:
                return modification.amount
        return self.amount

    @property
    def current_duration_months(self):
        for modification in sorted(self.modifications, key=_modification_order, reverse=True):
            if modification.duration_months is not None:
                return modification.duration_months
        return self.duration_months

    @property
    def end_date(self):
        """Notification + duration (after modifications): when the contract runs out."""
        months = self.current_duration_months
        if not self.notified or months is None:
            return None
        return self.notified + relativedelta(months=months)

    @property
    def cpv_class(self):
        """The CPV class (4 digits, e.g. 4531 electrical installation work)."""
        return self.cpv_code[:4] if self.cpv_code else None


def _modification_order(modification):
    return (modification.notified or date.min, modification.number)


# -- cell readers ------------------------------------------------------------------------
def text(value):
    """The cell as stripped text, None when empty or a producer's sentinel."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    result = str(value).strip()
    return None if result.upper() in EMPTY else result


def number(value):
    result = text(value)
    if result is None:
        return None
    try:
        parsed = float(result.replace(" ", "").replace(",", "."))
    except ValueError:
        return None
    return parsed if math.isfinite(parsed) else None


def integer(value):
    parsed = number(value)
    return int(parsed) if parsed is not None and parsed >= 0 else None


def amount(value):
    parsed = number(value)
    if parsed is None or parsed <= AMOUNT_FLOOR or parsed >= AMOUNT_CEILING:
        return None
    return round(parsed, 2)


def day(value):
    result = text(value)
    if not result:
        return None
    try:
        return date.fromisoformat(result[:10])
    except ValueError:
        return None


def siret(value):
    """A SIRET as 14 digits (leading zeros restored), else the cleaned text."""
    result = text(value)
    if result is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        result = str(int(value))
    digits = re.sub(r"\s", "", result)
    if digits.isdigit() and 9 < len(digits) < 14:
        digits = digits.zfill(14)
    return digits


def cpv(value):
    result = text(value)
    match = re.match(r"\s*(\d{8})", result or "")
    return match.group(1) if match else None


def holder(identifier, id_type):
    """A :class:`Holder` from an identifier and its type, None when empty."""
    id_type = (text(id_type) or "").upper()
    identifier = siret(identifier) if id_type in ("SIRET", "SIREN", "") else text(identifier)
    if not identifier:
        return None
    siren = None
    compact = re.sub(r"\s", "", identifier).upper()
    if id_type in ("SIRET", "") and len(compact) == 14 and compact.isdigit():
        siren = compact[:9]
    elif id_type == "SIREN" and len(compact) == 9 and compact.isdigit():
        siren = compact
    elif id_type == "TVA" and re.fullmatch(r"FR[0-9A-Z]{2}\d{9}", compact):
        siren = compact[-9:]
    return Holder(identifier=compact, id_type=id_type or "SIRET", siren=siren)


def departement_of(code, code_type):
    """The département of a place of execution, None when the code names none."""
    code = (text(code) or "").upper().replace(" ", "")
    kind = (text(code_type) or "").lower()
    if not code:
        return None
    if "département" in kind or "departement" in kind:
        return code.zfill(2) if code.isdigit() and len(code) < 2 else code
    if "postal" in kind or "commune" in kind:
        if code.isdigit() and len(code) == 4:  # typed as a number: leading zero lost
            code = "0" + code
        if code.startswith(("2A", "2B")):
            return code[:2]
        if code.startswith("20") and len(code) == 5:  # Corsican postal codes
            return "2A" if code[:3] in ("200", "201") else "2B"
        if code.startswith("97") and len(code) == 5:
            return code[:3]
        return code[:2] if len(code) == 5 else None
    return None  # region, country, unknown kind


# -- rows → contracts --------------------------------------------------------------------
def row_key(row):
    buyer = siret(row.get("acheteur_id")) or ""
    market = text(row.get("id")) or ""
    return f"{buyer}|{market}" if buyer and market else None


def _contract_from_row(row, key):
    problems = []
    raw_amount = number(row.get("montant"))
    initial = amount(row.get("montant"))
    if raw_amount is not None and initial is None:
        problems.append("amount_unusable")
    notified, published = day(row.get("datenotification")), day(row.get("datepublicationdonnees"))
    if notified and published and published < notified:
        problems.append("published_before_notified")
    techniques = (text(row.get("techniques")) or "").lower()
    return Contract(
        key=key,
        market_id=text(row.get("id")),
        buyer_siret=siret(row.get("acheteur_id")),
        object=text(row.get("objet")) or "",
        nature=text(row.get("nature")),
        procedure=text(row.get("procedure")),
        cpv_code=cpv(row.get("codecpv")),
        place_code=text(row.get("lieuexecution_code")),
        place_type=text(row.get("lieuexecution_typecode")),
        departement=departement_of(
            row.get("lieuexecution_code"), row.get("lieuexecution_typecode")
        ),
        notified=notified,
        published=published,
        duration_months=integer(row.get("dureemois")),
        amount=initial,
        offers_received=integer(row.get("offresrecues")),
        framework=FRAMEWORK in techniques,
        price_form=text(row.get("formeprix")),
        source=text(row.get("source")),
        problems=problems,
    )


def _add_row(contract, row):
    """Fold one more row of the same contract: holders, modification, subcontracting."""
    for slot in HOLDER_SLOTS:
        found = holder(
            row.get(f"titulaire_id_{slot}"), row.get(f"titulaire_typeidentifiant_{slot}")
        )
        if found and all(h.identifier != found.identifier for h in contract.holders):
            contract.holders.append(found)
    published = day(row.get("datepublicationdonnees"))
    if published and (not contract.published or published > contract.published):
        contract.published = published
    number_ = text(row.get("idmodification"))
    if number_:
        modification = next((m for m in contract.modifications if m.number == number_), None)
        if modification is None:
            modification = Modification(
                number=number_,
                amount=amount(row.get("montantmodification")),
                duration_months=integer(row.get("dureemoismodification")),
                notified=day(row.get("datenotificationmodificationmodification")),
                published=day(row.get("datepublicationdonneesmodificationmodification")),
            )
            contract.modifications.append(modification)
        new_holder = holder(
            row.get("idtitulairemodification"), row.get("typeidentifianttitulairemodification")
        )
        if new_holder and all(h.identifier != new_holder.identifier for h in modification.holders):
            modification.holders.append(new_holder)
    act = text(row.get("idactesoustraitance"))
    act_amount = amount(row.get("montantactesoustraitance"))
    if act and act_amount is not None:
        contract.subcontracting_acts[act] = act_amount


def parse_rows(rows):
    """Contracts of ``rows`` (in first-seen order) and the rows that name no contract.

    Returns ``(contracts, rejected)`` where ``rejected`` lists ``(row, reason code)``;
    a malformed row never stops the others.
    """
    contracts, rejected = {}, []
    for row in rows:
        if not isinstance(row, dict):
            rejected.append((row, "not_a_record"))
            continue
        key = row_key(row)
        if key is None:
            rejected.append((row, "no_buyer_or_id"))
            continue
        contract = contracts.get(key)
        if contract is None:
            contract = contracts[key] = _contract_from_row(row, key)
        _add_row(contract, row)
    for contract in contracts.values():
        contract.modifications.sort(key=_modification_order)
    return list(contracts.values()), rejected
