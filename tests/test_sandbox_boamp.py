"""The BOAMP double over real HTTP: routes, paging, errors, faults, data shapes."""

import json
from collections import Counter
from datetime import date, timedelta

import pytest
import requests

from tests.sandbox import boamp_generator, eforms
from tests.sandbox.fixtures import fixtures_dir

RECORDS = "/api/explore/v2.1/catalog/datasets/boamp/records"
EXPORT = "/api/explore/v2.1/catalog/datasets/boamp/exports/json"
DESCRIPTORS = "/api/explore/v2.1/catalog/datasets/liste-mots-descripteurs-boamp/records"
HOME = ("73", "74", "38")
NATURES = ("APPEL_OFFRE", "RECTIFICATIF", "ANNULATION", "MODIFICATION", "ATTRIBUTION")
LIST_FIELDS = {
    "code_departement", "titulaire", "criteres", "descripteur_code", "dc",
    "descripteur_libelle", "type_marche", "type_marche_facette", "type_avis", "annonce_lie",
}  # fmt: skip


def nightly_where(since, until=None, departements=HOME, natures=NATURES):
    """The clause ``build_where`` of duret_boamp sends (docs/boamp.md section 10)."""
    clause = f"dateparution >= date'{since.isoformat()}'"
    if until:
        clause += f" AND dateparution <= date'{until.isoformat()}'"
    deps = [f'code_departement="{d}"' for d in departements]
    deps += [f'code_departement_prestation="{d}"' for d in departements]
    nats = " OR ".join(f'nature="{n}"' for n in natures)
    return f"{clause} AND ({' OR '.join(deps)}) AND ({nats})"


def real_records():
    folder = fixtures_dir() / "boamp"
    records = json.loads((folder / "ods_v21_records_fnsimple.json").read_text())["results"]
    return [*records, json.loads((folder / "ods_v21_record_legacy_15-31501.json").read_text())]


def get(http, sandbox, path, **params):
    return http.get(sandbox.url + path, params=params, timeout=10)


def admin(http, sandbox, path, payload):
    response = http.post(f"{sandbox.url}/_sandbox/boamp/{path}", json=payload, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def manifest(http, sandbox):
    return get(http, sandbox, "/_sandbox/boamp/manifest").json()


def export(http, sandbox, **params):
    response = get(http, sandbox, EXPORT, **params)
    assert response.status_code == 200
    return response.json()


# -- /records --------------------------------------------------------------------


def test_records_default_page_and_envelope(sandbox, http):
    response = get(http, sandbox, RECORDS)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"total_count", "results"}
    assert body["total_count"] == 4 + 1 + 24 + 300  # real, legacy, eForms examples, generated
    assert len(body["results"]) == 10
    assert all("fields" not in record for record in body["results"])  # flat records


def test_record_shapes_match_the_real_records(sandbox, http):
    """Same 41 keys in the same order, same JSON type per key as the real records."""
    real = real_records()
    keys = list(real[0])
    assert len(keys) == 41
    assert list(boamp_generator.RECORD_FIELDS) == keys
    real_types = {key: {type(r[key]) for r in real} - {type(None)} for key in keys}
    served = export(http, sandbox, where="dateparution >= date'2024-01-01'")
    assert len(served) > 250
    for record in real + served:
        assert list(record) == keys
        for key, value in record.items():
            if value is None:
                continue
            expected = list if key in LIST_FIELDS else str
            assert isinstance(value, expected), (record["idweb"], key, value)
            if real_types[key]:
                assert type(value) in real_types[key], (record["idweb"], key)
        for key in ("donnees", "gestion"):
            assert isinstance(json.loads(record[key]), dict)


