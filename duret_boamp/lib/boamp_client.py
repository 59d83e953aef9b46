"""HTTP client of the BOAMP open dataset (DILA on OpenDataSoft, Explore API v2.1).

No ORM: the Odoo models give it a base URL and consume the raw records it yields. It
pages ``/records`` 100 at a time on a stable order, splits a publication-date window
whenever it holds more than the 10 000 rows an offset can reach, and raises typed
errors. Timeouts, the job's time budget, retries of transient failures (429 with
``Retry-After``, 5xx, timeouts, dropped connections, truncated JSON) and backoff are
the suite's shared HTTP layer (``duret_procurement/lib/http.py``).
"""

from ...duret_procurement.lib.ods import API, PAGE_SIZE, OdsClient, OdsWindowTooLargeError, quote
from .departement import departement_variants

RECORDS_PATH = f"{API}/boamp/records"
ORDER_BY = "dateparution desc, idweb asc"  # unique key: stable pages
#: seconds of remote calls one run may use (a full first import reads about 30 pages)
JOB_BUDGET = 600.0


class BoampWindowTooLargeError(OdsWindowTooLargeError):
    """More records were published on one day than the API can page: narrow the watch."""


def build_where(since, until, departements, natures):
    """The ODSQL ``where`` of a watch window (docs/boamp.md section 10). Never filters
    ``type_marche``: buyers miscode it, so the market type is a scoring signal. Département
    codes are normalised, and unpadded spellings (``"1"`` for Ain) asked for too."""
    clauses = [f"dateparution >= date'{since.isoformat()}'"]
    if until:
        clauses.append(f"dateparution <= date'{until.isoformat()}'")
    # every spelling BOAMP uses for a code: a profile on "01" also reads records coded "1"
    departements = list(
        dict.fromkeys(v for d in departements or () for v in departement_variants(d))
    )
    if departements:
        terms = [f"code_departement={quote(d)}" for d in departements]
        terms += [f"code_departement_prestation={quote(d)}" for d in departements]
        clauses.append("(" + " OR ".join(terms) + ")")
    natures = [n for n in natures or () if n]
    if natures:
        clauses.append("(" + " OR ".join(f"nature={quote(n)}" for n in natures) + ")")
    return " AND ".join(clauses)


class BoampClient(OdsClient):
    """Paged, partitioned, retrying reader of BOAMP records (the paging is OpenDataSoft's,
    ``duret_procurement/lib/ods.py``; this class says which records a watch reads).

    ``base_url`` is scheme + host (+ port): production
    ``https://boamp-datadila.opendatasoft.com``, the mirror ``https://www.boamp.fr`` or the
    sandbox. ``sleep`` and ``clock`` are injectable so that tests do not wait.
    """

    timeout = (5.0, 20.0)
    retries = 2
    backoff = 1.0
    max_wait = 30.0
    default_budget = JOB_BUDGET
    service = "BOAMP"
    dataset = "boamp"
    order_by = ORDER_BY
    window_error = BoampWindowTooLargeError

    def __init__(self, base_url, **kwargs):
        super().__init__(base_url, **kwargs)
        self._filters = ((), ())

    def window_where(self, since, until):
        return build_where(since, until, *self._filters)

    def iter_window(self, since, until, departements, natures, page_size=PAGE_SIZE):
        """Yield the raw records published from ``since`` to ``until`` (inclusive; ``None``:
        up to now) in ``departements`` with ``natures``, each ``idweb`` once."""
        self._filters = (departements, natures)
        seen = set()
        for record in self.iter_records(since, until, page_size):
            key = record.get("idweb") if isinstance(record, dict) else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            yield record
