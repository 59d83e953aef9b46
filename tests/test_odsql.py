"""The ODSQL subset of the BOAMP sandbox, on a small hand-made table."""

from datetime import date, datetime, timezone

import pytest

from tests.addon_lib import load_lib
from tests.sandbox import odsql

FIELD_TYPES = {
    "idweb": "text",
    "objet": "text",
    "code_departement": "text",
    "code_departement_prestation": "text",
    "nature": "text",
    "type_marche": "text",
    "titulaire": "text",
    "annonce_lie": "text",
    "dc": "text",
    "dateparution": "date",
    "datelimitereponse": "datetime",
}

ROWS = [
    {
        "idweb": "26-1",
        "objet": "Travaux d'éclairage public - Albertville",
        "code_departement": ["73"],
        "code_departement_prestation": None,
        "nature": "APPEL_OFFRE",
        "type_marche": ["TRAVAUX"],
        "titulaire": None,
        "annonce_lie": None,
        "dc": ["903", "901"],
        "dateparution": "2026-11-20",
        "datelimitereponse": "2026-12-15T12:00:00+00:00",
    },
    {
        "idweb": "26-2",
        "objet": "Fourniture et acheminement d'ÉLECTRICITÉ",
        "code_departement": ["69", "74"],
        "code_departement_prestation": None,
        "nature": "APPEL_OFFRE",
        "type_marche": ["FOURNITURES"],
        "titulaire": None,
        "annonce_lie": None,
        "dc": ["902"],
        "dateparution": "2026-11-10",
        "datelimitereponse": None,
    },
    {
        "idweb": "26-3",
        "objet": "Centrale photovoltaïque en toiture",
        "code_departement": ["69"],
        "code_departement_prestation": "38",
        "nature": "RECTIFICATIF",
        "type_marche": ["TRAVAUX"],
        "titulaire": None,
        "annonce_lie": ["26-1"],
        "dc": [],
        "dateparution": "2026-11-22",
        "datelimitereponse": "2026-12-01T09:30:00+00:00",
    },
    {
        "idweb": "26-4",
        "objet": "Entretien des espaces verts",
        "code_departement": ["75"],
        "code_departement_prestation": "75",
        "nature": "ATTRIBUTION",
        "type_marche": ["SERVICES"],
        "titulaire": ["ID Verde", "Espaces Verts Lemire"],
        "annonce_lie": ["25-99"],
        "dc": ["116"],
        "dateparution": "2025-12-31",
        "datelimitereponse": None,
    },
]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def ids(where, order_by="idweb"):
    table = odsql.Table(ROWS, FIELD_TYPES)
    return [ROWS[pos]["idweb"] for pos in odsql.query(table, where, order_by, now=NOW)]


