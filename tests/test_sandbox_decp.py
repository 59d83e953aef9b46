"""The DECP double over real HTTP, its flattening, and the DECP parser on real records."""

import json
from datetime import date, timedelta

import pytest

from tests.addon_lib import load_lib
from tests.sandbox import decp, decp_flat, decp_generator

RECORDS = "/api/explore/v2.1/catalog/datasets/decp-2022-marches-valides/records"
EXPORT = "/api/explore/v2.1/catalog/datasets/decp-2022-marches-valides/exports/json"


def parser():
    return load_lib("duret_decp", "decp_parser")


def client_module():
    return load_lib("duret_decp", "decp_client")


def get(http, sandbox, path, **params):
    return http.get(sandbox.url + path, params=params, timeout=10)


def real_contracts():
    contracts, rejected = parser().parse_rows(decp.flat_rows(decp.real_marches(), "test"))
    assert rejected == []
    return {c.market_id: c for c in contracts}


# -- flattening ----------------------------------------------------------------------------
def test_flat_rows_have_the_55_columns_and_the_cdl_sentinel():
    rows = decp_flat.flatten(decp.real_marches()[0])
    assert len(decp_flat.COLUMNS) == 55
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == list(decp_flat.COLUMNS)
    assert row["titulaire_id_2"] == "99999999999"
    assert row["titulaire_typeidentifiant_2"] == "TVA"
    assert row["titulaire_id_3"] == "CDL"
    assert row["idmodification"] == "1" and row["montantmodification"] == "CDL"
    assert row["montantactesoustraitance"] == 123456.89


def test_one_row_per_modification_holder_and_act():
    """2019K1209: 4 modifications × 2 subcontracting acts = 8 rows, montant repeated."""
    marche = next(m for m in decp.real_marches() if m["id"] == "2019K1209")
    rows = decp_flat.flatten(marche)
    assert len(rows) == 8
    assert {r["montant"] for r in rows} == {1105000.0}
    assert sorted({r["idmodification"] for r in rows}) == ["1", "2", "6", "7"]
    assert sorted({r["idactesoustraitance"] for r in rows}) == ["3", "4"]


def test_more_than_three_holders_make_a_second_group():
    marche = dict(decp.real_marches()[4])
    marche["titulaires"] = [
        {"titulaire": {"typeIdentifiant": "SIRET", "id": f"1234567890001{i}"}} for i in range(5)
    ]
    rows = decp_flat.flatten(marche)
    assert len(rows) == 2
    assert rows[1]["titulaire_id_2"] == "12345678900014"
    assert rows[1]["titulaire_id_3"] == "CDL"
    contract = parser().parse_rows(rows)[0][0]
    assert len(contract.holders) == 5


# -- parser on the real records ------------------------------------------------------------
def test_parser_reads_every_field_of_a_real_electrical_contract():
    c = real_contracts()["2022VI2022.242"]
    assert c.key == "21974022200019|2022VI2022.242"
    assert c.buyer_siret == "21974022200019" and c.buyer_siren == "219740222"
    assert c.object == "Eléctricité courant fort/courant faible lot no4"
    assert c.nature == "Marché" and c.procedure == "Appel d'offres ouvert"
    assert c.cpv_code == "45316110" and c.cpv_class == "4531"  # check digit dropped
    assert (c.place_code, c.place_type, c.departement) == ("97430", "Code postal", "974")
    assert c.notified == date(2022, 11, 23) and c.published == date(2022, 12, 5)
    assert c.duration_months is None and c.end_date is None  # "NC"
    assert c.amount == 137614.0 and c.current_amount == 137614.0
    assert c.offers_received == 0
    assert c.framework is True  # techniques: Accord-cadre, Concours
    assert c.price_form == "Mixte"
    assert [(h.identifier, h.id_type, h.siren) for h in c.holders] == [
        ("12345678900023", "SIRET", "123456789"),
        ("99999999999", "TVA", None),
    ]
    assert [(m.number, m.amount, m.notified) for m in c.modifications] == [
        ("1", None, date(2023, 4, 24))
    ]
    assert c.subcontracted_amount == 123456.89
    assert c.problems == []


