"""Morning digest: every tender lead created or changed since the last digest sent.

What a digest lists is not read from the runs but from marks the import leaves on the
records themselves (``crm.lead.tender_digest_pending``, ``boamp.notice.digest_pending``),
committed with each batch: a night killed halfway, or killed after its run was marked done,
still leaves its leads marked, and the next digest lists them. The marks are cleared in the
transaction that queues the mails, so each lead is announced exactly once.
"""

from datetime import timedelta

from odoo import _, fields, models
from odoo.tools import format_amount, format_datetime

from ..services.params import boamp_params

DUE_SOON_DAYS = 7


class BoampDigest(models.AbstractModel):
    """The digest's content, rendering and mailing; it keeps no record of its own (the
    marks on the leads and notices are what remains to be announced)."""

    _name = "boamp.digest"
    _description = "BOAMP morning digest"

    def _send(self, companies):
        """One digest per company (``companies`` and any with pending news); returns the
        mails queued."""
        mails = self.env["mail.mail"]
        params = boamp_params(self.env)
        for company in companies | self._digest_pending_companies():
            mails |= self._send_company_digest(company, params.digest_skip_empty)
        return mails

    def _digest_pending_companies(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.search([("tender_digest_pending", "=", True)])
        notices = self.env["boamp.notice"].search([("digest_pending", "=", True)])
        return leads.company_id | notices.company_id

    def _digest_recipients(self, company):
        users = company.boamp_digest_user_ids
        if not users:
            users = self.env.ref("sales_team.group_sale_manager").users.filtered(
                lambda u: company in u.company_ids and not u._is_superuser()
            )
        return users.filtered(lambda u: u.active and not u.share and u.email)

    def _digest_content(self, company):
        """(new leads, changes, leads due soon, the new leads' marked records) of a company."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        pending = Lead.search(
            [("company_id", "=", company.id), ("tender_digest_pending", "=", True)]
        )
        new = pending.filtered("active").sorted(
            lambda lead: (not lead.tender_deadline, lead.tender_deadline or 0, lead.id)
        )
        changes = self.env["boamp.notice"].search(
            [("company_id", "=", company.id), ("digest_pending", "=", True)],
            order="publication_date, id",
        )
        shown_changes = changes.filtered(lambda n: n.change_kind and n.lead_id not in pending)
        now = fields.Datetime.now()
        due = Lead.search(
            [
                ("company_id", "=", company.id),
                ("is_tender", "=", True),
                ("active", "=", True),
                # not won; a lead crm's scoring never reached has no probability (NULL)
                "|",
                ("probability", "=", False),
                ("probability", "<", 100),
                ("tender_deadline", ">=", now),
                ("tender_deadline", "<=", now + timedelta(days=DUE_SOON_DAYS)),
            ],
            order="tender_deadline asc, id",
        )
        return new, shown_changes, due, pending, changes

    def _digest_subject(self, count, changes=0):
        if count == 0 and changes:
            return _("No new tender this morning, %s change(s) on followed tenders", changes)
        if count == 0:
            return _("No new tender this morning")
        if count == 1:
            return _("1 new tender detected this morning")
        return _("%s new tenders detected this morning", count)

    def _render_digest(self, company, new, changes, due, lang):
        """(subject, html body) of the digest in ``lang``."""
        digest = self.with_context(lang=lang)
        env = digest.env
        base_url = company.get_base_url()
        today = fields.Date.context_today(digest.with_context(tz="Europe/Paris"))

        def deadline(lead):
            if not lead.tender_deadline:
                return "–"
            return format_datetime(env, lead.tender_deadline, tz="Europe/Paris", dt_format="short")

        def countdown(lead):
            """``J-5`` style countdown, the way French sales teams count down to a deadline."""
            if not lead.tender_deadline:
                return ""
            lead = lead.with_env(env)
            return lead._tender_countdown((lead._tender_deadline_day() - today).days)

        def amount(lead):
            value = lead.expected_revenue or lead.tender_amount
            return format_amount(env, value, company.currency_id) if value else "–"

        def lead_url(lead):
            return lead._tender_backend_url(base_url)

        def not_relevant_url(lead):
            return f"{base_url}/duret_boamp/lead/{lead.id}/not_relevant"

        kinds = dict(env["boamp.notice"]._fields["change_kind"]._description_selection(env))
        body = env["ir.qweb"]._render(
            "duret_boamp.boamp_digest_body",
            {
                "company": company,
                "new_leads": new.with_env(env),
                "changes": changes.with_env(env),
                "due_leads": due.with_env(env),
                "due_days": DUE_SOON_DAYS,
                "deadline": deadline,
                "countdown": countdown,
                "amount": amount,
                "lead_url": lead_url,
                "not_relevant_url": not_relevant_url,
                "change_label": lambda notice: kinds.get(notice.change_kind, ""),
            },
        )
        return digest._digest_subject(len(new), len(changes)), body

    def _queue_digest(self, company, users, new, changes, due):
        """One mail per language of ``users``."""
        mails = self.env["mail.mail"]
        for lang in set(users.mapped("lang")):
            group = users.filtered(lambda u, lg=lang: u.lang == lg)
            subject, body = self._render_digest(company, new, changes, due, lang)
            mails |= mails.sudo().create(
                {
                    "subject": subject,
                    "body_html": body,
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": [(6, 0, group.partner_id.ids)],
                    "auto_delete": False,
                }
            )
        return mails

    def _send_company_digest(self, company, skip_empty):
        """The director's digest, then each salesperson's summary of their own tenders.

        The pending marks are cleared only when a digest was queued: a night without
        recipients keeps its news for the next digest.
        """
        new, changes, due, pending, all_changes = self._digest_content(company)
        if not new and not changes and skip_empty:
            return self.env["mail.mail"]
        recipients = self._digest_recipients(company)
        if not recipients:
            return self.env["mail.mail"]
        mails = self._queue_digest(company, recipients, new, changes, due)
        for user in (new | due).user_id - recipients:
            if not (user.active and not user.share and user.email):
                continue
            own_new = new.filtered(lambda lead, u=user: lead.user_id == u)
            own_due = due.filtered(lambda lead, u=user: lead.user_id == u)
            own_changes = changes.filtered(lambda n, u=user: n.lead_id.user_id == u)
            if own_new or own_due:
                mails |= self._queue_digest(company, user, own_new, own_changes, own_due)
        pending.write({"tender_digest_pending": False})
        all_changes.write({"digest_pending": False})
        return mails
