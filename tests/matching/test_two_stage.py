"""Two-stage ranking: what the first stage keeps, what the full model then decides."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kumenet.matching.candidates import (WALKED, candidate_block, prepare, rank_within,
                                        walked_features)
from kumenet.matching.model import choose_scorer
from kumenet.matching.recommend import recommend_partners, resolve_sources
from kumenet.matching.scorers import TrainedScorer, needed_features
from kumenet.memory import reuse_freed_memory

FIRMS = ["F000010", "F000300", "F000123", "F000042"]


def _candidates(net, scorer, firms):
    g = prepare(net, n_active=scorer.params.get("n_active", 50))
    return g, candidate_block(g, resolve_sources(net, firms), 100, needed_features(scorer))


def test_the_default_scorer_has_a_first_stage_of_cheap_features(pilot, tmp_path):
    scorer = choose_scorer(pilot).scorer
    assert scorer.first is not None and scorer.keep == 40
    assert not set(scorer.first_features) & WALKED
    assert scorer.deferred == set(scorer.features) & WALKED and scorer.deferred
    scorer.save(tmp_path / "m.npz")
    loaded = TrainedScorer.load(tmp_path / "m.npz")
    assert (loaded.keep, loaded.first_features) == (scorer.keep, scorer.first_features)
    np.testing.assert_array_equal(loaded.first.value, scorer.first.value)


def test_walked_features_later_equal_the_ones_computed_at_once(pilot):
    scorer = choose_scorer(pilot).scorer
    g, full = _candidates(pilot, scorer, FIRMS)
    deferred = candidate_block(g, resolve_sources(pilot, FIRMS), 100, needed_features(scorer),
                               defer=scorer.deferred)
    assert not set(deferred.columns) & WALKED
    later = walked_features(g, deferred["source"].to_numpy(), deferred["target"].to_numpy(),
                            scorer.deferred)
    assert (full["shared_institutions"] > 0).any() and (full["cn_in"] > 0).any()
    for name, values in later.items():
        np.testing.assert_array_equal(values, full[name].to_numpy())


def test_suggestions_are_the_full_models_best_among_what_the_first_stage_keeps(pilot):
    scorer = choose_scorer(pilot).scorer
    _, f = _candidates(pilot, scorer, FIRMS)
    for keep in (7, 10_000):  # a narrow first stage, and one that keeps everything
        staged = dataclasses.replace(scorer, keep=keep)
        kept = staged.first_stage(f, f["source"].to_numpy())
        assert (pd.Series(kept).groupby(f["source"].to_numpy()).sum() <= keep).all()
        t = f[kept].assign(score=staged.score(f[kept]))
        t = t.sort_values(["source", "score", "target"], ascending=[True, False, True])
        expected = t.groupby("source").head(5)
        got = recommend_partners(pilot, FIRMS, k=5, method=staged)
        ids = pilot.nodes["id"].to_numpy()
        assert sorted(zip(got["source"], got["target"])) == \
            sorted(zip(ids[expected["source"]], ids[expected["target"]]))
        np.testing.assert_allclose(np.sort(got["score"].to_numpy()),
                                   np.sort(expected["score"].to_numpy().round(6)))
    # Evaluation ranks the same way: kept candidates first, by the full model.
    staged = dataclasses.replace(scorer, keep=7)
    ranking = staged.ranking(f, f["source"].to_numpy())
    kept = staged.first_stage(f, f["source"].to_numpy())
    assert ranking[kept].min() >= 1.0 > ranking[~kept].max()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([0.0, 1.0, 2.5, 1e-3, 3e-3, -4.0,
                                                                  1e9, 0.1 + 0.2, 0.3])),
                min_size=1, max_size=80))
def test_ranks_within_a_group_are_pandas_min_ranks(rows):
    group = np.array([r[0] for r in rows], dtype=np.int64)
    value = np.array([r[1] for r in rows])
    expected = pd.Series(value).groupby(group).rank(ascending=False, method="min").to_numpy()
    got = rank_within(group, value)
    # 0.1 + 0.2 and 0.3 differ in the last bit only: a tie by design.
    same = np.isclose(value, 0.3)
    if same.sum() > 1:
        expected = pd.Series(np.where(same, 0.3, value)).groupby(group).rank(
            ascending=False, method="min").to_numpy()
    np.testing.assert_array_equal(got, expected)


def test_block_work_with_reused_memory_gives_the_same_suggestions(pilot):
    a = recommend_partners(pilot, FIRMS, k=5, method="adamic_adar")
    with reuse_freed_memory(), reuse_freed_memory():  # nested: the outer one restores
        b = recommend_partners(pilot, FIRMS, k=5, method="adamic_adar")
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=6, max_size=6), min_size=0, max_size=5),
       st.lists(st.text(alphabet="aıİ; ,şx", max_size=4), min_size=6, max_size=6))
def test_reasons_join_the_parts_that_apply_like_plain_python(masks, names):
    """The one-concatenation join of reason parts against the obvious loop (pyarrow 26's
    null-skipping join drops rows, so the implementation must not lean on it)."""
    import pyarrow as pa

    from kumenet.matching.recommend import _joined

    column = pa.array(names, type=pa.string())
    parts = [(np.array(mask), (f"p{i} ", column, "!")) for i, mask in enumerate(masks)]
    got = _joined(parts, "; ", otherwise="none") if parts else None
    if not parts:
        return
    for row in range(6):
        texts = [f"p{i} {names[row]}!" for i, mask in enumerate(masks) if mask[row]]
        assert got[row].as_py() == ("; ".join(texts) if texts else "none")


def test_the_active_actors_of_the_country_a_firm_works_with_are_its_candidates():
    """A firm with partners mostly in Germany gets Germany's most active firms of its sector
    as candidates (its own country's when it has no partner abroad)."""
    from kumenet.graph.network import Network

    nodes = pd.DataFrame({
        "id": ["s", "de1", "de2", "fr1", "tr1", "deA", "deB", "deC", "trA", "z"],
        "kind": "firm", "sector": ["22.29"] * 9 + ["13.93"],
        "country": ["TR", "DE", "DE", "FR", "TR", "DE", "DE", "DE", "TR", "DE"]})
    # s works with two German firms and a French one; deA, deB, deC are Germany's busy
    # sector-22 firms (tied among themselves); z is busy but of another sector.
    pairs = [("s", "de1"), ("s", "de2"), ("s", "fr1"), ("tr1", "trA"), ("deA", "deB"),
             ("deA", "deC"), ("deB", "deC"), ("deA", "z"), ("deB", "z"), ("deC", "z")]
    edges = pd.DataFrame({"source": [a for a, _ in pairs], "target": [b for _, b in pairs],
                          "layer": "collaboration", "weight": 1, "year": 2020})
    net = Network.from_frames(nodes, edges)
    g = prepare(net, n_place=2)
    ids = net.nodes["id"].to_numpy()
    de = int(g.country[resolve_sources(net, "deA")[0]])
    assert g.main_country[resolve_sources(net, "s")[0]] == de
    assert g.main_country[resolve_sources(net, "tr1")[0]] == g.country[resolve_sources(net, "tr1")[0]]
    f = candidate_block(g, resolve_sources(net, ["s"]), 100, {"deg_t"})
    found = set(ids[f["target"]])
    busiest = set(ids[g.top_by_place[(de, int(g.sector[resolve_sources(net, "s")[0]]))]])
    assert len(busiest) == 2 and busiest <= {"deA", "deB", "deC"} and busiest <= found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5000), st.sampled_from([0.0, 1.0, 2.5, 1e-3, 3e-3,
                                                                     -4.0, 1e9, 0.5])),
                min_size=1, max_size=80))
