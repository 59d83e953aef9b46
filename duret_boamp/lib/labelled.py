"""Hand-labelled notices (the relevance benchmark and its tests) as parsed notices.

A labelled line holds the fields a person judged (``objet``, ``cpv``, ``descripteurs``,
``type_marche``, ``departement``, optional ``lots`` and ``text``) and a ``label``. It is
turned into the same :class:`~.notice_parser.Notice` the nightly import builds, so that
the benchmark scores it through :func:`~.relevance.score_notice`, lots and full text
included, never through a shortcut of its own.
"""

import json
from dataclasses import fields

from .notice_parser import Lot, Notice, cpv_stem


def _codes(values):
    return tuple(code for code in map(cpv_stem, values or ()) if code)


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def notice_from_row(row):
    """A :class:`Notice` from one labelled line (missing fields stay empty)."""
    cpv_codes = _codes(_as_list(row.get("cpv")))
    lots = tuple(
        Lot(
            number=str(lot.get("number") or position),
            title=lot.get("title"),
            cpv_codes=_codes(_as_list(lot.get("cpv"))),
            amount=None,
            deadline=None,
        )
        for position, lot in enumerate(row.get("lots") or (), 1)
    )
    descriptors = tuple(_as_list(row.get("descripteurs")))
    objet = row.get("objet") or ""
    lot_titles = tuple(lot.title for lot in lots if lot.title)
    parts = (objet, *descriptors, *lot_titles, row.get("text") or "")
    text = "\n".join(t for t in parts if t)
    values = dict.fromkeys((f.name for f in fields(Notice)), None)  # fields added later
    values.update(
        idweb=str(row.get("id") or ""),
        objet=objet,
        buyer_name=row.get("acheteur"),
        departements=tuple(_as_list(row.get("departement"))),
        market_types=tuple(t.upper() for t in _as_list(row.get("type_marche"))),
        shape="UNKNOWN",
        cpv_main=cpv_codes[0] if cpv_codes else None,
        cpv_codes=cpv_codes,
        lots=lots,
        linked_idwebs=(),
        descriptors=descriptors,
        descriptor_codes=(),
        winners=(),
        text=text,
    )
    return Notice(**values)


def read_labelled(path, size=None):
    """The labelled lines of a JSON Lines file, borderline ones (label null) left out."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("label") is not None:
                rows.append(row)
            if size and len(rows) >= size:
                break
    return rows
