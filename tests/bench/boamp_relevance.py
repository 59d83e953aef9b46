"""Relevance of the default BOAMP watch on hand-labelled real notices.

Runs ``score_fields`` with ``default_rules()`` over
``<fixtures>/relevance/labelled_notices.jsonl`` (label null = borderline, left out; the
département is not part of the label, so it is not scored), prints recall, precision and
counts, and lists the misclassified objets with the reasons of the decision.

    python -m tests.bench.boamp_relevance [SIZE] [--check]

SIZE limits the run to the first SIZE labelled lines (CI runs a tiny size); ``--check``
exits with status 1 when recall < 0.98 or precision < 0.90.
"""

import importlib.util
import json
import sys
import time
from pathlib import Path

from tests.sandbox.fixtures import REPO_ROOT, fixtures_dir

RECALL_GOAL, PRECISION_GOAL = 0.98, 0.90


def load_relevance():
    """Import ``duret_boamp/lib`` as a plain package (no Odoo registry, no models)."""
    lib_dir = REPO_ROOT / "duret_boamp" / "lib"
    spec = importlib.util.spec_from_file_location(
        "duret_boamp_lib", lib_dir / "__init__.py", submodule_search_locations=[str(lib_dir)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    return importlib.import_module("duret_boamp_lib.relevance")


def load_labelled(path, size=None):
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                if row.get("label") is not None:
                    rows.append(row)
            if size and len(rows) >= size:
                break
    return rows


def measure(rows, relevance):
    rules = relevance.default_rules()
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    errors = []
    for row in rows:
        result = relevance.score_fields(
            row.get("objet"), row.get("cpv"), row.get("descripteurs"), row.get("type_marche"), rules
        )
        truth = row["label"] == 1
        key = ("t" if result.kept == truth else "f") + ("p" if result.kept else "n")
        counts[key] += 1
        if result.kept != truth:
            errors.append((key, row, result))
    return counts, errors


def ratio(numerator, denominator):
    return numerator / denominator if denominator else 1.0


def main(argv):
    size = next((int(a) for a in argv if a.isdigit()), None)
    relevance = load_relevance()
    rows = load_labelled(Path(fixtures_dir()) / "relevance" / "labelled_notices.jsonl", size)
    started = time.perf_counter()
    counts, errors = measure(rows, relevance)
    elapsed = time.perf_counter() - started
    recall = ratio(counts["tp"], counts["tp"] + counts["fn"])
    precision = ratio(counts["tp"], counts["tp"] + counts["fp"])
    print(f"labelled notices scored: {len(rows)} ({elapsed * 1000:.0f} ms)")
    print("counts: TP={tp} FP={fp} FN={fn} TN={tn}".format(**counts))
    print(f"recall    {recall:.3f} (goal >= {RECALL_GOAL})")
    print(f"precision {precision:.3f} (goal >= {PRECISION_GOAL})")
    for key, row, result in sorted(errors, key=lambda e: e[0]):
        kind = "false positive" if key == "fp" else "missed"
        why = ", ".join(
            relevance.format_reason(r) + (f" ({r.points:+d})" if r.points else "")
            for r in result.reasons
        )
        print(f"- {kind} [score {result.score}] {row.get('objet', '')[:140]!r}\n    {why}")
    if "--check" in argv and (recall < RECALL_GOAL or precision < PRECISION_GOAL):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
