"""The network snapshot: everything the portal shows, computed once into one DuckDB file.

Nodes, ties, node metrics (with each actor's percentile among actors of its kind),
communities with names, the cluster evaluation, the province table, the regional tables of
the network's NUTS-2 regions and every actor's partner suggestions (top 3 per scope, reasons
in Turkish and English). A snapshot is named by a content hash of the network (every node
and tie column) and of what it was built with, so it is reused until the network changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.app.analysis import Analysis
from kumenet.graph.network import Network
from kumenet.messages import LANGS, term, text
from kumenet.sql import plain

__all__ = ["snapshot_dir", "network_key", "ensure_snapshot", "build_snapshot", "snapshot_tables",
           "write_snapshot"]


#: Bump when the snapshot's tables change: older files are rebuilt.
SNAPSHOT_VERSION = 9
#: Metrics shown on a profile, with their percentile among actors of the same kind.
PROFILE_METRICS = ("degree", "strength", "pagerank", "betweenness", "brokerage", "constraint",
                   "clustering")
#: How a snapshot is opened for reading (DuckDB shares one database per file and
#: configuration in a process: every reader opens it the same way).
READ_CONFIG = {"enable_external_access": False, "autoload_known_extensions": False,
               "autoinstall_known_extensions": False, "python_enable_replacements": False,
               "memory_limit": "2GB", "threads": 2}
#: The optional node columns of the input contract (a snapshot always has them).
OPTIONAL_TEXT = ("subtype", "country", "province", "region", "sector", "cluster")
OPTIONAL_NUMBERS = ("employees", "exports_usd", "founded")
#: Row order of the tables pages look up (see build_snapshot).
ORDER = {"nodes": "name_key, id", "metrics": "id", "suggestions": "source, scope, rank",
         "ties": "source, target"}


def snapshot_dir() -> Path:
    """Where snapshots are kept (``KUMENET_CACHE_DIR``/snapshots, else the user's cache).

    >>> import os
    >>> before = os.environ.get('KUMENET_CACHE_DIR')
    >>> os.environ['KUMENET_CACHE_DIR'] = '/tmp/kumenet'
    >>> str(snapshot_dir())
    '/tmp/kumenet/snapshots'
    >>> _ = os.environ.pop('KUMENET_CACHE_DIR')
    >>> os.environ.update({} if before is None else {'KUMENET_CACHE_DIR': before})
    """
    given = os.environ.get("KUMENET_CACHE_DIR")
    if given:
        return Path(given) / "snapshots"
    import platformdirs

    return Path(platformdirs.user_cache_dir("kumenet")) / "snapshots"


def network_key(net: Network, params: dict | None = None) -> str:
    """A hash of every node and tie column of ``net`` and of ``params``.

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> network_key(net) == network_key(net), network_key(net) == network_key(net, {'seed': 1})
    (True, False)
    """
    import kumenet

    h = hashlib.blake2b(digest_size=16)
    h.update(json.dumps({"kumenet": kumenet.__version__, "snapshot": SNAPSHOT_VERSION,
                         **(params or {})}, sort_keys=True, default=str).encode())
    for name, frame in (("nodes", net.nodes), ("edges", net.edges)):
        h.update(name.encode())
        for column in frame.columns:
            values = frame[column].astype(object).where(frame[column].notna(), "\x00")
            h.update(str(column).encode())
            h.update(pd.util.hash_pandas_object(values.astype(str), index=False)
                     .to_numpy().tobytes())
    h.update(",".join(sorted(net.directed_layers)).encode())
    return h.hexdigest()


def ensure_snapshot(net: Network, name: str, *, seed: int = 0, rebuild: bool = False,
                    folder: Path | None = None, notify=None, progress=None,
                    lang: str = "en") -> Path:
    """The snapshot of ``net``: reused from ``folder`` when it holds one for the same network
    and settings, else built there (atomically).

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> folder = Path(tempfile.gettempdir()) / 'kumenet-examples'
    >>> ensure_snapshot(net, 'pilot', folder=folder) == ensure_snapshot(net, 'pilot', folder=folder)
    True
    """
    folder = Path(folder) if folder is not None else snapshot_dir()
    path = folder / f"{network_key(net, {'seed': seed, 'name': name})}.duckdb"
    if path.exists() and not rebuild and _valid(path):
        os.utime(path)  # recently used: kept when the folder is trimmed
        if notify:  # what is said, in ``lang``
            notify(text("snapshot.reused", lang, path=str(path)))
        return path
    folder.mkdir(parents=True, exist_ok=True)
    if notify:
        notify(text("snapshot.building", lang, name=name))
    build_snapshot(net, path, name=name, seed=seed, progress=progress)
    _trim(folder, keep=KEEP)
    if notify:
        notify(text("snapshot.path", lang, path=str(path)))
    return path


#: Snapshots kept in the cache folder (the most recently used).
KEEP = 4


def _trim(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used snapshots of ``folder``."""
    files = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        try:
            old.unlink()
        except OSError:  # another process removed it, or cannot: it stays
            pass


def _valid(path: Path) -> bool:
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True, config=READ_CONFIG) as con:
            version = con.execute("SELECT version FROM meta").fetchone()[0]
        return version == SNAPSHOT_VERSION
    except (duckdb.Error, TypeError):
        return False


