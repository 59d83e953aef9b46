"""PISTE OAuth2 double: token endpoint, expiry, gateway 401/403, over real HTTP."""

import base64
import json

import pytest

from tests.sandbox.fixtures import fixtures_dir

CLIENT = {"client_id": "duret-sandbox-client", "client_secret": "duret-sandbox-secret"}
ACCOUNT = base64.b64encode(b"TECH_1_duret@cpro.fr:duret-sandbox-password").decode()
CHORUS_CALL = "/cpro/structures/v1/rechercher"


def get_token(sandbox, http, **overrides):
    form = {"grant_type": "client_credentials", "scope": "openid", **CLIENT, **overrides}
    return http.post(f"{sandbox.url}/api/oauth/token", data=form, timeout=10)


def chorus_call(sandbox, http, token, path=CHORUS_CALL):
    return http.post(
        f"{sandbox.url}{path}",
        json={"structure": {"identifiantStructure": "84231765300017"}},
        headers={"Authorization": f"Bearer {token}", "cpro-account": ACCOUNT},
        timeout=10,
    )


def admin(sandbox, http, path, payload=None):
    response = http.post(f"{sandbox.url}/_sandbox/piste/{path}", json=payload or {}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_token_has_the_documented_shape(sandbox, http):
    response = get_token(sandbox, http)
    assert response.status_code == 200
    body = response.json()
    real_file = fixtures_dir() / "chorus/go-choruspro/oauth_token.response.json"
    real = json.loads(real_file.read_text())
    for key, value in real.items():
        assert type(body[key]) is type(value), key
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "openid"
    assert response.headers["Cache-Control"] == "no-store"
    assert chorus_call(sandbox, http, body["access_token"]).status_code == 200


def test_token_accepts_http_basic_client_authentication(sandbox, http):
    basic = base64.b64encode(b"duret-sandbox-client:duret-sandbox-secret").decode()
    response = http.post(
        f"{sandbox.url}/api/oauth/token",
        data={"grant_type": "client_credentials", "scope": "openid"},
        headers={"Authorization": f"Basic {basic}"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["access_token"]


@pytest.mark.parametrize(
    "overrides",
    [{"client_secret": "wrong"}, {"client_id": "someone-else"}, {"client_secret": ""}],
    ids=["bad-secret", "unknown-client", "empty-secret"],
)
def test_bad_client_credentials_answer_401_invalid_client(sandbox, http, overrides):
    response = get_token(sandbox, http, **overrides)
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["error_description"]
    assert "access_token" not in body


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": ""}, "invalid_request"),
        ({"scope": "resource.WRITE"}, "invalid_scope"),
    ],
)
def test_bad_token_requests_answer_400(sandbox, http, overrides, error):
    response = get_token(sandbox, http, **overrides)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_token_request_must_be_form_encoded(sandbox, http):
    response = http.post(
        f"{sandbox.url}/api/oauth/token",
        json={"grant_type": "client_credentials", **CLIENT},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_configured_lifetime_applies_to_new_tokens(sandbox, http):
    assert admin(sandbox, http, "config", {"token_lifetime": 120}) == {"token_lifetime": 120}
    assert get_token(sandbox, http).json()["expires_in"] == 120


def test_a_token_past_its_lifetime_is_refused(sandbox, http):
    admin(sandbox, http, "config", {"token_lifetime": 0})
    token = get_token(sandbox, http).json()["access_token"]
    response = chorus_call(sandbox, http, token)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_expire_now_kills_issued_tokens_only(sandbox, http):
    old = get_token(sandbox, http).json()["access_token"]
    assert chorus_call(sandbox, http, old).status_code == 200
    assert admin(sandbox, http, "expire")["expired"] == 1
    assert chorus_call(sandbox, http, old).status_code == 401
    fresh = get_token(sandbox, http).json()["access_token"]
    assert chorus_call(sandbox, http, fresh).status_code == 200


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer not-a-token", "Basic abc"])
def test_chorus_calls_without_a_valid_bearer_answer_401(sandbox, http, authorization):
    headers = {"cpro-account": ACCOUNT}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = http.post(f"{sandbox.url}{CHORUS_CALL}", json={}, headers=headers, timeout=10)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_forbidden_api_answers_403_until_allowed_again(sandbox, http):
    token = get_token(sandbox, http).json()["access_token"]
    assert admin(sandbox, http, "forbid", {"api": "structures"}) == {"forbidden": ["structures"]}
    response = chorus_call(sandbox, http, token)
    assert response.status_code == 403
    assert "structures" in response.json()["error_description"]
    other = chorus_call(sandbox, http, token, "/cpro/transverses/v1/consulterCRDetaille")
    assert other.status_code != 403
    admin(sandbox, http, "forbid", {"api": "structures", "forbidden": False})
    assert chorus_call(sandbox, http, token).status_code == 200


def test_forbid_rejects_an_unknown_api_name(sandbox, http):
    response = http.post(f"{sandbox.url}/_sandbox/piste/forbid", json={"api": "boamp"}, timeout=10)
    assert response.status_code == 400


def test_reset_restores_lifetime_and_subscriptions(sandbox, http):
    admin(sandbox, http, "config", {"token_lifetime": 5})
    admin(sandbox, http, "forbid", {"api": "structures"})
    http.post(f"{sandbox.url}/_sandbox/reset", timeout=10)
    token = get_token(sandbox, http).json()
    assert token["expires_in"] == 3600
    assert chorus_call(sandbox, http, token["access_token"]).status_code == 200


def test_token_calls_are_counted(sandbox, http):
    get_token(sandbox, http)
    get_token(sandbox, http, client_secret="wrong")
    counters = http.get(f"{sandbox.url}/_sandbox/counters", timeout=10).json()
    assert counters["POST /api/oauth/token"] == {"200": 1, "401": 1}
