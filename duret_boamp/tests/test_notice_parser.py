"""The notice parser on every real BOAMP record of the shared fixtures, on eForms
``donnees`` converted from the official examples, and on the documented MAPA, DSP and
legacy paths (docs/boamp.md section 5)."""

import copy
import json
import os
from datetime import date, datetime, timezone
from pathlib import Path

from lxml import etree

from odoo.tests import BaseCase, tagged

from ..lib.donnees import KeyIndex, as_list, clean_url, find_keys, first_text, text, walk
from ..lib.notice_parser import NoticeParseError, cpv_stem, parse_amount, parse_record


def shared_fixtures():
    """``$DURET_SHARED_FIXTURES``, else ``<repo>/../shared/fixtures`` (never copied)."""
    path = os.environ.get("DURET_SHARED_FIXTURES")
    return Path(path) if path else Path(__file__).resolve().parents[3] / "shared" / "fixtures"


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def boamp_records():
    """The four FNSimple records and the legacy one, by idweb."""
    folder = shared_fixtures() / "boamp"
    with open(folder / "ods_v21_records_fnsimple.json", encoding="utf-8") as handle:
        records = json.load(handle)["results"]
    with open(folder / "ods_v21_record_legacy_15-31501.json", encoding="utf-8") as handle:
        records.append(json.load(handle))
    return {record["idweb"]: record for record in records}


# eForms XML → BOAMP ``donnees``, the xmltodict way BOAMP uses (docs/boamp.md section 5, fixtures
# README): prefixed element names, ``@attr``/``#text`` keys, repeated elements as lists.
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, load_dtd=False
)


def _eforms_node(element, prefixes):
    node = {f"@{etree.QName(k).localname}": v for k, v in element.attrib.items()}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        prefix = prefixes.get(qname.namespace)
        key = f"{prefix}:{qname.localname}" if prefix else qname.localname
        value = _eforms_node(child, prefixes)
        if key in node:
            node[key] = as_list(node[key]) + [value]
        else:
            node[key] = value
    content = (element.text or "").strip()
    if not node:
        return content
    if content:
        node["#text"] = content
    return node


def eforms_donnees(xml_bytes):
    root = etree.fromstring(xml_bytes, _XML_PARSER)
    prefixes = {uri: prefix for prefix, uri in root.nsmap.items() if prefix}
    return {"EFORMS": {etree.QName(root).localname: _eforms_node(root, prefixes)}}


def eforms_xml(name):
    return (shared_fixtures() / "eforms" / name).read_bytes()


NOTICE_FIELDS = [
    *("idweb", "objet", "buyer_name", "buyer_siret", "buyer_city", "buyer_postal_code"),
    *("departements", "market_types", "nature", "etat", "famille", "shape", "procedure"),
    *("publication_date", "deadline", "amount", "currency", "cpv_main", "cpv_codes", "dce_url"),
    *("notice_url", "linked_idwebs", "contract_folder_id", "descriptors", "descriptor_codes"),
    *("winners", "award_amount"),
]


