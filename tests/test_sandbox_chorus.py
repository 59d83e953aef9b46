"""Chorus Pro double over real HTTP: every route, error path, fault, and the lifecycle.

Factur-X documents are built at test time from the akretion EN16931 sample of
the shared fixtures (buyer/seller/service/EJ rewritten with lxml) embedded in
a one-page PDF drawn with reportlab.
"""

import base64
import datetime as dt
import importlib.util
import io
import json
import zipfile
from zoneinfo import ZoneInfo

import facturx
import pytest
import requests
from lxml import etree
from reportlab.pdfgen import canvas

from tests.sandbox import chorus_directory as directory
from tests.sandbox.fixtures import REPO_ROOT, fixtures_dir

ACCOUNT = base64.b64encode(b"TECH_1_duret@cpro.fr:duret-sandbox-password").decode()
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
UGINE = directory.BUYER_NO_REQUIREMENT["siret"]
ALBERTVILLE = directory.BUYER_SERVICE_CODE["siret"]
CHAMBERY = directory.BUYER_EJ["siret"]
CH_SAVOIE = directory.BUYER_PAYMENT_NOT_REPORTED["siret"]
PARIS = ZoneInfo("Europe/Paris")


# -- helpers ------------------------------------------------------------------
class Cpro:
    """A Chorus caller holding a PISTE token and the cpro-account header."""

    def __init__(self, sandbox, http):
        self.url, self.http = sandbox.url, http
        token = http.post(
            f"{self.url}/api/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "duret-sandbox-client",
                "client_secret": "duret-sandbox-secret",
                "scope": "openid",
            },
            timeout=10,
        ).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}", "cpro-account": ACCOUNT}

    def raw(self, path, body, **headers):
        return self.http.post(
            f"{self.url}/cpro/{path}", json=body, headers={**self.headers, **headers}, timeout=30
        )

    def call(self, path, body, status=200):
        response = self.raw(path, body)
        assert response.status_code == status, response.text
        return response.json()

    def ok(self, path, body):
        answer = self.call(path, body)
        assert answer["codeRetour"] == 0, answer
        assert answer["libelle"]
        return answer

    def admin(self, path, payload=None, status=200):
        response = self.http.post(f"{self.url}/_sandbox/chorus/{path}", json=payload, timeout=30)
        assert response.status_code == status, response.text
        return response.json()

    def deposit(self, pdf, name="facture.pdf"):
        body = {
            "fichierFlux": base64.b64encode(pdf).decode(),
            "nomFichier": name,
            "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
            "avecSignature": False,
        }
        return self.ok("factures/v1/deposer/flux", body)["numeroFluxDepot"]

    def report(self, flow):
        return self.ok("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": flow})

    def processed_report(self, flow):
        self.admin("process_flows")
        return self.report(flow)

    def search(self, **filters):
        return self.ok("factures/v1/rechercher/fournisseur", filters)

    def history(self, invoice_id):
        return self.ok("factures/v1/consulter/historique", {"idFacture": invoice_id})


@pytest.fixture
def cpro(sandbox, http):
    return Cpro(sandbox, http)


def cii(
    number="FA2026-0001",
    buyer=UGINE,
    seller=directory.OWN_SIRET,
    service=None,
    ej=None,
    break_xsd=False,
):
    """The EN16931 sample rewritten for our seller and a directory buyer."""
    path = fixtures_dir() / "facturx/akretion-factur-x/factur-x-en16931.xml"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    root = etree.fromstring(path.read_bytes(), parser)
    root.find("rsm:ExchangedDocument/ram:ID", NS).text = number
    agreement = root.find("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement", NS)
    for party, siret in (("ram:SellerTradeParty", seller), ("ram:BuyerTradeParty", buyer)):
        legal = agreement.find(f"{party}/ram:SpecifiedLegalOrganization", NS)
        if siret is None:
            legal.getparent().remove(legal)
        else:
            legal.find("ram:ID", NS).text = siret
    reference = agreement.find("ram:BuyerReference", NS)
    if service is None:
        agreement.remove(reference)
    else:
        reference.text = service
    order = agreement.find("ram:BuyerOrderReferencedDocument", NS)
    if ej is None:
        agreement.remove(order)
    else:
        order.find("ram:IssuerAssignedID", NS).text = ej
    if break_xsd:  # Odoo's HTML narration in a note: docs/chorus-api.md section 7, OCA issue #414
        content = root.find("rsm:ExchangedDocument/ram:IncludedNote/ram:Content", NS)
        etree.SubElement(content, "br")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def blank_pdf(text="Facture"):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def facturx_pdf(number="FA2026-0001", **kwargs):
    xml = cii(number, **kwargs)
    return facturx.generate_from_binary(
        blank_pdf(number),
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=not kwargs.get("break_xsd"),
    )


def zipped(pdfs):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for index, pdf in enumerate(pdfs, start=1):
            archive.writestr(f"facture_{index:02d}.pdf", pdf)
    return buffer.getvalue()


def integrated_invoice(cpro, number="FA2026-0001", **kwargs):
    flow = cpro.deposit(facturx_pdf(number, **kwargs))
    report = cpro.processed_report(flow)
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE", report
    return cpro.search(numeroFluxDepot=flow)["listeFactures"][0]


def real_body(name):
    path = fixtures_dir() / "chorus/go-choruspro" / f"{name}.response.json"
    return json.loads(path.read_text())


def assert_same_shape(real, ours, where="$"):
    """Every key of the real body is present with the same JSON type (null matches any)."""
    if isinstance(real, dict):
        assert isinstance(ours, dict), where
        missing = set(real) - set(ours)
        assert not missing, f"{where}: missing {sorted(missing)}"
        for key, value in real.items():
            if ours[key] is not None:
                assert_same_shape(value, ours[key], f"{where}.{key}")
    elif isinstance(real, list):
        assert isinstance(ours, list), where
        if real and ours:
            assert_same_shape(real[0], ours[0], f"{where}[0]")
    elif isinstance(real, bool):
        assert isinstance(ours, bool), where
    elif isinstance(real, (int, float)):
        assert isinstance(ours, (int, float)) and not isinstance(ours, bool), where
    else:
        assert type(ours) is type(real), f"{where}: {type(ours).__name__}"


def moment(answer_timestamp):
    return dt.datetime.fromisoformat(answer_timestamp)


