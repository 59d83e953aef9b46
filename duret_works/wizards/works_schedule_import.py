"""Import a price schedule (DPGF / BPU) from the buyer's CSV; every bad row is listed."""

import base64

from odoo import Command, _, fields, models
from odoo.exceptions import UserError

from ..lib import schedule


class WorksScheduleImport(models.TransientModel):
    _name = "works.schedule.import"
    _description = "Import a price schedule"

    contract_id = fields.Many2one("works.contract", required=True)
    file = fields.Binary(required=True)
    filename = fields.Char()
    replace = fields.Boolean(string="Replace the current schedule", default=True)

    def _problem_text(self, problem):
        row, column, value, kind = problem
        columns = {
            "code": _("code"),
            "name": _("description"),
            "quantity": _("quantity"),
            "price_unit": _("unit price"),
            None: "",
        }
        texts = {
            "empty": _("the file is empty"),
            "missing_column": _("column %s not found in the header", columns[column]),
            "required": _("%s is empty", columns[column]),
            "duplicate": _("code %s appears twice", value),
            "not_a_number": _(
                '%(column)s "%(value)s" is not a number', column=columns[column], value=value
            ),
            "negative": _("%(column)s %(value)s is negative", column=columns[column], value=value),
        }
        return _("Row %(row)s: %(problem)s", row=row, problem=texts[kind])

    def action_import(self):
        self.ensure_one()
        if self.contract_id.state != "draft":
            raise UserError(_("The schedule of a started contract cannot be replaced."))
        rows, problems = schedule.parse_csv(base64.b64decode(self.file))
        if problems:
            raise UserError(
                _(
                    "Nothing was imported: correct these rows and import the file again.\n%s",
                    "\n".join(self._problem_text(problem) for problem in problems),
                )
            )
        commands = [Command.clear()] if self.replace else []
        for sequence, row in enumerate(rows, start=1):
            commands.append(
                Command.create(
                    {
                        "sequence": sequence,
                        "code": row["code"],
                        "name": row["name"],
                        "uom_label": row["unit"],
                        "quantity": float(row["quantity"]),
                        "price_unit": float(row["price_unit"]),
                        "progress_mode": "percent"
                        if row["unit"].lower() in ("ens", "ft", "forfait")
                        else "quantity",
                    }
                )
            )
        self.contract_id.line_ids = commands
        self.contract_id.message_post(
            body=_(
                "Price schedule imported from %(file)s: %(count)s lines.",
                file=self.filename or "",
                count=len(rows),
            )
        )
        return {"type": "ir.actions.act_window_close"}
