"""Regenerate each addon's ``.pot`` from a database and carry ``fr.po`` over to it.

``python -m tests.i18n_sync --database DB [addon ...]`` (DB: every addon installed,
e.g. a ``tests/run`` database kept with ``DURET_KEEP_DB=1``). For each addon, the
template is exported the way ``--i18n-export`` does, then ``fr.po`` is rewritten
entry by entry from that template: the French text is kept by msgid, the references
come from the template. References matter: Odoo applies a field label or a view
text through its reference, so a renamed model or view keeps its French only once
the catalogue follows it (``duret_procurement/tests/test_french_catalogue.py``).
New terms come out with an empty translation, for ``tests/test_translations.py``
to point at.
"""

import argparse
import io
import sys

import polib

from tests.odoo_env import REPO, addon_names, addons_path, find_odoo


def export_template(cr, addon):
    from odoo.tools.translate import trans_export

    buffer = io.BytesIO()
    trans_export(None, [addon], buffer, "po", cr)
    return polib.pofile(buffer.getvalue().decode("utf-8"))


def carry_over(template, old):
    """``fr.po`` for ``template``: its entries, the French of ``old`` by msgid."""
    french = {}
    for entry in old:
        if entry.msgstr and "fuzzy" not in entry.flags and not entry.obsolete:
            french.setdefault((entry.msgctxt, entry.msgid), entry.msgstr)
    result = polib.POFile(wrapwidth=78)
    result.metadata = dict(old.metadata) or dict(template.metadata)
    result.metadata["Language"] = "fr"
    result.header = old.header or template.header
    for entry in template:
        entry.msgstr = french.get((entry.msgctxt, entry.msgid), "")
        result.append(entry)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("addons", nargs="*", help="default: every addon of the repository")
    args = parser.parse_args(argv)
    _cmd, odoo_root = find_odoo()
    if odoo_root is None:
        print("Odoo 17 not found (see README)", file=sys.stderr)
        return 2
    sys.path.insert(0, str(odoo_root))
    import odoo

    odoo.tools.config.parse_config(["--addons-path", addons_path(odoo_root), "-d", args.database])
    registry = odoo.registry(args.database)
    untranslated = 0
    with registry.cursor() as cr:
        for addon in args.addons or addon_names():
            template = export_template(cr, addon)
            folder = REPO / addon / "i18n"
            folder.mkdir(exist_ok=True)
            template.save(str(folder / f"{addon}.pot"))
            po_path = folder / "fr.po"
            old = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
            french = carry_over(polib.pofile(str(folder / f"{addon}.pot")), old)
            french.save(str(po_path))
            missing = [e.msgid for e in french if not e.msgstr]
            untranslated += len(missing)
            print(f"{addon}: {len(french)} terms, {len(missing)} to translate")
            for msgid in missing:
                print(f"    {msgid[:100]!r}")
    return 1 if untranslated else 0


if __name__ == "__main__":
    sys.exit(main())