# -- response shapes against the real bodies ----------------------------------
def test_shapes_of_invoice_answers_match_the_real_bodies(cpro):
    invoice = integrated_invoice(cpro, service="SERV-TECH", buyer=ALBERTVILLE)
    cpro.admin("advance", {"numeroFacture": invoice["numeroFacture"], "statut": "SUSPENDUE"})
    search = cpro.search(numeroFacture=invoice["numeroFacture"])
    assert_same_shape(real_body("TestFacturesService_RechercherFactureParFournisseur"), search)
    history = cpro.history(invoice["identifiantFactureCPP"])
    assert_same_shape(real_body("TestFacturesService_ConsulterHistorique"), history)
    detail = cpro.ok(
        "factures/v1/consulter/fournisseur",
        {"identifiantFactureCPP": invoice["identifiantFactureCPP"]},
    )
    assert_same_shape(real_body("TestFacturesService_ConsulterFactureParFournisseur"), detail)


def test_shapes_of_flow_answers_match_the_real_bodies(cpro):
    deposit = cpro.ok(
        "factures/v1/deposer/flux",
        {
            "fichierFlux": base64.b64encode(facturx_pdf(buyer="21733030700026")).decode(),
            "nomFichier": "f.pdf",
            "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
        },
    )
    assert_same_shape(real_body("TestFacturesService_DeposerFlux"), deposit)
    real = real_body("TestTransversesService_ConsulterCompteRenduDetaille")
    rejected_dp = cpro.processed_report(deposit["numeroFluxDepot"])
    assert rejected_dp["listeErreurDP"]
    assert_same_shape(real, rejected_dp)
    rejected_xsd = cpro.processed_report(cpro.deposit(facturx_pdf(break_xsd=True)))
    assert rejected_xsd["listeErreurTechnique"]
    assert_same_shape(real, rejected_xsd)


@pytest.mark.parametrize(
    ("name", "path", "body"),
    [
        (
            "TestUtilisateursService_RechercherStructures",
            "structures/v1/rechercher",
            {
                "structure": {
                    "identifiantStructure": ALBERTVILLE,
                    "typeIdentifiantStructure": "SIRET",
                }
            },
        ),
        (
            "TestUtilisateursService_ConsulterStructure",
            "structures/v1/consulter",
            {"idStructureCPP": directory.OWN_ID_STRUCTURE, "codeLangue": "FR"},
        ),
        (
            "TestUtilisateursService_RechercherServices",
            "structures/v1/rechercher/services",
            {"idStructure": directory.BUYER_SERVICE_CODE["idStructureCPP"]},
        ),
        (
            "TestUtilisateursService_ConsulterService",
            "structures/v1/consulter/service",
            {"idStructure": directory.BUYER_SERVICE_CODE["idStructureCPP"], "idService": 7301101},
        ),
        (
            "TestTransversesService_AjouterPieceJointe",
            "transverses/v1/ajouter/fichier",
            {
                "pieceJointeFichier": base64.b64encode(b"%PDF-1.4 pv").decode(),
                "pieceJointeNom": "pv.pdf",
                "pieceJointeTypeMime": "application/pdf",
                "pieceJointeExtension": "PDF",
            },
        ),
    ],
)
def test_shapes_of_directory_and_attachment_answers(cpro, name, path, body):
    assert_same_shape(real_body(name), cpro.ok(path, body))


def test_health_check_is_a_get_with_the_real_body(cpro, http):
    url = f"{cpro.url}/cpro/transverses/v1/health-check"
    response = http.get(url, headers=cpro.headers, timeout=10)
    assert response.status_code == 200
    assert response.json() == real_body("TestTransversesService_Healthcheck")
    assert http.get(url, timeout=10).status_code == 401


# -- cpro-account and envelope --------------------------------------------------
@pytest.mark.parametrize(
    "account",
    [
        None,
        base64.b64encode(b"TECH_1_duret@cpro.fr:wrong").decode(),
        base64.b64encode(b"TECH_2_other@cpro.fr:duret-sandbox-password").decode(),
        "not base64 !",
    ],
    ids=["missing", "bad-password", "bad-login", "not-base64"],
)
def test_bad_cpro_account_answers_401_with_a_chorus_body(cpro, account):
    headers = {"Authorization": cpro.headers["Authorization"]}
    if account is not None:
        headers["cpro-account"] = account
    response = cpro.http.post(
        f"{cpro.url}/cpro/structures/v1/rechercher", json={}, headers=headers, timeout=10
    )
    assert response.status_code == 401
    body = response.json()
    assert body["codeRetour"] != 0
    assert "cpro-account" in body["libelle"]


def test_expired_technical_password_answers_401(cpro):
    cpro.admin("config", {"password_expiry_days": -1})
    response = cpro.raw("structures/v1/rechercher", {})
    assert response.status_code == 401
    assert "expiré" in response.json()["libelle"]


