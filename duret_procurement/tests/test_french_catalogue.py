"""Every term a user can see in the suite is translated, where Odoo will look for it.

A complete ``fr.po`` is not enough: Odoo applies a field label, a view text or a
selection value through the entry's reference (``model:ir.model.fields,
field_description:<xml id>``), and a Python message only from an entry with a
``code:`` reference. A renamed view, model or field keeps its msgid but loses its
French text unless the reference follows. This test exports the terms of each of
our addons the way ``--i18n-export`` does and looks each one up in its ``fr.po``.
"""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestFrenchCatalogue(TransactionCase):
    def _our_modules(self):
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "duret\\_%"), ("state", "=", "installed")]
        )
        return modules.mapped("name")

    @staticmethod
    def _references(po):
        """msgid -> (translated?, set of references) of a catalogue."""
        found = {}
        for entry in po:
            refs = {":".join(part for part in occ if part) for occ in entry.occurrences}
            translated = bool(entry.msgstr) and not entry.obsolete and "fuzzy" not in entry.flags
            previous = found.get(entry.msgid, (False, set()))
            found[entry.msgid] = (translated or previous[0], refs | previous[1])
        return found

    def test_every_exported_term_has_its_french_entry(self):
        missing = []
        for module in self._our_modules():
            path = Path(get_module_path(module)) / "i18n" / "fr.po"
            catalogue = self._references(polib.pofile(str(path)))
            reader = TranslationModuleReader(self.env.cr, modules=[module])
            for _module, ttype, name, res_id, source, _value, _comments in reader:
                translated, refs = catalogue.get(source, (False, set()))
                if ttype == "code":
                    ok = translated and any(ref.startswith("code:") for ref in refs)
                else:
                    ok = translated and f"{ttype}:{name}:{res_id}" in refs
                if not ok:
                    missing.append(f"{module}: {ttype}:{name}:{res_id} {source[:60]!r}")
        self.assertFalse(
            missing,
            "terms without their French entry (regenerate the .pot and msgmerge fr.po):\n"
            + "\n".join(sorted(set(missing))[:80]),
        )
