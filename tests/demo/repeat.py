"""``python3 -m tests.demo.repeat [N]``: build the demo N times in a row, check every summary.

Each round is ``make demo DEMO_SERVE=0`` (database dropped and rebuilt, nothing
left running). A round passes when the command succeeds, the BOAMP summary's
sums add up, and no process is left listening on the demo's ports. Prints one
line of figures per round, then the verdict.
"""

import re
import socket
import subprocess
import sys
import time

from tests.odoo_env import REPO

NUMBER = r"(\d+)"
PATTERNS = {
    "fetched": rf"Notices récupérées : {NUMBER} = {NUMBER} retenues \+ {NUMBER} écartées"
    rf" \+ {NUMBER} déjà vues \+ {NUMBER} illisibles",
    "kept": rf"Notices retenues : {NUMBER} = {NUMBER} ouvrant .*? \+ {NUMBER} avis suivants"
    rf" .*? \+ {NUMBER} sur des marchés déjà suivis",
    "created": rf"Leads créés : {NUMBER} = {NUMBER} au digest \+ {NUMBER} archivés"
    rf".*leads mis à jour : {NUMBER}",
    "digest": rf"Digest envoyé .*« {NUMBER} nouveaux",
}


def figures(output):
    """The BOAMP summary's numbers, by name (KeyError-free: missing lines give no entry)."""
    found = {}
    names = {
        "fetched": ("fetched", "kept", "rejected", "duplicates", "errors"),
        "kept": ("kept_again", "opening", "following", "on_existing"),
        "created": ("created", "in_digest", "archived", "updated"),
        "digest": ("digest_subject",),
    }
    for key, pattern in PATTERNS.items():
        match = re.search(pattern, output)
        if match:
            found.update(zip(names[key], map(int, match.groups()), strict=True))
    return found


def inconsistencies(f):
    """Which sums of the summary do not hold (empty when all hold)."""
    checks = {
        "fetched = kept + rejected + duplicates + errors": f["fetched"]
        == f["kept"] + f["rejected"] + f["duplicates"] + f["errors"],
        "kept = opening + following + on existing": f["kept_again"]
        == f["opening"] + f["following"] + f["on_existing"]
        and f["kept"] == f["kept_again"],
        "created = opening notices": f["created"] == f["opening"],
        "created = digest + archived": f["created"] == f["in_digest"] + f["archived"],
    }
    if "digest_subject" in f:  # "Aucun nouvel appel d'offres" has no number
        checks["digest subject = digest count"] = f["digest_subject"] == f["in_digest"]
    return [name for name, holds in checks.items() if not holds]


def listening(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def main(argv=None):
    rounds = int((argv or sys.argv[1:] or ["5"])[0])
    failures = 0
    for number in range(1, rounds + 1):
        start = time.time()
        result = subprocess.run(
            ["make", "demo", "DEMO_SERVE=0"], cwd=REPO, capture_output=True, text=True
        )
        seconds = time.time() - start
        output = result.stdout + result.stderr
        try:
            f = figures(output)
            problems = inconsistencies(f)
        except KeyError as exc:
            f, problems = {}, [f"summary line missing: {exc}"]
        if result.returncode:
            problems.insert(0, f"exit code {result.returncode}")
        problems += [f"port {p} still open" for p in (8069, 8899) if listening(p)]
        failures += bool(problems)
        print(f"round {number}: {seconds:.0f} s, {f}, {problems or 'OK'}")
        if problems:
            print(output[-3000:])
    print(f"{rounds - failures}/{rounds} rounds passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
