"""The README's "Naming" section matches the code: model names, fields added to Odoo's
models, crons and translated texts of every addon.

The rule is read from the README's table (one row per addon), the code is parsed
(``ast`` for Python, ``lxml`` for XML data files): nothing is imported, so the
test runs without Odoo.
"""

import ast
import re

import pytest
from lxml import etree

from tests.odoo_env import REPO, addon_names

#: fields added to Odoo's models without the addon's prefix, by addon, model and field
#: (deviations their owners are fixing: the list only shrinks)
PENDING_FIELDS = {
    ("duret_boamp", "crm.lead", "is_tender"),
    ("duret_chorus", "account.move", "buyer_reference"),
}
CRON_ID = re.compile(r"^ir_cron_(\w+)$")


def naming_table(column=1):
    """``{addon: (prefixes)}`` from the README's "Naming" section: column 1 holds the model
    prefixes, column 2 those of the fields added to Odoo's models."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Naming", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) > column and cells[0].startswith("duret_"):
            table[cells[0]] = tuple(re.findall(r"`([\w.]+)`", cells[column]))
    return table


def model_names(addon):
    """``[(file, model)]`` for every class of the addon that sets ``_name``."""
    found = []
    for path in sorted((REPO / addon).rglob("*.py")):
        if "tests" in path.relative_to(REPO / addon).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(getattr(t, "id", None) == "_name" for t in statement.targets)
                    and isinstance(statement.value, ast.Constant)
                ):
                    found.append((path.relative_to(REPO).as_posix(), statement.value.value))
    return found


def fields_added_to_odoo_models(addon):
    """``[(model, field)]`` of the fields an addon declares on models it does not own."""
    own = naming_table().get(addon, ())
    found = []
    for path in sorted((REPO / addon).rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(REPO / addon).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {
                target.id: statement.value
                for statement in node.body
                if isinstance(statement, ast.Assign)
                for target in statement.targets
                if isinstance(target, ast.Name)
            }
            inherit = attrs.get("_inherit")
            if "_name" in attrs or not isinstance(inherit, ast.Constant):
                continue
            if inherit.value.startswith(own):
                continue
            for name, value in attrs.items():
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and getattr(value.func.value, "id", None) == "fields"
                ):
                    found.append((inherit.value, name))
    return found


def cron_records(addon):
    """``[(file, xml id, code)]`` of every ``ir.cron`` record in the addon's XML files."""
    found = []
    for path in sorted((REPO / addon).rglob("*.xml")):
        if "static" in path.parts:
            continue
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        for record in root.iter("record"):
            if record.get("model") != "ir.cron":
                continue
            code = record.find("field[@name='code']")
            found.append(
                (
                    path.relative_to(REPO / addon).as_posix(),
                    record.get("id"),
                    (code.text or "").strip() if code is not None else "",
                )
            )
    return found


def test_the_readme_names_every_addon():
    table = naming_table()
    missing = [addon for addon in addon_names() if addon not in table]
    assert not missing, f"add these addons to the README's naming table: {missing}"
    assert all(table.values()), table


@pytest.mark.parametrize("addon", addon_names())
def test_model_names_carry_the_addon_prefix(addon):
    prefixes = naming_table().get(addon)
    assert prefixes, f"{addon} is not in the README's naming table"
    wrong = [(path, name) for path, name in model_names(addon) if not name.startswith(prefixes)]
    assert not wrong, f"models of {addon} must start with {prefixes}: {wrong}"


@pytest.mark.parametrize("addon", addon_names())
def test_fields_added_to_odoo_models_carry_the_addon_prefix(addon):
    prefixes = tuple(p for p in naming_table(column=2).get(addon, ()) if p.endswith("_"))
    assert prefixes, f"{addon}: no field prefix in the README's naming table"
    wrong = [
        (model, name)
        for model, name in fields_added_to_odoo_models(addon)
        if not name.startswith(prefixes) and (addon, model, name) not in PENDING_FIELDS
    ]
    assert not wrong, f"fields of {addon} on Odoo's models must start with {prefixes}: {wrong}"


def test_pending_fields_still_exist():
    present = {
        (addon, model, name)
        for addon in addon_names()
        for model, name in fields_added_to_odoo_models(addon)
    }
    fixed = {pending for pending in PENDING_FIELDS if pending[0] in addon_names()} - present
    assert not fixed, f"these fields follow the rule now: remove them from PENDING_FIELDS: {fixed}"


@pytest.mark.parametrize("addon", addon_names())
def test_crons_live_in_ir_cron_xml_and_call_their_topic(addon):
    wrong = []
    for path, xml_id, code in cron_records(addon):
        topic = CRON_ID.match(xml_id or "")
        if path != "data/ir_cron.xml":
            wrong.append(f"{xml_id}: in {path}, not data/ir_cron.xml")
        elif not topic:
            wrong.append(f"{xml_id}: XML id is not ir_cron_<topic>")
        elif code != f"model._cron_{topic.group(1)}()":
            wrong.append(f"{xml_id}: calls {code!r}, not model._cron_{topic.group(1)}()")
    assert not wrong, f"crons of {addon} break the naming rule: {wrong}"


def translation_misuses(source, filename="<code>"):
    """``(line, problem)`` for each ``_()`` / ``_lt()`` call that breaks the README's rule:
    formatted after translation (``_("…") % x``) or given an f-string (Babel cannot
    extract it, so it is never translated)."""
    problems = []
    for node in ast.walk(ast.parse(source, filename)):
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Mod)
            and isinstance(node.left, ast.Call)
            and getattr(node.left.func, "id", None) in ("_", "_lt")
        ):
            problems.append((node.lineno, '_("…") % x instead of _("…", x)'))
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in ("_", "_lt")
            and node.args
            and isinstance(node.args[0], ast.JoinedStr)
        ):
            problems.append((node.lineno, "f-string given to _()"))
    return problems


def test_translation_misuses_are_found():
    found = translation_misuses('a = _("x %s") % b\nc = _(f"y {d}")\ne = _("z %s", f)\n')
    assert [line for line, _problem in found] == [1, 2]


@pytest.mark.parametrize("addon", addon_names())
def test_translated_texts_take_their_values_as_arguments(addon):
    wrong = [
        f"{path.relative_to(REPO)}:{line}: {problem}"
        for path in sorted((REPO / addon).rglob("*.py"))
        for line, problem in translation_misuses(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not wrong, f"translations of {addon} break the naming rule: {wrong}"
