"""The browser fixtures of the map tests serve the portal's too."""

from tests.viz.conftest import local_browser  # noqa: F401 (a fixture)
