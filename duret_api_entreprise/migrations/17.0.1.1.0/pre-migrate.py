"""17.0.1.1.0: models and crons renamed to the suite's naming scheme (README, "Naming").

Runs before the new code loads, so the registry finds its data under the new
names: call log rows, access rights, record rules, crons (their schedule and
any change an administrator made: they are ``noupdate``), messages and
activities keep their records. Wizards' tables hold throw-away rows: they are
dropped and recreated.
"""

import logging

from odoo.addons.duret_procurement.lib.upgrade import rename_cron

_logger = logging.getLogger(__name__)
MODULE = "duret_api_entreprise"

#: old model -> (new model, what happens to its table: "rename", "drop" or None if abstract)
MODELS = {
    "duret.api.entreprise.call": ("compliance.api.call", "rename"),
    "duret.compliance.service": ("compliance.remote", None),
    "duret.tender.file.wizard": ("compliance.tender.file.wizard", "drop"),
    "duret.partner.verification.wizard": ("compliance.partner.verification.wizard", "drop"),
    "duret.partner.verification.line": ("compliance.partner.verification.line", "drop"),
}
#: old cron XML id -> (new XML id, old method, new method)
CRONS = {
    "cron_compliance_nightly": (
        "ir_cron_compliance_refresh",
        "_cron_nightly",
        "_cron_compliance_refresh",
    ),
    "cron_compliance_weekly_digest": (
        "ir_cron_compliance_digest",
        "_cron_weekly_digest",
        "_cron_compliance_digest",
    ),
    "cron_api_entreprise_call_purge": (
        "ir_cron_compliance_call_purge",
        "_cron_purge",
        "_cron_compliance_call_purge",
    ),
    "cron_check_pending_sirets": (
        "ir_cron_compliance_siret_check",
        "_cron_duret_check_pending_sirets",
        "_cron_compliance_siret_check",
    ),
}
#: views, actions and menus renamed in OCA style: moving their XML ids keeps their ids, so
#: bookmarked URLs (``action=<id>``) and favourites keep working
XMLIDS = {
    "action_compliance_document": "compliance_document_action",
    "action_compliance_document_type": "compliance_document_type_action",
    "action_api_entreprise_call": "compliance_api_call_action",
    "api_entreprise_call_view_tree": "compliance_api_call_view_tree",
    "api_entreprise_call_view_search": "compliance_api_call_view_search",
    "menu_api_entreprise_call": "menu_compliance_api_call",
    "partner_verification_wizard_view_form": "compliance_partner_verification_wizard_view_form",
    "tender_file_wizard_view_form": "compliance_tender_file_wizard_view_form",
}
#: tables referring to a model by name: (table, column)
MODEL_NAME_COLUMNS = [
    ("ir_model_fields", "model"),
    ("ir_model_fields", "relation"),
    ("ir_act_server", "model_name"),
    ("ir_act_window", "res_model"),
    ("ir_ui_view", "model"),
    ("ir_attachment", "res_model"),
    ("mail_message", "model"),
    ("mail_followers", "res_model"),
    ("mail_activity", "res_model"),
    ("mail_activity_type", "res_model"),
    ("ir_model_data", "model"),
]


def _table(model):
    return model.replace(".", "_")


def _table_exists(cr, table):
    cr.execute("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'r'", [table])
    return bool(cr.rowcount)


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.rowcount)


def _rename_table(cr, old, new):
    """Table, its id sequence, indexes and constraints under the new name."""
    cr.execute(f'ALTER TABLE "{old}" RENAME TO "{new}"')
    cr.execute(f'ALTER SEQUENCE IF EXISTS "{old}_id_seq" RENAME TO "{new}_id_seq"')
    cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [new])
    for (index,) in cr.fetchall():
        if index.startswith(old):
            cr.execute(f'ALTER INDEX "{index}" RENAME TO "{new + index[len(old) :]}"')
    cr.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype != 'p'",
        [new],
    )
    for (constraint,) in cr.fetchall():
        if constraint.startswith(old):
            renamed = new + constraint[len(old) :]
            cr.execute(f'ALTER TABLE "{new}" RENAME CONSTRAINT "{constraint}" TO "{renamed}"')


def _drop_transient(cr, model):
    """Drop a wizard's table and its many2many tables (their names change with the model)."""
    table = _table(model)
    cr.execute(
        """SELECT rel.name FROM ir_model_relation rel JOIN ir_model m ON m.id = rel.model
            WHERE m.model = %s""",
        [model],
    )
    relations = [name for (name,) in cr.fetchall()]
    for relation in relations:
        cr.execute(f'DROP TABLE IF EXISTS "{relation}"')
    cr.execute("DELETE FROM ir_model_relation WHERE name = ANY(%s)", [relations])
    cr.execute(f'DROP TABLE IF EXISTS "{table}" CASCADE')


def _rename_model(cr, old, new, table_action):
    if table_action == "rename" and _table_exists(cr, _table(old)):
        _rename_table(cr, _table(old), _table(new))
    elif table_action == "drop":
        _drop_transient(cr, old)
    cr.execute("UPDATE ir_model SET model = %s WHERE model = %s", [new, old])
    for table, column in MODEL_NAME_COLUMNS:
        if _column_exists(cr, table, column):
            cr.execute(f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [new, old])
    old_id, new_id = _table(old), _table(new)
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s",
        [f"model_{new_id}", MODULE, f"model_{old_id}"],
    )
    cr.execute(
        """UPDATE ir_model_data SET name = %s || substr(name, %s)
            WHERE module = %s AND model = 'ir.model.fields' AND name LIKE %s""",
        [f"field_{new_id}__", len(f"field_{old_id}__") + 1, MODULE, f"field_{old_id}\\_\\_%"],
    )


def migrate(cr, version):
    if not version:
        return
    for old, (new, table_action) in MODELS.items():
        _rename_model(cr, old, new, table_action)
    for old_xmlid, (new_xmlid, old_method, new_method) in CRONS.items():
        rename_cron(cr, MODULE, old_xmlid, new_xmlid, f"{old_method}(", f"{new_method}(")
    for old_xmlid, new_xmlid in XMLIDS.items():
        cr.execute(
            "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s",
            [new_xmlid, MODULE, old_xmlid],
        )
    _logger.info("duret_api_entreprise: models and crons renamed to the naming scheme")
