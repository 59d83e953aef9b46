"""The PISTE/Chorus client's error handling, with HTTP replaced at the session boundary."""

import base64
import json
import re

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from odoo.addons.duret_procurement.lib.http import Budget
from odoo.addons.duret_procurement.tests.common import FakeClock, FakeResponse, FakeSession
from odoo.tests import TransactionCase, tagged

from ..lib import statuses, wire
from ..lib.chorus_client import ChorusClient, MemoryTokenStore
from ..lib.errors import (
    BudgetExhaustedError,
    ChorusAccountError,
    ChorusAuthError,
    ChorusForbiddenError,
    ChorusFunctionalError,
    PayloadError,
    RateLimitError,
    RemoteError,
    RemoteTimeoutError,
    ServiceUnavailableError,
    TransportError,
    UnexpectedAnswerError,
)
from ..models.chorus_status_labels import INVOICE_STATUS_LABELS, status_label

OAUTH = "https://oauth.example.test"
API = "https://api.example.test"
CLIENT_SECRET = "duret-sandbox-secret"
PASSWORD = "duret-sandbox-password"
LOGIN = "TECH_1_duret@cpro.fr"
TOKEN = "tok-0123456789abcdef"
TOKEN_2 = "tok-fedcba9876543210"
CPRO_ACCOUNT = base64.b64encode(f"{LOGIN}:{PASSWORD}".encode()).decode()
SECRETS = (CLIENT_SECRET, PASSWORD, CPRO_ACCOUNT, TOKEN, TOKEN_2)
SEARCH = "factures/v1/rechercher/fournisseur"
DEPOSIT = "factures/v1/deposer/flux"


def route(operation):
    """The URL pattern of the token endpoint (``"token"``) or of ``/cpro/<operation>``."""
    path = "/api/oauth/token" if operation == "token" else f"/cpro/{operation}"
    return re.escape(path) + "$"


def chorus_session(**answers):
    """The suite's fake session answering Chorus operations (``a__b`` names ``a/b``)."""
    session = FakeSession()
    for operation, items in answers.items():
        session.add(route(operation.replace("__", "/")), *items)
    return session


def bodies(session, operation):
    """The JSON bodies posted to ``/cpro/<operation>``."""
    pattern = re.compile(route(operation))
    return [json.loads(call["data"]) for call in session.calls if pattern.search(call["url"])]


def response(status=200, body=None, headers=None, raw=None):
    """A real ``requests.Response`` as the server would send it."""
    return FakeResponse(status, body if body is not None else {}, raw, headers)


def ok(**fields):
    return response(200, {"codeRetour": 0, "libelle": "TRA_MSG_00.000", **fields})


def token_response(token=TOKEN, expires_in=3600):
    return response(200, {"access_token": token, "token_type": "Bearer", "expires_in": expires_in})


def refused_connection():
    reason = NewConnectionError(None, "Failed to establish a new connection")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/", reason))


