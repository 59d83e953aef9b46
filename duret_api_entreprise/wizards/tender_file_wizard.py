from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import format_date


def wizard_date(env, day):
    """A date in the user's language (``format_date``), empty when unset."""
    return format_date(env, day) if day else ""


class TenderFileWizard(models.TransientModel):
    """Result of the administrative-file check of a lead, with its ZIP download."""

    _name = "compliance.tender.file.wizard"
    _description = "Administrative file of a tender"

    lead_id = fields.Many2one("crm.lead", required=True, readonly=True, ondelete="cascade")
    deadline = fields.Date(string="Tender deadline", readonly=True)
    check_date = fields.Date(string="Valid until at least", readonly=True)
    margin_days = fields.Integer(string="Award margin (days)", readonly=True)
    valid_document_ids = fields.Many2many(
        "compliance.document", "duret_tender_file_valid_rel", string="Valid documents"
    )
    expired_document_ids = fields.Many2many(
        "compliance.document", "duret_tender_file_expired_rel", string="Expired by then"
    )
    missing_type_ids = fields.Many2many("compliance.document.type", string="Missing documents")
    zip_attachment_id = fields.Many2one("ir.attachment", readonly=True)
    complete = fields.Boolean(compute="_compute_message")
    message = fields.Html(compute="_compute_message", sanitize=True)

    @api.depends("valid_document_ids", "expired_document_ids", "missing_type_ids", "check_date")
    def _compute_message(self):
        for wizard in self:
            wizard.complete = not (wizard.expired_document_ids or wizard.missing_type_ids)
            wizard.message = wizard._message_html()

    def _message_html(self):
        self.ensure_one()
        check_date = wizard_date(self.env, self.check_date)
        if not (self.expired_document_ids or self.missing_type_ids):
            return Markup("<p>%s</p>") % _(
                "Complete administrative file: the %(count)s documents due at award are valid "
                "until %(date)s (tender deadline %(deadline)s + %(margin)s days).",
                count=len(self.valid_document_ids),
                date=check_date,
                deadline=wizard_date(self.env, self.deadline),
                margin=self.margin_days,
            )
        items = []  # plain loops: _() finds the language in this frame, not a comprehension's
        for doc_type in self.missing_type_ids:
            items.append(_("%(name)s: missing, upload it.", name=doc_type.name))
        for doc in self.expired_document_ids:
            items.append(
                _(
                    "%(name)s: expires on %(end)s, before %(date)s; renew it.",
                    name=doc.name,
                    end=wizard_date(self.env, doc.date_end),
                    date=check_date,
                )
            )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            _(
                "Incomplete administrative file: for an award up to %(date)s (tender deadline "
                "%(deadline)s + %(margin)s days), these documents are missing or will have "
                "expired:",
                date=check_date,
                deadline=wizard_date(self.env, self.deadline),
                margin=self.margin_days,
            ),
            Markup("").join(Markup("<li>%s</li>") % item for item in items),
        )

    def action_download_zip(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.zip_attachment_id.id}?download=true",
            "target": "self",
        }