def test_entries_rank_by_row_then_best_score_then_position(rows):
    """The packed sort ranks as a stable sort by (row, score descending) would."""
    from kumenet.matching.candidates import _ranked

    row = np.array([r[0] for r in rows], dtype=np.int64)
    score = np.array([r[1] for r in rows])
    order, rank = _ranked(row, score)
    expected = np.lexsort((np.arange(len(row)), -score, row))
    np.testing.assert_array_equal(order, expected)
    starts = pd.Series(np.arange(len(row))).groupby(row[expected]).transform("min").to_numpy()
    np.testing.assert_array_equal(rank, np.arange(len(row)) - starts)


@pytest.mark.parametrize("seed", range(6))
def test_best_entries_per_row_are_those_of_a_full_ranking(seed):
    """The bucketed pre-selection keeps exactly what a full ranking ranks under the limit,
    in the same order, with ties, constant rows, short rows and per-row limits."""
    from kumenet.matching.candidates import _best_ranked, _ranked

    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 400, 60)
    rows = np.repeat(np.arange(60) * 3, lengths)  # ascending, with gaps
    score = rng.exponential(1.0, len(rows)).round(seed % 3)  # rounded: many ties
    score[rows == rows[0]] = 2.5  # a constant row
    limit = rng.integers(0, 50, len(rows))[np.searchsorted(np.unique(rows), rows)] \
        if seed % 2 else 10
    order, rank = _ranked(rows, score)
    expected = rank < np.broadcast_to(limit, len(rows))[order]
    got, got_rank = _best_ranked(rows, score, limit)
    np.testing.assert_array_equal(got, order[expected])
    np.testing.assert_array_equal(got_rank, rank[expected])


