"""eForms XML → the JSON that BOAMP publishes in ``donnees`` for EFORMS notices.

No real EFORMS BOAMP record is available to this project: the shape rests on the
documentation (docs/boamp.md section 5 (a), fixtures README): BOAMP converts the eForms XML to
JSON the usual xmltodict way and wraps it as ``{"EFORMS": {"ContractNotice": …}}``.
Hence: element names keep their namespace prefixes (``cac:ProcurementProject``), the
root keeps its local name (default namespace), attributes become ``@name`` keys
(namespace declarations included as ``@xmlns:…``, as xmltodict does), text next to
attributes or children becomes ``#text``, an element that repeats becomes a list (a
single one stays a dict), empty elements become ``""``, comments are dropped.

The XML is parsed with lxml with no network access and no entity resolution.
"""

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, load_dtd=False, huge_tree=False
)


def parse_xml(data):
    """Parse eForms XML bytes safely (no DTD, no entities, no network)."""
    return etree.fromstring(data, _PARSER)


def _qualified(element_or_name, nsmap_reverse):
    """``{uri}Local`` → ``prefix:Local`` (no prefix for the default namespace)."""
    qname = etree.QName(element_or_name)
    prefix = nsmap_reverse.get(qname.namespace)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


def _convert(element, nsmap_reverse, declare_ns):
    node = {}
    if declare_ns:
        for prefix, uri in element.nsmap.items():
            node["@xmlns:" + prefix if prefix else "@xmlns"] = uri
    for name, value in element.attrib.items():
        node["@" + _qualified(name, nsmap_reverse)] = value
    for child in element:
        if not isinstance(child.tag, str):  # processing instructions
            continue
        key = _qualified(child, nsmap_reverse)
        value = _convert(child, nsmap_reverse, False)
        if key in node:
            if not isinstance(node[key], list):
                node[key] = [node[key]]
            node[key].append(value)
        else:
            node[key] = value
    text = (element.text or "").strip()
    if not node:
        return text
    if text:
        node["#text"] = text
    return node


def xml_to_donnees(data):
    """eForms XML (bytes) → the ``donnees`` dict: ``{"EFORMS": {"<RootName>": {...}}}``."""
    root = parse_xml(data)
    nsmap_reverse = {uri: prefix for prefix, uri in root.nsmap.items()}
    return {"EFORMS": {etree.QName(root).localname: _convert(root, nsmap_reverse, True)}}


# -- official examples as BOAMP records -------------------------------------------

_NATURE_BY_ROOT = {
    "ContractNotice": "APPEL_OFFRE",
    "ContractAwardNotice": "ATTRIBUTION",
    "PriorInformationNotice": "PRE_INFORMATION",
}
_TYPE_MARCHE = {"works": "TRAVAUX", "supplies": "FOURNITURES", "services": "SERVICES"}
_PROCEDURE = {"open": "OUVERT", "restricted": "RESTREINT", "neg-w-call": "NEGOCIE"}


def _as_list(value):
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _text(value):
    """Plain string of a converted text node (``"x"`` or ``{"#text": "x", …}``)."""
    value = _as_list(value)[0] if _as_list(value) else None
    if isinstance(value, dict):
        return value.get("#text")
    return value or None


def _get(node, *path):
    """Walk ``path`` through a converted notice, taking the first of repeated elements."""
    for key in path:
        node = _as_list(node)[0] if _as_list(node) else {}
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _when(day, clock=None):
    """eForms ``2019-06-24Z`` + ``16:00:00Z`` (or ``+02:00`` offsets) → naive UTC datetime."""
    from datetime import datetime, timezone

    def split(value):
        for marker in ("Z", "+", "-"):
            cut = value.rfind(marker)
            if cut >= 8 or (marker == "Z" and cut > 0):
                return value[:cut], value[cut:].replace("Z", "+00:00")
        return value, "+00:00"

    day_part, offset = split(day)
    time_part, offset2 = split(clock) if clock else ("12:00:00", offset)
    parsed = datetime.fromisoformat(f"{day_part}T{time_part}{offset2 or offset}")
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def example_records(folder, first_number=900001):
    """BOAMP records for the official eForms examples in ``folder``, with a manifest.

    Top-level fields are derived from the converted notice (buyer, title, CPV, deadline,
    winners); notices sharing a ``ContractFolderID`` are linked to the earlier ones via
    ``annonce_lie``.  Examples whose buyer is not French are filed under département 75.
    """
    from .boamp_generator import record_from_spec

    specs = []
    for path in sorted(folder.glob("*.xml")):
        donnees = xml_to_donnees(path.read_bytes())
        root, notice = next(iter(donnees["EFORMS"].items()))
        specs.append(_example_spec(path.stem, root, notice, donnees))
    specs.sort(key=lambda spec: (spec["published"], spec["file"]))
    records, manifest, folders = [], {}, {}
    for number, spec in enumerate(specs, first_number):
        spec["idweb"] = f"{spec['published']:%y}-{number}"
        earlier = folders.setdefault(spec["contractfolderid"], [])
        spec["linked"] = earlier[-1] if earlier and spec["contractfolderid"] else None
        earlier.append(spec["idweb"])
        records.append(record_from_spec(spec))
        manifest[spec["idweb"]] = "eforms_example"
    return records, manifest


