"""The command line through click's CliRunner: output, exit codes, messages."""

import json
import re

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
    assert result.output.startswith("Tamam: ") and "757 düğüm" in result.output
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes.csv").write_text("id,kind,province\na,firm,Samsn\nb,firm,Ordu\n", encoding="utf-8")
    (bad / "edges.csv").write_text("source,target,layer\na,b,supply\na,q,supply\n", encoding="utf-8")
    result = run("validate", bad)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Error: 2 problems in the input:" in result.stderr
    assert "nodes.csv, line 2, column 3 (province): unknown province 'Samsn' (did you mean " \
        "'Samsun'" in result.stderr
    assert "edges.csv, line 3, column 2 (target): 'q' is not a node id" in result.stderr


def test_errors_and_warnings_in_turkish(tmp_path, monkeypatch):
    """Without KUMENET_MESSAGES (which the other tests set to read the library's English),
    errors and warnings follow the user's language: Turkish by default."""
    monkeypatch.delenv("KUMENET_MESSAGES")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "nodes.csv").write_text("id,kind,province,employees\na,firm,Samsn,on iki\n"
                                   "b,firm,Ordu,3\n", encoding="utf-8")
    (bad / "edges.csv").write_text("source,target,layer\na,b,supply\na,q,supply\n",
                                   encoding="utf-8")
    said = run("validate", bad).stderr
    assert said.startswith("Hata: girdide 3 sorun var:")
    assert "nodes.csv, satır 2, sütun 3 (province): bilinmeyen il 'Samsn' (bunu mu demek " \
        "istediniz: 'Samsun'" in said
    assert "nodes.csv, satır 2, sütun 4 (employees): employees tam sayı olmalı, 'on iki' " \
        "değil" in said
    assert "edges.csv, satır 3, sütun 2 (target): 'q' düğüm tablosunda bir kimlik değil" in said
    english = run("--lang", "en", "validate", bad).stderr
    assert english.startswith("Error: 3 problems in the input:") and "line 2, column 3" in english
    firm = run("match", PILOT, "--firm", "Yıldız Medikl").stderr
    assert firm.startswith("Hata: 'Yıldız Medikl' adında firma ya da kurum yok (bunu mu demek "
                           "istediniz: ")
    assert run("info", PILOT, "--as-of", "2010").stderr == \
        "Hata: 2010 yılına kadar bağ yok; ilk yıl 2015\n"
    warned = run("validate", "sample_networks/turkish_excel").stderr
    assert "Uyarı: sample_networks/turkish_excel/nodes.csv: 'Çalışan Sayısı' sütunu: '1.200' " \
        "1200 ya da 1.2 olabilir; 1200 olarak okundu ('.' binlik ayırıcı)" in warned
    monkeypatch.setenv("KUMENET_MESSAGES", "en")
    assert run("info", PILOT, "--as-of", "2010").stderr.startswith("Error: no ties up to 2010")


def test_usage_error_exits_2():
    result = run("info")
    assert result.exit_code == 2
    result = run("info", PILOT, "--format", "yaml")
    assert result.exit_code == 2


def test_info_table_and_json(tmp_path):
    result = run("info", PILOT)
    assert result.exit_code == 0
    # on the screen, for people: Turkish headers, names and numbers (years ungrouped)
    turkish = result.stdout.splitlines()
    assert "== katmanlar ==" in turkish and "Kahramanmaraş" in result.stdout
    assert re.search(r"^kayıt \(bağ-yıl\) +6\.920$", result.stdout, re.M)
    assert re.search(r"^ilk yıl +2015$", result.stdout, re.M)
    assert re.search(r"^tedarik +evet +2\.528 +1\.612 +645 +0,003881 +2015 +2024$",
                     result.stdout, re.M)
    english = run("--lang", "en", "info", PILOT).stdout
    assert "== layers ==" in english and re.search(r"^edges \(tie-years\) +6,920$", english, re.M)
    assert re.search(r"^supply +True +2,528 +1,612 +645 +0.003881 +2015 +2024$", english, re.M)
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
    assert "tedarik" in result.stdout and "Ortaklık önerileri" in result.stdout
    assert "altın" in result.stdout and "güçlü yanlar:" in result.stdout
    assert "757 aktör (720 firma, 37 kurum), 4 katmanda 6.920 bağ-yıl" in result.output
    assert "<Network" not in result.output  # no Python repr in what users read
    english = run("demo", "-o", tmp_path / "en", "--lang", "en")
    assert english.exit_code == 0
    assert "supply" in english.stdout and "Partner suggestions" in english.stdout
    assert "gold" in english.stdout and "strengths:" in english.stdout


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kumenet", "validate", str(PILOT)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("Tamam:")


