"""The default scorer: trained once, cached, scored without scikit-learn, honest about itself."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.matching import cache
from kumenet.matching.model import MODEL_FEATURES, choose_scorer
from kumenet.matching.recommend import recommend_partners
from kumenet.matching.scorers import Forest, TrainedScorer
from tests.conftest import PILOT


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KUMENET_CACHE_DIR", str(folder))
    return folder


def test_the_forest_scores_exactly_as_scikit_learn(pilot):
    from sklearn.ensemble import HistGradientBoostingClassifier

    from kumenet.matching.pairs import pair_table

    table = pair_table(pilot, as_of=2022, horizon=1).table
    X = table[MODEL_FEATURES].to_numpy(dtype=float)
    X[::5, 2] = np.nan  # missing values take the side the tree learned
    model = HistGradientBoostingClassifier(max_iter=25, random_state=0).fit(X, table["label"])
    forest = Forest.from_sklearn(model)
    expected = model.predict_proba(X)[:, 1]
    np.testing.assert_allclose(1 / (1 + np.exp(-forest.raw(X))), expected, rtol=0, atol=1e-12)
    big = np.concatenate([X] * 3)  # the compiled path for large inputs gives the same
    np.testing.assert_allclose(forest.probability(big), np.concatenate([expected] * 3), atol=1e-12)


def test_miss_then_hit_gives_the_same_scorer_and_suggestions(pilot, own_cache):
    first = choose_scorer(pilot)
    assert not first.cached and first.name == "trained"
    assert [p.suffix for p in own_cache.iterdir()] == [".npz"]
    second = choose_scorer(pilot)
    assert second.cached and second.reason == first.reason + " (cached)"
    a = recommend_partners(pilot, ["F000010", "F000300"], k=5, method=first.scorer)
    b = recommend_partners(pilot, ["F000010", "F000300"], k=5, method=second.scorer)
    pd.testing.assert_frame_equal(a, b)


def test_the_key_follows_the_network_and_the_parameters(pilot, tiny):
    key = cache.content_key(pilot, {"seed": 0})
    assert key == cache.content_key(pilot, {"seed": 0})
    assert key != cache.content_key(pilot, {"seed": 1})
    assert key != cache.content_key(pilot.select(as_of=2023), {"seed": 0})
    assert key != cache.content_key(tiny, {"seed": 0})


def test_retrain_replaces_and_a_damaged_file_means_retraining(pilot, own_cache):
    choose_scorer(pilot)
    [path] = own_cache.iterdir()
    assert not choose_scorer(pilot, retrain=True).cached
    path.write_bytes(b"PK\x03\x04 not an archive any more")
    with pytest.warns(UserWarning, match="damaged or not kumenet's; training again"):
        again = choose_scorer(pilot)
    assert not again.cached and choose_scorer(pilot).cached


def test_a_foreign_file_under_the_key_is_not_trusted(pilot, own_cache, tiny):
    choose_scorer(pilot)
    [path] = own_cache.iterdir()
    other = TrainedScorer.load(path)
    other.params["cache_key"] = "someone else's"
    other.save(path)
    with pytest.warns(UserWarning, match="damaged or not kumenet's"):
        assert not choose_scorer(pilot).cached


def test_the_cache_keeps_within_its_size_dropping_the_least_recently_used(pilot, own_cache,
                                                                          monkeypatch):
    paths = []
    for seed in range(3):
        before = set(own_cache.glob("*.npz"))
        choose_scorer(pilot, seed=seed)
        [new] = set(own_cache.glob("*.npz")) - before
        os.utime(new, (1000 + seed, 1000 + seed))
        paths.append(new)
    os.utime(paths[0], (2000, 2000))  # the first one was used again lately
    keep = paths[0].stat().st_size + paths[2].stat().st_size
    monkeypatch.setenv("KUMENET_CACHE_MAX_MB", str(keep / 2**20))
    cache.prune()
    assert sorted(own_cache.glob("*.npz")) == sorted([paths[0], paths[2]])


def test_a_cache_that_cannot_be_written_only_warns(pilot, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("KUMENET_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(UserWarning, match="could not keep the trained scorer"):
        assert choose_scorer(pilot).name == "trained"


def test_too_little_history_falls_back_to_adamic_adar_and_says_so(tiny, own_cache):
    choice = choose_scorer(tiny, as_of=2017)  # ties in 2016 and 2017 only
    assert choice.scorer == "adamic_adar"
    assert "too little history" in choice.reason and "Adamic-Adar" in choice.reason
    with pytest.warns(UserWarning, match="duplicate ties"):  # the pair tied in two years
        undated = Network.from_frames(tiny.nodes, tiny.edges.drop(columns="year"))
    assert choose_scorer(undated, lang="tr").reason == ("bağların yılı yok, öğrenilecek geçmiş "
                                                        "yok: Adamic-Adar")
    few_pairs = choose_scorer(tiny)  # three years, but hardly a new pair to learn from
    assert few_pairs.scorer == "adamic_adar"
    assert "only 2 new pairs after 2022 among the candidates, 50 needed): Adamic-Adar" in \
        few_pairs.reason
    turkish = choose_scorer(tiny, lang="tr").reason  # Turkish throughout, not half English
    assert turkish.startswith("öğrenmek için geçmiş yetersiz (adaylar arasında 2022 sonrasında "
                              "yalnızca ") and turkish.endswith(" yeni ikili var, 50 gerekli): "
                                                               "Adamic-Adar")


def test_model_files_are_plain_arrays_and_pickles_are_refused(pilot, tmp_path):
    import joblib

    scorer = choose_scorer(pilot).scorer
    path = tmp_path / "model.npz"
    scorer.save(path)
    loaded = TrainedScorer.load(path)
    assert loaded.features == scorer.features and loaded.params == scorer.params
    pickled = tmp_path / "model.joblib"
    joblib.dump(scorer, pickled)
    with pytest.raises(KumenetError, match="not a kumenet model file"):
        TrainedScorer.load(pickled)
    arrays = dict(np.load(path, allow_pickle=False))
    arrays["left"] = arrays["left"] + 10**6  # trees that point outside themselves
    with open(tmp_path / "bad.npz", "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(KumenetError, match="inconsistent trees"):
        TrainedScorer.load(tmp_path / "bad.npz")
    # A file naming a feature kumenet does not compute (another version's) is refused when
    # it is loaded, not when the first block asks for the feature.
    arrays = dict(np.load(path, allow_pickle=False))
    meta = json.loads(str(arrays["meta"]))
    meta["features"] = [*meta["features"][:-1], "tomorrows_feature"]
    arrays["meta"] = np.array(json.dumps(meta))
    with open(tmp_path / "future.npz", "wb") as fh:
        np.savez(fh, **arrays)
    with pytest.raises(KumenetError, match="does not compute: tomorrows_feature"):
        TrainedScorer.load(tmp_path / "future.npz")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_match_says_which_scorer_it_used(own_cache):
    first = run("match", PILOT, "--firm", "F000010", "--top", "2", "--format", "csv",
                "--lang", "en")
    assert first.exit_code == 0
    assert "training a partner scorer on the history up to 2024" in first.stderr
    assert "scorer: trained on the network's history (candidates as of 2023" in first.stderr
    second = run("match", PILOT, "--firm", "F000010", "--top", "2", "--format", "csv",
                 "--lang", "en")
    assert second.stderr.strip().endswith("(cached)") and second.stdout == first.stdout
    quiet = run("-q", "match", PILOT, "--firm", "F000010", "--top", "2", "--format", "csv",
                "--lang", "en")
    assert quiet.stderr == "" and quiet.stdout == first.stdout
    heuristic = run("match", PILOT, "--firm", "F000010", "--method", "adamic_adar")
    assert "puanlayıcı:" not in heuristic.stderr and "scorer:" not in heuristic.stderr
    turkish = run("match", PILOT, "--firm", "F000010", "--top", "2", "--format", "csv")
    assert turkish.stderr.strip() == ("puanlayıcı: ağın geçmişiyle eğitildi (2023 adayları; "
                                      "669 tanesi 2024 yılında ortak oldu; 28 artırma turu) "
                                      "(önbellekten)")


def test_names_are_found_before_a_scorer_is_trained(own_cache):
    """A mistyped firm stops match at once, not after training; a name given without its
    legal form is found and said once."""
    wrong = run("match", PILOT, "--firm", "Yıldız Medikl", "--lang", "en")
    assert wrong.exit_code == 1 and "did you mean" in wrong.stderr
    assert "training" not in wrong.stderr and not own_cache.exists()
    short = run("match", PILOT, "--firm", "yıldız medikal", "--top", "2", "--format", "csv",
                "--method", "adamic_adar")
    assert short.exit_code == 0, short.output
    assert short.stderr.count("read as 'Yıldız Medikal San. Tic. Ltd. Şti.' (id F000001)") == 1
    assert short.stdout.splitlines()[1].startswith("F000001,")


def test_source_kinds_choose_whose_partners_are_suggested(pilot):
    kinds = pilot.nodes["kind"].astype(str).to_numpy()
    by_kind = {}
    for source_kind in ("firm", "institution", "any"):
        table = recommend_partners(pilot, None, k=3, method="adamic_adar",
                                   source_kind=source_kind)
        sources = pilot.index_of(table["source"].unique().tolist())
        by_kind[source_kind] = set(sources.tolist())
        if source_kind != "any":
            assert set(kinds[sources]) == {source_kind}
    assert by_kind["any"] == by_kind["firm"] | by_kind["institution"]
    assert len(by_kind["institution"]) > 20
    with pytest.raises(KumenetError, match="source kind must be one of"):
        recommend_partners(pilot, None, method="adamic_adar", source_kind="university")


def test_match_all_institutions_from_the_command_line(tmp_path):
    out = tmp_path / "s.csv"
    result = run("match", PILOT, "--all", "--source-kind", "institution", "--top", "2",
                 "--method", "adamic_adar", "-o", out)
    assert result.exit_code == 0
    table = pd.read_csv(out)
    assert table["source"].str.startswith("I-").all() and table["source"].nunique() > 20


def test_evaluate_reports_per_source_kind():
    result = run("evaluate", PILOT, "--split-year", "2022", "--methods", "adamic_adar",
                 "--format", "csv")
    table = pd.read_csv(pd.io.common.StringIO(result.stdout))
    rows = table[table["scope"] == "all"].set_index("source_kind")
    assert {"all", "firm", "institution"} <= set(rows.index)
    assert rows.loc["firm", "sources"] + rows.loc["institution", "sources"] == rows.loc["all", "sources"]


def test_options_that_would_be_ignored_are_usage_errors():
    result = run("match", PILOT, "--firm", "F000010", "--source-kind", "institution")
    assert result.exit_code == 2 and "--source-kind chooses whose partners --all suggests" in result.output
    result = run("match", PILOT, "--firm", "F000010", "--method", "katz", "--retrain")
    assert result.exit_code == 2 and "--retrain trains the default scorer again" in result.output


def test_damaged_model_files_are_refused_or_score_never_crash_or_hang(pilot, tmp_path):
    """Arrays of the wrong type, shape or links (a crafted file could loop the tree walk)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    scorer = choose_scorer(pilot).scorer
    good = tmp_path / "good.npz"
    scorer.save(good)
    arrays = dict(np.load(good, allow_pickle=False))
    X = np.random.default_rng(0).random((50, len(scorer.features)))

    @settings(max_examples=60, suppress_health_check=list(HealthCheck), deadline=5000)
    @given(name=st.sampled_from(sorted(arrays)), how=st.sampled_from(["self", "back", "big",
                                                                          "text", "2d", "short"]))
    def check(name, how):
        changed = dict(arrays)
        a = changed[name]
        if how == "self":  # a node whose child is itself
            a = a.copy()
            a[...] = 0
        elif how == "back":
            a = -np.abs(a) - 1 if a.dtype.kind in "iuf" else a
        elif how == "big":
            a = a + 10**9 if a.dtype.kind in "iuf" else a
        elif how == "text":
            a = a.astype(str)
        elif how == "2d":
            a = np.stack([a, a])
        else:
            a = a[: len(a) // 2] if a.ndim else a
        changed[name] = a
        path = tmp_path / "bad.npz"
        with open(path, "wb") as fh:
            np.savez(fh, **changed)
        try:
            loaded = TrainedScorer.load(path)
        except KumenetError:
            return
        assert np.isfinite(loaded.forest.probability(X)).all()
        if loaded.first is not None:
            Y = X[:, :len(loaded.first_features)]
            assert np.isfinite(loaded.first.probability(Y)).all()

    check()


def test_learning_on_bin_numbers_is_learning_on_the_values(pilot):
    """Training bins once, unweighted (scikit-learn's weighted bin edges cost 0.9 s a fit), and
    maps the learned split points back to values: the same scores, and the same bins as
    scikit-learn's own unweighted binning."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from kumenet.matching.pairs import pair_table
    from kumenet.matching.model import bin_columns, on_values

    table = pair_table(pilot, as_of=2022, horizon=1).table
    # Fewer than 200,000 rows (above that scikit-learn bins a sample of them) and no early
    # stopping (scikit-learn would bin the rows it keeps for training only).
    X = table[MODEL_FEATURES].to_numpy(dtype=float)[:100_000]
    X[::7, 3] = np.nan
    y = table["label"].to_numpy()[:100_000]
    codes, edges = bin_columns(X, max_bins=31)  # some columns binned at quantiles
    assert any(len(e) == 30 for e in edges) and any(len(e) < 30 for e in edges)
    weighted = HistGradientBoostingClassifier(max_iter=20, class_weight="balanced",
                                              max_bins=31, random_state=0).fit(codes, y)
    forest = on_values(Forest.from_sklearn(weighted), edges)
    np.testing.assert_allclose(forest.probability(X), weighted.predict_proba(codes)[:, 1],
                               atol=1e-12)
    plain = {"max_iter": 20, "max_bins": 31, "random_state": 0, "early_stopping": False}
    on_raw = HistGradientBoostingClassifier(**plain).fit(X, y)
    on_codes = HistGradientBoostingClassifier(**plain).fit(codes, y)
    np.testing.assert_allclose(on_raw.predict_proba(X), on_codes.predict_proba(codes),
                               atol=1e-12)
