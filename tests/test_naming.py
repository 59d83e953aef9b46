"""The README's "Naming" section matches the code: model names and crons of every addon.

The rule is read from the README's table (one row per addon), the code is parsed
(``ast`` for Python, ``lxml`` for XML data files): nothing is imported, so the
test runs without Odoo.
"""

import ast
import re

import pytest
from lxml import etree

from tests.odoo_env import REPO, addon_names

#: deviations their owners are fixing (remove a line when its fix lands: the test then
#: fails until it is gone, so this list only shrinks)
PENDING_CRONS = {
    # the cron lives in data/boamp_data.xml and calls model._cron_nightly()
    ("duret_boamp", "ir_cron_boamp_nightly"),
}
CRON_ID = re.compile(r"^ir_cron_(\w+)$")


def naming_table():
    """``{addon: (model prefixes)}`` from the README's "Naming" section."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Naming", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].startswith("duret_"):
            table[cells[0]] = tuple(re.findall(r"`([\w.]+)`", cells[1]))
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
def test_crons_live_in_ir_cron_xml_and_call_their_topic(addon):
    wrong = []
    for path, xml_id, code in cron_records(addon):
        if (addon, xml_id) in PENDING_CRONS:
            continue
        topic = CRON_ID.match(xml_id or "")
        if path != "data/ir_cron.xml":
            wrong.append(f"{xml_id}: in {path}, not data/ir_cron.xml")
        elif not topic:
            wrong.append(f"{xml_id}: XML id is not ir_cron_<topic>")
        elif code != f"model._cron_{topic.group(1)}()":
            wrong.append(f"{xml_id}: calls {code!r}, not model._cron_{topic.group(1)}()")
    assert not wrong, f"crons of {addon} break the naming rule: {wrong}"


def test_pending_deviations_still_exist():
    """A fixed deviation is struck off the list, so that it cannot come back unnoticed."""
    present = {
        (addon, xml_id) for addon in addon_names() for _path, xml_id, _code in cron_records(addon)
    }
    fixed = {pending for pending in PENDING_CRONS if pending[0] in addon_names()} - present
    assert not fixed, f"these crons follow the rule now: remove them from PENDING_CRONS: {fixed}"
