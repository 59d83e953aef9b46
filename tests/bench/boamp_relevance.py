"""Relevance of the default BOAMP watch on hand-labelled real notices.

Every labelled line becomes the parsed notice the nightly import builds
(``duret_boamp/lib/labelled.py``) and is scored by ``score_notice`` with
``default_rules()``: lots and full text count exactly as at night (label null =
borderline, left out; the département is not part of the label, so none is watched).
Two sets are measured:

* ``public``: ``<fixtures>/relevance/labelled_notices.jsonl`` (shared fixtures);
* ``unseen``: ``tests/bench/data/relevance_unseen.jsonl``, real notices from other
  sources, labelled by the written rules of ``tests/bench/data/README.md``.

For each set: recall, precision, the confusion counts, two naive baselines measured in
the same run ("a watched keyword in the objet", "a watched CPV prefix") and the list of
errors with the reasons of each decision.

    python -m tests.bench.boamp_relevance [--set public|unseen|all] [--size N] [--check]

``--check`` exits with status 1 when the public set misses recall 0.98 or precision 0.92.
"""

import argparse
import sys
import time
from pathlib import Path

from tests.addon_lib import load_lib as load_lib_module
from tests.sandbox.fixtures import fixtures_dir

RECALL_GOAL, PRECISION_GOAL = 0.98, 0.92
UNSEEN_SET = Path(__file__).resolve().parent / "data" / "relevance_unseen.jsonl"


def load_lib():
    """``duret_boamp/lib`` relevance and labelled-notice modules, imported without Odoo."""
    return load_lib_module("duret_boamp", "relevance"), load_lib_module("duret_boamp", "labelled")


def measure(rows, decide):
    """Confusion counts of ``decide(row) -> (kept, detail)`` and the misclassified rows."""
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


def deciders(relevance, labelled):
    """The default rules (through ``score_notice``) and two naive baselines, by name."""
    rules = relevance.default_rules()

    def default(row):
        result = relevance.score_notice(labelled.notice_from_row(row), rules)
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


def report(name, rows, relevance, labelled):
    """Print one set's figures and errors; returns (recall, precision) of the default rules."""
    print(f"\n== {name}: {len(rows)} labelled notices scored (label null left out)")
    results = {}
    for decider, decide in deciders(relevance, labelled).items():
        started = time.perf_counter()
        counts, errors = measure(rows, decide)
        elapsed = time.perf_counter() - started
        results[decider] = (counts, errors)
        recall, precision = summary(counts)
        print(
            f"{decider:<26} recall {recall:.3f}  precision {precision:.3f}  "
            "TP={tp} FP={fp} FN={fn} TN={tn}".format(**counts)
            + f"  ({elapsed * 1000:.0f} ms)"
        )
    counts, errors = results["default rules"]
    for key, row, result in sorted(errors, key=lambda e: e[0]):
        kind = "false positive" if key == "fp" else "missed"
        why = ", ".join(
            relevance.format_reason(r) + (f" ({r.points:+d})" if r.points else "")
            for r in result.reasons
        )
        print(f"- {kind} [score {result.score}] {row.get('objet', '')[:140]!r}\n    {why}")
    return summary(counts)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=("public", "unseen", "all"), default="all")
    parser.add_argument("--size", type=int, help="only the first N labelled notices of a set")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    relevance, labelled = load_lib()
    sets = {
        "public": Path(fixtures_dir()) / "relevance" / "labelled_notices.jsonl",
        "unseen": UNSEEN_SET,
    }
    print(f"goals: recall >= {RECALL_GOAL}, precision >= {PRECISION_GOAL}")
    figures = {}
    for name, path in sets.items():
        if args.set in (name, "all"):
            figures[name] = report(
                name, labelled.read_labelled(path, args.size), relevance, labelled
            )
    recall, precision = figures.get("public", (1.0, 1.0))
    if args.check and (recall < RECALL_GOAL or precision < PRECISION_GOAL):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
