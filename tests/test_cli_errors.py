"""No traceback, ever: every command answers bad requests with ``Error: ...`` and exit 1, and
anything unexpected with one line and exit 3 (``--debug`` for the traceback)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from kumenet.cli import cli
from tests.conftest import PILOT


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def commands_with(option: str, group=cli, prefix=()):
    """Every command (by its words) that takes ``option``: the registry the tests run over."""
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands_with(option, command, prefix + (name,))
        elif any(option in p.opts for p in command.params):
            found.append(prefix + (name,))
    return found


# What each command needs besides DATA and --as-of to start working.
EXTRA = {("query",): ["SELECT count(*) FROM edges"], ("match",): ["--firm", "F000010"],
         ("export", "sqlite"): ["-o", "{tmp}/x.db"], ("train",): ["-o", "{tmp}/x.npz"],
         ("map",): ["-o", "{tmp}/x.html"], ("report",): ["-o", "{tmp}/x.html"],
         ("toolkit",): ["--cluster", "Çorum leblebi", "-o", "{tmp}/x.html"]}


@pytest.mark.parametrize("words", commands_with("--as-of"), ids=" ".join)
def test_as_of_before_the_first_tie_is_refused_by_every_command(tmp_path, words):
    extra = [a.format(tmp=tmp_path) for a in EXTRA.get(words, [])]
    args = list(words) + [PILOT] + (extra[:1] if words == ("query",) else []) + \
        ["--as-of", "2010"] + (extra if words != ("query",) else [])
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "Error: no ties up to 2010; the first year is 2015" in result.output
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_registry_covers_the_commands_the_issue_names():
    names = {" ".join(w) for w in commands_with("--as-of")}
    assert {"info", "metrics", "communities", "match", "query", "export sqlite", "train",
            "map", "report", "clusters evaluate"} <= names


def test_as_of_on_a_network_without_years_warns_and_keeps_every_tie(tmp_path):
    net = tmp_path / "net"
    net.mkdir()
    (net / "nodes.csv").write_text("id,kind\na,firm\nb,firm\nc,firm\n")
    (net / "edges.csv").write_text("source,target,layer\na,b,supply\nb,c,collaboration\n")
    result = run("info", net, "--as-of", "2010", "--format", "csv")
    assert result.exit_code == 0
    assert "Warning: the ties have no year, so every tie counts as of 2010" in result.output
    assert "edges (tie-years),2" in result.output
    # and the report, which once failed on ties without years
    report = run("report", net, "-o", tmp_path / "r.html")
    assert report.exit_code == 0, report.output
    assert (tmp_path / "r.html").read_text().count("<table") >= 1


def test_evaluate_checks_its_split_year(tmp_path):
    assert "the last year is 2024" in run("evaluate", PILOT, "--split-year", "2030").output
    early = run("evaluate", PILOT, "--split-year", "2010")
    assert early.exit_code == 1 and "no ties up to 2010; the first year is 2015" in early.output


def test_info_as_of_the_first_year_works_and_map_gexf_above_max_nodes(tmp_path):
    result = run("info", PILOT, "--as-of", "2015", "--format", "csv")
    assert result.exit_code == 0 and "first year,2015" in result.output
    out = tmp_path / "x.gexf"
    result = run("map", PILOT, "-o", out, "--max-nodes", "10")
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("<node ") == 757


def test_an_internal_error_is_one_line_and_exit_3(monkeypatch):
    import kumenet.graph.summary as summary

    def broken(net):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(summary, "summary", broken)
    result = run("info", PILOT)
    assert result.exit_code == 3
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == ["internal error: RuntimeError: something unexpected; rerun with --debug for "
                     "details"]
    debug = run("--debug", "info", PILOT)
    assert debug.exit_code == 3 and "Traceback" in debug.output and "broken" in debug.output


def test_bad_output_places_and_special_files_are_messages(tmp_path):
    (tmp_path / "afile").write_text("x")
    cases = {
        ("info", PILOT, "-o", tmp_path): "is a folder; give a file name",
        ("convert", PILOT, "-o", tmp_path / "afile", "--to", "csv"): "is a file; give a folder name",
        ("convert", PILOT, "-o", tmp_path / "afile" / "x.xlsx"): "cannot write",
        ("info", PILOT, "-o", tmp_path / ("z" * 300 + ".csv")): "cannot write",
        ("clusters", "evaluate", PILOT, "--config", "/dev/zero"): "is a device, not a regular file",
        ("match", PILOT, "--firm", "F000010", "--model", "/dev/zero"): "is a device, not a regular file",
        ("regions", "--table", "/dev/zero"): "is a device, not a regular file",
    }
    for args, expected in cases.items():
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert expected in result.output, (args, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def _dated_folder(folder):
    folder.mkdir()
    (folder / "nodes.csv").write_text("kimlik;ad;tür;kuruluş tarihi\nA;Ak;firma;15.03.1998\n"
                                      "B;Bo;firma;1999\n", encoding="cp1254")
    (folder / "edges.csv").write_text("kaynak;hedef;katman;yıl\nA;B;tedarik;15.03.2019\n",
                                      encoding="cp1254")
    return folder


def test_warnings_are_said_once_and_not_repeated_by_the_next_command(tmp_path, monkeypatch):
    """A column's warning once per command; the next command on the unchanged file folds
    them into one line; validate shows them all; a changed file shows them again; -q
    silences them."""
    monkeypatch.delenv("KUMENET_REPEAT_WARNINGS")
    monkeypatch.setenv("KUMENET_CACHE_DIR", str(tmp_path / "cache"))
    data = str(_dated_folder(tmp_path / "net"))
    runner = CliRunner()
    first = runner.invoke(cli, ["info", data]).output
    assert first.count("column 'kuruluş tarihi': 1 date (gg.aa.yyyy) read as its year "
                       "('15.03.1998' -> 1998)") == 1
    assert first.count("Warning:") == 2
    again = runner.invoke(cli, ["report", data, "-o", str(tmp_path / "r.html"), "--lang",
                                "tr"]).output  # the note in the warnings' language
    assert "Warning:" not in again
    assert f"(2 warning(s) about {data} shown by an earlier command not repeated: kumenet " \
        f"validate {data} shows them again)" in again
    monkeypatch.delenv("KUMENET_MESSAGES")  # the user's language: Turkish
    turkish = runner.invoke(cli, ["report", data, "-o", str(tmp_path / "r.html")]).output
    assert f"({data} hakkında önceki bir komutun gösterdiği 2 uyarı tekrarlanmadı: kumenet " \
        f"validate {data} hepsini yeniden gösterir)" in turkish
    monkeypatch.setenv("KUMENET_MESSAGES", "en")
    assert runner.invoke(cli, ["validate", data]).output.count("Warning:") == 2
    quiet = runner.invoke(cli, ["-q", "validate", data])
    assert "Warning" not in quiet.output and quiet.exit_code == 0
    (tmp_path / "net" / "nodes.csv").write_text(
        "kimlik;ad;tür;kuruluş tarihi\nA;Ak;firma;15.03.1998\nB;Bo;firma;01.02.1999\n",
        encoding="cp1254")
    changed = runner.invoke(cli, ["info", data]).output
    assert "2 dates (gg.aa.yyyy) read as their years ('15.03.1998' -> 1998)" in changed