def test_paging_the_nightly_query_matches_the_export(sandbox, http):
    since = date.today() - timedelta(days=30)
    where = nightly_where(since)
    order = "dateparution desc, idweb asc"
    seen, offset, total = [], 0, None
    while total is None or offset < total:
        body = get(http, sandbox, RECORDS, where=where, order_by=order, limit=100, offset=offset)
        body = body.json()
        total = body["total_count"]
        seen += [record["idweb"] for record in body["results"]]
        offset += 100
    assert total > 100  # at least two pages
    assert len(seen) == len(set(seen)) == total
    assert seen == [
        record["idweb"] for record in export(http, sandbox, where=where, order_by=order)
    ]
    assert sandbox.calls(RECORDS) == -(-total // 100)


def test_nightly_query_finds_every_relevant_notice_of_the_window(sandbox, http):
    since = date.today() - timedelta(days=7)
    categories = manifest(http, sandbox)
    found = export(http, sandbox, where=nightly_where(since))
    assert found
    everything = export(http, sandbox)
    expected = {
        r["idweb"]
        for r in everything
        if categories[r["idweb"]] in ("relevant", "relevant_lot")
        and r["dateparution"] >= since.isoformat()
    }
    assert expected
    assert expected <= {r["idweb"] for r in found}
    for record in found:
        assert record["dateparution"] >= since.isoformat()
        places = set(record["code_departement"]) | {record["code_departement_prestation"]}
        assert places & set(HOME)
        assert categories[record["idweb"]] != "elsewhere"


def test_order_by_several_keys(sandbox, http):
    results = export(http, sandbox, order_by="nature asc, dateparution desc, idweb asc")
    keys = [(r["nature"], r["dateparution"], r["idweb"]) for r in results]
    assert keys == sorted(keys, key=lambda k: (k[0], _desc(k[1]), k[2]))


def _desc(day):
    return -date.fromisoformat(day).toordinal()


def test_select_field_list_and_alias(sandbox, http):
    body = get(http, sandbox, RECORDS, select="idweb, objet AS title", limit=3).json()
    assert body["total_count"] == 329
    assert [list(r) for r in body["results"]] == [["idweb", "title"]] * 3


def test_refine_and_exclude(sandbox, http):
    refined = get(http, sandbox, RECORDS, refine="type_marche_facette:Travaux", limit=100).json()
    assert refined["total_count"] > 0
    assert all("Travaux" in r["type_marche_facette"] for r in refined["results"])
    excluded = get(http, sandbox, RECORDS, exclude="type_marche_facette:Travaux").json()
    assert refined["total_count"] + excluded["total_count"] == 329


def test_limit_zero_counts_only(sandbox, http):
    body = get(http, sandbox, RECORDS, where='nature="ATTRIBUTION"', limit=0).json()
    assert body["results"] == []
    assert body["total_count"] > 0


def test_offset_past_the_end_is_an_empty_page(sandbox, http):
    body = get(http, sandbox, RECORDS, offset=5000, limit=100).json()
    assert body == {"total_count": 329, "results": []}


def test_the_duret_boamp_client_reads_the_window_like_the_export(sandbox, http):
    """The project's own client (duret_boamp/lib) against the sandbox, over HTTP."""
    from tests.test_odsql import boamp_client_module

    client_module = boamp_client_module()
    admin(http, sandbox, "load", {"generate": {"count": 2500, "seed": 9}})
    since = date.today() - timedelta(days=40)
    client = client_module.BoampClient(sandbox.url, timeout=10, session=http, sleep=lambda _s: None)
    read = [r["idweb"] for r in client.iter_window(since, None, list(HOME), list(NATURES))]
    expected = export(http, sandbox, where=nightly_where(since))
    assert len(read) > 100
    assert sorted(read) == sorted(r["idweb"] for r in expected)
    assert client.http_calls == sandbox.calls(RECORDS)


# -- errors ----------------------------------------------------------------------


def test_limit_above_100_is_rejected(sandbox, http):
    response = get(http, sandbox, RECORDS, limit=101)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Invalid value for limit API parameter: 101 was found but "
        "-1 <= limit <= 100 is expected.",
        "error_code": "InvalidRESTParameterError",
    }


def test_offset_plus_limit_above_10000_is_rejected(sandbox, http):
    assert get(http, sandbox, RECORDS, offset=9900, limit=100).status_code == 200
    response = get(http, sandbox, RECORDS, offset=9901, limit=100)
    assert response.status_code == 400
    assert response.json() == {
        "message": "Invalid value for sum of offset + limit API parameter: 10001 was found "
        "but <= 10000 is expected.",
        "error_code": "InvalidRESTParameterError",
    }
    assert get(http, sandbox, RECORDS, offset=10000).status_code == 400  # default limit 10


@pytest.mark.parametrize("params", [{"limit": "ten"}, {"offset": "-1"}, {"offset": "x"}])
def test_non_numeric_or_negative_paging_is_rejected(sandbox, http, params):
    response = get(http, sandbox, RECORDS, **params)
    assert response.status_code == 400
    assert response.json()["error_code"] == "InvalidRESTParameterError"