def test_parser_amounts_and_modifications():
    contracts = real_contracts()
    typo = contracts["2020F00075"]
    assert typo.amount is None and "amount_unusable" in typo.problems  # 1e17
    # modification 1 gives 1 € (a placeholder), 2 and 3 new totals; 4 a new duration only
    assert [m.amount for m in typo.modifications] == [None, 22545.0, 22540.0, None]
    assert typo.current_amount == 22540.0
    assert typo.current_duration_months == 100
    assert typo.end_date == date(2028, 6, 6)
    assert [h.identifier for h in typo.modifications[2].holders] == [
        "12345678900022",
        "05650171100115",
        "88359829400030",
    ]
    facades = contracts["202401L04"]
    assert facades.amount == 127835.12 and facades.current_amount == 124557.46
    assert facades.offers_received == 55
    assert facades.departement == "03"
    assert "published_before_notified" in facades.problems
    assert facades.end_date == date(2025, 7, 8)
    assert facades.subcontracted_amount == 32646.0
    school = contracts["2019K1209"]
    assert school.current_amount == 1214900.0
    assert school.departement == "69"  # Code commune 69123
    assert [h.siren for h in school.holders] == ["392100319", "392108734", "398308197"]
    assert school.subcontracted_amount == round(219149.69 + 27900.0, 2)
    small = contracts["202207LOT03"]
    assert (small.amount, small.current_amount) == (44996.25, 49599.25)
    assert small.end_date == date(2023, 9, 19)


@pytest.mark.parametrize(
    "code, kind, expected",
    [
        ("73000", "Code postal", "73"),
        ("3120", "Code postal", "03"),
        ("20090", "Code postal", "2A"),
        ("20200", "Code postal", "2B"),
        ("2B033", "Code commune", "2B"),
        ("97411", "Code commune", "974"),
        ("74", "Code département", "74"),
        ("84", "Code région", None),
        ("CDL", "Code postal", None),
    ],
)
def test_departement_of_places(code, kind, expected):
    assert parser().departement_of(code, kind) == expected


def test_rows_without_buyer_or_id_are_rejected_not_fatal():
    rows = decp.flat_rows(decp.real_marches()[:1], "t")
    contracts, rejected = parser().parse_rows([{"id": "x"}, "garbage", *rows])
    assert len(contracts) == 1
    assert [reason for _, reason in rejected] == ["no_buyer_or_id", "not_a_record"]


# -- the client's where ----------------------------------------------------------------------
def test_build_where_selects_places_by_prefix():
    where = client_module().build_where(date(2026, 1, 1), date(2026, 1, 31), ["73", "2A"])
    assert where == (
        "((datepublicationdonnees >= date'2026-01-01' AND datepublicationdonnees <= "
        "date'2026-01-31') OR (datepublicationdonneesmodificationmodification >= "
        '"2026-01-01" AND datepublicationdonneesmodificationmodification <= "2026-01-31")) '
        'AND (startswith(lieuexecution_code, "73") OR '
        'startswith(lieuexecution_code, "2A") OR startswith(lieuexecution_code, "20"))'
    )
    assert "startswith" not in client_module().build_where(date(2026, 1, 1), None, [])


def test_window_reads_a_modification_published_after_its_contract(sandbox, http):
    """The official example (Marche-modification.json): the contract keeps its
    datePublicationDonnees, only the modification carries the later date; an empty
    modification cell (CDL) never falls in a window."""
    marche = {
        "id": "EX1",
        "acheteur": {"id": "21750001630040"},
        "objet": "exemple marche avec modification",
        "codeCPV": "45000000-7",
        "lieuExecution": {"code": "75000", "typeCode": "Code postal"},
        "dureeMois": 48,
        "dateNotification": "2024-05-15",
        "datePublicationDonnees": "2024-05-25",
        "montant": 575000,
        "titulaires": [{"id": "55204599900869", "typeIdentifiant": "SIRET"}],
        "modifications": [
            {
                "id": 1,
                "dateNotificationModification": "2024-06-15",
                "datePublicationDonneesModification": "2024-06-20",
                "dureeMois": 52,
            }
        ],
    }
    plain = dict(marche, id="EX2", modifications=[])
    http.post(
        f"{sandbox.url}/_sandbox/decp/load", json={"marches": [marche, plain]}, timeout=10
    ).raise_for_status()
    client = client_module().DecpClient(sandbox.url, departements=["75"])
    june = list(client.iter_records(date(2024, 6, 14), date(2024, 6, 30)))
    assert [(r["id"], r["idmodification"]) for r in june] == [("EX1", "1")]
    contracts, _ = parser().parse_rows(june)
    assert contracts[0].current_duration_months == 52
    may = list(client.iter_records(date(2024, 5, 20), date(2024, 5, 31)))
    assert sorted(r["id"] for r in may) == ["EX1", "EX2"]