def test_invalid_json_body_answers_a_chorus_error(cpro):
    response = cpro.http.post(
        f"{cpro.url}/cpro/factures/v1/rechercher/fournisseur",
        data=b"{not json",
        headers={**cpro.headers, "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["codeRetour"] != 0


@pytest.mark.parametrize("kind", ["429", "500", "503", "malformed"])
def test_injected_faults_hit_a_chorus_route_then_clear(cpro, kind):
    route = "/cpro/factures/v1/rechercher/fournisseur"
    cpro.http.post(f"{cpro.url}/_sandbox/faults", json={"route": route, "kind": kind, "count": 1})
    failed = cpro.raw("factures/v1/rechercher/fournisseur", {})
    if kind == "malformed":
        assert failed.status_code == 200
        with pytest.raises(ValueError):
            failed.json()
    else:
        assert failed.status_code == int(kind)
    if kind == "429":
        assert failed.headers["Retry-After"] == "1"
    assert cpro.search()["codeRetour"] == 0
    counters = cpro.http.get(f"{cpro.url}/_sandbox/counters", timeout=10).json()
    expected_first = "200" if kind == "malformed" else kind
    assert counters[f"POST {route}"][expected_first] >= 1


def test_dropped_connection_on_deposit(cpro):
    cpro.http.post(
        f"{cpro.url}/_sandbox/faults",
        json={"route": "/cpro/factures/v1/deposer/flux", "kind": "drop", "count": 1},
    )
    with pytest.raises(requests.exceptions.ConnectionError):
        cpro.deposit(facturx_pdf())
    assert cpro.deposit(facturx_pdf()).startswith("CPP")


def test_lost_answer_on_deposit_the_flow_arrived(cpro):
    route = "/cpro/factures/v1/deposer/flux"
    cpro.http.post(f"{cpro.url}/_sandbox/faults", json={"route": route, "kind": "lost", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        cpro.deposit(facturx_pdf("FA2026-0042"))
    log = cpro.http.get(f"{cpro.url}/_sandbox/log", timeout=10).json()
    assert [entry["status"] for entry in log if entry["path"] == route] == ["lost"]
    cpro.admin("process_flows")
    invoices = cpro.http.get(f"{cpro.url}/_sandbox/chorus/invoices", timeout=10).json()
    assert [i["numeroFacture"] for i in invoices] == ["FA2026-0042"]


def test_hanging_route_times_the_client_out(cpro):
    cpro.http.post(
        f"{cpro.url}/_sandbox/faults",
        json={
            "route": "/cpro/transverses/v1/consulterCRDetaille",
            "kind": "hang",
            "count": 1,
            "seconds": 1.5,
        },
    )
    with pytest.raises(requests.exceptions.ReadTimeout):
        cpro.http.post(
            f"{cpro.url}/cpro/transverses/v1/consulterCRDetaille",
            json={"numeroFluxDepot": "CPP0"},
            headers=cpro.headers,
            timeout=0.3,
        )


# -- deposit and flow report ------------------------------------------------------
def test_deposit_then_report_goes_from_in_recu_to_in_integre(cpro):
    answer = cpro.ok(
        "factures/v1/deposer/flux",
        {
            "fichierFlux": base64.b64encode(facturx_pdf("FA2026-0042")).decode(),
            "nomFichier": "FA2026-0042.pdf",
            "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
        },
    )
    flow = answer["numeroFluxDepot"]
    assert flow.startswith("CPP") and len(flow) == 25 and flow[3:].isdigit()
    assert answer["dateDepot"] == dt.datetime.now(PARIS).date().isoformat()
    assert answer["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX"
    assert cpro.search(numeroFluxDepot=flow)["listeFactures"] == []
    first = cpro.report(flow)
    assert first["etatCourantDepotFlux"] == "IN_RECU"
    assert first["codeInterfaceDepotFlux"] == "FSO1117A"
    assert first["nomFichier"] == f"FSO1117A_CPP001_{flow}"
    second = cpro.report(flow)
    assert second["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert second["listeErreurDP"] == [] and second["listeErreurTechnique"] == []
    assert moment(second["dateHeureEtatCourantFlux"]) >= moment(first["dateDepotFlux"])
    invoices = cpro.search(numeroFluxDepot=flow)["listeFactures"]
    assert [(i["numeroFacture"], i["statut"]) for i in invoices] == [("FA2026-0042", "DEPOSEE")]
    assert isinstance(invoices[0]["identifiantFactureCPP"], int)
    assert invoices[0]["codeDestinataire"] == UGINE


def test_flow_delay_zero_processes_on_first_consultation(cpro):
    cpro.admin("config", {"flow_delay": 0})
    flow = cpro.deposit(facturx_pdf())
    assert cpro.report(flow)["etatCourantDepotFlux"] == "IN_INTEGRE"


def test_flow_delay_counts_consultations(cpro):
    cpro.admin("config", {"flow_delay": 3})
    flow = cpro.deposit(facturx_pdf())
    states = [cpro.report(flow)["etatCourantDepotFlux"] for _ in range(4)]
    assert states == ["IN_RECU", "IN_RECU", "IN_RECU", "IN_INTEGRE"]


def test_process_flows_gives_every_pending_flow_its_verdict(cpro):
    flows = [cpro.deposit(facturx_pdf(f"FA-{n}")) for n in range(2)]
    assert cpro.admin("process_flows")["processed"] == flows
    assert {cpro.report(f)["etatCourantDepotFlux"] for f in flows} == {"IN_INTEGRE"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"syntaxeFlux": None}, 20001),
        ({"syntaxeFlux": "IN_DP_E1_CII_FACTURX"}, 20002),
        ({"syntaxeFlux": "IN_DP_E1_UBL_INVOICE"}, 20002),
        ({"fichierFlux": None}, 20001),
        ({"fichierFlux": "@@not base64@@"}, 20006),
        ({"nomFichier": None}, 20001),
    ],
    ids=["no-syntax", "e1-facturx", "ubl-syntax", "no-file", "bad-base64", "no-name"],
)
def test_bad_deposit_requests_answer_a_code_retour(cpro, change, code):
    body = {
        "fichierFlux": base64.b64encode(facturx_pdf()).decode(),
        "nomFichier": "f.pdf",
        "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
    }
    body.update(change)
    answer = cpro.call("factures/v1/deposer/flux", body, status=400)
    assert answer["codeRetour"] == code
    assert answer["libelle"]


def test_xsd_invalid_facturx_rejects_the_flow(cpro):
    report = cpro.processed_report(cpro.deposit(facturx_pdf(break_xsd=True)))
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    [error] = report["listeErreurTechnique"]
    assert error["natureErreur"] == "ERR_XSD"
    assert error["codeErreur"] == "ERR_XSD_001"
    assert error["libelleErreur"].startswith("IRRECEVABILITE: ")
    assert "Content" in error["libelleErreur"]
    assert cpro.search()["listeFactures"] == []


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"plain text, not a PDF", "ERR_FORMAT_001"), (None, "ERR_FORMAT_002")],
    ids=["not-pdf", "pdf-without-xml"],
)
def test_unreadable_files_reject_the_flow(cpro, content, code):
    report = cpro.processed_report(cpro.deposit(content or blank_pdf()))
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert [e["codeErreur"] for e in report["listeErreurTechnique"]] == [code]


def test_unknown_flow_number_is_a_functional_error(cpro):
    answer = cpro.call("transverses/v1/consulterCRDetaille", {"numeroFluxDepot": "CPP123"})
    assert answer["codeRetour"] == 20010
    assert "CPP123" in answer["libelle"]
    assert cpro.call("transverses/v1/consulterCRDetaille", {}, 400)["codeRetour"] == 20001