def test_metrics_group_by_province_shows_openness():
    result = run("metrics", PILOT, "--level", "group", "--by", "province", "--format", "json")
    assert result.exit_code == 0
    rows = {r["group"]: r for r in json.loads(result.stdout)}
    for province in ("Samsun", "Trabzon", "Çorum", "Kahramanmaraş", "Gaziantep"):
        row = rows[province]
        total = row["share_intra_regional"] + row["share_interregional"] + row["share_international"]
        assert total == pytest.approx(1.0)
        assert 0 < row["share_international"] < row["share_interregional"] < row["share_intra_regional"]


def test_metrics_node_level_to_csv(tmp_path):
    out = tmp_path / "nodes.csv"
    result = run("metrics", PILOT, "--layers", "supply,collaboration", "-o", out)
    assert result.exit_code == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"id": str})
    assert len(table) == 757
    for col in ("pagerank", "betweenness", "constraint", "liaison", "participation", "versatility"):
        assert col in table.columns


def test_metrics_layer_level_and_sampled_betweenness():
    result = run("metrics", PILOT, "--level", "layer")
    assert "== katman örtüşmesi ==" in result.stdout and "geçişlilik" in result.stdout
    result = run("metrics", PILOT, "--betweenness-sample", "50", "--format", "csv")
    assert "arasındalık örneklenen 50 kaynak düğümden tahmin edildi" in result.stderr


def test_metrics_unknown_group_column():
    result = run("metrics", PILOT, "--level", "group", "--by", "colour")
    assert result.exit_code == 1 and "no node column 'colour' to group by" in result.stderr


def test_communities_command_reports_agreement(tmp_path):
    out = tmp_path / "communities.csv"
    gexf = tmp_path / "with_communities.gexf"
    result = run("communities", PILOT, "--layers", "supply,collaboration", "--seed", "1",
                 "-o", out, "--network-out", gexf)
    assert result.exit_code == 0
    assert "'cluster' ile uyum (634 düğüm): NMI" in result.stderr
    nmi = float(re.search(r"NMI (\d+,\d+)", result.stderr).group(1).replace(",", "."))
    assert nmi > 0.75
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns) == ["id", "name", "community", "community_name", "community_size"]
    assert table.groupby("community")["community_name"].nunique().eq(1).all()
    assert table["community_name"].str.contains(" · ").any()
    assert "community" in read_network(gexf).nodes.columns


def test_communities_options(tmp_path):
    result = run("communities", PILOT, "--method", "multiplex_leiden", "--layer-weight",
                 "collaboration=2", "--stability", "3", "--format", "csv")
    assert result.exit_code == 0 and "consensus_share" in result.stdout.splitlines()[0]
    assert run("communities", PILOT, "--layer-weight", "collaboration:2").exit_code == 2
    result = run("communities", PILOT, "--layers", "sapply")
    assert result.exit_code == 1 and "no layer named 'sapply'" in result.stderr


