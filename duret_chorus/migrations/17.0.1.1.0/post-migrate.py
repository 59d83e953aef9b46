"""17.0.1.1.0: the deposit gets its own model (chorus.flow).

Before, the flow number, sent date and user, errors and file sent were columns
of account_move; they are now those of the invoice's chorus.flow. One deposit
is created per invoice already sent, from the old columns (still in the table:
Odoo keeps the column of a field that stops being stored), so every invoice
keeps its state, its flow number and its file, and the poll goes on.
"""

import logging

_logger = logging.getLogger(__name__)

FLOW_STATE_OF_MOVE = {
    "sending": "sending",
    "uncertain": "uncertain",
    "sent": "deposited",
    "integrated": "integrated",
    "flow_rejected": "rejected",
}
OLD_COLUMNS = (
    "chorus_flow_number",
    "chorus_sent_date",
    "chorus_sent_by",
    "chorus_flow_errors",
    "chorus_attachment_id",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'account_move' AND column_name IN %s",
        [OLD_COLUMNS],
    )
    if len(cr.fetchall()) != len(OLD_COLUMNS):
        return
    cr.execute(
        """SELECT id, company_id, chorus_state, chorus_flow_number, chorus_sent_date,
                  chorus_sent_by, chorus_flow_errors, chorus_attachment_id
             FROM account_move
            WHERE chorus_flow_id IS NULL AND chorus_state != 'not_sent'"""
    )
    rows = cr.fetchall()
    for move_id, company_id, state, number, sent, user_id, errors, attachment_id in rows:
        cr.execute(
            """INSERT INTO chorus_flow (name, company_id, date_sent, user_id, state, errors,
                                        attachment_id, create_uid, write_uid,
                                        create_date, write_date)
               VALUES (%s, %s, %s, %s, %s, %s, %s, 1, 1, now() at time zone 'UTC',
                       now() at time zone 'UTC')
            RETURNING id""",
            [
                number,
                company_id,
                sent,
                user_id,
                FLOW_STATE_OF_MOVE.get(state, "deposited"),
                errors,
                attachment_id,
            ],
        )
        cr.execute(
            "UPDATE account_move SET chorus_flow_id = %s WHERE id = %s",
            [cr.fetchone()[0], move_id],
        )
    _logger.info("duret_chorus: %s Chorus deposits created from the invoices", len(rows))
