"""Whether the amounts of an invoice can go to Chorus Pro (pure rule, no ``odoo`` import).

A negative line is not a credit note: Odoo's own final invoice deducts a down
payment with a negative line, and the Factur-X turns every negative line into
a document-level allowance (BG-20) of the same VAT rate (docs/chorus-facturx.md).
What cannot be sent is a document whose amounts make no sense once that is done:

* a total that is not positive (Chorus wants credit notes as type 381 with
  positive amounts, never a negative invoice);
* deductions larger than what is invoiced at their VAT rate: the VAT breakdown
  of that rate (BT-116) would be negative.

The models give plain values and translate the problem codes.
"""

from collections import defaultdict
from decimal import Decimal

TOTAL_NOT_POSITIVE = "total_not_positive"
DEDUCTION_EXCEEDS_RATE = "deduction_exceeds_rate"


def problems(total, lines):
    """``[(code, vat_key)]`` for what prevents sending; empty when the amounts are sendable.

    ``total``: the document total, tax included, as the document shows it (a
    credit note's total is positive). ``lines``: ``[(net_amount, vat_key)]`` for
    every invoice line, ``net_amount`` signed as on the document and ``vat_key``
    whatever names the line's VAT rate (the models pass the tax labels).
    """
    found = []
    if Decimal(str(total)) <= 0:
        found.append((TOTAL_NOT_POSITIVE, None))
    per_rate = defaultdict(Decimal)
    has_deduction = set()
    for net_amount, vat_key in lines:
        amount = Decimal(str(net_amount))
        per_rate[vat_key] += amount
        if amount < 0:
            has_deduction.add(vat_key)
    for vat_key in sorted(has_deduction, key=str):
        if per_rate[vat_key] < 0:
            found.append((DEDUCTION_EXCEEDS_RATE, vat_key))
    return found
