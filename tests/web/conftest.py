"""The browser fixtures of the map tests serve the portal's too; one pilot snapshot for all."""

import pytest

from tests.viz.conftest import local_browser  # noqa: F401 (a fixture)


@pytest.fixture(scope="session")
def pilot_snapshot(pilot, tmp_path_factory):
    from kumenet.app.snapshot import build_snapshot

    return build_snapshot(pilot, tmp_path_factory.mktemp("snap") / "pilot.duckdb", name="pilot")
