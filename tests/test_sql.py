"""SQL that reads and never writes: each refused form, the time limit and the row cap."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from kumenet.errors import KumenetError
from kumenet.sql import query
from tests.conftest import PILOT


@pytest.fixture(scope="module")
def net():
    from kumenet.graph.io import read_network

    return read_network(PILOT)


def refused(tmp_path):
    """Statements that must not run, each with what the message says."""
    f = tmp_path
    return {
        f"COPY nodes TO '{f}/out.csv'": "this is COPY",
        f"COPY (SELECT 1) TO '{f}/out.parquet' (FORMAT parquet)": "this is COPY",
        f"ATTACH '{f}/x.db' AS x": "this is ATTACH",
        "CREATE TABLE t AS SELECT * FROM nodes": "this is CREATE",
        "INSERT INTO nodes SELECT * FROM nodes": "this is INSERT",
        "DELETE FROM nodes": "this is DELETE",
        "UPDATE nodes SET name = 'x'": "this is UPDATE",
        "DROP VIEW nodes": "this is DROP",
        "INSTALL httpfs": "this is LOAD",
        "LOAD httpfs": "this is LOAD",
        "SET enable_external_access = true": "this is SET",
        "PRAGMA version": "this is PRAGMA",
        f"EXPORT DATABASE '{f}/dump'": "this is EXPORT",
        "EXPLAIN ANALYZE CREATE TABLE t AS SELECT 1": "this is CREATE",
        "SELECT 1; SELECT 2": "give one SQL statement, not 2",
        "SELECT * FROM read_csv_auto('/etc/passwd')": "queries cannot read or write files",
        "SELECT * FROM read_text('/etc/hostname')": "queries cannot read or write files",
        "SELECT * FROM '/etc/passwd'": "Table with name /etc/passwd does not exist",
        "SELECT * FROM glob('/etc/*')": "queries cannot read or write files",
        "SELECT * FROM read_parquet('https://example.org/x.parquet')": "queries cannot read",
    }


def test_every_write_and_every_outside_access_is_refused(net, tmp_path):
    for sql, expected in refused(tmp_path).items():
        with pytest.raises(KumenetError) as info:
            query(net, sql)
        assert expected in str(info.value), sql
    assert not list(tmp_path.iterdir())


def test_the_command_refuses_before_reading_and_writes_nothing(tmp_path):
    for sql, expected in refused(tmp_path).items():
        result = CliRunner().invoke(cli, ["query", str(PILOT), sql])
        assert result.exit_code == 1, (sql, result.output)
        assert expected in result.output, sql
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("sql", [
    "SELECT count(*) AS n FROM nodes",
    "WITH f AS (SELECT * FROM nodes WHERE kind = 'firm') SELECT count(*) FROM f",
    "EXPLAIN SELECT * FROM edges",
    "DESCRIBE nodes",
    "SUMMARIZE edges",
    "SHOW TABLES",
    "FROM layers",
])
def test_read_statements_run(net, sql):
    assert len(query(net, sql)) > 0


def test_a_slow_query_is_stopped_at_the_time_limit(net):
    with pytest.raises(KumenetError, match="took longer than 0.5 s"):
        query(net, "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b",
              timeout=0.5)


def test_the_screen_shows_at_most_max_rows_and_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["query", str(PILOT), "SELECT id FROM nodes ORDER BY id",
                                      "--max-rows", "5"])
    assert result.exit_code == 0
    assert result.output.count("F0000") == 5
    assert "returned more than 5 rows; showing the first 5 (write them all with -o FILE)" in result.output
    out = tmp_path / "all.csv"
    result = CliRunner().invoke(cli, ["query", str(PILOT), "SELECT id FROM nodes",
                                      "--max-rows", "5", "-o", str(out)])
    assert result.exit_code == 0 and len(out.read_text().splitlines()) == 758
