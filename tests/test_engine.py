"""The Dask engine gives the tables the local engine gives (issue 15): every block job run on a
two-worker LocalCluster of processes, as a scheduler elsewhere would run it."""

from __future__ import annotations

import builtins

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from kumenet import engine
from kumenet.cli import cli
from kumenet.errors import KumenetError
from kumenet.graph.generate import generate
from kumenet.graph.network import Network
from kumenet.graph.metrics import node_metrics
from kumenet.matching.evaluate import evaluate
from kumenet.matching.model import train_scorer
from kumenet.matching.recommend import recommend_partners
from tests.conftest import PILOT

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two worker processes (one thread each) for the whole module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=40) as cluster:
        yield cluster.scheduler_address


def generate_network(firms: int, seed: int) -> Network:
    return Network.from_frames(*generate(firms, seed))


@pytest.fixture(scope="module")
def net():
    return generate_network(3000, seed=5)


def test_matching_on_dask_is_the_local_table(net, scheduler):
    local = recommend_partners(net, method="adamic_adar", block=250, lang=("tr", "en"))
    with engine.use("dask", scheduler=scheduler) as running:
        assert running is engine.current()
        remote = recommend_partners(net, method="adamic_adar", block=250, lang=("tr", "en"))
    assert engine.current() is None
    assert len(local) > 1000
    pd.testing.assert_frame_equal(local, remote)


def test_trained_scorer_and_every_actor_on_dask(net, scheduler):
    scorer = train_scorer(net, int(net.edges["year"].max()) - 1, seed=0)
    local = recommend_partners(net, method=scorer, block=400, source_kind="any", k=5)
    with engine.use("dask", scheduler=scheduler):
        remote = recommend_partners(net, method=scorer, block=400, source_kind="any", k=5)
    pd.testing.assert_frame_equal(local, remote)
    assert set(local["source"]) > set(net.ids[net.nodes["kind"] == "firm"][:10]) - {""}


def test_evaluation_on_dask(net, scheduler):
    split = int(net.edges["year"].max()) - 2
    methods = ["adamic_adar", "common_neighbours"]
    local = evaluate(net, split, 10, methods=methods)
    with engine.use("dask", scheduler=scheduler):
        remote = evaluate(net, split, 10, methods=methods)
    pd.testing.assert_frame_equal(local, remote)


def test_sampled_betweenness_on_dask(net, scheduler, monkeypatch):
    from kumenet.graph import metrics

    monkeypatch.setattr(metrics, "_SPLIT_WORK", 0)  # blocks even on a small network
    local = node_metrics(net, betweenness_sample=400)
    with engine.use("dask", scheduler=scheduler):
        remote = node_metrics(net, betweenness_sample=400)
    pd.testing.assert_frame_equal(local, remote)
    assert local["betweenness"].max() > 0


