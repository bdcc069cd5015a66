"""The trained scorer: learn from the network's history which candidates become partners.

Training mirrors use: features are computed on the ties up to a cut year, labels are the
pairs first tied in the following ``horizon`` years, and the model is then applied to the
whole history up to the last year. Since the graph at the cut is smaller and younger than at
the end, the model also sees scale-free features (ranks within a firm's candidates, shares,
recent activity). Negatives are the candidates that did not become partners; the classes are
balanced by weight (gradient-boosted trees, scikit-learn's HistGradientBoostingClassifier).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from kumenet.arrays import unique
from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.matching.candidates import FEATURES, FEATURES_VERSION, WALKED
from kumenet.matching.pairs import pair_table
from kumenet.matching.scorers import Forest, TrainedScorer
from kumenet.messages import text

__all__ = ["TooLittleHistory", "TrainingPlan", "sample_rows", "train_scorer", "bin_columns",
           "on_values", "ScorerChoice", "choose_scorer", "default_scorer"]


#: Features the trained scorer uses: scale-free ones (ranks within a firm's candidates,
#: shares, flags), which carry over from the younger graph it learns on to the graph it is
#: applied to, and three pair counts that proved to carry over too (common in- and
#: out-neighbours in directed layers, weighted resource allocation). The raw counts and
#: degrees were left out: with them the model did worse on held-out years (README).
RAW = {"cn", "aa", "ra", "aa_recent", "ra_weighted", "cn_in", "cn_out", "paths3", "ppr", "pa",
       "deg_s", "deg_t", "recent_s", "recent_t", "new_t"}
#: The three-hop rank (``rank_paths3``) is left out too: without it candidates skip the
#: three-hop walk, three times faster on CORDIS, and the held-out P@10 and MRR were as good
#: (0.1381 / 0.3404 against 0.1362 / 0.3398) though fewer held-out partners were candidates
#: (25.0% against 27.4%; README, "what was tried").
MODEL_FEATURES = [f for f in FEATURES if f not in RAW | {"rank_paths3"}] + \
    ["cn_in", "cn_out", "ra_weighted"]
MIN_POSITIVES = 50


class TooLittleHistory(KumenetError):
    """Fewer than :data:`MIN_POSITIVES` new pairs among the candidates: nothing to learn from."""

    def __init__(self, positives: int, cut: int):
        super().__init__(f"only {positives} new pairs after {cut} among the candidates: too few "
                         f"to train a scorer (need {MIN_POSITIVES})")
        self.positives, self.cut = positives, cut


#: How training samples its rows: every positive up to ``max_positives``, and up to
#: ``negatives_per_positive`` negatives for each, drawn within each scope so that the rare
#: international pairs keep their share (stratified by label and scope).
@dataclass(frozen=True)
class TrainingPlan:
    """How a scorer is trained (sampling and gradient boosting settings)."""

    max_sources: int = 3_000
    max_positives: int = 20_000
    negatives_per_positive: int = 20
    max_iter: int = 200
    learning_rate: float = 0.1
    max_leaf_nodes: int = 31
    early_stopping: bool = True
    validation_fraction: float = 0.15
    n_iter_no_change: int = 10
    features: tuple[str, ...] | None = None  # None: MODEL_FEATURES
    n_active: int = 50  # most active actors (overall, per sector) added as candidates
    #: Two stages: a small model of the features that cost nothing per pair keeps each
    #: actor's best ``first_stage_keep`` candidates for the full model (0: one stage).
    first_stage_keep: int = 40
    first_stage_iter: int = 10


def sample_rows(label: np.ndarray, stratum: np.ndarray, plan: TrainingPlan,
                seed: int) -> np.ndarray:
    """Row positions kept for training: positives and negatives sampled per stratum.

    Each stratum (a scope) keeps at most ``max_positives`` positives in all (shared in
    proportion) and ``negatives_per_positive`` negatives per positive kept; sorted positions.

    >>> label = np.array([True, False, False, False, True, False])
    >>> kept = sample_rows(label, np.zeros(6, int), TrainingPlan(negatives_per_positive=1), seed=0)
    >>> int(label[kept].sum()), len(kept)
    (2, 4)
    """
    rng = np.random.default_rng(seed)
    label = np.asarray(label, dtype=bool)
    pos_total = int(label.sum())
    pos_share = min(1.0, plan.max_positives / max(pos_total, 1))
    keep = []
    for value in unique(stratum):
        in_stratum = stratum == value
        pos = np.flatnonzero(in_stratum & label)
        neg = np.flatnonzero(in_stratum & ~label)
        n_pos = len(pos) if pos_share >= 1 else int(np.ceil(len(pos) * pos_share))
        pos = rng.choice(pos, n_pos, replace=False) if n_pos < len(pos) else pos
        n_neg = min(len(neg), max(n_pos, 1) * plan.negatives_per_positive)
        neg = rng.choice(neg, n_neg, replace=False) if n_neg < len(neg) else neg
        keep += [pos, neg]
    return np.sort(np.concatenate(keep)) if keep else np.zeros(0, dtype=np.int64)


def train_scorer(net: Network, cut: int, horizon: int = 1, layers=None, seed: int = 0,
                 per_source: int = 100, plan: TrainingPlan = TrainingPlan(),
                 importance: bool = False, progress=None) -> TrainedScorer:
    """Train on candidates as of ``cut`` labelled by the pairs first tied up to ``cut + horizon``.

    Rows are sampled by label and scope (:func:`sample_rows`), the classes balanced by
    weight, and boosting stops early when the held-out rows (``validation_fraction``) stop
    improving.
    With ``importance=True`` the scorer also reports which features mattered (permutation
    importance on average precision, on up to 20,000 training rows).

    Parameters
    ----------
    net : Network
        The network (its ties after ``cut + horizon`` are not read).
    cut : int
        Candidates and their features as of this year.
    horizon : int
        Years after ``cut`` whose new pairs are the positives.
    layers : list of str, optional
        Layers to learn from, flattened (default: all).
    seed : int
        Seed of the sampling and of boosting.
    per_source : int
        Candidates kept per source by the first stage.
    plan : TrainingPlan
        Sizes and boosting settings.
    importance : bool
        Also report which features mattered.
    progress : callable, optional
        Wraps the steps, as ``tqdm`` would.

    Returns
    -------
    TrainedScorer

    Raises
    ------
    TooLittleHistory
        When fewer than 50 new pairs appear among the candidates (nothing to learn from).

    >>> from kumenet.graph.io import read_network
    >>> scorer = train_scorer(read_network('sample_networks/pilot'), cut=2022)
    >>> scorer.params['positives'] > 0, scorer.ranking is not None
    (True, True)
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.inspection import permutation_importance

    from kumenet.graph.geography import scope_codes, scope_of_codes

    # Candidates are the costly part: learn from a random sample of the actors that gained
    # partners (every positive of those actors is kept).
    features = list(plan.features or MODEL_FEATURES)
    codes = scope_codes(net.nodes, "province")

    def sample(label, source, target):
        stratum = scope_of_codes(codes, source, target, as_labels=False)
        return sample_rows(label, np.asarray(stratum), plan, seed)

    pairs = pair_table(net, as_of=cut, horizon=horizon, layers=layers, per_source=per_source,
                       max_sources=plan.max_sources, seed=seed, progress=progress,
                       features=set(features), n_active=plan.n_active, keep=sample)
    table, positives = pairs.table, pairs.positive_candidates
    if positives < MIN_POSITIVES:
        raise TooLittleHistory(positives, cut)
    X = table[features].to_numpy(dtype=float)
    y = table["label"].to_numpy()
    model = HistGradientBoostingClassifier(
        max_iter=plan.max_iter, learning_rate=plan.learning_rate,
        max_leaf_nodes=plan.max_leaf_nodes, class_weight="balanced", random_state=seed,
        early_stopping=plan.early_stopping, validation_fraction=plan.validation_fraction,
        n_iter_no_change=plan.n_iter_no_change, scoring="loss")
    codes, edges = bin_columns(X)
    model.fit(codes, y)
    forest = on_values(Forest.from_sklearn(model), edges)
    first, first_features = None, []
    cheap = [f for f in features if f not in WALKED]
    if plan.first_stage_keep and len(cheap) < len(features):
        first_features = cheap
        first_model = HistGradientBoostingClassifier(
            max_iter=plan.first_stage_iter, learning_rate=0.2, max_leaf_nodes=15,
            class_weight="balanced", random_state=seed, early_stopping=False)
        at = [features.index(f) for f in cheap]
        first_model.fit(codes[:, at], y)
        first = on_values(Forest.from_sklearn(first_model), [edges[i] for i in at])
    importances = None
    if importance:
        rng = np.random.default_rng(seed)
        sample = rng.choice(len(X), size=min(len(X), 20_000), replace=False)
        imp = permutation_importance(model, X[sample], y[sample], scoring="average_precision",
                                     n_repeats=2, random_state=seed)
        importances = pd.DataFrame({"feature": features, "importance": imp.importances_mean})
        importances = importances.sort_values("importance", ascending=False).reset_index(drop=True)
    params = {"cut": cut, "horizon": horizon, "layers": layers, "seed": seed,
              "per_source": per_source, "candidates": pairs.candidates,
              "rows": int(len(table)),
              "positives": positives, "iterations": int(model.n_iter_), "plan": asdict(plan),
              "n_active": plan.n_active}
    return TrainedScorer(forest, features, params, importances, first,
                         first_features, plan.first_stage_keep if first is not None else 0)


