"""Chorus Pro wire formats: timestamps, status histories, error envelopes (no ORM).

Facts (repository ``docs/chorus-answers.md``, docs/chorus-api.md sections 2 and 4):

* timestamps are ISO 8601 with an offset (``2018-02-16T15:10:25.536+01:00``);
  history entries carry ``YYYY-MM-DD HH:MM`` without offset, Paris wall clock
  (documented format; the time zone is inferred: the portal shows Paris time);
* ``historiquesDesStatuts.histoStatut`` comes newest first in recorded answers,
  which no documentation promises: entries are ordered here by their date, then
  by ``histoStatutId`` (increasing with time) for two steps in the same minute;
* a functional error may come as ``{"retourFonctionnel": {"codeRetourFonctionnel",
  "libelleRetourFonctionnel"}}`` (also PascalCase), on HTTP 200 or 4xx, instead
  of ``codeRetour`` / ``libelle`` (recorded by other clients, see the docs).
"""

from collections import namedtuple

import pytz
from dateutil import parser as date_parser

PARIS = pytz.timezone("Europe/Paris")

#: one step of an invoice's status history, ``date`` a naive UTC datetime (or None)
HistoryEntry = namedtuple("HistoryEntry", "number code date comment")


def parse_chorus_datetime(value):
    """Naive UTC datetime of a Chorus timestamp (ISO with offset, or Paris wall clock).

    None when the value is empty or not a date: a bad date never stops a poll.
    """
    if not value:
        return None
    try:
        moment = date_parser.parse(str(value))
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = PARIS.localize(moment)
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


def chorus_timestamp(moment):
    """Chorus timestamp (ISO 8601 with offset, milliseconds) of a naive UTC datetime."""
    return pytz.utc.localize(moment).isoformat(timespec="milliseconds")


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def history_entries(answer):
    """The status steps of a ``consulter/historique`` answer, oldest first.

    Ordered by date, never by position; entries without a code are dropped.
    """
    block = (answer or {}).get("historiquesDesStatuts") or {}
    raw = block.get("histoStatut") if isinstance(block, dict) else None
    if isinstance(raw, dict):  # one entry sent as an object instead of a list
        raw = [raw]
    entries = []
    for item in raw or []:
        if not isinstance(item, dict) or not item.get("histoStatutCode"):
            continue
        entries.append(
            HistoryEntry(
                number=_int_or_none(item.get("histoStatutId")),
                code=str(item["histoStatutCode"]),
                date=parse_chorus_datetime(item.get("histoStatutDatePassage")),
                comment=item.get("histoStatutCommentaire") or None,
            )
        )
    return sorted(entries, key=_chronological)


def _chronological(entry):
    # an entry without date cannot be placed: it sorts first, never as "latest"
    return (entry.date is not None, entry.date or 0, entry.number or 0)


def latest_entry(entries):
    """The current step of a history: the latest by date (then by id), or None."""
    return max(entries, key=_chronological, default=None)


def functional_error(data):
    """``(code, text)`` of the error an answer carries, or None when it is a success.

    Reads ``codeRetour``/``libelle`` and the ``retourFonctionnel`` envelope, in
    camelCase or PascalCase.
    """
    if not isinstance(data, dict):
        return None
    envelope = _get(data, "retourFonctionnel")
    if isinstance(envelope, dict):
        code = _code(_get(envelope, "codeRetourFonctionnel", "codeRetour"))
        text = _get(envelope, "libelleRetourFonctionnel", "libelle")
        if code not in (None, 0) or (code is None and text):
            return (code if code is not None else -1), text
    code = _code(_get(data, "codeRetour"))
    if code:
        return code, _get(data, "libelle", "message")
    return None


def _get(data, *names):
    """``data[name]`` in camelCase or PascalCase, for the first name present."""
    for name in names:
        for key in (name, name[:1].upper() + name[1:]):
            if data.get(key) not in (None, ""):
                return data[key]
    return None


def _code(value):
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def invoice_id(item):
    """``identifiantFactureCPP`` of a search item as an int, None when absent or not a number."""
    if not isinstance(item, dict):
        return None
    value = _int_or_none(item.get("identifiantFactureCPP"))
    return value if value and value > 0 else None
