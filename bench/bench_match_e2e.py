"""Partner matching end to end, as a user runs it, beside a plain scipy script.

    python bench/bench_match_e2e.py [--firms 100000 1000000]

kumenet: ``kumenet match DATA --all --top 10 --method adamic_adar -o out.parquet`` as a
command (reading, validation, candidates, scores, reasons, writing; wall time of the process).
The script (``SCRIPT`` below): pyarrow reads the same Parquet edges, scipy builds the binary
symmetric adjacency of the firms' partner layers, and for chunks of 4,000 firms computes
``A[chunk] @ (A / log(degree))``, drops existing partners and the firm itself, keeps the top
10 per row with ``argpartition`` and writes source, target and score as Parquet: no
validation, no hub sampling, no reasons, no names. Both in fresh processes, one after the
other. Writes bench/results/match_e2e.json and match_e2e.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORK, ensure_parquet, save  # noqa: E402

SCRIPT = r'''
import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq, scipy.sparse as sp
folder, out = sys.argv[1], sys.argv[2]
nodes = pq.read_table(folder + "/nodes.parquet", columns=["id", "kind"]).to_pandas()
edges = pq.read_table(folder + "/edges.parquet", columns=["source", "target", "layer"]).to_pandas()
ids = nodes["id"].astype(str).to_numpy()
lookup = __import__("pandas").Index(ids)
edges = edges[edges["layer"].astype(str) != "membership"]
u = lookup.get_indexer(edges["source"].astype(str))
v = lookup.get_indexer(edges["target"].astype(str))
n = len(ids)
A = sp.csr_array((np.ones(2 * len(u)), (np.r_[u, v], np.r_[v, u])), shape=(n, n))
A.sum_duplicates(); A.data[:] = 1.0; A.setdiag(0); A.eliminate_zeros()
deg = np.diff(A.indptr)
W = sp.diags_array(1.0 / np.log(np.maximum(deg, 2))) @ A
firms = np.flatnonzero(nodes["kind"].astype(str).to_numpy() == "firm")
src, tgt, score = [], [], []
for start in range(0, len(firms), 4000):
    rows = firms[start:start + 4000]
    S = (A[rows] @ W).tocsr()
    S = S - S.multiply(A[rows] > 0)  # existing partners out
    S = S.tocsr()
    row_of = np.repeat(np.arange(len(rows)), np.diff(S.indptr))
    S.data[S.indices == rows[row_of]] = 0  # the firm itself out
    S.eliminate_zeros()
    for i in range(len(rows)):  # per row: top 10 by argpartition
        a, b = S.indptr[i], S.indptr[i + 1]
        if b == a:
            continue
        data, cols = S.data[a:b], S.indices[a:b]
        k = min(10, b - a)
        best = np.argpartition(-data, k - 1)[:k]
        src.append(np.full(k, rows[i])); tgt.append(cols[best]); score.append(data[best])
table = pa.table({"source": ids[np.concatenate(src)], "target": ids[np.concatenate(tgt)],
                  "score": np.concatenate(score)})
pq.write_table(table, out)
print(table.num_rows)
'''


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, nargs="*", default=[100_000])
    args = parser.parse_args()
    rows = []
    for firms in args.firms:
        folder = ensure_parquet(firms)
        ours_out, script_out = WORK / f"e2e_kumenet_{firms}.parquet", WORK / f"e2e_script_{firms}.parquet"
        ours, _ = timed([sys.executable, "-m", "kumenet", "-q", "match", str(folder), "--all",
                         "--top", "10", "--method", "adamic_adar", "-o", str(ours_out)])
        script, n = timed([sys.executable, "-c", SCRIPT, str(folder), str(script_out)])
        rows.append({"firms": firms, "kumenet_end_to_end_s": ours, "scipy_script_s": script,
                     "script_rows": int(n or 0), "kumenet_over_script": ours / script})
        print(rows[-1], flush=True)
        save("match_e2e", rows, NOTES)


NOTES = ("Wall time of each command in a fresh process, Parquet input, Parquet output. The "
         "script computes only Adamic-Adar top-10 (no validation, reasons, names, hub sampling).")

if __name__ == "__main__":
    main()
