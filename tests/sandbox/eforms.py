"""eForms XML → the JSON that BOAMP publishes in ``donnees`` for EFORMS notices.

No real EFORMS BOAMP record is available to this project: the shape rests on the
documentation (domain.md 2.5 (a), fixtures README): BOAMP converts the eForms XML to
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