@tagged("post_install", "-at_install")
class TestChorusClient(TransactionCase):
    def setUp(self):
        super().setUp()
        self.session = chorus_session(token=[token_response()])
        self.sleeps = []
        self.now = 1_800_000_000.0

    def answer(self, operation, *items):
        self.session.add(route(operation), *items)

    def client(self, **kwargs):
        options = {
            "session": self.session,
            "sleep": self.sleeps.append,
            "wall_clock": lambda: self.now,
            "clock": lambda: self.now,  # calls take no time: budgets are not cut
            "retries": 2,
            "backoff": 1.0,
            **kwargs,
        }
        credentials = ("duret-sandbox-client", CLIENT_SECRET, LOGIN, PASSWORD)
        return ChorusClient(OAUTH, API, *credentials, **options)

    # ------------------------------------------------------------- token
    def test_token_fetched_once_and_sent_with_cpro_account(self):
        self.answer("structures/v1/consulter", ok(idStructureCPP=1), ok(idStructureCPP=2))
        self.answer("transverses/v1/consulterCRDetaille", ok(etatCourantDepotFlux="IN_RECU"))
        client = self.client()
        client.structure_detail(1)
        client.structure_detail(2)
        client.flow_report("CPP001")
        self.assertEqual(client.calls_by_operation["token"], 1)
        self.assertEqual(client.calls, 4)
        token_call = self.session.calls[0]
        self.assertEqual(token_call["url"], OAUTH + "/api/oauth/token")
        self.assertEqual(token_call["data"]["grant_type"], "client_credentials")
        self.assertEqual(token_call["data"]["client_secret"], CLIENT_SECRET)
        api_call = self.session.calls[1]
        self.assertEqual(api_call["url"], API + "/cpro/structures/v1/consulter")
        self.assertEqual(api_call["headers"]["Authorization"], f"Bearer {TOKEN}")
        self.assertEqual(api_call["headers"]["cpro-account"], CPRO_ACCOUNT)
        self.assertEqual(api_call["timeout"], (5.0, 20.0))
        self.assertEqual(json.loads(api_call["data"]), {"idStructureCPP": 1, "codeLangue": "FR"})

    def test_token_renewed_300_seconds_before_expiry(self):
        self.answer("token", token_response(TOKEN_2))
        self.answer("structures/v1/consulter", ok(), ok(), ok())
        client = self.client()
        client.structure_detail(1)
        self.now += 3600 - 301  # still more than 300 s left: cached
        client.structure_detail(1)
        self.assertEqual(client.calls_by_operation["token"], 1)
        self.now += 2  # less than 300 s left: renewed
        client.structure_detail(1)
        self.assertEqual(client.calls_by_operation["token"], 2)
        self.assertEqual(self.session.calls[-1]["headers"]["Authorization"], f"Bearer {TOKEN_2}")

    def test_token_store_shared_between_clients(self):
        store = MemoryTokenStore()
        self.answer("structures/v1/consulter", ok(), ok())
        self.client(token_store=store).structure_detail(1)
        second = self.client(token_store=store)
        second.structure_detail(1)
        self.assertNotIn("token", second.calls_by_operation)
        self.assertEqual(store.get(), (TOKEN, self.now + 3600))

    def test_401_refreshes_token_once_then_succeeds(self):
        self.answer("token", token_response(TOKEN_2))
        self.answer(SEARCH, response(401), ok(listeFactures=[{"numeroFacture": "F1"}]))
        client = self.client()
        self.assertEqual(client.search_invoices(numeroFluxDepot="CPP1"), [{"numeroFacture": "F1"}])
        self.assertEqual(client.calls_by_operation, {"token": 2, SEARCH: 2})
        self.assertEqual(self.session.calls[-1]["headers"]["Authorization"], f"Bearer {TOKEN_2}")

    def test_second_401_is_a_technical_account_error(self):
        self.answer("token", token_response(TOKEN_2))
        self.answer(SEARCH, response(401), response(401))
        client = self.client()
        with self.assertRaises(ChorusAccountError) as caught:
            client.search_invoices()
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(client.calls_by_operation, {"token": 2, SEARCH: 2})

    def test_bad_client_secret_is_an_auth_error(self):
        self.session = chorus_session(
            token=[
                response(401, {"error": "invalid_client", "error_description": "bad credentials"})
            ]
        )
        client = self.client()
        with self.assertRaises(ChorusAuthError) as caught:
            client.structure_detail(1)
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(caught.exception.libelle, "bad credentials")
        self.assertNotIn("structures/v1/consulter", client.calls_by_operation)

    def test_403_means_api_not_subscribed(self):
        self.answer("structures/v1/rechercher", response(403, raw=b"Forbidden"))
        with self.assertRaises(ChorusForbiddenError) as caught:
            self.client().test_connection("84231765300017")
        self.assertEqual(caught.exception.status, 403)

    # ------------------------------------------------------------ retries
    def test_429_then_success_honours_retry_after(self):
        self.answer(SEARCH, response(429, headers={"Retry-After": "7"}), ok(listeFactures=[]))
        client = self.client()
        self.assertEqual(client.search_invoices(), [])
        self.assertEqual(self.sleeps, [7.0])
        self.assertEqual(client.calls_by_operation[SEARCH], 2)

    def test_500_retried_with_backoff_for_reads(self):
        self.answer(SEARCH, response(500), response(502), ok(listeFactures=[{"a": 1}]))
        client = self.client()
        self.assertEqual(client.search_invoices(), [{"a": 1}])
        self.assertEqual(self.sleeps, [1.0, 2.0])

    def test_500_retries_exhausted_for_reads(self):
        self.answer(SEARCH, response(500), response(500), response(503))
        client = self.client()
        with self.assertRaises(ServiceUnavailableError) as caught:
            client.search_invoices()
        self.assertEqual(client.calls_by_operation[SEARCH], 3)
        self.assertEqual(caught.exception.status, 503)
        self.assertFalse(caught.exception.request_may_have_arrived)

    def test_500_never_retried_for_deposit(self):
        self.answer(DEPOSIT, response(500), ok(numeroFluxDepot="CPP2"))
        client = self.client()
        with self.assertRaises(ServiceUnavailableError) as caught:
            client.deposit_flow(b"%PDF-1.7", "FA2026-0042.pdf")
        self.assertEqual(client.calls_by_operation[DEPOSIT], 1)
        self.assertTrue(caught.exception.request_may_have_arrived)
        self.assertEqual(self.sleeps, [])

    def test_deposit_success_payload(self):
        self.answer(DEPOSIT, ok(numeroFluxDepot="CPP0011117000000001273055"))
        answer = self.client().deposit_flow(b"%PDF-1.7 x", "FA2026-0042.pdf")
        self.assertEqual(answer["numeroFluxDepot"], "CPP0011117000000001273055")
        (body,) = bodies(self.session, DEPOSIT)
        self.assertEqual(base64.b64decode(body["fichierFlux"]), b"%PDF-1.7 x")
        self.assertEqual(body["syntaxeFlux"], "IN_DP_E2_CII_FACTURX")
        self.assertEqual(body["nomFichier"], "FA2026-0042.pdf")

    def test_timeout_retried_for_reads_then_fails(self):
        self.answer(SEARCH, *[requests.exceptions.ReadTimeout("read timed out")] * 3)
        client = self.client()
        with self.assertRaises(RemoteTimeoutError) as caught:
            client.search_invoices()
        self.assertEqual(client.calls_by_operation[SEARCH], 3)
        self.assertEqual(caught.exception.kind, "timeout")

    def test_deposit_timeout_may_have_arrived(self):
        self.answer(DEPOSIT, requests.exceptions.ReadTimeout("read timed out"))
        client = self.client()
        with self.assertRaises(RemoteTimeoutError) as caught:
            client.deposit_flow(b"%PDF", "F.pdf")
        self.assertTrue(caught.exception.request_may_have_arrived)
        self.assertEqual(client.calls_by_operation[DEPOSIT], 1)
        # a deposit carries a file: a longer read than other calls
        self.assertEqual(self.session.calls[-1]["timeout"], (5.0, 60.0))

    def test_deposit_dropped_connection_may_have_arrived(self):
        dropped = requests.exceptions.ConnectionError("Connection aborted: RemoteDisconnected")
        self.answer(DEPOSIT, dropped)
        with self.assertRaises(TransportError) as caught:
            self.client().deposit_flow(b"%PDF", "F.pdf")
        self.assertTrue(caught.exception.request_may_have_arrived)

    def test_deposit_answered_200_without_a_readable_object_may_have_arrived(self):
        # a 2xx proves the deposit reached Chorus Pro: an empty or non-object body must not
        # let the invoice be abandoned (and deposited a second time)
        for raw in (b"", b"[]", b'"ok"'):
            self.answer(DEPOSIT, response(200, raw=raw))
            with self.assertRaises(RemoteError) as caught:
                self.client().deposit_flow(b"%PDF", "F.pdf")
            self.assertTrue(caught.exception.request_may_have_arrived, raw)

    def test_deposit_refused_connection_never_arrived(self):
        self.answer(DEPOSIT, refused_connection())
        with self.assertRaises(TransportError) as caught:
            self.client().deposit_flow(b"%PDF", "F.pdf")
        self.assertFalse(caught.exception.request_may_have_arrived)

    def test_connection_error_retried_for_reads(self):
        self.answer("structures/v1/consulter", refused_connection(), ok(idStructureCPP=7))
        self.assertEqual(self.client().structure_detail(7)["idStructureCPP"], 7)
        self.assertEqual(self.sleeps, [1.0])

    def test_malformed_json_retried_then_transport_error(self):
        self.answer(SEARCH, *[response(200, raw=b"<html>gateway</html>")] * 3)
        with self.assertRaises(PayloadError):
            self.client().search_invoices()
        self.assertEqual(len(self.sleeps), 2)

    # ---------------------------------------------- time budget (issue 12, defect 6)
    def test_a_silent_service_holds_a_job_no_longer_than_its_budget(self):
        clock = FakeClock()
        self.session.clock = clock
        self.session.routes.clear()
        self.answer("token", FakeSession.hang)
        budget = Budget(30)
        client = self.client(budget=budget, clock=clock, sleep=clock.sleep)
        with self.assertRaises(RemoteTimeoutError) as caught:
            client.search_invoices()
        # 20 s read, 1 s backoff, then only the 9 s left: never more than the budget
        self.assertEqual([call["timeout"] for call in self.session.calls], [(5, 20), (5, 9)])
        self.assertEqual(budget.spent, 30)
        self.assertEqual(caught.exception.service, "Chorus Pro")
        # the job's next call is refused at once, without touching the network
        with self.assertRaises(BudgetExhaustedError) as caught:
            client.structure_detail(1)
        self.assertTrue(caught.exception.stop_batch)
        self.assertEqual(len(self.session.calls), 2)

    def test_a_long_retry_after_is_not_waited_but_announced(self):
        self.answer(SEARCH, response(429, headers={"Retry-After": "600"}), ok(listeFactures=[]))
        with self.assertRaises(RateLimitError) as caught:
            self.client().search_invoices()
        self.assertEqual(caught.exception.retry_in, 600)
        self.assertTrue(caught.exception.stop_batch)
        self.assertEqual(self.sleeps, [])
        self.assertEqual(len(bodies(self.session, SEARCH)), 1)

    def test_refusals_never_may_have_arrived_so_a_refused_deposit_is_abandoned(self):
        self.answer(DEPOSIT, response(400, {"codeRetour": 20001, "libelle": "Fichier illisible"}))
        with self.assertRaises(ChorusFunctionalError) as caught:
            self.client().deposit_flow(b"%PDF", "F.pdf")
        self.assertFalse(caught.exception.request_may_have_arrived)
        self.assertEqual(caught.exception.kind, "refused")

    # -------------------------------------------------------- codeRetour
    def test_code_retour_checked_on_http_200(self):
        self.answer(
            "structures/v1/consulter",
            response(200, {"codeRetour": 20001, "libelle": "GCU_MSG_01_000 structure inconnue"}),
        )
        with self.assertRaises(ChorusFunctionalError) as caught:
            self.client().structure_detail(99)
        self.assertEqual(caught.exception.code, 20001)
        self.assertEqual(caught.exception.libelle, "GCU_MSG_01_000 structure inconnue")
        self.assertIn("structure inconnue", str(caught.exception))

    def test_code_retour_on_4xx_body(self):
        self.answer(
            "transverses/v1/ajouter/fichier",
            response(400, {"codeRetour": 20003, "libelle": "Fichier trop volumineux"}),
        )
        with self.assertRaises(ChorusFunctionalError) as caught:
            self.client().add_attachment(b"x", "pv.pdf", "application/pdf")
        self.assertEqual(caught.exception.code, 20003)
        self.assertEqual(caught.exception.status, 400)
        self.assertEqual(caught.exception.libelle, "Fichier trop volumineux")

    # ---------------------------------------- answer shapes (issue 9, point 7)
    def test_deposit_answer_without_flow_number_is_uncertain(self):
        self.answer(DEPOSIT, response(200, {"dateDepot": "2026-03-10"}))
        with self.assertRaises(UnexpectedAnswerError) as caught:
            self.client().deposit_flow(b"%PDF", "F1.pdf")
        self.assertTrue(caught.exception.request_may_have_arrived)
        self.assertIn("without flow number", str(caught.exception))
        self.assertEqual(len(bodies(self.session, DEPOSIT)), 1)  # never re-sent

    def test_retour_fonctionnel_envelope_is_an_error_with_its_text(self):
        self.answer(
            DEPOSIT,
            response(
                200,
                {
                    "retourFonctionnel": {
                        "codeRetourFonctionnel": 20002,
                        "libelleRetourFonctionnel": "Structure fermée",
                    }
                },
            ),
        )
        self.answer(
            SEARCH,
            response(
                400,
                {
                    "RetourFonctionnel": {
                        "CodeRetourFonctionnel": "20010",
                        "LibelleRetourFonctionnel": "Période invalide",
                    }
                },
            ),
        )
        client = self.client()
        with self.assertRaises(ChorusFunctionalError) as caught:
            client.deposit_flow(b"%PDF", "F1.pdf")
        self.assertEqual(
            (caught.exception.code, caught.exception.libelle), (20002, "Structure fermée")
        )
        with self.assertRaises(ChorusFunctionalError) as caught:
            client.search_invoices()
        self.assertEqual(caught.exception.code, 20010)
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("Période invalide", str(caught.exception))

    def test_retour_fonctionnel_with_code_zero_is_a_success(self):
        self.answer(
            "structures/v1/consulter",
            response(200, {"retourFonctionnel": {"codeRetourFonctionnel": 0}, "x": 1}),
        )
        self.assertEqual(self.client().structure_detail(1)["x"], 1)

    def test_structure_search_answering_one_object(self):
        one = {"idStructureCPP": 26073602, "identifiantStructure": "21730011000012"}
        self.answer(
            "structures/v1/rechercher",
            ok(listeStructures=one, parametresRetour={"pages": 1, "pageCourante": 1}),
        )
        self.assertEqual(self.client().search_structure("21730011000012"), one)

    def test_history_newest_first_gives_the_latest_by_date(self):
        answer = {
            "idFacture": 7,
            "historiquesDesStatuts": {
                "histoStatut": [
                    {"histoStatutId": 3, "histoStatutCode": "REJETEE",
                     "histoStatutDatePassage": "2026-03-14 09:12", "histoStatutCommentaire": "Non"},
                    {"histoStatutId": 1, "histoStatutCode": "DEPOSEE",
                     "histoStatutDatePassage": "2026-03-10 17:09"},
                    {"histoStatutId": 2, "histoStatutCode": "MISE_A_DISPOSITION",
                     "histoStatutDatePassage": "not a date"},
                ],
                "pagesHistoStatut": 1,
            },
        }  # fmt: skip
        self.answer("factures/v1/consulter/historique", ok(**answer))
        entries = wire.history_entries(self.client().invoice_history(7))
        self.assertEqual([e.code for e in entries], ["MISE_A_DISPOSITION", "DEPOSEE", "REJETEE"])
        latest = wire.latest_entry(entries)
        self.assertEqual((latest.code, latest.comment), ("REJETEE", "Non"))

    def test_search_item_without_id_is_recognised(self):
        self.assertIsNone(wire.invoice_id({"numeroFacture": "F1"}))
        self.assertIsNone(wire.invoice_id({"identifiantFactureCPP": "abc"}))
        self.assertEqual(wire.invoice_id({"identifiantFactureCPP": "8316845"}), 8316845)

    def test_attachment_checked_before_any_call(self):
        client = self.client()
        with self.assertRaises(ChorusFunctionalError):
            client.add_attachment(b"x" * (10 * 1024 * 1024 + 1), "big.pdf", "application/pdf")
        with self.assertRaises(ChorusFunctionalError):
            client.add_attachment(b"x", "virus.exe", "application/octet-stream")
        self.assertEqual(client.calls, 0)
        self.answer("transverses/v1/ajouter/fichier", ok(pieceJointeId=10321512))
        self.assertEqual(client.add_attachment(b"x", "pv.pdf", "application/pdf"), 10321512)

    # --------------------------------------------------------- pagination
    def test_search_invoices_follows_three_pages(self):
        for page in (1, 2, 3):
            invoices = [{"numeroFacture": f"F{page}-{i}"} for i in range(10 if page < 3 else 5)]
            retour = {"pageCourante": page, "pages": 3, "nbResultatsParPage": 10, "total": 25}
            self.answer(SEARCH, ok(listeFactures=invoices, parametresRetour=retour))
        client = self.client()
        found = client.search_invoices(idFournisseur=42, periodeDateHeureEtatCourantDu="2026-03-01")
        self.assertEqual(len(found), 25)
        self.assertEqual(found[-1]["numeroFacture"], "F3-4")
        self.assertEqual(client.calls_by_operation[SEARCH], 3)
        sent = bodies(self.session, SEARCH)
        self.assertEqual(
            [b["rechercheFactureParFournisseur"]["pageResultatDemandee"] for b in sent], [1, 2, 3]
        )
        self.assertEqual({b["idFournisseur"] for b in sent}, {42})

    def test_services_and_structures_paginated(self):
        for page in (1, 2):
            services = [{"codeService": f"S{page}{i}"} for i in range(10)]
            retour = {"pageCourante": page, "pages": 2}
            answer = ok(listeServices=services, parametresRetour=retour)
            self.answer("structures/v1/rechercher/services", answer)
        self.answer(
            "structures/v1/rechercher",
            ok(listeStructures=[{"idStructureCPP": 5}], parametresRetour={"pages": 1}),
        )
        client = self.client()
        self.assertEqual(len(client.structure_services(5)), 20)
        body = bodies(self.session, "structures/v1/rechercher/services")[1]
        self.assertEqual(body["parametresRechercherServicesStructure"]["pageResultatDemandee"], 2)
        self.assertEqual(client.search_structure("21730011000012"), {"idStructureCPP": 5})

    def test_search_structure_needs_exactly_one_match(self):
        self.answer(
            "structures/v1/rechercher",
            ok(listeStructures=[{"idStructureCPP": 1}, {"idStructureCPP": 2}]),
            ok(listeStructures=[]),
        )
        self.answer("token", token_response(TOKEN_2))  # test_connection checks the secret
        client = self.client()
        self.assertIsNone(client.search_structure("21730011000012"))
        with self.assertRaises(ChorusFunctionalError):
            client.test_connection("84231765300017")

    def test_history_pages_merged_and_id_checked(self):
        for page in (1, 2):
            block = {"histoStatut": [{"histoStatutCode": f"S{page}"}], "pagesHistoStatut": 2}
            answer = ok(idFacture=8316845, historiquesDesStatuts=block)
            self.answer("factures/v1/consulter/historique", answer)
        client = self.client()
        history = client.invoice_history(8316845)
        codes = [h["histoStatutCode"] for h in history["historiquesDesStatuts"]["histoStatut"]]
        self.assertEqual(codes, ["S1", "S2"])
        self.answer("factures/v1/consulter/historique", ok(idFacture=1))
        with self.assertRaises(ChorusFunctionalError):
            client.invoice_history(8316845)

    def test_legal_commitment_and_invoice_detail_payloads(self):
        ej_path = "engagementsJuridiques/v1/rechercher"
        self.answer(ej_path, ok(listeEngagementJuridique=[{"numeroEngagementJuridique": "E"}]))
        self.answer("factures/v1/consulter/fournisseur", ok(facture={"statutFacture": "DEPOSEE"}))
        client = self.client()
        self.assertEqual(len(client.search_legal_commitment(26311001, "EJ-1")), 1)
        self.assertEqual(
            bodies(self.session, ej_path)[0],
            {
                "structureReceptriceEngagementJuridique": "26311001",
                "numeroEngagementJuridique": "EJ-1",
                "etatCourantEngagementJuridique": "COMMANDE",
            },
        )
        detail = client.invoice_detail(8316845)
        self.assertEqual(detail["facture"]["statutFacture"], "DEPOSEE")
        self.assertEqual(
            bodies(self.session, "factures/v1/consulter/fournisseur"),
            [{"identifiantFactureCPP": 8316845}],
        )

    # ------------------------------------------------------------ secrets
    def test_secrets_never_in_logs_or_messages(self):
        self.answer("token", token_response(TOKEN_2))
        self.answer(
            SEARCH,
            response(401),
            response(401),
            response(500),
            requests.exceptions.ReadTimeout(f"timed out, token {TOKEN_2}"),
            response(500),
        )
        self.answer(DEPOSIT, requests.exceptions.ConnectionError(f"reset {CPRO_ACCOUNT}"))
        leaky = response(200, {"codeRetour": 1, "libelle": f"bad {PASSWORD}"})
        self.answer("structures/v1/consulter", leaky)
        client = self.client()
        errors = []
        # the shared HTTP layer's log lines (retries) included
        with self.assertLogs("odoo.addons", level="DEBUG") as logs:
            for call in (
                client.search_invoices,
                client.search_invoices,
                lambda: client.deposit_flow(b"%PDF", "F.pdf"),
                lambda: client.structure_detail(1),
            ):
                with self.assertRaises(RemoteError) as caught:
                    call()
                errors.append(caught.exception)
        self.assertEqual(
            [type(e) for e in errors],
            [ChorusAccountError, ServiceUnavailableError, TransportError, ChorusFunctionalError],
        )
        texts = logs.output + [str(e) for e in errors]
        texts += [getattr(e, "libelle", None) or "" for e in errors]
        for secret in SECRETS:
            for text in texts:
                self.assertNotIn(secret, text)
        self.assertIn("***", errors[-1].libelle)

    # ----------------------------------------------------------- statuses
    def test_status_labels_and_terminal_rules(self):
        self.assertEqual(status_label("MISE_EN_PAIEMENT"), "Payment issued")
        self.assertEqual(status_label("NOUVEAU_CODE"), "NOUVEAU_CODE")
        # the language is explicit: French outside any model method too
        self.assertEqual(status_label("MISE_EN_PAIEMENT", "fr_FR"), "Mise en paiement")
        self.assertEqual(status_label("NOUVEAU_CODE", "fr_FR"), "NOUVEAU_CODE")
        self.assertTrue(statuses.is_terminal("REJETEE", True, 1))
        self.assertTrue(statuses.is_terminal("MISE_EN_PAIEMENT", True, 1))
        self.assertFalse(statuses.is_terminal("SUSPENDUE", False, 400))
        self.assertTrue(statuses.is_terminal("MANDATEE", False, 1))
        self.assertFalse(statuses.is_terminal("MANDATEE", True, 179))
        self.assertTrue(statuses.is_terminal("MANDATEE", True, 180))
        self.assertEqual(statuses.WITH_REASON, statuses.ACTION_NEEDED | {"REJETEE"})

    def test_every_status_label_has_a_french_translation(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        untranslated = [
            code
            for code, label in INVOICE_STATUS_LABELS.items()
            if status_label(code, "fr_FR") == status_label(code)
        ]
        self.assertEqual(len(INVOICE_STATUS_LABELS), 57)
        self.assertEqual(untranslated, [])
