"""Plain helpers turning a parsed notice into crm.lead values (no ORM here).

Remote text is never trusted: everything that reaches HTML goes through
``markupsafe`` escaping.
"""

from datetime import timezone
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

PARIS = ZoneInfo("Europe/Paris")
NAME_LIMIT = 120


def truncate(text, limit):
    """Cut ``text`` at a word boundary and mark the cut with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–") + "…"


def lead_name(buyer, objet, limit=NAME_LIMIT):
    """``AO <buyer> - <objet>``, at most ``limit`` characters, cut cleanly."""
    objet = " ".join((objet or "").split()) or "?"
    buyer = truncate(buyer or "", limit // 2)
    prefix = f"AO {buyer} - " if buyer else "AO "
    return prefix + truncate(objet, limit - len(prefix))


def naive_utc(value):
    """Aware datetime → naive UTC, as Odoo stores Datetime fields."""
    if not value:
        return False
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def paris_date(value):
    """The calendar day of an aware datetime in Europe/Paris."""
    if not value:
        return False
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(PARIS).date()


def matched_lot_numbers(reasons):
    """Lot numbers named by lot-level reasons (keyword or CPV found in a lot)."""
    numbers = []
    for reason in reasons:
        params = reason.params if hasattr(reason, "params") else reason.get("params", {})
        lot = (params or {}).get("lot")
        if lot not in (None, "") and str(lot) not in numbers:
            numbers.append(str(lot))
    return numbers


def expected_amount(notice, reasons):
    """Amount of the matching lots when known, else the notice's estimate, else 0."""
    wanted = set(matched_lot_numbers(reasons))
    amounts = [lot.amount for lot in notice.lots if lot.number in wanted and lot.amount]
    if amounts:
        return sum(amounts)
    return notice.amount or 0.0


def lots_text(notice):
    """One line per lot: number, title, CPV codes, amount."""
    lines = []
    for lot in notice.lots:
        parts = [f"Lot {lot.number}"]
        if lot.title:
            parts.append(lot.title)
        if lot.cpv_codes:
            parts.append("CPV " + ", ".join(lot.cpv_codes))
        if lot.amount:
            parts.append(f"{lot.amount:,.0f} {notice.currency or 'EUR'}".replace(",", " "))
        lines.append(" – ".join(parts))
    return "\n".join(lines)


def notice_lead_fields(notice):
    """The tender fields of a lead as one notice gives them.

    The one notice → lead mapping: a new lead takes them all, an earlier notice reaching a
    lead fills its gaps, a correction compares them with the lead's.
    """
    return {
        "boamp_notice_url": notice.notice_url or False,
        "boamp_dce_url": notice.dce_url or False,
        "tender_deadline": naive_utc(notice.deadline),
        "tender_deadline_kind": notice.deadline_kind if notice.deadline else False,
        "tender_amount": notice.amount or 0.0,
        "tender_cpv_codes": ", ".join(notice.cpv_codes) or False,
        "tender_lots": lots_text(notice) or False,
        "tender_procedure": notice.procedure or False,
        "tender_publication_date": notice.publication_date or False,
    }


def _link(url, label):
    return Markup('<a href="%s" target="_blank" rel="noopener noreferrer">%s</a>') % (url, label)


def description_html(notice, labels, reason_lines):
    """Lead description; ``labels`` maps keys to (translated) captions."""
    rows = [
        (labels["objet"], escape(notice.objet or "")),
        (labels["buyer"], escape(notice.buyer_name or "")),
        (labels["procedure"], escape(notice.procedure or "")),
        (labels["cpv"], escape(", ".join(notice.cpv_codes))),
        (labels["descriptors"], escape(", ".join(notice.descriptors))),
    ]
    if notice.notice_url:
        rows.append((labels["notice"], _link(notice.notice_url, notice.idweb)))
    if notice.dce_url:
        rows.append((labels["dce"], _link(notice.dce_url, notice.dce_url)))
    body = Markup("").join(
        Markup("<li><strong>%s</strong> : %s</li>") % (caption, value)
        for caption, value in rows
        if value
    )
    html = Markup("<ul>%s</ul>") % body
    if notice.lots:
        items = Markup("").join(
            Markup("<li>%s</li>") % line for line in lots_text(notice).splitlines()
        )
        html += Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (labels["lots"], items)
    if reason_lines:
        items = Markup("").join(Markup("<li>%s</li>") % line for line in reason_lines)
        html += Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (labels["reasons"], items)
    return html
