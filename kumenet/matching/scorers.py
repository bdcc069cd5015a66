"""Pair scorers: heuristics in a registry, and a scorer trained on the network's own history.

A heuristic maps the candidate features of :func:`candidate_block` to a score (higher is a
better partner). The trained scorer learns from the past: features computed on the ties up to
a cut year, labels from the pairs first tied after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError

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
    """The features a scorer reads (None: all of them)."""
    if isinstance(method, str) and method in HEURISTICS:
        return set(HEURISTICS[method][2])
    if isinstance(method, TrainedScorer):
        return set(method.features)
    return None


@dataclass
class TrainedScorer:
    """A gradient-boosted classifier of "will this pair tie?" and how it was made."""

    model: object
    features: list[str]
    params: dict = field(default_factory=dict)
    importances: pd.DataFrame | None = None

    def score(self, f: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(f[self.features].to_numpy(dtype=float))[:, 1]

    def save(self, path) -> None:
        import joblib

        joblib.dump(self, path)

    @staticmethod
    def load(path) -> "TrainedScorer":
        import joblib

        from kumenet.graph.textfile import check_regular_file

        check_regular_file(Path(path))
        try:
            scorer = joblib.load(path)
        except Exception as err:  # joblib raises many kinds for a file that is not a model
            raise KumenetError(f"{path}: not a kumenet model file ({err})") from err
        if not isinstance(scorer, TrainedScorer):
            raise KumenetError(f"{path}: not a kumenet model file")
        return scorer


def score(f: pd.DataFrame, method: str | TrainedScorer) -> np.ndarray:
    """Scores of candidate pairs by a heuristic name or a trained scorer."""
    if isinstance(method, TrainedScorer):
        return method.score(f)
    if method not in HEURISTICS:
        raise KumenetError(f"unknown scorer {method!r}; choose one of "
                           f"{', '.join(list(HEURISTICS) + ['trained'])}")
    return HEURISTICS[method][0](f)