def bin_columns(X: np.ndarray, max_bins: int = 255) -> tuple[np.ndarray, list[np.ndarray]]:
    """Each column as bin numbers (NaN stays NaN) and the bin edges: bin ``i`` holds the
    values in ``(edges[i - 1], edges[i]]``, edges at the midpoints of the distinct values when
    there are at most ``max_bins`` of them, else at quantiles (scikit-learn's own binning).

    Gradient boosting learns on the bin numbers, and :func:`on_values` turns its split points
    back into values. With class weights, scikit-learn 1.9 places bin edges at weighted
    quantiles computed one at a time in Python: 0.9 s of a 1 s fit at 100,000 firms.

    >>> bins, edges = bin_columns(np.array([[0.0], [1.0], [1.0], [np.nan]]))
    >>> bins[:, 0].tolist(), edges[0].tolist()
    ([0.0, 1.0, 1.0, nan], [0.5])
    """
    codes = np.full(X.shape, np.nan)
    edges = []
    for j in range(X.shape[1]):
        col = X[:, j]
        known = ~np.isnan(col)
        distinct = unique(col[known])
        if len(distinct) <= max_bins:
            e = (distinct[:-1] + distinct[1:]) / 2
        else:
            e = np.percentile(col[known], np.linspace(0, 100, max_bins + 1)[1:-1],
                              method="averaged_inverted_cdf")
            e = unique(e)
        codes[known, j] = np.searchsorted(e, col[known], side="left")
        edges.append(e)
    return codes, edges


