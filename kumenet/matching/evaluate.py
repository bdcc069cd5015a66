"""Temporal evaluation of partner scorers: learn from ties up to a year, test on the pairs
first tied after it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kumenet.graph.geography import scope as pair_scope
from kumenet.graph.network import Network
from kumenet.matching.pairs import pair_table


__all__ = ["ranking_metrics", "evaluate"]


def ranking_metrics(table: pd.DataFrame, scores: np.ndarray, k: int, positives_per_source: pd.Series) -> dict:
    """precision@k, recall@k, hits@k and MRR over sources (held-out partners that are not
    candidates count as missed); AUC and average precision over the scored candidates.

    >>> t = pd.DataFrame({'source': [0, 0, 1, 1], 'target': [1, 2, 0, 2],
    ...                   'label': [True, False, False, True]})
    >>> m = ranking_metrics(t, np.array([0.9, 0.1, 0.8, 0.2]), 1, pd.Series({0: 1, 1: 1}))
    >>> m['precision_at_k'], m['mrr'], m['sources']
    (0.5, 0.75, 2)
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    t = pd.DataFrame({"source": table["source"].to_numpy(), "label": table["label"].to_numpy(),
                      "score": scores, "target": table["target"].to_numpy()})
    t = t.sort_values(["source", "score", "target"], ascending=[True, False, True], kind="stable")
    t["rank"] = t.groupby("source").cumcount() + 1
    top = t[t["rank"] <= k]
    hits = top.groupby("source")["label"].sum()
    sources = positives_per_source.index
    hits = hits.reindex(sources, fill_value=0)
    first = t[t["label"]].groupby("source")["rank"].min().reindex(sources)
    rr = (1.0 / first).fillna(0.0)
    # AUC and AP rank the candidates (held-out partners among them against the others);
    # held-out partners that no candidate generator reached count in recall and MRR above,
    # and their share is candidate_recall.
    labels = t["label"].to_numpy()
    auc = roc_auc_score(labels, t["score"]) if labels.any() and not labels.all() else np.nan
    ap = average_precision_score(labels, t["score"]) if labels.any() else np.nan
    return {"precision_at_k": float((hits / k).mean()),
            "recall_at_k": float((hits / positives_per_source).mean()),
            "hits_at_k": float((hits > 0).mean()), "mrr": float(rr.mean()),
            "auc": float(auc), "average_precision": float(ap),
            "candidate_recall": float(labels.sum() / positives_per_source.sum()),
            "sources": int(len(sources))}


