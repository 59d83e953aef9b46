"""API Entreprise double, over real HTTP: every route, every error path, documents.

Reference payloads are the staging cases of the shared fixtures, read here
independently of the sandbox's own loader where the comparison matters.
"""

import calendar
import datetime
import json

import pytest
import requests

from tests.sandbox import api_entreprise as ae
from tests.sandbox import company_data
from tests.sandbox.fixtures import fixtures_dir

DURET = company_data.DURET
PARAMS = {"recipient": company_data.DEFAULT_RECIPIENT, "context": "Test", "object": "Test"}
URSSAF = "/v4/urssaf/unites_legales/{}/attestation_vigilance"
CIBTP = "/v3/cibtp/etablissements/{}/attestation_cotisations_conges_payes_chomage_intemperies"
INSEE_UNIT = "/v4/insee/sirene/unites_legales/{}"


def assert_same_shape(actual, reference, path="$"):
    """Same keys and same JSON types, recursively (null matches any type: nullable fields)."""
    if actual is None or reference is None:
        return
    if isinstance(reference, dict):
        assert isinstance(actual, dict), f"{path}: {type(actual).__name__} instead of object"
        assert set(actual) == set(reference), f"{path}: keys {set(actual) ^ set(reference)}"
        for key, value in reference.items():
            assert_same_shape(actual[key], value, f"{path}.{key}")
    elif isinstance(reference, list):
        assert isinstance(actual, list), f"{path}: {type(actual).__name__} instead of array"
        for index, item in enumerate(actual):
            if reference:
                assert_same_shape(item, reference[0], f"{path}[{index}]")
    elif isinstance(reference, bool) or isinstance(actual, bool):
        assert type(actual) is type(reference), f"{path}: {actual!r} vs {reference!r}"
    elif isinstance(reference, (int, float)):
        assert isinstance(actual, (int, float)), f"{path}: {actual!r} is not a number"
    else:
        assert isinstance(actual, type(reference)), f"{path}: {actual!r} vs {reference!r}"


def staging_cases(operation):
    """``[(id, status, payload)]`` straight from the fixture YAML files."""
    import yaml

    folder = fixtures_dir() / "api_entreprise" / "siade_staging_data" / operation
    cases = []
    for path in sorted(folder.glob("*.y*ml")):
        with open(path, encoding="utf-8") as handle:
            for doc in filter(None, yaml.safe_load_all(handle)):
                (identifier,) = doc["params"].values()
                cases.append((str(identifier), doc["status"], json.loads(doc["payload"])))
    return cases


def path_for(endpoint, identifier):
    return endpoint.path.replace("{" + endpoint.id_name + "}", identifier)


def own_id(endpoint):
    return DURET["siret"] if endpoint.id_name == "siret" else DURET["siren"]


