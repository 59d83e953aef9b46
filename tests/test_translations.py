"""Every addon ships a complete French translation (users work in French)."""

import re

import polib
import pytest

from tests.odoo_env import REPO, addon_names

PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


@pytest.mark.parametrize("addon", addon_names())
def test_french_translation_complete(addon):
    path = REPO / addon / "i18n" / "fr.po"
    assert path.is_file(), f"{addon} has no i18n/fr.po"
    po = polib.pofile(str(path))
    assert len(po) > 0, f"{addon}/i18n/fr.po is empty"
    untranslated = [entry.msgid for entry in po if not entry.msgstr and not entry.msgstr_plural]
    assert not untranslated, f"untranslated in {addon}: {untranslated[:10]}"
    assert not po.fuzzy_entries(), f"fuzzy entries in {addon}"
    for entry in po:
        assert sorted(PLACEHOLDER_RE.findall(entry.msgid)) == sorted(
            PLACEHOLDER_RE.findall(entry.msgstr)
        ), f"placeholders differ in {addon}: {entry.msgid!r} -> {entry.msgstr!r}"