@pytest.mark.parametrize(
    "where, expected",
    [
        ("", ["26-1", "26-2", "26-3", "26-4"]),
        ('nature="APPEL_OFFRE"', ["26-1", "26-2"]),
        ("nature='RECTIFICATIF'", ["26-3"]),
        # = on a multivalued field: any element matches
        ('code_departement="74"', ["26-2"]),
        ('code_departement="69"', ["26-2", "26-3"]),
        ('dc="901"', ["26-1"]),
        ('titulaire="ID Verde"', ["26-4"]),
        # = is exact, neither tokenised nor normalised
        ('nature="appel_offre"', []),
        ('titulaire="ID"', []),
        ('nature!="APPEL_OFFRE"', ["26-3", "26-4"]),
        ('nature<>"APPEL_OFFRE"', ["26-3", "26-4"]),
        ("dateparution >= date'2026-11-20'", ["26-1", "26-3"]),
        ("dateparution > date'2026-11-20'", ["26-3"]),
        ("dateparution <= date'2026-11-10'", ["26-2", "26-4"]),
        ("dateparution < date'2026-11-10'", ["26-4"]),
        ("dateparution = date'2026-11-10'", ["26-2"]),
        ("dateparution >= date'2026'", ["26-1", "26-2", "26-3"]),
        ("dateparution >= date'2026-11'", ["26-1", "26-2", "26-3"]),
        ("date'2026-11-20' <= dateparution", ["26-1", "26-3"]),
        ("datelimitereponse >= date'2026-12-01T09:30:00+00:00'", ["26-1", "26-3"]),
        ("datelimitereponse > date'2026-12-01T10:00:00+01:00'", ["26-1", "26-3"]),
        ("datelimitereponse >= now()", ["26-1", "26-3"]),
        ("datelimitereponse >= now(days=15)", ["26-1"]),
        ("dateparution >= now(days=-2)", ["26-3"]),
        ("date_format(dateparution, 'yyyy') = '2025'", ["26-4"]),
        ("date_format(dateparution, 'yyyy-MM') = '2026-11'", ["26-1", "26-2", "26-3"]),
        ("datelimitereponse IS NULL", ["26-2", "26-4"]),
        ("datelimitereponse IS NOT NULL", ["26-1", "26-3"]),
        ("titulaire IS NULL", ["26-1", "26-2", "26-3"]),
        ("annonce_lie IS NOT NULL", ["26-3", "26-4"]),
        ("dc IS NULL", ["26-3"]),  # an empty array is null
        ('NOT nature="APPEL_OFFRE"', ["26-3", "26-4"]),
        ('NOT NOT nature="APPEL_OFFRE"', ["26-1", "26-2"]),
        ('nature="APPEL_OFFRE" AND code_departement="73"', ["26-1"]),
        ('nature="ATTRIBUTION" OR code_departement="73"', ["26-1", "26-4"]),
        # AND binds tighter than OR; parentheses override
        ('code_departement="75" OR code_departement="73" AND nature="RECTIFICATIF"', ["26-4"]),
        ('(code_departement="75" OR code_departement="73") AND nature="APPEL_OFFRE"', ["26-1"]),
        ('nature="APPEL_OFFRE", code_departement="74"', ["26-2"]),
        # keywords are case-insensitive
        ('nature="APPEL_OFFRE" and not code_departement="73"', ["26-2"]),
        # full-text search: case and accent insensitive, word starts
        ('search(objet, "éclairage public")', ["26-1"]),
        ('search(objet, "ECLAIRAGE")', ["26-1"]),
        ('search(objet, "electricite")', ["26-2"]),
        ('search(objet, "photovolt")', ["26-3"]),
        ('search(objet, "voltaique")', []),
        ('search(objet, "public eclairage")', ["26-1"]),  # every word, any order
        ('search(objet, "eclairage verts")', []),
        ('search(objet, nature, "rectificatif")', ["26-3"]),
        ('search("Lemire")', ["26-4"]),
        ('search("albertville")', ["26-1"]),
        ('#search(objet, "toiture")', ["26-3"]),
        ('"photovoltaique"', ["26-3"]),
        ('"espaces" AND "verts"', ["26-4"]),
        ('NOT "travaux"', ["26-2", "26-4"]),  # 26-3 has type_marche TRAVAUX
        ("objet LIKE '%éclairage%'", ["26-1"]),
        ("objet LIKE '%ECLAIR%'", ["26-1"]),
        ("objet LIKE 'centrale%'", ["26-3"]),
        ("objet LIKE 'toiture'", ["26-3"]),
        ("objet NOT LIKE '%e%'", []),
        ('idweb > "26-2"', ["26-3", "26-4"]),
    ],
)
def test_where(where, expected):
    assert ids(where) == expected


def test_build_where_queries_of_the_boamp_client():
    """The exact shapes of ``build_where`` (docs/boamp.md section 10, boamp_interface.md)."""
    departements = ("73", "74", "38")
    natures = ("APPEL_OFFRE", "RECTIFICATIF", "ANNULATION", "MODIFICATION", "ATTRIBUTION")
    deps = " OR ".join(
        [f'code_departement="{d}"' for d in departements]
        + [f'code_departement_prestation="{d}"' for d in departements]
    )
    nat = " OR ".join(f'nature="{n}"' for n in natures)
    since_only = f"dateparution >= date'2026-11-15' AND ({deps}) AND ({nat})"
    window = (
        f"dateparution >= date'2026-11-15' AND dateparution <= date'2026-11-21' "
        f"AND ({deps}) AND ({nat})"
    )
    assert ids(since_only) == ["26-1", "26-3"]
    assert ids(window) == ["26-1"]
    one_dep = "dateparution >= date'2026-01-01' AND (code_departement=\"74\" OR "
    one_dep += 'code_departement_prestation="74") AND (nature="APPEL_OFFRE")'
    assert ids(one_dep) == ["26-2"]


def boamp_client_module():
    """``duret_boamp/lib/boamp_client.py`` loaded without Odoo (it has no ORM)."""
    return load_lib("duret_boamp", "boamp_client")


