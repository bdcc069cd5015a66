"""Pair scorers: heuristics in a registry, and a scorer trained on the network's own history.

A heuristic maps the candidate features of :func:`candidate_block` to a score (higher is a
better partner). The trained scorer learns from the past: features computed on the ties up to
a cut year, labels from the pairs first tied after it.
"""

from __future__ import annotations

import functools

from collections.abc import Callable
from dataclasses import dataclass, field

from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError

__all__ = ["needed_features", "Forest", "TrainedScorer", "score"]


BETA = 0.05  # Katz damping: a three-step path counts BETA as much as a two-step one


def _katz(f: pd.DataFrame) -> np.ndarray:
    # Katz (1953) truncated at three steps: beta^2 * paths2 + beta^3 * paths3, with the
    # three-step walk counted from the pruned walk (random-walk weights).
    return BETA ** 2 * f["cn"].to_numpy() + BETA ** 3 * f["paths3"].to_numpy() * f["deg_s"].to_numpy()


#: Heuristic scorers: name -> (function of the feature table, description, features needed).
HEURISTICS: dict[str, tuple[Callable[[pd.DataFrame], np.ndarray], str, set]] = {
    "common_neighbours": (lambda f: f["cn"].to_numpy(), "number of shared partners", {"cn"}),
    "adamic_adar": (lambda f: f["aa"].to_numpy(),
                    "shared partners weighted by 1/log(their degree) (Adamic and Adar 2003)",
                    {"aa"}),
    "resource_allocation": (lambda f: f["ra"].to_numpy(),
                            "shared partners weighted by 1/degree (Zhou, Lü and Zhang 2009)",
                            {"ra"}),
    "jaccard": (lambda f: f["jaccard"].to_numpy(), "shared partners / partners of either",
                {"jaccard"}),
    "preferential_attachment": (lambda f: f["pa"].to_numpy(),
                                "degree x degree (Barabási and Albert 1999)", {"pa"}),
    "katz": (_katz, "paths of length 2 and 3, damped by 0.05 per step (Katz 1953), truncated",
             {"cn", "paths3", "deg_s"}),
    "personalised_pagerank": (lambda f: f["ppr"].to_numpy(),
                              "random walk with restart from the source, three steps", {"ppr"}),
    "recent_adamic_adar": (lambda f: f["aa_recent"].to_numpy(),
                           "Adamic-Adar over ties weighted by recency (half-life one year)",
                           {"aa_recent"}),
}


def needed_features(method) -> set | None:
    """The features a scorer reads (None: all of them).

    >>> sorted(needed_features('adamic_adar')), needed_features('random') is None
    (['aa'], True)
    """
    if isinstance(method, str) and method in HEURISTICS:
        return set(HEURISTICS[method][2])
    if isinstance(method, TrainedScorer):
        return set(method.features)
    return None


