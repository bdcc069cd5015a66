"""The command line through click's CliRunner: output, exit codes, messages."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from kumenet.graph.io import read_network
from tests.conftest import PILOT


def run(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def all_commands(group=cli, prefix=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from all_commands(command, prefix + (name,))
        else:
            yield prefix + (name,)


@pytest.mark.parametrize("command", list(all_commands()), ids=" ".join)
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "kumenet " + " ".join(command) in result.output


def test_validate_ok_and_bad(tmp_path):
    result = run("validate", PILOT)
    assert result.exit_code == 0
    assert result.output.startswith("OK: ") and "757 nodes" in result.output
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes.csv").write_text("id,kind,province\na,firm,Samsn\nb,firm,Ordu\n", encoding="utf-8")
    (bad / "edges.csv").write_text("source,target,layer\na,b,supply\na,q,supply\n", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Error: 2 problems in the input:" in result.stderr
    assert "nodes.csv, line 2, column 3 (province): unknown province 'Samsn' (did you mean 'Samsun'" in result.stderr
    assert "edges.csv, line 3, column 2 (target): 'q' is not a node id" in result.stderr


def test_usage_error_exits_2():
    result = run("info")
    assert result.exit_code == 2
    result = run("info", PILOT, "--format", "yaml")
    assert result.exit_code == 2


def test_info_table_and_json(tmp_path):
    result = run("info", PILOT)
    assert result.exit_code == 0
    assert "== layers ==" in result.stdout and "Kahramanmaraş" in result.stdout
    out = tmp_path / "info.json"
    result = run("info", PILOT, "--format", "json", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    layers = {row["layer"]: row for row in data["layers"]}
    assert set(layers) == {"supply", "collaboration", "membership", "information"}
    assert layers["supply"]["directed"] is True and 0 < layers["collaboration"]["density"] < 1
    provinces = {row["value"]: row["nodes"] for row in data["province"]}
    assert all(provinces[p] >= 90 for p in ("Samsun", "Trabzon", "Çorum", "Kahramanmaraş", "Gaziantep"))


def test_info_as_of_counts_fewer_ties():
    def tie_years(*extra):
        data = json.loads(run("info", PILOT, "--format", "json", *extra).stdout)
        return {row["measure"]: row["value"] for row in data["overview"]}["edges (tie-years)"]

    assert 0 < tie_years("--as-of", "2016") < tie_years()


def test_info_csv_file_opens_in_excel_with_turkish_letters(tmp_path):
    out = tmp_path / "info.csv"
    run("info", PILOT, "-o", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Çorum".encode() in raw
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table.columns[0] == "table"
    assert set(table["table"]) == {"overview", "layers", "kind", "subtype", "province", "country",
                                   "sector", "year"}


def test_convert_any_to_any(tmp_path, pilot):
    xlsx = tmp_path / "pilot.xlsx"
    assert run("convert", PILOT, "-o", xlsx).exit_code == 0
    gexf = tmp_path / "pilot.gexf"
    assert run("convert", xlsx, "-o", gexf).exit_code == 0
    parquet = tmp_path / "pq"
    assert run("convert", gexf, "-o", parquet, "--to", "parquet").exit_code == 0
    assert read_network(parquet).equals(pilot)


def test_convert_bad_input_writes_nothing(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes.csv").write_text("id,kind\na,firm\n", encoding="utf-8")
    (bad / "edges.csv").write_text("source,target,layer,weight\na,a,supply,x\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = run("convert", bad, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "self-loop" in result.stderr and "weight must be a positive number, not 'x'" in result.stderr


def test_generate_is_deterministic(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for out, seed in ((a, 5), (b, 5), (c, 6)):
        assert run("generate", "--firms", 300, "--seed", seed, "-o", out).exit_code == 0
    assert (a / "edges.csv").read_bytes() == (b / "edges.csv").read_bytes()
    assert (a / "edges.csv").read_bytes() != (c / "edges.csv").read_bytes()
    assert read_network(a).nodes["kind"].value_counts()["firm"] == 300


def test_generate_rejects_tiny_networks(tmp_path):
    assert run("generate", "--firms", 10, "-o", tmp_path / "x").exit_code == 2


def test_demo_writes_its_outputs(tmp_path):
    out = tmp_path / "demo"
    result = run("demo", "-o", out)
    assert result.exit_code == 0
    for name in ("info.xlsx", "network.xlsx", "network.graphml", "network.gexf", "network_csv"):
        assert (out / name).exists() and str(out / name) in result.stdout
    assert "supply" in result.stdout


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kumenet", "validate", str(PILOT)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("OK:")
