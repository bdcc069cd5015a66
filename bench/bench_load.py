"""Loader benchmark: a generated network read from CSV and from Parquet, beside networkx.

    python bench/bench_load.py [--firms 1000000]

Writes bench/results/load.json and load.md. networkx reads the same edges (with layer,
weight and year) from a headerless CSV edge list into a MultiDiGraph.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, ensure_generated, ensure_parquet, measure, save  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--skip-networkx-above", type=int, default=10**7)
    args = parser.parse_args()
    rows = []
    for firms in args.firms:
        csv_dir = ensure_generated(firms)
        pq_dir = ensure_parquet(firms)
        edgelist = WORK / f"net{firms}.edgelist"
        if not edgelist.exists():
            measure(f"import pandas as pd\n"
                    f"e = pd.read_csv({str(csv_dir / 'edges.csv')!r}, dtype=str, encoding='utf-8-sig')\n"
                    f"e.to_csv({str(edgelist)!r}, header=False, index=False)")
        load = "from kumenet.graph.io import read_network\nnet = read_network({!r})\nn = net.n_edges"
        csv = measure(load.format(str(csv_dir)))
        pq = measure(load.format(str(pq_dir)))
        row = {"firms": firms, "kumenet_csv_s": csv["seconds"], "kumenet_csv_peak_gib": csv["peak_gib"],
               "kumenet_parquet_s": pq["seconds"], "kumenet_parquet_peak_gib": pq["peak_gib"]}
        if firms <= args.skip_networkx_above:
            nx_run = measure(
                "import networkx as nx\n"
                f"g = nx.read_edgelist({str(edgelist)!r}, delimiter=',', nodetype=str, "
                "create_using=nx.MultiDiGraph, data=(('layer', str), ('weight', float), ('year', int)))")
            row.update({"networkx_read_edgelist_s": nx_run["seconds"],
                        "networkx_peak_gib": nx_run["peak_gib"],
                        "speedup_csv_vs_networkx": nx_run["seconds"] / csv["seconds"]})
        rows.append(row)
        print(row, flush=True)
    save("load", rows, "kumenet times include validation (every check of the input contract) "
                       "and typing; networkx parses the edge list only.")


if __name__ == "__main__":
    main()