def test_cli_match_with_a_scheduler_and_from_the_environment(tmp_path, scheduler, monkeypatch):
    runner = CliRunner()
    args = ["match", str(PILOT), "--all", "--method", "adamic_adar", "--top", "3"]
    local = runner.invoke(cli, [*args, "-o", str(tmp_path / "local.csv")])
    assert local.exit_code == 0, local.output
    remote = runner.invoke(cli, [*args, "--engine", "dask", "--scheduler", scheduler,
                                 "-o", str(tmp_path / "dask.csv")])
    assert remote.exit_code == 0, remote.output
    assert "Dask" in remote.output and scheduler in remote.output
    assert (tmp_path / "local.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    monkeypatch.setenv(engine.SCHEDULER_ENV, scheduler)
    env = runner.invoke(cli, [*args, "--engine", "dask", "-o", str(tmp_path / "env.csv")])
    assert env.exit_code == 0 and scheduler in env.output
    assert (tmp_path / "env.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()


def test_metrics_and_evaluate_take_the_engine(tmp_path, scheduler):
    runner = CliRunner()
    outs = []
    for extra in ([], ["--engine", "dask", "--scheduler", scheduler]):
        out = tmp_path / f"m{len(outs)}.csv"
        result = runner.invoke(cli, ["metrics", str(PILOT), *extra, "-o", str(out)])
        assert result.exit_code == 0, result.output
        outs.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(*outs)
    result = runner.invoke(cli, ["evaluate", str(PILOT), "--split-year", "2022", "--methods",
                                 "adamic_adar", "--engine", "dask", "--scheduler", scheduler])
    assert result.exit_code == 0, result.output
    assert "adamic_adar" in result.output


def test_a_scheduler_that_does_not_answer_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(KumenetError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        with engine.use("dask", scheduler="tcp://127.0.0.1:9"):
            pass
    result = CliRunner().invoke(cli, ["match", str(PILOT), "--all", "--scheduler",
                                      "tcp://127.0.0.1:9"])
    assert result.exit_code == 1 and "--scheduler needs --engine dask" in result.output


def test_without_the_dask_extra_the_message_says_how_to_install_it(monkeypatch):
    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.split(".")[0] in ("distributed", "dask"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(KumenetError, match=r"pip install 'kumenet\[dask\]'"):
        with engine.use("dask"):
            pass
    result = CliRunner().invoke(cli, ["match", str(PILOT), "--all", "--engine", "dask"])
    assert result.exit_code == 1
    assert "pip install 'kumenet[dask]'" in result.output and "Traceback" not in result.output


def test_an_unknown_engine_is_refused():
    with pytest.raises(KumenetError, match="engine must be one of local, dask"):
        with engine.use("spark"):
            pass


def test_local_blocks_are_summed_in_block_order(monkeypatch):
    """Betweenness split into blocks sums the same on any number of processes, and close to
    one undivided count."""
    from kumenet.graph import metrics

    net = generate_network(2000, seed=1)
    whole = node_metrics(net, betweenness_sample=300)["betweenness"].to_numpy()
    monkeypatch.setattr(metrics, "_SPLIT_WORK", 0)
    split = node_metrics(net, betweenness_sample=300)["betweenness"].to_numpy()
    original = metrics.run_blocks
    calls = []

    def serial(job, chunks, workers=None):
        calls.append(len(chunks))
        return original(job, chunks, workers=1)
    monkeypatch.setattr(metrics, "run_blocks", serial)
    one_process = node_metrics(net, betweenness_sample=300)["betweenness"].to_numpy()
    assert calls == [metrics.BETWEENNESS_BLOCKS]
    np.testing.assert_array_equal(split, one_process)
    np.testing.assert_allclose(split, whole, rtol=1e-9, atol=1e-15)


def _die(chunk):
    """A block that kills its worker process, as running out of memory does."""
    import os

    os._exit(1)


def test_a_worker_that_dies_is_one_clear_error():
    with pytest.raises(KumenetError, match="a Dask worker died running block 1 of 1"):
        with engine.use("dask", workers=1):
            engine.run_blocks(_die, [np.arange(3)])


def _parts_of(net: Network, folder, by: str):
    from kumenet.graph.io import write_network

    return write_network(net, folder, "parquet", partition_by=by)


@pytest.mark.parametrize("by", ["year", "layer"])
def test_dask_workers_read_and_check_their_own_parts(tmp_path, net, scheduler, monkeypatch, by):
    """Inside the Dask engine each part of a partitioned network is read and checked on a
    worker (only the checked columns come back); the network is the one read here."""
    from kumenet.graph import io
    from kumenet.graph.formats import parquet
    from kumenet.graph.validate import CheckedParts

    folder = _parts_of(net, tmp_path / "parts", by)
    local = io.read_network(folder)
    calls = []
    original = engine.DaskEngine.run

    def counted(self, job, chunks, *args, **kwargs):
        calls.append((type(job).__name__, len(chunks)))
        return original(self, job, chunks, *args, **kwargs)

    monkeypatch.setattr(engine.DaskEngine, "run", counted)
    with engine.use("dask", scheduler=scheduler):
        assert isinstance(parquet._read_parts(folder / "edges", None, None), CheckedParts)
        remote = io.read_network(folder)
    parts = len(list((folder / "edges").rglob("*.parquet")))
    assert calls and calls[0] == ("_PartCheck", parts) and parts > 1
    assert remote.equals(local)
    if by == "year":  # only the parts up to the year are read, on the workers too
        year = int(net.edges["year"].max()) - 1
        with engine.use("dask", scheduler=scheduler):
            early = io.read_network(folder, as_of=year)
        assert early.equals(io.read_network(folder, as_of=year))
        assert early.n_edges < local.n_edges


def test_parts_checked_on_workers_report_their_file_and_line(tmp_path, scheduler):
    """A bad part's problems name the part file and the line in it, as a local read does."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kumenet.errors import InputDataError
    from kumenet.graph import io

    small = generate_network(200, seed=2)
    folder = _parts_of(small, tmp_path / "parts", "year")
    part = sorted((folder / "edges").rglob("*.parquet"))[1]
    table = pq.read_table(part)
    sources = table.column("source").to_pylist()
    sources[3] = "NOBODY"  # line 5 of the part
    column = pa.array(sources).dictionary_encode().cast(table.schema.field("source").type)
    pq.write_table(table.set_column(0, "source", column), part)
    messages = []
    for use in ("local", "dask"):
        with engine.use(use, scheduler=scheduler if use == "dask" else None):
            with pytest.raises(InputDataError) as err:
                io.read_network(folder)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert f"{part}, line 5" in messages[1] and "NOBODY" in messages[1]


def test_parts_of_differing_types_are_read_here(tmp_path, scheduler, monkeypatch):
    """Parts written by different programs (weights as text in one) are joined and checked
    here, as one table: the workers would decide each part's numbers apart. So is a folder
    with an empty part."""
    import pyarrow.parquet as pq

    from kumenet.graph import io

    small = generate_network(200, seed=2)
    folder = _parts_of(small, tmp_path / "parts", "year")
    part = sorted((folder / "edges").rglob("*.parquet"))[0]
    table = pq.read_table(part)
    i = table.column_names.index("weight")
    pq.write_table(table.set_column(i, "weight", table.column("weight").cast("string")), part)
    from kumenet.graph.formats import parquet

    monkeypatch.setattr(parquet, "_PartCheck", None)  # would fail if the workers were asked
    with engine.use("dask", scheduler=scheduler):
        remote = io.read_network(folder)
    assert remote.equals(io.read_network(folder))
    # An empty part (checked apart it would be an empty table) is read here too.
    pq.write_table(table.slice(0, 0), part)
    with engine.use("dask", scheduler=scheduler):
        remote = io.read_network(folder)
    assert remote.equals(io.read_network(folder)) and remote.n_edges > 0
