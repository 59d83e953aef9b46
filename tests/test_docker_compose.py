"""No Docker engine runs on the CI machines: check the compose files are consistent instead."""

import configparser
import re

import yaml

from tests import netguard
from tests.odoo_env import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def mounts(service):
    return {v.split(":")[1]: v for v in SERVICES[service].get("volumes", [])}


def test_services_present():
    assert set(SERVICES) == {"db", "sandbox", "odoo", "tests"}
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["tests"]["profiles"] == ["tests"], "`up -d` must not start the test run"


def test_image_built_from_official_odoo_17():
    dockerfile = REPO / SERVICES["odoo"]["build"]["dockerfile"]
    assert SERVICES["odoo"]["build"]["context"] == "."
    text = dockerfile.read_text(encoding="utf-8")
    assert re.search(r"^FROM odoo:17\b", text, re.M)
    for copied in re.findall(r"^COPY (.+) /tmp/duret/$", text, re.M)[0].split():
        assert (REPO / copied).is_file(), copied
    requirements = (REPO / "requirements-test.txt").read_text() + (
        REPO / "requirements.txt"
    ).read_text()
    for package in ("factur-x", "websocket-client", "pytest"):
        assert package in requirements
    for service in ("sandbox", "odoo", "tests"):
        assert SERVICES[service]["image"] == SERVICES["odoo"]["image"]


def test_addons_mounted_read_only_with_shared_fixtures():
    for service in ("sandbox", "odoo", "tests"):
        volumes = mounts(service)
        assert volumes["/mnt/extra-addons"] == "./:/mnt/extra-addons:ro"
        assert volumes["/mnt/shared"].startswith("../shared:")
        assert SERVICES[service]["environment"]["DURET_SHARED_FIXTURES"] == "/mnt/shared/fixtures"
    assert mounts("odoo")["/etc/odoo/odoo.conf"] == "./odoo.conf:/etc/odoo/odoo.conf:ro"


def test_odoo_conf_matches_database_service():
    conf = configparser.ConfigParser()
    conf.read(REPO / "odoo.conf")
    options = conf["options"]
    db_env = SERVICES["db"]["environment"]
    assert options["db_host"] == "db"
    assert options["db_user"] == db_env["POSTGRES_USER"]
    assert options["db_password"] == db_env["POSTGRES_PASSWORD"]
    assert "/mnt/extra-addons" in options["addons_path"].split(",")
    assert options["db_name"] == "duret_demo"


def test_commands_point_at_project_entry_points():
    assert SERVICES["tests"]["command"] == ["tests/run"]
    assert (REPO / "tests" / "run").stat().st_mode & 0o111, "tests/run must be executable"
    tests_env = SERVICES["tests"]["environment"]
    assert tests_env["PGHOST"] == "db" and tests_env["PGPASSWORD"] == "odoo"
    sandbox_cmd = SERVICES["sandbox"]["command"]
    assert sandbox_cmd[:3] == ["python3", "-m", "tests.sandbox"]
    port = sandbox_cmd[sandbox_cmd.index("--port") + 1]
    assert f"{port}:{port}" in SERVICES["sandbox"]["ports"]
    odoo_cmd = SERVICES["odoo"]["command"]
    assert odoo_cmd[:3] == ["python3", "-m", "tests.demo"]
    assert odoo_cmd[odoo_cmd.index("--sandbox-url") + 1] == f"http://sandbox:{port}"
    # the demo's Odoo runs under tests.netguard: the sandbox service must be let through
    assert SERVICES["odoo"]["environment"][netguard.ALLOW_ENV] == "sandbox"
    assert "sandbox" in SERVICES
    assert (REPO / "tests" / "demo" / "__main__.py").is_file()
    assert (REPO / "tests" / "sandbox" / "__main__.py").is_file()
    assert "8069:8069" in SERVICES["odoo"]["ports"]
    assert SERVICES["odoo"]["depends_on"]["db"]["condition"] == "service_healthy"
