import base64
import datetime
import io
import zipfile

import pytz

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

TENDER_FILE_MARK = "duret_tender_file"
#: deadline field added on crm.lead by duret_boamp (read only when that addon is installed)
BOAMP_DEADLINE_FIELD = "tender_deadline"


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _compliance_tender_deadline(self):
        """The tender's response deadline as a Paris date: BOAMP's when known, else the lead's."""
        self.ensure_one()
        deadline = self[BOAMP_DEADLINE_FIELD] if BOAMP_DEADLINE_FIELD in self._fields else False
        if deadline:
            if isinstance(deadline, datetime.datetime):
                return pytz.utc.localize(deadline).astimezone(pytz.timezone("Europe/Paris")).date()
            return deadline
        return self.date_deadline

    def action_compliance_tender_file(self):
        """ "Administrative file": check, attach the valid documents, offer one ZIP."""
        self.ensure_one()
        # the lead's own defaults (default_type='lead', default_team_id...) must not reach the
        # attachments and the wizard this button creates: ir.attachment.type is 'url'/'binary'
        self = self.with_context(clean_context(self.env.context))
        deadline = self._compliance_tender_deadline()
        if not deadline:
            raise UserError(_("Set the tender deadline (or the expected closing date) first."))
        company = self.company_id or self.env.company
        margin = company.compliance_award_margin_days
        check_date = deadline + datetime.timedelta(days=margin)
        check = self.env["compliance.document"]._tender_file_check(company, check_date)
        zip_attachment = self._compliance_attach_tender_file(check["valid"])
        wizard = self.env["compliance.tender.file.wizard"].create(
            {
                "lead_id": self.id,
                "deadline": deadline,
                "check_date": check_date,
                "margin_days": margin,
                "valid_document_ids": [(6, 0, check["valid"].ids)],
                "expired_document_ids": [(6, 0, check["expired"].ids)],
                "missing_type_ids": [(6, 0, check["missing"].ids)],
                "zip_attachment_id": zip_attachment.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Administrative file"),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _compliance_attach_tender_file(self, documents):
        """Replace the lead's previous tender-file attachments with the valid documents + ZIP."""
        Attachment = self.env["ir.attachment"]
        Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("description", "=", TENDER_FILE_MARK),
            ]
        ).unlink()
        buffer = io.BytesIO()
        used_names = set()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for doc in documents.filtered("file"):
                name = doc.file_name or f"{doc.type_id.code}.pdf"
                if name in used_names:
                    name = f"{doc.id}_{name}"
                used_names.add(name)
                content = base64.b64decode(doc.file)
                archive.writestr(name, content)
                Attachment.create(
                    {
                        "name": name,
                        "raw": content,
                        "res_model": self._name,
                        "res_id": self.id,
                        "description": TENDER_FILE_MARK,
                    }
                )
        return Attachment.create(
            {
                "name": _("Administrative file - %s.zip", self.name).replace("/", "-"),
                "raw": buffer.getvalue(),
                "mimetype": "application/zip",
                "res_model": self._name,
                "res_id": self.id,
                "description": TENDER_FILE_MARK,
            }
        )