def on_values(forest: Forest, edges: list[np.ndarray]) -> Forest:
    """A forest learned on :func:`bin_columns`' bin numbers, splitting on the values: a split
    ``bin <= t`` is ``value <= edges[floor(t)]`` (no edge above: every value).

    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]] * 10)
    >>> y = (X[:, 0] >= 2).astype(int)
    >>> bins, edges = bin_columns(X)
    >>> learned = HistGradientBoostingClassifier(max_iter=1).fit(bins, y)
    >>> forest = on_values(Forest.from_sklearn(learned), edges)
    >>> float(forest.threshold[~forest.is_leaf][0])
    1.5
    """
    import dataclasses

    threshold = forest.threshold.copy()
    inner = np.flatnonzero(~forest.is_leaf)
    for j, e in enumerate(edges):
        at = inner[forest.feature[inner] == j]
        # A split of the missing values from all others has an infinite split point.
        at = at[np.isfinite(threshold[at])]
        k = np.floor(threshold[at]).astype(np.int64)
        value = e[np.clip(k, 0, len(e) - 1)] if len(e) else np.full(len(k), np.inf)
        threshold[at] = np.where((k >= 0) & (k < len(e)), value, np.inf)
    return dataclasses.replace(forest, threshold=threshold)


@dataclass(frozen=True)
class ScorerChoice:
    """The scorer ``kumenet match`` uses by default, and why (for the user to read)."""

    scorer: object  # a TrainedScorer, or the name of a heuristic
    reason: str
    cached: bool = False

    @property
    def name(self) -> str:
        return self.scorer if isinstance(self.scorer, str) else "trained"


