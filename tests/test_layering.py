"""Every addon's ``lib/`` is free of Odoo: clients talk HTTP, parsers return plain values.

Parsed with ``ast`` (nothing imported). A ``lib/`` module may import the suite's
shared layer relatively (``from ...duret_procurement.lib.http import HttpClient``).
"""

import ast

import pytest

from tests.odoo_env import REPO, addon_names

#: modules their owners are moving out of lib/ (the list only shrinks: see the last test)
PENDING = {
    # labels translated with odoo's _lt (and code_translations): they belong to the model
    # layer, the lib returning codes (owner: the Chorus status work)
    "duret_chorus/lib/statuses.py",
}


def odoo_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "odoo"]
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").split(".")[0] == "odoo"
        ):
            found.append(node.module)
    return found


def lib_modules(addon):
    return sorted((REPO / addon / "lib").glob("**/*.py"))


@pytest.mark.parametrize("addon", addon_names())
def test_lib_never_imports_odoo(addon):
    wrong = {
        path.relative_to(REPO).as_posix(): imports
        for path in lib_modules(addon)
        if (imports := odoo_imports(path)) and path.relative_to(REPO).as_posix() not in PENDING
    }
    assert not wrong, f"lib/ modules importing odoo: {wrong}"


def test_pending_modules_still_import_odoo():
    fixed = [
        name
        for name in PENDING
        if (REPO / name).is_file() is False or not odoo_imports(REPO / name)
    ]
    assert not fixed, f"remove from PENDING (they follow the rule now): {fixed}"