@pytest.mark.parametrize(
    "params, clause",
    [
        ({"where": "nature = "}, "where"),
        ({"where": 'unknown_field="1"'}, "where"),
        ({"where": "(nature='APPEL_OFFRE'"}, "where"),
        ({"order_by": "idweb upwards"}, "order_by"),
        ({"select": "nope"}, "select"),
        ({"refine": "no-colon"}, "refine"),
    ],
)
def test_malformed_queries_answer_the_ods_error(sandbox, http, params, clause):
    for path in (RECORDS, EXPORT):
        response = get(http, sandbox, path, **params)
        assert response.status_code == 400
        body = response.json()
        assert body["error_code"] == "ODSQLError"
        assert body["message"].startswith("ODSQL query is malformed: ")
        assert body["message"].endswith(f"Clause(s) containing the error(s): {clause}.")


# -- export and descriptors -------------------------------------------------------


def test_export_is_a_bare_list_without_row_cap(sandbox, http):
    everything = export(http, sandbox)
    assert isinstance(everything, list)
    assert len(everything) == 329  # more than one /records page can hold
    assert len({r["idweb"] for r in everything}) == 329
    limited = export(http, sandbox, order_by="idweb desc", limit=5, offset=2)
    ordered = sorted((r["idweb"] for r in everything), reverse=True)
    assert [r["idweb"] for r in limited] == ordered[2:7]


def test_descriptor_dataset(sandbox, http):
    body = get(http, sandbox, DESCRIPTORS, order_by="mc_libelle", limit=100).json()
    rows = body["results"]
    assert body["total_count"] == len(rows) > 28
    assert all(set(row) == {"mc_code", "mc_libelle"} for row in rows)
    labels = {row["mc_libelle"]: row["mc_code"] for row in rows}
    assert labels["Prestations de services"] == "274"  # real code
    assert set(boamp_generator.DESCRIPTORS) <= set(labels)  # every label the generator uses
    assert [row["mc_libelle"] for row in rows] == sorted(labels)
    found = get(http, sandbox, DESCRIPTORS, where='mc_libelle="Electricité (travaux)"').json()
    assert found["total_count"] == 1
    alias = get(http, sandbox, DESCRIPTORS.replace("boamp/", "boamp%2F/"), limit=1)
    assert alias.status_code == 200
    assert get(http, sandbox, DESCRIPTORS, limit=500).status_code == 400


# -- faults ----------------------------------------------------------------------


def add_fault(http, sandbox, kind, **extra):
    spec = {"route": RECORDS, "kind": kind, "count": 1, **extra}
    assert http.post(sandbox.url + "/_sandbox/faults", json=spec, timeout=5).status_code == 200


@pytest.mark.parametrize("kind", ["429", "500", "503"])
def test_http_error_faults(sandbox, http, kind):
    add_fault(http, sandbox, kind)
    response = get(http, sandbox, RECORDS)
    assert response.status_code == int(kind)
    if kind == "429":
        assert response.headers["Retry-After"] == "1"
    assert get(http, sandbox, RECORDS).status_code == 200  # count=1: next call is fine
    counters = http.get(sandbox.url + "/_sandbox/counters", timeout=5).json()
    route_counts = next(v for k, v in counters.items() if "boamp" in k and "records" in k)
    assert route_counts == {kind: 1, "200": 1}


def test_malformed_fault(sandbox, http):
    add_fault(http, sandbox, "malformed")
    response = get(http, sandbox, RECORDS)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_drop_fault(sandbox, http):
    add_fault(http, sandbox, "drop")
    with pytest.raises(requests.ConnectionError):
        get(http, sandbox, RECORDS)
    assert requests.get(sandbox.url + RECORDS, timeout=10).status_code == 200


def test_hang_fault(sandbox, http):
    add_fault(http, sandbox, "hang", seconds=1.0)
    with pytest.raises(requests.Timeout):
        http.get(sandbox.url + RECORDS, timeout=0.3)
    assert requests.get(sandbox.url + RECORDS, timeout=10).status_code == 200


def test_fault_on_the_export_route_leaves_records_alone(sandbox, http):
    assert http.post(
        sandbox.url + "/_sandbox/faults", json={"route": EXPORT, "kind": "503"}, timeout=5
    ).ok
    assert get(http, sandbox, RECORDS).status_code == 200
    assert get(http, sandbox, EXPORT).status_code == 503


# -- admin: load, append, manifest, reset ------------------------------------------


