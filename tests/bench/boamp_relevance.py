"""Relevance of the default BOAMP watch on hand-labelled real notices.

Runs ``score_fields`` with ``default_rules()`` over
``<fixtures>/relevance/labelled_notices.jsonl`` (label null = borderline, left out; the
département is not part of the label, so it is not scored), prints recall, precision and
counts, and lists the misclassified objets with the reasons of the decision.

    python -m tests.bench.boamp_relevance [--size N] [--check]

``--size`` limits the run to the first N labelled lines; ``--check`` exits with status 1
when recall < 0.98 or precision < 0.90. Two naive baselines are measured in the same run
for comparison: "a watched keyword in the objet" and "a watched CPV prefix".
"""

import argparse
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


def measure(rows, decide):
    """Confusion counts of ``decide(row) -> kept`` and the misclassified rows."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    errors = []
    for row in rows:
        kept, detail = decide(row)
        truth = row["label"] == 1
        key = ("t" if kept == truth else "f") + ("p" if kept else "n")
        counts[key] += 1
        if kept != truth:
            errors.append((key, row, detail))
    return counts, errors


def deciders(relevance):
    """The default rules and two naive baselines, by name."""
    rules = relevance.default_rules()

    def default(row):
        result = relevance.score_fields(
            row.get("objet"), row.get("cpv"), row.get("descripteurs"), row.get("type_marche"), rules
        )
        return result.kept, result

    def keyword_only(row):
        text = relevance.normalize(row.get("objet"))
        return any(relevance.phrase_pattern(k).search(text) for k in rules.include_keywords), None

    def cpv_only(row):
        prefixes = tuple(rules.cpv_include_prefixes)
        return any(code.startswith(prefixes) for code in row.get("cpv") or ()), None

    return {
        "default rules": default,
        "baseline keyword in objet": keyword_only,
        "baseline CPV prefix": cpv_only,
    }


def ratio(numerator, denominator):
    return numerator / denominator if denominator else 1.0


def summary(counts):
    recall = ratio(counts["tp"], counts["tp"] + counts["fn"])
    precision = ratio(counts["tp"], counts["tp"] + counts["fp"])
    return recall, precision


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, help="only the first N labelled notices")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    relevance = load_relevance()
    rows = load_labelled(Path(fixtures_dir()) / "relevance" / "labelled_notices.jsonl", args.size)
    print(f"labelled notices scored: {len(rows)} (label null left out)")
    results = {}
    for name, decide in deciders(relevance).items():
        started = time.perf_counter()
        counts, errors = measure(rows, decide)
        elapsed = time.perf_counter() - started
        results[name] = (counts, errors)
        recall, precision = summary(counts)
        print(
            f"{name:<26} recall {recall:.3f}  precision {precision:.3f}  "
            "TP={tp} FP={fp} FN={fn} TN={tn}".format(**counts)
            + f"  ({elapsed * 1000:.0f} ms)"
        )
    counts, errors = results["default rules"]
    recall, precision = summary(counts)
    print(f"goals: recall >= {RECALL_GOAL}, precision >= {PRECISION_GOAL}")
    for key, row, result in sorted(errors, key=lambda e: e[0]):
        kind = "false positive" if key == "fp" else "missed"
        why = ", ".join(
            relevance.format_reason(r) + (f" ({r.points:+d})" if r.points else "")
            for r in result.reasons
        )
        print(f"- {kind} [score {result.score}] {row.get('objet', '')[:140]!r}\n    {why}")
    if args.check and (recall < RECALL_GOAL or precision < PRECISION_GOAL):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