def test_scoring_in_chunks_gives_the_scores_of_the_whole_matrix(pilot):
    """Large inputs are scored chunk by chunk with the compiled walker: the same
    probabilities as numpy's walk of the whole matrix, chunk edges included."""
    forest = choose_scorer(pilot).scorer.forest
    rng = np.random.default_rng(3)
    X = rng.exponential(2.0, (60_001, int(forest.feature.max()) + 1))
    X[rng.random(X.shape) < 0.01] = np.nan
    expected = 1.0 / (1.0 + np.exp(-forest.raw(X)))
    got = forest.probability_of(list(X.T), chunk=7_000)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    np.testing.assert_allclose(forest.probability_of(list(X[:5].T)), expected[:5], rtol=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_ranks_of_groups_that_come_one_after_another_are_pandas_min_ranks(seed):
    """A block's candidates come grouped by firm: the packed sort for that case ranks as
    pandas does (and as the general path does on the same values shuffled)."""
    rng = np.random.default_rng(seed)
    group = np.repeat(np.arange(300) * 2, rng.integers(1, 90, 300))
    value = rng.exponential(3.0, len(group)).round(seed)  # rounded: many ties
    expected = pd.Series(value).groupby(group).rank(ascending=False, method="min").to_numpy()
    np.testing.assert_array_equal(rank_within(group, value), expected)
    shuffled = rng.permutation(len(group))
    np.testing.assert_array_equal(rank_within(group[shuffled], value[shuffled]),
                                  expected[shuffled])


@pytest.mark.parametrize("seed", range(3))
def test_keys_looked_up_in_ascending_order_are_found_where_they_are(seed, monkeypatch):
    """Many wanted keys are sorted before the binary searches: the same positions and hits
    as searching them in the order given, duplicates, misses and keys past the end included."""
    from kumenet.matching import candidates

    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(0, 10**9, 5_000))
    wanted = np.concatenate([rng.choice(keys, 3_000), rng.integers(0, 2 * 10**9, 3_000)])
    rng.shuffle(wanted)
    plain_pos, plain_hit = candidates.find_keys(keys, wanted)
    monkeypatch.setattr(candidates, "_SORTED_LOOKUP", 100)
    pos, hit = candidates.find_keys(keys, wanted)
    np.testing.assert_array_equal(hit, plain_hit)
    np.testing.assert_array_equal(pos, plain_pos)
    assert hit.sum() >= 3_000 and (~hit).sum() > 0
    np.testing.assert_array_equal(keys[pos[hit]], wanted[hit])
