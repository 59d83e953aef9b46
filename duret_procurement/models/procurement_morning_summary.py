"""The morning summary: one email per user with what concerns them, sent once a day.

A small framework: each addon adds its sections by extending
:meth:`ProcurementMorningSummary._duret_summary_sections` (accounting: Chorus Pro events,
late invoices, certificates; sales: tenders). Each item of a section has a stable key;
the keys a user was told about are kept with the summary that told them
(``procurement.morning.summary.item``), so an item is announced once. A user's summary,
its mail and its keys are written in one savepoint and committed together: a run killed
halfway leaves each user either with their summary or without it, and the next run sends
exactly one summary to those who missed it, covering everything since their last one.
"""

import logging
from datetime import timedelta

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

#: how far back the first summary of a user looks for events
FIRST_SUMMARY_DAYS = 1
#: events are searched from a little before the last summary: a job's transaction still
#: open then commits rows dated before it; the keys keep them from being told twice
OVERLAP = timedelta(hours=1)


class ProcurementMorningSummary(models.Model):
    _name = "procurement.morning.summary"
    _description = "Morning summary sent to a user"
    _order = "date desc, id desc"
    _rec_name = "subject"

    user_id = fields.Many2one(
        "res.users", string="Recipient", required=True, index=True, ondelete="cascade"
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    since = fields.Datetime(string="Covers events since")
    subject = fields.Char()
    mail_id = fields.Many2one("mail.mail", string="Email", ondelete="set null")
    item_ids = fields.One2many("procurement.morning.summary.item", "summary_id", string="Items")

    # ------------------------------------------------------------------ the job
    @api.model
    def _cron_morning_summary(self):
        """Each user who wants it gets one summary of what is new for them (none if nothing)."""
        Job = self.env["duret.job"]
        sent = self.browse()
        for user in self._duret_summary_users():
            try:
                with self.env.cr.savepoint():
                    sent |= self._duret_summary_send(user)
            except Exception:
                # one user's failure never stops the others' summaries
                _logger.exception("Morning summary of user %s failed", user.login)
                continue
            Job._duret_commit_progress()
        return sent

    @api.model
    def _duret_summary_users(self):
        """Internal, active users with an email who did not opt out."""
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("email", "!=", False),
                    ("duret_morning_summary", "=", True),
                ],
                order="id",
            )
            .filtered(lambda user: not user._is_superuser())
        )

    @api.model
    def _duret_summary_send(self, user):
        """The summary of ``user`` (a record) when something is new for them, else nothing."""
        now = fields.Datetime.now()
        last = self.search([("user_id", "=", user.id)], limit=1)
        since = last.date or now - timedelta(days=FIRST_SUMMARY_DAYS)
        company = user.company_id
        summary = self.env["duret.job"]._duret_in_job_lang(self, company, user)
        sections = summary._duret_summary_new_sections(user, since - OVERLAP)
        if not sections:
            return self.browse()
        subject = summary._duret_summary_subject(sections)
        body = summary.env["ir.qweb"]._render(
            "duret_procurement.morning_summary_body",
            {"user": user, "company": company, "sections": sections},
        )
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "body_html": body,
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": [(6, 0, user.partner_id.ids)],
                    "auto_delete": False,
                }
            )
        )
        keys = [item["key"] for section in sections for item in section["items"]]
        return self.create(
            {
                "user_id": user.id,
                "date": now,
                "since": since,
                "subject": subject,
                "mail_id": mail.id,
                "item_ids": [(0, 0, {"key": key}) for key in keys],
            }
        )

    def _duret_summary_new_sections(self, user, since):
        """The sections of ``user`` keeping only the items not announced yet, in order."""
        sections = self._duret_summary_sections(user, since)
        keys = [item["key"] for section in sections for item in section["items"]]
        told = set(
            self.env["procurement.morning.summary.item"]
            .search([("user_id", "=", user.id), ("key", "in", keys)])
            .mapped("key")
        )
        fresh = []
        for section in sorted(sections, key=lambda section: section.get("sequence", 10)):
            items = [item for item in section["items"] if item["key"] not in told]
            if items or section.get("pointer"):
                fresh.append({**section, "items": items})
        # a pointer alone (e.g. "see the BOAMP digest") is no news
        return fresh if any(section["items"] for section in fresh) else []

    def _duret_summary_subject(self, sections):
        """The count of new items and where they are ("… 2 new item(s): Chorus Pro"), so that
        a pointer section's own figures (the tenders of the BOAMP digest) are not mistaken
        for them."""
        with_items = [section for section in sections if section["items"]]
        return _(
            "Your morning summary: %(count)s new item(s) (%(where)s)",
            count=sum(len(section["items"]) for section in with_items),
            where=", ".join(section["title"] for section in with_items),
        )

    # --------------------------------------------------------- for the addons
    def _duret_summary_sections(self, user, since):
        """The sections of ``user``'s summary (extended by each addon; call ``super()``).

        Called in the job's language with superuser rights: a section reads only the
        companies of ``user`` and only what their groups let them see. A section is a dict:

        * ``title``: its heading; ``sequence``: its order (small first);
        * ``items``: dicts with ``key`` (stable: an item is announced once per user),
          ``title`` and ``detail`` (plain text, escaped in the mail), ``url`` (the record),
          ``tone`` (``danger``, ``warning``, ``success`` or ``info``);
        * optionally ``footer`` (plain text) and ``link`` / ``link_label`` (a list to open);
        * ``pointer``: True for a section without items that points to another email or
          screen; it is shown only in a summary sent for other news.

        ``since`` is the date of the user's last summary: events after it are new (the
        keys make sure none is announced twice).
        """
        return []

    @api.model
    def _duret_record_url(self, record, company=None):
        """The web client link opening ``record`` (mails have no relative links)."""
        company = company or getattr(record, "company_id", False) or self.env.company
        return f"{company.get_base_url()}/web#id={record.id}&model={record._name}&view_type=form"

    @api.model
    def _duret_action_url(self, xmlid, company=None):
        """The web client link opening the action ``xmlid`` (a list)."""
        company = company or self.env.company
        action = self.env.ref(xmlid)
        return f"{company.get_base_url()}/web#action={action.id}"