def build_snapshot(net: Network, path, *, name: str, seed: int = 0, progress=None) -> Path:
    """Compute every table of the portal (one :func:`~kumenet.app.analysis.analyse` in every
    language) and write them to the DuckDB file ``path``.

    >>> import tempfile, duckdb
    >>> from kumenet.graph.generate import generate
    >>> from kumenet.graph.network import Network
    >>> net = Network.from_frames(*generate(150, seed=1))
    >>> path = build_snapshot(net, Path(tempfile.mkdtemp()) / 's.duckdb', name='generated')
    >>> with duckdb.connect(str(path), read_only=True) as con:
    ...     n = con.execute("SELECT count(*) FROM nodes WHERE kind = 'firm'").fetchone()[0]
    >>> n
    150
    """
    from kumenet.app.analysis import analyse

    started = time.time()
    analysis = analyse(net, seed=seed, lang=LANGS, progress=progress)
    write_snapshot(analysis, path, name=name, seconds=time.time() - started)
    return Path(path)


def snapshot_tables(analysis: Analysis) -> dict[str, pd.DataFrame]:
    """The snapshot's tables of an analysis made in every language.

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.graph.generate import generate
    >>> from kumenet.graph.network import Network
    >>> a = analyse(Network.from_frames(*generate(150, seed=1)), lang=('tr', 'en'))
    >>> tables = snapshot_tables(a)
    >>> sorted(tables)[:5]
    ['briefs', 'cluster_details', 'cluster_years', 'clusters', 'communities']
    """
    net = analysis.net
    tables: dict[str, pd.DataFrame] = {}
    tables["nodes"], tables["ties"] = _nodes(net), plain(net.edges)
    tables["layers"] = analysis.summary["layers"]
    tables["metrics"] = _metrics(analysis)
    membership, tables["communities"] = _communities(analysis)
    tables["nodes"]["community"] = membership
    for lang in LANGS:  # beside each node: a profile or a map needs no join for it
        names = tables["communities"][f"name_{lang}"].to_numpy(dtype=object)
        tables["nodes"][f"community_name_{lang}"] = names[membership]
        tables["nodes"]["community_size"] = tables["communities"]["size"].to_numpy()[membership]
    tables["clusters"], tables["cluster_details"] = _clusters(analysis)
    tables["cluster_years"] = _cluster_years(analysis)
    tables["provinces"] = analysis.provinces
    tables["regions"], tables["potential"] = _regions(analysis)
    tables["province_specialisation"], tables["province_potential"] = _provinces_own(analysis)
    tables["suggestions"] = analysis.suggestions
    tables["suggestion_pool"] = (analysis.suggestion_pool if analysis.suggestion_pool is not None
                                 else analysis.suggestions.iloc[:0])
    tables["briefs"] = _briefs(analysis)
    return tables


