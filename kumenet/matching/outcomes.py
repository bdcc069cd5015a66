"""Suggestions that learn from what happened: outcomes as labels, corrected for where staff
looked.

Staff act mostly on the top of a list, so the pairs whose outcome is known are not a sample
of the pairs shown: a model fitted on them learns what works at the top. Each acted-on pair
is weighted by the inverse of the chance that a pair shown at its position was acted on
(estimated from the logged impressions; clipped, then self-normalised), so that the fit
stands for every position shown. The re-ranker is small (an L2-regularised logistic
regression on standardised features) and takes over only when it has earned it: with enough
outcomes, and when it ranks the later outcomes (a time split) better than the network
scorer does; otherwise the network scorer stays, and the reason is said.

Labels (:func:`outcome_grades`): agreement or project 3, a valuable contact or negotiation 2,
met 1, declined for a reason about the pair (not relevant, competitor, quality or capacity)
0. "Already in contact" is a tie, not a failure; "timing" (and no interest, other) says
nothing about the pair; a pair shown and never acted on is unknown, not negative: none of
these is a label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["PAIR_REASONS", "outcome_grades", "position_propensity", "ipw_weights", "Reranker",
           "fit_reranker", "weighted_auc", "Learned", "learn_from_outcomes", "simulate_outcomes"]

PAIR_REASONS = ("not_relevant", "competitor", "quality_or_capacity")
VALUABLE = ("valuable_contact", "negotiation")
#: Below this many labelled outcomes the network scorer stays.
MIN_OUTCOMES = 100
CLIP = 0.02  # the smallest propensity a weight is computed from
TEST_SHARE = 0.3  # the latest outcomes, held out to decide whether the re-ranker has earned it


def outcome_grades(frame: pd.DataFrame) -> pd.Series:
    """Each introduction's grade (3 agreement or project, 2 valuable contact, 1 met, 0
    declined for a reason about the pair) or NaN (no label). ``frame`` has the columns
    ``met``, ``agreement``, ``project`` (reached or not), ``rating`` (the best follow-up
    rating) and ``reason`` (why it was declined).

    >>> frame = pd.DataFrame({'met': [True, True, False, False, False, False],
    ...     'agreement': [True, False, False, False, False, False], 'project': False,
    ...     'rating': [None, 'valuable_contact', None, None, None, None],
    ...     'reason': [None, None, 'competitor', 'already_in_contact', 'timing', None]})
    >>> outcome_grades(frame).tolist()
    [3.0, 2.0, 0.0, nan, nan, nan]
    """
    grade = pd.Series(np.nan, index=frame.index)
    reason = frame["reason"].astype(object)
    grade = grade.mask(reason.isin(PAIR_REASONS).to_numpy(), 0.0)
    met = frame["met"].fillna(False).to_numpy(dtype=bool)
    grade = grade.mask(met, 1.0)
    grade = grade.mask(met & frame["rating"].isin(VALUABLE).to_numpy(), 2.0)
    done = (frame["agreement"].fillna(False) | frame["project"].fillna(False)).to_numpy(bool)
    return grade.mask(done, 3.0)


def position_propensity(shown_rank: np.ndarray, acted_rank: np.ndarray,
                        top: int = 50) -> np.ndarray:
    """The chance that a pair shown at rank r (1..top) was acted on: acted / shown per rank,
    smoothed (+1 / +2) and made non-increasing down the list (staff look less far down,
    never more).

    >>> p = position_propensity(np.repeat([1, 2, 3], 100), np.repeat([1, 2, 3], [60, 20, 5]))
    >>> [round(float(x), 2) for x in p[:4]]
    [0.6, 0.21, 0.06, 0.06]
    """
    shown = np.bincount(np.clip(np.asarray(shown_rank, dtype=int), 1, top),
                        minlength=top + 1)[1:]
    acted = np.bincount(np.clip(np.asarray(acted_rank, dtype=int), 1, top),
                        minlength=top + 1)[1:]
    p = (acted + 1.0) / (shown + 2.0)
    p[shown == 0] = np.nan
    p = pd.Series(p).ffill().fillna(0.5).to_numpy()
    return np.minimum.accumulate(p)


def ipw_weights(rank: np.ndarray, propensity: np.ndarray, clip: float = CLIP) -> np.ndarray:
    """Inverse-propensity weights of acted-on pairs shown at ``rank`` (a rank beyond the
    table takes its last value; no rank: the median weight), clipped and self-normalised
    (mean 1).

    >>> ipw_weights(np.array([1, 3, 0]), np.array([0.5, 0.25, 0.05])).round(3).tolist()
    [0.182, 1.818, 1.0]
    """
    rank = np.asarray(rank, dtype=float)
    known = np.isfinite(rank) & (rank >= 1)
    at = np.clip(np.nan_to_num(rank, nan=1).astype(int), 1, len(propensity)) - 1
    w = 1.0 / np.maximum(np.asarray(propensity, dtype=float)[at], clip)
    if (~known).any():
        w[~known] = np.median(w[known]) if known.any() else 1.0
    return w / w.mean() if len(w) else w


@dataclass(frozen=True)
class Reranker:
    """A fitted re-ranker: standardised features, logistic coefficients."""

    features: tuple
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    facts: dict = field(default_factory=dict)

    def score(self, X: np.ndarray) -> np.ndarray:
        """The probability of a good outcome for each row of ``X``."""
        z = (np.asarray(X, dtype=float) - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))


def fit_reranker(X: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None,
                 features=(), C: float = 1.0) -> Reranker:
    """An L2-regularised logistic regression of ``y`` (good outcome or not) on ``X``.

    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(400, 2))
    >>> y = (X[:, 0] + 0.3 * rng.normal(size=400) > 0).astype(int)
    >>> r = fit_reranker(X, y, features=('a', 'b'))
    >>> bool(r.coef[0] > 1 > abs(r.coef[1]))
    True
    """
    from sklearn.linear_model import LogisticRegression

    X = np.asarray(X, dtype=float)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=C, max_iter=1000)
    model.fit((X - mean) / scale, np.asarray(y, dtype=int), sample_weight=weights)
    return Reranker(tuple(features), mean, scale, model.coef_[0], float(model.intercept_[0]))


def weighted_auc(score: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The (weighted) probability that a good outcome is scored above a bad one (ties half).

    >>> weighted_auc(np.array([0.9, 0.8, 0.3, 0.1]), np.array([1, 0, 1, 0]))
    0.75
    """
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype=int)
    if len(np.unique(y)) < 2:
        return float("nan")
    return float(roc_auc_score(y, score, sample_weight=weights))