def test_load_generated_dataset(sandbox, http):
    day = date(2026, 3, 2)
    answer = admin(
        http, sandbox, "load",
        {"generate": {"count": 400, "seed": 7, "day": day.isoformat(), "departements": ["05"]}},
    )  # fmt: skip
    assert answer["total_count"] == 400
    records = export(http, sandbox)
    categories = manifest(http, sandbox)
    assert set(categories) == {r["idweb"] for r in records}
    dates = [date.fromisoformat(r["dateparution"]) for r in records]
    assert max(dates) <= day
    assert min(dates) >= day - timedelta(days=45)
    assert sum(d >= day - timedelta(days=7) for d in dates) > 50
    for record in records:
        if categories[record["idweb"]] in ("relevant", "relevant_lot", "energy_supply"):
            places = set(record["code_departement"]) | {record["code_departement_prestation"]}
            assert "05" in places


def test_generated_categories_have_their_traits(sandbox, http):
    admin(http, sandbox, "load", {"generate": {"count": 1500, "seed": 11}})
    records = {r["idweb"]: r for r in export(http, sandbox)}
    categories = manifest(http, sandbox)
    counts = Counter(categories.values())
    assert set(counts) == set(boamp_generator.INITIAL_CATEGORIES) | set(
        boamp_generator.FOLLOW_UP_CATEGORIES
    )
    no_fourniture = 0
    for idweb, category in categories.items():
        record, donnees = records[idweb], records[idweb]["donnees"]
        if category == "relevant_lot":
            assert "lectricit" in record["objet"] and "lot" in record["objet"].lower()
            assert "09310000" in donnees or donnees.startswith('{"MAPA"')  # MAPA: no CPV
        elif category == "energy_supply":
            cpvs = ("0931", "0930", "09123000")
            assert any(c in donnees for c in cpvs) or donnees.startswith('{"MAPA"')
            no_fourniture += "fourniture" not in record["objet"].lower()
        elif category in boamp_generator.FOLLOW_UP_CATEGORIES:
            (linked,) = record["annonce_lie"]
            original = records[linked]
            assert original["dateparution"] <= record["dateparution"]
            assert categories[linked] in boamp_generator.INITIAL_CATEGORIES
            if original["contractfolderid"] and json.loads(donnees).get("EFORMS"):
                assert record["contractfolderid"] == original["contractfolderid"]
            if category == "attribution":
                assert record["titulaire"]
        else:
            assert record["annonce_lie"] is None
    assert no_fourniture > 0  # supply contracts whose objet never says "fourniture"


def test_load_records_replaces_and_append_adds_or_replaces(sandbox, http):
    real = real_records()
    admin(http, sandbox, "load", {"records": real[:2], "manifest": {"26-7298": "mine"}})
    assert [r["idweb"] for r in export(http, sandbox)] == ["26-7298", "26-7308"]
    assert manifest(http, sandbox) == {"26-7298": "mine"}
    rectificatif = dict(real[0], idweb="26-9999", nature="RECTIFICATIF", annonce_lie=["26-7298"])
    changed = dict(real[1], objet="Objet modifié")
    admin(http, sandbox, "append", {"records": [rectificatif, changed]})
    served = {r["idweb"]: r for r in export(http, sandbox)}
    assert set(served) == {"26-7298", "26-7308", "26-9999"}
    assert served["26-7308"]["objet"] == "Objet modifié"
    follow_ups = export(http, sandbox, where='annonce_lie="26-7298"')
    assert [r["idweb"] for r in follow_ups] == ["26-9999"]


def test_append_generated_notices_never_reuses_an_idweb(sandbox, http):
    before = {r["idweb"] for r in export(http, sandbox)}
    answer = admin(http, sandbox, "append", {"generate": {"count": 20, "seed": 1}})
    assert len(answer["idwebs"]) == 20
    assert not set(answer["idwebs"]) & before
    assert answer["total_count"] == len(before) + 20


@pytest.mark.parametrize(
    "payload", [{}, {"records": "x"}, {"records": [1]}, {"generate": {"count": "many"}}]
)
def test_admin_rejects_bad_payloads(sandbox, http, payload):
    response = http.post(sandbox.url + "/_sandbox/boamp/load", json=payload, timeout=5)
    assert response.status_code == 400
    assert get(http, sandbox, RECORDS).json()["total_count"] == 329


def test_reset_restores_the_seed_dataset(sandbox, http):
    seed = export(http, sandbox)
    admin(http, sandbox, "load", {"records": []})
    assert get(http, sandbox, RECORDS).json() == {"total_count": 0, "results": []}
    assert http.post(sandbox.url + "/_sandbox/reset", timeout=30).ok
    assert export(http, sandbox) == seed


