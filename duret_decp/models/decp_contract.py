"""An awarded public contract read from the DECP, and the re-tender radar built on them.

The data is public and the same for every company of the database: no ``company_id``,
no record rule; salespeople read it, sales managers configure its sync (readme).
"""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import format_date

from ..lib.award_source import match_window
from .params import split_codes

#: re-tender radar: contracts ending from 6 to 12 months from today
RADAR_FROM_MONTHS, RADAR_TO_MONTHS = 6, 12
#: fields whose change moves a contract in the summaries (decp.contract/holder.summary)
SUMMARY_FIELDS = frozenset(
    {
        "cpv_class",
        "departement",
        "notified",
        "amount_current",
        "offers_received",
        "framework",
        "holder_ids",
    }
)
#: ``cr.cache`` key of the summary buckets changed by this cursor and not yet refreshed
PENDING_KEYS = "decp_summary_keys"


class DecpContract(models.Model):
    _name = "decp.contract"
    _description = "Awarded public contract (DECP)"
    _order = "notified desc, id desc"
    _rec_name = "object"

    key = fields.Char(required=True, index=True, help="Buyer SIRET | contract id.")
    market_id = fields.Char(string="Contract id", required=True)
    buyer_siret = fields.Char(string="Buyer SIRET", index=True)
    buyer_siren = fields.Char(string="Buyer SIREN", index=True)
    buyer_partner_id = fields.Many2one("res.partner", string="Buyer", index=True)
    object = fields.Char(required=True)
    nature = fields.Char()
    procedure = fields.Char()
    cpv_code = fields.Char(string="CPV code", index=True)
    cpv_class = fields.Char(string="CPV class", index=True, help="First 4 digits of the CPV code.")
    departement = fields.Char(string="Département", index=True)
    place_code = fields.Char(string="Place of performance")
    notified = fields.Date(string="Notified on", index=True)
    published = fields.Date(string="Data published on")
    duration_months = fields.Integer(string="Duration (months)")
    end_date = fields.Date(
        string="Ends on", index=True, help="Notification date plus the (modified) duration."
    )
    amount_initial = fields.Float(string="Initial amount (€ excl. VAT)")
    amount_current = fields.Float(
        string="Amount (€ excl. VAT)", help="After the latest modification giving an amount."
    )
    offers_received = fields.Integer(string="Offers received")
    framework = fields.Boolean(
        string="Framework agreement", help="Its amount is a ceiling, not what was spent."
    )
    source = fields.Char()
    origin = fields.Selection(
        [("decp", "DECP"), ("boamp", "BOAMP award notice")],
        default="decp",
        required=True,
        index=True,
        help="BOAMP award notice: no DECP record yet; the DECP record completes this "
        "contract when it arrives.",
    )
    boamp_idweb = fields.Char(string="BOAMP award notice", index=True)
    holder_ids = fields.One2many("decp.holder", "contract_id", string="Holders")
    holder_label = fields.Char(string="Holder names", help="Names or identifiers of the holders.")
    modification_count = fields.Integer(string="Modifications")
    subcontracted_amount = fields.Float(string="Subcontracted (€ excl. VAT)")
    problems = fields.Char(string="Data problems")

    _sql_constraints = [("key_unique", "unique(key)", "A DECP contract is stored once.")]

    def init(self):
        """The lead tab's lookups: similar contracts (class, départements, since; also what
        rebuilds a summary bucket) and the buyer's latest contracts, read in index order."""
        tools.create_index(
            self._cr,
            "decp_contract_similar_index",
            self._table,
            ["cpv_class", "departement", "notified"],
        )
        tools.create_index(
            self._cr,
            "decp_contract_buyer_latest_index",
            self._table,
            ["buyer_siret", "notified DESC NULLS LAST", "id DESC"],
        )

    # -- summaries -------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        contracts._decp_mark_summaries()
        return contracts

    def write(self, vals):
        moves = not SUMMARY_FIELDS.isdisjoint(vals)
        if moves:
            self._decp_mark_summaries()  # the buckets it leaves
        result = super().write(vals)
        if moves:
            self._decp_mark_summaries()  # the buckets it enters
        return result

    def unlink(self):
        self._decp_mark_summaries()
        return super().unlink()

    def _decp_mark_summaries(self):
        """Note the summary buckets of these contracts for ``_decp_refresh_summaries``.

        The sync (run as superuser, a savepoint per contract: a pre-commit hook would run at
        each one) refreshes them at the end of each batch; a user's edit is refreshed when its
        transaction commits."""
        keys = {
            (c.cpv_class, c.departement, str(c.notified.year))
            for c in self
            if c.cpv_class and c.departement and c.notified
        }
        if not keys:
            return
        self.env.cr.cache.setdefault(PENDING_KEYS, set()).update(keys)
        if not self.env.su:
            self.env.cr.precommit.add(self.sudo()._decp_refresh_summaries)

    @api.model
    def _decp_refresh_summaries(self, keys=None):
        """Rebuild the summaries of the buckets ``keys`` ((CPV class, département, year)),
        by default of those this cursor changed since the last refresh. Exact and idempotent."""
        if keys is None:
            keys = self.env.cr.cache.pop(PENDING_KEYS, set())
        keys = {tuple(k) for k in keys if all(k)}
        if not keys:
            return
        self.env.flush_all()
        for model in ("decp.contract.summary", "decp.holder.summary"):
            self.env[model]._decp_refresh(keys)
            self.env[model].invalidate_model()

    @api.model
    def _decp_rebuild_summaries(self):
        """Rebuild every bucket (after a load by SQL, or to repair)."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT cpv_class, departement, extract(year FROM notified)::int::varchar
                 FROM decp_contract
                WHERE cpv_class IS NOT NULL AND departement IS NOT NULL AND notified IS NOT NULL
                UNION SELECT cpv_class, departement, year FROM decp_contract_summary
                UNION SELECT cpv_class, departement, year FROM decp_holder_summary"""
        )
        self._decp_refresh_summaries(self.env.cr.fetchall())

    # -- first sync from the empty states ------------------------------------------------------
    @api.model
    def action_decp_sync_first(self):
        """ "Sync now" of the empty states (no sync has succeeded yet): sales managers only."""
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(_("Only sales managers can start a DECP sync."))
        self.env["decp.sync"].with_context(lang=self.env.user.lang)._decp_run()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    @api.model
    def _decp_sync_missing(self):
        """No DECP sync has succeeded yet (a failed one read nothing): the data comes
        from the nightly sync."""
        return not self.env["decp.sync"].sudo().search_count([("state", "=", "done")], limit=1)

    @api.model
    def get_empty_list_help(self, help_message):
        """Before the first sync, tell where the data comes from (and offer the sync to
        sales managers)."""
        if self._decp_sync_missing():
            help_message = Markup(help_message or "") + self._decp_first_sync_help()
        return super().get_empty_list_help(help_message)

    @api.model
    def _decp_first_sync_help(self):
        """The empty-state paragraph shown before the first sync (with the button for
        managers)."""
        text = _(
            "No DECP sync has succeeded yet: awarded contracts are read each night from the open "
            "DECP data of the watched départements."
        )
        help_html = Markup('<p class="o_decp_first_sync">%s</p>') % text
        if self.env.user.has_group("sales_team.group_sale_manager"):
            help_html += Markup(
                '<p><a type="action" class="btn btn-primary o_decp_sync_first" '
                'data-model="decp.contract" data-method="action_decp_sync_first">%s</a></p>'
            ) % _("Sync now")
        return help_html

    # -- storing parsed contracts --------------------------------------------------------
    @api.model
    def _decp_values(self, contract):
        """Field values of a parsed :class:`~..lib.decp_parser.Contract` (holders apart)."""
        return {
            "key": contract.key,
            "market_id": contract.market_id,
            "buyer_siret": contract.buyer_siret,
            "buyer_siren": contract.buyer_siren,
            "object": contract.object or contract.market_id,
            "nature": contract.nature,
            "procedure": contract.procedure,
            "cpv_code": contract.cpv_code,
            "cpv_class": contract.cpv_class,
            "departement": contract.departement,
            "place_code": contract.place_code,
            "notified": contract.notified,
            "published": contract.published,
            "duration_months": contract.current_duration_months or 0,
            "end_date": contract.end_date,
            "amount_initial": contract.amount or 0.0,
            "amount_current": contract.current_amount or 0.0,
            "offers_received": contract.offers_received or 0,
            "framework": contract.framework,
            "source": contract.source,
            "modification_count": len(contract.modifications),
            "subcontracted_amount": contract.subcontracted_amount or 0.0,
            "problems": ", ".join(contract.problems) or False,
        }

    @api.model
    def _decp_partners_by_siret(self, identifiers):
        """``{SIRET or SIREN: partner id}`` for the given identifiers, in one query."""
        identifiers = [i for i in identifiers if i]
        if not identifiers:
            return {}
        self.env["res.partner"].flush_model(["siret", "active"])
        self.env.cr.execute(
            """SELECT replace(siret, ' ', ''), MIN(id) FROM res_partner
                WHERE active AND siret IS NOT NULL
                  AND (replace(siret, ' ', '') IN %(ids)s
                       OR left(replace(siret, ' ', ''), 9) IN %(sirens)s)
             GROUP BY replace(siret, ' ', '')""",
            {"ids": tuple(identifiers), "sirens": tuple(i[:9] for i in identifiers)},
        )
        found = {}
        for siret, partner_id in self.env.cr.fetchall():
            found[siret] = partner_id
            found.setdefault(siret[:9], partner_id)
        return found

    @api.model
    def _decp_holder_values(self, contract, partners):
        return [
            {
                "identifier": h.identifier,
                "id_type": h.id_type,
                "siren": h.siren,
                "partner_id": partners.get(h.identifier) or partners.get(h.siren) or False,
            }
            for h in contract.holders
        ]

    @api.model
    def _decp_upsert(self, contract, existing, partners, awaiting=None, to_create=None):
        """Create or update one DECP contract and its holders; returns "created",
        "updated", "completed" (an award notice's contract now has its DECP record) or
        "pending" (its values appended to ``to_create``, for one create of the batch).

        ``awaiting``: ``{buyer SIRET: contracts from award notices}`` of the batch's buyers
        (a completed one is taken out of it).
        """
        values = self._decp_values(contract)
        values["buyer_partner_id"] = partners.get(contract.buyer_siret) or False
        holders = self._decp_holder_values(contract, partners)
        record = existing.get(contract.key)
        if record is None:
            awaiting = awaiting if awaiting is not None else {}
            twin = self._decp_twin(contract, awaiting.get(contract.buyer_siret))
            if twin:  # the DECP record is authoritative: its holders replace the notice's
                values["holder_ids"] = [(5, 0, 0)] + [(0, 0, h) for h in holders]
                values["holder_label"] = self._decp_label(holders)
                twin.write(dict(values, origin="decp"))
                awaiting[contract.buyer_siret] -= twin
                return "completed"
            values["holder_ids"] = [(0, 0, h) for h in holders]
            values["holder_label"] = self._decp_label(holders)
            if to_create is not None:
                to_create.append((contract.key, values))
                return "pending"
            self.create(values)
            return "created"
        # an increment may bring only the rows of the modification published in its window
        values["modification_count"] = max(record.modification_count, len(contract.modifications))
        known = {(h.identifier, h.id_type) for h in record.holder_ids}
        # rows of one contract may come in several windows: holders only accumulate
        new = [h for h in holders if (h["identifier"], h["id_type"]) not in known]
        values["holder_ids"] = [(0, 0, h) for h in new]
        values["holder_label"] = record._decp_label(record._decp_stored_holders() + new)
        record.write(values)
        return "updated"

    def _decp_stored_holders(self):
        self.ensure_one()
        return [
            {"identifier": h.identifier, "partner_id": h.partner_id.id}
            for h in self.holder_ids.sorted("id")
        ]

    def _decp_relabel(self):
        """Names again, after a holder got its contact."""
        for contract in self:
            contract.holder_label = contract._decp_label(contract._decp_stored_holders())

    def _decp_label(self, holders):
        """The holders' names (their contact's when known, else their identifier)."""
        Partner = self.env["res.partner"]
        return ", ".join(
            dict.fromkeys(
                (Partner.browse(h["partner_id"]).name if h["partner_id"] else None)
                or h["identifier"]
                for h in holders
            )
        )

    @api.model
    def _decp_twin(self, contract, candidates):
        """The contract among ``candidates`` (same buyer, the other source) that is the same
        as ``contract``: a common holder SIREN and dates within the match window; the same
        CPV class first, then the nearest date. None when nothing matches.

        The rule (docs/decp.md section 9): neither source carries the other's identifier
        (the DECP ``id`` is the buyer's own number, the notice's is BOAMP's ``idweb``), so
        a contract is recognised by who bought, who won and when.
        """
        sirens = {h.siren for h in contract.holders if h.siren}
        if not candidates or not sirens or not contract.notified:
            return None
        start, stop = match_window(contract.notified)
        found = [
            c
            for c in candidates
            if c.notified
            and start <= c.notified <= stop
            and sirens & set(c.holder_ids.mapped("siren"))
        ]
        if not found:
            return None
        return min(
            found,
            key=lambda c: (
                c.cpv_class != contract.cpv_class,
                abs((c.notified - contract.notified).days),
                c.id,
            ),
        )

    @api.model
    def _decp_awaiting(self, buyers):
        """``{buyer SIRET: contracts of award notices not yet completed}`` for ``buyers``."""
        if not buyers:
            return {}
        found = {}
        for record in self.search([("origin", "=", "boamp"), ("buyer_siret", "in", list(buyers))]):
            found.setdefault(record.buyer_siret, self.browse())
            found[record.buyer_siret] |= record
        return found

    @api.model
    def _decp_store_award(self, contract, partners):
        """Store the contract an award notice gives, unless its DECP record is already here.

        Returns "created", "updated" (the notice read again), or "matched" (a DECP
        contract is the same one: it only records the notice's number).
        """
        idweb = contract.market_id
        known = self.search([("boamp_idweb", "=", idweb)], limit=1)
        if known and known.origin == "decp":
            return "matched"
        values = self._decp_values(contract)
        values.update(
            origin="boamp",
            boamp_idweb=idweb,
            buyer_partner_id=partners.get(contract.buyer_siret) or False,
        )
        holders = self._decp_holder_values(contract, partners)
        values["holder_label"] = self._decp_label(holders)
        if known:
            values["holder_ids"] = [(5, 0, 0)] + [(0, 0, h) for h in holders]
            known.write(values)
            return "updated"
        start, stop = match_window(contract.notified) if contract.notified else (None, None)
        decp = (
            self.search(
                [
                    ("origin", "=", "decp"),
                    ("buyer_siret", "=", contract.buyer_siret),
                    ("boamp_idweb", "=", False),
                    ("notified", ">=", start),
                    ("notified", "<=", stop),
                ]
            )
            if start
            else self.browse()
        )
        twin = self._decp_twin(contract, decp)
        if twin:
            twin.boamp_idweb = idweb
            return "matched"
        values["holder_ids"] = [(0, 0, h) for h in holders]
        self.create(values)
        return "created"

    # -- re-tender radar -------------------------------------------------------------------
    @api.model
    def _cron_decp_radar(self):
        """Contracts ending in 6–12 months that match a watch profile become leads to watch.

        One lead per contract and company (``crm.lead.decp_contract_id``): a second run
        creates nothing. Written in the company's language (duret.job).
        """
        today = fields.Date.context_today(self)
        start = today + relativedelta(months=RADAR_FROM_MONTHS)
        stop = today + relativedelta(months=RADAR_TO_MONTHS)
        created = self.env["crm.lead"]
        for watch in self.env["boamp.watch"].sudo().search([("active", "=", True)]):
            contracts = self.sudo().search(self._decp_radar_domain(watch, start, stop))
            already = (
                self.env["crm.lead"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("decp_contract_id", "in", contracts.ids),
                        ("company_id", "in", [watch.company_id.id, False]),
                    ]
                )
                .decp_contract_id
            )
            job = self.env["duret.job"]
            for contract in job._duret_in_job_lang(contracts - already, watch.company_id):
                created |= self.env["crm.lead"].sudo().create(contract._decp_radar_lead(watch))
            job._duret_commit_progress()
        return created

    @api.model
    def _decp_radar_domain(self, watch, start, stop):
        domain = [("end_date", ">=", start), ("end_date", "<=", stop)]
        departements = split_codes(watch.departements)
        if departements:
            domain.append(("departement", "in", departements))
        terms = [("cpv_code", "=like", p + "%") for p in _cpv_prefixes(watch.cpv_include)]
        terms += [
            ("object", "ilike", k.strip())
            for k in (watch.include_keywords or "").splitlines()
            if k.strip()
        ]
        if not terms:
            return domain + [("id", "=", 0)]  # a profile that names nothing matches nothing
        return domain + ["|"] * (len(terms) - 1) + terms

    def _decp_radar_lead(self, watch):
        self.ensure_one()
        tag = self.env.ref("duret_decp.crm_tag_decp_watch")
        amount = f"{self.amount_current:,.0f}".replace(",", " ")
        description = _(
            "Contract %(object)s of buyer %(buyer)s ends on %(end)s (notified on %(notified)s, "
            "%(amount)s € excl. VAT, holders: %(holders)s). Prepare the answer before the "
            "new notice.",
            object=self.object,
            buyer=self.buyer_partner_id.name or self.buyer_siret,
            end=format_date(self.env, self.end_date),
            notified=format_date(self.env, self.notified),
            amount=amount,
            holders=self.holder_label or "-",
        )
        return {
            "name": _("To watch: %s", self.object),
            "type": "lead",
            "company_id": watch.company_id.id,
            "partner_id": self.buyer_partner_id.id,
            "decp_contract_id": self.id,
            "boamp_watch_id": watch.id,
            "user_id": watch.user_id.id,
            "team_id": watch.team_id.id,
            "tag_ids": [(4, tag.id)],
            "tender_cpv_codes": self.cpv_code,
            "tender_departement": self.departement,
            "description": description,
        }

    # -- buttons ---------------------------------------------------------------------------
    def action_decp_open_holders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("duret_decp.decp_holder_action")
        action["domain"] = [("contract_id", "=", self.id)]
        return action


def _cpv_prefixes(text):
    """The digit prefixes of a watch profile's CPV field (``4531``; a full code
    ``45310000-3`` stands for its class, 4531)."""
    prefixes = []
    for word in (text or "").replace(",", " ").replace(";", " ").split():
        digits = "".join(ch for ch in word.split("-")[0] if ch.isdigit())
        if len(digits) == 8:
            digits = digits.rstrip("0")
        if len(digits) >= 2:
            prefixes.append(digits)
    return list(dict.fromkeys(prefixes))
