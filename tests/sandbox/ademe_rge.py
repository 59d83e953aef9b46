"""ADEME RGE open data double (data-fair lines API).

``GET /data-fair/api/v1/datasets/<dataset>/lines`` for ``historique-rge`` and
``liste-des-entreprises-rge-2``, with ``qs`` (``field:value``, ``value*`` as a
prefix, terms joined by ``AND``), ``size`` (default 12, as in the recordings) and
the ``after`` cursor; answers ``{"total", "next", "results"}``, ``next`` (an
absolute URL) only when rows remain, as the real recordings show.

Rows: the real ``historique-rge`` lines recorded by MTES-MCT/mon-devis-sans-oublis
(``api_entreprise/ademe_rge_mon-devis-sans-oublis/*.json``, read at run time), plus
Duret's (one current Qualifelec RGE qualification, one archived).  No recorded
``liste-des-entreprises-rge-2`` answer exists here: its rows are derived from the
history (the non-archived row of each qualification, keys unchanged), which is
the sandbox's assumption.  Duret's certificate PDFs are served permanently under
``/_documents/ademe/<id>.pdf``.
"""

import copy
import json
import urllib.parse

from . import company_data
from .core import SandboxResponse
from .fixtures import fixtures_dir

HISTORY = "historique-rge"
CURRENT = "liste-des-entreprises-rge-2"
DEFAULT_SIZE = 12
MAX_SIZE = 10000


def _recorded_history():
    folder = fixtures_dir() / "api_entreprise" / "ademe_rge_mon-devis-sans-oublis"
    rows = {}
    for path in sorted(folder.glob("historique-rge_lines_*.json")):
        for row in json.loads(path.read_text(encoding="utf-8"))["results"]:
            rows[row["_id"]] = row
    return list(rows.values())


def _duret_rows(template, base_url_path):
    """Duret's RGE history in the shape of a recorded row."""
    duret, dates = company_data.DURET, company_data.duret_dates()
    rows = []
    for index, (start, end, archived) in enumerate(
        (
            (dates["rge_start"], dates["rge_end"], False),
            (dates["rge_old_start"], dates["rge_old_end"], True),
        )
    ):
        row_id = f"QE73211-PV-{start}"
        row = copy.deepcopy(template)
        row.update(
            {
                "siret": duret["siret"],
                "nom_entreprise": duret["name"],
                "adresse": f"{duret['numero_voie']} {duret['type_voie_long']} "
                f"{duret['libelle_voie']}",
                "code_postal": duret["code_postal"],
                "commune": duret["commune"],
                "latitude": float(duret["latitude"]),
                "longitude": float(duret["longitude"]),
                "_geopoint": f"{duret['latitude']},{duret['longitude']}",
                "email": duret["email"],
                "telephone": duret["telephone"],
                "site_internet": "https://www.duret-electricite.fr",
                "organisme": "qualifelec",
                "code_qualification": "PV",
                "nom_certificat": "QUALIFELEC RGE",
                "nom_qualification": "Installation photovoltaïque (PV)",
                "domaine": "Panneaux photovoltaïques",
                "meta_domaine": "Installations d'énergies renouvelables",
                "url_qualification": f"{base_url_path}{row_id}.pdf",
                "lien_date_debut": start,
                "lien_date_fin": end,
                "date_debut": start,
                "date_fin": end,
                "traitement_termine": archived,
                "particulier": True,
                "_updatedAt": f"{start}T04:00:00.000Z",
                "_i": 900000000000001 + index,
                "_id": row_id,
            }
        )
        rows.append(row)
    return rows


def _current(rows):
    """The non-archived, latest row of each (SIRET, qualification, certificate)."""
    latest = {}
    for row in rows:
        if row.get("traitement_termine"):
            continue
        key = (row["siret"], row["code_qualification"], row["nom_certificat"])
        if key not in latest or row["_updatedAt"] > latest[key]["_updatedAt"]:
            latest[key] = row
    return list(latest.values())


def _sort_key(row):
    return (row["_updatedAt"], row["_i"])


def _cursor(row):
    # data-fair's cursor: the sort values of the last row (epoch ms of _updatedAt, _i)
    from datetime import datetime

    stamp = datetime.fromisoformat(row["_updatedAt"].replace("Z", "+00:00"))
    return f"{int(stamp.timestamp() * 1000)},{row['_i']}"


def _matches(row, qs):
    for term in filter(None, (t.strip() for t in qs.split(" AND "))):
        field, _, value = term.partition(":")
        value = value.strip('"')
        actual = str(row.get(field.strip(), ""))
        if value.endswith("*"):
            if not actual.startswith(value[:-1]):
                return False
        elif actual != value:
            return False
    return True


class AdemeRgeService:
    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        history = _recorded_history()
        self.history = history + _duret_rows(history[0], "/_documents/ademe/")
        self.datasets = {HISTORY: self.history, CURRENT: _current(self.history)}

    def reset(self):
        """Read-only data: nothing to reset."""

    def routes(self):
        return [
            ("GET", r"/data-fair/api/v1/datasets/(?P<dataset>[\w-]+)/lines", self.lines),
            ("GET", r"/_documents/ademe/(?P<row_id>[\w-]+)\.pdf", self.certificate),
        ]

    def lines(self, request):
        rows = self.datasets.get(request.match["dataset"])
        if rows is None:
            return SandboxResponse(404, b"Dataset not found", {"Content-Type": "text/plain"})
        try:
            size = int(request.arg("size", DEFAULT_SIZE))
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_SIZE:
            return SandboxResponse.json({"error": f"size must be between 0 and {MAX_SIZE}"}, 400)
        qs = request.arg("qs", "")
        selected = sorted((r for r in rows if _matches(r, qs)), key=_sort_key, reverse=True)
        after = request.arg("after")
        start = 0
        if after:
            cursors = [_cursor(r) for r in selected]
            start = cursors.index(after) + 1 if after in cursors else len(selected)
        page = selected[start : start + size]
        base = "http://" + request.headers.get("host", "127.0.0.1")
        payload = {"total": len(selected), "results": [self._public(r, base) for r in page]}
        if start + size < len(selected) and page:
            query = {"qs": qs, "after": _cursor(page[-1])}
            if request.arg("size"):
                query["size"] = size
            payload["next"] = f"{base}{request.path}?{urllib.parse.urlencode(query)}"
        return SandboxResponse.json(payload)

    @staticmethod
    def _public(row, base):
        """A copy whose sandbox-relative certificate URL is made absolute."""
        row = dict(row)
        if row["url_qualification"].startswith("/_documents/"):
            row["url_qualification"] = base + row["url_qualification"]
        return row

    def certificate(self, request):
        for row in self.history:
            if row["_id"] == request.match["row_id"]:
                body = company_data.render_pdf(
                    f"Certificat {row['nom_certificat']}",
                    [
                        f"{row['nom_entreprise']} - SIRET {row['siret']}",
                        row["nom_qualification"],
                        f"Valable du {row['lien_date_debut']} au {row['lien_date_fin']}",
                    ],
                )
                return SandboxResponse(200, body, {"Content-Type": "application/pdf"})
        return SandboxResponse(404, b"Not found", {"Content-Type": "text/plain"})
