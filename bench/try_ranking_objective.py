"""A ranking objective against the default scorer on the CORDIS split (issue 12, item 6).

    pip install lightgbm   # not a kumenet dependency: only this experiment needs it
    python bench/try_ranking_objective.py

Every scorer ranks the same candidates (the evaluation's shared table as of 2016, labelled by
the pairs first tied in 2017-2018). LightGBM learns from the candidates the default scorer
learns from (as of 2015, labelled by 2016; 3,000 actors), one query per actor, with the
ranking objectives ``lambdarank`` and ``rank_xendcg`` and, for comparison, its binary one.
Prints precision@10 and MRR; the README's "what was tried" holds the figures.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np

from kumenet.graph.io import read_network
from kumenet.matching.evaluate import _labels, ranking_metrics
from kumenet.matching.pairs import pair_table
from kumenet.matching.model import MODEL_FEATURES, train_scorer
from kumenet.matching.scorers import score

CORDIS = Path(__file__).resolve().parents[2] / "shared" / "data" / "cordis_h2020_dev"
SPLIT = 2016


def main() -> None:
    import lightgbm as lgb

    warnings.simplefilter("ignore")
    net = read_network(CORDIS, directed_layers=["coordination"])
    pairs = pair_table(net, as_of=SPLIT, horizon=None, per_source=100)
    table, both = pairs.table, pairs.positives
    per_source = both.groupby("source").size()
    labelled = table.assign(label=_labels(table, both, net.n_nodes))
    aa = ranking_metrics(labelled, score(table, "adamic_adar"), 10, per_source)

    def report(name, values):
        m = ranking_metrics(labelled, np.asarray(values), 10, per_source)
        print(f"{name:45s} P@10 {m['precision_at_k']:.4f} "
              f"({m['precision_at_k'] / aa['precision_at_k']:.3f}x Adamic-Adar) "
              f"MRR {m['mrr']:.4f}", flush=True)

    history = net.select(as_of=SPLIT)
    train = pair_table(history, as_of=SPLIT - 1, horizon=1, per_source=100, max_sources=3000,
                       seed=0, features=set(MODEL_FEATURES)).table
    train = train.iloc[np.argsort(train["source"].to_numpy(), kind="stable")]
    _, sizes = np.unique(train["source"].to_numpy(), return_counts=True)
    X = train[MODEL_FEATURES].to_numpy(float)
    y = train["label"].to_numpy().astype(int)
    X_test = table[MODEL_FEATURES].to_numpy(float)
    scorer = train_scorer(history, SPLIT - 1, 1, None, 0, 100)
    report("default (two stages)", scorer.ranking(table, table["source"].to_numpy()))
    report("default, full model on every candidate", scorer.score(table))
    common = dict(n_estimators=300, learning_rate=0.05, num_leaves=31, random_state=0,
                  verbose=-1, n_jobs=2)
    for name, extra in [("lambdarank, truncation 20",
                         dict(objective="lambdarank", lambdarank_truncation_level=20)),
                        ("lambdarank, truncation 10",
                         dict(objective="lambdarank", lambdarank_truncation_level=10)),
                        ("rank_xendcg", dict(objective="rank_xendcg"))]:
        start = time.perf_counter()
        model = lgb.LGBMRanker(**common, **extra).fit(X, y, group=sizes)
        report(f"lightgbm {name} ({time.perf_counter() - start:.0f} s)", model.predict(X_test))
    model = lgb.LGBMClassifier(**common, is_unbalance=True).fit(X, y)
    report("lightgbm binary, classes balanced", model.predict_proba(X_test)[:, 1])


if __name__ == "__main__":
    main()
