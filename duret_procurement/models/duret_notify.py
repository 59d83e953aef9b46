"""Who hears about what: alert recipients, credential expiry reminders, user notifications."""

import datetime

from odoo import api, fields, models


class DuretNotify(models.AbstractModel):
    _name = "duret.notify"
    _description = "Alerts and notifications of the procurement suite"

    @api.model
    def _duret_alert_recipients(self, company, responsible=None):
        """The users who receive a job's alerts for ``company``.

        The responsible named in the settings when there is one, else the
        company's administrators (internal, active, real people), else the
        administrator account.
        """
        if responsible and responsible.active:
            return responsible
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .users.filtered(
                lambda user: (
                    not user.share
                    and user.active
                    and not user._is_superuser()
                    and company in user.company_ids
                )
            )
        )
        return admins or self.env.ref("base.user_admin", raise_if_not_found=False)

    @api.model
    def _duret_remind_expiry(
        self,
        company,
        expiry,
        summary,
        note,
        before_days=30,
        lead_days=7,
        responsible=None,
        today=None,
    ):
        """A to-do on the company for a credential expiring on ``expiry`` (once per summary).

        Scheduled from ``before_days`` before the expiry, due ``lead_days`` before
        it (never in the past). Returns True when an activity was created.
        """
        if not expiry:
            return False
        today = today or fields.Date.context_today(self)
        if expiry > today + datetime.timedelta(days=before_days):
            return False
        partner = company.partner_id.sudo()
        if partner.activity_ids.filtered(lambda activity: activity.summary == summary):
            return False
        recipient = self._duret_alert_recipients(company, responsible)[:1]
        partner.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=max(expiry - datetime.timedelta(days=lead_days), today),
            summary=summary,
            note=note,
            user_id=recipient.id,
        )
        return True

    @api.model
    def _duret_notification(
        self, message, title=False, kind="success", sticky=False, next_action=None
    ):
        """The client action showing a notification (``kind``: success, warning, danger, info)."""
        params = {"type": kind, "message": message, "sticky": sticky}
        if title:
            params["title"] = title
        if next_action:
            params["next"] = next_action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
