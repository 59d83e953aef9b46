"""ECB Data Portal double and the addon's client against it, over real HTTP."""

import importlib.util
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[1] / "duret_late_payment" / "lib"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"_test_{name}", LIB / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ecb_client = _load("ecb_client")
mro_history = _load("mro_history")
SERIES = "/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV"


def test_series_is_sdmx_csv_with_named_columns(sandbox, http):
    response = http.get(f"{sandbox.url}{SERIES}", params={"format": "csvdata"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    header, first = response.text.splitlines()[:2]
    columns = header.split(",")
    assert columns.index("TIME_PERIOD") == 8 and columns.index("OBS_VALUE") == 9
    assert "TITLE_COMPL" in columns
    assert first.startswith(
        "FM.B.U2.EUR.4F.KR.MRR_FR.LEV,B,U2,EUR,4F,KR,MRR_FR,LEV,2016-03-16,0.00,"
    )


def test_client_reads_every_verified_change(sandbox):
    changes = ecb_client.EcbClient(sandbox.url, retries=1).mro_rate_changes()
    assert [(c.day, c.rate) for c in changes] == mro_history.CHANGES
    assert changes[-1] == ecb_client.RateChange(date(2025, 6, 11), Decimal("2.15"))


def test_unknown_series_is_404_and_typed(sandbox, http):
    response = http.get(
        f"{sandbox.url}/service/data/FM/B.U2.EUR.4F.KR.DFR.LEV", params={"format": "csvdata"}
    )
    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"
    client = ecb_client.EcbClient(sandbox.url, retries=1)
    with pytest.raises(ecb_client.EcbNotFoundError):
        ecb_client.EcbClient(sandbox.url + "/nowhere", retries=1).mro_rate_changes()
    assert client.mro_rate_changes()


def test_added_change_and_unreadable_value(sandbox, http):
    url = f"{sandbox.url}/_sandbox/ecb/observations"
    http.post(url, json={"TIME_PERIOD": "2026-09-16", "OBS_VALUE": "2.40"}, timeout=10)
    client = ecb_client.EcbClient(sandbox.url, retries=1)
    latest = client.mro_rate_changes()[-1]
    assert latest == ecb_client.RateChange(date(2026, 9, 16), Decimal("2.40"))
    http.post(url, json={"TIME_PERIOD": "2026-10-01", "OBS_VALUE": "N/A"}, timeout=10)
    with pytest.raises(ecb_client.EcbFormatError, match="N/A"):
        client.mro_rate_changes()


def test_server_errors_are_retried_then_typed(sandbox):
    sandbox.add_fault(SERIES, "503", count=1)
    client = ecb_client.EcbClient(sandbox.url, retries=2)
    client_backoff = ecb_client.BACKOFF_SECONDS
    ecb_client.BACKOFF_SECONDS = 0
    try:
        assert client.mro_rate_changes()
        sandbox.add_fault(SERIES, "500", count=2)
        with pytest.raises(ecb_client.EcbTransportError, match="500"):
            client.mro_rate_changes()
        sandbox.add_fault(SERIES, "malformed", count=1)
        with pytest.raises(ecb_client.EcbFormatError):
            client.mro_rate_changes()
    finally:
        ecb_client.BACKOFF_SECONDS = client_backoff


def test_rate_in_force_is_never_guessed():
    changes = mro_history.CHANGES
    until = mro_history.VERIFIED_UNTIL
    assert mro_history.rate_in_force(changes, date(2024, 1, 1), until) == Decimal("4.50")
    assert mro_history.rate_in_force(changes, date(2024, 7, 1), until) == Decimal("4.25")
    assert mro_history.rate_in_force(changes, date(2025, 7, 1), until) == Decimal("2.15")
    assert mro_history.rate_in_force(changes, date(2026, 1, 1), until) is None
    assert mro_history.rate_in_force(changes, date(2015, 1, 1), until) is None
