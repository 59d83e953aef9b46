"""BOAMP double: DILA's OpenDataSoft Explore v2.1 datasets ``boamp`` and
``liste-mots-descripteurs-boamp``.

Routes (production base ``https://boamp-datadila.opendatasoft.com``):

* ``GET /api/explore/v2.1/catalog/datasets/boamp/records``: ``where`` (ODSQL subset,
  see :mod:`.odsql`), ``select`` (field list, ``*``, ``field AS alias``), ``order_by``,
  ``limit`` (default 10, at most 100), ``offset``, ``refine``/``exclude``
  (``field:value``); answers ``{"total_count", "results"}`` with flat records.
* ``GET …/boamp/exports/json``: the bare list, same filters, no row cap.
* ``GET …/liste-mots-descripteurs-boamp/records``: ``mc_code``, ``mc_libelle``.

Errors reproduce the ODS envelope ``{"message": …, "error_code": …}``.  The messages
for ``limit`` > 100 and ``offset + limit`` > 10 000 (``InvalidRESTParameterError``) and
for malformed queries (``ODSQLError``, "ODSQL query is malformed: … Clause(s)
containing the error(s): where.") are the texts third-party consumers quote from the
live API; no captured response is in our fixtures.

Seed dataset: the REAL records of ``fixtures/boamp`` (four FNSimple, one legacy),
the official eForms examples converted by :mod:`.eforms` (documentation-based shape),
and ``boamp_notices`` generated notices (:mod:`.boamp_generator`) published around
``boamp_day`` (default today).

Admin routes: ``POST /_sandbox/boamp/load`` and ``/append`` with
``{"generate": {"count", "seed", "day", "departements"}}`` or ``{"records": [...],
"manifest": {...}}`` (load replaces the dataset, append adds or replaces by ``idweb``);
``GET /_sandbox/boamp/manifest``: ``{idweb: category}``.
"""

import csv
import json
import threading
from collections import OrderedDict
from datetime import date

from . import boamp_generator, eforms, odsql
from .core import SandboxResponse
from .fixtures import fixtures_dir

API = "/api/explore/v2.1/catalog/datasets"
MAX_LIMIT = 100
MAX_WINDOW = 10_000
DEFAULT_LIMIT = 10

BOAMP_FIELD_TYPES = dict.fromkeys(boamp_generator.RECORD_FIELDS, "text")
BOAMP_FIELD_TYPES.update(
    {"dateparution": "date", "datefindiffusion": "date", "datelimitereponse": "datetime"}
)
DESCRIPTOR_FIELD_TYPES = {"mc_code": "text", "mc_libelle": "text"}


def _error(status, error_code, message):
    return SandboxResponse.json({"message": message, "error_code": error_code}, status)


def _invalid_parameter(message):
    return _error(400, "InvalidRESTParameterError", message)


class _Dataset:
    """Immutable snapshot: rows, ODSQL indexes, per-row JSON and a query cache."""

    def __init__(self, rows, field_types, manifest=None):
        self.rows = rows
        self.table = odsql.Table(rows, field_types)
        self.manifest = dict(manifest or {})
        self._encoded = [None] * len(rows)
        self._cache = OrderedDict()
        self._lock = threading.Lock()

    def encoded(self, pos):
        chunk = self._encoded[pos]
        if chunk is None:
            chunk = json.dumps(self.rows[pos], ensure_ascii=False).encode("utf-8")
            self._encoded[pos] = chunk
        return chunk

    def query(self, where, order_by):
        """Matching positions, sorted; cached unless the query reads the clock."""
        key = (where, order_by)
        cacheable = "now" not in (where or "").lower()
        with self._lock:
            if cacheable and key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            positions = odsql.query(self.table, where, order_by)
            if cacheable:
                self._cache[key] = positions
                if len(self._cache) > 64:
                    self._cache.popitem(last=False)
        return positions


def _refine_clause(request):
    """``refine=field:value`` / ``exclude=field:value`` as ODSQL, ANDed with ``where``."""
    parts = []
    for param, template in (("refine", '{0}="{1}"'), ("exclude", 'NOT {0}="{1}"')):
        for value in request.query.get(param, []):
            field, sep, facet = value.partition(":")
            if not sep:
                raise odsql.ODSQLError(f"Invalid {param} {value!r}.", param)
            parts.append(template.format(field, facet.replace('"', '\\"')))
    return parts


