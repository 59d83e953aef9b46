"""The demo: a failed step stops what it started; the BOAMP summary's sums add up."""

import os
import socket
import subprocess
import sys

from tests.demo.repeat import figures, inconsistencies
from tests.odoo_env import REPO


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_failed_step_stops_the_sandbox_and_names_the_step():
    """PostgreSQL unreachable: the installation fails, the sandbox the demo started stops."""
    sandbox_port, closed_pg = free_port(), free_port()
    env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(closed_pg))
    result = subprocess.run(
        [sys.executable, "-m", "tests.demo", "--no-serve", "--database", "boot_never_built"]
        + ["--sandbox-port", str(sandbox_port), "--http-port", str(free_port())],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert (
        "Échec de la démonstration : étape « installation des modules dans « boot_never_built » »"
        " en échec" in result.stderr
    )
    assert "Arrêté(s) par la démonstration : bac à sable." in result.stderr
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", sandbox_port)) != 0, "sandbox left running"


SUMMARY = """\
Veille BOAMP : Notices récupérées : 67 = 30 retenues + 37 écartées + 0 déjà vues + 0 illisibles \
(1 appels HTTP)
Veille BOAMP : Notices retenues : 30 = 22 ouvrant un nouveau marché + 8 avis suivants de ces \
marchés (rectificatif, attribution, annulation) + 0 sur des marchés déjà suivis
Veille BOAMP : Leads créés : 22 = 20 au digest + 2 archivés (marché annulé dans la même nuit) ; \
leads mis à jour : 0
Veille BOAMP : Digest envoyé (file d'attente des mails) : « 20 nouveaux appels d'offres détectés \
ce matin » à admin@example.com
"""


def test_consistent_summary():
    f = figures(SUMMARY)
    assert f == {
        "fetched": 67,
        "kept": 30,
        "rejected": 37,
        "duplicates": 0,
        "errors": 0,
        "kept_again": 30,
        "opening": 22,
        "following": 8,
        "on_existing": 0,
        "created": 22,
        "in_digest": 20,
        "archived": 2,
        "updated": 0,
        "digest_subject": 20,
    }
    assert inconsistencies(f) == []


def test_each_broken_sum_is_named():
    f = figures(
        SUMMARY.replace("20 au digest", "21 au digest").replace("37 écartées", "36 écartées")
    )
    assert inconsistencies(f) == [
        "fetched = kept + rejected + duplicates + errors",
        "created = digest + archived",
        "digest subject = digest count",
    ]


def test_decp_is_pointed_at_the_sandbox():
    """Without it, "Sync now" in the demo reached for data.economie.gouv.fr (refused)."""
    from tests.demo import build, decp

    assert ("decp", "duret_decp", "Marchés attribués (DECP)") in build.HOOKS
    params = {}

    class Params:
        def sudo(self):
            return self

        def set_param(self, key, value):
            params[key] = value

    decp.setup({"ir.config_parameter": Params()}, "http://127.0.0.1:8899/")
    assert params == {"duret_decp.base_url": "http://127.0.0.1:8899"}
