"""Import of one batch of BOAMP records into tender leads.

Per batch (several BOAMP pages): one query for the notices already seen
(stored, or rejected by the same rules: skipped before parsing), one for the
leads of linked procedures, one per kind of partner lookup, then batch ``create`` of
partners, leads, notice rows and rejection lines. Follow-up notices (a
minority) are applied one by one since each posts its own chatter message.
"""

import json
import logging
from dataclasses import dataclass, field

import psycopg2

from odoo import _
from odoo.addons.duret_procurement.lib.siret import is_valid_siret

from ..lib.donnees import clean_text, clean_tree
from ..lib.lead_values import (
    description_html,
    expected_amount,
    lead_name,
    notice_lead_fields,
    paris_date,
)
from ..lib.notice_parser import NoticeParseError, parse_record
from ..lib.relevance import score_notice

_logger = logging.getLogger(__name__)
LEAD_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "active_test": False,
}


@dataclass
class _Pending:
    """A procedure with no lead yet: the notices of this batch that create it."""

    key: str
    notices: list = field(default_factory=list)
    result: object = None


def _sort_key(notice):
    # older first; on one day the initial notice, then corrections, then what closes the
    # procedure (an award or a cancellation finds the lead a same-day correction opened)
    return (
        str(notice.publication_date or ""),
        notice.is_follow_up,
        NoticeImporter._closes_procedure(notice),
        notice.idweb,
    )


