"""Shared fixtures: a tiny network whose answers can be checked by hand."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

# Property tests: a fixed sample in make test (derandomised, so CI sees the same inputs every
# run); many random ones in make fuzz. No example database is written into the work tree.
settings.register_profile("ci", max_examples=40, deadline=10_000, derandomize=True,
                          database=None)
settings.register_profile("fuzz", max_examples=int(os.environ.get("KUMENET_FUZZ_EXAMPLES", 2000)),
                          deadline=10_000, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from kumenet.graph.network import Network

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
PILOT = ROOT / "sample_networks" / "pilot"

# a (Samsun, medical devices) and b (Samsun, plastic parts) collaborate and trade; c (Çorum)
# supplies a; d (Gaziantep) exports to x (Germany); a and b are members of the chamber i.
TINY_NODES = pd.DataFrame({
    "id": ["a", "b", "c", "d", "x", "i"],
    "name": ["Atakum Medikal A.Ş.", "Bafra Plastik Ltd. Şti.", "Çorum Makina A.Ş.",
             "Işık Halı San. A.Ş.", "Keller Trading GmbH", "Samsun Ticaret ve Sanayi Odası"],
    "kind": ["firm", "firm", "firm", "firm", "firm", "institution"],
    "subtype": ["company", "company", "company", "company", "buyer", "chamber"],
    "country": ["TR", "TR", "TR", "TR", "DE", "TR"],
    "province": ["Samsun", "Samsun", "Çorum", "Gaziantep", None, "Samsun"],
    "sector": ["32.50", "22.29", "28.93", "13.93", "46.00", None],
    "employees": [40, 12, 85, 150, None, None],
})
TINY_EDGES = pd.DataFrame({
    "source": ["a", "a", "b", "c", "a", "d", "a", "b", "c"],
    "target": ["b", "b", "a", "a", "c", "x", "i", "i", "d"],
    "layer": ["collaboration", "collaboration", "supply", "supply", "collaboration", "supply",
              "membership", "membership", "information"],
    "weight": [2, 1, 5, 3, 1, 10, 1, 1, 1],
    "year": [2019, 2021, 2018, 2020, 2022, 2017, 2016, 2016, 2023],
})


@pytest.fixture(autouse=True, scope="session")
def scorer_cache(tmp_path_factory):
    """One scorer cache for the whole run, never the user's: tests that match with the default
    scorer share each trained scorer instead of training it again."""
    folder = tmp_path_factory.mktemp("scorer-cache")
    previous = os.environ.get("KUMENET_CACHE_DIR")
    os.environ["KUMENET_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("KUMENET_CACHE_DIR", None)
    else:
        os.environ["KUMENET_CACHE_DIR"] = previous


@pytest.fixture(autouse=True, scope="session")
def every_warning():
    """Tests see every warning of every command: the memory that folds warnings shown by an
    earlier command on the same file (kumenet.seen) would make what a test sees depend on
    the tests before it. tests/test_cli_errors.py tests the memory itself."""
    previous = os.environ.get("KUMENET_REPEAT_WARNINGS")
    os.environ["KUMENET_REPEAT_WARNINGS"] = "1"
    yield
    if previous is None:
        os.environ.pop("KUMENET_REPEAT_WARNINGS", None)
    else:
        os.environ["KUMENET_REPEAT_WARNINGS"] = previous


@pytest.fixture(autouse=True, scope="session")
def english_messages():
    """Tests read the library's own messages, as it raises them (English): errors and
    warnings of the command line in English (KUMENET_MESSAGES=en) while the outputs keep
    their Turkish default. The tests of the Turkish messages unset it
    (tests/test_cli.py::test_errors_and_warnings_in_turkish, the README's console blocks)."""
    previous = os.environ.get("KUMENET_MESSAGES")
    os.environ["KUMENET_MESSAGES"] = "en"
    yield
    if previous is None:
        os.environ.pop("KUMENET_MESSAGES", None)
    else:
        os.environ["KUMENET_MESSAGES"] = previous


@pytest.fixture
def tiny() -> Network:
    return Network.from_frames(TINY_NODES, TINY_EDGES)


@pytest.fixture(scope="session")
def pilot() -> Network:
    from kumenet.graph.io import read_network

    return read_network(PILOT)


@pytest.fixture
def quiet():
    """Silence the loader's warnings inside a test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="session")
def pilot_snapshot(pilot, tmp_path_factory):
    """The portal's snapshot of the pilot sample, built once."""
    from kumenet.app.snapshot import build_snapshot

    return build_snapshot(pilot, tmp_path_factory.mktemp("snap") / "pilot.duckdb", name="pilot")