@pytest.mark.parametrize(
    ("kwargs", "keyword"),
    [
        ({"buyer": "21733030700026"}, "identifiant destinataire"),
        ({"buyer": None}, "identifiant destinataire"),
        ({"seller": "10000001700010"}, "identifiant fournisseur"),
        ({"buyer": ALBERTVILLE}, "est obligatoire"),
        ({"buyer": ALBERTVILLE, "service": "INCONNU"}, "INCONNU"),
        ({"buyer": ALBERTVILLE, "service": "ECLAIRAGE"}, "ECLAIRAGE"),
        ({"buyer": ALBERTVILLE, "service": "FACTURES_PUBLIQUES"}, "FACTURES_PUBLIQUES"),
        ({"buyer": CHAMBERY}, "engagement juridique"),
        ({"buyer": "21380185500015", "service": "DIRIMMO"}, "engagement juridique"),
        ({"buyer": "21731810400015"}, "ou le code service"),
        ({"buyer": CHAMBERY, "ej": "E" * 51}, "50 caractères"),
    ],
    ids=[
        "buyer-unknown",
        "buyer-missing",
        "seller-unknown",
        "service-missing",
        "service-unknown",
        "service-inactive",
        "service-factures-publiques",
        "ej-missing",
        "ej-missing-for-service",
        "ej-or-service",
        "ej-too-long",
    ],
)
def test_directory_rules_reject_the_invoice_with_liste_erreur_dp(cpro, kwargs, keyword):
    report = cpro.processed_report(cpro.deposit(facturx_pdf("FA2026-0099", **kwargs)))
    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert report["listeErreurTechnique"] == []
    [error] = report["listeErreurDP"]
    assert error["numeroDP"] == "FA2026-0099"
    assert error["identifiantDestinataire"] == (kwargs.get("buyer", UGINE) or "")
    assert error["identifiantFournisseur"] == kwargs.get("seller", directory.OWN_SIRET)
    assert keyword in error["libelleErreurDP"]
    assert cpro.search(numeroFacture="FA2026-0099")["listeFactures"] == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"buyer": ALBERTVILLE, "service": "SERV-TECH"},
        {"buyer": CHAMBERY, "ej": "EJ-2026-000123"},
        {"buyer": "21731810400015", "ej": "BC-2026-0042"},
        {"buyer": "21380185500015", "service": "DIRIMMO", "ej": "2026EJ004512"},
    ],
    ids=["service-code", "ej", "ej-or-service", "service-and-ej"],
)
def test_invoices_meeting_the_buyer_rules_are_integrated(cpro, kwargs):
    invoice = integrated_invoice(cpro, **kwargs)
    assert invoice["codeServiceExecutant"] == kwargs.get("service")
    assert invoice["numeroBonCommande"] == kwargs.get("ej")


def test_a_duplicate_invoice_number_is_refused_unless_the_first_was_rejected(cpro):
    first = integrated_invoice(cpro, "FA2026-0007")
    report = cpro.processed_report(cpro.deposit(facturx_pdf("FA2026-0007")))
    assert "doublon" in report["listeErreurDP"][0]["libelleErreurDP"]
    cpro.admin(
        "advance", {"identifiantFactureCPP": first["identifiantFactureCPP"], "statut": "REJETEE"}
    )
    assert integrated_invoice(cpro, "FA2026-0007")["statut"] == "DEPOSEE"


