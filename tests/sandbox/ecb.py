"""ECB Data Portal double: the main refinancing operations rate series as SDMX-CSV.

``GET /service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV?format=csvdata`` answers the series
with the header of the real SDMX-CSV answers of the FM flow (documented URL form,
https://data.ecb.europa.eu/help/api/data; the column list is the one public clients
recorded from ``data-api.ecb.europa.eu``); one row per rate change, dated by the day
the rate took effect.  The rows are the verified history of
``duret_late_payment/lib/mro_history.py``: the sandbox serves no rate that was not
checked.  Other keys of the FM flow answer 404 with the JSON problem body seen in
recorded logs.  Inferred, not documented: ``format`` other than ``csvdata`` answers 406
here (the real service would answer SDMX-ML), since no client of the suite asks for it.

Admin routes:

* ``POST /_sandbox/ecb/observations`` ``{"TIME_PERIOD": "2026-09-16", "OBS_VALUE": "2.40"}``:
  one more rate change (tests of the update job); ``{"OBS_VALUE": "N/A"}`` serves an
  unreadable value.
"""

import csv
import importlib.util
import io
from pathlib import Path

from .core import SandboxResponse

_HISTORY = Path(__file__).resolve().parents[2] / "duret_late_payment" / "lib" / "mro_history.py"


def _load_history():
    """The addon's verified history, loaded by path: the sandbox never imports Odoo code."""
    spec = importlib.util.spec_from_file_location("_sandbox_mro_history", _HISTORY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mro_history = _load_history()

SERIES_KEY = "B.U2.EUR.4F.KR.MRR_FR.LEV"
# fmt: off
COLUMNS = (
    "KEY", "FREQ", "REF_AREA", "CURRENCY", "PROVIDER_FM", "INSTRUMENT_FM", "PROVIDER_FM_ID",
    "DATA_TYPE_FM", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "OBS_CONF", "OBS_PRE_BREAK",
    "OBS_COM", "TIME_FORMAT", "BREAKS", "COLLECTION", "COMPILING_ORG", "DISS_ORG",
    "DOM_SER_IDS", "PUBL_ECB", "PUBL_MU", "PUBL_PUBLIC", "UNIT_INDEX_BASE", "COMPILATION",
    "COVERAGE", "DECIMALS", "NAT_TITLE", "SOURCE_AGENCY", "SOURCE_PUB", "TITLE", "TITLE_COMPL",
    "UNIT", "UNIT_MULT",
)
# fmt: on
TITLE = "Main refinancing operations - fixed rate tenders (fixed rate) (date of changes) - Level"


def _row(day, value):
    return {
        "KEY": f"FM.{SERIES_KEY}",
        "FREQ": "B",
        "REF_AREA": "U2",
        "CURRENCY": "EUR",
        "PROVIDER_FM": "4F",
        "INSTRUMENT_FM": "KR",
        "PROVIDER_FM_ID": "MRR_FR",
        "DATA_TYPE_FM": "LEV",
        "TIME_PERIOD": day,
        "OBS_VALUE": value,
        "OBS_STATUS": "A",
        "OBS_CONF": "F",
        "TIME_FORMAT": "P1D",
        "COLLECTION": "E",
        "DECIMALS": "2",
        "SOURCE_AGENCY": "4F0",
        "TITLE": "ECB Main refinancing operations - fixed rate",
        "TITLE_COMPL": f"Euro area (changing composition), {TITLE}, Euro",
        "UNIT": "PCPA",
        "UNIT_MULT": "0",
    }


class EcbService:
    def __init__(self, sandbox, options):
        self.sandbox = sandbox
        self.reset()

    def reset(self):
        self.rows = [_row(day.isoformat(), f"{rate:.2f}") for day, rate in mro_history.CHANGES]

    def routes(self):
        return [
            ("GET", r"/service/data/FM/(?P<key>[\w.+]+)", self.data),
            ("POST", r"/_sandbox/ecb/observations", self.admin_add),
        ]

    def data(self, request):
        key = request.match["key"]
        if key != SERIES_KEY:
            return SandboxResponse.json(
                {
                    "type": f"/service/data/FM/{key}",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "No Series was returned for the query.",
                },
                404,
            )
        if request.arg("format") != "csvdata":
            return SandboxResponse.json({"error": "the sandbox only serves format=csvdata"}, 406)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in sorted(self.rows, key=lambda r: r["TIME_PERIOD"]):
            writer.writerow(row)
        return SandboxResponse(
            200, out.getvalue().encode("utf-8"), {"Content-Type": "text/csv; charset=utf-8"}
        )

    def admin_add(self, request):
        spec = request.json() or {}
        if not spec.get("TIME_PERIOD") or "OBS_VALUE" not in spec:
            return SandboxResponse.json({"error": "TIME_PERIOD and OBS_VALUE are required"}, 400)
        self.rows.append(_row(spec["TIME_PERIOD"], spec["OBS_VALUE"]))
        return SandboxResponse.json({"observations": len(self.rows)})
