"""The parser's edge on real and real-shaped records that used to be lost or to fail a
night: NUL and lone surrogates, candidature-only eForms deadlines, legacy ``gestion``
links, date-times with a space, amounts in every French spelling, unpadded
département codes (parser and server-side query), the buyer's official name."""

import copy
import json
from datetime import date, datetime, timezone

from lxml import etree

from odoo.tests import BaseCase, tagged

from ..lib.boamp_client import build_where
from ..lib.departement import departement_variants, normalize_departement
from ..lib.donnees import clean_text
from ..lib.notice_parser import parse_amount, parse_datetime, parse_record
from .test_notice_parser import (
    _XML_PARSER,
    _eforms_node,
    boamp_records,
    eforms_donnees,
    eforms_xml,
    shared_fixtures,
)


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def strings(value):
    """Every key and string of a tree, flattened."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


@tagged("post_install", "-at_install")
class TestTextCleaning(BaseCase):
    def test_clean_text_drops_nul_and_replaces_lone_surrogates(self):
        self.assertEqual(clean_text("Éclairage\x00 public"), "Éclairage public")
        self.assertEqual(clean_text("Lot \ud800 2"), "Lot \ufffd 2")
        self.assertEqual(clean_text("déjà propre"), "déjà propre")
        self.assertEqual(clean_text(12), 12)

    def test_a_real_record_with_nul_and_surrogates_everywhere_parses_clean(self):
        record = copy.deepcopy(boamp_records()["26-7298"])
        record["objet"] = record["objet"] + "\x00"
        record["nomacheteur"] = "Commune\ud83d"
        # inside the donnees JSON text, as escapes: json.loads turns them into characters
        record["donnees"] = record["donnees"].replace(
            '"nomOfficiel":"', '"nomOfficiel":"\\u0000\\udc00'
        )
        notice = parse_record(record)
        for value in strings([getattr(notice, name) for name in ("objet", "buyer_name", "text")]):
            self.assertNotIn("\x00", value)
            value.encode("utf-8")  # raises on a lone surrogate
        self.assertEqual(notice.objet, boamp_records()["26-7298"]["objet"])


@tagged("post_install", "-at_install")
class TestDeadlineKinds(BaseCase):
    def test_restricted_eforms_notice_takes_the_candidature_deadline(self):
        # cn_81_FRA: restricted procedure, BT-1311 only, in its lots (16:00+01:00)
        notice = parse_record(
            {"idweb": "26-90010", "donnees": eforms_donnees(eforms_xml("cn_81_FRA.xml"))}
        )
        self.assertEqual(notice.procedure, "restricted")
        self.assertEqual(notice.deadline, utc(2020, 9, 14, 15, 0))
        self.assertEqual(notice.deadline_kind, "candidatures")

    def test_offers_deadline_is_labelled_as_such(self):
        notice = parse_record(boamp_records()["26-7298"])
        self.assertIsNotNone(notice.deadline)
        self.assertEqual(notice.deadline_kind, "offers")

    def test_legacy_candidature_deadline_is_labelled(self):
        donnees = {
            "IDENTITE": {"DENOMINATION": "Commune de Chambéry"},
            "OBJET": {"TITRE_MARCHE": "Réseaux d'éclairage public"},
            "CONDITION_DELAI": {"RECEPT_CANDIDAT": "2015-04-08T18:00:00+01:00"},
        }
        notice = parse_record({"idweb": "15-1", "donnees": json.dumps(donnees)})
        self.assertEqual(notice.deadline, utc(2015, 4, 8, 17, 0))
        self.assertEqual(notice.deadline_kind, "candidatures")


@tagged("post_install", "-at_install")
class TestLegacyGestionLinks(BaseCase):
    def test_award_finds_its_initial_notice_through_gestion(self):
        # a real Boamp_v230 award notice: its GESTION names the earlier notice 15-14160
        path = shared_fixtures() / "boamp" / "legacy_xml" / "test-attribution-10.xml"
        root = etree.fromstring(path.read_bytes(), _XML_PARSER)
        gestion = _eforms_node(root.find(".//GESTION"), {})
        record = {
            "idweb": "16-185754",
            "nature": "ATTRIBUTION",
            "annonce_lie": None,
            "gestion": json.dumps(gestion),
            "objet": "Aire de glisse",
        }
        notice = parse_record(record)
        self.assertEqual(notice.linked_idwebs, ("15-14160",))
        self.assertTrue(notice.is_follow_up)

    def test_top_level_and_gestion_links_are_merged_once(self):
        gestion = {"MARCHE": {"ANNONCE_ANTERIEUR": [{"REFERENCE": {"IDWEB": "20-1"}}]}}
        record = {"idweb": "20-3", "annonce_lie": ["20-1", "20-2"], "gestion": gestion}
        self.assertEqual(parse_record(record).linked_idwebs, ("20-1", "20-2"))


@tagged("post_install", "-at_install")
class TestDatesAndAmounts(BaseCase):
    def test_date_time_with_a_space_keeps_its_time(self):
        self.assertEqual(parse_datetime("2026-03-02 14:30"), utc(2026, 3, 2, 13, 30))
        self.assertEqual(parse_datetime("2026-07-02 14:30:00"), utc(2026, 7, 2, 12, 30))
        self.assertEqual(parse_datetime("2026-03-02 14:30+00:00"), utc(2026, 3, 2, 14, 30))
        record = {"idweb": "26-1", "datelimitereponse": "2026-03-02 14:30"}
        self.assertEqual(parse_record(record).deadline, utc(2026, 3, 2, 13, 30))

    def test_amounts_in_every_spelling(self):
        # (written, read) — hand-checked table
        table = [
            ("1.234,50", 1234.5),
            ("1234.5 EUR", 1234.5),
            ("1 234,50 €", 1234.5),
            ("12\u202f000 € HT", 12000.0),
            ("1,234.50", 1234.5),
            ("1.234.567", 1234567.0),
            ("250000", 250000.0),
            ("0,00", None),
            ("sans objet", None),
        ]
        for written, read in table:
            with self.subTest(written):
                self.assertEqual(parse_amount(written), read)


@tagged("post_install", "-at_install")
class TestDepartements(BaseCase):
    def test_codes_are_normalised(self):
        table = [("1", "01"), ("8", "08"), ("2a", "2A"), ("2B", "2B"), (" 74 ", "74")]
        table += [("971", "971"), ("974", "974"), ("", None), (None, None)]
        for written, canonical in table:
            with self.subTest(written):
                self.assertEqual(normalize_departement(written), canonical)
        self.assertEqual(departement_variants("1"), ["01", "1"])
        self.assertEqual(departement_variants("73"), ["73"])

    def test_parser_normalises_record_codes(self):
        record = {"idweb": "26-2", "code_departement": ["1", "2a"], "objet": "x"}
        self.assertEqual(parse_record(record).departements, ("01", "2A"))

    def test_server_side_query_asks_for_every_spelling(self):
        where = build_where(date(2026, 3, 1), None, ["1", "07", "2a"], ["APPEL_OFFRE"])
        for term in ('"01"', '"1"', '"07"', '"7"', '"2A"'):
            self.assertIn(f"code_departement={term}", where)
            self.assertIn(f"code_departement_prestation={term}", where)