def test_a_zip_flow_with_one_bad_invoice_is_partially_integrated(cpro):
    pdfs = [facturx_pdf("FA-OK-1"), facturx_pdf("FA-KO", buyer=CHAMBERY), facturx_pdf("FA-OK-2")]
    flow = cpro.deposit(zipped(pdfs), "lot.zip")
    report = cpro.processed_report(flow)
    assert report["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    assert [e["numeroDP"] for e in report["listeErreurDP"]] == ["FA-KO"]
    numbers = {i["numeroFacture"] for i in cpro.search(numeroFluxDepot=flow)["listeFactures"]}
    assert numbers == {"FA-OK-1", "FA-OK-2"}


def test_more_than_ten_invoices_in_one_flow_are_paged(cpro):
    flow = cpro.deposit(zipped([facturx_pdf(f"FA-LOT-{n:02d}") for n in range(12)]), "lot.zip")
    assert cpro.processed_report(flow)["etatCourantDepotFlux"] == "IN_INTEGRE"
    first = cpro.search(numeroFluxDepot=flow)
    assert first["parametresRetour"] == {
        "nbResultatsParPage": 10,
        "pageCourante": 1,
        "pages": 2,
        "total": 12,
    }
    second = cpro.search(
        numeroFluxDepot=flow,
        rechercheFactureParFournisseur={"nbResultatsParPage": 10, "pageResultatDemandee": 2},
    )
    numbers = [i["numeroFacture"] for i in first["listeFactures"] + second["listeFactures"]]
    assert sorted(numbers) == [f"FA-LOT-{n:02d}" for n in range(12)]


# -- invoice search ------------------------------------------------------------------
def test_search_pages_over_more_than_ten_results(cpro):
    cpro.admin("seed_invoices", {"count": 25})
    default = cpro.search()
    assert len(default["listeFactures"]) == 10
    assert default["parametresRetour"] == {
        "nbResultatsParPage": 10,
        "pageCourante": 1,
        "pages": 3,
        "total": 25,
    }
    last = cpro.search(rechercheFactureParFournisseur={"pageResultatDemandee": 3})
    assert len(last["listeFactures"]) == 5
    beyond = cpro.search(rechercheFactureParFournisseur={"pageResultatDemandee": 4})
    assert beyond["listeFactures"] == [] and beyond["parametresRetour"]["total"] == 25
    big = cpro.search(rechercheFactureParFournisseur={"nbResultatsParPage": 100})
    assert len(big["listeFactures"]) == 25 and big["parametresRetour"]["pages"] == 1
    ids = [i["identifiantFactureCPP"] for i in big["listeFactures"]]
    descending = cpro.search(
        rechercheFactureParFournisseur={"nbResultatsParPage": 100, "triSens": "Descendant"}
    )
    assert [i["identifiantFactureCPP"] for i in descending["listeFactures"]] == ids[::-1]


def test_max_page_size_ignores_a_larger_requested_size(cpro):
    assert cpro.admin("config", {"max_page_size": 10})["max_page_size"] == 10
    cpro.admin("seed_invoices", {"count": 12})
    answer = cpro.search(rechercheFactureParFournisseur={"nbResultatsParPage": 100})
    assert len(answer["listeFactures"]) == 10
    assert answer["parametresRetour"]["pages"] == 2


def test_incremental_search_by_status_change_window(cpro):
    before = dt.datetime.now(PARIS) - dt.timedelta(days=2)
    seeded = cpro.admin(
        "seed_invoices",
        {"count": 30, "changed": 4, "dateHeureEtatCourant": before.isoformat()},
    )
    assert len(seeded["changed"]) == 4
    since = dt.datetime.now(PARIS) - dt.timedelta(hours=1)
    for value in (
        since.isoformat(timespec="seconds"),
        since.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        dt.datetime.now(PARIS).date().isoformat(),
    ):
        found = cpro.search(periodeDateHeureEtatCourantDu=value)
        ids = sorted(i["identifiantFactureCPP"] for i in found["listeFactures"])
        assert ids == sorted(seeded["changed"]), value
    window = cpro.search(
        periodeDateHeureEtatCourantDu=(before - dt.timedelta(minutes=1)).isoformat(),
        periodeDateHeureEtatCourantAu=(before + dt.timedelta(minutes=1)).isoformat(),
        rechercheFactureParFournisseur={"nbResultatsParPage": 100},
    )
    assert window["parametresRetour"]["total"] == 26
    day_only = cpro.search(
        periodeDateHeureEtatCourantDu=before.date().isoformat(),
        periodeDateHeureEtatCourantAu=before.date().isoformat(),
    )
    assert day_only["parametresRetour"]["total"] == 26


def test_bad_window_format_is_a_functional_error(cpro):
    answer = cpro.call(
        "factures/v1/rechercher/fournisseur", {"periodeDateHeureEtatCourantDu": "23/11/2026"}, 400
    )
    assert answer["codeRetour"] == 20002
    assert "periodeDateHeureEtatCourantDu" in answer["libelle"]


def test_search_filters(cpro):
    cpro.admin("seed_invoices", {"count": 6, "statut": "MISE_A_DISPOSITION"})
    cpro.admin(
        "seed_invoices",
        {"count": 3, "prefix": "OTHER-", "statut": "SERVICE_FAIT", "buyers": [CHAMBERY]},
    )
    assert cpro.search(numeroFacture="OTHER-00002")["parametresRetour"]["total"] == 1
    assert cpro.search(statutCourant="SERVICE_FAIT")["parametresRetour"]["total"] == 3
    both = cpro.search(statutCourant=["SERVICE_FAIT", "MISE_A_DISPOSITION"])
    assert both["parametresRetour"]["total"] == 9
    own = cpro.search(idFournisseur=directory.OWN_ID_STRUCTURE)
    assert own["parametresRetour"]["total"] == 9
    assert cpro.search(idFournisseur=1)["parametresRetour"]["total"] == 0
    chambery = directory.BUYER_EJ["idStructureCPP"]
    by_buyer = cpro.search(listeDestinataire=[{"idDestinataire": chambery}])
    assert {i["codeDestinataire"] for i in by_buyer["listeFactures"]} == {CHAMBERY}
    assert cpro.search(numeroBonCommande="EJ-2026-000123")["parametresRetour"]["total"] >= 3
    assert cpro.search(typeFacture="AVOIR")["parametresRetour"]["total"] == 0


# -- invoice detail and history -----------------------------------------------------
def test_detail_carries_the_cii_amounts_and_lines(cpro):
    invoice = integrated_invoice(cpro, buyer=ALBERTVILLE, service="SERV-TECH")
    facture = cpro.ok(
        "factures/v1/consulter/fournisseur",
        {"identifiantFactureCPP": invoice["identifiantFactureCPP"]},
    )["facture"]
    assert facture["numeroFacture"] == "FA2026-0001"
    assert facture["statutFacture"] == "DEPOSEE"
    assert facture["montantTotal"]["montantTtcTotal"] == pytest.approx(104.90)
    assert facture["montantTotal"]["montantHtTotal"] == pytest.approx(100.00)
    assert facture["destinataire"]["codeDestinataire"] == ALBERTVILLE
    assert facture["destinataire"]["codeServiceExecutant"] == "SERV-TECH"
    assert facture["lignesDePoste"]["totalLignesPoste"] == 3
    assert facture["cadreDeFacturation"]["codeCadreFacturation"] == "A1_FACTURE_FOURNISSEUR"


@pytest.mark.parametrize(
    "path", ["factures/v1/consulter/fournisseur", "factures/v1/consulter/historique"]
)
def test_unknown_invoice_ids_are_functional_errors(cpro, path):
    key = "idFacture" if path.endswith("historique") else "identifiantFactureCPP"
    answer = cpro.call(path, {key: 999})
    assert answer["codeRetour"] == 20011
    assert "n'existe pas" in answer["libelle"]
    assert cpro.call(path, {}, 400)["codeRetour"] == 20001
    assert cpro.call(path, {key: "abc"}, 400)["codeRetour"] == 20002


def test_history_is_paged_most_recent_first(cpro):
    invoice = integrated_invoice(cpro)
    for _ in range(4):
        cpro.admin("advance", {"identifiantFactureCPP": invoice["identifiantFactureCPP"]})
    history = cpro.history(invoice["identifiantFactureCPP"])
    assert history["idFacture"] == invoice["identifiantFactureCPP"]
    statuses = history["historiquesDesStatuts"]
    assert [h["histoStatutCode"] for h in statuses["histoStatut"]] == [
        "MANDATEE",
        "SERVICE_FAIT",
        "MISE_A_DISPOSITION",
        "EN_COURS_ACHEMINEMENT",
        "DEPOSEE",
    ]
    assert statuses["totalHistoStatut"] == 5
    stamp = statuses["histoStatut"][0]["histoStatutDatePassage"]
    assert dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M")
    paged = cpro.ok(
        "factures/v1/consulter/historique",
        {
            "idFacture": invoice["identifiantFactureCPP"],
            "paramRechercheHistoStatuts": {
                "nbResultatsParPageListeHistoStatut": 2,
                "pageResultatDemandeeListeHistoStatut": 3,
            },
        },
    )["historiquesDesStatuts"]
    assert [h["histoStatutCode"] for h in paged["histoStatut"]] == ["DEPOSEE"]
    assert paged["pagesHistoStatut"] == 3


# -- lifecycle ----------------------------------------------------------------------
def test_full_lifecycle_up_to_mise_en_paiement(cpro):
    invoice = integrated_invoice(cpro, buyer=ALBERTVILLE, service="SERV-TECH")
    key = {"identifiantFactureCPP": invoice["identifiantFactureCPP"]}
    seen, stamps = [invoice["statut"]], [moment(invoice["dateHeureEtatCourant"])]
    for _ in range(5):
        moved = cpro.admin("advance", key)
        seen.append(moved["statut"])
        current = cpro.search(numeroFacture=invoice["numeroFacture"])["listeFactures"][0]
        assert current["statut"] == moved["statut"]
        stamps.append(moment(current["dateHeureEtatCourant"]))
    assert seen == [
        "DEPOSEE",
        "EN_COURS_ACHEMINEMENT",
        "MISE_A_DISPOSITION",
        "SERVICE_FAIT",
        "MANDATEE",
        "MISE_EN_PAIEMENT",
    ]
    assert stamps == sorted(stamps)
    assert "final" in cpro.admin("advance", key, status=400)["error"]
    history = cpro.history(invoice["identifiantFactureCPP"])["historiquesDesStatuts"]
    assert history["totalHistoStatut"] == 6


def test_buyer_that_never_reports_payment_stops_at_mandatee(cpro):
    [invoice] = cpro.admin(
        "seed_invoices", {"count": 1, "statut": "SERVICE_FAIT", "buyers": [CH_SAVOIE]}
    )["factures"]
    key = {"numeroFacture": invoice["numeroFacture"]}
    assert cpro.admin("advance", key)["statut"] == "MANDATEE"
    cpro.admin("advance", key, status=400)
    cpro.admin("advance", {**key, "statut": "MISE_EN_PAIEMENT"}, status=400)
    consulted = cpro.ok(
        "structures/v1/consulter",
        {"idStructureCPP": directory.BUYER_PAYMENT_NOT_REPORTED["idStructureCPP"]},
    )
    assert consulted["parametres"]["statutMiseEnPaiementNestPasRemonte"] is True


@pytest.mark.parametrize(
    ("branch", "comment", "resumes_to"),
    [
        ("SUSPENDUE", "Bon de commande n° 42 manquant", "COMPLETEE"),
        ("A_COMPLETER", None, "COMPLETEE"),
        ("A_RECYCLER", "Mauvais service", "EN_COURS_ACHEMINEMENT"),
        ("REJETEE", "Montant erroné", None),
    ],
)
def test_branches_carry_the_buyer_comment(cpro, branch, comment, resumes_to):
    invoice = integrated_invoice(cpro)
    key = {"identifiantFactureCPP": invoice["identifiantFactureCPP"]}
    cpro.admin("advance", {**key, "statut": branch, "commentaire": comment})
    current = cpro.search(numeroFacture=invoice["numeroFacture"])["listeFactures"][0]
    assert current["statut"] == branch
    assert current["commentaireEtatCourant"] == (comment or current["commentaireEtatCourant"])
    assert current["commentaireEtatCourant"]
    last = cpro.history(invoice["identifiantFactureCPP"])["historiquesDesStatuts"]["histoStatut"][0]
    assert last["histoStatutCode"] == branch
    assert last["histoStatutCommentaire"] == current["commentaireEtatCourant"]
    if resumes_to:
        assert cpro.admin("advance", key)["statut"] == resumes_to
    else:
        cpro.admin("advance", key, status=400)


def test_advance_refuses_unknown_invoices_and_statuses(cpro):
    assert "error" in cpro.admin("advance", {"numeroFacture": "NOPE"}, status=404)
    invoice = integrated_invoice(cpro)
    cpro.admin(
        "advance", {"numeroFacture": invoice["numeroFacture"], "statut": "BROUILLON"}, status=400
    )


def test_advance_all_moves_every_open_invoice_one_step(cpro):
    cpro.admin("seed_invoices", {"count": 3, "statut": "DEPOSEE", "buyers": [UGINE]})
    cpro.admin(
        "seed_invoices",
        {"count": 1, "prefix": "PAID-", "statut": "MISE_EN_PAIEMENT", "buyers": [UGINE]},
    )
    assert len(cpro.admin("advance_all")["advanced"]) == 3
    statuses = {
        i["numeroFacture"]: i["statut"]
        for i in cpro.http.get(f"{cpro.url}/_sandbox/chorus/invoices", timeout=10).json()
    }
    assert statuses == {
        "SEED-00001": "EN_COURS_ACHEMINEMENT",
        "SEED-00002": "EN_COURS_ACHEMINEMENT",
        "SEED-00003": "EN_COURS_ACHEMINEMENT",
        "PAID-00001": "MISE_EN_PAIEMENT",
    }


def test_auto_advance_moves_invoices_over_time(cpro):
    cpro.admin("config", {"auto_advance_seconds": 60})
    past = (dt.datetime.now(PARIS) - dt.timedelta(seconds=150)).isoformat()
    cpro.admin(
        "seed_invoices",
        {"count": 1, "statut": "DEPOSEE", "buyers": [UGINE], "dateHeureEtatCourant": past},
    )
    # steps were due 90 s and 30 s ago; the next one in 30 s
    [invoice] = cpro.search()["listeFactures"]
    assert invoice["statut"] == "MISE_A_DISPOSITION"


def test_seed_with_given_numbers_and_bad_buyer(cpro):
    answer = cpro.admin("seed_invoices", {"numerosFacture": ["FA-1", "FA-2"], "buyers": [UGINE]})
    assert [f["numeroFacture"] for f in answer["factures"]] == ["FA-1", "FA-2"]
    flow = answer["factures"][0]["numeroFluxDepot"]
    assert cpro.report(flow)["etatCourantDepotFlux"] == "IN_INTEGRE"
    cpro.admin("seed_invoices", {"count": 1, "buyers": ["21733030700026"]}, status=400)


# -- attachments ----------------------------------------------------------------------
def attachment(name="pv.pdf", extension="pdf", data=b"%PDF-1.4"):
    return {
        "pieceJointeFichier": base64.b64encode(data).decode(),
        "pieceJointeNom": name,
        "pieceJointeTypeMime": "application/pdf",
        "pieceJointeExtension": extension,
    }


def test_attachment_gets_an_id(cpro):
    first = cpro.ok("transverses/v1/ajouter/fichier", attachment())["pieceJointeId"]
    second = cpro.ok("transverses/v1/ajouter/fichier", attachment("plan.dwg.zip", "ZIP"))
    assert isinstance(first, int) and second["pieceJointeId"] == first + 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (attachment(data=b"x" * (10 * 1024 * 1024 + 1)), 20003),
        (attachment("virus.exe", "exe"), 20004),
        (attachment("n" * 47 + ".pdf"), 20005),
        ({**attachment(), "pieceJointeExtension": ""}, 20001),
        ({**attachment(), "pieceJointeFichier": "%%%"}, 20006),
    ],
    ids=["over-10MB", "bad-extension", "name-51-chars", "no-extension", "bad-base64"],
)
def test_attachment_limits(cpro, body, code):
    answer = cpro.call("transverses/v1/ajouter/fichier", body, status=400)
    assert answer["codeRetour"] == code
    assert answer["libelle"]