@tagged("post_install", "-at_install")
class TestDonneesHelpers(BaseCase):
    def test_as_list_and_text_accept_every_xml_to_json_form(self):
        self.assertEqual(as_list(None), [])
        self.assertEqual(as_list({"a": 1}), [{"a": 1}])
        self.assertEqual(as_list([1, 2]), [1, 2])
        self.assertEqual(text(" LOT-0001 "), "LOT-0001")
        self.assertEqual(text({"#text": "LOT-0001", "@schemeName": "Lot"}), "LOT-0001")
        self.assertEqual(text(1788923), "1788923")
        self.assertIsNone(text(""))
        self.assertIsNone(text({"@devise": "EUR"}))
        self.assertEqual(text(["", {"#text": "x"}]), "x")

    def test_paths_follow_lists_and_ignore_namespace_prefixes(self):
        node = {"cac:Lot": [{"cbc:ID": "LOT-1"}, {"ID": {"#text": "LOT-2"}}]}
        self.assertEqual([text(v) for v in walk(node, "cac:Lot/cbc:ID")], ["LOT-1", "LOT-2"])
        self.assertEqual(first_text(node, "Missing/ID", "Lot/ID"), "LOT-1")
        deep = {"a": [{"b": {"x:classPrincipale": "45316110"}}, {"classPrincipale": "1"}]}
        self.assertEqual(find_keys(deep, "classPrincipale"), ["45316110", "1"])
        nested = {"lot": {"lot": "inner", "cpv": "1"}, "z": {"cpv": ["2", "3"]}}
        self.assertEqual(find_keys(nested, "lot"), [{"lot": "inner", "cpv": "1"}])
        self.assertEqual(find_keys(nested, "cpv"), ["2", "3", "1"])

    def test_key_index_rules_names_out_on_the_json_text(self):
        source = json.dumps({"a": {"x:URI": "https://x.fr"}})
        keys = KeyIndex(json.loads(source), source)
        self.assertEqual(keys.get("EndDate"), [])
        self.assertEqual(keys.get("URI"), ["https://x.fr"])
        # a \u escape could spell a key: the tree is walked whatever the text says
        escaped = '{"a": {"\\u0055RI": "https://x.fr"}}'
        self.assertEqual(KeyIndex(json.loads(escaped), escaped).get("URI"), ["https://x.fr"])

    def test_urls_are_unescaped_and_codes_normalised(self):
        self.assertEqual(clean_url("https://x.fr/dce?a=1&amp;b=2"), "https://x.fr/dce?a=1&b=2")
        self.assertIsNone(clean_url("voir le règlement"))
        self.assertEqual(cpv_stem("45316110-4"), "45316110")
        self.assertEqual(cpv_stem({"#text": "45316110", "@listName": "cpv"}), "45316110")
        self.assertIsNone(cpv_stem("4531"))
        self.assertIsNone(parse_amount("0.00"))
        self.assertEqual(parse_amount("1 234,50"), 1234.5)
        self.assertEqual(parse_amount({"@currencyID": "EUR", "#text": "10458333.33"}), 10458333.33)