@dataclass(frozen=True)
class Forest:
    """The trees of a gradient-boosted classifier as flat arrays, scored with numpy.

    Node ``i`` splits on ``feature[i]`` at ``threshold[i]`` (``x <= threshold`` goes left;
    a missing value goes left when ``missing_left[i]``), or is a leaf worth ``value[i]``;
    ``left`` and ``right`` are positions in the flat arrays and ``roots`` the first node of
    each tree. The probability is ``expit(baseline + sum of the leaves reached)``, exactly as
    scikit-learn's HistGradientBoostingClassifier computes it for numeric features.
    """

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    is_leaf: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    baseline: float

    ARRAYS = ("feature", "threshold", "missing_left", "left", "right", "is_leaf", "value", "roots")

    @classmethod
    def from_sklearn(cls, model) -> "Forest":
        """The trees of a fitted binary HistGradientBoostingClassifier."""
        trees = [iteration[0].nodes for iteration in model._predictors]
        sizes = np.array([len(t) for t in trees], dtype=np.int64)
        roots = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nodes = np.concatenate(trees)
        offset = np.repeat(roots, sizes)
        if nodes["is_categorical"].any():
            raise KumenetError("categorical splits are not supported in a kumenet scorer")
        return cls(feature=nodes["feature_idx"].astype(np.int32),
                   threshold=nodes["num_threshold"].astype(np.float64),
                   missing_left=nodes["missing_go_to_left"].astype(bool),
                   left=(nodes["left"] + offset).astype(np.int64),
                   right=(nodes["right"] + offset).astype(np.int64),
                   is_leaf=nodes["is_leaf"].astype(bool), value=nodes["value"].astype(np.float64),
                   roots=roots, baseline=float(np.ravel(model._baseline_prediction)[0]))

    def raw(self, X: np.ndarray, rows_per_chunk: int = 65_536) -> np.ndarray:
        """The summed leaf values per row (before the logistic link)."""
        out = np.full(len(X), self.baseline, dtype=np.float64)
        for start in range(0, len(X), rows_per_chunk):
            chunk = X[start:start + rows_per_chunk]
            total = out[start:start + rows_per_chunk]
            for root in self.roots:
                node = np.full(len(chunk), root, dtype=np.int64)
                active = np.flatnonzero(~self.is_leaf[node])
                while len(active):
                    at = node[active]
                    x = chunk[active, self.feature[at]]
                    go_left = np.where(np.isnan(x), self.missing_left[at], x <= self.threshold[at])
                    node[active] = np.where(go_left, self.left[at], self.right[at])
                    active = active[~self.is_leaf[node[active]]]
                total += self.value[node]
        return out

    def probability(self, X: np.ndarray) -> np.ndarray:
        """The probability of a tie per row of ``X`` (columns in the scorer's feature order).

        Small inputs (one firm's candidates) are scored with numpy, so no scikit-learn import
        is paid; large ones with scikit-learn's compiled tree walker when it is there (the same
        trees, the same sums, about four times faster).
        """
        X = np.ascontiguousarray(X, dtype=np.float64)
        raw = self._compiled_raw(X) if len(X) > 50_000 else None
        if raw is None:
            raw = self.raw(X)
        return 1.0 / (1.0 + np.exp(-raw))

    def probability_of(self, columns: list[np.ndarray], chunk: int = 32_768) -> np.ndarray:
        """:meth:`probability` of the matrix whose columns are ``columns``, filled and scored
        ``chunk`` rows at a time: a chunk's matrix stays in the cache while it is filled
        column by column and walked (1.5 million candidates x 12 features at once cost a block
        0.7 s, in chunks 0.47 s)."""
        n = len(columns[0]) if columns else 0
        if n <= 50_000:
            return self.probability(np.column_stack(columns) if columns else np.zeros((n, 0)))
        raw = np.empty(n)
        for start in range(0, n, chunk):
            X = np.empty((min(chunk, n - start), len(columns)))
            for j, column in enumerate(columns):
                X[:, j] = column[start:start + chunk]
            part = self._compiled_raw(X)
            raw[start:start + len(X)] = self.raw(X) if part is None else part
        return 1.0 / (1.0 + np.exp(-raw))

    def prepare(self) -> None:
        """Import and build the compiled tree walker now (before worker processes fork)."""
        self._predictors  # noqa: B018

    @functools.cached_property
    def _predictors(self) -> list | None:
        """scikit-learn's TreePredictor for each tree (None when it cannot be used)."""
        try:  # scikit-learn's tree walker (a private module: any change there means numpy)
            from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE
            from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

            ends = np.append(self.roots[1:], len(self.feature))
            none = np.zeros((0, 8), dtype=np.uint32)
            out = []
            for root, end in zip(self.roots, ends):
                nodes = np.zeros(end - root, dtype=PREDICTOR_RECORD_DTYPE)
                nodes["value"] = self.value[root:end]
                nodes["feature_idx"] = self.feature[root:end]
                nodes["num_threshold"] = self.threshold[root:end]
                nodes["missing_go_to_left"] = self.missing_left[root:end]
                nodes["left"] = np.where(self.is_leaf[root:end], 0, self.left[root:end] - root)
                nodes["right"] = np.where(self.is_leaf[root:end], 0, self.right[root:end] - root)
                nodes["is_leaf"] = self.is_leaf[root:end]
                out.append(TreePredictor(nodes, none, none))
            return out
        except Exception:  # noqa: BLE001 (any failure of a private API falls back to numpy)
            return None

    def _compiled_raw(self, X: np.ndarray) -> np.ndarray | None:
        predictors = self._predictors
        if predictors is None:
            return None
        try:
            from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

            threads = _openmp_effective_n_threads()  # honours threadpoolctl's limits
            out = np.full(len(X), self.baseline, dtype=np.float64)
            none = np.zeros((0, 8), dtype=np.uint32)
            f_idx = np.zeros(X.shape[1], dtype=np.uint32)
            for predictor in predictors:
                out += predictor.predict(X, none, f_idx, threads)
            return out
        except Exception:  # noqa: BLE001
            return None


