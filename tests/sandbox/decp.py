"""DECP double: the ministère de l'Économie's OpenDataSoft dataset ``decp-2022-marches-valides``.

Routes (production base ``https://data.economie.gouv.fr``), same ODS contract as the BOAMP
double (docs/decp.md section 2, reused from :mod:`.boamp`): ``GET …/records`` (``where`` in the
ODSQL subset of :mod:`.odsql`, ``startswith`` included, ``order_by``, ``limit`` ≤ 100,
``offset + limit`` ≤ 10 000, ODS error envelope) and ``GET …/exports/json``.

The export route: documented (Explore API v2.1 reference: "the exports endpoint has no
limitations", same ODSQL ``where`` / ``order_by`` as ``/records``) and seen in a public
consumer (``json.load`` of the answer: a bare JSON array of the flat records). Inferred:
that the live endpoint honours ``order_by`` on this dataset and sends the array in
chunks; the double answers with one ``Content-Length`` body (a client reads it as a
stream either way). The ``cut`` fault of :mod:`.core` drops such a body half-way.

Seed: the real regulatory records kept in ``tests/sandbox/data/decp_test_2022.json``
(provenance inside) and ``decp_contracts`` generated ones (:mod:`.decp_generator`) around
``decp_day``, all flattened the documented way (:mod:`.decp_flat`).

Admin: ``POST /_sandbox/decp/load`` / ``append`` with ``{"marches": [regulatory records]}`` or
``{"generate": {"count", "seed", "day"}}`` (append replaces the rows of a contract already
present); ``GET /_sandbox/decp/manifest``: ``{"<buyer>|<id>": origin}``;
``POST /_sandbox/decp/export_file`` ``{"path": "<file>"}``: from then on ``exports/json``
answers with that file (a JSON array of flat rows written beforehand, streamed from disk,
``where`` and ``order_by`` not applied: the file is the selection), ``{"path": null}`` to
stop; the benchmark's volumes are larger than the double can hold in memory.
"""

import json
from datetime import date
from pathlib import Path

from . import decp_flat, decp_generator, odsql
from .boamp import _Dataset, _error, _json_list, _run_query, _serve_records
from .core import SandboxResponse

DATASET = "decp-2022-marches-valides"
API = f"/api/explore/v2.1/catalog/datasets/{DATASET}"
REAL_RECORDS = Path(__file__).parent / "data" / "decp_test_2022.json"


def real_marches():
    """The real regulatory records kept in the repository (see their ``_provenance``)."""
    return json.loads(REAL_RECORDS.read_text(encoding="utf-8"))["marches"]["marche"]


def _key(marche):
    return f"{(marche.get('acheteur') or {}).get('id')}|{marche.get('id')}"


def flat_rows(marches, source):
    return [row for marche in marches for row in decp_flat.flatten(marche, source)]


class DecpService:
    """The ``decp-2022-marches-valides`` dataset."""

    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.seed = int(options.get("seed", 20261123))
        self.count = int(options.get("decp_contracts", 400))
        day = options.get("decp_day")
        self.day = date.fromisoformat(day) if isinstance(day, str) else (day or date.today())
        self._seed = None
        self.dataset = None
        self.export_file = None
        self.reset()

    def reset(self):
        if self._seed is None:
            real = real_marches()
            generated, manifest = decp_generator.generate(self.count, self.seed, self.day)
            manifest.update({_key(m): "real_fixture" for m in real})
            rows = flat_rows(real, "decp-processing tests") + flat_rows(generated, "sandbox")
            self._seed = _Dataset(rows, decp_flat.FIELD_TYPES, manifest)
        self.dataset = self._seed
        self.export_file = None

    def load(self, marches, manifest=None, append=False):
        """Replace the dataset (or, with ``append``, the rows of the given contracts)."""
        keys = {_key(m) for m in marches}
        kept, merged = [], dict(manifest or {})
        if append:
            kept = [
                row
                for row in self.dataset.rows
                if f"{row.get('acheteur_id')}|{row.get('id')}" not in keys
            ]
            merged = {**self.dataset.manifest, **merged}
        merged.update({key: merged.get(key, "loaded") for key in keys})
        rows = kept + flat_rows(marches, "sandbox")
        self.dataset = _Dataset(rows, decp_flat.FIELD_TYPES, merged)

    def routes(self):
        return [
            ("GET", API + "/records", self.records),
            ("GET", API + "/exports/json", self.export_json),
            ("POST", "/_sandbox/decp/load", self.admin_load),
            ("POST", "/_sandbox/decp/append", self.admin_append),
            ("GET", "/_sandbox/decp/manifest", self.admin_manifest),
            ("POST", "/_sandbox/decp/export_file", self.admin_export_file),
        ]

    def records(self, request):
        return _serve_records(self.dataset, request)

    def export_json(self, request):
        if self.export_file:
            headers = {"Content-Type": "application/json; charset=utf-8"}
            return SandboxResponse(200, b"", headers, file=self.export_file)
        try:
            positions, columns = _run_query(self.dataset, request)
        except odsql.ODSQLError as exc:
            return _error(400, "ODSQLError", str(exc))
        return _json_list(self.dataset, positions, columns)

    def admin_load(self, request):
        return self._admin_change(request, append=False)

    def admin_append(self, request):
        return self._admin_change(request, append=True)

    def _admin_change(self, request, append):
        try:
            payload = request.json() or {}
            if "generate" in payload:
                spec = payload["generate"]
                day = date.fromisoformat(spec["day"]) if spec.get("day") else self.day
                marches, manifest = decp_generator.generate(
                    int(spec.get("count", 100)), int(spec.get("seed", self.seed)), day
                )
            else:
                marches, manifest = payload["marches"], None
                if not isinstance(marches, list) or not all(isinstance(m, dict) for m in marches):
                    raise ValueError("marches must be a list of objects")
        except (KeyError, ValueError, TypeError) as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        self.load(marches, manifest, append=append)
        return SandboxResponse.json({"total_count": len(self.dataset.rows)})

    def admin_export_file(self, request):
        try:
            path = (request.json() or {}).get("path")
        except ValueError as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        if path is not None and not Path(path).is_file():
            return SandboxResponse.json({"error": f"no file {path}"}, 400)
        self.export_file = path
        return SandboxResponse.json({"path": path})

    def admin_manifest(self, request):
        return SandboxResponse.json(self.dataset.manifest)