def write_snapshot(analysis: Analysis, path, *, name: str, seconds: float = 0.0) -> Path:
    """Write the snapshot of ``analysis`` to the DuckDB file ``path`` (atomically).

    >>> import tempfile
    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.graph.io import read_network
    >>> from kumenet.graph.generate import generate
    >>> from kumenet.graph.network import Network
    >>> a = analyse(Network.from_frames(*generate(150, seed=1)), lang=('tr', 'en'))
    >>> write_snapshot(a, Path(tempfile.mkdtemp()) / 's.duckdb', name='generated').suffix
    '.duckdb'
    """
    import duckdb

    from kumenet.files import atomic_path

    net = analysis.net
    tables = snapshot_tables(analysis)
    years = net.years()
    tables["meta"] = pd.DataFrame([{
        "version": SNAPSHOT_VERSION, "name": name, "built": pd.Timestamp.now().isoformat(),
        "seconds": round(seconds, 1), "nodes": net.n_nodes,
        "firms": int((net.nodes["kind"] == "firm").sum()),
        "institutions": int((net.nodes["kind"] == "institution").sum()),
        "ties": net.n_edges, "layers": ",".join(net.layers),
        "first_year": years[0] if years else None, "last_year": years[1] if years else None}])
    path = Path(path)
    with atomic_path(path) as tmp:
        with duckdb.connect(str(tmp)) as con:
            for table_name, frame in tables.items():
                con.register("frame", plain(frame))
                # Rows in the order pages look them up: DuckDB skips the row groups whose
                # range cannot hold the value (names by their beginning, an actor's rows).
                order = ORDER.get(table_name)
                con.execute(f'CREATE TABLE "{table_name}" AS SELECT * FROM frame'
                            + (f" ORDER BY {order}" if order else ""))
                con.unregister("frame")
            con.execute("CREATE INDEX nodes_id ON nodes (id)")
            con.execute("CREATE INDEX metrics_id ON metrics (id)")
            # Every tie from both ends, by actor: an actor's partners in one range.
            con.execute("CREATE TABLE neighbours AS SELECT t.*, n.name AS other_name, "
                        "n.kind AS other_kind FROM (SELECT source AS actor, target AS other, "
                        "layer, year FROM ties UNION ALL SELECT target, source, layer, year "
                        "FROM ties) t JOIN nodes n ON n.id = t.other "
                        "ORDER BY actor, other, layer, year NULLS FIRST")
            con.execute("CHECKPOINT")
    return path


def _nodes(net: Network) -> pd.DataFrame:
    from kumenet.data.sectors import short_titles
    from kumenet.graph.geography import region_codes
    from kumenet.text import fold_series

    nodes = plain(net.nodes)
    # Every column of the contract, even those this network lacks: pages read them all.
    for col in OPTIONAL_TEXT:
        if col not in nodes:
            nodes[col] = pd.Series([None] * len(nodes), dtype=object)
    for col in OPTIONAL_NUMBERS:
        if col not in nodes:
            nodes[col] = np.nan
    nodes["name_key"] = fold_series(net.nodes["name"]).to_numpy()
    nodes["region"] = region_codes(net.nodes, "nuts2").to_numpy()
    for lang in LANGS:  # the name the reasons give each class: one name per code everywhere
        titles = short_titles(lang)
        nodes[f"sector_name_{lang}"] = net.nodes["sector"].astype(object).map(titles).to_numpy()
    return nodes


def _briefs(analysis: Analysis) -> pd.DataFrame:
    """The toolkit brief of every declared cluster in every language (JSON, drawn by the
    portal's Kılavuz tab)."""
    from kumenet.app.toolkit import build_brief, cluster_names

    rows = [] if not analysis.clusters else [
        (name, lang, build_brief(analysis, name, "cluster", lang).to_json())
        for name in cluster_names(analysis, "cluster") for lang in LANGS]
    return pd.DataFrame(rows, columns=["cluster", "lang", "brief"], dtype=object)


def _metrics(analysis: Analysis) -> pd.DataFrame:
    m = analysis.metrics.copy()
    kinds = analysis.net.nodes["kind"].astype(str).to_numpy()
    for col in PROFILE_METRICS:
        if col in m:
            m[f"pct_{col}"] = m.groupby(kinds)[col].rank(pct=True).mul(100).round(0).to_numpy()
    return m


