"""What every background job of the suite does the same way: language, commits, errors.

One home for it, so that the three integrations' jobs behave alike: a job
writes in the company partner's language (else the recipient's), keeps what it
finished when killed, and explains a remote failure with one translated
sentence per kind of error, the technical detail after it.
"""

import threading
from datetime import timedelta

from odoo import _, api, fields, models


class DuretJob(models.AbstractModel):
    _name = "duret.job"
    _description = "Background job helpers of the procurement suite"

    @api.model
    def _duret_testing(self):
        """True inside a test: the test's transaction must stay open."""
        return (
            getattr(threading.current_thread(), "testing", False)
            or self.env.registry.in_test_mode()
        )

    @api.model
    def _duret_commit_progress(self):
        """Commit a job's finished work (a killed job keeps it); in tests only flush."""
        if self._duret_testing():
            self.env.flush_all()
            return
        self.env.cr.commit()

    @api.model
    def _duret_rollback(self):
        """Drop a failed job's unfinished work (what was committed stays); not in tests."""
        if self._duret_testing():
            return
        self.env.cr.rollback()
        self.env.invalidate_all()

    @api.model
    def _duret_job_lang(self, company, recipient=None):
        """The language a job writes in: the company partner's, else the recipient's.

        ``ir.cron`` runs without a language in its context; without this rule
        its texts would be English for French users.
        """
        partner = (
            recipient.partner_id if recipient and recipient._name == "res.users" else recipient
        )
        return (
            (company and company.partner_id.lang)
            or (partner and partner.lang)
            or self.env.context.get("lang")
            or "en_US"
        )

    @api.model
    def _duret_in_job_lang(self, records, company, recipient=None):
        """``records`` in the job's language (see :meth:`_duret_job_lang`)."""
        return records.with_context(lang=self._duret_job_lang(company, recipient))

    @api.model
    def _duret_error_kind_sentence(self, kind, service):
        """One translated sentence per kind of remote error (``lib/errors.py`` kinds)."""
        sentences = {
            "connection": _(
                "%s could not be reached: check the server's Internet access.", service
            ),
            "timeout": _("%s did not answer in time.", service),
            "budget": _(
                "The time allowed to the remote calls of this job ran out (%s did not answer "
                "fast enough); the rest is done at the next run.",
                service,
            ),
            "rate_limit": _("%s asks to slow down (too many requests).", service),
            "unavailable": _("%s is unavailable for the moment.", service),
            "payload": _("%s sent an answer that cannot be read.", service),
            "http": _("%s refused the request.", service),
        }
        return sentences.get(kind) or _("%s gave no usable answer.", service)

    @api.model
    def _duret_remote_error_text(self, error, service=None, sentence=None):
        """``sentence`` (else the one of the error's kind), then the technical detail.

        ``service`` defaults to the one the error names (set by its client).
        """
        service = service or getattr(error, "service", None) or _("The remote service")
        sentence = sentence or self._duret_error_kind_sentence(
            getattr(error, "kind", "remote"), service
        )
        detail = str(error).strip()
        if not detail:
            return sentence
        return _("%(sentence)s Technical detail: %(detail)s", sentence=sentence, detail=detail)

    @api.model
    def _duret_format_delay(self, seconds):
        """A delay in the largest whole unit, e.g. "1 second(s)", "2 hour(s)"."""
        seconds = int(seconds)
        if seconds >= 86400:
            return _("%s day(s)", seconds // 86400)
        if seconds >= 3600:
            return _("%s hour(s)", seconds // 3600)
        if seconds >= 120:
            return _("%s minute(s)", seconds // 60)
        return _("%s second(s)", seconds)

    @api.model
    def _duret_budget_line(self, budget):
        """The run-log line of a job's time budget for remote calls."""
        # figures formatted apart: the term extractor evaluates literal arguments of _()
        spent, seconds = f"{budget.spent:.1f}", f"{budget.seconds:g}"
        return _("Remote calls: %(spent)s s of a %(budget)s s budget.", spent=spent, budget=seconds)

    @api.model
    def _duret_run_again_after(self, cron_xmlid, error):
        """The service asked to wait longer than a job waits in place: run ``cron_xmlid``
        again when it allows (``error.retry_in`` seconds), instead of at its next schedule.

        The trigger is committed in its own cursor, so that the job's rollback of its failed
        work cannot drop it. Returns the moment, or None when the error gives no delay.
        """
        retry_in = getattr(error, "retry_in", None)
        cron = self.env.ref(cron_xmlid, raise_if_not_found=False)
        if not retry_in or not cron:
            return None
        moment = fields.Datetime.now() + timedelta(seconds=retry_in)
        with self.env.registry.cursor() as cr:
            cron.with_env(cron.env(cr=cr, su=True))._trigger(moment)
        return moment
