"""One parser per API Entreprise / open-data document type: payload in, plain values out.

Each document parser returns a list of :class:`ParsedDocument` (list endpoints
such as Qualifelec or RGE give several certificates). Dates are ``datetime.date``;
``date_end`` is None when the payload does not say, and the document type's
validity rule fills it in later.
"""

import json
from dataclasses import dataclass, field

from .dates import OPEN_END, parse_date


@dataclass
class ParsedDocument:
    external_ref: str = ""
    name: str = ""
    issue_date: object = None
    date_start: object = None
    date_end: object = None
    document_url: str = None
    #: False when the provider refused or archived the document
    valid: bool = True
    details: dict = field(default_factory=dict)

    def details_text(self):
        return json.dumps(self.details, ensure_ascii=False, indent=1, sort_keys=True, default=str)


def _data(payload):
    return (payload or {}).get("data") or {}


def _items(payload):
    """``data`` of a list endpoint: ``[{"data": {...}, "links", "meta"}, ...]``."""
    data = (payload or {}).get("data") or []
    if isinstance(data, dict):
        data = [data]
    return [item.get("data", item) for item in data if isinstance(item, dict)]


def parse_urssaf(payload):
    data = _data(payload)
    status = data.get("entity_status") or {}
    start = parse_date(data.get("date_debut_validite"))
    return [
        ParsedDocument(
            external_ref=data.get("code_securite") or "",
            name="Attestation de vigilance URSSAF",
            issue_date=start,
            date_start=start,
            date_end=parse_date(data.get("date_fin_validite")),
            document_url=data.get("document_url"),
            valid=status.get("code") == "ok",
            details={"statut": status.get("libelle"), "code_securite": data.get("code_securite")},
        )
    ]


def parse_dgfip(payload):
    data = _data(payload)
    issued = parse_date(data.get("date_delivrance_attestation"))
    return [
        ParsedDocument(
            name="Attestation de régularité fiscale",
            issue_date=issued,
            date_start=issued,
            document_url=data.get("document_url"),
            details={"periode_analysee": data.get("date_periode_analysee")},
        )
    ]


def parse_qualifelec(payload):
    documents = []
    for item in _items(payload):
        qualification = item.get("qualification") or {}
        mentions = [m.get("code") for m in qualification.get("mentions") or []]
        documents.append(
            ParsedDocument(
                external_ref=str(item.get("numero") or qualification.get("label") or ""),
                name=f"Qualifelec {qualification.get('label') or ''}".strip(),
                issue_date=parse_date(item.get("date_debut")),
                date_start=parse_date(item.get("date_debut")),
                date_end=parse_date(item.get("date_fin")),
                document_url=item.get("document_url"),
                details={
                    "rge": item.get("rge"),
                    "mentions": mentions,
                    "qualification_fin": qualification.get("date_fin"),
                    "classification": (qualification.get("classification") or {}).get("label"),
                    "assurance_decennale": (item.get("assurance_decennale") or {}).get("nom"),
                    "assurance_civile": (item.get("assurance_civile") or {}).get("nom"),
                },
            )
        )
    return documents


def parse_qualibat(payload):
    data = _data(payload)
    entity = data.get("entity") or {}
    certifications = entity.get("certifications") or []
    return [
        ParsedDocument(
            name="Certificat Qualibat",
            issue_date=parse_date(data.get("date_emission")),
            date_start=parse_date(data.get("date_emission")),
            date_end=parse_date(data.get("date_fin_validite")),
            document_url=data.get("document_url"),
            details={
                "certifications": [f"{c.get('code')} {c.get('libelle')}" for c in certifications],
                "rge": any(c.get("rge") for c in certifications),
                "assurance_travaux": (entity.get("assurance_responsabilite_travaux") or {}).get(
                    "nom"
                ),
            },
        )
    ]