def _communities(analysis: Analysis) -> tuple[np.ndarray, pd.DataFrame]:
    membership = analysis.membership
    sizes = np.bincount(membership)
    firms = np.bincount(membership[(analysis.net.nodes["kind"] == "firm").to_numpy()],
                        minlength=len(sizes))
    table = pd.DataFrame({"community": np.arange(len(sizes)), "size": sizes, "firms": firms})
    for lang in LANGS:
        table[f"name_{lang}"] = analysis.community_names[lang]
    return membership, table


def _clusters(analysis: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    empty = pd.DataFrame({"cluster": pd.Series([], dtype=object)})
    if not analysis.clusters:
        return empty, empty
    tr, details = analysis.evaluation("tr")
    en, _ = analysis.evaluation("en")
    out = en.rename(columns={"label": "label_en", "profile": "profile_en"})
    out["label_tr"] = tr.set_index("cluster").loc[out["cluster"], "label"].to_numpy()
    out["profile_tr"] = tr.set_index("cluster").loc[out["cluster"], "profile"].to_numpy()
    return out, details


#: Years of the national comparison over time (the last ones of the data).
HISTORY_YEARS = 6


def _cluster_years(analysis: Analysis) -> pd.DataFrame:
    """The declared clusters scored for each of the data's last years (as
    ``clusters evaluate --years``), labels in both languages: the portal's comparison over
    time and each cluster's history."""
    columns = ["year", "cluster", "rank", "score", "change", "label_en", "label_tr",
               "label_before_en", "economic_impact", "demand", "networking",
               "factor_conditions", "firms", "main_province", "main_sector"]
    span = analysis.net.years()
    if not analysis.clusters or span is None:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    import warnings

    from kumenet.regional.evaluation import evaluate_years

    years = range(max(span[0], span[1] - HISTORY_YEARS + 1), span[1] + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # said once, by the latest year's evaluation
        en = evaluate_years(analysis.net, years, "cluster", lang="en")
    from kumenet.messages import terms

    en["label_tr"] = terms("label", en["label"], "tr")  # the configuration's label names
    out = en.rename(columns={"label": "label_en", "label_before": "label_before_en"})
    return out[columns]


def _regions(analysis: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    from kumenet.graph.geography import region_codes

    regional = analysis.regions
    spec = regional.specialisation
    wanted = sorted(set(region_codes(analysis.net.nodes, "nuts2").dropna())
                    & set(spec["region"]))
    spec = spec[spec["region"].isin(wanted)]
    tr, en = (regional.potential[la] for la in ("tr", "en"))
    tr, en = tr[tr["region"].isin(wanted)], en[en["region"].isin(wanted)]
    grow = en.rename(columns={"reason": "reason_en", "sector_name": "sector_name_en"})
    grow["reason_tr"] = tr["reason"].to_numpy()
    grow["sector_name_tr"] = tr["sector_name"].to_numpy()
    spec = spec.reset_index(drop=True)
    spec["sector_name_tr"] = [term("nace_group", c, "tr") for c in spec["sector"]]
    return spec, grow.reset_index(drop=True)


def _provinces_own(analysis: Analysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each Turkish province's specialisation among the network's own firms and the
    divisions it could grow into."""
    from kumenet.data.sectors import sector_titles

    regional = analysis.regions
    empty = pd.DataFrame({"region": pd.Series([], dtype=object)})
    if regional.own_specialisation is None:
        return empty, empty
    tr, en = regional.own_potential["tr"], regional.own_potential["en"]
    grow = en.rename(columns={"reason": "reason_en", "sector_name": "sector_name_en"})
    grow["reason_tr"] = tr["reason"].to_numpy()
    grow["sector_name_tr"] = tr["sector_name"].to_numpy()
    spec = regional.own_specialisation.reset_index(drop=True)
    titles = sector_titles("division", "tr")
    spec["sector_name_tr"] = spec["sector"].map(titles).fillna(spec["sector_name"])
    return spec, grow