class NoticeImporter:
    """Turns batches of raw records into leads for one watch profile and one run."""

    def __init__(self, env, watch, run):
        self.env = env
        self.watch = watch
        self.run = run
        self.company = watch.company_id
        self.rules = watch._scoring_rules()
        self.rules_hash = watch._rules_fingerprint(self.rules)
        self.Lead = env["crm.lead"].with_context(**LEAD_CONTEXT)
        self.Notice = env["boamp.notice"]
        self._tag_ids = None
        self._source_id = None
        self._labels = None
        self._reason_texts = {}
        self._type = None

    # -- entry point ---------------------------------------------------------
    def import_records(self, records):
        """Import one batch; returns the counters of this batch.

        No single record may fail a batch: the batch runs in a savepoint and, should it
        fail, is split in halves down to the record at fault, which is rejected with its
        reason (kind "error") while every other record is imported. A lost connection or
        a server error is not a record's fault and still ends the batch.
        """
        try:
            with self.env.cr.savepoint():
                return self._import_batch(records)
        except (psycopg2.OperationalError, psycopg2.InterfaceError):
            raise
        except Exception as exc:
            if len(records) <= 1:
                return self._record_failed(records[0] if records else {}, exc)
            _logger.warning(
                "BOAMP batch of %s records failed, split to find the cause: %s", len(records), exc
            )
            middle = len(records) // 2
            counts = self.import_records(records[:middle])
            for key, value in self.import_records(records[middle:]).items():
                counts[key] += value
            return counts

    @staticmethod
    def _counts():
        return dict.fromkeys(
            ("fetched", "kept", "created", "updated", "duplicates", "rejected", "errors"), 0
        )

    def _record_failed(self, record, exc):
        """The rejection of a record that could not be imported, in its own savepoint."""
        _logger.warning("BOAMP record %s rejected: %s", record.get("idweb"), exc)
        counts = self._counts()
        counts.update(fetched=1, errors=1)
        detail = clean_text(f"{type(exc).__name__}: {exc}")
        reason = _("Could not be imported: %s", detail)
        idweb = clean_text(record.get("idweb")) if isinstance(record.get("idweb"), str) else None
        objet = record.get("objet") if isinstance(record.get("objet"), str) else None
        with self.env.cr.savepoint():
            self.env["boamp.run.rejection"].create(
                self._rejection(idweb, clean_text(objet), reason[:2000], "error")
            )
        return counts

    def _import_batch(self, records):
        counts = self._counts()
        counts["fetched"] = len(records)
        rejections = []
        notices = {}
        raws = {}
        seen = self._seen_idwebs([r.get("idweb") for r in records if r.get("idweb")])
        for record in records:
            if record.get("idweb") in seen:
                counts["duplicates"] += 1
                continue
            try:
                notice = parse_record(record)  # cleans the text it reads
            except Exception as exc:  # any unreadable record is rejected, never the batch
                counts["errors"] += 1
                reason = (
                    str(exc)
                    if isinstance(exc, NoticeParseError)
                    else f"{type(exc).__name__}: {exc}"
                )
                objet = record.get("objet") if isinstance(record.get("objet"), str) else None
                rejections.append(
                    self._rejection(
                        clean_text(record.get("idweb")),
                        clean_text(objet),
                        clean_text(reason),
                        "error",
                    )
                )
                continue
            if notice.idweb in notices:
                counts["duplicates"] += 1
                continue
            notices[notice.idweb] = notice
            raws[notice.idweb] = record
        fresh = sorted(notices.values(), key=_sort_key)
        leads_by_key = self._existing_leads(fresh)
        pending = {}
        attach = []  # (notice, lead id or _Pending, score result)
        for notice in fresh:
            target = self._find(notice, leads_by_key)
            result = score_notice(notice, self.rules)
            if target is None and self._closes_procedure(notice):
                # an award or cancellation of a procedure never followed is no new tender
                counts["rejected"] += 1
                rejections.append(
                    self._rejection(
                        notice.idweb,
                        notice.objet,
                        _("Award or cancellation of a procedure this watch does not follow."),
                        score=result.score,
                    )
                )
                continue
            if target is None:
                if not result.kept:
                    counts["rejected"] += 1
                    reason = "; ".join(self._reason_text(r) for r in result.reasons)
                    rejections.append(
                        self._rejection(notice.idweb, notice.objet, reason, score=result.score)
                    )
                    continue
                target = _Pending(key=self._procedure_key(notice), result=result)
                pending[target.key] = target
                for key in self._keys(notice):
                    leads_by_key.setdefault(key, target)
            if isinstance(target, _Pending):
                target.notices.append(notice)
            attach.append((notice, target, result))
        created = self._create_leads(list(pending.values()))
        counts["created"] = len(created)
        counts["kept"] = len(attach)
        updated = set()
        notice_vals = []
        follow_ups = []
        # leads of earlier batches are read together, not one query per lead
        existing = [t for _n, t, _r in attach if not isinstance(t, _Pending)]
        for notice, target, _result in attach:
            if isinstance(target, _Pending):
                lead = created[target.key]
            else:
                lead = self.Lead.browse(target).with_prefetch(existing)
            # the raw record is stored cleaned too (kept notices only: cleaning costs)
            notice_vals.append(self._notice_values(notice, lead, clean_tree(raws[notice.idweb])))
            first = isinstance(target, _Pending) and target.notices[0] is notice
            if notice.is_follow_up and not (first and notice.nature == "RECTIFICATIF"):
                follow_ups.append((lead, notice))
            elif not first:
                self._complete(lead, notice)
            if not isinstance(target, _Pending):
                updated.add(lead.id)
        changes = self.Lead._tender_apply_follow_ups(follow_ups)
        for vals in notice_vals:
            if vals["idweb"] in changes:
                kind, summary = changes[vals["idweb"]]
                vals.update(change_kind=kind, change_text=summary, digest_pending=True)
        counts["updated"] = len(updated)
        self.Notice.create(notice_vals)
        if rejections:
            self.env["boamp.run.rejection"].create(rejections)
        return counts

    @staticmethod
    def _closes_procedure(notice):
        """An award or a cancellation: it ends a procedure, it never opens one."""
        nature = (notice.nature or "").upper()
        return nature in ("ATTRIBUTION", "ANNULATION") or "ANNUL" in (notice.etat or "").upper()

    # -- lookups -------------------------------------------------------------
    def _seen_idwebs(self, idwebs):
        """Notices already stored, or already rejected by these very rules: skipped unparsed."""
        if not idwebs:
            return set()
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT idweb FROM boamp_notice WHERE company_id = %s AND idweb IN %s
               UNION
               SELECT r.idweb FROM boamp_run_rejection r JOIN boamp_run u ON u.id = r.run_id
                WHERE u.watch_id = %s AND r.kind = 'rejected' AND r.rules_hash = %s
                  AND r.idweb IN %s""",
            (self.company.id, tuple(idwebs), self.watch.id, self.rules_hash, tuple(idwebs)),
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @staticmethod
    def _keys(notice):
        keys = [notice.idweb, *notice.linked_idwebs]
        if notice.contract_folder_id:
            keys.append("cf:" + notice.contract_folder_id)
        return keys

    @staticmethod
    def _procedure_key(notice):
        """The idweb a new lead is keyed by: the first notice of the procedure."""
        if notice.is_follow_up and notice.linked_idwebs:
            return notice.linked_idwebs[0]
        return notice.idweb

    def _existing_leads(self, notices):
        """Map idwebs (and ``cf:<folder id>``) to the lead of their procedure."""
        idwebs = sorted({key for n in notices for key in [n.idweb, *n.linked_idwebs]})
        folders = sorted({n.contract_folder_id for n in notices if n.contract_folder_id})
        mapping = {}
        if not idwebs:
            return mapping
        domain = [
            ("company_id", "=", self.company.id),
            "|",
            ("boamp_idweb", "in", idwebs),
            ("boamp_contract_folder_id", "in", folders),
        ]
        for row in self.Lead.search_read(domain, ["boamp_idweb", "boamp_contract_folder_id"]):
            mapping[row["boamp_idweb"]] = row["id"]
            if row["boamp_contract_folder_id"]:
                mapping["cf:" + row["boamp_contract_folder_id"]] = row["id"]
        for row in self.Notice.search_read(
            [("company_id", "=", self.company.id), ("idweb", "in", idwebs)], ["idweb", "lead_id"]
        ):
            mapping.setdefault(row["idweb"], row["lead_id"][0])
        return mapping

    def _find(self, notice, leads_by_key):
        for key in self._keys(notice):
            if key in leads_by_key:
                return leads_by_key[key]
        return None

    # -- creation ------------------------------------------------------------
    def _create_leads(self, pendings):
        if not pendings:
            return {}
        partners = self._partners([p.notices[0] for p in pendings])
        vals_list = []
        for pending in pendings:
            vals_list.append(self._lead_values(pending, partners))
        leads = self.Lead._boamp_create_tender_leads(vals_list)
        return {pending.key: lead for pending, lead in zip(pendings, leads, strict=True)}

    def _lead_values(self, pending, partners):
        notice = pending.notices[0]
        reasons = pending.result.reasons
        reason_lines = [self._reason_text(r) for r in reasons]
        amount = expected_amount(notice, reasons)
        watch = self.watch
        return {
            "name": lead_name(notice.buyer_name, notice.objet),
            "type": self._lead_type(),
            "company_id": self.company.id,
            "user_id": watch.user_id.id or False,
            "team_id": watch.team_id.id or False,
            "tender_digest_pending": True,
            "tender_departement": notice.departements[0] if notice.departements else False,
            "partner_id": partners.get(self._partner_key(notice), False),
            "tag_ids": [(6, 0, self._tags())],
            "source_id": self._source(),
            "expected_revenue": amount,
            "date_deadline": paris_date(notice.deadline),
            "city": notice.buyer_city or False,
            "zip": notice.buyer_postal_code or False,
            "boamp_idweb": pending.key,
            "boamp_contract_folder_id": notice.contract_folder_id or False,
            "boamp_watch_id": watch.id,
            "boamp_run_id": self.run.id,
            **notice_lead_fields(notice),
            "tender_score": pending.result.score,
            "tender_reasons_json": json.dumps([r.to_dict() for r in reasons], ensure_ascii=False),
            "description": description_html(notice, self._description_labels(), reason_lines),
        }

    def _complete(self, lead, notice):
        """An earlier notice reaching a lead created from a follow-up: fill the gaps."""
        values = {
            field_name: value
            for field_name, value in notice_lead_fields(notice).items()
            if value and not lead[field_name]
        }
        if "tender_deadline" in values and not lead.date_deadline:
            values["date_deadline"] = paris_date(notice.deadline)
        if values:
            lead.write(values)

    def _notice_values(self, notice, lead, record):
        return {
            "idweb": notice.idweb,
            "lead_id": lead.id,
            "company_id": self.company.id,
            "run_id": self.run.id,
            "nature": notice.nature or False,
            "etat": notice.etat or False,
            "shape": notice.shape,
            "objet": notice.objet,
            "publication_date": notice.publication_date or False,
            "notice_url": notice.notice_url or False,
            "raw_record": json.dumps(record, ensure_ascii=False),
        }

    def _rejection(self, idweb, objet, reason, kind="rejected", score=0):
        return {
            "run_id": self.run.id,
            "kind": kind,
            "idweb": idweb or False,
            "objet": (objet or "")[:500] or False,
            "reason": reason or _("no reason given"),
            "score": score,
            "rules_hash": self.rules_hash if kind == "rejected" else False,
        }

    # -- partners ------------------------------------------------------------
    @staticmethod
    def _partner_key(notice):
        siret = (
            notice.buyer_siret
            if notice.buyer_siret and is_valid_siret(notice.buyer_siret)
            else None
        )
        if siret:
            return "siret:" + siret
        if notice.buyer_name:
            return "name:" + notice.buyer_name.strip().lower()
        return None

    def _partners(self, notices):
        """Buyer partner ids by key: found by SIRET, then by name, else created."""
        by_key = {}
        wanted = {}
        for notice in notices:
            key = self._partner_key(notice)
            if key:
                wanted.setdefault(key, notice)
        sirets = [k[6:] for k in wanted if k.startswith("siret:")]
        names = sorted({n.buyer_name.strip().lower() for n in wanted.values() if n.buyer_name})
        cr = self.env.cr
        self.env["res.partner"].flush_model(["siret", "name", "is_company", "company_id", "active"])
        if sirets:
            cr.execute(
                """SELECT siret, MIN(id) FROM res_partner
                    WHERE siret IN %s AND active AND (company_id IS NULL OR company_id = %s)
                 GROUP BY siret""",
                (tuple(sirets), self.company.id),
            )
            by_key.update({"siret:" + siret: pid for siret, pid in cr.fetchall()})
        if names:
            cr.execute(
                """SELECT DISTINCT ON (lower(name)) lower(name), id, siret FROM res_partner
                    WHERE lower(name) IN %s AND is_company AND active
                      AND (company_id IS NULL OR company_id = %s)
                 ORDER BY lower(name), id""",
                (tuple(names), self.company.id),
            )
            by_name = {name: (pid, siret) for name, pid, siret in cr.fetchall()}
            for key, notice in wanted.items():
                found = notice.buyer_name and by_name.get(notice.buyer_name.strip().lower())
                if key not in by_key and found:
                    by_key[key] = found[0]
                    if key.startswith("siret:") and not found[1]:
                        # the buyer was known by name only: record its SIRET now
                        self.env["res.partner"].browse(found[0]).siret = key[6:]
        # buyers still unknown: one partner per name, as if created one notice at a time
        # (a later notice finds the first one by name), whatever the batch boundaries
        groups = {}
        for key, notice in wanted.items():
            if key not in by_key:
                name = notice.buyer_name.strip().lower() if notice.buyer_name else key
                groups.setdefault(name, []).append(key)
        if groups:
            france = self.env.ref("base.fr", raise_if_not_found=False)
            vals_list = []
            for keys in groups.values():
                notice = wanted[keys[0]]
                siret = next((k[6:] for k in keys if k.startswith("siret:")), False)
                vals_list.append(
                    {
                        "name": notice.buyer_name or notice.buyer_siret,
                        "is_company": True,
                        "siret": siret,
                        "city": notice.buyer_city or False,
                        "zip": notice.buyer_postal_code or False,
                        "country_id": france.id if france else False,
                    }
                )
            created = self.env["res.partner"].create(vals_list)
            for keys, partner in zip(groups.values(), created, strict=True):
                by_key.update(dict.fromkeys(keys, partner.id))
        return by_key

    # -- cached records ------------------------------------------------------
    def _lead_type(self):
        """Leads when the CRM uses leads (Settings > CRM > Leads), else opportunities.

        The setting is the group ``crm.group_use_lead`` implied by every internal user: read
        it there, not on the job's user (the nightly job runs as the superuser).
        """
        if self._type is None:
            use_lead = self.env.ref("crm.group_use_lead", raise_if_not_found=False)
            internal = self.env.ref("base.group_user")
            self._type = "lead" if use_lead and use_lead in internal.implied_ids else "opportunity"
        return self._type

    def _tags(self):
        if self._tag_ids is None:
            refs = ("duret_boamp.crm_tag_tender", "duret_boamp.crm_tag_public")
            tags = [self.env.ref(ref, raise_if_not_found=False) for ref in refs]
            self._tag_ids = [t.id for t in tags if t] + self.watch.tag_ids.ids
        return self._tag_ids

    def _source(self):
        if self._source_id is None:
            source = self.env.ref("duret_boamp.utm_source_boamp", raise_if_not_found=False)
            self._source_id = source.id if source else False
        return self._source_id

    def _reason_text(self, reason):
        """The reason's sentence; a batch repeats the same few reasons, each formatted once."""
        data = reason.to_dict()
        key = json.dumps(data, sort_keys=True, default=str)
        if key not in self._reason_texts:
            self._reason_texts[key] = self.Lead._tender_reason_text(data)
        return self._reason_texts[key]

    def _description_labels(self):
        if self._labels is None:
            self._labels = {
                "objet": _("Object"),
                "buyer": _("Buyer"),
                "procedure": _("Procedure"),
                "cpv": _("CPV codes"),
                "descriptors": _("BOAMP descriptors"),
                "notice": _("BOAMP notice"),
                "dce": _("Tender documents (DCE)"),
                "lots": _("Lots"),
                "reasons": _("Why this notice was kept"),
            }
        return self._labels