@dataclass
class TrainedScorer:
    """A gradient-boosted classifier of "will this pair tie?" and how it was made.

    With a ``first`` stage (a smaller model of the features that cost nothing per pair), a
    network's candidates are ranked in two steps: the first stage keeps each actor's ``keep``
    best candidates, and only those get the features that walk the pair's neighbourhoods
    (:data:`~kumenet.matching.candidates.WALKED`) and the full model's score.

    Saved as plain arrays (``numpy.savez``, no pickle): a model file cannot run code, and
    scoring needs neither scikit-learn nor its import time.
    """

    forest: Forest
    features: list[str]
    params: dict = field(default_factory=dict)
    importances: pd.DataFrame | None = None
    first: Forest | None = None
    first_features: list[str] = field(default_factory=list)
    keep: int = 0

    @property
    def deferred(self) -> frozenset:
        """Features computed only for the candidates the first stage keeps."""
        from kumenet.matching.candidates import WALKED

        return frozenset(self.features) & WALKED if self.first is not None else frozenset()

    def score(self, f: pd.DataFrame) -> np.ndarray:
        """The full model's probability for each row (every feature present)."""
        return self.forest.probability_of(_columns(f, self.features))

    def first_stage(self, f: pd.DataFrame, group: np.ndarray) -> np.ndarray:
        """Mask of the rows the first stage keeps: the ``keep`` best of each ``group``
        (all of them without a first stage)."""
        if self.first is None:
            return np.ones(len(f), dtype=bool)
        from kumenet.matching.candidates import top_per_group

        p = self.first.probability_of(_columns(f, self.first_features))
        return top_per_group(np.asarray(group, dtype=np.int64), p, self.keep)

    def ranking(self, f: pd.DataFrame, group: np.ndarray) -> np.ndarray:
        """Scores that order each group's rows as the two stages do: kept rows by the full
        model (1 + probability), then the others by the first stage (its probability). For
        evaluation; every feature must be present."""
        if self.first is None:
            return self.score(f)
        from kumenet.matching.candidates import top_per_group

        # The first stage's probabilities are computed once: they choose and they rank.
        out = self.first.probability_of(_columns(f, self.first_features))
        kept = top_per_group(np.asarray(group, dtype=np.int64), out, self.keep)
        if kept.all():
            return self.score(f)
        out[kept] = 1.0 + self.score(f[kept])
        return out

    def save(self, path) -> None:
        """Write the scorer to ``path`` (a file object or a path) as a ``.npz`` archive."""
        import json

        meta = {"format": "kumenet-scorer-1", "features": self.features, "params": self.params,
                "baseline": self.forest.baseline,
                "importances": None if self.importances is None else
                self.importances.to_dict(orient="list")}
        arrays = {name: getattr(self.forest, name) for name in Forest.ARRAYS}
        if self.first is not None:
            meta.update(first_features=self.first_features, keep=self.keep,
                        first_baseline=self.first.baseline)
            arrays.update({"first_" + name: getattr(self.first, name) for name in Forest.ARRAYS})
        with open(path, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta, default=str)), **arrays)

    @staticmethod
    def load(path) -> "TrainedScorer":
        """A scorer saved by :meth:`save`; anything else is a :class:`KumenetError`."""
        import json
        import zipfile

        from kumenet.graph.textfile import check_regular_file

        check_regular_file(Path(path))
        try:
            with np.load(path, allow_pickle=False) as archive:
                meta = json.loads(str(archive["meta"]))
                if not isinstance(meta, dict) or meta.get("format") != "kumenet-scorer-1":
                    raise ValueError("no kumenet-scorer-1 description")
                arrays = {name: archive[name] for name in Forest.ARRAYS}
                staged = "first_features" in meta
                first_arrays = {name: archive["first_" + name] for name in Forest.ARRAYS} \
                    if staged else None
            features = [str(f) for f in meta["features"]]
            forest = _checked_forest(arrays, meta["baseline"], len(features))
            first, first_features, keep = None, [], 0
            if staged:
                first_features = [str(f) for f in meta["first_features"]]
                first = _checked_forest(first_arrays, meta["first_baseline"],
                                        len(first_features))
                keep = int(meta["keep"])
                if keep < 1:
                    raise ValueError("a first stage that keeps no candidate")
            from kumenet.matching.candidates import FEATURES

            unknown = sorted((set(features) | set(first_features)) - set(FEATURES))
            if unknown:  # another version's features: kumenet cannot compute them
                raise ValueError(f"features this kumenet does not compute: {', '.join(unknown)}")
            params = meta.get("params") or {}
            if not isinstance(params, dict):
                raise ValueError("parameters are not a table")
            imp = meta.get("importances")
            importances = None if imp is None else pd.DataFrame(imp)
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as err:
            raise KumenetError(f"{path}: not a kumenet model file ({err})") from err
        return TrainedScorer(forest, features, params, importances, first, first_features, keep)


