"""One pilot snapshot for every portal test."""

import pytest


@pytest.fixture(scope="session")
def pilot_snapshot(pilot, tmp_path_factory):
    from kumenet.app.snapshot import build_snapshot

    return build_snapshot(pilot, tmp_path_factory.mktemp("snap") / "pilot.duckdb", name="pilot")
