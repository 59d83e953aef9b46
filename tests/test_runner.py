"""The test runner's own behaviour: log analysis and the message when Odoo is missing."""

import importlib.machinery
import importlib.util
import subprocess
import sys

from tests.odoo_env import REPO

RUN = REPO / "tests" / "run"


def load_runner():
    loader = importlib.machinery.SourceFileLoader("duret_tests_run", str(RUN))
    spec = importlib.util.spec_from_loader("duret_tests_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def write_log(tmp_path, lines):
    path = tmp_path / "odoo.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


PREFIX = "2026-11-23 12:00:00,000 4242"


def test_successful_log(tmp_path):
    runner = load_runner()
    path = write_log(
        tmp_path,
        [
            f"{PREFIX} INFO db odoo.modules.loading: Modules loaded.",
            f"{PREFIX} INFO db odoo.tests.result: 0 failed, 0 error(s) of 12 tests "
            "when loading database 'db'",
        ],
    )
    outcome = runner.analyse_log(path)
    assert (outcome["run"], outcome["failed"], outcome["errors"]) == (12, 0, 0)
    assert outcome["problems"] == [] and outcome["skipped"] == []
    outcome["returncode"] = 0
    assert runner.report_odoo(outcome) is True


def test_skipped_tour_is_a_failure(tmp_path, capsys):
    runner = load_runner()
    path = write_log(
        tmp_path,
        [
            f"{PREFIX} INFO db odoo.addons.duret_boamp.tests.test_tour: skipped "
            "TestTour.test_pipeline : Chrome executable not found",
            f"{PREFIX} INFO db odoo.tests.result: 0 failed, 0 error(s) of 3 tests "
            "when loading database 'db'",
        ],
    )
    outcome = dict(runner.analyse_log(path), returncode=0)
    assert runner.report_odoo(outcome) is False
    assert "Odoo tests: 2 passed, 1 failed" in capsys.readouterr().out


def test_install_failure_and_error_lines(tmp_path, capsys):
    runner = load_runner()
    path = write_log(
        tmp_path,
        [
            f"{PREFIX} ERROR db odoo.modules.registry: Failed to load registry",
            f"{PREFIX} CRITICAL db odoo.service.server: Failed to initialize database `db`.",
        ],
    )
    outcome = dict(runner.analyse_log(path), returncode=255)
    assert outcome["run"] is None and len(outcome["problems"]) == 2
    assert runner.report_odoo(outcome) is False
    assert "failed to install" in capsys.readouterr().out


def test_external_call_blocked_by_odoo_is_a_failure(tmp_path, capsys):
    """Odoo's BaseCase logs refused external requests at INFO level: the runner fails on them."""
    runner = load_runner()
    path = write_log(
        tmp_path,
        [
            f"{PREFIX} INFO db odoo.tests.common.requests: Blocking un-mocked external HTTP "
            "request GET https://data.ademe.fr/data-fair/api/v1/datasets/x/lines",
            f"{PREFIX} INFO db odoo.tests.result: 0 failed, 0 error(s) of 5 tests "
            "when loading database 'db'",
        ],
    )
    outcome = dict(runner.analyse_log(path), returncode=0)
    assert runner.report_odoo(outcome) is False
    assert "data.ademe.fr" in capsys.readouterr().out


def test_zero_tests_is_a_failure(tmp_path):
    runner = load_runner()
    path = write_log(
        tmp_path,
        [
            f"{PREFIX} WARNING db odoo.tests.result: 0 failed, 0 error(s) of 0 tests "
            "when loading database 'db'"
        ],
    )
    assert runner.report_odoo(dict(runner.analyse_log(path), returncode=0)) is False


def test_clear_message_without_odoo(tmp_path):
    """A Python whose ``odoo`` is not Odoo 17 gets the how-to-install message and exit 2."""
    fake = tmp_path / "odoo"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "release.py").write_text("version_info = (16, 0, 0, 'final', 0, '')\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(RUN)], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert "Odoo 17 was not found" in result.stderr
    assert "docker compose run --rm tests" in result.stderr
    assert "make test" in result.stderr