@dataclass(frozen=True)
class Learned:
    """What learning from the outcomes gave: the re-ranker (None: the network scorer stays),
    why, and the figures behind the decision."""

    reranker: Reranker | None
    reason: str
    figures: dict


def learn_from_outcomes(X: np.ndarray, grade: np.ndarray, rank: np.ndarray,
                        created: np.ndarray, network_score: np.ndarray,
                        propensity: np.ndarray, *, features=(),
                        min_outcomes: int = MIN_OUTCOMES, weighted: bool = True) -> Learned:
    """Fit the re-ranker on the earlier outcomes, and keep it only if it ranks the later ones
    (the latest :data:`TEST_SHARE`) better than ``network_score`` does; the final re-ranker is
    refitted on all of them. ``grade`` NaN rows are not labels and are left out.

    >>> rng = np.random.default_rng(1)
    >>> n = 300
    >>> X = rng.normal(size=(n, 2))
    >>> grade = (X[:, 1] + 0.5 * rng.normal(size=n) > 0).astype(float)
    >>> learned = learn_from_outcomes(X, grade, rng.integers(1, 10, n), np.arange(n), X[:, 0],
    ...                               np.full(10, 0.3), features=('score', 'fit'))
    >>> learned.reranker is not None, learned.figures['auc_reranker'] > 0.8
    (True, True)
    >>> learn_from_outcomes(X[:20], grade[:20], np.ones(20), np.arange(20), X[:20, 0],
    ...                     np.full(10, 0.3)).reason
    'only 20 outcomes are labels so far; the re-ranker needs 100: the network scorer stays'
    """
    keep = ~np.isnan(np.asarray(grade, dtype=float))
    X, y = np.asarray(X, dtype=float)[keep], (np.asarray(grade)[keep] >= 1).astype(int)
    rank, created = np.asarray(rank)[keep], np.asarray(created)[keep]
    network_score = np.asarray(network_score, dtype=float)[keep]
    n = len(y)
    if n < min_outcomes:
        return Learned(None, f"only {n} outcomes are labels so far; the re-ranker needs "
                             f"{min_outcomes}: the network scorer stays", {"outcomes": n})
    w = ipw_weights(rank, propensity) if weighted else np.ones(n)
    order = np.argsort(created, kind="stable")
    cut = int(round(n * (1 - TEST_SHARE)))
    train, test = order[:cut], order[cut:]
    if len(np.unique(y[train])) < 2 or len(np.unique(y[test])) < 2:
        return Learned(None, "the outcomes are all alike (all good or all bad) on one side of "
                             "the time split: the network scorer stays", {"outcomes": n})
    first = fit_reranker(X[train], y[train], w[train] / w[train].mean(), features)
    auc_rr = weighted_auc(first.score(X[test]), y[test], w[test])
    auc_net = weighted_auc(network_score[test], y[test], w[test])
    figures = {"outcomes": n, "train": len(train), "test": len(test),
               "auc_reranker": round(auc_rr, 3), "auc_network": round(auc_net, 3),
               "weighted": weighted}
    if not auc_rr > auc_net:
        return Learned(None, f"the re-ranker does not beat the network scorer on the later "
                             f"outcomes (AUC {auc_rr:.3f} against {auc_net:.3f}): the network "
                             "scorer stays", figures)
    final = fit_reranker(X, y, w, features)
    return Learned(Reranker(final.features, final.mean, final.scale, final.coef,
                            final.intercept, figures),
                   f"re-ranked by what came of {n} introductions (AUC on the later outcomes "
                   f"{auc_rr:.3f}, network scorer {auc_net:.3f})", figures)


