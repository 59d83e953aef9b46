"""Per (CPV class, département, year) histograms of the contracts: the lead tab's statistics.

Why histograms and not stored medians: a median of several buckets (three départements, four
years) cannot be combined from the buckets' medians. Each bucket keeps instead how many contracts
it has, how many offers they received (one row per number of offers: exact) and how many amounts
fall in each logarithmic bin (``AMOUNT_BINS_PER_DECADE`` bins per power of ten, each about 0.6 %
wide). Reading the tab sums the bins of the wanted buckets (a few thousand rows at a hundred times
the real volume), finds in which bin each wanted rank of the sorted amounts falls, then reads only
the contracts of that bin (an index on the class and the bin) to take the exact amount: median and
quartiles are exact, computed like PostgreSQL's ``percentile_cont``, at a cost bound by the width
of a bin instead of the number of similar contracts. (Should a summary be out of step with the
contracts, a rank missing from its bin reads as the bin's lower bound, 0.6 % at most from it.)

Rows are rebuilt bucket by bucket from ``decp_contract`` (``_decp_refresh``): exact and
idempotent. Framework agreements are left out: their amount is a ceiling.
"""

import math

from odoo import fields, models, tools

#: logarithmic bins of amounts per power of ten (a bin is 10 ** (1 / 400) - 1 ≈ 0.58 % wide)
AMOUNT_BINS_PER_DECADE = 400
#: the bin of ``c.amount_current`` in SQL; the index below and the queries share this text
AMOUNT_BIN_SQL = f"floor(log(amount_current) * {AMOUNT_BINS_PER_DECADE})::int"
#: the contracts that count in the statistics
COUNTED_SQL = "framework IS NOT TRUE"


class DecpContractSummary(models.Model):
    _name = "decp.contract.summary"
    _description = "Awarded contracts per CPV class, département and year (histograms)"
    _log_access = False
    _order = "cpv_class, departement, year, kind, bin"

    cpv_class = fields.Char(string="CPV class", required=True)
    departement = fields.Char(string="Département", required=True)
    year = fields.Char(required=True, help="Year of notification.")
    kind = fields.Selection(
        [("count", "Contracts"), ("amount", "Amount bin"), ("offers", "Offers received")],
        required=True,
    )
    bin = fields.Integer(
        help="Amount: floor(log10(amount) × 400); offers: the number of offers; count: 0."
    )
    contract_count = fields.Integer(string="Contracts")

    def init(self):
        tools.create_index(
            self._cr,
            "decp_contract_summary_bucket_index",
            self._table,
            ["cpv_class", "departement", "year"],
        )
        # the contracts of one amount bin of a class in amount order, with what the filter
        # reads: the exact amount of a rank is found a few index entries into its bin
        self._cr.execute(
            f"""CREATE INDEX IF NOT EXISTS decp_contract_amount_bin_index
                    ON decp_contract (cpv_class, ({AMOUNT_BIN_SQL}), amount_current)
                       INCLUDE (departement, notified)
                 WHERE {COUNTED_SQL} AND amount_current > 0"""
        )

    def _decp_refresh(self, keys):
        """Rebuild the rows of the buckets ``keys`` (``(cpv_class, departement, year)``)."""
        cr = self.env.cr
        params = _clear_buckets(cr, self._table, keys)
        cr.execute(
            f"""WITH c AS (
                    SELECT c.amount_current, c.offers_received, k.cpv, k.dep, k.year
                      FROM unnest(%(cpv)s::varchar[], %(dep)s::varchar[], %(year)s::varchar[])
                           AS k(cpv, dep, year)
                      JOIN decp_contract c
                        ON c.cpv_class = k.cpv AND c.departement = k.dep
                       AND c.notified >= make_date(k.year::int, 1, 1)
                       AND c.notified < make_date(k.year::int + 1, 1, 1)
                     WHERE {COUNTED_SQL})
                INSERT INTO decp_contract_summary
                       (cpv_class, departement, year, kind, bin, contract_count)
                SELECT cpv, dep, year, 'count', 0, count(*) FROM c GROUP BY cpv, dep, year
                 UNION ALL
                SELECT cpv, dep, year, 'amount', {AMOUNT_BIN_SQL}, count(*)
                  FROM c WHERE c.amount_current > 0 GROUP BY cpv, dep, year, 5
                 UNION ALL
                SELECT cpv, dep, year, 'offers', offers_received, count(*)
                  FROM c WHERE c.offers_received > 0 GROUP BY cpv, dep, year, 5""",
            params,
        )

    def _decp_statistics(self, cpv_class, departements, since_year):
        """Count, amount quartiles and median offers of the class in ``departements``,
        notified from 1 January of ``since_year``: two queries whatever the volume."""
        cr = self.env.cr
        scope = {"cpv": cpv_class, "deps": tuple(departements), "year": str(since_year)}
        cr.execute(
            """SELECT kind, bin, sum(contract_count) FROM decp_contract_summary
                WHERE cpv_class = %(cpv)s AND departement IN %(deps)s AND year >= %(year)s
             GROUP BY kind, bin ORDER BY kind, bin""",
            scope,
        )
        histograms = {"count": [], "amount": [], "offers": []}
        for kind, bin_, count in cr.fetchall():
            histograms[kind].append((bin_, count))
        quartiles = {0.25: 0.0, 0.5: 0.0, 0.75: 0.0}
        amounts = histograms["amount"]
        ranks = sorted({r for q in quartiles for r in _ranks(q, amounts)})
        if ranks:
            located = [_locate(amounts, rank) for rank in ranks]
            cr.execute(
                f"""SELECT coalesce((SELECT c.amount_current FROM decp_contract c
                             WHERE c.cpv_class = %(cpv)s AND {AMOUNT_BIN_SQL} = w.bin
                               AND c.departement IN %(deps)s AND {COUNTED_SQL}
                               AND c.amount_current > 0
                               AND c.notified >= make_date(%(year)s::int, 1, 1)
                          ORDER BY c.amount_current OFFSET w.position LIMIT 1),
                                  power(10, w.bin::float8 / %(per_decade)s))
                      FROM unnest(%(bins)s::int[], %(positions)s::int[]) WITH ORDINALITY
                           AS w(bin, position, n)
                  ORDER BY w.n""",
                {
                    **scope,
                    "bins": [b for b, _p in located],
                    "positions": [p for _b, p in located],
                    "per_decade": AMOUNT_BINS_PER_DECADE,
                },
            )
            values = dict(zip(ranks, (row[0] for row in cr.fetchall()), strict=True))
            quartiles = {q: _percentile(q, amounts, values.get) for q in quartiles}
        offers = histograms["offers"]
        return {
            "count": sum(c for _b, c in histograms["count"]),
            "p25": quartiles[0.25],
            "median": quartiles[0.5],
            "p75": quartiles[0.75],
            "offers": _percentile(0.5, offers, lambda rank: _locate(offers, rank)[0]),
        }


