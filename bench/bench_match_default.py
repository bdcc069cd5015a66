"""The default (trained) scorer as users meet it: cold (empty cache) and cached.

    python bench/bench_match_default.py [--firms 100000] [--no-cordis] [--no-pilot]

Each row is one fresh process with the network loaded before the clock starts, as issue 12
measures it: ``cold`` runs with an empty scorer cache (training included), ``cached`` right
after with the scorer the cold run kept. Rows:

- pilot, one firm: ``choose_scorer`` + ``recommend_partners(net, "F000010", k=5)``;
- CORDIS H2020 (``../shared/data/cordis_h2020_dev``), every actor (``source_kind="any"``), top 10;
- generated networks, every firm, top 10;
- Adamic-Adar on the same networks, for comparison (no training, no cache).

Writes bench/results/match_default.json and match_default.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, WORK, ensure_parquet, measure, save  # noqa: E402

SHARED = BENCH.parent.parent / "shared" / "data" / "cordis_h2020_dev"
CACHE = WORK / "scorer_cache"

DEFAULT = """
from kumenet.matching.model import choose_scorer
from kumenet.matching.recommend import recommend_partners
choice = choose_scorer(net)
table = recommend_partners(net, {firms}, k={k}, method=choice.scorer, source_kind={kind!r})
assert choice.cached == {cached}, choice.reason
"""
HEURISTIC = """
from kumenet.matching.recommend import recommend_partners
table = recommend_partners(net, {firms}, k={k}, method="adamic_adar", source_kind={kind!r})
"""


def setup_for(path: Path, directed=None) -> str:
    extra = f", directed_layers={directed!r}" if directed else ""
    return ("import os, warnings; warnings.simplefilter('ignore')\n"
            f"os.environ['KUMENET_CACHE_DIR'] = {str(CACHE)!r}\n"
            "from kumenet.graph.io import read_network\n"
            f"net = read_network({str(path)!r}{extra})\n")


def rows_for(name: str, setup: str, firms: str, k: int, kind: str) -> list[dict]:
    shutil.rmtree(CACHE, ignore_errors=True)
    rows = []
    for label, cached in (("default, cold", False), ("default, cached", True)):
        result = measure(DEFAULT.format(firms=firms, k=k, kind=kind, cached=cached), setup,
                         sample=False)
        rows.append({"network": name, "scorer": label, "seconds": result["seconds"],
                     "peak_gib": result["peak_gib"]})
        print(rows[-1], flush=True)
    result = measure(HEURISTIC.format(firms=firms, k=k, kind=kind), setup, sample=False)
    rows.append({"network": name, "scorer": "adamic_adar", "seconds": result["seconds"],
                 "peak_gib": result["peak_gib"]})
    print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="*", default=[100_000])
    parser.add_argument("--no-cordis", action="store_true")
    parser.add_argument("--no-pilot", action="store_true")
    args = parser.parse_args()
    rows = []
    if not args.no_pilot:
        pilot = BENCH.parent / "sample_networks" / "pilot"
        rows += rows_for("pilot, one firm", setup_for(pilot), "'F000010'", 5, "firm")
    if not args.no_cordis and SHARED.exists():
        rows += rows_for("CORDIS H2020, every actor", setup_for(SHARED, ["coordination"]),
                         "None", 10, "any")
    for firms in args.firms:
        rows += rows_for(f"generated {firms:,} firms", setup_for(ensure_parquet(firms)),
                         "None", 10, "firm")
    save("match_default", _merged(rows), NOTES)


def _merged(rows: list[dict]) -> list[dict]:
    """The rows measured now, and the earlier ones of the networks not measured again."""
    import json

    from common import RESULTS

    path = RESULTS / "match_default.json"
    done = {r["network"] for r in rows}
    earlier = json.loads(path.read_text())["rows"] if path.exists() else []
    return [r for r in earlier if r["network"] not in done] + rows


NOTES = ("Fresh process per row, network loaded before the clock; cold = empty scorer cache "
         "(training included), cached = the next run. Targets (issue 12): pilot one firm "
         "< 1 s cached, < 5 s cold; CORDIS every actor < 60 s cold; 100,000 firms < 60 s cold.")

if __name__ == "__main__":
    main()