@pytest.fixture
def call(sandbox, http):
    def _call(path, token=ae.VALID_TOKEN, params=PARAMS, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return http.get(sandbox.url + path, headers=headers, params=params, **kwargs)

    return _call


@pytest.fixture
def configure(sandbox, http):
    def _configure(**spec):
        response = http.post(sandbox.url + "/_sandbox/api_entreprise/config", json=spec)
        assert response.status_code == 200, response.text
        return response.json()

    return _configure


# -- staging data and Duret -----------------------------------------------------

STAGING = [
    pytest.param(
        endpoint, identifier, status, payload, id=f"{endpoint.operation[15:]}-{identifier}"
    )
    for endpoint in ae.ENDPOINTS
    for identifier, status, payload in staging_cases(endpoint.operation)
]


@pytest.mark.parametrize("endpoint,identifier,status,payload", STAGING)
def test_staging_ids_answer_as_the_staging_data_says(call, endpoint, identifier, status, payload):
    response = call(path_for(endpoint, identifier))
    assert response.status_code == status
    assert response.json() == payload
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["X-Request-ID"]


DURET_ENDPOINTS = [pytest.param(e, id=e.operation[15:]) for e in ae.ENDPOINTS if e.duret]


@pytest.mark.parametrize("endpoint", DURET_ENDPOINTS)
def test_duret_answers_with_the_staging_shape(call, endpoint):
    response = call(path_for(endpoint, own_id(endpoint)))
    assert response.status_code == 200, response.text
    payload = response.json()
    references = [p for _i, s, p in staging_cases(endpoint.operation) if s == 200]
    assert_same_shape(payload, references[0])
    assert set(payload) == {"data", "links", "meta"}
    text = json.dumps(payload)
    assert DURET["siren"] in text or "/_documents/" in text or endpoint.duret == "as_staged"


def test_duret_document_urls_point_to_the_sandbox_and_serve_a_pdf(sandbox, call, http):
    for endpoint in ae.ENDPOINTS:
        if not endpoint.document or not endpoint.duret:
            continue
        payload = call(path_for(endpoint, own_id(endpoint))).json()
        data = payload["data"][0]["data"] if isinstance(payload["data"], list) else payload["data"]
        assert data["document_url"].startswith(sandbox.url + "/_documents/"), endpoint.path
        document = http.get(data["document_url"])
        assert document.status_code == 200
        assert document.headers["Content-Type"] == "application/pdf"
        assert document.content.startswith(b"%PDF")


def test_duret_dates_are_relative_to_today(call):
    today = datetime.date.today()
    urssaf = call(URSSAF.format(DURET["siren"])).json()["data"]
    start = datetime.date.fromisoformat(urssaf["date_debut_validite"])
    end = datetime.date.fromisoformat(urssaf["date_fin_validite"])
    assert start < today and (today - start).days <= 31
    assert end.day == calendar.monthrange(end.year, end.month)[1]
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 6
    assert urssaf["entity_status"]["code"] == "ok"

    qualifelec = call(f"/v3/qualifelec/etablissements/{DURET['siret']}/certificats").json()
    certificate = qualifelec["data"][0]["data"]
    assert certificate["date_fin"] == (today + datetime.timedelta(days=20)).isoformat()
    assert certificate["rge"] is True

    rge = call(f"/v3/ademe/etablissements/{DURET['siret']}/certification_rge").json()["data"]
    valid = [c["data"] for c in rge if not c["data"]["meta"]["archived"]]
    assert valid and valid[0]["date_expiration"] > today.isoformat()
    archived = [c["data"] for c in rge if c["data"]["meta"]["archived"]]
    assert archived and archived[0]["date_expiration"] < today.isoformat()


def test_duret_identity_and_closed_establishment(call):
    unit = call(INSEE_UNIT.format(DURET["siren"])).json()
    assert unit["data"]["personne_morale_attributs"]["raison_sociale"] == DURET["name"]
    assert unit["data"]["activite_principale"]["code"] == "43.21A"
    assert unit["data"]["siret_siege_social"] == DURET["siret"]
    siege = call(f"/v4/insee/sirene/etablissements/{DURET['siret']}").json()["data"]
    assert (siege["etat_administratif"], siege["siege_social"]) == ("A", True)
    assert siege["adresse"]["code_postal"] == "73200"
    closed_siret = company_data.DURET_CLOSED["siret"]
    closed = call(f"/v4/insee/sirene/etablissements/{closed_siret}").json()["data"]
    assert (closed["etat_administratif"], closed["siege_social"]) == ("F", False)
    assert isinstance(closed["date_fermeture"], int)


def test_duret_is_out_of_the_opqibi_perimeter(call):
    response = call(f"/v3/opqibi/unites_legales/{DURET['siren']}/certification_ingenierie")
    assert response.status_code == 404
    (error,) = response.json()["errors"]
    assert error["title"] == "Entité non trouvée"


def test_unknown_id_gets_the_providers_404_envelope(call):
    response = call(URSSAF.format("123456782"))
    assert response.status_code == 404
    (error,) = response.json()["errors"]
    assert error["code"] == "04003" and error["meta"]["provider"] == "ACOSS"
    # INSEE legal units record no 404: INSEE's establishment one is served
    response = call(INSEE_UNIT.format("123456782"))
    assert response.status_code == 404
    assert response.json()["errors"][0]["meta"]["provider"] == "INSEE"


def test_rge_limit_parameter(call):
    path = f"/v3/ademe/etablissements/{DURET['siret']}/certification_rge"
    assert len(call(path).json()["data"]) == 2
    assert len(call(path, params=dict(PARAMS, limit="1")).json()["data"]) == 1


# -- authentication and authorisation --------------------------------------------


@pytest.mark.parametrize(
    "token,code",
    [
        (None, "00101"),
        ("not-a-token", "00101"),
        (ae.EXPIRED_TOKEN, "00103"),
    ],
)
def test_bad_tokens_get_401(call, token, code):
    response = call(URSSAF.format(DURET["siren"]), token=token)
    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert error["code"] == code
    assert error["source"] == {"parameter": "token"}
    assert "RateLimit-Limit" not in response.headers


def test_a_token_expires_on_demand(call, configure):
    assert call(URSSAF.format(DURET["siren"])).status_code == 200
    configure(expire_token=ae.VALID_TOKEN)
    response = call(URSSAF.format(DURET["siren"]))
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "00103"


def test_missing_scope_gets_403(call):
    response = call(URSSAF.format(DURET["siren"]), token=ae.LIMITED_TOKEN)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "00100"
    assert call(INSEE_UNIT.format(DURET["siren"]), token=ae.LIMITED_TOKEN).status_code == 200


# -- parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,params,code,parameter",
    [
        (
            URSSAF.format(DURET["siren"]),
            {"context": "Test", "object": "Test"},
            "00203",
            "recipient",
        ),
        (
            URSSAF.format(DURET["siren"]),
            {"recipient": PARAMS["recipient"], "object": "Test"},
            "00201",
            "context",
        ),
        (
            URSSAF.format(DURET["siren"]),
            {"recipient": PARAMS["recipient"], "context": "Test"},
            "00202",
            "object",
        ),
        (URSSAF.format(DURET["siren"]), dict(PARAMS, object="x" * 50), "00202", "object"),
        (
            URSSAF.format(DURET["siren"]),
            dict(PARAMS, recipient=DURET["siret"]),
            "00211",
            "recipient",
        ),
        (
            CIBTP.format(DURET["siret"]),
            dict(PARAMS, recipient=DURET["siret"]),
            "00211",
            "recipient",
        ),
        (URSSAF.format("84231765"), PARAMS, "00301", "siren"),
        (CIBTP.format("8423176530001A"), PARAMS, "00302", "siret"),
    ],
)
def test_parameter_errors_get_422(call, path, params, code, parameter):
    response = call(path, params=params)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (error["code"], error["source"]) == (code, {"parameter": parameter})
    assert error["title"] == "Entité non traitable"


