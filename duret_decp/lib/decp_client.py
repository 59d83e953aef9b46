"""Reader of the DECP dataset on data.economie.gouv.fr (no ORM here).

Dataset ``decp-2022-marches-valides``: the essential data of public contracts in the
format of the arrêtés of 22 December 2022 (contracts notified from 2024 on), published
daily by the ministère de l'Économie on OpenDataSoft, no key (docs/decp.md). The
paging contract is OpenDataSoft's (``duret_procurement/lib/ods.py``); this client
says which rows a night reads: those whose data were published in the window,
optionally restricted to places of execution in some départements.
"""

from datetime import date

from ...duret_procurement.lib.ods import OdsClient, quote

BASE_URL = "https://data.economie.gouv.fr"
DATASET = "decp-2022-marches-valides"
#: seconds of remote calls one sync may use (a first load of three départements reads
#: a few hundred pages; a night a handful)
JOB_BUDGET = 900.0


def departement_prefixes(departement):
    """The prefixes of ``lieuexecution_code`` that place a contract in ``departement``.

    The code is a postal code, an INSEE commune code or a département code
    (``lieuexecution_typecode``); all three start with the département's digits,
    except Corsica, whose postal codes start with 20 and INSEE codes with 2A / 2B.
    """
    code = (departement or "").strip().upper()
    if code in ("2A", "2B"):
        return [code, "20"]
    return [code] if code else []


#: text column of the flat dataset: a modification's publication date, or ``CDL``
MODIFICATION_PUBLISHED = "datepublicationdonneesmodificationmodification"


def build_where(since, until, departements):
    """ODSQL ``where`` of the rows published from ``since`` to ``until`` (inclusive).

    A contract modified later keeps its own ``datepublicationdonnees``; only its
    modification carries the later date (docs/decp.md section 8). So a row is in the
    window when the contract's data *or* the row's modification were published in it.
    The modification's column is text (``CDL`` when empty): compared as ISO text
    between both bounds, which ``CDL`` never falls between.
    """
    start, stop = since.isoformat(), (until or date.max).isoformat()
    contract = f"datepublicationdonnees >= date'{start}' AND datepublicationdonnees <= date'{stop}'"
    modified = (
        f"{MODIFICATION_PUBLISHED} >= {quote(start)} AND {MODIFICATION_PUBLISHED} <= {quote(stop)}"
    )
    clauses = [f"(({contract}) OR ({modified}))"]
    prefixes = list(dict.fromkeys(p for d in departements or () for p in departement_prefixes(d)))
    if prefixes:
        terms = [f"startswith(lieuexecution_code, {quote(p)})" for p in prefixes]
        clauses.append("(" + " OR ".join(terms) + ")")
    return " AND ".join(clauses)


class DecpClient(OdsClient):
    """Rows of the DECP published in a window, restricted to ``departements`` (all
    France when empty)."""

    service = "DECP"
    dataset = DATASET
    # the dataset has no unique key per row: this order is as stable as it gets
    # (a contract's rows differ by holder, modification or subcontracting act)
    order_by = (
        "datepublicationdonnees asc, acheteur_id asc, id asc, idmodification asc, "
        "titulaire_id_1 asc, idactesoustraitance asc"
    )
    timeout = (5.0, 30.0)
    retries = 2
    backoff = 1.0
    max_wait = 30.0
    default_budget = JOB_BUDGET

    def __init__(self, base_url, departements=(), **kwargs):
        super().__init__(base_url, **kwargs)
        self.departements = list(departements or ())

    def window_where(self, since, until):
        return build_where(since, until, self.departements)