# -- the double over HTTP ---------------------------------------------------------------------
def test_records_envelope_limits_and_errors(sandbox, http):
    body = get(http, sandbox, RECORDS, limit=100).json()
    assert set(body) == {"total_count", "results"}
    assert len(body["results"]) == 100
    assert body["total_count"] == len(sandbox.service("DecpService").dataset.rows)
    too_many = get(http, sandbox, RECORDS, limit=101)
    assert too_many.status_code == 400
    assert too_many.json()["error_code"] == "InvalidRESTParameterError"
    beyond = get(http, sandbox, RECORDS, limit=100, offset=9901)
    assert beyond.status_code == 400 and "10000" in beyond.json()["message"]
    bad = get(http, sandbox, RECORDS, where="startswith(lieuexecution_code)")
    assert bad.status_code == 400 and bad.json()["error_code"] == "ODSQLError"


def test_startswith_filters_departements(sandbox, http):
    where = 'startswith(lieuexecution_code, "73")'
    rows = get(http, sandbox, EXPORT, where=where).json()
    assert rows and all(r["lieuexecution_code"].startswith("73") for r in rows)
    every = get(http, sandbox, EXPORT).json()
    assert len(rows) == sum(1 for r in every if str(r["lieuexecution_code"]).startswith("73"))
    assert get(http, sandbox, EXPORT, where='startswith(lieuexecution_code, "99")').json() == []


def test_generated_contracts_cover_the_radar_and_duret(sandbox, http):
    service = sandbox.service("DecpService")
    contracts, _ = parser().parse_rows(service.dataset.rows)
    generated = [c for c in contracts if c.source == "sandbox"]
    assert len(generated) == service.count
    assert {c.departement for c in generated} == {"73", "74", "38"}
    assert any(h.siren == "842317653" for c in generated for h in c.holders)
    assert any(c.cpv_class == "4531" for c in generated)
    soon = [
        c
        for c in generated
        if c.end_date
        and service.day + timedelta(days=150) <= c.end_date
        and c.end_date <= service.day + timedelta(days=380)
    ]
    assert len(soon) >= service.count // 5


