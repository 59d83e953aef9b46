"""BOAMP record → :class:`Notice` (plain values), for every ``donnees`` shape.

Pure functions, no ORM. Shapes (docs/boamp.md section 5): EFORMS, FNSimple, MAPA, legacy V230/V240,
DSP and unknown ones, which degrade to the top-level fields. Missing data stays ``None``:
nothing is invented. A record that cannot be read at all raises :class:`NoticeParseError`.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .departement import normalize_departement
from .donnees import (
    KeyIndex,
    as_list,
    attr,
    clean_tree,
    clean_url,
    find_keys,
    find_text,
    first,
    first_text,
    flag,
    json_needs_cleaning,
    text,
    url_in_text,
    walk,
)

PARIS = ZoneInfo("Europe/Paris")
NOTICE_URL = "https://www.boamp.fr/pages/avis/?q=idweb:%s"
SHAPES = ("EFORMS", "FNSimple", "MAPA", "DSP", "LEGACY", "UNKNOWN")
LEGACY_KEYS = ("IDENTITE", "OBJET", "PROCEDURE", "CONDITION_DELAI")
FOLLOW_UP_NATURES = {"RECTIFICATIF", "ANNULATION", "MODIFICATION", "ATTRIBUTION"}
FOLLOW_UP_ETATS = {"RECTIFICATIF", "RECTIFICANNUL", "ANNULATION", "MODIFICATION", "AVIS_ANNULE"}
MARKET_TYPES = {
    "travaux": "TRAVAUX",
    "works": "TRAVAUX",
    "fournitures": "FOURNITURES",
    "fourniture": "FOURNITURES",
    "supplies": "FOURNITURES",
    "services": "SERVICES",
    "service": "SERVICES",
}
# eForms notice roots (BOAMP keeps the XML root's local name under "EFORMS").
EFORMS_ROOTS = ("ContractNotice", "ContractAwardNotice", "PriorInformationNotice")

_CPV = re.compile(r"^\s*(\d{8})(?:-\d)?\s*$")
_LOT_NUMBER = re.compile(r"^\s*(?:lot\s*(?:n\s*[°o.]?\s*)?)?(\d+)\b", re.IGNORECASE)
_IDWEB = re.compile(r"^\d{2}-\d+$")


class NoticeParseError(ValueError):
    """The record cannot be read as a BOAMP notice (the message says why)."""


@dataclass(frozen=True)
class Lot:
    number: str
    title: str | None
    cpv_codes: tuple[str, ...]
    amount: float | None
    deadline: datetime | None  # aware, UTC


@dataclass(frozen=True)
class Notice:
    idweb: str
    objet: str
    buyer_name: str | None
    buyer_siret: str | None
    buyer_city: str | None
    buyer_postal_code: str | None
    departements: tuple[str, ...]
    market_types: tuple[str, ...]
    nature: str | None
    etat: str | None
    famille: str | None
    shape: str
    procedure: str | None
    publication_date: date | None
    deadline: datetime | None  # aware, UTC
    deadline_kind: str | None  # "offers", or "candidatures" (restricted procedures)
    amount: float | None
    currency: str | None
    cpv_main: str | None
    cpv_codes: tuple[str, ...]
    lots: tuple[Lot, ...]
    dce_url: str | None
    notice_url: str | None
    linked_idwebs: tuple[str, ...]
    contract_folder_id: str | None
    descriptors: tuple[str, ...]
    descriptor_codes: tuple[str, ...]
    winners: tuple[str, ...]
    award_amount: float | None
    text: str
    #: SIRET / SIREN of the award's holders (award notices), to recognise the company's own wins
    holder_ids: tuple[str, ...] = ()

    @property
    def is_follow_up(self):
        """A rectificatif, annulation, modification or attribution of an earlier notice."""
        return self.nature in FOLLOW_UP_NATURES or self.etat in FOLLOW_UP_ETATS


# -- scalar conversions ------------------------------------------------------------


def cpv_stem(value):
    """``"45316110-4"`` → ``"45316110"``; anything that is not an 8-digit code → ``None``."""
    match = _CPV.match(text(value) or "")
    return match.group(1) if match else None


_CURRENCY = re.compile(r"(?i)\s*(?:€|eur(?:os?)?|h\.?t\.?|ttc)\s*")


def parse_amount(value):
    """A positive amount as float; 0, empty or junk → ``None``.

    Accepts ``1 234,50``, ``1.234,50``, ``1,234.50``, ``1234.5 EUR``, ``12 000 € HT``:
    when both separators appear the last one is the decimal mark; a lone comma is
    decimal (French); several dots are thousands separators.
    """
    raw = text(value)
    if raw is None:
        return None
    raw = _CURRENCY.sub("", raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", ""))
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif "," in raw:
        raw = raw.replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    try:
        amount = float(raw)
    except ValueError:
        return None
    return amount if amount > 0 else None


def parse_date(value):
    """The date part of ``2024-07-07``, ``2024-07-07T…`` or ``2019-06-24+02:00``."""
    raw = text(value)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return None


def _split_offset(raw):
    """``"16:00:00Z"`` → ``("16:00:00", "+00:00")``; no offset → ``(raw, None)``."""
    if raw.endswith(("Z", "z")):
        return raw[:-1], "+00:00"
    match = re.search(r"[+-]\d{2}:?\d{2}$", raw)
    if match and (len(raw) > 10 or ":" in raw[: match.start()]):
        return raw[: match.start()], match.group(0)
    return raw, None


def _tz(offset):
    if offset is None:
        return PARIS
    sign = -1 if offset[0] == "-" else 1
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_datetime(value, wall_clock_paris=False):
    """An ISO date-time as an aware UTC datetime; no offset means Europe/Paris.

    ``wall_clock_paris`` reads the time as Paris wall-clock whatever its offset says:
    the 2026 FNSimple top-level ``datelimitereponse`` trap (docs/boamp.md section 4).
    """
    raw = text(value)
    if not raw or len(raw) < 10:
        return None
    if len(raw) > 10 and raw[10] == " ":  # "2026-03-02 14:30", a time after a space
        raw = raw[:10] + "T" + raw[11:].strip()
    if len(raw) == 10 or (len(raw) <= 16 and "T" not in raw):
        return combine_date_time(raw, None)
    body, offset = _split_offset(raw.replace(" ", "T", 1))
    try:
        naive = datetime.fromisoformat(body)
    except ValueError:
        return None
    zone = PARIS if wall_clock_paris else _tz(offset)
    return naive.replace(tzinfo=zone).astimezone(timezone.utc)


def combine_date_time(date_value, time_value):
    """eForms ``EndDate`` (``2019-06-24Z``) + ``EndTime`` (``16:00:00+02:00``) → UTC.

    The time's offset wins, else the date's, else Europe/Paris. A date without a time
    is read as the start of that day (the conservative reading of a deadline).
    """
    raw_date = text(date_value)
    if not raw_date:
        return None
    day_text, day_offset = _split_offset(raw_date)
    try:
        day = date.fromisoformat(day_text[:10])
    except ValueError:
        return None
    moment, offset = time(0, 0), day_offset
    raw_time = text(time_value)
    if raw_time:
        time_text, time_offset = _split_offset(raw_time)
        try:
            moment = time.fromisoformat(time_text)
        except ValueError:
            return None
        offset = time_offset or day_offset
    naive = datetime.combine(day, moment)
    return naive.replace(tzinfo=_tz(offset)).astimezone(timezone.utc)


def _siret(value):
    digits = re.sub(r"[\s.]", "", text(value) or "")
    return digits if len(digits) == 14 and digits.isdigit() else None


def _unique(values):
    seen, result = set(), []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            result.append(value)
    return tuple(result)


def _market_type(value):
    value = (value or "").strip().lower()
    return MARKET_TYPES.get(value)


def _lot_number(explicit, title, position):
    number = text(explicit)
    if number:
        return number
    match = _LOT_NUMBER.match(title or "")
    return match.group(1) if match else str(position)


def _load(record, key):
    value = record.get(key)
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise NoticeParseError(f"field {key!r} is not valid JSON: {exc}") from None
    if value is not None and not isinstance(value, dict):
        raise NoticeParseError(f"field {key!r} is a {type(value).__name__}, expected an object")
    return value


def _load_clean(record, key):
    tree = _load(record, key)
    return clean_tree(tree) if tree and json_needs_cleaning(record.get(key)) else tree


def detect_shape(donnees):
    """The ``donnees`` family from its root key (never from ``source_schema``)."""
    if not donnees:
        return "UNKNOWN"
    for shape in ("EFORMS", "FNSimple", "MAPA", "DSP"):
        if shape in donnees:
            return shape
    if any(key in donnees for key in LEGACY_KEYS):
        return "LEGACY"
    return "UNKNOWN"


# -- per-shape extraction -------------------------------------------------------------
# Each extractor returns a dict of the fields it found; missing keys mean "not found".


def _cpv_codes(node, *paths):
    return [stem for path in paths for stem in map(cpv_stem, walk(node, path)) if stem]


def _sum_amounts(values):
    """Total of the amounts that can be read (one award per market), ``None`` if none."""
    amounts = [a for a in map(parse_amount, values) if a is not None]
    return sum(amounts) if amounts else None


def _fnsimple(root):
    org = first(root, "organisme")
    notice = first(root, "initial") or first(root, "rectificatif") or first(root, "attribution")
    nature = first(notice, "natureMarche")
    estimate = first(nature, "valeurEstimee")
    lots = []
    for position, lot in enumerate(walk(notice, "lots/lot"), 1):
        title = first_text(lot, "intitule", "description")
        lots.append(
            Lot(
                number=_lot_number(first(lot, "numLot") or first(lot, "numero"), title, position),
                title=title,
                cpv_codes=_unique(
                    _cpv_codes(lot, "codeCPV/objetPrincipal/classPrincipale")
                    + _cpv_codes(lot, "codeCPV/objetSecondaire/classPrincipale")
                ),
                amount=parse_amount(
                    first_text(lot, "estimationValeur/valeur", "estimationValeur/valeurHaute")
                ),
                deadline=parse_datetime(first(lot, "dateReceptionOffres")),
            )
        )
    communication = first(notice, "communication")
    return {
        "buyer_name": first_text(org, "nomOfficiel"),
        "buyer_siret": _siret(first(org, "codeIdentificationNational")),
        "buyer_city": first_text(org, "ville"),
        "buyer_postal_code": first_text(org, "cp"),
        "market_type": flag(first(nature, "natureMarche")),
        "deadline": parse_datetime(first(notice, "procedure/dateReceptionOffres")),
        "amount": parse_amount(first_text(estimate, "fourchette/valeurHaute", "valeur")),
        "currency": attr(estimate, "devise"),
        "cpv_main": cpv_stem(first(nature, "codeCPV/objetPrincipal/classPrincipale")),
        "cpv_extra": _cpv_codes(
            nature, "codeCPV/objetSecondaire/classPrincipale", "codeCPV/objetSecondaire"
        ),
        "lots": lots,
        "dce_url": clean_url(first(communication, "urlDocConsul"))
        or clean_url(first(communication, "urlProfilAch"))
        or clean_url(first(org, "urlProfilAcheteur")),
        "linked": [
            text(v)
            for v in walk(root, "rectificatif/avisInitial/idWeb")
            + walk(root, "attribution/avisInitial/idWeb")
        ],
        "award_amount": _sum_amounts(walk(root, "attribution/attributionMarche/montant/valeur")),
        "texts": [first_text(nature, "intitule"), first_text(nature, "description")],
    }


def _mapa(root):
    org = first(root, "organisme")
    notice = first(root, "initial") or first(root, "rectificatif") or first(root, "attribution")
    award = first(root, "attribution/attribution/resultat/attribue/montant/valeur")
    return {
        "buyer_name": first_text(org, "acheteurPublic", "nom"),
        "buyer_siret": _siret(first(org, "codeIdentificationNational")),
        "buyer_city": first_text(org, "adr/ville", "ville"),
        "buyer_postal_code": first_text(org, "adr/cp", "cp"),
        "deadline": parse_datetime(first(notice, "delais/receptionOffres")),
        "dce_url": clean_url(first(org, "urlProfilAcheteur"))
        or clean_url(find_text(notice, "urlDocConsul", "urlProfilAcheteur")),
        "award_amount": parse_amount(award),
        "linked": [text(v) for v in find_keys(root, "avisInitial") for v in walk(v, "idWeb")],
        "texts": [first_text(notice, "description/objet")],
    }


def _legacy(root):
    identity = first(root, "IDENTITE")
    obj = first(root, "OBJET")
    lots = []
    for position, lot in enumerate(walk(obj, "LOTS/LOT"), 1):
        title = first_text(lot, "INTITULE", "DESCRIPTION")
        lots.append(
            Lot(
                number=_lot_number(first(lot, "NUM"), title, position),
                title=title,
                cpv_codes=_unique(_cpv_codes(lot, "CPV/PRINCIPAL", "CPV/SUPPLEMENTAIRE")),
                amount=parse_amount(first(lot, "VALEUR")),
                deadline=None,
            )
        )
    value = next(
        (
            node
            for path in (
                "CARACTERISTIQUES/VALEUR",
                "CARACTERISTIQUES/VALEUR_MAX",
                "ACCORD_CADRE/VALEUR",
                "ACCORD_CADRE/VALEUR_MAX",
            )
            for node in walk(obj, path)
            if parse_amount(node)
        ),
        None,
    )
    delays = first(root, "CONDITION_DELAI")
    return {
        "buyer_name": first_text(identity, "DENOMINATION"),
        "buyer_siret": _siret(first(identity, "CODE_IDENT_NATIONAL"))
        or _siret(first(identity, "TYPE_IDENT_NATIONAL/SIRET")),
        "buyer_city": first_text(identity, "VILLE"),
        "buyer_postal_code": first_text(identity, "CP"),
        "market_type": flag(first(obj, "TYPE_MARCHE")),
        "procedure": flag(first(root, "PROCEDURE/TYPE_PROCEDURE")),
        **_legacy_deadline(delays),
        "amount": parse_amount(value),
        "currency": attr(value, "DEVISE"),
        "cpv_main": next(iter(_cpv_codes(obj, "CPV/PRINCIPAL")), None),
        "cpv_extra": _cpv_codes(obj, "CPV/PRINCIPAL", "CPV/SUPPLEMENTAIRE"),
        "lots": lots,
        "dce_url": clean_url(first(identity, "URL_DOCUMENT"))
        or clean_url(first(identity, "URL_PROFIL_ACHETEUR"))
        or url_in_text(first(root, "RENSEIGNEMENTS_COMPLEMENTAIRES/RENS_COMPLEMENT")),
        "texts": [first_text(obj, "TITRE_MARCHE"), first_text(obj, "OBJET_COMPLET")],
    }


def _legacy_deadline(delays):
    offers = parse_datetime(first(delays, "RECEPT_OFFRES"))
    if offers:
        return {"deadline": offers, "deadline_kind": "offers"}
    candidatures = parse_datetime(first(delays, "RECEPT_CANDIDAT"))
    return {"deadline": candidatures, "deadline_kind": "candidatures" if candidatures else None}


def _eforms_cpv(project):
    main = cpv_stem(first(project, "cac:MainCommodityClassification/cbc:ItemClassificationCode"))
    extra = _cpv_codes(project, "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode")
    return main, extra


def _eforms_deadline(node, period="TenderSubmissionDeadlinePeriod"):
    """BT-131 (offers); ``ParticipationRequestReceptionPeriod`` is BT-1311 (candidatures)."""
    found = first(node, f"cac:TenderingProcess/cac:{period}")
    return combine_date_time(first(found, "cbc:EndDate"), first(found, "cbc:EndTime"))


def _candidature_deadline(node, lot_nodes):
    """The earliest request-to-participate deadline, notice or lots (restricted procedures)."""
    period = "ParticipationRequestReceptionPeriod"
    found = [d for d in (_eforms_deadline(n, period) for n in [node, *lot_nodes]) if d]
    return min(found) if found else None


def _eforms_dce(node):
    return clean_url(
        first(
            node,
            "cac:TenderingTerms/cac:CallForTendersDocumentReference/cac:Attachment"
            "/cac:ExternalReference/cbc:URI",
        )
    )


def _eforms_buyer(notice):
    buyer_id = first_text(notice, "cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID")
    companies = walk(
        notice,
        "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
        "/efac:Organizations/efac:Organization/efac:Company",
    )
    for company in companies:
        if buyer_id and first_text(company, "cac:PartyIdentification/cbc:ID") == buyer_id:
            return company
    return None


def _eforms(root):
    notice = next((first(root, name) for name in EFORMS_ROOTS if first(root, name)), None)
    if notice is None:
        notice = next((v for v in root.values() if isinstance(v, dict)), {})
    company = _eforms_buyer(notice)
    project = first(notice, "cac:ProcurementProject")
    main, extra = _eforms_cpv(project)
    estimate = first(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
    lots = []
    lot_nodes = [
        lot
        for lot in walk(notice, "cac:ProcurementProjectLot")
        if attr(first(lot, "cbc:ID"), "schemeName") != "LotsGroup"  # a group, not a lot
    ]
    for position, lot in enumerate(lot_nodes, 1):
        lot_project = first(lot, "cac:ProcurementProject")
        lot_main, lot_extra = _eforms_cpv(lot_project)
        lots.append(
            Lot(
                number=first_text(lot, "cbc:ID") or str(position),
                title=first_text(lot_project, "cbc:Name"),
                cpv_codes=_unique([lot_main, *lot_extra]),
                amount=parse_amount(
                    first(
                        lot_project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount"
                    )
                ),
                deadline=_eforms_deadline(lot),
            )
        )
    result = first(
        notice,
        "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent"
        "/efext:EformsExtension/efac:NoticeResult",
    )
    deadline, deadline_kind = _eforms_deadline(notice), "offers"
    if deadline is None and not any(lot.deadline for lot in lots):
        deadline, deadline_kind = _candidature_deadline(notice, lot_nodes), "candidatures"
    return {
        "buyer_name": first_text(company, "cac:PartyName/cbc:Name"),
        "buyer_siret": _siret(first(company, "cac:PartyLegalEntity/cbc:CompanyID")),
        "buyer_city": first_text(company, "cac:PostalAddress/cbc:CityName"),
        "buyer_postal_code": first_text(company, "cac:PostalAddress/cbc:PostalZone"),
        "market_type": first_text(project, "cbc:ProcurementTypeCode"),
        "procedure": first_text(notice, "cac:TenderingProcess/cbc:ProcedureCode"),
        "deadline": deadline,
        "deadline_kind": deadline_kind if deadline else None,
        "amount": parse_amount(estimate),
        "currency": attr(estimate, "currencyID"),
        "cpv_main": main,
        "cpv_extra": extra,
        "lots": lots,
        "dce_url": _eforms_dce(notice)
        or next(filter(None, map(_eforms_dce, lot_nodes)), None)
        or clean_url(first(notice, "cac:ContractingParty/cbc:BuyerProfileURI")),
        "contract_folder_id": first_text(notice, "cbc:ContractFolderID"),
        "award_amount": parse_amount(first(result, "cbc:TotalAmount")),
        "texts": [first_text(project, "cbc:Name"), first_text(project, "cbc:Description")]
        + [first_text(lot, "cac:ProcurementProject/cbc:Description") for lot in lot_nodes],
    }


_FALLBACK_CPV_KEYS = ("ItemClassificationCode", "classPrincipale", "PRINCIPAL")
_FALLBACK_URL_KEYS = (
    "urlDocConsul",
    "URL_DOCUMENT",
    "urlProfilAcheteur",
    "URL_PROFIL_ACHETEUR",
    "BuyerProfileURI",
    "URI",
)
_FALLBACK_DEADLINE_KEYS = ("dateReceptionOffres", "receptionOffres", "RECEPT_OFFRES")


def _first_found(convert, keys, names):
    """The first value under ``names`` (in that order) that ``convert`` can read."""
    return next(filter(None, (convert(v) for name in names for v in keys.get(name))), None)


def _fallback(root, found, source):
    """Fill the gaps of ``found`` by a recursive key search (DSP, unknown shapes, gaps).

    Only the missing fields are searched, over one index of the tree built on first need
    (``source``, the JSON text of ``donnees`` if any, rules absent names out first).
    """
    keys = KeyIndex(root, source)
    estimate = None
    if found.get("amount") is None:
        estimate = next(iter(keys.get("EstimatedOverallContractAmount")), None)
        found["amount"] = parse_amount(estimate)
    if found.get("currency") is None and found["amount"] is not None:  # no amount: no currency
        if estimate is None:
            estimate = next(iter(keys.get("EstimatedOverallContractAmount")), None)
        found["currency"] = attr(estimate, "currencyID")
    if found.get("cpv_main") is None:
        found["cpv_main"] = _first_found(cpv_stem, keys, _FALLBACK_CPV_KEYS)
    if found.get("dce_url") is None:
        found["dce_url"] = _first_found(clean_url, keys, _FALLBACK_URL_KEYS)
    if found.get("deadline") is None:
        found["deadline"] = _first_found(parse_datetime, keys, _FALLBACK_DEADLINE_KEYS)
    return found


# -- award holders ---------------------------------------------------------------------
# Who won: the ``titulaire`` array of the record gives names only; the company numbers sit in
# ``donnees``. eForms (SDK, documented): LotResult with TenderResultCode ``selec-w`` → LotTender
# → TenderingParty → Tenderer organisation → efac:Company/cac:PartyLegalEntity/cbc:CompanyID.
# FNSimple / MAPA / legacy (inferred: the holder node is ``titulaire`` / ``TITULAIRE`` with a
# name, and BOAMP's identifier keys as used for buyers): any SIRET or SIREN found under it.

_HOLDER_ID_KEYS = ("codeIdentificationNational", "CODE_IDENT_NATIONAL", "SIRET", "siret", "SIREN")


def company_number(value):
    """A SIRET (14 digits) or SIREN (9 digits) written in ``value``, else ``None``."""
    digits = re.sub(r"[\s.]", "", text(value) or "")
    return digits if digits.isdigit() and len(digits) in (9, 14) else None


def _holder_ids_in(keys):
    numbers = []
    for holder in keys.get("titulaire") + keys.get("TITULAIRE"):
        for key in _HOLDER_ID_KEYS:
            numbers += [n for n in map(company_number, find_keys(holder, key)) if n]
    return numbers


def _eforms_ids(nodes):
    return {text(first(node, "cbc:ID")) for node in nodes} - {None}


def _eforms_holder_ids(keys):
    """Company numbers of the organisations whose tender was selected (``selec-w``)."""
    results = keys.get("NoticeResult")
    if not results:
        return []
    winning_tenders = _eforms_ids(
        tender
        for lot_result in walk(results, "efac:LotResult")
        if text(first(lot_result, "cbc:TenderResultCode")) == "selec-w"
        for tender in walk(lot_result, "efac:LotTender")
    )
    parties = _eforms_ids(
        party
        for tender in walk(results, "efac:LotTender")
        if text(first(tender, "cbc:ID")) in winning_tenders
        for party in walk(tender, "efac:TenderingParty")
    )
    organisations = _eforms_ids(
        tenderer
        for party in walk(results, "efac:TenderingParty")
        if text(first(party, "cbc:ID")) in parties
        for tenderer in walk(party, "efac:Tenderer")
    )
    numbers = []
    for company in keys.get("Company"):
        if text(first(company, "cac:PartyIdentification/cbc:ID")) in organisations:
            number = company_number(first(company, "cac:PartyLegalEntity/cbc:CompanyID"))
            if number:
                numbers.append(number)
    return numbers


def holder_ids(shape, donnees, source=None):
    """SIRET / SIREN of an award's holders, read from ``donnees`` (empty when none is given).

    ``source``, the JSON text of ``donnees``, spares the walk of the whole tree on the
    notices that name no holder (all but the awards).
    """
    if not donnees:
        return ()
    keys = KeyIndex(donnees, source)
    if shape == "EFORMS":
        return _unique(_eforms_holder_ids(keys))
    return _unique(_holder_ids_in(keys))


_EXTRACTORS = {"EFORMS": _eforms, "FNSimple": _fnsimple, "MAPA": _mapa, "LEGACY": _legacy}


def _extract(shape, donnees, source=None):
    root = donnees[shape] if shape in ("EFORMS", "FNSimple", "MAPA", "DSP") else donnees
    if not isinstance(root, dict):
        root = {}
    extractor = _EXTRACTORS.get(shape)
    return _fallback(root, extractor(root) if extractor else {}, source)


# -- record-level reading -------------------------------------------------------------


def _texts(record, *keys):
    return [t for key in keys for t in map(text, as_list(record.get(key))) if t]


def _top_deadline(record, shape):
    raw = text(record.get("datelimitereponse"))
    trap = shape in ("FNSimple", "MAPA") and bool(raw) and raw.endswith(("+00:00", "Z"))
    return parse_datetime(raw, wall_clock_paris=trap)


def _market_types(record, found, gestion):
    values = [_market_type(v) for v in _texts(record, "type_marche")]
    values.append(_market_type(found.get("market_type")))
    values.append(_market_type(flag(first(gestion, "INDEXATION/NATURE_MARCHE"))))
    return _unique(values)


def parse_record(record):
    """Read one BOAMP record (flat dict from the Explore v2.1 API) into a :class:`Notice`.

    Text is cleaned at this edge (:func:`~.donnees.clean_tree`): a NUL or a lone surrogate
    in any field, raw or inside the ``donnees``/``gestion`` JSON, never reaches the
    database, where it would fail the whole transaction.
    """
    if not isinstance(record, dict):
        raise NoticeParseError(f"record is a {type(record).__name__}, expected an object")
    record = clean_tree(record)
    donnees = _load_clean(record, "donnees")
    gestion = _load_clean(record, "gestion") or {}
    idweb = text(record.get("idweb")) or first_text(gestion, "REFERENCE/IDWEB")
    if not idweb:
        raise NoticeParseError("record has no idweb")
    shape = detect_shape(donnees)
    found = _extract(shape, donnees, record.get("donnees"))
    indexation = first(gestion, "INDEXATION")

    objet = text(record.get("objet")) or first_text(indexation, "RESUME_OBJET")
    objet = objet or next(filter(None, found.get("texts", [])), "") or ""
    descriptors = _texts(record, "descripteur_libelle") or [
        t for t in map(text, walk(indexation, "DESCRIPTEURS/DESCRIPTEUR/LIBELLE")) if t
    ]
    descriptor_codes = _texts(record, "descripteur_code") or [
        t for t in map(text, walk(indexation, "DESCRIPTEURS/DESCRIPTEUR/CODE")) if t
    ]
    departements = _texts(record, "code_departement", "code_departement_prestation") or [
        t
        for t in map(text, walk(indexation, "DEP_PUBLICATION") + walk(indexation, "DEP_PRESTATION"))
        if t
    ]
    departements = [normalize_departement(d) for d in departements]
    lots = tuple(found.get("lots") or ())
    lot_deadlines = [lot.deadline for lot in lots if lot.deadline]
    deadline_kind = found.get("deadline_kind") if found.get("deadline") else None
    deadline = (
        found.get("deadline")
        or parse_datetime(first(indexation, "DATE_LIMITE_REPONSE"))
        or _top_deadline(record, shape)
        or (min(lot_deadlines) if lot_deadlines else None)
    )
    cpv_main = found.get("cpv_main")
    cpv_codes = _unique(
        [cpv_main, *found.get("cpv_extra", ()), *(c for lot in lots for c in lot.cpv_codes)]
    )
    # linked notices: top level, donnees, and the legacy gestion block
    # (MARCHE/ANNONCE_ANTERIEUR/REFERENCE/IDWEB, seen in the Boamp_v230 XML notices)
    linked = (
        _texts(record, "annonce_lie")
        + [t for t in found.get("linked", ()) if t]
        + [t for t in map(text, walk(gestion, "MARCHE/ANNONCE_ANTERIEUR/REFERENCE/IDWEB")) if t]
    )
    searchable = [objet, *descriptors]
    for lot in lots:
        searchable.append(lot.title)
    searchable.extend(found.get("texts", ()))
    return Notice(
        idweb=idweb,
        objet=objet,
        # the official name of donnees first; the SIRET stays the matching key
        buyer_name=found.get("buyer_name")
        or text(record.get("nomacheteur"))
        or first_text(indexation, "NOMORGANISME"),
        buyer_siret=found.get("buyer_siret"),
        buyer_city=found.get("buyer_city"),
        buyer_postal_code=found.get("buyer_postal_code"),
        departements=_unique(departements),
        market_types=_market_types(record, found, gestion),
        nature=text(record.get("nature")) or flag(first(gestion, "REFERENCE/TYPE_AVIS/NATURE")),
        etat=text(record.get("etat")) or flag(first(gestion, "REFERENCE/TYPE_AVIS/STATUT")),
        famille=text(record.get("famille")) or flag(first(gestion, "REFERENCE/TYPE_AVIS/FAMILLE")),
        shape=shape,
        procedure=text(record.get("procedure_libelle")) or found.get("procedure"),
        publication_date=parse_date(record.get("dateparution"))
        or parse_date(first(indexation, "DATE_PUBLICATION")),
        deadline=deadline,
        deadline_kind=deadline_kind or ("offers" if deadline else None),
        amount=found.get("amount"),
        currency=found.get("currency") if found.get("amount") else None,
        cpv_main=cpv_main,
        cpv_codes=cpv_codes,
        lots=lots,
        dce_url=found.get("dce_url"),
        notice_url=clean_url(record.get("url_avis")) or NOTICE_URL % idweb,
        linked_idwebs=_unique(t for t in linked if t != idweb),
        contract_folder_id=text(record.get("contractfolderid")) or found.get("contract_folder_id"),
        descriptors=_unique(descriptors),
        descriptor_codes=_unique(descriptor_codes),
        winners=_unique(_texts(record, "titulaire")),
        award_amount=found.get("award_amount"),
        holder_ids=holder_ids(shape, donnees, record.get("donnees")),
        text="\n".join(_unique(t.strip() for t in searchable if t and t.strip())),
    )
