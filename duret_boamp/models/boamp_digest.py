"""Morning digest: the tenders the night's runs created, mailed through the queue."""

from datetime import timedelta

from odoo import _, fields, models
from odoo.tools import format_amount, format_datetime

from .params import boamp_params

DUE_SOON_DAYS = 7


class BoampRun(models.Model):
    _inherit = "boamp.run"

    def _send_digests(self):
        """One digest per company of these runs; returns the queued mails."""
        mails = self.env["mail.mail"]
        params = boamp_params(self.env)
        for company in self.company_id:
            runs = self.filtered(lambda r, c=company: r.company_id == c)
            mails |= runs._send_company_digest(company, params.digest_skip_empty)
        self.write({"digest_sent": True})
        return mails

    def _digest_recipients(self, company):
        users = company.boamp_digest_user_ids
        if not users:
            users = self.env.ref("sales_team.group_sale_manager").users.filtered(
                lambda u: company in u.company_ids and not u._is_superuser()
            )
        return users.filtered(lambda u: u.active and not u.share and u.email)

    def _digest_leads(self, company):
        Lead = self.env["crm.lead"]
        new = Lead.search(
            [("boamp_run_id", "in", self.ids), ("active", "=", True)],
            order="tender_deadline asc, id",
        )
        now = fields.Datetime.now()
        due = Lead.search(
            [
                ("company_id", "=", company.id),
                ("is_tender", "=", True),
                ("active", "=", True),
                ("probability", "<", 100),
                ("tender_deadline", ">=", now),
                ("tender_deadline", "<=", now + timedelta(days=DUE_SOON_DAYS)),
            ],
            order="tender_deadline asc, id",
        )
        return new, due

    def _digest_subject(self, count):
        if count == 0:
            return _("No new tender this morning")
        if count == 1:
            return _("1 new tender detected this morning")
        return _("%s new tenders detected this morning", count)

    def _render_digest(self, company, new, due, lang):
        """(subject, html body) of the digest in ``lang``."""
        runs = self.with_context(lang=lang)
        env = runs.env
        base_url = company.get_base_url()

        def deadline(lead):
            if not lead.tender_deadline:
                return "–"
            return format_datetime(env, lead.tender_deadline, tz="Europe/Paris", dt_format="short")

        def amount(lead):
            value = lead.expected_revenue or lead.tender_amount
            return format_amount(env, value, company.currency_id) if value else "–"

        def lead_url(lead):
            return f"{base_url}/web#id={lead.id}&model=crm.lead&view_type=form"

        body = env["ir.qweb"]._render(
            "duret_boamp.boamp_digest_body",
            {
                "company": company,
                "new_leads": new,
                "due_leads": due,
                "due_days": DUE_SOON_DAYS,
                "deadline": deadline,
                "amount": amount,
                "lead_url": lead_url,
            },
        )
        return runs._digest_subject(len(new)), body

    def _send_company_digest(self, company, skip_empty):
        new, due = self._digest_leads(company)
        if not new and skip_empty:
            return self.env["mail.mail"]
        mails = self.env["mail.mail"]
        recipients = self._digest_recipients(company)
        for lang in set(recipients.mapped("lang")):
            group = recipients.filtered(lambda u, lg=lang: u.lang == lg)
            subject, body = self._render_digest(company, new, due, lang)
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
