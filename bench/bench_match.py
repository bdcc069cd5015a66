"""Partner-matching benchmark: top-10 suggestions (with reasons) for every firm.

    python bench/bench_match.py [--firms 100000 1000000] [--cordis]

kumenet: recommend_partners(net, k=10, method="adamic_adar") for every firm, each network
loaded before the clock starts, in a fresh process: its peak memory taken in a first run
that samples the process tree from /proc (the sampling costs CPU; that run's time is
reported too, and it warms the file caches), its time in a second run. networkx: its
adamic_adar_index over the same candidate pairs; so that it finishes, it scores a random
sample of 200,000 of those pairs and its time is extrapolated linearly to all of them
(the per-pair cost of networkx's generator does not depend on how many pairs it is given).
Two ratios: end to end (kumenet's whole run, candidates, scores, ranking and reasons, against
networkx's Adamic-Adar sums alone, extrapolated), and the same computation (kumenet's
Adamic-Adar of exactly the sampled pairs on the same graph, checked equal to networkx's).
kumenet's peak memory is also given for its whole process tree (worker processes included).
Writes bench/results/match.json and match.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, WORK, ensure_parquet, measure, save  # noqa: E402

SHARED = BENCH.parent.parent / "shared" / "data" / "cordis_h2020_dev"

KUMENET = """
from kumenet.matching.recommend import recommend_partners
table = recommend_partners(net, None, k=10, method="adamic_adar")
"""
PAIRS = """
import numpy as np, pandas as pd
from kumenet.matching.candidates import prepare, candidate_block
g = prepare(net)
sources = np.flatnonzero((net.nodes["kind"] == "firm").to_numpy())
total = 0
sample = []
rng = np.random.default_rng(0)
for i in range(0, len(sources), 5000):
    f = candidate_block(g, sources[i:i + 5000], 100, set(["aa"]))
    total += len(f)
    sample.append(f[["source", "target"]].sample(frac=min(1.0, 400_000 / max(len(sources) * 150, 1)), random_state=0))
pairs = pd.concat(sample).head(200_000)
pairs.to_parquet({out!r})
open({out!r} + ".n", "w").write(str(total))
"""
NETWORKX = """
import networkx as nx, pandas as pd
u, v, w, _ = net.ties(weighting="binary")
from kumenet.matching.candidates import prepare
G = nx.Graph()
G.add_nodes_from(range(net.n_nodes))
g = prepare(net)
A = g.A.tocoo()
G.add_edges_from(zip(A.row.tolist(), A.col.tolist()))
pairs = pd.read_parquet({out!r})
pairs = list(zip(pairs["source"].tolist(), pairs["target"].tolist()))
import time
start = time.perf_counter()
scores = [p for _, _, p in nx.adamic_adar_index(G, pairs)]
open({out!r} + ".t", "w").write(str(time.perf_counter() - start))
# kumenet's Adamic-Adar of exactly the same pairs on the same graph (sparse products)
import numpy as np, scipy.sparse as sp
from kumenet.matching.candidates import adamic_adar_pairs, pair_keys
s_arr = np.array([a for a, _ in pairs], dtype=np.int64)
c_arr = np.array([b for _, b in pairs], dtype=np.int64)
keys = pair_keys(g.A)  # part of the graph, as networkx's G is built before its clock starts
start = time.perf_counter()
ours = adamic_adar_pairs(g.A, s_arr, c_arr, keys)
seconds = time.perf_counter() - start
assert np.allclose(ours, scores), "kumenet and networkx disagree"
open({out!r} + ".k", "w").write(str(seconds))
"""


def run(name: str, path: Path, setup: str) -> dict:
    memory = measure(KUMENET, setup)  # the memory, sampled from /proc (and warm caches)
    ours = measure(KUMENET, setup, sample=False)  # the time, with nothing else on the cores
    row = {"network": name, "kumenet_s": ours["seconds"], "kumenet_peak_gib": memory["peak_gib"],
           "kumenet_peak_tree_gib": memory["peak_tree_gib"],
           "kumenet_s_while_sampled": memory["seconds"]}
    print(row, flush=True)
    out = str(WORK / f"pairs_{name}.parquet")
    measure(PAIRS.format(out=out), setup)
    total = int(Path(out + ".n").read_text())
    row["candidate_pairs"] = total
    try:
        measure(NETWORKX.format(out=out), setup)
    except RuntimeError as err:  # e.g. killed by the kernel: networkx's graph did not fit
        row["networkx"] = f"failed ({str(err)[:40]}): out of memory building the graph"
        return row
    import pandas as pd

    sampled = len(pd.read_parquet(out))
    nx_sample = float(Path(out + ".t").read_text())
    ours_sample = float(Path(out + ".k").read_text())
    nx_seconds = nx_sample * total / sampled
    row.update({"networkx_pairs_timed": sampled,
                "networkx_adamic_adar_s_extrapolated": nx_seconds,
                "speedup_end_to_end": nx_seconds / ours["seconds"],
                "networkx_sample_s": nx_sample, "kumenet_same_pairs_s": ours_sample,
                "speedup_same_pairs": nx_sample / ours_sample})
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--no-cordis", action="store_true")
    args = parser.parse_args()
    rows = []
    if not args.no_cordis and SHARED.exists():
        setup = ("import warnings; warnings.simplefilter('ignore')\n"
                 "from kumenet.graph.io import read_network\n"
                 f"net = read_network({str(SHARED)!r}, directed_layers=['coordination'])\n")
        rows.append(run("cordis_h2020", SHARED, setup))
        print(rows[-1], flush=True)
    for firms in args.firms:
        path = ensure_parquet(firms)
        setup = ("import warnings; warnings.simplefilter('ignore')\n"
                 "from kumenet.graph.io import read_network\n"
                 f"net = read_network({str(path)!r})\n")
        rows.append(run(f"generated {firms:,} firms", path, setup))
        print(rows[-1], flush=True)
        save("match", rows, "networkx time is extrapolated from a random sample of the same "
                            "candidate pairs (see the script's docstring).")
    save("match", rows, "networkx time is extrapolated from a random sample of the same "
                        "candidate pairs (see the script's docstring).")


if __name__ == "__main__":
    main()
