"""What the portal's pages show, read from a snapshot (:mod:`kumenet.app.snapshot`).

Every function returns plain data (dicts and lists of dicts, JSON-able): the HTML page and its
JSON twin are the same data. The snapshot is opened read-only in a sandbox: the SQL page's
statements can read its tables and nothing else (:mod:`kumenet.sql`).
"""

from __future__ import annotations

import json

import math
import threading
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from kumenet.errors import KumenetError
from kumenet.messages import number, term, text
from kumenet.text import fold, sort_key

__all__ = ["NotFound", "Snapshot", "records", "home", "search", "actor", "actor_workbook",
           "cluster", "cluster_brief", "brief_file", "cluster_map", "region", "sql",
           "ego_map", "drawing_asset", "choropleth", "clusters_over_time", "standing"]


PAGE_SIZE = 20
SQL_MAX_ROWS = 1000
SQL_TIMEOUT = 10.0


#: The tables of ``kumenet query`` by the same names on the SQL page: views of the
#: snapshot's own (a query written for one runs on the other).
QUERY_NAMES = {"edges": "ties", "node_metrics": "metrics", "group_metrics": "provinces"}


class NotFound(KumenetError):
    """No actor, cluster or region of that name."""


class Snapshot:
    """A read-only, sandboxed connection to a snapshot file; one cursor per thread."""

    def __init__(self, path: str | Path):
        import duckdb

        self.path = Path(path)
        from kumenet.app.snapshot import READ_CONFIG

        self._db = duckdb.connect(str(self.path), read_only=True, config=READ_CONFIG)
        # DuckDB shares one database per file in a process: a second Snapshot of the same
        # file finds it locked already.
        if not self._db.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
            self._db.execute("SET lock_configuration = true")
        self._local = threading.local()
        self.tables = [r[0] for r in self._db.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        self.meta = self.rows("SELECT * FROM meta")[0]
        # The few named groups search also looks through, with their folded names.
        self.named = {"clusters": [], "communities": {}, "regions": []}
        if self.rows("SELECT count(*) AS n FROM clusters")[0]["n"]:
            self.named["clusters"] = [
                {**r, "key": fold(r["cluster"])} for r in self.rows(
                    "SELECT cluster, label_tr, label_en, score FROM clusters ORDER BY rank")]
        for lang in ("tr", "en"):
            self.named["communities"][lang] = [
                {**r, "key": fold(r["name"])} for r in self.rows(
                    f"SELECT community, name_{lang} AS name, size FROM communities "
                    "WHERE size > 1 ORDER BY size DESC")]
        self.directed = frozenset(r["layer"] for r in self.rows(
            "SELECT layer FROM layers WHERE directed")) if "layers" in self.tables else None
        self.named["sectors"] = [
            {**r, "key_tr": fold(f"{r['sector']} {r['name_tr'] or ''}"),
             "key_en": fold(f"{r['sector']} {r['name_en'] or ''}")} for r in self.rows(
                "SELECT sector, any_value(sector_name_tr) AS name_tr, any_value(sector_name_en) "
                "AS name_en, count(*) AS actors FROM nodes WHERE sector IS NOT NULL "
                "GROUP BY sector ORDER BY actors DESC, sector")]
        self.named["regions"] = [
            {**r, "key": fold(f"{r['region']} {r['region_name']}")} for r in self.rows(
                "SELECT DISTINCT region, region_name FROM regions ORDER BY region")]

    def close(self) -> None:
        """Close the database (every thread's cursor with it)."""
        self._db.close()

    def cursor(self):
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._db.cursor()
            for name, table in QUERY_NAMES.items():  # this thread's connection only
                if table in self.tables:
                    cur.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM {table}")
        return cur

    def frame(self, sql: str, params=()) -> pd.DataFrame:
        return self.cursor().execute(sql, list(params)).df()

    def rows(self, sql: str, params=()) -> list[dict]:
        """Rows as dicts of plain Python values (no DataFrame on the way: a page's queries
        cost a fraction of a millisecond each). ``params``: a list for ``?``, a dict for
        ``$name``."""
        cur = self.cursor().execute(sql, params if isinstance(params, dict) else list(params))
        names = [d[0] for d in cur.description]
        return [_plain_row(dict(zip(names, row))) for row in cur.fetchall()]

    def schema(self) -> list[dict]:
        """Every table and its columns, for the SQL page."""
        cols = self.frame("SELECT table_name, column_name, data_type FROM "
                          "information_schema.columns ORDER BY table_name, ordinal_position")
        return [{"table": t, "columns": records(g[["column_name", "data_type"]].rename(
                    columns={"column_name": "name", "data_type": "type"}))}
                for t, g in cols.groupby("table_name", sort=True)]


def _plain_row(row: dict) -> dict:
    for k, v in row.items():
        if isinstance(v, float) and not math.isfinite(v):
            row[k] = None
        elif isinstance(v, Decimal):
            row[k] = float(v)
    return row


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of JSON-able values (missing as None).

    >>> records(pd.DataFrame({'id': ['a', 'b'], 'employees': [12.0, float('nan')]}))
    [{'id': 'a', 'employees': 12.0}, {'id': 'b', 'employees': None}]
    """
    out = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in out:
        for k, v in row.items():
            if isinstance(v, float) and not math.isfinite(v):
                row[k] = None
            elif hasattr(v, "tolist"):  # numpy scalars and arrays (DuckDB lists)
                row[k] = v.tolist()
    return out


def home(snap: Snapshot, lang: str, year: int | None = None) -> dict:
    """The programme at a glance (as of ``year``: the actors with a tie observed up to it,
    and those ties).

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> data = home(snap, 'tr')
    >>> sorted(data)[:4], sum(r['firms'] for r in data['provinces']) > 0
    (['all_years', 'clusters', 'layers', 'meta'], True)
    """
    until = "" if year is None else f"WHERE year IS NULL OR year <= {int(year)}"
    active = "" if year is None else (
        f"AND id IN (SELECT DISTINCT actor FROM neighbours WHERE year IS NULL OR "
        f"year <= {int(year)})")
    provinces = snap.rows(
        "SELECT province, count(*) FILTER (kind = 'firm') AS firms, "
        "count(*) FILTER (kind = 'institution') AS institutions FROM nodes "
        f"WHERE country = 'TR' AND province IS NOT NULL {active} GROUP BY province "
        "ORDER BY firms DESC, province LIMIT 15")
    layers = snap.rows("SELECT layer, count(*) AS ties, min(year) AS first_year, "
                       f"max(year) AS last_year FROM ties {until} GROUP BY layer "
                       "ORDER BY ties DESC")
    for row in layers:
        row["label"] = term("layer", row["layer"], lang)
    years = snap.rows("SELECT year, count(*) AS ties FROM ties WHERE year IS NOT NULL "
                      "GROUP BY year ORDER BY year")
    clusters = []
    if snap.named["clusters"]:  # counted once when the snapshot was opened
        clusters = snap.rows(f"SELECT rank, cluster, label_{lang} AS label, score, firms "
                             "FROM clusters ORDER BY rank LIMIT 10")
    return {"meta": snap.meta, "provinces": provinces, "layers": layers, "years": years,
            "clusters": clusters, "year": year, "all_years": _years(snap)}


def _has_rows(snap: Snapshot, table: str) -> bool:
    return snap.rows(f'SELECT count(*) AS n FROM "{table}"')[0]["n"] > 0


def search(snap: Snapshot, q: str, lang: str, kind: str | None = None,
           province: str | None = None, sector: str | None = None, page: int = 1) -> dict:
    """Actors whose names match ``q`` typed any way (Turkish letters or not, any case, a
    letter or two wrong), best first; and the clusters, communities, sectors and regions
    whose names contain it.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> search(snap, 'YILDIZ medikl', 'tr')['actors'][0]['name']
    'Yıldız Medikal San. Tic. Ltd. Şti.'
    """
    key = fold(q or "")
    page = max(1, int(page))
    where, named = ["1 = 1"], {}
    if kind in ("firm", "institution"):
        where.append("kind = $kind")
        named["kind"] = kind
    if province:
        where.append("lower(province) = lower($province)")
        named["province"] = province
    if sector:
        where.append("starts_with(sector, $sector)")
        named["sector"] = sector
    if key:
        # exact > begins with > contains > spelled alike: Jaro-Winkler on the name and on its
        # beginning as long as what was typed, among the names that begin with the same two
        # letters (a typo there is rare, and the names are stored in that order: DuckDB reads
        # only their range)
        score = ("CASE WHEN name_key = $key THEN 4 WHEN starts_with(name_key, $key) THEN 3 "
                 "WHEN contains(name_key, $key) THEN 2 ELSE 0 END + CASE WHEN "
                 "starts_with(name_key, left($key, 2)) THEN greatest("
                 "jaro_winkler_similarity(name_key, $key), jaro_winkler_similarity("
                 "left(name_key, length($key) + 1), $key)) ELSE 0 END")
        where.append(f"(contains(name_key, $key) OR (starts_with(name_key, left($key, 2)) "
                     f"AND ({score}) >= 0.9))")
    else:
        score = "0"
    conditions = " AND ".join(where)
    if key:
        named["key"] = key
    rows = snap.rows(
        f"SELECT id, name, kind, subtype, province, country, sector, sector_name_{lang} AS "
        f"sector_name, {score} AS match, count(*) OVER () AS total FROM nodes WHERE "
        f"{conditions} ORDER BY match DESC, name_key, id LIMIT {PAGE_SIZE} OFFSET "
        f"{(page - 1) * PAGE_SIZE}", named)
    if rows:
        total = rows[0]["total"]
    else:  # past the last page, or nothing found
        total = snap.rows(f"SELECT count(*) AS n FROM nodes WHERE {conditions}", named)[0]["n"]
    for row in rows:
        row["kind_label"] = term("kind", row["kind"], lang)
    out = {"q": q, "kind": kind, "province": province, "sector": sector, "page": page,
           "pages": max(1, math.ceil(total / PAGE_SIZE)), "total": total, "actors": rows}
    out.update(_other_hits(snap, key, lang) if key else
               {"clusters": [], "communities": [], "regions": [], "sectors": []})
    return out


def _other_hits(snap: Snapshot, key: str, lang: str) -> dict:
    clusters = [{"cluster": r["cluster"], "label": r[f"label_{lang}"], "score": r["score"]}
                for r in snap.named["clusters"] if key in r["key"]]
    communities = [{k: r[k] for k in ("community", "name", "size")}
                   for r in snap.named["communities"][lang] if key in r["key"]][:10]
    regions = [{"region": r["region"], "region_name": r["region_name"]}
               for r in snap.named["regions"] if key in r["key"]]
    sectors = [{"sector": r["sector"], "name": r[f"name_{lang}"], "actors": r["actors"]}
               for r in snap.named["sectors"] if r["sector"].startswith(key)
               or key in r[f"key_{lang}"]][:10]
    return {"clusters": clusters[:10], "communities": communities, "regions": regions,
            "sectors": sectors}


def standing(percentile: float, lang: str) -> str:
    """Where a percentile puts an actor among those of its kind, as a person says it: the top
    or the bottom share it is in (at least 1 %).

    >>> standing(100, 'tr'), standing(87.4, 'en'), standing(12, 'tr')
    ('türündeki aktörler arasında en yüksek %1 içinde', 'among the top 13% of actors of its kind', 'türündeki aktörler arasında en düşük %13 içinde')
    """
    p = float(percentile)
    if p >= 50:
        return text("portal.percentile_top", lang, n=max(1, int(round(100 - p))))
    return text("portal.percentile_bottom", lang, n=max(1, int(round(p + 1))))


def actor(snap: Snapshot, actor_id: str, lang: str, year: int | None = None) -> dict:
    """An actor's profile: attributes, metrics with percentiles, community and cluster,
    suggested partners per scope, its partners (as of ``year``: ties observed up to it), its
    region's specialisation and potential sectors.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> a = actor(snap, 'F000010', 'en')
    >>> a['actor']['name'], sorted(a['suggestions'])
    ('Uçar Makina Ltd. Şti.', ['international', 'interregional', 'intra_regional'])
    """
    found = snap.rows("SELECT n.*, m.* EXCLUDE (id, name, kind, province, sector, layer) FROM "
                      "nodes n LEFT JOIN metrics m ON m.id = n.id WHERE n.id = ?", [actor_id])
    if not found:
        raise NotFound(f"no actor with id {actor_id!r}")
    node = found[0]
    node["kind_label"] = term("kind", node["kind"], lang)
    node["subtype_label"] = term("subtype", node.get("subtype"), lang) if node.get("subtype") else None
    node["sector_name"] = node.get(f"sector_name_{lang}")
    shown = []
    if node.get("degree") is not None:
        m = node
        for name in ("degree", "strength", "pagerank", "betweenness", "brokerage",
                     "constraint", "clustering"):
            if name in m and m[name] is not None:
                pct = m.get(f"pct_{name}")
                shown.append({"metric": name, "label": text(f"metric.{name}", lang),
                              "value": m[name], "percentile": pct,
                              "standing": None if pct is None else standing(pct, lang),
                              "meaning": text(f"metric_help.{name}", lang)})
    community = [{"community": node["community"], "name": node[f"community_name_{lang}"],
                  "size": node["community_size"]}]
    suggestions = snap.rows(
        f"SELECT target, target_name, rank, strength, score, scope, reason_{lang} AS reason, "
        "target_kind, target_province, target_country FROM suggestions WHERE source = ? "
        "ORDER BY CASE scope WHEN 'intra_regional' THEN 0 WHEN 'interregional' THEN 1 "
        "ELSE 2 END, rank", [actor_id])
    by_scope = {}
    from kumenet.messages import country_name

    for row in suggestions:
        row["scope_label"] = text(f"scope_title.{row['scope']}", lang)
        row["place"] = row.get("target_province") or (
            country_name(row["target_country"], lang) if row.get("target_country") else "")
        by_scope.setdefault(row["scope"], []).append(row)
    until = "" if year is None else f" AND (year IS NULL OR year <= {int(year)})"
    partners = snap.rows(
        "SELECT other AS id, any_value(other_name) AS name, any_value(other_kind) AS kind, "
        "list(DISTINCT layer ORDER BY layer) AS layers, min(year) AS first_year, max(year) AS "
        f"last_year FROM neighbours WHERE actor = ?{until} GROUP BY other", [actor_id])
    partners = sorted(partners, key=lambda p: (sort_key(p["name"]), p["id"]))[:200]
    for row in partners:
        row["layer_labels"] = [term("layer", la, lang) for la in row["layers"]]
    province = node.get("province")
    own = {"specialisation": [], "potential": []}
    if province and "province_specialisation" in snap.tables and \
            _has_rows(snap, "province_specialisation"):
        own["specialisation"] = snap.rows(
            f"SELECT sector, {_sector_name_column(lang)} AS sector_name, lq, stars "
            "FROM province_specialisation WHERE region = ? "
            "ORDER BY lq DESC LIMIT 3", [province])
        own["potential"] = snap.rows(
            f"SELECT rank, sector, sector_name_{lang} AS sector_name, density, "
            f"reason_{lang} AS reason FROM province_potential WHERE region = ? ORDER BY rank",
            [province])
    region = node.get("region")
    potential = snap.rows(f"SELECT rank, sector, sector_name_{lang} AS sector_name, density, "
                          f"reason_{lang} AS reason FROM potential WHERE region = ? ORDER BY rank",
                          [region]) if region else []
    special = snap.rows(f"SELECT sector, {_sector_name_column(lang)} AS sector_name, lq, stars "
                        "FROM regions WHERE region = ? ORDER BY lq DESC LIMIT 3",
                        [region]) if region else []
    return {"actor": node, "metrics": shown, "community": community[0] if community else None,
            "suggestions": by_scope, "partners": partners, "year": year,
            "years": _years(snap), "province_own": own, "region_potential": potential,
            "region_specialisation": special}


def _sector_name_column(lang: str) -> str:
    """The regional tables keep Eurostat's English names and a Turkish column beside them."""
    return "sector_name_tr" if lang == "tr" else "sector_name"


def _years(snap: Snapshot) -> list[int]:
    first, last = snap.meta.get("first_year"), snap.meta.get("last_year")
    return list(range(int(first), int(last) + 1)) if first is not None and last is not None else []


def actor_workbook(snap: Snapshot, actor_id: str, lang: str) -> bytes:
    """The profile as an Excel workbook: who, position, suggested partners, partners.

    >>> import io, tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> book = actor_workbook(snap, 'F000010', 'tr')
    >>> book = pd.read_excel(io.BytesIO(book), sheet_name=None)
    >>> list(book), list(book['Öneriler'].columns)
    (['Profil', 'Konum', 'Öneriler', 'Ortaklar'], ['önerilen ortak', 'il', 'kapsam', 'güç', 'puan', 'neden'])
    """
    from kumenet.output import header, render

    data = actor(snap, actor_id, lang)
    a = data["actor"]
    h = {c: header(c, lang) if lang != "en" else c.replace("_", " ") for c in (
        "field", "value", "metric", "scope", "meaning")}
    who = pd.DataFrame({h["field"]: [text(f"col.{c}", lang) for c in (
                            "name", "id", "kind", "province", "sector", "cluster")],
                        h["value"]: [a["name"], a["id"], a["kind_label"], a.get("province"),
                                     " ".join(str(x) for x in (a.get("sector"),
                                                               a.get("sector_name")) if x),
                                     a.get("cluster")]})
    position = pd.DataFrame([{h["metric"]: m["label"], h["value"]: m["value"],
                              text("portal.percentile", lang): m["percentile"],
                              h["meaning"]: m["meaning"]} for m in data["metrics"]])
    rows = [{text("col.target_name", lang): s["target_name"],
             text("col.province", lang): s["target_province"] or s["target_country"],
             h["scope"]: s["scope_label"], text("col.strength", lang): s["strength"],
             text("col.score", lang): s["score"], text("col.reason", lang): s["reason"]}
            for rows_ in data["suggestions"].values() for s in rows_]
    partners = pd.DataFrame([{text("col.name", lang): p["name"],
                              text("col.layer", lang): ", ".join(p["layer_labels"]),
                              text("col.first_year", lang): p["first_year"],
                              text("col.last_year", lang): p["last_year"]}
                             for p in data["partners"]])
    sheets = {"tr": ("Profil", "Konum", "Öneriler", "Ortaklar"),
              "en": ("Profile", "Position", "Suggestions", "Partners")}[lang]
    return render(dict(zip(sheets, (who, position, pd.DataFrame(rows), partners))), "xlsx")


def cluster(snap: Snapshot, name: str, lang: str) -> dict:
    """A declared cluster's page: its evaluation (rank, label, score, profile), the four
    criteria, every indicator with its value and normalised score, its members.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> c = cluster(snap, 'Gaziantep plastik', 'tr')
    >>> c['cluster']['label'], len(c['criteria']), len(c['members'])
    ('gümüş', 4, 43)
    """
    if not snap.named["clusters"]:
        raise NotFound(f"no cluster {name!r}: this network declares none")
    rows = snap.rows(f"SELECT * EXCLUDE (label_en, label_tr, profile_en, profile_tr), "
                     f"label_{lang} AS label, profile_{lang} AS profile FROM clusters "
                     "WHERE cluster = ?", [name])
    if not rows:
        raise NotFound(f"no cluster {name!r}")
    row = rows[0]
    criteria = [{"criterion": c, "label": text(f"criterion.{c}", lang), "score": row.get(c)}
                for c in ("economic_impact", "demand", "networking", "factor_conditions")
                if c in row]
    details = snap.rows("SELECT criterion, indicator, value, normalised, points FROM "
                        "cluster_details WHERE cluster = ? ORDER BY criterion, indicator", [name])
    for d in details:
        d["label"] = text(f"indicator.{d['indicator']}", lang)
        d["shown"] = "-" if d["value"] is None else text(f"value.{d['indicator']}", lang,
                                                          v=d["value"])
    members = snap.rows(f"SELECT id, name, kind, province, sector, sector_name_{lang} AS "
                        "sector_name FROM nodes WHERE cluster = ? ORDER BY name_key", [name])
    history = _history(snap, lang, "WHERE cluster = ?", [name])
    chart = ""
    if len(history) > 1:
        from markupsafe import Markup

        from kumenet.viz.charts import line_chart

        chart = Markup(line_chart([h["year"] for h in history], [h["score"] for h in history],
                                  text("portal.history", lang), lang, width=420, height=110,
                                  shown=[f"{number(h['score'], lang, 1)} ({h['label']})"
                                         for h in history]))
    return {"cluster": row, "criteria": criteria, "indicators": details, "members": members,
            "history": history, "history_chart": chart}


def _history(snap: Snapshot, lang: str, where: str = "", params=()) -> list[dict]:
    if "cluster_years" not in snap.tables:
        return []
    return snap.rows(f"SELECT year, cluster, rank, score, change, label_{lang} AS label, firms, "
                     f"main_province, main_sector FROM cluster_years {where} "
                     "ORDER BY year, rank", params)


def clusters_over_time(snap: Snapshot, lang: str, province: str | None = None,
                       sector: str | None = None) -> dict:
    """The national comparison: the declared clusters ranked in the last year, each with its
    score's trend over the data's last years and its change against two years before;
    filtered by main province and main sector (NACE division).

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> snap = Snapshot(ensure_snapshot(read_network('sample_networks/pilot'), 'pilot',
    ...                 folder=folder))
    >>> page = clusters_over_time(snap, 'tr', province='Gaziantep')
    >>> [c['cluster'] for c in page['clusters']], page['years']
    (['Gaziantep plastik', 'Gaziantep makine halısı', 'Gaziantep fıstık ve baklava'], [2019, 2020, 2021, 2022, 2023, 2024])
    """
    from markupsafe import Markup

    from kumenet.viz.charts import line_chart

    rows = _history(snap, lang)
    years = sorted({r["year"] for r in rows})
    last = [r for r in rows if years and r["year"] == years[-1]]
    provinces = sorted({r["main_province"] for r in last if r["main_province"]}, key=sort_key)
    sectors = sorted({str(r["main_sector"]) for r in last if r["main_sector"]})
    shown = [r for r in last if (not province or fold(str(r["main_province"])) == fold(province))
             and (not sector or str(r["main_sector"]) == sector)]
    trend = {}
    for r in rows:  # a few clusters x a few years
        trend.setdefault(r["cluster"], {})[r["year"]] = r["score"]
    for r in shown:
        values = [trend[r["cluster"]].get(y, float("nan")) for y in years]
        r["trend"] = [None if v != v else v for v in values]
        r["chart"] = Markup(line_chart(years, values, r["cluster"], lang, width=180, height=60,
                                       shown=[number(v, lang, 1) for v in values]))
    return {"years": years, "clusters": shown, "provinces": provinces, "sectors": sectors,
            "province": province or "", "sector": sector or ""}


def cluster_brief(snap: Snapshot, name: str, lang: str, html: bool = False) -> dict:
    """The cluster's toolkit brief (the Kılavuz tab): its sections as data and, with ``html``,
    as HTML too (every value escaped), from one read of the snapshot.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> parts = cluster_brief(snap, 'Gaziantep plastik', 'en')['brief']['parts']
    >>> [p['key'] for p in parts][:2]
    ['identification', 'activation']
    >>> cluster_brief(snap, 'Gaziantep plastik', 'tr', html=True)['html'].count('<section')
    5
    """
    stored = _stored_brief(snap, name, lang)
    out = {"cluster": name, "brief": json.loads(stored)}
    if html:
        from kumenet.app.toolkit import Brief
        from kumenet.viz.brief import brief_fragment

        out["html"] = brief_fragment(Brief.from_json(stored))
    return out


def brief_file(snap: Snapshot, name: str, lang: str, suffix: str) -> bytes:
    """The brief as a file to hand over: ``.docx`` (an editable plan) or ``.html`` (prints
    on A4).

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> brief_file(snap, 'Gaziantep plastik', 'tr', '.docx')[:2]
    b'PK'
    """
    import tempfile

    from kumenet.app.toolkit import write_brief

    with tempfile.TemporaryDirectory() as tmp:
        path = write_brief(_brief(snap, name, lang), Path(tmp) / f"brief{suffix}")
        return path.read_bytes()


def _brief(snap: Snapshot, name: str, lang: str):
    from kumenet.app.toolkit import Brief

    return Brief.from_json(_stored_brief(snap, name, lang))


def _stored_brief(snap: Snapshot, name: str, lang: str) -> str:
    """The brief's JSON as the snapshot keeps it."""
    rows = snap.rows("SELECT brief FROM briefs WHERE cluster = ? AND lang = ?", [name, lang])
    if not rows:
        raise NotFound(f"no cluster {name!r}" if snap.named["clusters"] else
                       f"no cluster {name!r}: this network declares none")
    return rows[0]["brief"]


def cluster_map(snap: Snapshot, name: str, lang: str, limit: int = 300) -> dict:
    """The map data of a cluster's members (the ``limit`` with most ties among them) and the
    ties among them, coloured by community.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> len(cluster_map(snap, 'Gaziantep plastik', 'tr')['nodes']['id'])
    43
    """
    from kumenet.viz.map import ego_payload

    members = snap.frame(
        "WITH m AS (SELECT id FROM nodes WHERE cluster = ?) SELECT m.id, count(t.other) AS ties "
        "FROM m LEFT JOIN neighbours t ON t.actor = m.id AND t.other IN (SELECT id FROM m) "
        f"GROUP BY m.id ORDER BY ties DESC, m.id LIMIT {int(limit)}", [name])
    if members.empty:
        raise NotFound(f"no cluster {name!r}")
    ids = members["id"].tolist()
    nodes = snap.frame(
        "SELECT id, name, kind, subtype, country, province, sector, employees, cluster, "
        f"community_name_{lang} AS \"group\" FROM nodes WHERE id IN (SELECT unnest(?))", [ids])
    ties = snap.frame("SELECT source, target, layer, year FROM ties WHERE source IN "
                      "(SELECT unnest(?)) AND target IN (SELECT unnest(?))", [ids, ids])
    return ego_payload(nodes, ties, None, "", lang,
                       directed=snap.directed or ("supply", "membership"))


def region(snap: Snapshot, code: str, lang: str) -> dict:
    """A NUTS-2 region's page: its specialisation (LQ, stars), the sectors it could grow
    into, its firms in the network.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> r = region(snap, 'TR83', 'en')
    >>> r['name'], r['specialisation'][0]['sector']
    ('Samsun, Tokat, Çorum, Amasya', 'A')
    """
    spec = snap.rows(f"SELECT sector, {_sector_name_column(lang)} AS sector_name, value, lq, "
                     "lq_rank, strong, stars FROM regions WHERE region = ? ORDER BY lq DESC",
                     [code])
    if not spec:
        raise NotFound(f"no region {code!r} in this network's regional tables")
    name = snap.rows("SELECT any_value(region_name) AS n FROM regions WHERE region = ?",
                     [code])[0]["n"]
    grow = snap.rows(f"SELECT rank, sector, sector_name_{lang} AS sector_name, density, "
                     f"reason_{lang} AS reason FROM potential WHERE region = ? ORDER BY rank",
                     [code])
    firms = snap.rows(f"SELECT id, name, province, sector, sector_name_{lang} AS sector_name "
                      "FROM nodes WHERE region = ? AND kind = 'firm' ORDER BY name_key LIMIT 500",
                      [code])
    total = snap.rows("SELECT count(*) AS n FROM nodes WHERE region = ? AND kind = 'firm'",
                      [code])[0]["n"]
    return {"region": code, "name": name, "specialisation": spec, "potential": grow,
            "firms": firms, "firms_total": total}


def sql(snap: Snapshot, statement: str, extra: dict | None = None) -> dict:
    """One read statement over the snapshot (the sandbox of ``kumenet query``), and over
    ``extra`` tables (name -> DataFrame: the workspace's, for a logged-in user).

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> sql(snap, "SELECT count(*) AS n FROM nodes WHERE kind = 'firm'")['rows']
    [{'n': 720}]
    """
    import warnings

    from kumenet.sql import run_read_query

    cursor = snap.cursor()
    for name, frame in (extra or {}).items():
        cursor.register(name, frame)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = run_read_query(cursor, statement, timeout=SQL_TIMEOUT,
                                   max_rows=SQL_MAX_ROWS)
    finally:
        for name in extra or {}:
            cursor.unregister(name)
    return {"sql": statement, "columns": list(map(str, frame.columns)),
            "rows": records(frame), "truncated": any("more than" in str(w.message) for w in caught)}


_MAP_LOCKS: dict = {}
_MAP_LOCKS_GUARD = threading.Lock()


def ego_map(snap: Snapshot, actor_id: str, lang: str, limit: int = 300) -> dict:
    """:func:`_ego_map`, the last 4,096 kept (a snapshot never changes); many requests for
    the same map at once compute it once.

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> data = ego_map(snap, 'F000010', 'tr')
    >>> max(data['nodes']['borderWidth']), 'suggested' in {r['name'] for r in data['layers']}
    (5, True)
    """
    key = (id(snap), actor_id, lang, limit)
    with _MAP_LOCKS_GUARD:
        lock = _MAP_LOCKS.setdefault(key, threading.Lock())
    with lock:
        try:
            return _ego_map_cached(snap, actor_id, lang, limit)
        finally:
            with _MAP_LOCKS_GUARD:
                if len(_MAP_LOCKS) > 8192:
                    _MAP_LOCKS.clear()


@lru_cache(maxsize=4096)
def _ego_map_cached(snap: Snapshot, actor_id: str, lang: str, limit: int) -> dict:
    return _ego_map(snap, actor_id, lang, limit)


def _ego_map(snap: Snapshot, actor_id: str, lang: str, limit: int = 300) -> dict:
    """The actor, its partners and the ties among them, its suggested partners dashed: the
    data of a vis-network map (:meth:`kumenet.viz.map.MapData.payload`)."""
    from kumenet.viz.map import ego_payload

    if not snap.rows("SELECT 1 AS x FROM nodes WHERE id = ?", [actor_id]):
        raise NotFound(f"no actor with id {actor_id!r}")
    near = snap.frame(
        "SELECT other AS id, count(*) AS ties FROM neighbours WHERE actor = ? GROUP BY other "
        f"ORDER BY ties DESC, other LIMIT {int(limit)}", [actor_id])
    suggested = snap.frame(
        f"SELECT source, target, source_name, target_name, reason_{lang} AS reason FROM "
        "suggestions WHERE source = ?", [actor_id])
    ids = list(dict.fromkeys([actor_id, *near["id"], *suggested["target"]]))
    nodes = snap.frame(
        "SELECT id, name, kind, subtype, country, province, sector, employees, cluster, "
        f"community_name_{lang} AS \"group\" FROM nodes WHERE id IN (SELECT unnest(?))", [ids])
    ties = snap.frame("SELECT source, target, layer, year FROM ties WHERE source IN "
                      "(SELECT unnest(?)) AND target IN (SELECT unnest(?))", [ids, ids])
    return ego_payload(nodes, ties, suggested, actor_id, lang,
                       directed=snap.directed or ("supply", "membership"))


def drawing_asset(name: str) -> str:
    """A file of kumenet's drawings the portal serves as is (``vis-network.min.js``,
    ``map.js``, ``kumenet.css``, ``brief.css``): the web layer draws nothing itself.

    >>> drawing_asset('brief.css').startswith('.km-brief')
    True
    """
    from kumenet.viz.html import asset, vis_network_js

    return vis_network_js() if name == "vis-network.min.js" else asset(name)


def choropleth(snap: Snapshot, lang: str):
    """The home page's map of firms per Turkish province (SVG, drawn once per snapshot and
    language).

    >>> import tempfile
    >>> from kumenet.app.snapshot import ensure_snapshot
    >>> from kumenet.graph.io import read_network
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> net = read_network('sample_networks/pilot')
    >>> snap = Snapshot(ensure_snapshot(net, 'pilot', folder=folder))
    >>> str(choropleth(snap, 'tr'))[:4]
    '<svg'
    """
    from markupsafe import Markup

    counts = tuple((r["province"], r["firms"]) for r in snap.rows(
        "SELECT province, count(*) AS firms FROM nodes WHERE kind = 'firm' AND country = 'TR' "
        "AND province IS NOT NULL GROUP BY province ORDER BY province"))
    return Markup(_choropleth_svg(str(snap.path), lang, counts))


@lru_cache(maxsize=16)
def _choropleth_svg(path: str, lang: str, counts: tuple) -> str:
    from kumenet.viz.charts import province_map

    values = pd.Series(dict(counts), dtype=float)
    return province_map(values, text("report.firms_map", lang), text("col.firms", lang),
                        lang=lang)
