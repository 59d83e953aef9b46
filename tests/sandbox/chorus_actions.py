"""Chorus Pro supplier actions on an invoice's status: compléter, recycler, traiterRejet.

Request keys follow the AIFE "Factures" API as implemented by the go-choruspro
client (``CompleterFactureOptions``, ``RecyclerFactureOptions``,
``TraiterRejetOptions``); answers follow its recorded bodies in
``fixtures/chorus/go-choruspro/TestFacturesService_{CompleterFacture,
RecyclerFacture,TraiterRejet}.response.json``. Inferred, not documented: the
status each call requires (SUSPENDUE, A_RECYCLER, REJETEE, docs/chorus-api.md
sections 5 and 6), the status it leads to (COMPLETEE; EN_COURS_ACHEMINEMENT after a
recycling, as after a deposit) and the error codes (sandbox codes).
"""

from . import chorus_directory as directory
from . import chorus_state as cs

ERR_STATUS = 20020  # sandbox code: the invoice is not in the status the action needs
ERR_ATTACHMENT = 20021  # sandbox code: unknown attachment id


def _invoice(state, body, key):
    if body.get(key) in (None, ""):
        raise cs.ChorusFault(cs.ERR_MISSING, f"Le paramètre {key} est obligatoire")
    return state.find_invoice(body[key])


def _require_status(invoice, status, action):
    if invoice["statut"] != status:
        raise cs.ChorusFault(
            ERR_STATUS,
            f"La facture {invoice['numeroFacture']} est au statut {invoice['statut']} : "
            f"l'action {action} n'est possible qu'au statut {status}",
        )


def completer(state, body):
    """A SUSPENDUE invoice completed by a comment and/or uploaded attachments → COMPLETEE."""
    invoice = _invoice(state, body, "identifiantFactureCPP")
    pieces = body.get("pieceJointeComplementaire") or []
    if not isinstance(pieces, list):
        raise cs.ChorusFault(cs.ERR_VALUE, "pieceJointeComplementaire doit être une liste")
    comment = str(body.get("commentaire") or "").strip()
    if not comment and not pieces:
        raise cs.ChorusFault(
            cs.ERR_MISSING, "Un commentaire ou une pièce jointe complémentaire est obligatoire"
        )
    with state.lock:
        _require_status(invoice, "SUSPENDUE", "compléter")
        names = []
        for piece in pieces:
            piece_id = piece.get("pieceJointeComplementaireId")
            try:
                known = state.attachments.get(int(piece_id))
            except (TypeError, ValueError):
                known = None
            if known is None:
                raise cs.ChorusFault(
                    ERR_ATTACHMENT,
                    f"La pièce jointe {piece_id} n'existe pas ou n'est pas accessible",
                )
            if not piece.get("pieceJointeComplementaireDesignation"):
                raise cs.ChorusFault(
                    cs.ERR_MISSING,
                    "Le paramètre pieceJointeComplementaireDesignation est obligatoire",
                )
            names.append(known["name"])
        invoice.setdefault("attachments", []).extend(names)
        moment = cs.now()
        state._set_status(invoice, "COMPLETEE", comment or None, moment)
    return {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "numeroFacture": invoice["numeroFacture"],
        "dateTraitement": cs.fmt_date(moment),
    }


def recycler(state, body):
    """An A_RECYCLER invoice sent to another recipient / service → routed again."""
    invoice = _invoice(state, body, "identifiantFactureCPP")
    recipient = body.get("destinataire") or {}
    siret = str(recipient.get("codeDestinataire") or "")
    if not siret:
        raise cs.ChorusFault(
            cs.ERR_MISSING, "Le paramètre destinataire.codeDestinataire est obligatoire"
        )
    buyer = directory.buyer(siret)
    if buyer is None:
        raise cs.ChorusFault(
            cs.ERR_UNKNOWN_STRUCTURE, f"La structure {siret} n'existe pas ou n'est pas accessible"
        )
    code = recipient.get("codeServiceExecutant")
    service = cs.find_service(buyer, code) if code else None
    if code and service is None:
        raise cs.ChorusFault(
            cs.ERR_UNKNOWN_SERVICE,
            f"Le service {code} n'existe pas ou n'est pas actif pour {siret}",
        )
    if buyer["requires_service_code"] and not service:
        raise cs.ChorusFault(cs.ERR_MISSING, f"Le code service est obligatoire pour {siret}")
    references = body.get("reference") or {}
    with state.lock:
        _require_status(invoice, "A_RECYCLER", "recycler")
        invoice["buyer"], invoice["service"] = buyer, service
        if references.get("numeroBonCommande"):
            invoice["data"]["ej"] = references["numeroBonCommande"]
        if references.get("numeroMarche"):
            invoice["data"]["contract"] = references["numeroMarche"]
        moment = cs.now()
        state._set_status(invoice, "EN_COURS_ACHEMINEMENT", body.get("commentaire") or None, moment)
    return {
        "identifiantFactureCPP": invoice["identifiantFactureCPP"],
        "numeroFacture": invoice["numeroFacture"],
        "statutFacture": invoice["statut"],
        "dateDepot": cs.fmt_date(invoice["deposited_at"]),
    }


def traiter_rejet(state, body):
    """REJETEE invoices marked as handled by the supplier (``rejetTraite``)."""
    items = body.get("listeDemandePaiement") or []
    if not items or not isinstance(items, list):
        raise cs.ChorusFault(cs.ERR_MISSING, "Le paramètre listeDemandePaiement est obligatoire")
    if not str(body.get("motifRejet") or "").strip():
        raise cs.ChorusFault(cs.ERR_MISSING, "Le paramètre motifRejet est obligatoire")
    invoices = [_invoice(state, item, "idDemandePaiement") for item in items]
    with state.lock:
        for invoice in invoices:
            _require_status(invoice, "REJETEE", "traiterRejet")
        for invoice in invoices:
            invoice["rejetTraite"] = True
    return {}