def choose_scorer(net: Network, *, layers=None, as_of: int | None = None, seed: int = 0,
                  retrain: bool = False, cache: bool = True, plan: TrainingPlan = TrainingPlan(),
                  progress=None, notify=None, lang: str = "en") -> ScorerChoice:
    """The default scorer: trained on the last year of history when there is enough of it
    (reused from the cache when the network and parameters have not changed), else
    Adamic-Adar.

    Parameters
    ----------
    retrain : bool
        Train even when a cached scorer exists (the new one replaces it).
    cache : bool
        Look up and keep scorers in :func:`kumenet.matching.cache.cache_dir`.
    notify : callable, optional
        Called with a sentence before training starts (training takes seconds to minutes).
    lang : {"en", "tr"}
        The language of the sentences.

    Returns
    -------
    ScorerChoice
        The scorer, the sentence saying which one and why, and whether it came from the cache.

    >>> import os, tempfile
    >>> before = os.environ.get('KUMENET_CACHE_DIR')
    >>> os.environ['KUMENET_CACHE_DIR'] = tempfile.mkdtemp()  # where trained scorers are kept
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> first, again = choose_scorer(net), choose_scorer(net)
    >>> type(first.scorer).__name__, first.cached, again.cached
    ('TrainedScorer', False, True)
    >>> _ = os.environ.pop('KUMENET_CACHE_DIR')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_DIR': before})
    """
    from kumenet.matching import cache as store

    sub = net.select(layers=layers, as_of=as_of)
    years = sub.edges["year"].dropna()
    if years.empty:
        return ScorerChoice("adamic_adar", text("scorer.no_years", lang))
    if years.nunique() < 3:
        return ScorerChoice("adamic_adar", text("scorer.few_years", lang, n=years.nunique()))
    last = int(years.max())
    history = net.select(as_of=last)
    key = None
    if cache:
        key = store.content_key(history, {"cut": last - 1, "horizon": 1, "layers": layers,
                                          "seed": seed, "plan": asdict(plan),
                                          "features": MODEL_FEATURES,
                                          "features_version": FEATURES_VERSION})
        found = None if retrain else store.load(key)
        if found is not None:
            return ScorerChoice(found, _describe(found, lang) + text("scorer.cached", lang),
                                cached=True)
    if notify:
        notify(text("scorer.training", lang, last=str(last)))
    try:
        scorer = train_scorer(history, last - 1, 1, layers, seed, plan=plan, progress=progress)
    except KumenetError as err:
        why = text("scorer.few_pairs", lang, n=err.positives, cut=str(err.cut),
                   need=MIN_POSITIVES) if isinstance(err, TooLittleHistory) else str(err)
        return ScorerChoice("adamic_adar", text("scorer.cannot_train", lang, why=why))
    if key is not None:
        store.store(key, scorer)
    return ScorerChoice(scorer, _describe(scorer, lang))


def _describe(scorer: TrainedScorer, lang: str = "en") -> str:
    p = scorer.params
    return text("scorer.trained", lang, cut=str(p["cut"]), positives=int(p["positives"]),
                year=str(p["cut"] + p["horizon"]), rounds=int(p["iterations"]))


def default_scorer(net: Network, layers=None, as_of: int | None = None, seed: int = 0):
    """The scorer of :func:`choose_scorer` (a TrainedScorer or a heuristic's name).

    >>> import os, tempfile
    >>> before = os.environ.get('KUMENET_CACHE_DIR')
    >>> os.environ['KUMENET_CACHE_DIR'] = tempfile.mkdtemp()
    >>> from kumenet.graph.io import read_network
    >>> type(default_scorer(read_network('sample_networks/pilot'))).__name__
    'TrainedScorer'
    >>> _ = os.environ.pop('KUMENET_CACHE_DIR')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_DIR': before})
    """
    return choose_scorer(net, layers=layers, as_of=as_of, seed=seed).scorer
