"""The legal payment deadline of a public buyer and its clock (Code de la commande publique).

Rules and sources are in ``docs/late-payment.md``; in short:

* R2192-10 / R2192-11: 30 days for contracting authorities (State, local authorities and
  other public buyers), 50 days for public health establishments and the armed forces'
  health service, 60 days for public companies other than local public establishments.
* R2192-12: the clock starts when the buyer receives the payment request; for an
  invoice sent through Chorus Pro to a buyer other than the State, that is the
  notification that the invoice was made available on the portal (status
  ``MISE_A_DISPOSITION``).  Works statements: the project manager's reception
  (``A_VALIDER_MOE`` / ``MISE_A_DISPOSITION_MOE`` when Chorus reports it).  Without any
  recorded date, the invoice date plus two days (R2192-12, 4th paragraph).
* R2192-27 to R2192-29: one interruption, before the payment order (``MANDATEE``); once
  the missing documents are received (``COMPLETEE``) a new deadline opens: 30 days, or
  the balance left on the day of the interruption when it is longer.

Dates are calendar days (``datetime.date``); the clock does not look at the time of day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

CATEGORY_DAYS = {
    "state": 30,
    "local": 30,
    "other_public": 30,
    "health": 50,
    "public_company": 60,
}
#: R2192-29: the new deadline after an interruption is at least this long
RESTART_MIN_DAYS = 30
#: R2192-12: without a recorded reception date, the request's date plus two days
UNDATED_RECEPTION_DAYS = 2

#: the project manager received the works statement (the same codes as duret_works)
MOE_RECEPTION = ("A_VALIDER_MOE", "MISE_A_DISPOSITION_MOE", "A_ASSOCIER_MOE")
AVAILABLE = "MISE_A_DISPOSITION"
DEPOSITED = "DEPOSEE"
INTERRUPTING = ("SUSPENDUE", "A_COMPLETER")
COMPLETED = "COMPLETEE"
PAYMENT_ORDERED = "MANDATEE"
PAID = "MISE_EN_PAIEMENT"
#: the buyer (or its project manager) refused the request: no deadline runs; corrected and
#: sent again, it is a new request with a new clock
REJECTED = ("REJETEE", "REFUSEE_MOE", "REFUSEE_MOA")


@dataclass(frozen=True)
class Clock:
    """Where the legal clock of one invoice stands."""

    days: int
    start: date | None
    due: date | None
    interrupted_on: date | None = None
    completed_on: date | None = None
    paid_on: date | None = None

    @property
    def interrupted(self):
        """True while an interruption waits for the missing documents (no due date)."""
        return bool(self.interrupted_on and not self.completed_on)


def current_request(events):
    """The events of the payment request still standing: those after the last rejection
    (a rejected invoice corrected and sent again is a new request with its own clock)."""
    events = sorted(events, key=lambda event: event[1])
    last = max((i for i, (code, _day) in enumerate(events) if code in REJECTED), default=None)
    return events if last is None else events[last + 1 :]


def _first(events, codes, after=None):
    for code, day in events:
        if code in codes and (after is None or day >= after):
            return day
    return None


def start_date(events, invoice_date=None):
    """The day the legal clock starts (see the module docstring)."""
    for codes in (MOE_RECEPTION, (AVAILABLE,), (DEPOSITED,)):
        day = _first(events, codes)
        if day:
            return day
    if invoice_date:
        return invoice_date + timedelta(days=UNDATED_RECEPTION_DAYS)
    return None


def legal_clock(days, events, invoice_date=None, start=None):
    """The clock of one invoice.

    ``events``: ``(code, date)`` pairs of its Chorus history in chronological order.
    ``start``: the reception day when the caller knows it better (works statements),
    else it is read from the events (``start_date``).
    Only the first interruption counts (R2192-27 allows one), and only before the
    payment order; a later ``SUSPENDUE`` leaves the deadline as it was.
    """
    events = current_request(events)
    start = start or start_date(events, invoice_date)
    paid_on = _first(events, (PAID,))
    if not start:
        return Clock(days, None, None, paid_on=paid_on)
    due = start + timedelta(days=days)
    ordered = _first(events, (PAYMENT_ORDERED, PAID), after=start)
    interrupted_on = _first(events, INTERRUPTING, after=start)
    if interrupted_on and ordered and ordered <= interrupted_on:
        interrupted_on = None
    if not interrupted_on:
        return Clock(days, start, due, paid_on=paid_on)
    completed_on = _first(events, (COMPLETED,), after=interrupted_on)
    if not completed_on:
        return Clock(days, start, None, interrupted_on, paid_on=paid_on)
    balance = (due - interrupted_on).days
    new_due = completed_on + timedelta(days=max(RESTART_MIN_DAYS, balance))
    return Clock(days, start, new_due, interrupted_on, completed_on, paid_on)
