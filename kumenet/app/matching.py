"""The decisions around partner matching that the command line and the portal share: which
scorer to use and why, the size of a consortium as people write it, the years a scorer
learns from or is tested on."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError

__all__ = ["choose", "consortium_size", "training_cut", "evaluation_horizon", "OUTCOME_FEATURES",
           "pair_features", "learning_table", "learned_reranker", "rerank", "with_exploration"]


def choose(net, *, method: str = "default", model=None, retrain: bool = False, layers=None,
           as_of: int | None = None, seed: int = 0, lang: str = "tr", notify=None,
           progress=None):
    """The scorer to match with and the sentence that says why: a saved model (``model``),
    the default scorer (trained on the network's history once, then from the cache), or a
    heuristic by name.

    >>> choose(None, method="adamic_adar")[0]
    'adamic_adar'
    """
    from kumenet.messages import text

    if model is not None:
        from kumenet.matching.scorers import TrainedScorer

        scorer = TrainedScorer.load(model)
        return scorer, text("scorer.model", lang, path=str(model),
                            positives=str(scorer.params.get("positives", "?")))
    if method != "default":
        return method, ""
    from kumenet.matching.model import choose_scorer

    choice = choose_scorer(net, layers=layers, as_of=as_of, seed=seed, retrain=retrain,
                           notify=notify, lang=lang, progress=progress)
    return choice.scorer, choice.reason


def consortium_size(size: str) -> tuple[int, int]:
    """``"3-6"`` -> (3, 6); ``"4"`` -> (4, 4).

    >>> consortium_size("3-6"), consortium_size(" 4 ")
    ((3, 6), (4, 4))
    >>> consortium_size("three")
    Traceback (most recent call last):
    ...
    kumenet.errors.KumenetError: 'three' is not MIN-MAX (a consortium size such as 3-6)
    """
    low, _, high = size.strip().partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        raise KumenetError(f"{size!r} is not MIN-MAX (a consortium size such as 3-6)") from None


def training_cut(net, cut: int | None, horizon: int) -> int:
    """The year a scorer learns from: ``cut``, or the last year of the ties minus
    ``horizon``.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> training_cut(net, None, 1), training_cut(net, 2020, 1)
    (2023, 2020)
    """
    if cut is not None:
        return cut
    years = net.edges["year"].dropna()
    if years.empty:
        raise KumenetError("the ties have no years: nothing to learn a history from")
    return int(years.max()) - horizon


def evaluation_horizon(net, split_year: int, until: int | None) -> int | None:
    """The years after ``split_year`` an evaluation tests on (None: all of them), once the
    network is checked to have ties on both sides of the split.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> evaluation_horizon(net, 2021, None), evaluation_horizon(net, 2021, 2023)
    (None, 2)
    """
    span = net.years()
    if span is None:
        raise KumenetError("the ties have no year: evaluation learns from the past and tests "
                           "on the future, so it needs a year column in the edges")
    if split_year >= span[1]:
        raise KumenetError(f"no ties after {split_year}; the last year is {span[1]}: choose a "
                           f"split year before it")
    net.check_as_of(split_year)
    return None if until is None else until - split_year


# -- learning from outcomes ---------------------------------------------------------------------

#: The pair features the outcome re-ranker reads (see :func:`pair_features`).
OUTCOME_FEATURES = ("adamic_adar", "common_neighbours", "log_degree_product", "same_province",
                    "same_division", "abroad", "size_gap")


def pair_features(net, source, target, as_of=None) -> np.ndarray:
    """The re-ranker's features of each pair (:data:`OUTCOME_FEATURES`) from the network as
    of ``as_of`` (one year for all pairs, or one per pair: each pair sees only the ties up
    to its year, so what came after never leaks in). Column 0, Adamic-Adar, is the network
    scorer the re-ranker must beat.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> X = pair_features(net, ['F000001', 'F000001'], ['F000006', 'F000500'], 2020)
    >>> X.shape, X[:, 3].tolist()
    ((2, 7), [1.0, 0.0])
    """
    import scipy.sparse as sp

    u = np.asarray(net.index_of(list(source)), dtype=np.int64)
    v = np.asarray(net.index_of(list(target)), dtype=np.int64)
    years = np.broadcast_to(np.asarray(as_of if as_of is not None else -1), u.shape)
    out = np.zeros((len(u), len(OUTCOME_FEATURES)))
    nodes = net.nodes
    province = nodes["province"].astype(object).to_numpy()
    division = nodes["sector"].astype(str).str[:2].to_numpy(dtype=object)
    country = nodes["country"].astype(object).to_numpy()
    size = np.log1p(pd.to_numeric(nodes.get("employees", pd.Series(np.nan, index=nodes.index)),
                                  errors="coerce").fillna(0).to_numpy(dtype=float))
    for year in np.unique(years):  # a few years
        rows = np.flatnonzero(years == year)
        a, b, _, _ = net.ties(as_of=None if year < 0 else int(year))
        n = net.n_nodes
        A = sp.csr_array((np.ones(len(a)), (a, b)), shape=(n, n))
        A = ((A + A.T) > 0).astype(float)
        deg = np.asarray(A.sum(axis=1)).ravel()
        inv = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2)), 0.0)
        both = A[u[rows]].multiply(A[v[rows]])
        out[rows, 0] = both @ inv
        out[rows, 1] = np.asarray(both.sum(axis=1)).ravel()
        out[rows, 2] = np.log1p(deg[u[rows]] * deg[v[rows]])
    def same(col):
        return (col[u] == col[v]).astype(bool) & pd.notna(col[u])

    out[:, 3] = same(province)
    out[:, 4] = same(division)
    out[:, 5] = country[u] != country[v]
    out[:, 6] = np.abs(size[u] - size[v])
    return out


def learning_table(ws) -> pd.DataFrame:
    """Every introduction of the workspace with what came of it, as the re-ranker reads it:
    ``source``, ``target``, ``created_at``, ``rank`` (where the pair was shown: the
    introduction's own, else the best logged impression's), ``met``, ``agreement``,
    ``project``, ``rating`` (the best follow-up rating) and ``reason`` (why it was declined).

    >>> import tempfile, pathlib
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.records import add_event, create_introduction
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> intro = create_introduction(ws, me, 'F1', 'F2', rank=3)
    >>> _ = add_event(ws, me, intro['id'], 'declined', side='b', reason='competitor')
    >>> learning_table(ws)[['source', 'rank', 'met', 'reason']].values.tolist()
    [['F1', 3.0, False, 'competitor']]
    """
    import sqlalchemy as sa

    from kumenet.workspace.schema import events, impressions, introductions as intro

    with ws.read() as conn:
        table = pd.DataFrame(conn.execute(sa.select(
            intro.c.id, intro.c.source, intro.c.target, intro.c.created_at, intro.c.rank,
            intro.c.reached_met_at, intro.c.agreement_at, intro.c.project_at)).all(),
            columns=["id", "source", "target", "created_at", "rank", "met", "agreement",
                     "project"])
        steps = pd.DataFrame(conn.execute(sa.select(
            events.c.introduction_id, events.c.to_stage, events.c.reason, events.c.details)
            .where(events.c.to_stage.in_(["declined", "follow_up"]))
            .order_by(events.c.introduction_id, events.c.seq)).all(),
            columns=["id", "stage", "reason", "details"])
        shown = pd.DataFrame(conn.execute(sa.select(
            impressions.c.source, impressions.c.target,
            sa.func.min(impressions.c.rank).label("shown_rank"))
            .group_by(impressions.c.source, impressions.c.target)).all(),
            columns=["source", "target", "shown_rank"])
    declined = steps[steps["stage"] == "declined"].drop_duplicates("id", keep="last")
    table["reason"] = table["id"].map(declined.set_index("id")["reason"])
    follow = steps[steps["stage"] == "follow_up"]
    rating = follow["details"].map(lambda d: (d or {}).get("rating"))  # a few per introduction
    from kumenet.matching.outcomes import VALUABLE

    best = follow.assign(valuable=rating.isin(VALUABLE)).groupby("id")["valuable"].any()
    table["rating"] = np.where(table["id"].isin(best.index[best.to_numpy(dtype=bool)]),
                               "valuable_contact", None)
    table = table.merge(shown, on=["source", "target"], how="left")
    table["rank"] = table["rank"].astype(float).fillna(table.pop("shown_rank").astype(float))
    for column in ("met", "agreement", "project"):
        table[column] = table[column].notna()
    return table.drop(columns="id")


def learned_reranker(ws, net, *, min_outcomes: int | None = None):
    """What the workspace's outcomes teach (a :class:`~kumenet.matching.outcomes.Learned`):
    the pairs introduced, their outcomes as labels, their features from the network as of
    the year before each introduction, weighted by where they were shown. Pairs the network
    does not know (a refreshed network) are left out.

    >>> import tempfile, pathlib
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.workspace.auth import add_user, login
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.records import create_introduction
    >>> ws, _, _ = init_workspace(pathlib.Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> _ = create_introduction(ws, me, 'F000001', 'F000002', rank=1)
    >>> learned_reranker(ws, read_network('sample_networks/pilot')).reason
    'only 0 outcomes are labels so far; the re-ranker needs 100: the network scorer stays'
    """
    from kumenet.matching import outcomes as oc

    table = learning_table(ws)
    known = table["source"].isin(net.ids) & table["target"].isin(net.ids)
    table = table[known.to_numpy()].reset_index(drop=True)
    grade = oc.outcome_grades(table).to_numpy()
    with ws.read() as conn:
        import sqlalchemy as sa

        from kumenet.workspace.schema import impressions

        ranks = pd.DataFrame(conn.execute(sa.select(impressions.c.rank)).all(), columns=["rank"])
    propensity = oc.position_propensity(ranks["rank"].fillna(1).to_numpy(),
                                        table["rank"].dropna().to_numpy())
    labelled = ~np.isnan(grade)
    X = np.zeros((len(table), len(OUTCOME_FEATURES)))
    if labelled.any():
        year = pd.to_datetime(table["created_at"]).dt.year.to_numpy() - 1
        X[labelled] = pair_features(net, table["source"][labelled], table["target"][labelled],
                                    year[labelled])
    created = pd.to_datetime(table["created_at"]).to_numpy(dtype="datetime64[s]").astype(float)
    return oc.learn_from_outcomes(X, grade, table["rank"].to_numpy(), created, X[:, 0],
                                  propensity, features=OUTCOME_FEATURES,
                                  min_outcomes=min_outcomes or oc.MIN_OUTCOMES)


def rerank(table: pd.DataFrame, net, reranker, k: int) -> pd.DataFrame:
    """Suggestions re-ordered by a learned re-ranker within each firm's list (and scope):
    ``outcome_score`` added, ``rank`` renumbered, the best ``k`` kept.

    >>> from kumenet.graph.io import read_network
    >>> from kumenet.matching.outcomes import Reranker
    >>> net = read_network('sample_networks/pilot')
    >>> table = pd.DataFrame({'source': ['F000001'] * 3, 'target': ['F000006', 'F000500',
    ...                       'F000002'], 'rank': [1, 2, 3], 'score': [0.9, 0.5, 0.4]})
    >>> new_circles = Reranker(OUTCOME_FEATURES, np.zeros(7), np.ones(7),
    ...                        np.array([-1.0, 0, 0, 0, 0, 0, 0]), 0.0)  # fewer shared partners
    >>> rerank(table, net, new_circles, 2)['target'].tolist()
    ['F000500', 'F000002']
    """
    if table.empty:
        return table.assign(outcome_score=pd.Series(dtype=float))
    X = pair_features(net, table["source"].astype(str), table["target"].astype(str))
    out = table.assign(outcome_score=reranker.score(X))
    keys = ["source", "scope"] if "scope" in out else ["source"]
    out = out.sort_values([*keys, "outcome_score", "rank"], ascending=[True] * len(keys) +
                          [False, True], kind="stable")
    out["rank"] = out.groupby(keys, sort=False).cumcount() + 1
    return out[out["rank"] <= k].reset_index(drop=True)


def with_exploration(table: pd.DataFrame, pool: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Each list's last slot given to a candidate from below the cut (``pool``: the same
    firms' candidates ranked after the list), marked ``exploratory`` so staff know: what
    is learnt from outcomes then also sees pairs the scorer would not have shown.

    >>> table = pd.DataFrame({'source': ['A', 'A'], 'target': ['B', 'C'], 'rank': [1, 2]})
    >>> pool = pd.DataFrame({'source': ['A', 'A'], 'target': ['D', 'E'], 'rank': [3, 4]})
    >>> with_exploration(table, pool, seed=1)[['target', 'rank', 'exploratory']].values.tolist()
    [['B', 1, False], ['D', 2, True]]
    """
    keys = ["source", "scope"] if "scope" in table else ["source"]
    out = table.assign(exploratory=False)
    if pool.empty or table.empty:
        return out
    rng = np.random.default_rng(seed)
    shuffled = pool.assign(_r=rng.random(len(pool))).sort_values("_r", kind="stable")
    picked = shuffled.drop_duplicates(keys).drop(columns="_r")
    last = (out.groupby(keys, sort=False)["rank"].transform("max") == out["rank"]).to_numpy()
    picked = picked.drop(columns="rank").merge(out[last][[*keys, "rank"]], on=keys)
    # a list's last row gives way where a candidate below its cut was picked
    mask = last & out.set_index(keys).index.isin(picked.set_index(keys).index)
    out = pd.concat([out[~mask], picked.assign(exploratory=True)], ignore_index=True)
    return out.sort_values([*keys, "rank"], kind="stable").reset_index(drop=True)
