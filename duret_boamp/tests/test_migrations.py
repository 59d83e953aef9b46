"""The 17.0.1.2.0 migration scripts, run on a database put back in its former state."""

from datetime import datetime

from odoo.addons.duret_procurement.tests.common import load_migration
from odoo.tests import TransactionCase, tagged

from ..lib.relevance import default_rules
from ..models.boamp_watch import split_codes, split_lines


@tagged("post_install", "-at_install")
class TestCronRenamed(TransactionCase):
    def test_the_nightly_cron_keeps_its_record_schedule_and_flag(self):
        cron = self.env.ref("duret_boamp.ir_cron_boamp_watch")
        nextcall = datetime(2027, 3, 1, 4, 0)
        cron.write({"nextcall": nextcall, "active": False})
        # the database as 17.0.1.1.0 left it
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE ir_model_data SET name = replace(name, 'ir_cron_boamp_watch',
                                                       'ir_cron_boamp_nightly')
                WHERE module = 'duret_boamp' AND name LIKE 'ir\\_cron\\_boamp\\_watch%%'"""
        )
        self.env.cr.execute(
            "UPDATE ir_act_server SET code = 'model._cron_nightly()' WHERE id = %s",
            [cron.ir_actions_server_id.id],
        )
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        self.assertFalse(self.env.ref("duret_boamp.ir_cron_boamp_watch", False))

        load_migration("duret_boamp", "17.0.1.2.0", "pre-migrate.py").migrate(
            self.env.cr, "17.0.1.1.0"
        )
        self.env.registry.clear_cache()
        self.env.invalidate_all()

        renamed = self.env.ref("duret_boamp.ir_cron_boamp_watch")
        self.assertEqual(renamed, cron)
        self.assertEqual(
            self.env.ref("duret_boamp.ir_cron_boamp_watch_ir_actions_server"),
            cron.ir_actions_server_id,
        )
        self.assertEqual(renamed.code, "model._cron_boamp_watch()")
        self.assertEqual((renamed.nextcall, renamed.active), (nextcall, False))
        self.assertFalse(self.env.ref("duret_boamp.ir_cron_boamp_nightly", False))


@tagged("post_install", "-at_install")
class TestDefaultVocabulary(TransactionCase):
    def test_profiles_still_on_an_old_default_take_the_new_one(self):
        post = load_migration("duret_boamp", "17.0.1.2.0", "post-migrate.py")
        old_keywords, old_cpv = post.OLD_KEYWORDS[0], post.OLD_CPV_CODES[0]
        rules = default_rules()
        Watch = self.env["boamp.watch"]
        company = self.env.ref("base.main_company")
        self.env["res.lang"]._activate_lang("en_US")
        company.partner_id.lang = "en_US"  # the language of the notes (the job's rule)

        def profile(name, keywords, cpv):
            return Watch.create(
                {
                    "name": name,
                    "company_id": company.id,
                    "include_keywords": "\n".join(keywords),
                    "cpv_include": ", ".join(cpv),
                }
            )

        untouched = profile("Old defaults", old_keywords, old_cpv)
        edited = profile("Edited", [*old_keywords, "domotique"], old_cpv[:-1])
        current = profile("Current", rules.include_keywords, rules.cpv_include_prefixes)
        archived = profile("Archived, old defaults", old_keywords, rules.cpv_include_prefixes)
        archived.active = False
        messages = {w: len(w.message_ids) for w in (untouched, edited, current, archived)}

        post.migrate(self.env.cr, "17.0.1.1.0")
        self.env.invalidate_all()

        self.assertEqual(split_lines(untouched.include_keywords), rules.include_keywords)
        self.assertEqual(split_codes(untouched.cpv_include), rules.cpv_include_prefixes)
        note = untouched.message_ids[0].body
        self.assertIn("électrification", note)
        self.assertIn("45316", note, "new CPV prefixes are named")
        self.assertIn("Removed: 4531.", note, "the broad prefix gave way to narrower ones")
        self.assertEqual(split_lines(archived.include_keywords), rules.include_keywords)
        # an edited list is never touched; a profile already current gets no note
        self.assertEqual(split_lines(edited.include_keywords), [*old_keywords, "domotique"])
        self.assertEqual(split_codes(edited.cpv_include), old_cpv[:-1])
        self.assertEqual(len(edited.message_ids), messages[edited])
        self.assertEqual(len(current.message_ids), messages[current])
        self.assertEqual(len(untouched.message_ids), messages[untouched] + 1)