def test_attachment_of_exactly_10_mb_is_accepted(cpro):
    body = attachment(data=b"x" * (10 * 1024 * 1024))
    assert cpro.ok("transverses/v1/ajouter/fichier", body)["pieceJointeId"]


# -- structures, services, legal commitments -------------------------------------------
def test_structure_search_by_siret_and_by_name(cpro):
    found = cpro.ok(
        "structures/v1/rechercher",
        {
            "structure": {"identifiantStructure": ALBERTVILLE, "typeIdentifiantStructure": "SIRET"},
            "restreindreStructuresPrivees": False,
        },
    )["listeStructures"]
    assert [(s["idStructureCPP"], s["designationStructure"]) for s in found] == [
        (directory.BUYER_SERVICE_CODE["idStructureCPP"], "COMMUNE D'ALBERTVILLE")
    ]
    none = cpro.ok("structures/v1/rechercher", {"structure": {"identifiantStructure": "1"}})
    assert none["listeStructures"] == [] and none["parametresRetour"]["total"] == 0
    communes = cpro.ok(
        "structures/v1/rechercher",
        {
            "structure": {"raisonSocialeStructure": "commune"},
            "parametres": {"nbResultatsParPage": 2, "pageResultatDemandee": 1},
        },
    )
    assert communes["parametresRetour"]["total"] == 5
    assert communes["parametresRetour"]["pages"] == 3
    private = cpro.ok("structures/v1/rechercher", {"restreindreStructuresPrivees": True})
    assert [s["identifiantStructure"] for s in private["listeStructures"]] == [directory.OWN_SIRET]


