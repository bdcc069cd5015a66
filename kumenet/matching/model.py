"""The trained scorer: learn from the network's history which candidates become partners.

Training mirrors use: features are computed on the ties up to a cut year, labels are the
pairs first tied in the following ``horizon`` years, and the model is then applied to the
whole history up to the last year. Since the graph at the cut is smaller and younger than at
the end, the model also sees scale-free features (ranks within a firm's candidates, shares,
recent activity). Negatives are the candidates that did not become partners; the classes are
balanced by weight (gradient-boosted trees, scikit-learn's HistGradientBoostingClassifier).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.matching.candidates import FEATURES
from kumenet.matching.evaluate import pair_table
from kumenet.matching.scorers import TrainedScorer

#: Features the trained scorer uses: scale-free ones (ranks within a firm's candidates,
#: shares, flags), which carry over from the younger graph it learns on to the graph it is
#: applied to, and three pair counts that proved to carry over too (common in- and
#: out-neighbours in directed layers, weighted resource allocation). The raw counts and
#: degrees were left out: with them the model did worse on held-out years (README).
RAW = {"cn", "aa", "ra", "aa_recent", "ra_weighted", "cn_in", "cn_out", "paths3", "ppr", "pa",
       "deg_s", "deg_t", "recent_s", "recent_t", "new_t"}
MODEL_FEATURES = [f for f in FEATURES if f not in RAW] + ["cn_in", "cn_out", "ra_weighted"]
MIN_POSITIVES = 50


def train_scorer(net: Network, cut: int, horizon: int = 1, layers=None, seed: int = 0,
                 per_source: int = 100, max_rows: int = 2_000_000,
                 importance: bool = False) -> TrainedScorer:
    """Train on candidates as of ``cut`` labelled by the pairs first tied up to ``cut + horizon``.

    With ``importance=True`` the scorer also reports which features mattered (permutation
    importance on average precision, on up to 20,000 training rows).

    Raises
    ------
    KumenetError
        When fewer than 50 new pairs appear among the candidates (nothing to learn from).
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.inspection import permutation_importance

    table, _ = pair_table(net, cut, horizon, layers, per_source)
    positives = int(table["label"].sum()) if len(table) else 0
    if positives < MIN_POSITIVES:
        raise KumenetError(f"only {positives} new pairs after {cut} among the candidates: too "
                           f"few to train a scorer (need {MIN_POSITIVES})")
    if len(table) > max_rows:  # keep every positive, sample the negatives
        rng = np.random.default_rng(seed)
        neg = np.flatnonzero(~table["label"].to_numpy())
        keep = np.sort(np.concatenate([np.flatnonzero(table["label"].to_numpy()),
                                       rng.choice(neg, max_rows - positives, replace=False)]))
        table = table.iloc[keep]
    X = table[MODEL_FEATURES].to_numpy(dtype=float)
    y = table["label"].to_numpy()
    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=31,
                                           class_weight="balanced", random_state=seed)
    model.fit(X, y)
    importances = None
    if importance:
        rng = np.random.default_rng(seed)
        sample = rng.choice(len(X), size=min(len(X), 20_000), replace=False)
        imp = permutation_importance(model, X[sample], y[sample], scoring="average_precision",
                                     n_repeats=2, random_state=seed)
        importances = pd.DataFrame({"feature": MODEL_FEATURES, "importance": imp.importances_mean})
        importances = importances.sort_values("importance", ascending=False).reset_index(drop=True)
    params = {"cut": cut, "horizon": horizon, "layers": layers, "seed": seed,
              "per_source": per_source, "rows": len(table), "positives": positives}
    return TrainedScorer(model, MODEL_FEATURES, params, importances)


def default_scorer(net: Network, layers=None, as_of: int | None = None, seed: int = 0):
    """The scorer ``kumenet match`` uses: trained on the last year of history when there is
    enough of it, else Adamic-Adar."""
    sub = net.select(layers=layers, as_of=as_of)
    years = sub.edges["year"].dropna()
    if years.nunique() < 3:
        return "adamic_adar"
    last = int(years.max())
    try:
        return train_scorer(net.select(as_of=last), last - 1, 1, layers, seed)
    except KumenetError:
        return "adamic_adar"