def _clear_buckets(cr, table, keys):
    """Delete the rows of summary ``table`` in the buckets ``keys``; returns the keys as the
    SQL arrays (``cpv``, ``dep``, ``year``) that the rebuild of those buckets reads."""
    keys = sorted(keys)
    params = {
        "cpv": [k[0] for k in keys],
        "dep": [k[1] for k in keys],
        "year": [k[2] for k in keys],
    }
    cr.execute(
        f"""DELETE FROM {table} s
             USING unnest(%(cpv)s::varchar[], %(dep)s::varchar[], %(year)s::varchar[])
                   AS k(cpv, dep, year)
             WHERE s.cpv_class = k.cpv AND s.departement = k.dep AND s.year = k.year""",
        params,
    )
    return params


def _ranks(fraction, histogram):
    """The 0-based ranks whose values ``percentile_cont(fraction)`` interpolates."""
    total = sum(count for _bin, count in histogram)
    if not total:
        return []
    position = fraction * (total - 1)
    return [math.floor(position), math.ceil(position)]


def _locate(histogram, rank):
    """``(bin, position in the bin)`` of the value of 0-based ``rank`` (bins sorted)."""
    below = 0
    for bin_, count in histogram:
        if rank < below + count:
            return bin_, rank - below
        below += count
    raise IndexError(rank)


def _percentile(fraction, histogram, value_of_rank):
    """PostgreSQL's ``percentile_cont``: linear interpolation between the two closest ranks."""
    ranks = _ranks(fraction, histogram)
    if not ranks:
        return 0.0
    low, high = ranks
    position = fraction * (sum(count for _bin, count in histogram) - 1)
    first, second = float(value_of_rank(low)), float(value_of_rank(high))
    return first + (second - first) * (position - low)
