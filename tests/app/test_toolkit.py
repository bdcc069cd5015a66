"""The clustering toolkit: a brief per cluster, in five sections, from the data."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from kumenet.app.analysis import analyse
from kumenet.app.toolkit import SECTIONS, Brief, build_brief, cluster_names, write_brief
from kumenet.errors import KumenetError
from kumenet.messages import text
from tests.conftest import SHARED
from tests.viz.test_turkish import ENGLISH, visible_words


@pytest.fixture(scope="module")
def pilot_analysis(pilot):
    return analyse(pilot, lang=("tr", "en"))


@pytest.fixture(scope="module")
def pilot_briefs(pilot_analysis, tmp_path_factory):
    """Every pilot cluster's brief in both languages, in the three formats."""
    folder = tmp_path_factory.mktemp("briefs")
    out = {}
    for i, name in enumerate(cluster_names(pilot_analysis)):
        for lang in ("tr", "en"):
            brief = build_brief(pilot_analysis, name, lang=lang)
            out[name, lang] = {ext: write_brief(brief, folder / f"{i}_{lang}.{ext}")
                               for ext in ("html", "docx", "xlsx")}
            out[name, lang]["brief"] = brief
    return out


def test_a_brief_for_every_pilot_cluster_in_both_languages(pilot_briefs, pilot_analysis):
    import docx

    assert len(pilot_briefs) == 2 * len(cluster_names(pilot_analysis)) == 28
    for (name, lang), made in pilot_briefs.items():
        page = made["html"].read_text(encoding="utf-8")
        assert re.findall(r'data-section="([a-z-]+)"', page) == list(SECTIONS)
        assert name in page
        document = docx.Document(str(made["docx"]))
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        assert headings == [f"{i}. {p.title}" for i, p in enumerate(made["brief"].parts, 1)]
        assert len(headings) == 5
        sheets = pd.read_excel(made["xlsx"], sheet_name=None)
        assert len(sheets) == sum(len(p.tables) + bool(p.facts) for p in made["brief"].parts)


def test_the_html_brief_is_printable_and_holds_no_link_or_script(pilot_briefs):
    page = pilot_briefs["Gaziantep plastik", "tr"]["html"].read_text(encoding="utf-8")
    assert "<script" not in page and "<a " not in page and "<button" not in page
    assert "<form" not in page and "href=" not in page and "src=" not in page
    assert not re.findall(r"https?://(?!www\.w3\.org/2000/svg)", page)  # the SVG's namespace
    assert "@page { size: A4" in page and "@media print" in page


def test_a_turkish_brief_holds_no_english_interface_word(pilot_briefs):
    for (name, lang), made in pilot_briefs.items():
        if lang != "tr":
            continue
        words = visible_words(_commands_out(made["html"].read_text(encoding="utf-8")))
        english = {w: line for w, line in words.items() if w in ENGLISH}
        assert english == {}, (name, english)


def _commands_out(page: str) -> str:
    """The page without the kumenet commands a brief names as its sources (commands are not
    translated)."""
    return re.sub(r"\(kumenet [a-z]+( [a-z]+)?\)", " ", page)


def test_the_check_sees_english_in_an_english_brief(pilot_briefs):
    words = visible_words(pilot_briefs["Gaziantep plastik", "en"]["html"]
                          .read_text(encoding="utf-8"))
    assert {"cluster", "members", "province", "sector", "partners"} <= set(words)