def _example_spec(name, root, notice, donnees):
    ext = notice["ext:UBLExtensions"]["ext:UBLExtension"]["ext:ExtensionContent"]
    ext = ext["efext:EformsExtension"]
    companies = {
        _text(org["efac:Company"]["cac:PartyIdentification"]["cbc:ID"]): org["efac:Company"]
        for org in _as_list(ext["efac:Organizations"]["efac:Organization"])
    }
    party = _as_list(notice["cac:ContractingParty"])[0]["cac:Party"]
    company = companies.get(_text(party["cac:PartyIdentification"]["cbc:ID"]), {})
    postal = _text(_get(company, "cac:PostalAddress", "cbc:PostalZone")) or ""
    country = _get(company, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode")
    french = _text(country) == "FRA"
    dep = postal[:2] if french and len(postal) == 5 and postal.isdigit() else "75"
    project = notice.get("cac:ProcurementProject", {})
    main_cpv = project.get("cac:MainCommodityClassification", {})
    deadlines = []
    for lot in _as_list(notice.get("cac:ProcurementProjectLot")):
        period = lot.get("cac:TenderingProcess", {}).get("cac:TenderSubmissionDeadlinePeriod")
        if period and period.get("cbc:EndDate"):
            deadlines.append(_when(period["cbc:EndDate"], period.get("cbc:EndTime")))
    published = _when(notice["cbc:IssueDate"]).date()
    nature = _NATURE_BY_ROOT[root]
    if nature == "APPEL_OFFRE" and "efac:Changes" in ext:
        nature = "RECTIFICATIF"
    result = ext.get("efac:NoticeResult") or {}
    tenderers = {
        _text(party["cbc:ID"]): _text(_as_list(party["efac:Tenderer"])[0]["cbc:ID"])
        for party in _as_list(result.get("efac:TenderingParty"))
        if party.get("efac:Tenderer")
    }
    winners = []
    for tender in _as_list(result.get("efac:LotTender")):
        org = companies.get(
            tenderers.get(_text((tender.get("efac:TenderingParty") or {}).get("cbc:ID")))
        )
        amount = _text((tender.get("cac:LegalMonetaryTotal") or {}).get("cbc:PayableAmount"))
        if org:
            winners.append((_text(_get(org, "cac:PartyName", "cbc:Name")), float(amount or 0)))
    amount = _text(
        (project.get("cac:RequestedTenderTotal") or {}).get("cbc:EstimatedOverallContractAmount")
    )
    return {
        "file": name,
        "category": "eforms_example",
        "shape": "EFORMS",
        "nature": nature,
        "donnees": donnees,
        "objet": _text(project.get("cbc:Name")) or name,
        "buyer": {
            "name": _text(_get(company, "cac:PartyName", "cbc:Name")) or "",
            "dep": dep,
        },
        "cpv": _text(main_cpv.get("cbc:ItemClassificationCode")),
        "extra_cpv": [],
        "type_marche": _TYPE_MARCHE.get(_text(project.get("cbc:ProcurementTypeCode")), "SERVICES"),
        "labels": [],
        "lots": [],
        "published": published,
        "deadline": min(deadlines) if deadlines else _when(notice["cbc:IssueDate"]),
        "deadline_missing": not deadlines,
        "amount": float(amount) if amount else None,
        "procedure": _PROCEDURE.get(
            _text((notice.get("cac:TenderingProcess") or {}).get("cbc:ProcedureCode")), "OUVERT"
        ),
        "deps": [dep],
        "prestation": None,
        "duration": 12,
        "winners": winners,
        "contractfolderid": notice.get("cbc:ContractFolderID"),
        "reference": _text(project.get("cbc:ID")),
    }
