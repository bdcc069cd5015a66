"""The portal tests share the pilot snapshot of tests/conftest.py."""