def test_the_numbers_are_those_of_the_tables_they_come_from(pilot, pilot_analysis):
    """Criteria equal clusters evaluate, the potential sectors equal the regions' table, the
    quick wins are suggestions of kumenet match with their scores and reasons."""
    from kumenet.matching.recommend import recommend_partners
    from kumenet.regional.evaluation import evaluate_clusters

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table, _ = evaluate_clusters(pilot, "cluster", lang="en")
    brief = build_brief(pilot_analysis, "Trabzon tekne yapımı", lang="en")
    row = table.set_index("cluster").loc["Trabzon tekne yapımı"]
    ident = brief.parts[0]
    criteria = ident.tables[0][1]
    assert criteria["points"].tolist() == pytest.approx(
        row[["economic_impact", "demand", "networking", "factor_conditions"]].astype(float)
        .tolist())
    facts = dict(ident.facts)
    assert facts["member firms"] == f"{int(row['firms'])}"
    assert facts["specialisation in the main province"] == f"LQ {row['specialisation']:.2f}"
    assert facts["national evaluation"].startswith(f"rank {int(row['rank'])} of {len(table)}")
    grow = pilot_analysis.regions.own_potential["en"]
    grow = grow[grow["region"] == "Trabzon"]
    potential = ident.tables[1][1]
    assert potential["density"].tolist() == pytest.approx(grow["density"].tolist())
    assert potential["reason"].tolist() == grow["reason"].tolist()
    members = pilot.nodes.loc[pilot.nodes["cluster"] == "Trabzon tekne yapımı", "id"].tolist()
    match = recommend_partners(pilot, members, k=3, per_scope=True, seed=0, lang="en")
    wins = dict((cap, t) for cap, t, _ in brief.parts[1].tables)["Quick-win introductions "
                                                                    "inside the cluster"]
    for w in wins.itertuples():
        hit = match[(match["source_name"] == w.source_name)
                    & (match["target_name"] == w.target_name)]
        assert len(hit) == 1 and hit["score"].iloc[0] == pytest.approx(w.score)
        assert hit["reason"].iloc[0] == w.reason


def test_governance_checks_the_programme_minimums(pilot_analysis):
    brief = build_brief(pilot_analysis, "Çorum tuğla ve kiremit", lang="en")
    gov = dict((cap, t) for cap, t, _ in brief.parts[2].tables)
    rules = gov["Programme minimums"].set_index("requirement")
    firms = int(rules.loc["committed member firms", "present"])
    assert (rules.loc["committed member firms", "met"] == "yes") == (firms >= 20)
    board = gov["Board shortlist"]
    firms_on_board = board[board["kind"] == "firm"]
    assert len(firms_on_board) == min(7, firms) and board["name"].is_unique


def test_names_are_found_as_people_type_them(pilot_analysis):
    brief = build_brief(pilot_analysis, "  GAZİANTEP plastik ", lang="tr")
    assert brief.cluster == "Gaziantep plastik"
    with pytest.raises(KumenetError, match="did you mean 'Gaziantep plastik'"):
        build_brief(pilot_analysis, "Gaziantep plastk")


def test_other_groupings(pilot_analysis):
    for by in ("community", "province-sector"):
        name = cluster_names(pilot_analysis, by)[0]
        brief = build_brief(pilot_analysis, name, by=by, lang="tr")
        assert [p.key for p in brief.parts] == list(SECTIONS)


def test_a_brief_round_trips_through_json(pilot_briefs):
    from kumenet.viz.brief import brief_html

    brief = pilot_briefs["Samsun tarım makineleri", "tr"]["brief"]
    assert brief_html(Brief.from_json(brief.to_json())) == brief_html(brief)