def _select(text, fields):
    """``"a, b AS c, *"`` → ``[(source, output)]`` or None for every field."""
    if not text or text.strip() == "*":
        return None
    columns = []
    for part in text.split(","):
        words = part.split()
        if len(words) == 1 and words[0] == "*":
            columns.extend((name, name) for name in fields)
            continue
        if len(words) == 3 and words[1].lower() == "as":
            source, output = words[0], words[2]
        elif len(words) == 1:
            source = output = words[0]
        else:
            raise odsql.ODSQLError(f"Unsupported select expression {part.strip()!r}.", "select")
        if source not in fields:
            raise odsql.ODSQLError(f"Unknown field: {source}.", "select")
        columns.append((source, output))
    return columns


def _int_param(request, name, default, minimum):
    raw = request.arg(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        return minimum - 1


class BoampService:
    """The ``boamp`` and ``liste-mots-descripteurs-boamp`` datasets."""

    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.seed = int(options.get("seed", 20261123))
        self.count = int(options.get("boamp_notices", 300))
        day = options.get("boamp_day")
        self.day = date.fromisoformat(day) if isinstance(day, str) else (day or date.today())
        self._seed = None
        self.dataset = None
        self.descriptors = _Dataset(_descriptor_rows(), DESCRIPTOR_FIELD_TYPES)
        self.reset()

    # -- state -------------------------------------------------------------------
    def reset(self):
        """Back to the seed dataset; the snapshot (and its indexes) is built once."""
        if self._seed is None:
            self._seed = _Dataset(*self._build_seed())
        self.dataset = self._seed

    def _build_seed(self):
        folder = fixtures_dir()
        real = json.loads((folder / "boamp" / "ods_v21_records_fnsimple.json").read_text())
        records = list(real["results"])
        records.append(
            json.loads((folder / "boamp" / "ods_v21_record_legacy_15-31501.json").read_text())
        )
        manifest = {record["idweb"]: "real_fixture" for record in records}
        examples, example_manifest = eforms.example_records(folder / "eforms")
        generated, generated_manifest = boamp_generator.generate(self.count, self.seed, self.day)
        manifest.update(example_manifest)
        manifest.update(generated_manifest)
        return records + examples + generated, BOAMP_FIELD_TYPES, manifest

    def load(self, records, manifest=None):
        """Replace the whole dataset (admin route and tests)."""
        self.dataset = _Dataset(list(records), BOAMP_FIELD_TYPES, manifest)

    def append(self, records, manifest=None):
        """Add records; a record whose ``idweb`` exists replaces the old one."""
        current = self.dataset
        incoming = {record.get("idweb"): record for record in records}
        rows = [row for row in current.rows if row.get("idweb") not in incoming]
        merged = dict(current.manifest)
        merged.update(manifest or {})
        self.dataset = _Dataset(rows + list(records), BOAMP_FIELD_TYPES, merged)

    def _generate(self, spec, first_number=None):
        day = date.fromisoformat(spec["day"]) if spec.get("day") else self.day
        departements = spec.get("departements") or boamp_generator.HOME_DEPARTEMENTS
        return boamp_generator.generate(
            int(spec.get("count", 100)),
            int(spec.get("seed", self.seed)),
            day,
            departements,
            first_number=first_number,
        )

    # -- routes --------------------------------------------------------------------
    def routes(self):
        boamp = API + "/boamp"
        descriptors = API + "/liste-mots-descripteurs-boamp(?:%2F)?"
        return [
            ("GET", boamp + "/records", self.records),
            ("GET", boamp + "/exports/json", self.export_json),
            ("GET", descriptors + "/records", self.descriptor_records),
            ("POST", "/_sandbox/boamp/load", self.admin_load),
            ("POST", "/_sandbox/boamp/append", self.admin_append),
            ("GET", "/_sandbox/boamp/manifest", self.admin_manifest),
        ]

    def records(self, request):
        return _serve_records(self.dataset, request)

    def descriptor_records(self, request):
        return _serve_records(self.descriptors, request)

    def export_json(self, request):
        dataset = self.dataset
        try:
            positions, columns = _run_query(dataset, request)
        except odsql.ODSQLError as exc:
            return _error(400, "ODSQLError", str(exc))
        limit = _int_param(request, "limit", -1, -1)
        offset = max(_int_param(request, "offset", 0, 0), 0)
        end = None if limit < 0 else offset + limit
        return _json_list(dataset, positions[offset:end], columns)

    # -- admin -----------------------------------------------------------------------
    def admin_load(self, request):
        return self._admin_change(request, replace=True)

    def admin_append(self, request):
        return self._admin_change(request, replace=False)

    def _admin_change(self, request, replace):
        try:
            payload = request.json() or {}
            if "generate" in payload:
                first = None if replace else _next_number(self.dataset.rows)
                records, manifest = self._generate(payload["generate"], first)
            else:
                records, manifest = payload["records"], payload.get("manifest")
                if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                    raise ValueError("records must be a list of objects")
        except (KeyError, ValueError, TypeError) as exc:
            return SandboxResponse.json({"error": str(exc)}, 400)
        (self.load if replace else self.append)(records, manifest)
        return SandboxResponse.json(
            {"total_count": len(self.dataset.rows), "idwebs": [r.get("idweb") for r in records]}
        )

    def admin_manifest(self, request):
        return SandboxResponse.json(self.dataset.manifest)


def _next_number(rows):
    """First free generated idweb number, so appended notices never reuse one."""
    numbers = [
        int(row["idweb"].split("-")[1])
        for row in rows
        if isinstance(row.get("idweb"), str) and row["idweb"].split("-")[-1].isdigit()
    ]
    return max([100000, *numbers]) + 1


def _run_query(dataset, request):
    where = request.arg("where") or ""
    refine = _refine_clause(request)
    if refine:
        where = " AND ".join(([f"({where})"] if where.strip() else []) + refine)
    positions = dataset.query(where, request.arg("order_by") or "")
    return positions, _select(request.arg("select"), dataset.table.field_types)


def _serve_records(dataset, request):
    limit = _int_param(request, "limit", DEFAULT_LIMIT, -1)
    if limit == -1:  # ODS accepts -1 on /records; served as the default page (unverified)
        limit = DEFAULT_LIMIT
    if not 0 <= limit <= MAX_LIMIT:
        return _invalid_parameter(
            f"Invalid value for limit API parameter: {request.arg('limit')} was found but "
            f"-1 <= limit <= {MAX_LIMIT} is expected."
        )
    offset = _int_param(request, "offset", 0, 0)
    if offset < 0:
        return _invalid_parameter(
            f"Invalid value for offset API parameter: {request.arg('offset')} was found but "
            "0 <= offset is expected."
        )
    if offset + limit > MAX_WINDOW:
        return _invalid_parameter(
            f"Invalid value for sum of offset + limit API parameter: {offset + limit} was "
            f"found but <= {MAX_WINDOW} is expected."
        )
    try:
        positions, columns = _run_query(dataset, request)
    except odsql.ODSQLError as exc:
        return _error(400, "ODSQLError", str(exc))
    page = _json_list(dataset, positions[offset : offset + limit], columns).body
    body = b'{"total_count": %d, "results": %s}' % (len(positions), page)
    return SandboxResponse(200, body, {"Content-Type": "application/json; charset=utf-8"})


def _json_list(dataset, positions, columns):
    if columns is None:
        body = b"[" + b", ".join(dataset.encoded(pos) for pos in positions) + b"]"
    else:
        rows = [
            {output: dataset.rows[pos].get(source) for source, output in columns}
            for pos in positions
        ]
        body = json.dumps(rows, ensure_ascii=False).encode("utf-8")
    return SandboxResponse(200, body, {"Content-Type": "application/json; charset=utf-8"})


def _descriptor_rows():
    """The observed real codes plus the labels the generator uses (some codes invented)."""
    labels = {}
    with (fixtures_dir() / "boamp" / "descripteurs_observed.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels[row["mc_code"]] = row["mc_libelle"]
    for label, code in boamp_generator.DESCRIPTORS.items():
        labels.setdefault(code, label)
    return [{"mc_code": code, "mc_libelle": label} for code, label in labels.items()]
