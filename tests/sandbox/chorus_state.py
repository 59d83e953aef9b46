"""In-memory Chorus Pro: deposited flows, the invoices they create, their lifecycle.

No HTTP here (``chorus.py`` turns this state into wire answers).  A deposited
Factur-X (or a ``.zip`` of them, one invoice each) is analysed at once
(``factur-x`` extracts the CII, the XSD of the declared profile is checked)
but the verdict is published only when the flow
is *processed*: after ``flow_delay`` report consultations, or on the admin
call.  Processing applies the directory rules (buyer SIRET known, service code
and EJ as the buyer requires) per invoice (DP) and creates the accepted
invoices in status DEPOSEE.  Invoices then move along ``MAIN_PATH`` on admin
calls, or on their own every ``auto_advance_seconds`` when that option is set.
"""

import base64
import binascii
import datetime as dt
import io
import itertools
import logging
import threading
import zipfile

import facturx
from lxml import etree

from . import chorus_directory as directory

try:
    from zoneinfo import ZoneInfo

    PARIS = ZoneInfo("Europe/Paris")
except Exception:  # no tz database: a fixed winter offset is good enough here
    PARIS = dt.timezone(dt.timedelta(hours=1))

FACTURX_SYNTAX = "IN_DP_E2_CII_FACTURX"
INTERFACE_CODE = "FSO1117A"
SYNTAXES = (
    "IN_DP_E1_UBL_INVOICE",
    "IN_DP_E1_CII_16B",
    "IN_DP_E1_CII",
    "IN_DP_E1_XCBL",
    "IN_DP_E1_PES_FACTURE",
    "IN_DP_E2_UBL_INVOICE_MIN",
    "IN_DP_E2_CII_MIN",
    "IN_DP_E2_CII_MIN_16B",
    "IN_DP_E2_CPP_FACTURE_MIN",
    "IN_DP_E2_PES_FACTURE_MIN",
    FACTURX_SYNTAX,
    "IN_DP_E3_UBL_INVOICE",
)

MAIN_PATH = (
    "DEPOSEE",
    "EN_COURS_ACHEMINEMENT",
    "MISE_A_DISPOSITION",
    "SERVICE_FAIT",
    "MANDATEE",
    "MISE_EN_PAIEMENT",
)
# Buyer decisions that need a reason, with the comment used when none is given.
BRANCHES = {
    "REJETEE": "Facture rejetée : montant non conforme au devis accepté",
    "SUSPENDUE": "Bon de commande manquant",
    "A_RECYCLER": "Facture adressée au mauvais service exécutant",
    "A_COMPLETER": "Merci de joindre le procès-verbal de réception des travaux",
}
# Where an invoice goes from a branch when the admin says "next".
RESUME = {
    "SUSPENDUE": "COMPLETEE",
    "A_COMPLETER": "COMPLETEE",
    "COMPLETEE": "MISE_A_DISPOSITION",
    "A_RECYCLER": "EN_COURS_ACHEMINEMENT",
}
SETTABLE = set(MAIN_PATH) | set(BRANCHES) | set(RESUME) | {"COMPTABILISEE", "ABANDONNEE"}
TYPE_CODES = {"380": "FACTURE", "384": "FACTURE", "381": "AVOIR", "386": "ACOMPTE"}

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class _QuietInSandbox(logging.Filter):
    """Drops the ``factur-x`` log records emitted while the sandbox analyses a deposit.

    The library logs an ERROR for every invalid XML; a rejected deposit is an
    expected answer here, and the suite's runner fails on any logged ERROR.
    """

    local = threading.local()

    def filter(self, record):
        return not getattr(self.local, "active", False)


_QUIET = _QuietInSandbox()
logging.getLogger("factur-x").addFilter(_QUIET)


class ChorusFault(Exception):
    """A functional error answered as ``{codeRetour, libelle}`` with an HTTP status."""

    def __init__(self, code, libelle, http_status=400):
        super().__init__(libelle)
        self.code, self.libelle, self.http_status = code, libelle, http_status