def _bare(pilot, drop_years=False, drop_employees=False, drop_institutions=False):
    from kumenet.graph.network import Network

    nodes, edges = pilot.nodes.copy(), pilot.edges.copy()
    if drop_institutions:
        keep = nodes.loc[nodes["kind"] == "firm", "id"]
        nodes = nodes[nodes["kind"] == "firm"]
        edges = edges[edges["source"].isin(keep) & edges["target"].isin(keep)]
    if drop_employees:
        nodes = nodes.drop(columns=["employees", "exports_usd"])
    if drop_years:
        edges = edges.drop(columns=["year"])
    for frame in (nodes, edges):
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.CategoricalDtype):
                frame[col] = frame[col].astype(object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Network.from_frames(nodes.reset_index(drop=True), edges.reset_index(drop=True),
                                   directed_layers=pilot.directed_layers)


def test_a_cluster_without_years_employees_or_institutions_still_gets_a_brief(pilot):
    net = _bare(pilot, drop_years=True, drop_employees=True, drop_institutions=True)
    a = analyse(net, lang="en")
    brief = build_brief(a, "Gaziantep plastik", lang="en")
    said = " ".join(m for p in brief.parts for m in p.missing)
    assert text("toolkit.no_years", "en") in said
    assert text("toolkit.no_institutions", "en") in said
    assert text("toolkit.no_employees", "en") in said
    assert text("toolkit.no_exports", "en") in said
    facts = dict(brief.parts[0].facts)
    assert facts["employees"] == "-" and facts["growth of ties (last 3 years)"] == \
        text("toolkit.unknown", "en")


def test_a_brief_is_the_same_for_the_same_input(pilot):
    one = build_brief(analyse(pilot, lang="tr"), "Çorum leblebi").to_json()
    two = build_brief(analyse(pilot, lang="tr"), "Çorum leblebi").to_json()
    assert one == two


def test_write_brief_refuses_other_formats(pilot_briefs, tmp_path):
    brief = pilot_briefs["Çorum leblebi", "tr"]["brief"]
    with pytest.raises(KumenetError, match=r"\.html, \.docx or \.xlsx"):
        write_brief(brief, tmp_path / "brief.pdf")
    assert not (tmp_path / "brief.pdf").exists()


@pytest.mark.slow
def test_ten_cordis_communities_in_both_languages(tmp_path):
    """A real collaboration network without Turkish firms, without employees: the briefs
    say what they cannot measure."""
    import docx

    from kumenet.graph.io import read_network

    path = SHARED / "cordis_h2020_dev"
    if not path.exists():
        pytest.skip("the CORDIS network lives in ../shared/data")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = read_network(path, directed_layers=["coordination"])
    # Without partner suggestions (the longest step on this network): the brief says it has
    # none, and every other section is what it would be.
    a = analyse(net, lang=("tr", "en"), suggestions=False)
    names = cluster_names(a, "community")[:10]
    assert len(names) == 10
    for name in names:
        for lang in ("tr", "en"):
            brief = build_brief(a, name, by="community", lang=lang)
            page = write_brief(brief, tmp_path / f"b_{lang}.html").read_text(encoding="utf-8")
            assert re.findall(r'data-section="([a-z-]+)"', page) == list(SECTIONS)
            document = docx.Document(str(write_brief(brief, tmp_path / f"b_{lang}.docx")))
            assert sum(p.style.name == "Heading 1" for p in document.paragraphs) == 5
            assert any(brief.parts[i].missing for i in range(5))
            if lang == "tr":
                words = visible_words(_commands_out(page))
                english = {w: words[w] for w in words if w in ENGLISH and w not in _DATA_WORDS}
                assert not english, (name, english)


# Words CORDIS's own data holds (organisation names, programme acronyms, the country code IN of
# "Hindistan (IN)"): data, not interface.
_DATA_WORDS = {"in", "university", "the", "and", "of", "research", "institute", "network",
               "union", "agency", "united", "germany", "company"}


def test_the_cli_writes_a_brief_and_says_did_you_mean(tmp_path):
    from click.testing import CliRunner

    from kumenet.cli import cli
    from tests.conftest import ROOT

    pilot = str(ROOT / "sample_networks" / "pilot")
    runner = CliRunner()
    out = tmp_path / "b.docx"
    result = runner.invoke(cli, ["toolkit", pilot, "--cluster", "çorum leblebi", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and str(out) in result.output
    result = runner.invoke(cli, ["toolkit", pilot, "--cluster", "Corum lebleb", "-o",
                                 str(tmp_path / "x.html")])
    assert result.exit_code != 0 and "did you mean 'Çorum leblebi'" in result.output
    assert not (tmp_path / "x.html").exists()
    result = runner.invoke(cli, ["toolkit", pilot, "-o", str(tmp_path / "y.html")])
    assert result.exit_code == 2 and "--cluster NAME or --all" in result.output
    result = runner.invoke(cli, ["toolkit", pilot, "--all", "--format", "xlsx", "-o",
                                 str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert len(written) == 14 and "corum_leblebi.xlsx" in written


def test_every_toolkit_message_has_both_languages():
    from kumenet.messages import MESSAGES

    keys = [k for k in MESSAGES if k.startswith("toolkit.")]
    assert len(keys) > 80
    for key in keys:
        en, tr = MESSAGES[key]
        assert en and tr and (en != tr or key in ()), key
    assert np.all([isinstance(MESSAGES[k][1], str) for k in keys])