def evaluate(net: Network, split_year: int, k: int = 10, layers=None, methods=None,
             horizon: int | None = None, level: str = "province", per_source: int = 100,
             seed: int = 0, progress=None) -> pd.DataFrame:
    """Every scorer trained or tuned on ties up to ``split_year``, tested on the pairs first
    tied after it (up to ``split_year + horizon`` when given).

    The trained scorer learns the same way, one step earlier: candidates as of
    ``split_year - 1`` labelled by the pairs first tied in ``split_year``. ``random`` draws
    ``k`` partners uniformly among all nodes that are not partners yet.

    Parameters
    ----------
    net : Network
        The network, with years on its ties.
    split_year : int
        The last year the scorers see.
    k : int
        Suggestions per source (precision, recall and hits at ``k``).
    layers : list of str, optional
        Layers used, flattened (default: all).
    methods : list of str, optional
        Scorers to compare (default: every heuristic, ``trained`` and ``random``).
    horizon : int, optional
        Years after ``split_year`` tested (default: all of them).
    level : {"province", "nuts2", "nuts1"}
        The geography of the scopes (same province, other provinces, abroad).
    per_source : int
        Candidates kept per source.
    seed : int
        Seed of training and of ``random``.
    progress : callable, optional
        Wraps the scorers, as ``tqdm`` would.

    Returns
    -------
    DataFrame
        One row per scorer and scope (``all`` and each scope of the held-out pair), and per
        kind of source actor when both firms and institutions have held-out partners:
        ``scorer``, ``scope``, ``source_kind`` (``all``, ``firm``, ``institution``),
        ``precision_at_k``, ``recall_at_k``, ``hits_at_k``, ``mrr``
        (per source with held-out partners, averaged), ``auc``, ``average_precision`` (over
        the scored candidates), ``candidate_recall`` (share of held-out partners among the
        candidates), ``sources``, ``k``.

    >>> from kumenet.graph.io import read_network
    >>> t = evaluate(read_network('sample_networks/pilot'), 2022, methods=['adamic_adar', 'random'])
    >>> t[t['scope'] == 'all'][['scorer', 'source_kind']].values.tolist()[:2]
    [['adamic_adar', 'all'], ['adamic_adar', 'firm']]
    >>> bool((t[t['scorer'] == 'adamic_adar']['precision_at_k'] > 0).all())
    True
    """
    from kumenet.matching.model import train_scorer
    from kumenet.matching.scorers import HEURISTICS, score

    pairs = pair_table(net, as_of=split_year, horizon=horizon, layers=layers,
                       per_source=per_source)
    table, both = pairs.table, pairs.positives
    both["scope"] = pair_scope(net.nodes, both["source"].to_numpy(), both["target"].to_numpy(), level)
    table["scope"] = pair_scope(net.nodes, table["source"].to_numpy(), table["target"].to_numpy(), level)
    methods = list(methods) if methods else [*HEURISTICS, "random", "trained"]
    kind = net.nodes["kind"].astype(str).to_numpy()
    both_kind = kind[both["source"].to_numpy()]
    table_kind = kind[table["source"].to_numpy()]
    present = set(both_kind)
    kinds_present = [sk for sk in ("firm", "institution") if sk in present] \
        if len(present) > 1 else []
    rows = []
    for name in (progress(methods) if progress else methods):
        if name == "trained":
            scorer = train_scorer(net.select(as_of=split_year), split_year - 1, 1, layers, seed,
                                  per_source)
            values = scorer.ranking(table, table["source"].to_numpy())
        elif name == "random":
            values = None
        else:
            values = score(table, name)
        groups = [("all", sc) for sc in ("all", *sorted(both["scope"].unique()))]
        groups += [(sk, "all") for sk in kinds_present]
        for source_kind, sc in groups:
            pos = both if sc == "all" else both[both["scope"] == sc]
            t = table if sc == "all" else table[table["scope"] == sc]  # rank within the scope
            if source_kind != "all":
                pos = pos[both_kind[pos.index.to_numpy()] == source_kind]
                t = t[table_kind[t.index.to_numpy()] == source_kind]
            if not len(pos):
                continue
            pps = pos.groupby("source").size()
            t = t.assign(label=_labels(t, pos, net.n_nodes))
            if name == "random":
                metrics = _random_metrics(net, t, pps, pos, k, seed)
            else:
                v = values[t.index.to_numpy()] if len(t) != len(table) else values
                metrics = ranking_metrics(t, np.asarray(v), k, pps)
            rows.append({"scorer": name, "scope": sc, "source_kind": source_kind, **metrics,
                         "k": k})
    return pd.DataFrame(rows)


def _labels(t, pos, n) -> np.ndarray:
    key = pos["source"].to_numpy() * n + pos["target"].to_numpy()
    return np.isin(t["source"].to_numpy() * n + t["target"].to_numpy(), key)


def _random_metrics(net, t, pps, pos, k, seed) -> dict:
    """k uniform draws per source among all nodes: what chance alone gives."""
    rng = np.random.default_rng(seed)
    n = net.n_nodes
    sources = pps.index.to_numpy()
    draws = rng.integers(0, n, size=(len(sources), k))
    key = pos["source"].to_numpy() * n + pos["target"].to_numpy()
    flat = np.repeat(sources, k) * n + draws.ravel()
    hit = np.isin(flat, key).reshape(len(sources), k)
    hits = hit.sum(axis=1)
    first = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, np.inf)
    # Random scores give an expected AUC of 0.5 and an AP equal to the positive share.
    share = float(t["label"].mean()) if len(t) else np.nan
    return {"precision_at_k": float((hits / k).mean()),
            "recall_at_k": float((hits / pps.to_numpy()).mean()),
            "hits_at_k": float((hits > 0).mean()), "mrr": float(np.mean(1.0 / first)),
            "auc": 0.5, "average_precision": share,
            "candidate_recall": float(hit.sum() / pps.sum()), "sources": int(len(sources))}