# Sandbox codes (only 20003, attachment > 10 MB, is documented by the AIFE).
ERR_MISSING = 20001
ERR_VALUE = 20002
ERR_TOO_BIG = 20003
ERR_EXTENSION = 20004
ERR_NAME = 20005
ERR_BASE64 = 20006
ERR_UNKNOWN_FLOW = 20010
ERR_UNKNOWN_INVOICE = 20011
ERR_UNKNOWN_STRUCTURE = 20012
ERR_UNKNOWN_SERVICE = 20013


# -- time -------------------------------------------------------------------
def now():
    return dt.datetime.now(PARIS)


def fmt_timestamp(value):
    """``2018-02-16T15:10:25.536+01:00``, the documented Chorus timestamp."""
    value = value.astimezone(PARIS)
    return value.isoformat(timespec="milliseconds")


def fmt_history(value):
    return value.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def fmt_date(value):
    return value.astimezone(PARIS).date().isoformat()


def parse_moment(value, end=False, name="date"):
    """An ISO 8601 datetime (offset optional, Paris time assumed) or a plain date.

    A plain date stands for the start of that day, or its end when ``end``.
    """
    if not isinstance(value, str) or not value.strip():
        raise ChorusFault(ERR_VALUE, f"Le format de la date {name} est invalide : {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ChorusFault(
            ERR_VALUE, f"Le format de la date {name} est invalide : {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def decode_base64(value, name):
    if not value or not isinstance(value, str):
        raise ChorusFault(ERR_MISSING, f"Le paramètre {name} est obligatoire")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ChorusFault(ERR_BASE64, f"Le paramètre {name} n'est pas encodé en base 64") from None


# -- Factur-X analysis --------------------------------------------------------
def _text(node, path):
    found = node.find(path, NS) if node is not None else None
    return found.text.strip() if found is not None and found.text else None


def _amount(node, path):
    value = _text(node, path)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _date102(value):
    if value and len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return value


def parse_cii(xml_bytes):
    """The invoice data Chorus reads from a CII (plain dict, ``None`` when absent)."""
    root = etree.fromstring(xml_bytes, _PARSER)
    doc = root.find("rsm:ExchangedDocument", NS)
    trade = root.find("rsm:SupplyChainTradeTransaction", NS)
    agreement = trade.find("ram:ApplicableHeaderTradeAgreement", NS)
    settlement = trade.find("ram:ApplicableHeaderTradeSettlement", NS)
    totals = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    lines = []
    for item in trade.findall("ram:IncludedSupplyChainTradeLineItem", NS):
        quantity = item.find("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", NS)
        lines.append(
            {
                "number": _text(item, "ram:AssociatedDocumentLineDocument/ram:LineID"),
                "reference": _text(item, "ram:SpecifiedTradeProduct/ram:SellerAssignedID"),
                "name": _text(item, "ram:SpecifiedTradeProduct/ram:Name"),
                "quantity": float(quantity.text) if quantity is not None else 1.0,
                "unit": quantity.get("unitCode") if quantity is not None else "C62",
                "unit_price": _amount(
                    item,
                    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
                ),
                "vat_rate": _amount(
                    item,
                    "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax"
                    "/ram:RateApplicablePercent",
                ),
                "amount": _amount(
                    item,
                    "ram:SpecifiedLineTradeSettlement"
                    "/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
                ),
            }
        )
    vat = [
        {
            "base": _amount(tax, "ram:BasisAmount"),
            "amount": _amount(tax, "ram:CalculatedAmount"),
            "rate": _amount(tax, "ram:RateApplicablePercent"),
            "category": _text(tax, "ram:CategoryCode"),
        }
        for tax in settlement.findall("ram:ApplicableTradeTax", NS)
    ]
    return {
        "number": _text(doc, "ram:ID"),
        "type_code": _text(doc, "ram:TypeCode"),
        "date": _date102(_text(doc, "ram:IssueDateTime/udt:DateTimeString")),
        "cadre": _text(
            root,
            "rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter"
            "/ram:ID",
        ),
        "service_code": _text(agreement, "ram:BuyerReference"),
        "seller_siret": _text(
            agreement, "ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
        ),
        "seller_name": _text(agreement, "ram:SellerTradeParty/ram:Name"),
        "buyer_siret": _text(
            agreement, "ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"
        ),
        "buyer_name": _text(agreement, "ram:BuyerTradeParty/ram:Name"),
        "ej": _text(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        "contract": _text(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        "currency": _text(settlement, "ram:InvoiceCurrencyCode") or "EUR",
        "payment_means": _text(settlement, "ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"),
        "due_date": _date102(
            _text(
                settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
            )
        ),
        "untaxed": _amount(totals, "ram:TaxBasisTotalAmount"),
        "tax": _amount(totals, "ram:TaxTotalAmount"),
        "total": _amount(totals, "ram:GrandTotalAmount"),
        "due": _amount(totals, "ram:DuePayableAmount"),
        "lines": lines,
        "vat": vat,
    }


def _technical(nature, code, libelle):
    return {"natureErreur": nature, "codeErreur": code, "libelleErreur": libelle}


def analyse_pdf(pdf_bytes):
    """``(invoice data, None)`` or ``(None, technical error)`` for one Factur-X PDF."""
    _QUIET.local.active = True
    try:
        return _analyse_pdf(pdf_bytes)
    finally:
        _QUIET.local.active = False


def _analyse_pdf(pdf_bytes):
    try:
        _name, xml = facturx.get_facturx_xml_from_pdf(pdf_bytes, check_xsd=False)
    except Exception as exc:  # pypdf raises many types on a non-PDF
        return None, _technical(
            "ERR_FORMAT",
            "ERR_FORMAT_001",
            f"IRRECEVABILITE: le fichier n'est pas un PDF lisible ({type(exc).__name__})",
        )
    if not xml:
        return None, _technical(
            "ERR_FORMAT",
            "ERR_FORMAT_002",
            "IRRECEVABILITE: aucun fichier factur-x.xml n'est joint au PDF",
        )
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x")
    except Exception as exc:
        detail = str(exc.__cause__ or exc)
        return None, _technical("ERR_XSD", "ERR_XSD_001", f"IRRECEVABILITE: {detail}")
    try:
        return parse_cii(xml), None
    except (etree.XMLSyntaxError, AttributeError) as exc:
        return None, _technical("ERR_XSD", "ERR_XSD_002", f"IRRECEVABILITE: {exc}")


def analyse_file(data, filename):
    """``(invoices, technical errors)`` for a deposited file (PDF, or a zip of PDFs)."""
    if data[:2] == b"PK" or filename.lower().endswith(".zip"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [
                archive.read(name)
                for name in sorted(archive.namelist())
                if name.lower().endswith(".pdf")
            ]
        except zipfile.BadZipFile:
            return [], [
                _technical("ERR_FORMAT", "ERR_FORMAT_003", "IRRECEVABILITE: archive illisible")
            ]
    else:
        members = [data]
    invoices, errors = [], []
    for member in members:
        invoice, error = analyse_pdf(member)
        if error:
            errors.append(error)
        else:
            invoices.append(invoice)
    if not members:
        errors.append(_technical("ERR_FORMAT", "ERR_FORMAT_004", "IRRECEVABILITE: archive vide"))
    return invoices, errors


# -- directory rules ----------------------------------------------------------
def dp_problems(data, buyer, known_numbers):
    """French reasons why Chorus refuses this invoice (empty when it is accepted)."""
    problems = []
    number = data["number"] or ""
    if len(number) > 20:
        problems.append("Le numéro de facture ne doit pas dépasser 20 caractères.")
    if number in known_numbers:
        problems.append(f"La facture {number} a déjà été déposée par ce fournisseur (doublon).")
    if data["type_code"] not in TYPE_CODES:
        problems.append(f"Le type de facture {data['type_code']} n'est pas accepté.")
    if data["seller_siret"] != directory.OWN_SIRET:
        problems.append(
            "L'identifiant fournisseur de la demande de paiement (balise : SellerTradeParty."
            "SpecifiedLegalOrganization.ID) n'est pas référencé dans notre système."
        )
    if buyer is None:
        problems.append(
            "L'identifiant destinataire de la demande de paiement (balise : BuyerTradeParty."
            "SpecifiedLegalOrganization.ID) n'est pas référencé dans notre système."
        )
        return problems
    code, ej = data["service_code"], data["ej"]
    service = find_service(buyer, code) if code else None
    if code and service is None:
        problems.append(
            f"Le code service exécutant {code} (balise : BuyerReference) n'existe pas ou "
            "n'est pas actif pour le destinataire."
        )
    if not code and buyer["requires_service_code"]:
        problems.append(
            "Le code service exécutant (balise : BuyerReference) est obligatoire "
            "pour ce destinataire."
        )
    ej_required = buyer["requires_ej"] or bool(service and service["ej_required"])
    if not ej and ej_required:
        problems.append(
            "Le numéro d'engagement juridique (balise : BuyerOrderReferencedDocument."
            "IssuerAssignedID) est obligatoire pour ce destinataire."
        )
    if not ej and not code and buyer["ej_or_service_code"]:
        problems.append(
            "Le numéro d'engagement juridique ou le code service exécutant doit être "
            "renseigné pour ce destinataire."
        )
    if ej and len(ej) > 50:
        problems.append("Le numéro d'engagement juridique ne doit pas dépasser 50 caractères.")
    return problems


def find_service(structure, code):
    """The active, invoiceable service of that code, or None."""
    for service in structure["services"]:
        if service["codeService"] == code:
            usable = service["estActif"] and code != "FACTURES_PUBLIQUES"
            return service if usable else None
    return None


def structure_by_id(id_structure):
    try:
        wanted = int(id_structure)
    except (TypeError, ValueError):
        return None
    return next((s for s in directory.STRUCTURES if s["idStructureCPP"] == wanted), None)


# -- state --------------------------------------------------------------------
class ChorusState:
    """Flows, invoices and attachments; every public method holds the lock."""

    def __init__(self, flow_delay=1, auto_advance_seconds=None):
        self.flow_delay = int(flow_delay)
        self.auto_advance_seconds = auto_advance_seconds
        self.lock = threading.RLock()
        self.flows = {}  # numeroFluxDepot -> flow
        self.invoices = {}  # identifiantFactureCPP -> invoice
        self.attachments = {}
        self._flow_seq = itertools.count(1273100)
        self._invoice_seq = itertools.count(8316900)
        self._history_seq = itertools.count(41000)
        self._attachment_seq = itertools.count(10321600)

    # -- flows ----------------------------------------------------------------
    def deposit(self, data, filename, syntax):
        invoices, errors = analyse_file(data, filename)
        with self.lock:
            number = f"CPP0011117{next(self._flow_seq):015d}"
            moment = now()
            flow = {
                "numeroFluxDepot": number,
                "nomFichier": filename,
                "syntaxeFlux": syntax,
                "deposited_at": moment,
                "state": "IN_RECU",
                "state_at": moment,
                "consultations": 0,
                "processed": False,
                "parsed": invoices,
                "technical_errors": errors,
                "dp_errors": [],
                "invoice_ids": [],
            }
            self.flows[number] = flow
            return flow

    def consult_flow(self, number):
        """The flow, processed once it has been consulted ``flow_delay`` times."""
        with self.lock:
            flow = self.flows.get(number)
            if flow is None:
                raise ChorusFault(
                    ERR_UNKNOWN_FLOW, f"Le flux {number} n'existe pas ou n'est pas accessible", 200
                )
            if not flow["processed"]:
                if flow["consultations"] >= self.flow_delay:
                    self._process(flow)
                else:
                    flow["consultations"] += 1
            return flow

    def process_flows(self):
        with self.lock:
            pending = [f for f in self.flows.values() if not f["processed"]]
            for flow in pending:
                self._process(flow)
            return [f["numeroFluxDepot"] for f in pending]

    def _process(self, flow):
        moment = now()
        flow["processed"] = True
        flow["state_at"] = moment
        if flow["technical_errors"]:
            flow["state"] = "IN_REJETE"
            return
        accepted = 0
        for data in flow["parsed"]:
            buyer = directory.buyer(data["buyer_siret"] or "")
            problems = dp_problems(data, buyer, self._live_numbers())
            for problem in problems:
                flow["dp_errors"].append(
                    {
                        "numeroDP": data["number"],
                        "identifiantFournisseur": data["seller_siret"] or "",
                        "identifiantDestinataire": data["buyer_siret"] or "",
                        "libelleErreurDP": problem,
                    }
                )
            if not problems:
                invoice = self._create_invoice(data, buyer, flow, moment)
                flow["invoice_ids"].append(invoice["identifiantFactureCPP"])
                accepted += 1
        if accepted == len(flow["parsed"]):
            flow["state"] = "IN_INTEGRE"
        elif accepted:
            flow["state"] = "IN_INTEGRE_PARTIEL"
        else:
            flow["state"] = "IN_REJETE"

    def _live_numbers(self):
        return {i["numeroFacture"] for i in self.invoices.values() if i["statut"] != "REJETEE"}

    def _create_invoice(self, data, buyer, flow, moment, status="DEPOSEE"):
        invoice_id = next(self._invoice_seq)
        invoice = {
            "identifiantFactureCPP": invoice_id,
            "numeroFacture": data["number"],
            "numeroFluxDepot": flow["numeroFluxDepot"],
            "deposited_at": flow["deposited_at"],
            "data": data,
            "buyer": buyer,
            "service": find_service(buyer, data["service_code"]) if data["service_code"] else None,
            "statut": None,
            "status_at": moment,
            "commentaire": None,
            "history": [],
            "rejetTraite": False,
            "next_auto_at": None,
        }
        self.invoices[invoice_id] = invoice
        self._set_status(invoice, status, None, moment)
        return invoice

    # -- lifecycle ------------------------------------------------------------
    def _set_status(self, invoice, code, comment, moment):
        if code in BRANCHES and not comment:
            comment = BRANCHES[code]
        invoice["statut"] = code
        invoice["status_at"] = moment
        invoice["commentaire"] = comment
        invoice["history"].append(
            {
                "id": next(self._history_seq),
                "code": code,
                "at": moment,
                "comment": comment,
            }
        )
        if self.auto_advance_seconds:
            invoice["next_auto_at"] = moment + dt.timedelta(seconds=self.auto_advance_seconds)

    @staticmethod
    def final_status(invoice):
        if invoice["buyer"]["payment_not_reported"]:
            return "MANDATEE"
        return "MISE_EN_PAIEMENT"

    def next_status(self, invoice):
        """The next step of the lifecycle, or None when the invoice is terminal."""
        status = invoice["statut"]
        if status == self.final_status(invoice) or status in ("REJETEE", "ABANDONNEE"):
            return None
        if status in RESUME:
            return RESUME[status]
        if status in MAIN_PATH:
            return MAIN_PATH[MAIN_PATH.index(status) + 1]
        if status == "COMPTABILISEE":
            return "MISE_EN_PAIEMENT" if self.final_status(invoice) == "MISE_EN_PAIEMENT" else None
        return None

    def find_invoice(self, id_facture=None, numero=None):
        with self.lock:
            if id_facture is not None:
                try:
                    invoice = self.invoices.get(int(id_facture))
                except (TypeError, ValueError):
                    invoice = None
            else:
                invoice = next(
                    (i for i in self.invoices.values() if i["numeroFacture"] == numero), None
                )
            if invoice is None:
                raise ChorusFault(
                    ERR_UNKNOWN_INVOICE,
                    "La facture demandée n'existe pas ou n'est pas accessible pour ce fournisseur",
                    200,
                )
            return invoice

    def advance(self, invoice, status=None, comment=None, moment=None):
        """Move one invoice to ``status`` or to its next step; raises ValueError if it cannot."""
        with self.lock:
            target = status or self.next_status(invoice)
            if target is None:
                raise ValueError(f"invoice {invoice['numeroFacture']} is in a final status")
            if target not in SETTABLE:
                raise ValueError(f"status {target} is not emulated; use one of {sorted(SETTABLE)}")
            if target == "MISE_EN_PAIEMENT" and self.final_status(invoice) != target:
                raise ValueError("this buyer never reports MISE_EN_PAIEMENT")
            self._set_status(invoice, target, comment, moment or now())
            return invoice

    def advance_all(self):
        with self.lock:
            moved = []
            for invoice in self.invoices.values():
                if self.next_status(invoice):
                    self.advance(invoice)
                    moved.append(invoice["identifiantFactureCPP"])
            return moved

    def tick(self):
        """Time-driven steps along the main path (only with ``auto_advance_seconds``)."""
        if not self.auto_advance_seconds:
            return
        with self.lock:
            moment = now()
            for invoice in self.invoices.values():
                while (
                    invoice["next_auto_at"]
                    and invoice["next_auto_at"] <= moment
                    and invoice["statut"] in MAIN_PATH
                    and self.next_status(invoice)
                ):
                    self._set_status(
                        invoice, self.next_status(invoice), None, invoice["next_auto_at"]
                    )
                if invoice["next_auto_at"] and invoice["statut"] not in MAIN_PATH:
                    invoice["next_auto_at"] = None

    # -- seeding --------------------------------------------------------------
    def seed(
        self, count, prefix="SEED-", status="MISE_A_DISPOSITION", at=None, buyers=None, numbers=None
    ):
        """Integrated invoices created directly (one flow each), for benchmarks and demos."""
        if status not in MAIN_PATH:
            raise ValueError(f"seed status must be one of {MAIN_PATH}")
        numbers = list(numbers) if numbers else [f"{prefix}{i:05d}" for i in range(1, count + 1)]
        pool = [directory.buyer(s) for s in buyers] if buyers else directory.PUBLIC_BUYERS
        if None in pool:
            raise ValueError("unknown buyer SIRET in buyers")
        moment = at or now() - dt.timedelta(days=2)
        created = []
        with self.lock:
            for index, number in enumerate(numbers):
                buyer = pool[index % len(pool)]
                data = _seed_data(number, buyer, index, moment)
                flow = {
                    "numeroFluxDepot": f"CPP0011117{next(self._flow_seq):015d}",
                    "nomFichier": f"{number}.pdf",
                    "syntaxeFlux": FACTURX_SYNTAX,
                    "deposited_at": moment,
                    "state": "IN_INTEGRE",
                    "state_at": moment,
                    "consultations": 0,
                    "processed": True,
                    "parsed": [data],
                    "technical_errors": [],
                    "dp_errors": [],
                    "invoice_ids": [],
                }
                self.flows[flow["numeroFluxDepot"]] = flow
                target = MAIN_PATH.index(status)
                if buyer["payment_not_reported"]:
                    target = min(target, MAIN_PATH.index("MANDATEE"))
                steps = MAIN_PATH[: target + 1]
                start = moment - dt.timedelta(minutes=len(steps))
                invoice = self._create_invoice(data, buyer, flow, start)
                for offset, step in enumerate(steps[1:], start=1):
                    self._set_status(invoice, step, None, start + dt.timedelta(minutes=offset))
                invoice["status_at"] = invoice["history"][-1]["at"] = moment
                if self.auto_advance_seconds:
                    invoice["next_auto_at"] = moment + dt.timedelta(
                        seconds=self.auto_advance_seconds
                    )
                flow["invoice_ids"].append(invoice["identifiantFactureCPP"])
                created.append(invoice)
        return created

    # -- attachments ----------------------------------------------------------
    def add_attachment(self, name, mimetype, extension, size):
        with self.lock:
            attachment_id = next(self._attachment_seq)
            self.attachments[attachment_id] = {
                "name": name,
                "mimetype": mimetype,
                "extension": extension,
                "size": size,
            }
            return attachment_id


def _seed_data(number, buyer, index, moment):
    untaxed = round(1000 + (index * 137.5) % 9000, 2)
    tax = round(untaxed * 0.2, 2)
    service = next(
        (
            s
            for s in buyer["services"]
            if s["estActif"] and s["codeService"] != "FACTURES_PUBLIQUES"
        ),
        None,
    )
    commitments = buyer["legal_commitments"]
    return {
        "number": number,
        "type_code": "380",
        "date": fmt_date(moment),
        "cadre": "A1",
        "service_code": service["codeService"] if service else None,
        "seller_siret": directory.OWN_SIRET,
        "seller_name": directory.OWN_STRUCTURE["name"],
        "buyer_siret": buyer["siret"],
        "buyer_name": buyer["name"],
        "ej": commitments[0]["number"] if commitments else None,
        "contract": None,
        "currency": "EUR",
        "payment_means": "30",
        "due_date": None,
        "untaxed": untaxed,
        "tax": tax,
        "total": round(untaxed + tax, 2),
        "due": round(untaxed + tax, 2),
        "lines": [
            {
                "number": "1",
                "reference": "TRX-ELEC",
                "name": "Travaux d'électricité",
                "quantity": 1.0,
                "unit": "C62",
                "unit_price": untaxed,
                "vat_rate": 20.0,
                "amount": untaxed,
            }
        ],
        "vat": [{"base": untaxed, "amount": tax, "rate": 20.0, "category": "S"}],
    }
