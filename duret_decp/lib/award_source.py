"""BOAMP award notices → contracts, until the DECP record of the same contract arrives.

An award notice (``nature = ATTRIBUTION``) is published within 30 days of the contract's
signature; the DECP record of the same contract comes later (up to two months after its
notification) and carries the figures the tab relies on. So an award gives a contract at
once, marked with its origin, and the DECP record completes that contract instead of
adding a second one (docs/decp.md section 9). No ORM here: plain values in, plain values
out, read from :class:`duret_boamp.lib.notice_parser.Notice`.
"""

from datetime import timedelta

from ...duret_boamp.lib.departement import normalize_departement
from .decp_parser import Contract, cpv, holder

#: a DECP record and an award notice are the same contract when the notice was
#: published within this many days of the DECP notification date (design: the notice
#: follows the signature by 30 days at most, the notification follows the signature)
MATCH_DAYS = 60
KEY_PREFIX = "BOAMP|"


def award_key(idweb):
    return f"{KEY_PREFIX}{idweb}"


def contract_from_award(notice):
    """The :class:`Contract` of an award that names its buyer and a holder, else None:
    without a buyer SIRET or a holder's company number the notice cannot be matched with
    its DECP record, nor answer "who won"."""
    if (notice.nature or "").upper() != "ATTRIBUTION":
        return None
    buyer = (notice.buyer_siret or "").replace(" ", "")
    if not (buyer.isdigit() and len(buyer) == 14):
        return None
    holders = [
        found
        for number in notice.holder_ids
        if (found := holder(number, "SIRET" if len(number) == 14 else "SIREN"))
    ]
    if not holders:
        return None
    departements = [normalize_departement(d) for d in notice.departements if d]
    code = cpv(notice.cpv_main)
    return Contract(
        key=award_key(notice.idweb),
        market_id=notice.idweb,
        buyer_siret=buyer,
        object=notice.objet or notice.idweb,
        nature=None,
        procedure=notice.procedure,
        cpv_code=code,
        place_code=notice.buyer_postal_code,
        place_type=None,
        departement=departements[0] if departements else None,
        # the award's date is not in every shape: its publication stands for it (inference)
        notified=notice.publication_date,
        published=notice.publication_date,
        duration_months=None,
        amount=notice.award_amount,
        offers_received=None,
        framework=False,
        price_form=None,
        source="BOAMP",
        holders=holders,
    )


def match_window(day):
    """The DECP notification dates that may be the contract of an award published on ``day``
    (and the reverse: the award dates that may belong to a DECP notification on ``day``)."""
    return day - timedelta(days=MATCH_DAYS), day + timedelta(days=MATCH_DAYS)