def test_seed_manifest_labels_every_record(sandbox, http):
    categories = manifest(http, sandbox)
    assert len(categories) == 329
    counts = Counter(categories.values())
    assert counts["real_fixture"] == 5
    assert counts["eforms_example"] == 24


# -- generator and donnees shapes --------------------------------------------------


def test_generator_is_deterministic():
    day = date(2026, 11, 23)
    first = boamp_generator.generate(200, seed=42, day=day)
    assert first == boamp_generator.generate(200, seed=42, day=day)
    other = boamp_generator.generate(200, seed=43, day=day)
    assert [r["objet"] for r in first[0]] != [r["objet"] for r in other[0]]


def test_generated_load_is_deterministic_over_http(sandbox, http):
    spec = {"generate": {"count": 50, "seed": 5, "day": "2026-06-01"}}
    admin(http, sandbox, "load", spec)
    first = export(http, sandbox)
    admin(http, sandbox, "load", spec)
    assert export(http, sandbox) == first


ROOTS = {
    "EFORMS": {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice"},
    "FNSimple": {"organisme"},
    "MAPA": {"organisme"},
    "DSP": {"organisme", "initial"},
}


def test_every_donnees_shape_parses_with_its_root_keys(sandbox, http):
    shapes = Counter()
    for record in export(http, sandbox):
        donnees = json.loads(record["donnees"])
        gestion = json.loads(record["gestion"])
        assert gestion["REFERENCE"]["IDWEB"] == record["idweb"]
        assert "INDEXATION" in gestion
        (root,) = donnees if len(donnees) == 1 else ("LEGACY",)
        if root == "LEGACY":
            assert {"IDENTITE", "OBJET"} <= set(donnees)
        else:
            assert set(donnees[root]) & ROOTS[root], (record["idweb"], root)
        shapes[root] += 1
    assert set(shapes) == {"EFORMS", "FNSimple", "MAPA", "DSP", "LEGACY"}


def test_generated_eforms_donnees_carry_the_documented_paths():
    records, categories = boamp_generator.generate(300, seed=3, day=date(2026, 11, 23))
    checked = 0
    for record in records:
        donnees = json.loads(record["donnees"])
        notice = donnees.get("EFORMS", {}).get("ContractNotice")
        if not notice or record["nature"] != "APPEL_OFFRE":
            continue
        project = notice["cac:ProcurementProject"]
        code = project["cac:MainCommodityClassification"]["cbc:ItemClassificationCode"]
        assert code["@listName"] == "cpv" and len(code["#text"]) == 8
        assert notice["cbc:ContractFolderID"] == record["contractfolderid"]
        lots = notice["cac:ProcurementProjectLot"]
        lot = lots[0] if isinstance(lots, list) else lots
        period = lot["cac:TenderingProcess"]["cac:TenderSubmissionDeadlinePeriod"]
        if record["datelimitereponse"]:
            assert period["cbc:EndDate"][:10] == record["datelimitereponse"][:10]
        checked += 1
    assert checked > 20


def test_eforms_conversion_of_an_official_example():
    xml = (fixtures_dir() / "eforms" / "cn_24_FRA_comments.xml").read_bytes()
    notice = eforms.xml_to_donnees(xml)["EFORMS"]["ContractNotice"]
    assert notice["@xmlns:cbc"].endswith("CommonBasicComponents-2")
    project = notice["cac:ProcurementProject"]
    assert project["cac:MainCommodityClassification"]["cbc:ItemClassificationCode"] == {
        "@listName": "cpv",
        "#text": "77310000",
    }
    assert isinstance(notice["cac:ProcurementProjectLot"], list)  # repeated → list
    assert isinstance(notice["cac:TenderingProcess"], dict)  # single → dict
    assert notice["cbc:UBLVersionID"] == "2.3"  # text only → plain string
    extension = notice["ext:UBLExtensions"]["ext:UBLExtension"]["ext:ExtensionContent"]
    organizations = extension["efext:EformsExtension"]["efac:Organizations"]["efac:Organization"]
    assert organizations[0]["efac:Company"]["cac:PartyName"]["cbc:Name"]["#text"] == "Rouen Habitat"


def test_eforms_parser_resolves_no_entity(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE n [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<ContractNotice xmlns:cbc="urn:cbc"><cbc:Note>&x;</cbc:Note></ContractNotice>'
    ).encode()
    converted = json.dumps(eforms.xml_to_donnees(xml))
    assert "TOP SECRET" not in converted