def test_every_parameter_error_is_listed(call):
    response = call(URSSAF.format("12"), params={})
    assert response.status_code == 422
    codes = [e["code"] for e in response.json()["errors"]]
    assert codes == ["00301", "00201", "00202", "00203"]


def test_object_of_49_characters_is_accepted(call):
    assert call(URSSAF.format(DURET["siren"]), params=dict(PARAMS, object="x" * 49)).ok


# -- rate limits --------------------------------------------------------------------


def test_rate_limit_headers_decrease_then_429(call, configure):
    configure(rate_limit_documents=3)
    remaining = []
    for _ in range(3):
        response = call(URSSAF.format(DURET["siren"]))
        assert response.status_code == 200
        assert response.headers["RateLimit-Limit"] == "3"
        remaining.append(int(response.headers["RateLimit-Remaining"]))
        reset = int(response.headers["RateLimit-Reset"])
    assert remaining == [2, 1, 0]
    response = call(URSSAF.format(DURET["siren"]))
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "00429"
    assert response.headers["RateLimit-Remaining"] == "0"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert int(response.headers["RateLimit-Reset"]) == reset
    # JSON endpoints have their own budget
    json_call = call(INSEE_UNIT.format(DURET["siren"]))
    assert json_call.status_code == 200
    assert json_call.headers["RateLimit-Limit"] == "250"


def test_default_limits_are_the_documented_ones(call):
    assert call(URSSAF.format(DURET["siren"])).headers["RateLimit-Limit"] == "50"
    assert call(INSEE_UNIT.format(DURET["siren"])).headers["RateLimit-Limit"] == "250"