def test_own_structure_shows_the_password_expiry(cpro):
    answer = cpro.ok("structures/v1/consulter", {"idStructureCPP": directory.OWN_ID_STRUCTURE})
    info = answer["informationGenerales"]
    assert info["identifiantStructure"] == directory.OWN_SIRET
    expiry = moment(info["dateExpirationMotPasseCompteTech"])
    days = (expiry - dt.datetime.now(PARIS)).total_seconds() / 86400
    assert 19 < days <= 20
    assert answer["parametres"]["codeServiceDoitEtreRenseigne"] is False


def test_buyer_structure_flags_and_legacy_key(cpro):
    answer = cpro.ok(
        "structures/v1/consulter", {"idStructure": directory.BUYER_SERVICE_CODE["idStructureCPP"]}
    )
    assert answer["parametres"]["codeServiceDoitEtreRenseigne"] is True
    assert answer["parametres"]["numeroEJDoitEtreRenseigne"] is False
    assert answer["informationGenerales"]["dateExpirationMotPasseCompteTech"] is None
    assert answer["informationGenerales"]["structurePriveePublique"] == "PUBLIQUE"


@pytest.mark.parametrize("path", ["structures/v1/consulter", "structures/v1/rechercher/services"])
def test_unknown_structure_is_a_functional_error(cpro, path):
    answer = cpro.call(path, {"idStructureCPP": 1, "idStructure": 1})
    assert answer["codeRetour"] == 20012
    assert cpro.call(path, {}, 400)["codeRetour"] == 20001


def test_services_list_includes_inactive_and_public_invoicing_services(cpro):
    answer = cpro.ok(
        "structures/v1/rechercher/services",
        {
            "idStructure": directory.BUYER_SERVICE_CODE["idStructureCPP"],
            "parametresRechercherServicesStructure": {"nbResultatsParPage": 100},
        },
    )
    services = {s["codeService"]: s for s in answer["listeServices"]}
    assert services["ECLAIRAGE"]["estActif"] is False
    assert services["ECLAIRAGE"]["dateFinService"] == "2024-12-31"
    assert "FACTURES_PUBLIQUES" in services
    paged = cpro.ok(
        "structures/v1/rechercher/services",
        {
            "idStructure": directory.BUYER_SERVICE_CODE["idStructureCPP"],
            "parametresRechercherServicesStructure": {
                "nbResultatsParPage": 3,
                "pageResultatDemandee": 2,
            },
        },
    )
    assert len(paged["listeServices"]) == 1 and paged["parametresRetour"]["pages"] == 2


def test_service_detail_and_unknown_service(cpro):
    grenoble = directory.buyer("21380185500015")["idStructureCPP"]
    answer = cpro.ok(
        "structures/v1/consulter/service", {"idStructure": grenoble, "idService": 3818501}
    )
    assert answer["informationsGenerales"]["codeService"] == "DIRIMMO"
    assert answer["parametres"]["numeroEngagement"] is True
    unknown = cpro.call(
        "structures/v1/consulter/service", {"idStructure": grenoble, "idService": 1}
    )
    assert unknown["codeRetour"] == 20013


def test_legal_commitment_search(cpro):
    own = directory.OWN_ID_STRUCTURE
    found = cpro.ok(
        "engagementsJuridiques/v1/rechercher",
        {
            "structureReceptriceEngagementJuridique": own,
            "numeroEngagementJuridique": "EJ-2026-000123",
            "etatCourantEngagementJuridique": "COMMANDE",
        },
    )["listeEngagementJuridique"]
    assert [
        (e["numeroEngagementJuridique"], e["identifiantStructureEmettrice"]) for e in found
    ] == [("EJ-2026-000123", CHAMBERY)]
    solde = cpro.ok(
        "engagementsJuridiques/v1/rechercher",
        {
            "structureReceptriceEngagementJuridique": own,
            "numeroEngagementJuridique": "EJ-2025-000987",
            "etatCourantEngagementJuridique": "COMMANDE",
        },
    )
    assert solde["listeEngagementJuridique"] == []
    other = cpro.call(
        "engagementsJuridiques/v1/rechercher", {"structureReceptriceEngagementJuridique": 25730011}
    )
    assert other["codeRetour"] == 20012