@pytest.mark.parametrize(
    "since, until, departements, natures, expected",
    [
        (date(2026, 11, 15), None, ["73", "74", "38"], None, ["26-1", "26-3"]),
        (date(2026, 11, 10), None, ["73", "74", "38"], None, ["26-1", "26-2", "26-3"]),
        (date(2026, 11, 10), date(2026, 11, 21), ["73", "74", "38"], None, ["26-1", "26-2"]),
        (date(2026, 11, 15), None, ["38"], ["RECTIFICATIF"], ["26-3"]),
        (date(2025, 1, 1), None, ["75"], ["ATTRIBUTION"], ["26-4"]),
        (date(2025, 1, 1), None, [], ["APPEL_OFFRE", "ATTRIBUTION"], ["26-1", "26-2", "26-4"]),
        (date(2026, 11, 23), None, ["73"], ["APPEL_OFFRE"], []),
    ],
)
def test_the_real_build_where_of_duret_boamp(since, until, departements, natures, expected):
    natures = natures or ["APPEL_OFFRE", "RECTIFICATIF", "ANNULATION", "MODIFICATION"]
    where = boamp_client_module().build_where(since, until, departements, natures)
    assert ids(where) == expected


@pytest.mark.parametrize(
    "order_by, expected",
    [
        ("dateparution desc, idweb asc", ["26-3", "26-1", "26-2", "26-4"]),
        ("dateparution", ["26-4", "26-2", "26-1", "26-3"]),
        ("idweb desc", ["26-4", "26-3", "26-2", "26-1"]),
        ("nature asc, idweb desc", ["26-2", "26-1", "26-4", "26-3"]),
        # missing values last, whatever the direction
        ("datelimitereponse asc, idweb", ["26-3", "26-1", "26-2", "26-4"]),
        ("datelimitereponse desc, idweb", ["26-1", "26-3", "26-2", "26-4"]),
        ("code_departement_prestation desc, idweb", ["26-4", "26-3", "26-1", "26-2"]),
    ],
)
def test_order_by(order_by, expected):
    assert ids("", order_by) == expected


@pytest.mark.parametrize(
    "where, detail",
    [
        ('foo="1"', "Unknown field: foo."),
        ("nature=", "Unexpected 'end of query'."),
        ('(nature="APPEL_OFFRE"', "Expected ) but found 'end of query'."),
        ('nature="APPEL_OFFRE")', "Unexpected ')'."),
        ('nature="APPEL_OFFRE" AND', "Unexpected 'end of query'."),
        ("objet LIKE 3", "Expected str but found 3."),
        ("unknown_function(objet)", "Unknown function: unknown_function."),
        ("dateparution >= date'2026-13-45'", "Invalid date literal '2026-13-45'."),
        ("search(objet)", "Function search expects fields then one string."),
        ("now(days=1) <= now()", "A comparison needs one field and one value."),
        (
            "datelimitereponse >= now(fortnights=1)",
            "Invalid parameter 'fortnights' for function now.",
        ),
        ("nature IS APPEL_OFFRE", "Expected null but found 'APPEL_OFFRE'."),
        ("nature ~ 'x'", "Syntax error at character 7"),
    ],
)
def test_malformed_where(where, detail):
    with pytest.raises(odsql.ODSQLError) as caught:
        ids(where)
    message = str(caught.value)
    assert message.startswith("ODSQL query is malformed: ")
    assert detail in message
    assert message.endswith("Clause(s) containing the error(s): where.")


@pytest.mark.parametrize("order_by", ["foo desc", "idweb sideways", "idweb asc desc", "idweb,,"])
def test_malformed_order_by(order_by):
    with pytest.raises(odsql.ODSQLError) as caught:
        ids("", order_by)
    assert str(caught.value).endswith("Clause(s) containing the error(s): order_by.")


def test_normalize_folds_case_accents_and_punctuation():
    assert odsql.normalize("Électricité : CFO/CFA — Œuvre") == " electricite cfo cfa oeuvre "


def test_indexes_are_built_once_and_reused():
    table = odsql.Table(ROWS, FIELD_TYPES)
    odsql.query(table, 'code_departement="73"')
    index = table.exact("code_departement")
    odsql.query(table, 'code_departement="74"')
    assert table.exact("code_departement") is index
    assert index["69"] == {1, 2}