def _columns(f: pd.DataFrame, names: list[str]) -> list[np.ndarray]:
    """The named columns as float arrays (for :meth:`Forest.probability_of`)."""
    return [f[name].to_numpy(dtype=np.float64) for name in names]


def _checked_forest(arrays: dict, baseline, n_features: int) -> Forest:
    """A Forest from loaded arrays, checked so that scoring cannot fail or loop: types,
    shapes, children after their parents and inside the arrays, known features."""
    types = {"feature": np.int32, "threshold": np.float64, "missing_left": bool,
             "left": np.int64, "right": np.int64, "is_leaf": bool, "value": np.float64,
             "roots": np.int64}
    arrays = {name: np.asarray(a).astype(types[name], casting="same_kind")
              for name, a in arrays.items()}
    forest = Forest(**arrays, baseline=float(baseline))
    n = len(forest.feature)
    inner = ~forest.is_leaf
    if any(a.ndim != 1 or len(a) != n for a in (forest.feature, forest.threshold,
                                                 forest.missing_left, forest.left,
                                                 forest.right, forest.is_leaf, forest.value)) \
            or not np.all((forest.left[inner] > np.arange(n)[inner])
                          & (forest.right[inner] > np.arange(n)[inner])
                          & (forest.left[inner] < n) & (forest.right[inner] < n)) \
            or forest.roots.ndim != 1 \
            or not np.all((forest.roots >= 0) & (forest.roots < n)) \
            or (forest.feature[inner] < 0).any():
        raise ValueError("inconsistent trees")
    if n and forest.feature[inner].max(initial=0) >= n_features:
        raise ValueError("a split on an unknown feature")
    return forest


def score(f: pd.DataFrame, method: str | TrainedScorer) -> np.ndarray:
    """Scores of candidate pairs by a heuristic name or a trained scorer.

    >>> f = pd.DataFrame({'source': [0, 0], 'target': [1, 2], 'aa': [1.5, 0.4],
    ...                   'cn': [2, 1]})
    >>> score(f, 'adamic_adar').tolist(), score(f, 'common_neighbours').tolist()
    ([1.5, 0.4], [2, 1])
    """
    if isinstance(method, TrainedScorer):
        return method.score(f)
    if method not in HEURISTICS:
        raise KumenetError(f"unknown scorer {method!r}; choose one of "
                           f"{', '.join(list(HEURISTICS) + ['trained'])}")
    return HEURISTICS[method][0](f)
