"""17.0.1.2.0: the fields added to Odoo's models take the addon's prefix (``duret_ae_*`` ->
``compliance_*``, README "Naming").

Runs before the new code loads. Renaming the column alone would keep the values but
not the field's record: Odoo would delete ``ir_model_fields`` rows of fields it no longer
finds, and with them what points at them (defaults set by users, tracked changes in the
chatter, export templates' field ids). So the rows themselves are renamed, with their XML
ids and those of their selection values; the column follows, and the views, saved filters
and export templates that name an old field (or a renamed button) are rewritten. Running it
twice changes nothing.
"""

import logging

_logger = logging.getLogger(__name__)
MODULE = "duret_api_entreprise"
OLD, NEW = "duret_ae_", "compliance_"

#: model -> suffixes of its renamed fields (``duret_ae_<suffix>`` -> ``compliance_<suffix>``)
FIELDS = {
    "res.company": [
        "environment",
        "sandbox_url",
        "token",
        "token_expiry",
        "recipient",
        "context",
        "object",
        "reminder_days",
        "award_margin_days",
        "responsible_id",
        "tracked_type_ids",
        "blocked_until",
        "auto_verify",
    ],
    "res.partner": [
        "siret_status",
        "checked_on",
        "check_message",
        "legal_name",
        "official_street",
        "official_street2",
        "official_zip",
        "official_city",
        "naf_code",
        "naf_label",
        "legal_category",
        "is_public_body",
        "closed",
        "closed_on",
        "differs",
    ],
}
# the settings page shows the company's fields under the same names
FIELDS["res.config.settings"] = list(FIELDS["res.company"])
#: buttons renamed with the fields: views still naming them would fail validation
METHODS = {
    "action_duret_check_siret": "action_compliance_check_siret",
    "action_duret_review_differences": "action_compliance_review_differences",
    "action_duret_tender_file": "action_compliance_tender_file",
    "action_duret_refresh": "action_compliance_refresh",
}
#: (table, column) holding text that may name a field of the model in ``model_column``
FIELD_TEXTS = [
    ("ir_filters", "domain", "model_id"),
    ("ir_filters", "context", "model_id"),
    ("ir_filters", "sort", "model_id"),
]


def _column_exists(cr, table, column):
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return bool(cr.rowcount)


def _rename_field(cr, model, old, new):
    table = model.replace(".", "_")
    if _column_exists(cr, table, old) and not _column_exists(cr, table, new):
        cr.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{old}" TO "{new}"')
        cr.execute(f'ALTER INDEX IF EXISTS "{table}__{old}_index" RENAME TO "{table}__{new}_index"')
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s", [new, model, old]
    )
    cr.execute(
        """UPDATE ir_model_data SET name = %s
            WHERE module = %s AND model = 'ir.model.fields' AND name = %s""",
        [f"field_{table}__{new}", MODULE, f"field_{table}__{old}"],
    )
    old_prefix, new_prefix = f"selection__{table}__{old}__", f"selection__{table}__{new}__"
    cr.execute(
        """UPDATE ir_model_data SET name = %s || substr(name, %s)
            WHERE module = %s AND model = 'ir.model.fields.selection' AND starts_with(name, %s)""",
        [new_prefix, len(old_prefix) + 1, MODULE, old_prefix],
    )


def _rewrite_texts(cr):
    """Saved filters and export templates of these models name the new fields."""
    models = list(FIELDS)
    pattern, replacement = rf"\m{OLD}", NEW
    for table, column, model_column in FIELD_TEXTS:
        cr.execute(
            f"""UPDATE {table} SET {column} = regexp_replace({column}, %s, %s, 'g')
                 WHERE {model_column} = ANY(%s) AND {column} ~ %s""",
            [pattern, replacement, models, pattern],
        )
    cr.execute(
        """UPDATE ir_exports_line line SET name = regexp_replace(line.name, %s, %s, 'g')
             FROM ir_exports export
            WHERE export.id = line.export_id AND export.resource = ANY(%s) AND line.name ~ %s""",
        [pattern, replacement, models, pattern],
    )


def _rewrite_views(cr):
    """Views in the database name the new fields and buttons before the new ones load.

    Odoo checks each view it loads combined with the views inheriting from it: a view of
    this addon still naming ``duret_ae_*`` (reloaded later in the upgrade) or a view an
    administrator made would stop the upgrade.
    """
    renames = [(rf"\m{OLD}", NEW)] + [(rf"\m{old}\M", new) for old, new in METHODS.items()]
    for pattern, replacement in renames:
        cr.execute(
            """UPDATE ir_ui_view SET arch_db = regexp_replace(arch_db::text, %s, %s, 'g')::jsonb
                WHERE arch_db::text ~ %s""",
            [pattern, replacement, pattern],
        )


def migrate(cr, version):
    if not version:
        return
    for model, suffixes in FIELDS.items():
        for suffix in suffixes:
            _rename_field(cr, model, OLD + suffix, NEW + suffix)
    _rewrite_texts(cr)
    _rewrite_views(cr)
    _logger.info("duret_api_entreprise: duret_ae_* fields renamed compliance_*")
