"""The Turkish outputs hold no English UI word, and write numbers the Turkish way."""

from __future__ import annotations

import html
import json
import re

import pytest

from kumenet.app import maps
from kumenet.messages import MESSAGES, fmt, number, percent, text
from kumenet.app.maps import write_map
from kumenet.app.maps import write_province_map
from kumenet.app.report import write_report

# Words of kumenet's English interface (and common English glue words) that must not reach a
# Turkish page. Data may be English (foreign buyers' names); the pilot's is not ("of" is left
# out: Of is a district of Trabzon).
ENGLISH = set("""
shared partner partners layer layers member members strengths improve gold silver bronze
institution institutions firm firms community communities related proximity value chain
active buyer supplier export market network nodes node ties density score rank true false yes
province provinces sector sectors cluster clusters report search the and in with
contributors abroad other unknown degree suggested employees country kind type why label
profile region records pairs first last year directed brokers betweenness brokerage name
summary sources map view aggregated groups group small largest open steps reachable latest
strength specialisation employment growth exporters international knowledge collaboration
supply membership information company chamber university union agency zone germany united
""".split())


def visible_words(page: str) -> dict[str, str]:
    """Every word a reader can see: the page's text, and the texts inside the map's data
    (tooltips, legend, layer names, the script's own words)."""
    payloads = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"<title>.*?</title>", " ", body, flags=re.S)  # svg titles are tooltips
    texts = [html.unescape(re.sub(r"<[^>]+>", "\n", body))]
    texts += re.findall(r"<title>(.*?)</title>", page, re.S)
    texts += re.findall(r'(?:placeholder|aria-label)="([^"]*)"', page)
    for raw in payloads:
        data = json.loads(html.unescape(raw))
        texts += [str(x) for x in _strings(data.get("text", {}))]
        texts += [str(x) for x in _strings(data.get("legend", {}))]
        texts += [item.get("label", "") for item in data.get("layers", [])]
        texts += [str(t) for t in data["nodes"].get("title", []) if t]
        texts += [str(t) for t in data["edges"].get("title", []) if t]
    words = {}
    for chunk in texts:
        chunk = re.sub(r"kumenet [a-z]+ DATA[^.;\n]*", " ", chunk)  # command examples
        for line in chunk.splitlines():
            for word in re.findall(r"[^\W\d_]+", line):  # Unicode words: "için" is not "in"
                words.setdefault(word.lower(), line.strip())
    return words


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def turkish_pages(pilot, tmp_path_factory):
    folder = tmp_path_factory.mktemp("tr")
    return {
        "report": write_report(pilot, folder / "report.html", where="pilot"),
        "map": write_map(pilot, folder / "map.html"),
        "geo": write_map(pilot, folder / "geo.html", layout="geo", color="sector"),
        "geo_province": write_map(pilot, folder / "geo_p.html", layout="geo", color="province"),
        "ego": maps.write_map(pilot, folder / "ego.html", focus="F000001", hops=1),
        "aggregated": write_map(pilot, folder / "agg.html", max_nodes=100,
                                aggregate_by="province"),
        "opened": write_map(pilot, folder / "open.html", max_nodes=100,
                            aggregate_by="province", group="Gaziantep"),
        "chart": write_province_map(pilot, "employees", folder / "chart.html"),
    }


@pytest.mark.parametrize("page", ["report", "map", "geo", "geo_province", "ego", "aggregated",
                                  "opened", "chart"])
def test_no_english_word_on_a_turkish_page(turkish_pages, page):
    words = visible_words(turkish_pages[page].read_text(encoding="utf-8"))
    english = {w: line for w, line in words.items() if w in ENGLISH}
    assert english == {}, english


def test_the_check_sees_english(pilot, tmp_path):
    """The same check fails on the English report (it is not blind)."""
    page = write_report(pilot, tmp_path / "en.html", where="pilot", lang="en")
    words = visible_words(page.read_text(encoding="utf-8"))
    assert {"shared", "partners", "strengths", "gold", "layer", "firm"} <= set(words)


def test_turkish_numbers_in_the_report(turkish_pages):
    page = turkish_pages["report"].read_text(encoding="utf-8")
    body = html.unescape(re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))
    assert re.search(r"kalite 0,\d{3}\.", body)  # decimal comma
    assert re.search(r">%\d+<", body)  # %72, the Turkish way
    assert not re.search(r">\d+%<", body)
    assert re.search(r">\d{1,3}(\.\d{3})+<", body)  # thousands with a dot (brokerage)
    assert "★★★★★" in body  # strengths


def test_catalogue_has_both_languages_and_the_same_fields():
    for key, (en, tr) in MESSAGES.items():
        fields_en = sorted(re.findall(r"\{(\w+)", en))
        fields_tr = sorted(re.findall(r"\{(\w+)", tr))
        assert fields_en == fields_tr, key
        assert (en == "") == (tr == ""), key


def test_numbers_for_each_language():
    assert number(20038, "tr") == "20.038" and number(20038, "en") == "20,038"
    assert number(0.894, "tr", 2) == "0,89" and number(0.894, "en", 2) == "0.89"
    assert percent(0.72, "tr") == "%72" and percent(0.72, "en") == "72%"
    assert fmt("{:+.2f}", "tr", -0.43) == "-0,43" and fmt("{:+.0%}", "en", 0.23) == "+23%"
    assert fmt("{}", "tr", 2024) == "2024"  # years keep their four digits
    assert text("report.n_communities", "en", k=12, layers="supply", q=0.5) == \
        "12 communities (Leiden on supply); quality 0.500."


def test_reasons_in_both_languages(pilot):
    from kumenet.matching.recommend import recommend_partners

    tr = recommend_partners(pilot, k=5, method="adamic_adar", lang="tr")
    en = recommend_partners(pilot, k=5, method="adamic_adar", lang="en")
    assert (tr[["source", "target", "score"]] == en[["source", "target", "score"]]).all().all()
    assert tr["reason"].str.contains(r"^\w+ katmanında \d+ ortak iş ortağı: ").any()
    assert en["reason"].str.contains(r"^\d+ shared partners? in the \w+ layer: ").any()
    assert tr["reason"].str.contains("sektörleri değer zincirinde bağlı").any()
    assert not tr["reason"].str.contains("shared|layer|members of").any()