# -- the directory as plain data ------------------------------------------------------
def _siret_module():
    path = REPO_ROOT / "duret_procurement/lib/siret.py"
    spec = importlib.util.spec_from_file_location("duret_siret", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_directory_sirets_are_valid_and_unique():
    siret = _siret_module()
    sirets = [s["siret"] for s in directory.STRUCTURES]
    assert all(siret.is_valid_siret(value) for value in sirets)
    assert len(set(sirets)) == len(sirets)
    assert len({s["idStructureCPP"] for s in directory.STRUCTURES}) == len(sirets)
    savoie_communes = [
        b
        for b in directory.PUBLIC_BUYERS
        if b["kind"] == "commune" and b["address"]["codePostal"].startswith("73")
    ]
    assert savoie_communes and all(b["siret"].startswith("2173") for b in savoie_communes)
    assert directory.buyer("21730011000012")["name"] == "COMMUNE D'ALBERTVILLE"
    kinds = {b["kind"] for b in directory.PUBLIC_BUYERS}
    assert {"commune", "departement", "hopital", "college", "lycee"} <= kinds


# -- answer shapes other clients recorded (chorus_shapes.py) ---------------------
def test_shape_deposit_without_flow_number_still_deposits(cpro):
    cpro.admin("shape", {"route": "factures/v1/deposer/flux", "shape": "no_flow_number"})
    body = {
        "fichierFlux": base64.b64encode(facturx_pdf("FA2026-0077")).decode(),
        "nomFichier": "FA2026-0077.pdf",
        "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
    }
    answer = cpro.call("factures/v1/deposer/flux", body)
    assert "numeroFluxDepot" not in answer and "codeRetour" not in answer
    assert answer["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX"
    cpro.admin("process_flows")
    found = cpro.search(numeroFacture="FA2026-0077")["listeFactures"]
    assert [i["statut"] for i in found] == ["DEPOSEE"]
    # one answer only: the next deposit is ordinary again
    assert cpro.deposit(facturx_pdf("FA2026-0078")).startswith("CPP")


@pytest.mark.parametrize(
    "shape, status, envelope, code, text",
    [
        ("retour_fonctionnel", None, "retourFonctionnel", "codeRetourFonctionnel",
         "libelleRetourFonctionnel"),
        ("retour_fonctionnel_pascal", 400, "RetourFonctionnel", "CodeRetourFonctionnel",
         "LibelleRetourFonctionnel"),
    ],
)  # fmt: skip
def test_shape_retour_fonctionnel_refuses_the_call(cpro, shape, status, envelope, code, text):
    spec = {"route": "factures/v1/deposer/flux", "shape": shape, "libelle": "Structure fermée"}
    if status:
        spec["status"] = status
    cpro.admin("shape", spec)
    body = {
        "fichierFlux": base64.b64encode(facturx_pdf("FA2026-0079")).decode(),
        "nomFichier": "FA2026-0079.pdf",
        "syntaxeFlux": "IN_DP_E2_CII_FACTURX",
    }
    answer = cpro.call("factures/v1/deposer/flux", body, status=status or 200)
    assert answer == {envelope: {code: 20002, text: "Structure fermée"}}
    cpro.admin("process_flows")
    assert cpro.search(numeroFacture="FA2026-0079")["listeFactures"] == []


def test_shape_search_item_without_id(cpro):
    integrated_invoice(cpro, "FA2026-0080")
    integrated_invoice(cpro, "FA2026-0081")
    cpro.admin("shape", {"route": "factures/v1/rechercher/fournisseur", "shape": "item_without_id"})
    items = cpro.search()["listeFactures"]
    assert "identifiantFactureCPP" not in items[0]
    assert all("identifiantFactureCPP" in item for item in items[1:])


def test_shape_single_structure_as_an_object(cpro):
    cpro.admin("shape", {"route": "structures/v1/rechercher", "shape": "single_object"})
    answer = cpro.ok(
        "structures/v1/rechercher",
        {"structure": {"identifiantStructure": UGINE, "typeIdentifiantStructure": "SIRET"}},
    )
    assert isinstance(answer["listeStructures"], dict)
    assert answer["listeStructures"]["identifiantStructure"] == UGINE


def test_unknown_shape_is_refused(cpro):
    cpro.admin("shape", {"route": "factures/v1/deposer/flux", "shape": "nope"}, status=400)


# -- supplier actions: compléter, recycler, traiterRejet ---------------------------
def _attachment(cpro, name="pv_reception.pdf"):
    body = {
        "pieceJointeFichier": base64.b64encode(b"%PDF-1.4 PV").decode(),
        "pieceJointeNom": name,
        "pieceJointeTypeMime": "application/pdf",
        "pieceJointeExtension": "PDF",
    }
    return cpro.ok("transverses/v1/ajouter/fichier", body)["pieceJointeId"]


def _admin_invoice(cpro, number):
    (invoice,) = [
        i
        for i in cpro.http.get(f"{cpro.url}/_sandbox/chorus/invoices", timeout=10).json()
        if i["numeroFacture"] == number
    ]
    return invoice


def test_completer_a_suspended_invoice_with_an_attachment(cpro):
    invoice = integrated_invoice(cpro, "FA2026-0090")
    chorus_id = invoice["identifiantFactureCPP"]
    body = {"identifiantFactureCPP": chorus_id, "commentaire": "PV joint"}
    refused = cpro.call("factures/v1/completer", body, status=400)
    assert refused["codeRetour"] == 20020 and "SUSPENDUE" in refused["libelle"]
    cpro.admin("advance", {"identifiantFactureCPP": chorus_id, "statut": "SUSPENDUE"})
    piece = {"pieceJointeComplementaireId": 999, "pieceJointeComplementaireDesignation": "PV",
             "pieceJointeComplementaireType": "PV"}  # fmt: skip
    unknown = cpro.call(
        "factures/v1/completer", {**body, "pieceJointeComplementaire": [piece]}, status=400
    )
    assert unknown["codeRetour"] == 20021
    piece["pieceJointeComplementaireId"] = _attachment(cpro)
    answer = cpro.ok("factures/v1/completer", {**body, "pieceJointeComplementaire": [piece]})
    assert set(answer) >= set(real_body("TestFacturesService_CompleterFacture"))
    assert answer["identifiantFactureCPP"] == chorus_id
    history = cpro.history(chorus_id)["historiquesDesStatuts"]["histoStatut"]
    assert (history[0]["histoStatutCode"], history[0]["histoStatutCommentaire"]) == (
        "COMPLETEE",
        "PV joint",
    )
    assert _admin_invoice(cpro, "FA2026-0090")["piecesJointesComplementaires"] == [
        "pv_reception.pdf"
    ]


def test_recycler_sends_the_invoice_to_another_service(cpro):
    invoice = integrated_invoice(cpro, "FA2026-0091", buyer=ALBERTVILLE, service="SERV-TECH")
    chorus_id = invoice["identifiantFactureCPP"]
    cpro.admin("advance", {"identifiantFactureCPP": chorus_id, "statut": "A_RECYCLER"})
    body = {
        "identifiantFactureCPP": chorus_id,
        "destinataire": {"codeDestinataire": ALBERTVILLE, "codeServiceExecutant": "NOPE"},
        "reference": {"numeroBonCommande": "EJ-42"},
        "commentaire": "Service des finances",
    }
    assert cpro.call("factures/v1/recycler", body, status=400)["codeRetour"] == 20013
    body["destinataire"]["codeServiceExecutant"] = "FINANCES"
    answer = cpro.ok("factures/v1/recycler", body)
    assert set(answer) >= set(real_body("TestFacturesService_RecyclerFacture"))
    assert answer["statutFacture"] == "EN_COURS_ACHEMINEMENT"
    admin = _admin_invoice(cpro, "FA2026-0091")
    assert (admin["codeServiceExecutant"], admin["numeroBonCommande"]) == ("FINANCES", "EJ-42")
    # recycling is only for A_RECYCLER
    assert cpro.call("factures/v1/recycler", body, status=400)["codeRetour"] == 20020


def test_traiter_rejet_marks_a_rejected_invoice_handled(cpro):
    invoice = integrated_invoice(cpro, "FA2026-0092")
    chorus_id = invoice["identifiantFactureCPP"]
    body = {"listeDemandePaiement": [{"idDemandePaiement": chorus_id}], "motifRejet": "Corrigée"}
    assert cpro.call("factures/v1/traiterRejet", body, status=400)["codeRetour"] == 20020
    cpro.admin("advance", {"identifiantFactureCPP": chorus_id, "statut": "REJETEE"})
    answer = cpro.ok("factures/v1/traiterRejet", {**body, "cpltInfos": "Renvoyée"})
    assert set(answer) == set(real_body("TestFacturesService_TraiterRejet"))
    assert cpro.search(numeroFacture="FA2026-0092", rejetTraite=True)["listeFactures"]
    assert cpro.call("factures/v1/traiterRejet", {**body, "motifRejet": ""}, status=400)