def test_client_pages_through_the_double(sandbox, http):
    module = client_module()
    client = module.DecpClient(sandbox.url, departements=["74"])
    rows = list(client.iter_records(date(2000, 1, 1), None, page_size=7))
    expected = [
        r
        for r in sandbox.service("DecpService").dataset.rows
        if r["lieuexecution_code"][:2] == "74"
    ]
    assert len(rows) == len(expected)
    assert client.http_calls == -(-len(expected) // 7)


def test_admin_load_and_append(sandbox, http):
    marche = decp_generator.generate(1, 5, date(2026, 6, 1))[0][0]
    response = http.post(
        f"{sandbox.url}/_sandbox/decp/load", json={"marches": [marche]}, timeout=10
    )
    assert response.json() == {"total_count": 1}
    marche["montant"] = 50000.0
    http.post(f"{sandbox.url}/_sandbox/decp/append", json={"marches": [marche]}, timeout=10)
    rows = get(http, sandbox, EXPORT).json()
    assert [r["montant"] for r in rows] == [50000.0]


# -- bulk export (first load) -------------------------------------------------------------
def test_client_streams_the_export_in_one_call(sandbox, http):
    """The first load's reader: one call, the same rows as the pages, in the same order."""
    module = client_module()
    exporter = module.DecpClient(sandbox.url, departements=["73", "38"])
    exported = list(exporter.iter_export(date(2000, 1, 1), None, chunk_size=997))
    assert exporter.http_calls == 1
    pager = module.DecpClient(sandbox.url, departements=["73", "38"])
    assert exported == list(pager.iter_records(date(2000, 1, 1), None))
    assert {r["lieuexecution_code"][:2] for r in exported} == {"73", "38"}
    assert sandbox.calls(EXPORT) == 1


def test_export_cut_mid_stream_is_a_payload_error(sandbox, http):
    """A dropped stream is never taken for the end of the data: the sync fails and re-reads."""
    module = client_module()
    errors = load_lib("duret_procurement", "errors")
    http.post(
        f"{sandbox.url}/_sandbox/faults",
        json={"route": EXPORT, "kind": "cut", "count": 1},
        timeout=10,
    ).raise_for_status()
    client = module.DecpClient(sandbox.url)
    read = []
    with pytest.raises(errors.PayloadError, match="export interrupted"):
        for row in client.iter_export(date(2000, 1, 1), None, chunk_size=512):
            read.append(row)
    total = len(sandbox.service("DecpService").dataset.rows)
    assert 0 < len(read) < total  # rows before the cut came through, the rest did not
    assert len(list(client.iter_export(date(2000, 1, 1)))) == total  # the fault is spent


def test_export_error_answer_is_typed(sandbox, http):
    module = client_module()
    errors = load_lib("duret_procurement", "errors")
    client = module.DecpClient(sandbox.url, retries=0)
    client.window_where = lambda since, until: "nosuchfield = 1 AND"
    with pytest.raises(errors.HttpStatusError) as raised:
        list(client.iter_export(date(2000, 1, 1)))
    assert raised.value.status == 400


@pytest.mark.parametrize("size", [1, 2, 3, 7, 4096])
def test_json_array_read_in_any_chunking(size):
    """Items cut anywhere by the chunks (inside a UTF-8 character, a string, a number)."""
    iter_json_array = load_lib("duret_procurement", "ods").iter_json_array
    items = [{"objet": "Éclairage « public »", "montant": 1234.5}, 1.25, [2, {}], "x", 12345]
    data = json.dumps(items, ensure_ascii=False).encode()
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    assert list(iter_json_array(chunks)) == items


@pytest.mark.parametrize("data", [b'[{"a": 1}, {"a"', b'[{"a": 1}', b'{"a": 1}', b"[1] [2]", b""])
def test_json_array_truncated_or_not_an_array_is_refused(data):
    iter_json_array = load_lib("duret_procurement", "ods").iter_json_array
    with pytest.raises(ValueError):
        list(iter_json_array([data]))


def test_export_can_stream_a_local_file(sandbox, http, tmp_path):
    """The benchmark's volumes: an export file written beforehand, served from disk as is."""
    rows = [{"id": f"F{i}", "acheteur_id": "21730065600018", "objet": "é" * i} for i in range(50)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    admin = f"{sandbox.url}/_sandbox/decp/export_file"
    http.post(admin, json={"path": str(path)}, timeout=10).raise_for_status()
    client = client_module().DecpClient(sandbox.url, departements=["74"])
    assert list(client.iter_export(date(2000, 1, 1), chunk_size=100)) == rows  # no where
    assert http.post(admin, json={"path": str(tmp_path / "none")}, timeout=10).status_code == 400
    http.post(admin, json={"path": None}, timeout=10).raise_for_status()
    served = get(http, sandbox, EXPORT).json()
    assert len(served) == len(sandbox.service("DecpService").dataset.rows)


# -- BOAMP award notices as contracts ---------------------------------------------------------
def award_notice(nature="ATTRIBUTION", buyer="21730010200001", holder="552 081 317 00010"):
    """The FNSimple award shape of duret_boamp's tests (docs/boamp-awards.md)."""
    donnees = {
        "FNSimple": {
            "organisme": {"nomOfficiel": "Commune", "codeIdentificationNational": buyer},
            "attribution": {
                "avisInitial": {"idWeb": "26-1"},
                "attributionMarche": [
                    {"titulaire": {"denomination": "A", "codeIdentificationNational": holder}},
                    {"titulaire": {"denomination": "B"}},
                ],
            },
        }
    }
    record = {
        "idweb": "26-2",
        "nature": nature,
        "objet": "Éclairage public",
        "dateparution": "2026-11-20",
        "code_departement": ["73"],
        "donnees": json.dumps(donnees),
    }
    return load_lib("duret_boamp", "notice_parser").parse_record(record)


def test_award_notice_gives_a_contract_keyed_by_its_idweb():
    contract = load_lib("duret_decp", "award_source").contract_from_award(award_notice())
    assert (contract.key, contract.market_id) == ("BOAMP|26-2", "26-2")
    assert (contract.buyer_siret, contract.departement) == ("21730010200001", "73")
    assert contract.notified == contract.published == date(2026, 11, 20)
    assert [(h.identifier, h.id_type, h.siren) for h in contract.holders] == [
        ("55208131700010", "SIRET", "552081317")
    ]
    assert contract.source == "BOAMP"


def test_award_notice_without_buyer_or_holder_number_gives_nothing():
    award_source = load_lib("duret_decp", "award_source")
    assert award_source.contract_from_award(award_notice(nature="APPEL_OFFRE")) is None
    assert award_source.contract_from_award(award_notice(buyer="")) is None
    assert award_source.contract_from_award(award_notice(holder="Alpes Élec")) is None
