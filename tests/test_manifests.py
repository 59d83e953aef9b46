"""Every addon is packaged the OCA way: manifest keys, readme fragments, icon.

The manifest is read with ``ast.literal_eval`` and the imports with ``ast``: nothing is
imported, so the test runs without Odoo. The Python libraries an addon imports (outside
its tests: those are in requirements-test.txt) must be exactly those its manifest
declares, by their PyPI names (Odoo warns when a manifest gives an import name).
"""

import ast
import sys

import pytest

from tests.odoo_env import REPO, addon_names

CATEGORY = "Sales/Public Procurement"
MAINTAINERS = ["duret-electricite"]
DEVELOPMENT_STATUSES = {"Alpha", "Beta", "Production/Stable", "Mature"}
README_FRAGMENTS = ["DESCRIPTION", "CONFIGURE", "USAGE", "CONTRIBUTORS", "HISTORY"]
#: import name -> PyPI name, for the libraries the suite may import
PYPI_NAMES = {
    "dateutil": "python-dateutil",
    "facturx": "factur-x",
    "lxml": "lxml",
    "pypdf": "pypdf",
    "pytz": "pytz",
    "requests": "requests",
    "urllib3": "urllib3",
}
#: part of Odoo's own interface, not a library of the addon: ``Markup`` is Odoo's type of
#: safe HTML, psycopg2's errors are what Odoo's cursor raises
ODOO_INTERFACE = {"markupsafe", "psycopg2"}


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text(encoding="utf-8"))


def imported_libraries(addon):
    """Top-level names of the libraries imported outside the tests (not stdlib, not Odoo)."""
    found = set()
    for path in (REPO / addon).rglob("*.py"):
        if "tests" in path.relative_to(REPO / addon).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            found |= {name.split(".")[0] for name in names}
    ours = set(sys.stdlib_module_names) | ODOO_INTERFACE | {"odoo"}
    return found - ours


@pytest.mark.parametrize("addon", addon_names())
def test_manifest_has_the_oca_keys(addon):
    data = manifest(addon)
    assert data.get("category") == CATEGORY, f"{addon}: category {data.get('category')!r}"
    assert data.get("maintainers") == MAINTAINERS, f"{addon}: maintainers"
    assert data.get("development_status") in DEVELOPMENT_STATUSES, f"{addon}: development_status"
    assert data.get("license") == "AGPL-3" and data.get("author") and data.get("website")
    assert data.get("version", "").startswith("17.0."), f"{addon}: version"


@pytest.mark.parametrize("addon", addon_names())
def test_external_dependencies_are_the_imported_libraries_by_pypi_name(addon):
    libraries = imported_libraries(addon)
    unknown = libraries - PYPI_NAMES.keys()
    assert not unknown, f"{addon} imports {unknown}: add their PyPI names to PYPI_NAMES"
    declared = manifest(addon).get("external_dependencies", {}).get("python", [])
    assert sorted(declared) == sorted(PYPI_NAMES[name] for name in libraries), (
        f"{addon}: external_dependencies {declared}, imports {sorted(libraries)}"
    )


@pytest.mark.parametrize("addon", addon_names())
def test_readme_fragments_and_icon(addon):
    readme = REPO / addon / "readme"
    missing = [name for name in README_FRAGMENTS if not (readme / f"{name}.md").is_file()]
    assert not missing, f"{addon}: readme fragments missing: {missing}"
    empty = [name for name in README_FRAGMENTS if not (readme / f"{name}.md").read_text().strip()]
    assert not empty, f"{addon}: empty readme fragments: {empty}"
    history = (readme / "HISTORY.md").read_text(encoding="utf-8")
    assert f"## {manifest(addon)['version']}" in history, f"{addon}: HISTORY lacks its version"
    icon = (REPO / addon / "static" / "description" / "icon.png").read_bytes()
    assert icon.startswith(b"\x89PNG\r\n\x1a\n"), f"{addon}: static/description/icon.png"