def simulate_outcomes(seed: int = 0, *, lists: int = 600, candidates: int = 20, shown: int = 10,
                      years=(2021, 2022, 2023, 2024), explore: bool = False) -> dict:
    """A generated population where the truth is known: each year every firm's list ranks
    ``candidates`` by a network score ``s``; staff see the top ``shown`` and act mostly on the
    top (position bias: 0.9 x 0.65^(position-1)); a firm accepts an introduction by a hidden
    rule the network score does not know (a good fit ``f2``, and the same sector ``f1`` helps
    pairs the network ranks low but hurts at the top). The re-rankers learn from the years
    before the last; all three scorers rank every candidate of the last year, and the AUC
    against what the firms would have answered is returned. With ``explore`` the last shown
    slot holds a random candidate from below the cut.

    >>> figures = simulate_outcomes(0, lists=200)
    >>> sorted(figures)[:3]
    ['acted', 'auc_network', 'auc_reranker']
    """
    rng = np.random.default_rng(seed)
    n = lists * candidates
    frames = []
    for year in years:  # a few years, each all lists at once
        s = rng.exponential(1.0, n)
        f1 = (rng.random(n) < 0.3).astype(float)
        f2 = rng.normal(0.0, 1.0, n)
        truth = 1.0 / (1.0 + np.exp(-(-1.0 + 1.2 * f2 + 2.0 * f1 * (1.5 - s))))
        group = np.repeat(np.arange(lists), candidates)
        order = np.lexsort((-s, group))  # within each list, best score first
        rank = np.empty(n, dtype=int)
        rank[order] = np.tile(np.arange(1, candidates + 1), lists)
        position = np.where(rank <= shown, rank, 0)
        if explore:  # the last slot: a random candidate from below the cut
            below = np.flatnonzero(rank > shown)
            pick = below[np.unique(group[below][rng.permutation(len(below))],
                                   return_index=True)[1]]
            position[(rank == shown)] = 0
            position[pick] = shown
        seen = position > 0
        acted = seen & (rng.random(n) < 0.9 * 0.65 ** (np.maximum(position, 1) - 1))
        accept = rng.random(n) < truth
        frames.append(pd.DataFrame({"year": year, "s": s, "f1": f1, "f2": f2, "truth": truth,
                                    "accept": accept, "position": position, "seen": seen,
                                    "acted": acted}))
    data = pd.concat(frames, ignore_index=True)
    past, last = data[data["year"] < years[-1]], data[data["year"] == years[-1]]
    propensity = position_propensity(past.loc[past["seen"], "position"],
                                     past.loc[past["acted"], "position"], top=shown)
    done = past[past["acted"]]
    X = done[["s", "f1", "f2"]].to_numpy()
    grade = done["accept"].to_numpy(dtype=float)  # accepted and met: 1, declined: 0
    created = done["year"].to_numpy() + rng.random(len(done))
    out = {"acted": len(done), "explore": explore}
    for name, weighted in (("reranker", True), ("unweighted", False)):
        learned = learn_from_outcomes(X, grade, done["position"].to_numpy(), created,
                                      done["s"].to_numpy(), propensity,
                                      features=("s", "f1", "f2"), weighted=weighted)
        model = learned.reranker or fit_reranker(X, grade >= 1, None if not weighted else
                                                 ipw_weights(done["position"].to_numpy(),
                                                             propensity), ("s", "f1", "f2"))
        out[f"auc_{name}"] = round(weighted_auc(model.score(last[["s", "f1", "f2"]].to_numpy()),
                                                last["accept"].to_numpy()), 3)
        out[f"took_over_{name}"] = learned.reranker is not None
    out["auc_network"] = round(weighted_auc(last["s"].to_numpy(), last["accept"].to_numpy()), 3)
    return out