@tagged("post_install", "-at_install")
class TestRealBoampRecords(BaseCase):
    """Every field of every real record, as read by hand from the fixture files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.records = boamp_records()

    def assertNotice(self, notice, expected):
        for name in NOTICE_FIELDS:
            self.assertEqual(getattr(notice, name), expected[name], f"{notice.idweb}: {name}")

    def base(self, idweb, **values):
        expected = {
            "idweb": idweb,
            "nature": "APPEL_OFFRE",
            "etat": "INITIAL",
            "famille": "FNS",
            "shape": "FNSimple",
            "procedure": "Procédure Ouverte",
            "publication_date": date(2026, 1, 21),
            "amount": None,
            "currency": None,
            "notice_url": f"https://www.boamp.fr/pages/avis/?q=idweb:{idweb}",
            "linked_idwebs": (),
            "contract_folder_id": None,
            "winners": (),
            "award_amount": None,
        }
        expected.update(values)
        return expected

    def test_26_7298_works_deadline_offset_trap(self):
        notice = parse_record(self.records["26-7298"])
        self.assertNotice(
            notice,
            self.base(
                "26-7298",
                objet="TRAVAUX D'AMENAGEMENTS INTERIEURS ET EXTERIEURS",
                buyer_name="COMMUNE DE LA MADELEINE",
                buyer_siret="21590368300013",
                buyer_city="LA MADELEINE",
                buyer_postal_code="59110",
                departements=("59",),
                market_types=("TRAVAUX",),
                # donnees "2026-02-16T12:00:00.000+01:00"; the top level says 12:00+00:00
                deadline=utc(2026, 2, 16, 11, 0),
                cpv_main="45432111",
                cpv_codes=("45432111",),
                dce_url="https://marchespublics596280.fr/entreprise/consultation/581998"
                "?orgAcronyme=50368",
                descriptors=("Peinture (travaux)", "Revêtements de sols"),
                descriptor_codes=("264", "308"),
            ),
        )
        self.assertEqual(notice.lots, ())
        self.assertFalse(notice.is_follow_up)
        self.assertIn("Revêtements de sols", notice.text)

    def test_26_7308_services_amount_and_seven_lots(self):
        notice = parse_record(self.records["26-7308"])
        self.assertNotice(
            notice,
            self.base(
                "26-7308",
                objet="Prestations traiteurs pour l'URSSAF Normandie",
                buyer_name="URSSAF NORMANDIE",  # donnees nomOfficiel wins over nomacheteur
                buyer_siret="90209799700016",
                buyer_city="ROUEN CEDEX 1",
                buyer_postal_code="76040",
                departements=("76", "14", "27", "50", "61"),
                market_types=("SERVICES",),
                deadline=utc(2026, 2, 27, 11, 0),  # "2026-02-27T12:00:00": Paris wall-clock
                amount=75000.0,  # fourchette valeurHaute (valeurBasse is "1")
                currency="EUR",
                cpv_main="55520000",
                cpv_codes=("55520000",),
                dce_url="https://www.marches-publics.gouv.fr/entreprise/consultation/2927597"
                "?orgAcronyme=s7h",
                descriptors=("Repas, traiteur",),
                descriptor_codes=("304",),
            ),
        )
        self.assertEqual([lot.number for lot in notice.lots], ["1", "2", "3", "4", "5", "6", "7"])
        self.assertEqual(
            notice.lots[0].title, "1- Prestations pour l’URSSAF de Rouen (Seine Maritime)"
        )
        self.assertEqual(
            notice.lots[6].title, "7- Prestations pour l’URSSAF d’Alençon-Valframbert (Orne)"
        )
        for lot in notice.lots:
            self.assertEqual(lot.cpv_codes, ("55520000",))
            self.assertIsNone(lot.amount)
            self.assertIsNone(lot.deadline)
        self.assertIn("cafés d’accueil", notice.text)  # the donnees description is searchable

    def test_26_7319_lots_in_haute_savoie_with_zero_amounts(self):
        notice = parse_record(self.records["26-7319"])
        self.assertNotice(
            notice,
            self.base(
                "26-7319",
                objet="Relance_Lot 2_FINITIONS et Lot 5_MENUISERIE_Travaux de mise en "
                "accessibilité du lycée Louis Lachenal (74 - Argonay)",
                buyer_name="Région Auvergne-Rhône-ALpes",
                buyer_siret="20005376700014",
                buyer_city="Lyon cedex 2",
                buyer_postal_code="69269",
                departements=("74", "69"),
                market_types=("TRAVAUX",),
                deadline=utc(2026, 2, 11, 11, 0),
                cpv_main="45454100",
                cpv_codes=("45454100", "45410000", "45421000"),
                dce_url="https://www.achatpublic.com/sdm/ent2/gen/ficheCsl.action"
                "?PCSLID=CSL_2026_TarWVppjGK",
                descriptors=("Plâtrerie", "Peinture (travaux)", "Menuiserie"),
                descriptor_codes=("269", "264", "222"),
            ),
        )
        self.assertEqual(len(notice.lots), 2)
        finition, menuiserie = notice.lots
        self.assertEqual(
            (finition.number, finition.title, finition.cpv_codes),
            ("2", "Lot 2 : Finition", ("45410000",)),
        )
        self.assertEqual(
            (menuiserie.number, menuiserie.title, menuiserie.cpv_codes),
            ("5", "Lot 5 : Menuiserie", ("45421000",)),
        )
        # estimationValeur "0.00" means unknown, never 0
        self.assertIsNone(finition.amount)
        self.assertIsNone(menuiserie.amount)

    def test_26_7109_services_ampersand_url(self):
        notice = parse_record(self.records["26-7109"])
        self.assertNotice(
            notice,
            self.base(
                "26-7109",
                objet="Marché Public Relatif à La Réalisation De Prestations De Mandat De "
                "Commissaires Aux Comptes Pour Les Exercices Comptables 2026-2031\n"
                "De La Spl Levaparc",
                buyer_name="Spl Levaparc",
                buyer_siret="35334722200286",
                buyer_city="LEVALLOIS PERRET",
                buyer_postal_code="92300",
                departements=("92",),
                market_types=("SERVICES",),
                deadline=utc(2026, 3, 6, 11, 0),
                cpv_main="79200000",
                cpv_codes=("79200000",),
                dce_url="https://www.marches-publics.info/mpiaws/index.cfm"
                "?fuseaction=dematent.login&type=Dce&Idm=1767036",
                descriptors=("Expertise comptable",),
                descriptor_codes=("446",),
            ),
        )
        self.assertEqual(notice.lots, ())

    def test_15_31501_legacy_v230_concession(self):
        notice = parse_record(self.records["15-31501"])
        self.assertNotice(
            notice,
            {
                "idweb": "15-31501",
                "objet": "concession d'aménagement pour la réalisation de la ZAC de "
                "Château-Gaillard, à Pléchatel et Bain de Bretagne",
                "buyer_name": "Cté Cnes Moyenne Vilaine et Semnon",
                "buyer_siret": None,  # legacy notices often carry none
                "buyer_city": "Bain de bretagne",
                "buyer_postal_code": "35470",
                "departements": ("35",),
                "market_types": ("TRAVAUX",),
                "nature": "APPEL_OFFRE",
                "etat": "INITIAL",
                "famille": "JOUE",
                "shape": "LEGACY",
                "procedure": "Procédure NC",
                "publication_date": date(2015, 3, 3),
                # RECEPT_CANDIDAT 2015-04-20T12:00:00+01:00 = top level 11:00+00:00
                "deadline": utc(2015, 4, 20, 11, 0),
                "amount": None,
                "currency": None,
                "cpv_main": "45111291",
                "cpv_codes": ("45111291", "71000000", "70122100", "70122200"),
                "dce_url": None,  # no URL anywhere in the notice: none invented
                "notice_url": "https://www.boamp.fr/pages/avis/?q=idweb:15-31501",
                "linked_idwebs": (),
                "contract_folder_id": None,
                "descriptors": ("Bâtiment", "Prestations de services"),
                "descriptor_codes": ("33", "274"),
                "winners": (),
                "award_amount": None,
            },
        )
        self.assertEqual(notice.lots, ())
        self.assertIn("concessionnaire d'aménagement", notice.text)

    def test_dict_donnees_parse_like_json_strings(self):
        record = copy.deepcopy(self.records["26-7308"])
        as_strings = parse_record(record)
        record["donnees"] = json.loads(record["donnees"])
        record["gestion"] = json.loads(record["gestion"])
        self.assertEqual(parse_record(record), as_strings)


@tagged("post_install", "-at_install")
class TestDeadlineRules(BaseCase):
    """docs/boamp.md section 4: the top-level offset trap, Europe/Paris without offset, lots."""

    def fnsimple(self, top, inner=None):
        procedure = {"dateReceptionOffres": inner} if inner else {}
        donnees = {"FNSimple": {"initial": {"procedure": procedure}}}
        return parse_record(
            {"idweb": "26-1", "datelimitereponse": top, "donnees": json.dumps(donnees)}
        )

    def test_fnsimple_top_level_utc_label_is_paris_wall_clock(self):
        self.assertEqual(self.fnsimple("2026-02-16T12:00:00+00:00").deadline, utc(2026, 2, 16, 11))
        self.assertEqual(self.fnsimple("2026-07-16T12:00:00+00:00").deadline, utc(2026, 7, 16, 10))

    def test_donnees_deadline_wins_over_top_level(self):
        notice = self.fnsimple("2026-02-16T12:00:00+00:00", "2026-02-17T17:30:00.000+01:00")
        self.assertEqual(notice.deadline, utc(2026, 2, 17, 16, 30))

    def test_time_without_offset_is_europe_paris(self):
        self.assertEqual(self.fnsimple(None, "2026-07-01T12:00:00").deadline, utc(2026, 7, 1, 10))
        self.assertEqual(self.fnsimple(None, "2026-12-01T12:00:00").deadline, utc(2026, 12, 1, 11))

    def test_other_shapes_trust_the_top_level_offset(self):
        record = {"idweb": "24-79342", "datelimitereponse": "2024-08-26T12:00:00+00:00"}
        self.assertEqual(parse_record(record).deadline, utc(2024, 8, 26, 12))

    def test_no_deadline_anywhere_stays_missing(self):
        self.assertIsNone(self.fnsimple(None).deadline)

    def test_earliest_lot_deadline_when_no_notice_deadline(self):
        xml = eforms_xml("cn_24_FRA_comments.xml").decode()
        first_end = xml.index("<cbc:EndDate>2019-06-24Z</cbc:EndDate>")
        second = xml.index("<cbc:EndDate>2019-06-24Z</cbc:EndDate>", first_end + 1)
        xml = (
            xml[:second]
            + "<cbc:EndDate>2019-06-20+02:00</cbc:EndDate>"
            + xml[second + len("<cbc:EndDate>2019-06-24Z</cbc:EndDate>") :]
        )
        xml = xml.replace(
            "<cbc:EndTime>16:00:00Z</cbc:EndTime>", "<cbc:EndTime>10:00:00</cbc:EndTime>", 1
        )
        notice = parse_record({"idweb": "26-2", "donnees": eforms_donnees(xml.encode())})
        lot_1, lot_2 = notice.lots
        self.assertEqual(lot_1.deadline, utc(2019, 6, 24, 10))  # "Z" date, time without offset
        self.assertEqual(lot_2.deadline, utc(2019, 6, 20, 16))  # the time's "Z" wins
        self.assertEqual(notice.deadline, utc(2019, 6, 20, 16))


@tagged("post_install", "-at_install")
class TestEformsDonnees(BaseCase):
    """BOAMP EFORMS ``donnees`` converted in the test from official eForms examples."""

    def test_french_contract_notice_with_two_lots(self):
        donnees = eforms_donnees(eforms_xml("cn_24_FRA_comments.xml"))
        notice = parse_record({"idweb": "26-90001", "donnees": json.dumps(donnees)})
        self.assertEqual(notice.shape, "EFORMS")
        self.assertEqual(
            notice.objet,
            "Service d'entretien de remise en état et de nettoyage des espaces verts",
        )
        self.assertEqual(notice.buyer_name, "Rouen Habitat")
        self.assertIsNone(notice.buyer_siret)  # "123 456 789" is not a SIRET
        self.assertEqual((notice.buyer_city, notice.buyer_postal_code), ("Rouen Cedex 1", "76001"))
        self.assertEqual(notice.market_types, ("SERVICES",))
        self.assertEqual(notice.procedure, "open")
        self.assertEqual(notice.contract_folder_id, "e3cdabf1-e057-47a5-9210-b1f6fc757228")
        self.assertEqual((notice.cpv_main, notice.cpv_codes), ("77310000", ("77310000",)))
        self.assertEqual([lot.number for lot in notice.lots], ["LOT-0001", "LOT-0002"])
        self.assertEqual(
            [lot.title for lot in notice.lots], ["Agence centre", "Agence Hauts de Rouen"]
        )
        self.assertEqual(notice.lots[0].cpv_codes, ("77310000",))
        self.assertEqual(notice.deadline, utc(2019, 6, 24, 16))  # EndDate 2019-06-24Z 16:00:00Z
        self.assertEqual(notice.dce_url, "https://www.marches-publics.info/accueil.htm")
        self.assertIsNone(notice.amount)

    def test_buyer_siret_is_read_from_the_buyer_organisation_only(self):
        donnees = eforms_donnees(eforms_xml("cn-desg_24.xml"))
        notice = parse_record({"idweb": "26-90002", "donnees": donnees})
        self.assertEqual(
            notice.buyer_name, "Communauté de Communes de la Vallée de la Doller et du Soultzbach"
        )
        self.assertEqual(notice.buyer_siret, "24680067600016")  # not ORG-0002's 83044938500012
        self.assertEqual(
            (notice.buyer_city, notice.buyer_postal_code), ("Masevaux-Niederbruck", "68290")
        )
        self.assertEqual(notice.cpv_main, "71000000")
        self.assertEqual(notice.procedure, "restricted")

    def test_amounts_currency_and_additional_cpv(self):
        notice = parse_record(
            {"idweb": "26-90003", "donnees": eforms_donnees(eforms_xml("cn_25.xml"))}
        )
        self.assertEqual(notice.objet, "PV Servicing and Maintenance")
        self.assertEqual((notice.amount, notice.currency), (1500000.0, "EUR"))
        self.assertEqual(notice.cpv_codes, ("50000000", "09331200", "31712331"))

    def test_lot_groups_are_not_lots(self):
        notice = parse_record(
            {"idweb": "26-90004", "donnees": eforms_donnees(eforms_xml("cn_24_maximal.xml"))}
        )
        self.assertEqual([lot.number for lot in notice.lots], ["LOT-0001", "LOT-0002"])
        self.assertEqual(notice.lots[0].amount, 9999999.99)

    def test_award_notice_amount(self):
        notice = parse_record(
            {"idweb": "26-90005", "donnees": eforms_donnees(eforms_xml("can_24_FRA_comments.xml"))}
        )
        self.assertEqual(notice.award_amount, 390697.84)
        self.assertEqual(notice.contract_folder_id, "e3cdabf1-e057-47a5-9210-b1f6fc757228")


@tagged("post_install", "-at_install")
class TestDocumentedShapes(BaseCase):
    """MAPA, legacy with lots, FNSimple follow-ups, DSP and unknown shapes."""

    def test_mapa_without_cpv_nor_amount(self):
        donnees = {
            "MAPA": {
                "organisme": {
                    "acheteurPublic": "Commune de Moûtiers",
                    "codeIdentificationNational": "217 301 811 00019",
                    "urlProfilAcheteur": "https://www.mp-savoie.fr/consultation?id=12&amp;lang=fr",
                    "adr": {"cp": "73600", "ville": "Moûtiers"},
                },
                "initial": {
                    "delais": {"receptionOffres": "2026-03-02T12:00:00"},
                    "description": {"objet": "Rénovation de l'éclairage public du centre-bourg"},
                    "natureMarche": {"nbMois": "6"},
                },
            }
        }
        notice = parse_record({"idweb": "26-3001", "famille": "MAPA", "donnees": donnees})
        self.assertEqual(notice.shape, "MAPA")
        self.assertEqual(notice.objet, "Rénovation de l'éclairage public du centre-bourg")
        self.assertEqual(notice.buyer_name, "Commune de Moûtiers")
        self.assertEqual(notice.buyer_siret, "21730181100019")
        self.assertEqual((notice.buyer_city, notice.buyer_postal_code), ("Moûtiers", "73600"))
        self.assertEqual(notice.deadline, utc(2026, 3, 2, 11))
        self.assertEqual(notice.dce_url, "https://www.mp-savoie.fr/consultation?id=12&lang=fr")
        self.assertEqual((notice.amount, notice.cpv_main, notice.cpv_codes), (None, None, ()))

    def test_mapa_award_links_and_amount(self):
        donnees = {
            "MAPA": {
                "organisme": {"nom": "SIVOM de Tarentaise"},
                "attribution": {
                    "avisInitial": {"idWeb": "26-3001"},
                    "attribution": {"resultat": {"attribue": {"montant": {"valeur": "48500.00"}}}},
                },
            }
        }
        record = {
            "idweb": "26-3050",
            "nature": "ATTRIBUTION",
            "titulaire": ["SAS Lumière Alpes"],
            "annonce_lie": ["26-2999"],
            "donnees": json.dumps(donnees),
        }
        notice = parse_record(record)
        self.assertEqual(notice.buyer_name, "SIVOM de Tarentaise")
        self.assertEqual(notice.award_amount, 48500.0)
        self.assertEqual(notice.winners, ("SAS Lumière Alpes",))
        self.assertEqual(notice.linked_idwebs, ("26-2999", "26-3001"))
        self.assertTrue(notice.is_follow_up)

    def test_fnsimple_award_sums_its_markets(self):
        market = [
            {"titulaire": {"denomination": "SPIE"}, "montant": {"valeur": "120000.00"}},
            {"titulaire": {"denomination": "EIFFAGE"}, "montant": {"valeur": "80000.50"}},
        ]
        donnees = {
            "FNSimple": {
                "attribution": {"avisInitial": {"idWeb": "26-3001"}, "attributionMarche": market}
            }
        }
        record = {"idweb": "26-3051", "nature": "ATTRIBUTION", "donnees": json.dumps(donnees)}
        self.assertEqual(parse_record(record).award_amount, 200000.5)
        del market[0]["montant"], market[1]["montant"]
        record["donnees"] = json.dumps(donnees)
        self.assertIsNone(parse_record(record).award_amount, "no amount stays missing")

    def test_fnsimple_rectificatif_links_its_initial_notice(self):
        donnees = {"FNSimple": {"rectificatif": {"avisInitial": {"idWeb": "26-7298"}}}}
        record = {
            "idweb": "26-8000",
            "nature": "RECTIFICATIF",
            "etat": "RECTIFICATIF",
            "objet": "TRAVAUX D'AMENAGEMENTS INTERIEURS ET EXTERIEURS",
            "donnees": json.dumps(donnees),
        }
        notice = parse_record(record)
        self.assertEqual(notice.linked_idwebs, ("26-7298",))
        self.assertTrue(notice.is_follow_up)

    def test_legacy_lots_amounts_siret_and_dce(self):
        donnees = {
            "IDENTITE": {
                "DENOMINATION": "Ville de Chambéry",
                "TYPE_IDENT_NATIONAL": {"SIRET": "21730065600014"},
                "CP": "73000",
                "VILLE": "Chambéry",
                "URL_PROFIL_ACHETEUR": "https://www.marches-publics.info/x?a=1&amp;b=2",
            },
            "OBJET": {
                "TITRE_MARCHE": "Rénovation du gymnase",
                "TYPE_MARCHE": {"TRAVAUX": {"EXECUTION": ""}},
                "CPV": {"PRINCIPAL": "45212225-9"},
                "CARACTERISTIQUES": {"VALEUR": {"@DEVISE": "EUR", "#text": "350000"}},
                "LOTS": {
                    "LOT": [
                        {
                            "NUM": "1",
                            "INTITULE": "Gros oeuvre",
                            "CPV": {"PRINCIPAL": "45223220"},
                            "VALEUR": {"@DEVISE": "EUR", "#text": "230000"},
                        },
                        {
                            "NUM": "2",
                            "INTITULE": "Electricité courants forts et faibles",
                            "CPV": {"PRINCIPAL": ["45311000-0", "45312100"]},
                            "VALEUR": {"@DEVISE": "EUR", "#text": "120000"},
                        },
                    ]
                },
            },
            "PROCEDURE": {"TYPE_PROCEDURE": {"OUVERT": ""}},
            "CONDITION_DELAI": {
                "RECEPT_CANDIDAT": "2015-03-30T18:00:00+02:00",
                "RECEPT_OFFRES": "2015-04-08T18:00:00+01:00",
            },
        }
        notice = parse_record({"idweb": "15-40000", "donnees": json.dumps(donnees)})
        self.assertEqual(notice.shape, "LEGACY")
        self.assertEqual(notice.objet, "Rénovation du gymnase")
        self.assertEqual(notice.buyer_siret, "21730065600014")
        self.assertEqual(notice.market_types, ("TRAVAUX",))
        self.assertEqual(notice.procedure, "OUVERT")
        self.assertEqual(notice.deadline, utc(2015, 4, 8, 17))  # offers, not applications
        self.assertEqual((notice.amount, notice.currency), (350000.0, "EUR"))
        self.assertEqual(notice.cpv_main, "45212225")
        self.assertEqual(notice.cpv_codes, ("45212225", "45223220", "45311000", "45312100"))
        self.assertEqual(
            [(lot.number, lot.title, lot.amount) for lot in notice.lots],
            [
                ("1", "Gros oeuvre", 230000.0),
                ("2", "Electricité courants forts et faibles", 120000.0),
            ],
        )
        self.assertEqual(notice.lots[1].cpv_codes, ("45311000", "45312100"))
        self.assertEqual(notice.dce_url, "https://www.marches-publics.info/x?a=1&b=2")

    def test_dsp_degrades_to_top_level_fields(self):
        record = {
            "idweb": "26-5000",
            "famille": "DSP",
            "objet": "Délégation de service public pour l'éclairage public",
            "nomacheteur": "Commune de Val-d'Isère",
            "code_departement": ["73"],
            "descripteur_libelle": ["Délégation de service public"],
            "type_marche": None,
            "donnees": json.dumps({"DSP": {"avis": {"texte": {"#text": "Concession"}}}}),
        }
        notice = parse_record(record)
        self.assertEqual(notice.shape, "DSP")
        self.assertEqual(notice.objet, "Délégation de service public pour l'éclairage public")
        self.assertEqual(notice.buyer_name, "Commune de Val-d'Isère")
        self.assertEqual(notice.departements, ("73",))
        self.assertEqual(notice.descriptors, ("Délégation de service public",))
        self.assertEqual(notice.market_types, ())
        for name in ("buyer_siret", "deadline", "amount", "cpv_main", "dce_url"):
            self.assertIsNone(getattr(notice, name), name)

    def test_unknown_shape_uses_the_key_suffix_fallback(self):
        donnees = {
            "NOUVEAU_FORMULAIRE": {
                "objet": {"codeCPV": {"classPrincipale": "45316110-4"}},
                "infos": {"urlDocConsul": "https://dce.example.fr/?a=1&amp;b=2"},
            }
        }
        notice = parse_record({"idweb": "26-6000", "objet": "Éclairage", "donnees": donnees})
        self.assertEqual(notice.shape, "UNKNOWN")
        self.assertEqual(notice.cpv_main, "45316110")
        self.assertEqual(notice.dce_url, "https://dce.example.fr/?a=1&b=2")

    def test_null_donnees_keeps_the_top_level_record(self):
        record = {
            "idweb": "26-6001",
            "objet": "Travaux d'éclairage public",
            "type_marche": ["TRAVAUX"],
            "dateparution": "2026-01-21",
            "donnees": None,
        }
        notice = parse_record(record)
        self.assertEqual(notice.shape, "UNKNOWN")
        self.assertEqual(notice.objet, "Travaux d'éclairage public")
        self.assertEqual(notice.publication_date, date(2026, 1, 21))
        self.assertEqual(notice.market_types, ("TRAVAUX",))
        self.assertEqual(notice.notice_url, "https://www.boamp.fr/pages/avis/?q=idweb:26-6001")
        self.assertEqual((notice.lots, notice.cpv_codes, notice.deadline), ((), (), None))


@tagged("post_install", "-at_install")
class TestMalformedRecords(BaseCase):
    def test_malformed_records_raise_a_clear_error(self):
        cases = {
            "no idweb": {"objet": "x", "donnees": "{}"},
            "not valid JSON": {"idweb": "26-1", "donnees": '{"FNSimple": '},
            "expected an object": {"idweb": "26-1", "donnees": "[1, 2]"},
            "'gestion' is not valid JSON": {"idweb": "26-1", "gestion": "<xml/>"},
        }
        for message, record in cases.items():
            with self.subTest(message), self.assertRaises(NoticeParseError) as caught:
                parse_record(record)
            self.assertIn(message, str(caught.exception))
        with self.assertRaises(NoticeParseError):
            parse_record(["26-1"])

    def test_idweb_from_gestion_when_the_top_level_lacks_it(self):
        gestion = {"REFERENCE": {"IDWEB": "26-7000"}}
        self.assertEqual(parse_record({"gestion": json.dumps(gestion)}).idweb, "26-7000")
