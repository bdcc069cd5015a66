"""Loader benchmark: a generated network read from CSV and from Parquet, beside its floor and
networkx, in one run.

    python bench/bench_load.py [--firms 100000 1000000] [--skip-networkx-above 100000] [--repeat 3]

Writes bench/results/load.json and load.md. Each figure is the median of ``--repeat`` fresh
processes, the runs of the four readers interleaved:

- kumenet: ``read_network`` (every check of the input contract, typed columns, a Network);
- the floor (issue 15): a plain pyarrow read of the same files plus a scipy matrix of the
  same ties, ids mapped to positions by Arrow (``floor_parquet``: ``pq.read_table``;
  ``floor_csv``: ``pyarrow.csv.read_csv`` with types inferred); no validation at all.
  Targets: Parquet at most 2x its floor, CSV at most 3x;
- networkx reads the same edges (with layer, weight and year) from a headerless CSV edge
  list into a MultiDiGraph.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, ensure_generated, ensure_parquet, measure, save  # noqa: E402


FLOOR = """
import numpy as np, pyarrow as pa, pyarrow.compute as pc, scipy.sparse as sp
{read}
ids = nodes["id"].combine_chunks()
def pos(col):
    col = col.combine_chunks()
    if pa.types.is_dictionary(col.type):
        found = pc.index_in(col.dictionary, value_set=ids).to_numpy(zero_copy_only=False)
        return found[col.indices.to_numpy(zero_copy_only=False)]
    return pc.index_in(col, value_set=ids).to_numpy(zero_copy_only=False)
A = sp.csr_array((edges["weight"].to_numpy(), (pos(edges["source"]), pos(edges["target"]))),
                 shape=(len(ids), len(ids)))
"""
READ_PARQUET = ("import pyarrow.parquet as pq\n"
                "nodes = pq.read_table({d!r} + '/nodes.parquet')\n"
                "edges = pq.read_table({d!r} + '/edges.parquet')")
READ_CSV = ("import pyarrow.csv as pv\n"
            "nodes = pv.read_csv({d!r} + '/nodes.csv')\n"
            "edges = pv.read_csv({d!r} + '/edges.csv')")


def median_run(runs: list[dict]) -> dict:
    """The run of median time (its peak memory with it)."""
    return sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--skip-networkx-above", type=int, default=10**7)
    parser.add_argument("--repeat", type=int, default=3)
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
        # Interleaved, the median of --repeat fresh processes each: on this machine one cold
        # run of the Parquet floor took 1.2 to 5.0 s (page reclaim by the kernel).
        runs = {"csv": load.format(str(csv_dir)), "pq": load.format(str(pq_dir)),
                "floor_csv": FLOOR.format(read=READ_CSV.format(d=str(csv_dir))),
                "floor_pq": FLOOR.format(read=READ_PARQUET.format(d=str(pq_dir)))}
        times = {name: [] for name in runs}
        for _ in range(args.repeat):
            for name, code in runs.items():
                times[name].append(measure(code))
        csv, pq, floor_csv, floor_pq = (median_run(times[name]) for name in runs)
        row = {"firms": firms, "kumenet_csv_s": csv["seconds"], "kumenet_csv_peak_gib": csv["peak_gib"],
               "floor_csv_s": floor_csv["seconds"], "csv_over_floor": csv["seconds"] / floor_csv["seconds"],
               "kumenet_parquet_s": pq["seconds"], "kumenet_parquet_peak_gib": pq["peak_gib"],
               "floor_parquet_s": floor_pq["seconds"],
               "parquet_over_floor": pq["seconds"] / floor_pq["seconds"]}
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
                       "and typing; the floor is a plain pyarrow read plus a scipy matrix of "
                       "the same ties (targets: Parquet <= 2x, CSV <= 3x); networkx parses the "
                       "edge list only.")


if __name__ == "__main__":
    main()
