"""Metrics and community benchmark on generated networks, beside networkx in the same run.

    python bench/bench_metrics.py [--firms 10000 100000 1000000] [--timeout 1200]
                                  [--skip-networkx-above 100000]

For each size, in fresh processes (the network is loaded from Parquet before the clock
starts): kumenet's node metrics (betweenness sampled above 20,000 nodes), kumenet's Leiden,
igraph PageRank as kumenet calls it; networkx's louvain_communities and pagerank on the same
flattened graph, and networkx's versions of the node metrics (pagerank, betweenness with the
same number of sources, eigenvector, core number, clustering, constraint, effective size).
A networkx run that passes --timeout counts as the timeout (a lower bound).
``igraph_leiden_s`` is igraph's own Leiden on the same weighted ties (the arrays handed over
before the clock; the clock covers building the graph from them and the same
``community_leiden`` call kumenet makes, with the same seeded random numbers: Leiden run to
convergence takes as many passes as its random order needs, so an unseeded peer would time a
different run): issue 15 asks kumenet's Leiden to stay within 1.2x.
Writes bench/results/metrics.json and metrics.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ensure_parquet, measure, save  # noqa: E402

LOAD = ("from kumenet.graph.io import read_network\n"
        "net = read_network({path!r})\n")
NX_GRAPH = LOAD + ("import networkx as nx\n"
                   "u, v, w, _ = net.ties(weighting='binary')\n"
                   "G = nx.Graph()\n"
                   "G.add_nodes_from(range(net.n_nodes))\n"
                   "G.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist()))\n")


def timed(code, setup, timeout):
    """A networkx run; one that passes the timeout counts as taking the timeout (a lower
    bound, marked with '>' in the table)."""
    try:
        return measure(code, setup, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"seconds": float(timeout), "peak_gib": float("nan"), "timeout": True}
    except RuntimeError as err:  # networkx killed, e.g. out of memory: recorded, not fatal
        print(f"networkx run failed: {str(err)[:200]}", file=sys.stderr)
        return {"seconds": float("nan"), "peak_gib": float("nan"), "failed": str(err)[:40]}


def ratio(slow, fast):
    if slow.get("failed"):
        return "networkx failed"
    value = slow["seconds"] / fast["seconds"]
    return f">{value:.0f}" if slow.get("timeout") else round(value, 1)


def seconds(run):
    if run.get("failed"):
        return f"failed ({run['failed']})"
    return f">{run['seconds']:.0f}" if run.get("timeout") else run["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--skip-networkx-above", type=int, default=10**9)
    args = parser.parse_args()
    rows = []
    for firms in args.firms:
        path = ensure_parquet(firms)
        setup = LOAD.format(path=str(path))
        nodes = measure("from kumenet.graph.metrics import node_metrics\n"
                        "m = node_metrics(net)\n"
                        "print(m.attrs['betweenness_sources']['all'], file=__import__('sys').stderr)",
                        setup)
        measure("from kumenet.graph.metrics import EXACT_BETWEENNESS_MAX, DEFAULT_BETWEENNESS_SAMPLE\n"
                         "import numpy as np\n"
                         "g = net.graph()\n"
                         "k = 'exact' if g.vcount() <= EXACT_BETWEENNESS_MAX else int(np.clip(2e8 / g.ecount(), 100, DEFAULT_BETWEENNESS_SAMPLE))\n"
                         "open('/tmp/kumenet_bench_k', 'w').write(str(k))", setup)
        k = Path("/tmp/kumenet_bench_k").read_text()
        leiden = measure("from kumenet.graph.communities import communities\n"
                         "p = communities(net, 'leiden', seed=0)", setup)
        igraph_leiden = measure(
            "g = ig.Graph(n=n, directed=False)\n"
            "g.add_edges(np.column_stack([u, v]))\n"
            "g.es['weight'] = w\n"
            "passes = -1 if g.ecount() < LARGE_GRAPH else 3\n"
            "ig.set_random_number_generator(random.Random(0))\n"
            "r = g.community_leiden(objective_function='modularity', weights='weight', "
            "resolution=1.0, n_iterations=passes)",
            setup + "import random, numpy as np, igraph as ig\n"
                    "from kumenet.graph.communities import LARGE_GRAPH\n"
                    "u, v, w, _ = net.ties(weighting='binary')\n"
                    "n = net.n_nodes\n"
                    "del net\n")
        pagerank = measure("g = net.graph(weighting='binary')\n"
                           "pr = g.pagerank(weights='weight')", setup)
        row = {"firms": firms, "betweenness_sources": k,
               "kumenet_node_metrics_s": nodes["seconds"],
               "kumenet_node_metrics_peak_gib": nodes["peak_gib"],
               "kumenet_leiden_s": leiden["seconds"], "kumenet_leiden_peak_gib": leiden["peak_gib"],
               "igraph_leiden_s": igraph_leiden["seconds"],
               "leiden_over_igraph": round(leiden["seconds"] / igraph_leiden["seconds"], 2),
               "igraph_pagerank_s": pagerank["seconds"]}
        if firms > args.skip_networkx_above:
            rows.append(row)
            print(row, flush=True)
            save("metrics", rows, NOTE.format(timeout=args.timeout))
            continue
        nx_setup = NX_GRAPH.format(path=str(path))
        nx_louvain = timed("c = nx.community.louvain_communities(G, weight='weight', seed=0)",
                           nx_setup, args.timeout)
        nx_pagerank = timed("pr = nx.pagerank(G, weight='weight')", nx_setup, args.timeout)
        kk = "None" if k == "exact" else k
        nx_nodes = timed("pr = nx.pagerank(G)\n"
                         f"b = nx.betweenness_centrality(G, k={kk}, seed=0)\n"
                         "e = nx.eigenvector_centrality_numpy(G)\n"
                         "c = nx.core_number(G)\n"
                         "cl = nx.clustering(G)\n"
                         "co = nx.constraint(G)\n"
                         "es = nx.effective_size(G)", nx_setup, args.timeout)
        row.update({"networkx_node_metrics_s": seconds(nx_nodes),
                    "node_metrics_speedup": ratio(nx_nodes, nodes),
                    "networkx_louvain_s": seconds(nx_louvain),
                    "networkx_louvain_peak_gib": nx_louvain["peak_gib"],
                    "leiden_vs_louvain_speedup": ratio(nx_louvain, leiden),
                    "networkx_pagerank_s": seconds(nx_pagerank),
                    "pagerank_speedup": ratio(nx_pagerank, pagerank)})
        rows.append(row)
        print(row, flush=True)
        save("metrics", rows, NOTE.format(timeout=args.timeout))


NOTE = ("A networkx run stopped at the {timeout} s timeout is shown as '>' that time, and its "
        "speed-up as a lower bound; empty networkx cells: not run at that size "
        "(--skip-networkx-above). Node metrics: kumenet computes also the brokerage roles, which "
        "networkx has no function for. igraph_leiden_s: igraph's own Leiden on the same ties.")


if __name__ == "__main__":
    main()