def test_query_with_turkish_search_keys():
    result = run("query", PILOT, "SELECT count(*) AS n FROM nodes WHERE province_key = 'corum' AND kind = 'firm'",
                 "--format", "json")
    assert json.loads(result.stdout) == [{"n": 108}]
    result = run("query", PILOT, "SELECT c.community, count(*) AS n FROM communities c GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
                 "--format", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("community,n")
    result = run("query", PILOT, "SELEC 1")
    assert result.exit_code == 1 and "SQL error" in result.stderr


def test_export_sqlite(tmp_path):
    import sqlite3

    db = tmp_path / "pilot.db"
    result = run("export", "sqlite", PILOT, "-o", db)
    assert result.exit_code == 0
    con = sqlite3.connect(db)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names == {"nodes", "edges", "layers", "node_metrics", "communities", "group_metrics"}
    assert con.execute("SELECT count(*) FROM edges").fetchone()[0] == 6920
    hits = con.execute("SELECT name FROM nodes WHERE name_key LIKE 'isik %'").fetchall()
    assert hits and all(name.startswith(("Işık", "Isik")) for (name,) in hits)


def test_match_one_firm_by_turkish_name():
    result = run("match", PILOT, "--firm", "YILDIZ MEDİKAL SAN. TİC. LTD. ŞTİ.", "--top", "3",
                 "--method", "adamic_adar", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert all(r["source_name"] == "Yıldız Medikal San. Tic. Ltd. Şti." and r["reason"] for r in rows)


def test_match_unknown_firm_and_usage():
    result = run("match", PILOT, "--firm", "Yıldız Medikl")
    assert result.exit_code == 1 and "did you mean" in result.stderr
    assert run("match", PILOT).exit_code == 2  # neither --firm nor --all


def test_match_all_to_csv_with_the_documented_columns(tmp_path):
    out = tmp_path / "suggestions.csv"
    result = run("match", PILOT, "--all", "--top", "2", "--method", "katz", "--scope",
                 "interregional", "-o", out)
    assert result.exit_code == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert list(table.columns) == ["source", "source_name", "target", "target_name", "rank",
                                   "strength", "score", "scope", "reason", "target_kind",
                                   "target_province", "target_country", "target_sector"]
    assert (table["scope"] == "interregional").all()
    assert set(table["strength"]) <= set("12345") and (table.loc[table["rank"] == "1", "strength"]
                                                      == "5").mean() > 0.5
    assert table["reason"].str.contains("ortak iş ortağı").any()  # Turkish by default
    assert table["source"].nunique() > 500


def test_train_then_match_with_the_saved_model(tmp_path):
    model = tmp_path / "model.npz"
    result = run("train", PILOT, "-o", model)
    assert result.exit_code == 0 and model.exists()
    assert "feature" in result.stdout and "importance" in result.stdout
    result = run("match", PILOT, "--firm", "F000010", "--model", model, "--top", "4", "--format", "csv")
    assert result.exit_code == 0 and len(result.stdout.strip().splitlines()) == 5
    bad = tmp_path / "not_a_model.npz"
    bad.write_text("hello")
    result = run("match", PILOT, "--firm", "F000010", "--model", bad)
    assert result.exit_code == 1 and "not a kumenet model file" in result.stderr


def test_evaluate_table():
    result = run("evaluate", PILOT, "--split-year", "2022", "--methods",
                 "adamic_adar,preferential_attachment,random", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    by = {(r["scorer"], r["scope"]): r for r in rows}
    assert {"precision_at_k", "recall_at_k", "hits_at_k", "mrr", "auc", "average_precision"} <= set(rows[0])
    assert by[("adamic_adar", "all")]["precision_at_k"] > 5 * by[("random", "all")]["precision_at_k"]
    assert ("adamic_adar", "international") in by


def test_metrics_group_by_detected_community():
    result = run("metrics", PILOT, "--level", "group", "--by", "community", "--layers",
                 "supply,collaboration", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert sum(r["size"] for r in rows) == 757 and rows[0]["size"] >= rows[-1]["size"]


def test_tables_are_written_in_chunks_that_read_back_whole(tmp_path, monkeypatch):
    """Parquet and CSV files are written a chunk at a time (a progress bar's steps): the file
    reads back as the whole table, with one header and Excel's BOM in CSV."""
    import pandas as pd

    from kumenet import output

    monkeypatch.setattr(output, "WRITE_CHUNK", 3)
    table = pd.DataFrame({"firma": ["Çelik", "Işık", "İnci", "Öz", "Şahin", "Ünal", "Ağ"],
                          "puan": [0.5, 1.25, 2.0, 3.5, 4.0, 5.75, 6.0]})
    steps = []
    for name in ("t.parquet", "t.csv"):
        output.write_tables(table, str(tmp_path / name),
                            progress=lambda items: steps.append(list(items)) or steps[-1])
    assert steps == [[0, 3, 6], [0, 3, 6]]
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), table)
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbffirma,puan\n") and raw.count(b"firma") == 1
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig"), table)


def test_layer_options_take_the_names_files_take_and_countries_their_names(pilot):
    """--layers tedarik is --layers supply (as in the data); --country Türkiye is TR."""
    from kumenet.errors import KumenetError
    from kumenet.graph.network import country_code, layer_name
    from kumenet.matching.recommend import recommend_partners

    assert [layer_name(x) for x in ("Tedarik", "İŞBİRLİĞİ", "üyelik", "Bilgi", "Ar Ge")] == \
        ["supply", "collaboration", "membership", "information", "ar_ge"]
    assert [country_code(x) for x in ("Türkiye", "TÜRKİYE", "turkey", "T.C.", "de", "Almanya")] \
        == ["TR", "TR", "TR", "TR", "DE", None]
    assert pilot.select(layers="Tedarik, işbirliği").layers == \
        pilot.select(layers=["supply", "collaboration"]).layers
    runner = CliRunner()
    outputs = [runner.invoke(cli, ["metrics", str(PILOT), "--level", "group", "--by",
                                   "province", "--layers", name, "--format", "csv"])
               for name in ("tedarik", "supply", "collaboration")]
    assert all(r.exit_code == 0 for r in outputs)
    assert outputs[0].output == outputs[1].output != outputs[2].output
    turkish = recommend_partners(pilot, "F000010", k=5, method="adamic_adar", country="Türkiye")
    assert len(turkish) == 5 and set(turkish["target_country"]) == {"TR"}
    with pytest.raises(KumenetError, match="unknown country 'Almanya'"):
        recommend_partners(pilot, "F000010", k=5, method="adamic_adar", country="Almanya")


def test_map_report_clusters_and_train_take_as_of_and_layers(tmp_path):
    """Every command that reads a network takes --as-of (and --layers where it flattens): the
    network as of that year, a year before the data an error."""
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(cli, [*args])
        assert result.exit_code == 0, result.output
        return result.output

    then = run("clusters", "evaluate", str(PILOT), "--as-of", "2019", "--format", "csv")
    now = run("clusters", "evaluate", str(PILOT), "--format", "csv")
    supply = run("clusters", "evaluate", str(PILOT), "--layers", "tedarik", "--format", "csv")
    assert len({then, now, supply}) == 3
    assert "2019 itibarıyla adaylar" in run("train", str(PILOT), "--as-of", "2020", "-o",
                                          str(tmp_path / "m.npz"))
    run("map", str(PILOT), "--as-of", "2018", "-o", str(tmp_path / "m18.html"))
    run("map", str(PILOT), "-o", str(tmp_path / "m.html"))
    import re

    def ties_drawn(name):
        text = (tmp_path / name).read_text("utf-8")
        return len(re.search(r'"edges": \{"id": \[([0-9, ]*)\]', text).group(1).split(","))

    assert 0 < ties_drawn("m18.html") < ties_drawn("m.html")
    run("report", str(PILOT), "--as-of", "2019", "--layers", "supply", "-o",
        str(tmp_path / "r.html"))
    assert (tmp_path / "r.html").stat().st_size > 10_000
    # A year before the data: tests/test_cli_errors.py, for every command with --as-of.


def test_csv_output_takes_the_separator_and_decimal_mark_and_says_what_it_wrote(tmp_path):
    """--sep and --decimal shape the CSV written too (Turkish Excel opens ';' files with
    decimal commas in columns); .tsv writes tabs; an unknown suffix is an error, not CSV."""
    runner = CliRunner()
    turkish = str(PILOT.parent / "turkish_excel")

    def run(*args):
        return runner.invoke(cli, [*args])

    out = tmp_path / "g.csv"
    result = run("metrics", turkish, "--level", "group", "--by", "province", "--decimal", ",",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"yazıldı: {out}" in result.output  # Turkish by default
    text = out.read_text("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("group;size;") and ";" in first and "," in first  # 0,25 style
    frame = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    assert frame["size"].dtype.kind in "if" and frame.select_dtypes("float").shape[1] > 0
    # a comma-and-point network written for Turkish Excel: the marks given shape the output,
    # the input is read as it shows (and that is said)
    excel = tmp_path / "info.csv"
    result = run("info", str(PILOT), "--format", "csv", "--sep", ";", "--decimal", ",", "-o",
                 str(excel))
    assert result.exit_code == 0, result.output
    assert "column 'weight': the decimal mark ',' given does not read 2,272 of its numbers; " \
        "read as the file shows" in result.output
    written = excel.read_text("utf-8-sig")
    assert written.startswith("table;measure;value") and ";0,00388" in written
    tsv = tmp_path / "g.tsv"
    assert run("metrics", str(PILOT), "--level", "group", "--by", "province", "-o",
               str(tsv)).exit_code == 0
    assert tsv.read_text("utf-8").split("\n")[0].count("\t") > 3
    bad = run("info", str(PILOT), "-o", str(tmp_path / "x.unknown"))
    assert bad.exit_code == 1 and "does not write .unknown files" in bad.output
    assert not (tmp_path / "x.unknown").exists()
    clash = run("metrics", turkish, "--level", "layer", "--sep", ",", "--decimal", ",",
                "-o", str(tmp_path / "c.csv"))
    assert clash.exit_code != 0 and not (tmp_path / "c.csv").exists()


def test_screen_tables_align_and_fit_the_terminal():
    """Text left, numbers right, a fraction never rounded away (1,250.5), and the widest text
    columns cut with an ellipsis to the terminal's width; piped output is never cut."""
    from kumenet.output import _number, _text_table

    frame = pd.DataFrame({"firma": ["Yıldız Medikal San. Tic. Ltd. Şti." * 3, "Işık"],
                          "puan": [1250.5, 0.07654], "bağ": [20038, 3],
                          "neden": ["ortak ortaklar " * 20, "kısa"]})
    lines = _text_table(frame, width=80).splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[1].startswith("Yıldız Medikal") and "…" in lines[1]
    assert lines[2].startswith("Işık ") and lines[2].endswith("kısa")
    end = lines[0].index("bağ") + len("bağ")  # numbers end under their header
    assert lines[1][:end].endswith(" 20,038") and lines[2][:end].endswith("     3")
    assert "1,250.5" in lines[1]
    assert [_number(x) for x in (1250.5, 20038.0, 0.07654, 1e6 + 0.25)] == \
        ["1,250.5", "20,038", "0.07654", "1,000,000.25"]
    assert [_number(x, "tr") for x in (1250.5, 20038.0, 0.07654, 1e6 + 0.25)] == \
        ["1.250,5", "20.038", "0,07654", "1.000.000,25"]
    turkish = _text_table(frame, lang="tr").splitlines()
    assert turkish[1].endswith("1.250,5  20.038  " + frame["neden"][0].strip())
    full = _text_table(frame)  # no width: nothing cut
    assert "…" not in full and frame["neden"][0].strip() in full
    result = CliRunner().invoke(cli, ["match", str(PILOT), "--firm", "F000010", "--top", "1",
                                      "--method", "adamic_adar"])
    assert result.exit_code == 0 and "…" not in result.output


def test_xlsx_tables_have_a_styled_frozen_header_and_number_formats(tmp_path):
    import openpyxl

    out = tmp_path / "gruplar.xlsx"
    result = CliRunner().invoke(cli, ["metrics", str(PILOT), "--level", "group", "--by",
                                      "province", "-o", str(out)])
    assert result.exit_code == 0 and f"yazıldı: {out}" in result.output
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2" and all(c.font.b for c in ws[1])
    formats = dict(zip(header, (c.number_format for c in ws[2])))
    assert formats["group"] == "General" and formats["firms"] == "#,##0"
    assert formats["share_international"] == "#,##0.00##"
    assert ws.column_dimensions["A"].width >= len("Kahramanmaraş")


def test_the_report_is_headed_by_the_networks_name(tmp_path):
    """Not a file path: the folder's or file's name, the year with --as-of, or --title
    (escaped like every string that reaches HTML)."""
    import re

    runner = CliRunner()

    def heading(*args):
        out = tmp_path / "r.html"
        result = runner.invoke(cli, ["report", *args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        return re.search(r"<h1[^>]*>(.*?)</h1>", out.read_text("utf-8")).group(1)

    assert heading(str(PILOT)) == "pilot · Ağ raporu"
    assert heading(str(PILOT / "edges.csv"), "--as-of", "2020", "--lang", "en") == \
        "pilot, as of 2020 · Network report"
    assert heading(str(PILOT), "--title", "Samsun <TSO>") == "Samsun &lt;TSO&gt; · Ağ raporu"


def test_a_report_of_a_network_without_years_shows_a_dash_for_the_years(tmp_path):
    """The summary's first and last year were blank cells while the layer table showed '-'."""
    import re

    folder = tmp_path / "yilsiz"
    folder.mkdir()
    (folder / "nodes.csv").write_text("id,kind\na,firm\nb,firm\nc,firm\n", encoding="utf-8")
    (folder / "edges.csv").write_text("source,target,layer\na,b,supply\nb,c,collaboration\n",
                                      encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    for measure in ("ilk yıl", "son yıl"):
        cell = re.search(rf"<td>{measure}</td>\s*<td[^>]*>([^<]*)</td>", page)
        assert cell and cell.group(1) == "-", measure


def test_the_command_line_offers_the_registries_names_without_importing_them():
    """`kumenet --help` answers without pandas, scipy or igraph (0.1 s instead of 0.7-1.5 s):
    its choices live in kumenet.choices, and must be the registries' own."""
    import subprocess
    import sys

    from kumenet import choices
    from kumenet.graph.communities import METHODS
    from kumenet.graph.geography import SCOPES
    from kumenet.graph.io import FORMATS
    from kumenet.matching.recommend import SCOPE_CHOICES, SOURCE_KINDS
    from kumenet.matching.scorers import HEURISTICS
    from kumenet.output import TABLE_FORMATS
    from kumenet.regional.table import DATASETS

    assert choices.COMMUNITY_METHODS == tuple(METHODS)
    assert choices.NETWORK_FORMATS == FORMATS and choices.SCOPES == SCOPES
    assert choices.SCOPE_CHOICES == SCOPE_CHOICES and choices.SOURCE_KINDS == SOURCE_KINDS
    assert choices.SCORERS == tuple(HEURISTICS) and choices.TABLE_FORMATS == TABLE_FORMATS
    assert choices.DATASETS == tuple(DATASETS)
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, kumenet.cli; print(sorted(m for m in ('pandas', "
         "'numpy', 'scipy', 'igraph', 'pyarrow', 'sqlalchemy') if m in sys.modules))"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_a_separator_for_turkish_excel_does_not_break_reading_a_comma_file(tmp_path):
    """`--sep ';'` asks for a CSV Turkish Excel opens; the comma-separated input is read as it
    is, and that is said (it was read as one column and refused)."""
    out = tmp_path / "x.csv"
    result = run("info", str(PILOT), "--format", "csv", "--sep", ";", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "nodes.csv: the separator ';' given splits none of its lines; read with ','" in \
        result.output
    assert out.read_text("utf-8-sig").splitlines()[0].startswith("table;measure;value")


def test_one_language_for_every_command(tmp_path, monkeypatch):
    """kumenet --lang, else KUMENET_LANG, else Turkish; a command's own --lang wins; a wrong
    KUMENET_LANG is refused."""
    out = tmp_path / "p.xlsx"
    result = run("convert", "sample_networks/pilot", "-o", out)
    assert f"yazıldı: {out} (757 düğüm, 6.920 bağ)" in result.output
    result = run("--lang", "en", "convert", "sample_networks/pilot", "-o", out)
    assert f"wrote {out} (757 nodes, 6,920 edges)" in result.output
    monkeypatch.setenv("KUMENET_LANG", "en")
    assert "gold" in run("clusters", "evaluate", "sample_networks/pilot").output
    assert "altın" in run("clusters", "evaluate", "sample_networks/pilot", "--lang",
                          "tr").output
    assert "altın" in run("--lang", "tr", "clusters", "evaluate", "sample_networks/pilot").output
    monkeypatch.setenv("KUMENET_LANG", "xx")
    result = run("clusters", "evaluate", "sample_networks/pilot")
    assert result.exit_code == 2 and "KUMENET_LANG must be tr or en" in result.output
