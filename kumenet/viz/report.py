"""``kumenet report``: one self-contained HTML file to hand to decision makers and firms.

Sections: summary and layers, the network map, provinces (openness, a province map), communities,
top brokers, partner suggestions per scope with reasons, the cluster evaluation, and the
regional indicators of the network's NUTS-2 regions (packaged Eurostat table). Turkish labels by
default, English with ``lang="en"``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from markupsafe import Markup

from kumenet.graph.network import Network

LABELS = {
    "en": {
        "title": "Network report", "summary": "Summary", "layers": "Layers", "map": "Network map",
        "provinces": "Provinces", "communities": "Communities", "brokers": "Top brokers",
        "suggestions": "Partner suggestions", "clusters": "Cluster evaluation",
        "regions": "Regional economy (Eurostat, 2019)", "sources": "Sources",
        "openness": "Openness of the provinces' ties", "firms_map": "Firms per province",
        "community_sizes": "Largest communities (nodes)",
        "intra_regional": "same province", "interregional": "other province",
        "international": "abroad",
        "n_communities": "{k} communities (Leiden on {layers}); quality {q:.3f}.",
        "agreement": " Agreement with the declared clusters: NMI {nmi:.3f}, ARI {ari:.3f}.",
        "suggest_intro": "For every firm the best three partners in each scope; shown: the "
                         "strongest suggestions of each scope. The full list: kumenet match "
                         "DATA --all --per-scope.",
        "scope": {"intra_regional": "Same province", "interregional": "Other provinces",
                  "international": "Abroad"},
        "regions_intro": "Employment specialisation (location quotient, LQ) of the NUTS-2 "
                         "regions holding most of the network's firms, and the sectors each "
                         "could grow into (density of related sectors already present).",
        "sources_text": "Province outlines © OpenStreetMap contributors (ODbL). Regional "
                        "employment: Eurostat lfst_r_lfe2en2. Input-output links: WIOD 2013 "
                        "release. Made with kumenet {version}.",
        "cols": {"measure": "", "edges": "records (tie-years)", "pairs": "pairs",
                 "first_year": "first year", "last_year": "last year", "metric": "", "value": "", "layer": "layer", "directed": "directed",
                 "nodes": "nodes", "ties": "ties", "density": "density",
                 "group": "province", "firms": "firms", "internal_density": "density inside",
                 "share_intra_regional": "same province", "share_interregional": "other provinces",
                 "share_international": "abroad", "ei_index": "E-I index",
                 "brokers": "brokers", "community": "community", "size": "nodes",
                 "main_province": "main province", "main_sector": "main sector",
                 "examples": "best connected", "name": "name", "kind": "kind",
                 "province": "province", "betweenness": "betweenness", "brokerage": "brokerage",
                 "source_name": "firm", "target_name": "suggested partner", "score": "score",
                 "reason": "why", "rank": "rank", "cluster": "cluster", "label": "label",
                 "profile": "profile", "region": "region", "top_sectors": "most specialised (LQ)",
                 "potential": "could grow into", "target_province": "province",
                 "target_country": "country"},
    },
    "tr": {
        "overview": {"nodes": "düğüm", "firms": "firma", "institutions": "kurum",
                     "edges (tie-years)": "kayıt (bağ-yıl)", "layers": "katman",
                     "provinces": "il", "countries": "ülke", "first year": "ilk yıl",
                     "last year": "son yıl"},
        "title": "Ağ raporu", "summary": "Özet", "layers": "Katmanlar", "map": "Ağ haritası",
        "provinces": "İller", "communities": "Topluluklar", "brokers": "Öne çıkan aracılar",
        "suggestions": "Ortaklık önerileri", "clusters": "Küme değerlendirmesi",
        "regions": "Bölgesel ekonomi (Eurostat, 2019)", "sources": "Kaynaklar",
        "openness": "İllerin bağlarının açıklığı", "firms_map": "İllere göre firma sayısı",
        "community_sizes": "En büyük topluluklar (düğüm)",
        "intra_regional": "aynı il", "interregional": "başka il", "international": "yurt dışı",
        "n_communities": "{k} topluluk (Leiden, {layers}); kalite {q:.3f}.",
        "agreement": " Beyan edilen kümelerle uyum: NMI {nmi:.3f}, ARI {ari:.3f}.",
        "suggest_intro": "Her firma için her kapsamda en iyi üç ortak; burada her kapsamın en "
                         "güçlü önerileri gösterilir. Tam liste: kumenet match DATA --all "
                         "--per-scope.",
        "scope": {"intra_regional": "Aynı il", "interregional": "Diğer iller",
                  "international": "Yurt dışı"},
        "regions_intro": "Ağdaki firmaların çoğunun bulunduğu İBBS-2 bölgelerinin istihdam "
                         "uzmanlaşması (yerelleşme katsayısı, LQ) ve her bölgenin "
                         "büyüyebileceği sektörler (ilişkili sektörlerin yoğunluğu).",
        "sources_text": "İl sınırları © OpenStreetMap katkıda bulunanlar (ODbL). Bölgesel "
                        "istihdam: Eurostat lfst_r_lfe2en2. Girdi-çıktı bağları: WIOD 2013. "
                        "kumenet {version} ile hazırlandı.",
        "cols": {"measure": "", "edges": "kayıt (bağ-yıl)", "pairs": "çift",
                 "first_year": "ilk yıl", "last_year": "son yıl", "metric": "", "value": "", "layer": "katman", "directed": "yönlü",
                 "nodes": "düğüm", "ties": "bağ", "density": "yoğunluk",
                 "group": "il", "firms": "firma", "internal_density": "iç yoğunluk",
                 "share_intra_regional": "aynı il", "share_interregional": "diğer iller",
                 "share_international": "yurt dışı", "ei_index": "E-I endeksi",
                 "brokers": "aracı", "community": "topluluk", "size": "düğüm",
                 "main_province": "ana il", "main_sector": "ana sektör",
                 "examples": "en bağlantılı", "name": "ad", "kind": "tür", "province": "il",
                 "betweenness": "arasındalık", "brokerage": "aracılık",
                 "source_name": "firma", "target_name": "önerilen ortak", "score": "puan",
                 "reason": "neden", "rank": "sıra", "cluster": "küme", "label": "derece",
                 "profile": "profil", "region": "bölge", "top_sectors": "en uzmanlaşmış (LQ)",
                 "potential": "büyüyebileceği", "target_province": "il",
                 "target_country": "ülke"},
    },
}


@dataclass
class Table:
    headers: list
    rows: list  # of lists of (text, numeric?)
    caption: str = ""


@dataclass
class Section:
    title: str
    intro: str = ""
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    has_map: bool = False


def _table(frame: pd.DataFrame, labels: dict, formats: dict | None = None) -> Table:
    """Text cells (escaped later by the template), numbers formatted."""
    formats = formats or {}
    columns, rows = list(frame.columns), []
    cells = {}
    for col in columns:
        values = frame[col]
        fmt = formats.get(col)
        if values.dtype.kind == "f":
            fmt = fmt or "{:,.3f}"
            cells[col] = [(("-" if pd.isna(x) else fmt.format(x)), True) for x in values]
        elif values.dtype.kind in "iu":  # years stay 2024; large counts get separators
            cells[col] = [("-" if pd.isna(x) else f"{x:,}" if abs(x) >= 10_000 else str(x), True)
                          for x in values]
        else:
            cells[col] = [("" if pd.isna(x) else str(x), False) for x in values.astype(object)]
    rows = [[cells[c][i] for c in columns] for i in range(len(frame))]
    return Table([labels.get(c, c) for c in columns], rows)


def build_report(net: Network, where: str = "", lang: str = "tr", seed: int = 0,
                 max_nodes: int | None = None) -> str:
    """The report as one self-contained HTML page."""
    from importlib.metadata import version

    from kumenet.graph.communities import communities, compare, firm_layers
    from kumenet.graph.metrics import group_metrics, node_metrics
    from kumenet.graph.summary import summary
    from kumenet.viz.charts import bar_chart, province_map, stacked_bars
    from kumenet.viz.html import asset, render_page, script_json, vis_network_js
    from kumenet.viz.map import MAX_NODES, TEXT, build_map

    if lang not in LABELS:
        from kumenet.errors import KumenetError

        raise KumenetError(f"unknown language {lang!r}; use tr or en")
    L = LABELS[lang]
    cols = L["cols"]
    sections = []
    tables = summary(net)
    overview = tables["overview"].copy()
    overview["measure"] = overview["measure"].map(lambda m: L.get("overview", {}).get(m, m))
    layer_table = tables["layers"].copy()
    if lang == "tr":  # layer names and yes/no in Turkish, as the map's legend has them
        from kumenet.viz.map import LAYER_NAMES

        names = LAYER_NAMES["tr"]
        layer_table["layer"] = layer_table["layer"].map(lambda x: names.get(x, x))
        layer_table["directed"] = layer_table["directed"].map({True: "evet", False: "hayır"})
    sections.append(Section(L["summary"], tables=[
        _table(overview, cols), _table(layer_table, cols)]))
    # communities (also colour the map)
    layers = firm_layers(net)
    partition = communities(net, "leiden", layers=layers, seed=seed)
    metrics = node_metrics(net)
    data = build_map(net, lang=lang, seed=seed, max_nodes=max_nodes or MAX_NODES)
    sections.append(Section(L["map"], intro=data.note, has_map=True))
    groups = group_metrics(net, "province", metrics=metrics)
    turkish = set(net.nodes.loc[(net.nodes["country"] == "TR").to_numpy(), "province"].dropna())
    shown = groups[(groups["firms"] > 0) & groups["group"].isin(turkish)].head(15)
    openness = stacked_bars(shown, "group", ["share_intra_regional", "share_interregional",
                                             "share_international"],
                            [L["intra_regional"], L["interregional"], L["international"]],
                            L["openness"])
    domestic = net.nodes[(net.nodes["kind"] == "firm") & (net.nodes["country"] == "TR")]
    firms_map = province_map(domestic["province"].value_counts(), L["firms_map"], cols["firms"])
    sections.append(Section(L["provinces"], tables=[_table(shown[[
        "group", "firms", "internal_density", "share_intra_regional", "share_interregional",
        "share_international", "ei_index", "brokers"]], cols, {
            "share_intra_regional": "{:.0%}", "share_interregional": "{:.0%}",
            "share_international": "{:.0%}", "ei_index": "{:+.2f}"})],
        charts=[Markup(openness), Markup(firms_map)]))
    sections.append(_communities(net, partition, L, cols, seed, compare, bar_chart, lang))
    top = metrics.sort_values(["betweenness", "name"], ascending=[False, True]).head(10)
    sections.append(Section(L["brokers"], tables=[_table(
        top[["name", "kind", "province", "betweenness", "brokerage"]], cols,
        {"betweenness": "{:.4f}", "brokerage": "{:,.0f}"})]))
    sections.append(_suggestions(net, L, cols, seed))
    if "cluster" in net.nodes and net.nodes["cluster"].notna().any():
        sections.append(_clusters(net, L, cols))
    regions = _regions(net, L, cols)
    if regions is not None:
        sections.append(regions)
    sections.append(Section(L["sources"], intro=L["sources_text"].format(
        version=version("kumenet"))))
    title = f"{where} · {L['title']}" if where else L["title"]
    return render_page("report.html", [vis_network_js(), asset("map.js")], lang=lang,
                       title=title, css=Markup(asset("kumenet.css")), sections=sections,
                       map_id="km-map", text=TEXT[lang], note="", credit=data.credit,
                       height="720px", data=Markup(script_json(data.payload())))


def _communities(net, partition, L, cols, seed, compare, bar_chart, lang="tr") -> Section:
    from kumenet.graph.geography import region_codes
    from kumenet.graph.metrics import group_mode

    membership = np.asarray(partition.membership)
    frame = pd.DataFrame({"community": membership, "province": region_codes(net.nodes).to_numpy(),
                          "sector": net.nodes["sector"].astype(object).to_numpy(),
                          "name": net.nodes["name"].astype(str).to_numpy(),
                          "degree": np.diff(net.adjacency().indptr)})
    by = frame.groupby("community")
    table = pd.DataFrame({
        "size": by.size(),
        "main_province": group_mode(membership, frame["province"]).reindex(by.size().index)
        .fillna(""),
        "main_sector": group_mode(membership, frame["sector"]).reindex(by.size().index)
        .fillna(""),
        "examples": frame.sort_values(["degree", "name"], ascending=[False, True])
        .groupby("community")["name"].agg(lambda s: ", ".join(s.head(3))),
    }).reset_index().sort_values(["size", "community"], ascending=[False, True])
    table = table[table["size"] > 1].head(15)
    from kumenet.graph.communities import community_names

    table["community"] = community_names(net, membership, lang)[table["community"].to_numpy()]
    layers = ", ".join(partition.parameters.get("layers") or net.layers)
    intro = L["n_communities"].format(k=partition.n_communities, layers=layers,
                                      q=partition.quality)
    if "cluster" in net.nodes and net.nodes["cluster"].notna().any():
        intro += L["agreement"].format(**compare(partition, net.nodes["cluster"]))
    chart = bar_chart(table["community"].astype(str), table["size"], L["community_sizes"])
    table["size"] = table["size"].astype("int64")
    return Section(L["communities"], intro=intro, tables=[_table(table, cols)],
                   charts=[Markup(chart)])


def _suggestions(net, L, cols, seed) -> Section:
    from kumenet.matching.recommend import recommend_partners

    suggestions = recommend_partners(net, k=3, per_scope=True, seed=seed)
    tables = []
    for scope in ("intra_regional", "interregional", "international"):
        rows = suggestions[(suggestions["scope"] == scope) & (suggestions["rank"] == 1)]
        rows = rows.sort_values(["score", "source_name"], ascending=[False, True]).head(8)
        shown = rows[["source_name", "target_name", "target_province", "target_country",
                      "score", "reason"]].copy()
        shown.insert(0, "scope", L["scope"][scope])
        tables.append(_table(shown.drop(columns="scope"), cols, {"score": "{:.3f}"}))
        tables[-1].caption = L["scope"][scope]
    return Section(L["suggestions"], intro=L["suggest_intro"], tables=tables)


def _clusters(net, L, cols) -> Section:
    from kumenet.regional.evaluation import evaluate_clusters

    from kumenet.errors import KumenetError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table, _ = evaluate_clusters(net, "cluster")
    except KumenetError as err:  # e.g. no cluster large enough: say so in the report
        return Section(L["clusters"], intro=str(err))
    return Section(L["clusters"], tables=[_table(
        table[["rank", "cluster", "label", "score", "firms", "profile"]], cols,
        {"score": "{:.1f}", "firms": "{:,.0f}"})])


def _regions(net, L, cols) -> Section | None:
    from kumenet.graph.geography import region_codes
    from kumenet.regional.complexity import complexity, potential
    from kumenet.regional.specialisation import specialisation
    from kumenet.regional.table import load_dataset

    firms = net.nodes["kind"] == "firm"
    nuts2 = region_codes(net.nodes[firms.to_numpy() & (net.nodes["country"] == "TR").to_numpy()],
                         "nuts2").value_counts()
    if nuts2.empty:
        return None
    table = load_dataset("tr-nuts2-employment")
    wanted = list(nuts2.index[:5])
    spec = specialisation(table, 2019)
    spec = spec[spec["region"].isin(wanted)].sort_values(["region", "lq"], ascending=[True, False])
    spec["text"] = spec["sector"] + " " + spec["lq"].map("{:.2f}".format)
    top = spec.groupby("region").head(3).groupby("region")["text"].agg(", ".join)
    grow = potential(complexity(table, 2019), wanted, top=2)
    grow["text"] = grow["sector"] + " (" + grow["reason"] + ")"
    nxt = grow.groupby("region")["text"].agg("; ".join)
    names = table.names("region")
    out = pd.DataFrame({"region": [f"{r} {names.get(r, '')}" for r in wanted],
                        "firms": nuts2[wanted].to_numpy(),
                        "top_sectors": top.reindex(wanted).to_numpy(),
                        "potential": nxt.reindex(wanted).to_numpy()})
    return Section(L["regions"], intro=L["regions_intro"], tables=[_table(out, cols)])


def write_report(net: Network, path, **options) -> Path:
    """Write the report to ``path`` (atomically, UTF-8)."""
    from kumenet.files import atomic_path

    path = Path(path)
    html = build_report(net, **options)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return path