def parse_rge_api(payload):
    documents = []
    for item in _items(payload):
        qualification = item.get("qualification") or {}
        archived = bool((item.get("meta") or {}).get("archived"))
        end = parse_date(item.get("date_expiration"))
        documents.append(
            ParsedDocument(
                external_ref=f"{item.get('organisme')}-{qualification.get('code')}",
                name=f"RGE {qualification.get('nom') or item.get('nom_certificat') or ''}".strip(),
                issue_date=parse_date(item.get("date_attribution")),
                date_start=parse_date(item.get("date_attribution")),
                date_end=None if end == OPEN_END else end,
                document_url=item.get("url"),
                valid=not archived,
                details={
                    "organisme": item.get("organisme"),
                    "domaine": item.get("domaine"),
                    "archive": archived,
                },
            )
        )
    return documents


def parse_rge_open_data(rows):
    """ADEME open-data lines (``liste-des-entreprises-rge-2``) as RGE documents."""
    documents = []
    for row in rows:
        end = parse_date(row.get("lien_date_fin") or row.get("date_fin"))
        start = parse_date(row.get("lien_date_debut") or row.get("date_debut"))
        archived = bool(row.get("traitement_termine"))
        label = row.get("nom_qualification") or row.get("nom_certificat") or ""
        documents.append(
            ParsedDocument(
                external_ref=f"{row.get('organisme')}-{row.get('code_qualification')}",
                name=f"RGE {label}".strip(),
                issue_date=start,
                date_start=start,
                date_end=None if end == OPEN_END else end,
                document_url=row.get("url_qualification"),
                valid=not archived,
                details={
                    "organisme": row.get("organisme"),
                    "domaine": row.get("domaine"),
                    "certificat": row.get("nom_certificat"),
                    "archive": archived,
                },
            )
        )
    return documents


def parse_opqibi(payload):
    data = _data(payload)
    issued = parse_date(data.get("date_delivrance_certificat"))
    return [
        ParsedDocument(
            external_ref=str(data.get("numero_certificat") or ""),
            name="Certificat OPQIBI",
            issue_date=issued,
            date_start=issued,
            date_end=parse_date(data.get("date_validite_qualifications")),
            document_url=data.get("url"),
            details={
                "duree_validite_certificat": data.get("duree_validite_certificat"),
                "qualifications": [q.get("nom") for q in data.get("qualifications") or []],
                "assurances": data.get("assurances"),
            },
        )
    ]


def _document_only(name):
    """Parser for endpoints that only give a document URL (CIBTP, CNETP, PRO BTP, FNTP)."""

    def parse(payload):
        data = _data(payload)
        return [
            ParsedDocument(
                name=name,
                document_url=data.get("document_url"),
                details={"url_expire_dans_s": data.get("expires_in")},
            )
        ]

    return parse


def parse_kbis(payload):
    data = _data(payload)
    extracted = parse_date(data.get("date_extrait"))
    return [
        ParsedDocument(
            name="Extrait RCS (Kbis)",
            issue_date=extracted,
            date_start=extracted,
            valid=not data.get("date_radiation"),
            details={
                "date_immatriculation": data.get("date_immatriculation"),
                "date_radiation": data.get("date_radiation"),
            },
        )
    ]


#: endpoints answering a list of certificates, each kept as its own record
MULTI_DOCUMENT_ENDPOINTS = frozenset({"qualifelec", "rge"})

DOCUMENT_PARSERS = {
    "urssaf_vigilance": parse_urssaf,
    "dgfip_fiscale": parse_dgfip,
    "qualifelec": parse_qualifelec,
    "qualibat": parse_qualibat,
    "rge": parse_rge_api,
    "opqibi": parse_opqibi,
    "cibtp": _document_only("Attestation congés payés CIBTP"),
    "cnetp": _document_only("Attestation congés payés CNETP"),
    "probtp": _document_only("Attestation de cotisations retraite PRO BTP"),
    "fntp": _document_only("Carte professionnelle FNTP"),
    "kbis": parse_kbis,
}