def test_config_rejects_unknown_keys(sandbox, http):
    response = http.post(sandbox.url + "/_sandbox/api_entreprise/config", json={"bogus": 1})
    assert response.status_code == 400


# -- provider failures from the staging data -------------------------------------------


@pytest.mark.parametrize(
    "path,status,code",
    [
        (CIBTP.format("20459446201414"), 504, "38002"),
        (
            "/v3/cnetp/unites_legales/204594462/"
            "attestation_cotisations_conges_payes_chomage_intemperies",
            504,
            None,
        ),
        ("/v3/insee/sirene/etablissements/61229628734734/successions", 502, "01999"),
        ("/v3/insee/sirene/etablissements/39197770100914/successions", 504, "01001"),
    ],
)
def test_provider_failures(call, path, status, code):
    response = call(path)
    assert response.status_code == status
    errors = response.json()["errors"]
    assert errors and all({"code", "title", "detail"} <= set(e) for e in errors)
    if code:
        assert errors[0]["code"] == code


# -- document URLs ---------------------------------------------------------------------


def test_document_ttl_is_configurable_and_urls_expire(call, configure, http):
    configure(document_ttl=120)
    data = call(URSSAF.format(DURET["siren"])).json()["data"]
    assert data["document_url_expires_in"] == 120
    assert http.get(data["document_url"]).status_code == 200

    configure(document_ttl=0)
    data = call(URSSAF.format(DURET["siren"])).json()["data"]
    assert data["document_url_expires_in"] == 0
    assert http.get(data["document_url"]).status_code == 410


def test_expire_documents_kills_issued_urls(sandbox, call, http):
    url = call(URSSAF.format(DURET["siren"])).json()["data"]["document_url"]
    assert http.get(url).status_code == 200
    assert http.post(sandbox.url + "/_sandbox/api_entreprise/expire_documents").ok
    expired = http.get(url)
    assert expired.status_code == 410
    assert b"<Code>AccessDenied</Code>" in expired.content
    assert http.get(sandbox.url + "/_documents/unknown-key.pdf").status_code == 404


def test_default_ttl_is_the_staging_one(call):
    cibtp = call(CIBTP.format(DURET["siret"])).json()["data"]
    assert cibtp["expires_in"] == 600  # CIBTP files are deleted after 10 minutes
    urssaf = call(URSSAF.format(DURET["siren"])).json()["data"]
    assert urssaf["document_url_expires_in"] == 86400


def test_reset_restores_defaults(sandbox, call, configure, http):
    configure(document_ttl=0, rate_limit_documents=1, expire_token=ae.VALID_TOKEN)
    assert http.post(sandbox.url + "/_sandbox/reset").ok
    response = call(URSSAF.format(DURET["siren"]))
    assert response.status_code == 200
    assert response.headers["RateLimit-Limit"] == "50"
    assert http.get(response.json()["data"]["document_url"]).status_code == 200


# -- core faults and counters -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["429", "500", "503", "malformed", "drop", "hang"])
def test_core_faults_on_api_entreprise(sandbox, call, http, kind):
    fault = {"route": "/v4/urssaf/", "kind": kind, "count": 1, "seconds": 1.5}
    assert http.post(sandbox.url + "/_sandbox/faults", json=fault).ok
    path = URSSAF.format(DURET["siren"])
    if kind == "drop":
        with pytest.raises(requests.ConnectionError):
            call(path)
    elif kind == "hang":
        with pytest.raises(requests.Timeout):
            call(path, timeout=0.3)
    else:
        response = call(path)
        if kind == "malformed":
            assert response.status_code == 200
            with pytest.raises(ValueError):
                response.json()
        else:
            assert response.status_code == int(kind)
            if kind == "429":
                assert response.headers["Retry-After"]
    assert call(path).status_code == 200  # the fault was used up


def test_calls_are_counted(sandbox, call, http):
    call(URSSAF.format(DURET["siren"]))
    call(URSSAF.format("123456782"))
    counters = http.get(sandbox.url + "/_sandbox/counters").json()
    (key,) = [k for k in counters if "urssaf" in k and k.startswith("GET /v4/")]
    assert counters[key] == {"200": 1, "404": 1}
