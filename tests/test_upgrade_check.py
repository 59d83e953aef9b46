"""The comparison of ``tests/upgrade_check.py``: what counts as lost, what is only noted.

Snapshots are built by hand in the shape ``snapshot()`` writes (JSON: string keys).
"""

import copy

from tests.upgrade_check import compare


def field(model_id, model, name, values, computed=False, defaults=0, tracked=0):
    return {
        "model_id": model_id,
        "model": model,
        "name": name,
        "computed": computed,
        "values": values,
        "defaults": defaults,
        "tracked": tracked,
    }


BEFORE = {
    "models": {
        "10": {"model": "res.company", "table": "res_company", "rows": 2},
        "20": {
            "model": "duret.api.entreprise.call",
            "table": "duret_api_entreprise_call",
            "rows": 3,
            "messages": 4,
        },
    },
    "fields": {
        "100": field(
            "10", "res.company", "duret_ae_token", {"1": "secret", "2": "other"}, defaults=1
        ),
        "101": field("10", "res.company", "duret_ae_tracked_type_ids", {"1": [4, 7]}),
        "200": field(
            "20", "duret.api.entreprise.call", "endpoint", {"1": "a", "2": "b", "3": "c"}, tracked=2
        ),
        "201": field("20", "duret.api.entreprise.call", "state", {"1": "ok"}, computed=True),
    },
}


def renamed():
    """What a good migration leaves: same ids, new names, same values."""
    after = copy.deepcopy(BEFORE)
    after["models"]["20"].update(model="compliance.api.call", table="compliance_api_call")
    for key in ("200", "201"):
        after["fields"][key]["model"] = "compliance.api.call"
    after["fields"]["100"]["name"] = "compliance_token"
    after["fields"]["101"]["name"] = "compliance_tracked_type_ids"
    return after


def test_renamed_models_and_fields_keep_their_data():
    result = compare(BEFORE, renamed())
    assert result["problems"] == []
    assert "field res.company.duret_ae_token renamed compliance_token (2 values)" in result["notes"]
    assert "model duret.api.entreprise.call renamed compliance.api.call (3 rows)" in result["notes"]
    assert result["summary"] == (
        "2 tables, 5 rows, 4 messages, 4 fields, 7 values, 1 defaults, 2 tracked changes compared"
    )


def test_new_rows_and_new_values_are_not_problems():
    after = renamed()
    after["models"]["10"]["rows"] = 3
    after["fields"]["100"]["values"]["3"] = "new company"
    assert compare(BEFORE, after)["problems"] == []


def test_lost_rows_are_reported_per_table():
    after = renamed()
    after["models"]["20"]["rows"] = 1
    assert compare(BEFORE, after)["problems"] == ["duret_api_entreprise_call: 2 of 3 rows lost"]


def test_a_field_recreated_under_a_new_name_is_lost():
    """Column renamed without the field's record: Odoo dropped the old field (and its defaults)."""
    after = renamed()
    after["fields"]["900"] = after["fields"].pop("100")  # values moved with the column
    assert compare(BEFORE, after)["problems"] == [
        "res.company.duret_ae_token: field gone with its 2 values"
    ]


def test_a_field_gone_entirely():
    after = renamed()
    del after["fields"]["101"]
    assert compare(BEFORE, after)["problems"] == [
        "res.company.duret_ae_tracked_type_ids: field gone with its 1 values"
    ]


def test_a_field_matched_by_name_when_its_record_was_recreated():
    """Same model, same name, new ``ir_model_fields`` id (e.g. type changed): values compared."""
    after = renamed()
    after["fields"]["300"] = after["fields"].pop("200")
    assert compare(BEFORE, after)["problems"] == []


def test_changed_values_fail_unless_computed():
    after = renamed()
    after["fields"]["101"]["values"]["1"] = [4]
    after["fields"]["201"]["values"]["1"] = "error"
    result = compare(BEFORE, after)
    assert result["problems"] == [
        "res.company.duret_ae_tracked_type_ids: 0 values lost, 1 changed (record 1: [4, 7] -> [4])"
    ]
    assert any("[computed]" in note and ".state:" in note for note in result["notes"])


def test_a_model_gone():
    after = renamed()
    del after["models"]["20"]
    assert compare(BEFORE, after)["problems"][0] == (
        "duret.api.entreprise.call: model gone (3 rows in duret_api_entreprise_call)"
    )


def test_messages_defaults_and_tracked_changes_lost():
    """What points at a model or a field's record: the chatter, user defaults, tracking."""
    after = renamed()
    after["models"]["20"]["messages"] = 0
    after["fields"]["100"]["defaults"] = 0
    after["fields"]["200"]["tracked"] = 1
    assert compare(BEFORE, after)["problems"] == [
        "duret.api.entreprise.call: 4 messages lost",
        "res.company.duret_ae_token: 1 of 1 defaults lost",
        "duret.api.entreprise.call.endpoint: 1 of 2 tracked lost",
    ]
