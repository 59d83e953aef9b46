from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

RETENTION_MONTHS = 36


class ApiEntrepriseCall(models.Model):
    """One API Entreprise call, kept 36 months as the terms of use require (never the token)."""

    _name = "compliance.api.call"
    _description = "API Entreprise call log"
    _order = "id desc"
    _rec_name = "endpoint"

    endpoint = fields.Char(required=True, readonly=True)
    identifier = fields.Char(string="SIREN/SIRET", readonly=True)
    context = fields.Char(readonly=True)
    object = fields.Char(readonly=True)
    recipient = fields.Char(readonly=True)
    user_id = fields.Many2one("res.users", string="User", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    status = fields.Integer(string="HTTP status", readonly=True, help="0: no answer.")
    request_id = fields.Char(string="Request ID", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    create_date = fields.Datetime(string="Time", readonly=True, index=True)

    @api.model
    def _record(self, values):
        """Write one call through its own cursor, committed at once.

        The call happened whatever the caller does next: a UserError raised after
        it (not found, remote error) rolls the caller's transaction back, and the
        entry the terms of use require must survive that rollback.
        """
        with self.env.registry.cursor() as cr:
            return self.env(cr=cr, su=True)[self._name].create(values).id

    @api.model
    def _cron_compliance_call_purge(self):
        limit = fields.Datetime.now() - relativedelta(months=RETENTION_MONTHS)
        old = self.sudo().search([("create_date", "<", limit)])
        old.unlink()
        return len(old)
