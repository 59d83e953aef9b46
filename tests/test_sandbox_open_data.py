"""Recherche d'entreprises and ADEME RGE doubles, over real HTTP."""

import json

import pytest
import requests

from tests.sandbox import company_data
from tests.sandbox.fixtures import fixtures_dir
from tests.test_sandbox_api_entreprise import assert_same_shape

DURET = company_data.DURET
CLOSED = company_data.DURET_CLOSED
MOCKS = fixtures_dir() / "api_entreprise" / "recherche_entreprises" / "annuaire-site-e2e-mock"
RGE = fixtures_dir() / "api_entreprise" / "ademe_rge_mon-devis-sans-oublis"
HISTORY = "/data-fair/api/v1/datasets/historique-rge/lines"
CURRENT = "/data-fair/api/v1/datasets/liste-des-entreprises-rge-2/lines"


def recorded(name):
    return json.loads((MOCKS / name).read_text(encoding="utf-8"))["result"]


@pytest.fixture
def search(sandbox, http):
    """``/search`` with the per-second limit off, so tests only see what they ask for."""
    http.post(sandbox.url + "/_sandbox/recherche_entreprises/config", json={"rate_limit": None})

    def _search(**params):
        return http.get(sandbox.url + "/search", params=params)

    return _search


@pytest.fixture
def lines(sandbox, http):
    def _lines(path, **params):
        response = http.get(sandbox.url + path, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    return _lines


# -- Recherche d'entreprises ---------------------------------------------------------


def test_duret_by_siren_has_the_recorded_company_shape(search):
    response = search(q=DURET["siren"])
    assert response.status_code == 200
    payload = response.json()
    reference = recorded("search-487444697.json")
    assert set(payload) == set(reference)
    assert payload["total_results"] == 1 and payload["total_pages"] == 1
    (unit,) = payload["results"]
    finances = unit.pop("finances")  # keyed by year: a map, not a record
    expected = dict(reference["results"][0])
    assert set(next(iter(finances.values()))) == set(next(iter(expected.pop("finances").values())))
    assert_same_shape(unit, expected)
    assert unit["nom_complet"] == DURET["name"]
    assert unit["siege"]["siret"] == DURET["siret"]
    assert unit["siege"]["code_postal"] == "73200"
    assert unit["activite_principale"] == "43.21A"
    assert unit["nature_juridique"] == "5710"
    assert unit["etat_administratif"] == "A"
    assert unit["complements"]["est_administration"] is False
    assert unit["matching_etablissements"] == []  # as recorded for a SIREN lookup


def test_closed_establishment_is_flagged(search):
    (unit,) = search(q=CLOSED["siret"]).json()["results"]
    (etab,) = unit["matching_etablissements"]
    assert (etab["siret"], etab["etat_administratif"]) == (CLOSED["siret"], "F")
    assert etab["date_fermeture"] == CLOSED["date_fermeture"]
    assert etab["est_siege"] is False
    assert unit["nombre_etablissements_ouverts"] == unit["nombre_etablissements"] - 1


def test_siret_lookup_ignores_the_other_filters(search):
    payload = search(q=DURET["siret"], departement="75").json()
    assert [u["siren"] for u in payload["results"]] == [DURET["siren"]]
    assert payload["results"][0]["matching_etablissements"][0]["siret"] == DURET["siret"]


def test_text_search_ignores_accents_and_case(search):
    payload = search(q="Duret Électricité").json()
    assert [u["siren"] for u in payload["results"]] == [DURET["siren"]]


def test_public_buyers_of_savoie(search):
    from tests.sandbox.chorus_directory import PUBLIC_BUYERS

    payload = search(departement="73", est_administration="true", per_page=25).json()
    sirets = {u["siege"]["siret"] for u in payload["results"]}
    savoie = {b["siret"] for b in PUBLIC_BUYERS if b["address"]["codePostal"].startswith("73")}
    assert savoie <= sirets
    assert DURET["siret"] not in sirets
    reference = recorded("search--label-rge-type-ct.json")["results"][1]  # a département
    for unit in payload["results"]:
        assert_same_shape(unit, reference)
        assert unit["nature_juridique"].startswith("7")
        assert unit["complements"]["est_administration"] is True


def test_albertville_is_a_local_authority(search):
    (unit,) = search(q="21730011000012").json()["results"]
    assert unit["nom_complet"] == "COMMUNE D'ALBERTVILLE"
    assert unit["nature_juridique"] == "7210"
    authority = unit["complements"]["collectivite_territoriale"]
    assert (authority["code_insee"], authority["niveau"]) == ("73011", "Commune")


def test_collectivite_filter_excludes_hospitals_and_schools(search):
    payload = search(est_collectivite_territoriale="true", code_postal="73000,73200").json()
    names = {u["nom_complet"] for u in payload["results"]}
    assert {"COMMUNE D'ALBERTVILLE", "COMMUNE DE CHAMBERY", "DEPARTEMENT DE LA SAVOIE"} <= names
    assert not any("HOSPITALIER" in n or "LYCEE" in n for n in names)
    assert all(u["complements"]["collectivite_territoriale"] for u in payload["results"])
    hospitals = search(nature_juridique="7364", departement="73").json()["results"]
    assert hospitals and all(
        u["complements"]["collectivite_territoriale"] is None for u in hospitals
    )


def test_recorded_companies_are_searchable(search):
    (unit,) = search(q="217500016").json()["results"]
    assert unit == recorded("search-217500016.json")["results"][0]
    ceased = search(q="ganymede", etat_administratif="C").json()["results"]
    assert ceased and all(u["etat_administratif"] == "C" for u in ceased)


def test_paging(search):
    first = search(q="la poste", per_page=3).json()
    assert first["per_page"] == 3 and first["page"] == 1
    assert first["total_pages"] == -(-first["total_results"] // 3)
    seen = []
    for page in range(1, first["total_pages"] + 1):
        seen += [u["siren"] for u in search(q="la poste", per_page=3, page=page).json()["results"]]
    assert len(seen) == len(set(seen)) == first["total_results"] > 3
    assert search(q="la poste", per_page=25).json()["total_pages"] == 1


@pytest.mark.parametrize(
    "params,message",
    [
        ({}, "Veuillez indiquer au moins un paramètre de recherche."),
        ({"page": "2"}, "Veuillez indiquer au moins un paramètre de recherche."),
        ({"q": "duret", "per_page": "26"}, "per_page"),
        ({"q": "duret", "page": "0"}, "page"),
        ({"est_administration": "peut-etre"}, "true"),
    ],
)
def test_bad_requests_get_400(search, params, message):
    response = search(**params)
    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_minimal_with_include(search):
    (unit,) = search(q=DURET["siren"], minimal="true", include="siege").json()["results"]
    assert "siege" in unit
    assert not {"complements", "dirigeants", "finances", "matching_etablissements"} & set(unit)


def test_unknown_siren_gives_an_empty_page(search):
    payload = search(q="12345678900003").json()
    assert payload == recorded("search-12345678900003.json")


def test_more_than_seven_requests_per_second_get_429(sandbox, http):
    statuses = []
    for _ in range(30):
        response = http.get(sandbox.url + "/search", params={"q": "duret"})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.headers["Retry-After"] == "1"
            assert "erreur" in response.json()
            break
    assert statuses[-1] == 429
    assert statuses.count(200) >= 7


def test_rate_limit_can_be_disabled(search):
    assert all(search(q="duret").status_code == 200 for _ in range(30))


# -- ADEME RGE -------------------------------------------------------------------------------


def test_history_pages_like_the_recording(lines, http):
    siret = "52503410400014"
    recorded_pages = [
        json.loads((RGE / f"historique-rge_lines_siret-{siret}_p{n}.json").read_text())
        for n in range(1, 11)
    ]
    page = lines(HISTORY, qs=f"siret:{siret}")
    pages = [page]
    while "next" in page:
        page = http.get(page["next"]).json()
        pages.append(page)
    assert len(pages) == len(recorded_pages)
    for ours, theirs in zip(pages, recorded_pages, strict=True):
        assert ours["total"] == theirs["total"] == 117
        assert set(ours) == set(theirs)
        assert sorted(ours["results"], key=lambda r: r["_id"]) == sorted(
            theirs["results"], key=lambda r: r["_id"]
        )


def test_duret_current_rge_certificate(lines, http):
    payload = lines(CURRENT, qs=f"siret:{DURET['siret']}", size=50)
    assert payload["total"] == 1 and "next" not in payload
    (row,) = payload["results"]
    assert row["siret"] == DURET["siret"]
    assert row["traitement_termine"] is False
    assert row["lien_date_fin"] > company_data.duret_dates()["today"]
    # data-fair leaves empty columns out, so recorded rows differ in keys: compare with all
    recorded_rows = json.loads(
        (RGE / "historique-rge_lines_siret-81176617900014_p1.json").read_text()
    )["results"]
    columns = set().union(*recorded_rows)
    assert set(row) <= columns
    assert set(row) >= set.intersection(*(set(r) for r in recorded_rows))
    assert_same_shape(
        {k: v for k, v in row.items() if k in recorded_rows[0]},
        {k: v for k, v in recorded_rows[0].items() if k in row},
    )
    certificate = http.get(row["url_qualification"])
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF")


def test_duret_history_by_siren_prefix(lines):
    payload = lines(HISTORY, qs=f"siret:{DURET['siren']}*")
    assert payload["total"] == 2
    assert sorted(r["traitement_termine"] for r in payload["results"]) == [False, True]


def test_unknown_siret_and_bad_requests(sandbox, lines, http):
    assert lines(HISTORY, qs="siret:12345678900000") == {"total": 0, "results": []}
    base = sandbox.url + HISTORY
    assert http.get(base, params={"size": "10001"}).status_code == 400
    assert http.get(sandbox.url + "/data-fair/api/v1/datasets/nope/lines").status_code == 404
    assert http.get(sandbox.url + "/_documents/ademe/nope.pdf").status_code == 404


def test_size_and_cursor(lines, http):
    first = lines(HISTORY, qs="siret:81176617900014", size=20)
    assert len(first["results"]) == 20 and "size=20" in first["next"]
    second = http.get(first["next"]).json()
    assert len(second["results"]) == 8 and "next" not in second
    ids = [r["_id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 28


# -- core faults on both services ----------------------------------------------------------


@pytest.mark.parametrize(
    "route,path",
    [
        ("/search", "/search?q=duret"),
        ("/data-fair/", HISTORY + "?qs=siret:84231765300017"),
    ],
)
@pytest.mark.parametrize("kind", ["429", "500", "503", "malformed", "drop", "hang"])
def test_core_faults(sandbox, search, http, route, path, kind):
    fault = {"route": route, "kind": kind, "count": 1, "seconds": 1.5}
    assert http.post(sandbox.url + "/_sandbox/faults", json=fault).ok
    url = sandbox.url + path
    if kind == "drop":
        with pytest.raises(requests.ConnectionError):
            http.get(url)
    elif kind == "hang":
        with pytest.raises(requests.Timeout):
            http.get(url, timeout=0.3)
    else:
        response = http.get(url)
        if kind == "malformed":
            with pytest.raises(ValueError):
                response.json()
        else:
            assert response.status_code == int(kind)
    assert http.get(url).status_code == 200
