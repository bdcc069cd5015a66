"""Validation of input tables against the data contract, and typing of their columns.

Every reader turns its file into :class:`RawTable` objects (values as text or as the file's
own types, with the line of every row), and :func:`build_network` checks them all at once.
Problems are collected and raised together as one :class:`~kumenet.errors.InputDataError`
naming file, line and column; problems that are not errors (duplicate ties, isolated
nodes) are reported with :func:`warnings.warn`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kumenet.errors import ProblemCollector
from kumenet.graph.geography import normalize_province, province_attribute, province_names
from kumenet.graph.network import DEFAULT_DIRECTED, KINDS, Network
from kumenet.text import fold, fold_series, map_distinct, suggestion, tr_lower

# Column headers people use for the contract's columns (Gephi's Id/Label/Source/Target, and
# Turkish spreadsheets), compared on their folded form.
NODE_ALIASES = {
    "id": "id", "kimlik": "id", "kod": "id", "name": "name", "label": "name", "ad": "name",
    "adi": "name", "unvan": "name", "firma adi": "name", "kind": "kind", "tur": "kind",
    "subtype": "subtype", "alt tur": "subtype", "country": "country", "ulke": "country",
    "province": "province", "il": "province", "sehir": "province", "region": "region",
    "bolge": "region", "sector": "sector", "sektor": "sector", "nace": "sector",
    "employees": "employees", "calisan": "employees", "calisan sayisi": "employees",
    "exports usd": "exports_usd", "ihracat": "exports_usd", "ihracat usd": "exports_usd",
    "founded": "founded", "kurulus yili": "founded",
}
EDGE_ALIASES = {
    "source": "source", "kaynak": "source", "from": "source", "target": "target",
    "hedef": "target", "to": "target", "layer": "layer", "katman": "layer", "weight": "weight",
    "agirlik": "weight", "year": "year", "yil": "year",
}
KIND_ALIASES = {"firm": "firm", "firma": "firm", "company": "firm", "sirket": "firm",
                "institution": "institution", "kurum": "institution",
                "kurulus": "institution"}
# Turkish names of the contract's layers; any other name is a layer of its own.
LAYER_ALIASES = {"tedarik": "supply", "isbirligi": "collaboration", "uyelik": "membership",
                 "bilgi": "information"}
COUNTRY_ALIASES = {"turkiye": "TR", "turkey": "TR", "tc": "TR", "tr": "TR"}
NUMERIC_NODE_COLUMNS = ("employees", "exports_usd", "founded")
_COMMA_DECIMAL = re.compile(r"^\s*-?\d+,\d+\s*$")
_THOUSANDS = r"^\s*-?\d{1,3}(?:\.\d{3})+(?:,\d*)?\s*$"
_NACE_ONE_DIGIT = r"^\d(?:\.\d+)?$"


@dataclass
class RawTable:
    """A table as read from a file, before validation.

    ``lines[i]`` is the line (or record number) of row ``i`` in ``file``; ``columns`` maps
    each header to what problems call its column (a number, or a letter for spreadsheets).
    """

    frame: pd.DataFrame
    file: str
    lines: np.ndarray
    columns: dict = field(default_factory=dict)
    decimal: str | None = None  # None: detect per column

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, file: str, first_line: int = 2,
                   decimal: str | None = None, letters: bool = False) -> "RawTable":
        frame = frame.reset_index(drop=True)
        cols = {c: (_letter(i) if letters else i + 1) for i, c in enumerate(frame.columns)}
        lines = np.arange(first_line, first_line + len(frame))
        return cls(frame, file, lines, cols, decimal)


def _show(value) -> str:
    """A cell's value as the user would recognise it in a message."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value.item() if hasattr(value, "item") else value)


def _layer_name(text: str) -> str:
    name = tr_lower(text).strip().replace(" ", "_")
    return LAYER_ALIASES.get(fold(text), name)


def _letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class _Checker:
    """Reports problems in one table, pointing at rows by their lines."""

    def __init__(self, table: RawTable, problems: ProblemCollector):
        self.t = table
        self.p = problems
        self.original = {}  # contract name -> header in the file

    def file_problem(self, message: str, line: int | None = None) -> None:
        self.p.add(self.t.file, line, None, None, message)

    def rows(self, mask, column: str | None, message) -> None:
        """Report the rows where ``mask`` is true; ``message`` is a str or row -> str."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        header = self.original.get(column, column)
        col = self.t.columns.get(header) if column else None
        for i in idx[:21]:
            text = message(int(i)) if callable(message) else message
            self.p.add(self.t.file, int(self.t.lines[i]), col, header, text)


def _rename(table: RawTable, aliases: dict, checker: _Checker) -> pd.DataFrame:
    frame = table.frame
    rename, seen = {}, {}
    for col in frame.columns:
        header = str(col).strip()
        name = aliases.get(fold(header), header)
        if name in seen:
            checker.file_problem(f"columns {seen[name]!r} and {header!r} both give "
                                 f"{name!r}; keep one", line=1)
        seen[name] = header
        rename[col] = name
        checker.original[name] = col
    return frame.rename(columns=rename)


def _required(frame, required, checker: _Checker, aliases: dict) -> bool:
    ok = True
    for col in required:
        if col not in frame.columns:
            hint = suggestion(col, [c for c in frame.columns if c not in aliases.values()])
            found = ", ".join(repr(str(c)) for c in checker.t.frame.columns) or "none"
            checker.file_problem(f"missing required column {col!r}{hint}; the columns are "
                                 f"{found}", line=1)
            ok = False
    return ok


def _text(s: pd.Series) -> pd.Series:
    """Values as stripped text (Arrow-backed, so string work runs in C), empty as missing.

    A categorical (as Parquet files hold ids) stays categorical: only its categories are
    cleaned, so millions of rows cost no more than their distinct values.
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        cleaned = _text(pd.Series(np.asarray(s.cat.categories, dtype=object)))
        codes, uniques = pd.factorize(cleaned, use_na_sentinel=True)
        new = np.append(codes, -1)[s.cat.codes.to_numpy()]
        return pd.Series(pd.Categorical.from_codes(new, categories=pd.Index(uniques, dtype=object)),
                         index=s.index)
    if s.dtype.kind == "f":  # a numeric id column from a spreadsheet: 12.0 -> "12"
        whole = s.notna() & (s == np.floor(s))
        s = s.astype(object).where(~whole, s.where(~whole, 0).astype("int64").astype(object))
    t = s.astype("string[pyarrow]").str.strip()
    return t.mask(t == "")


def _numbers(s: pd.Series, decimal: str | None,
             find_bad: bool = True) -> tuple[pd.Series, np.ndarray] | None:
    """Parse numbers; returns (values as float, mask of cells that are not numbers).

    With ``find_bad=False``, returns None as soon as some cell is not a number.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if s.dtype.kind in "iufb":
        values = s.astype("float64")
        return values, ~np.isfinite(values.to_numpy()) & values.notna().to_numpy()
    t = _text(s)
    if isinstance(t.dtype, pd.CategoricalDtype):
        t = t.astype("string[pyarrow]")
    empty = t.isna().to_numpy()
    if decimal is None:  # detect: comma decimals and no dot decimals in this column
        cells = pa.array(t)
        has_comma = pc.any(pc.match_substring_regex(cells, _COMMA_DECIMAL.pattern)).as_py() or \
            pc.any(pc.match_substring_regex(cells, r"^\s*-?\d{1,3}(?:\.\d{3})+,\d+\s*$")).as_py()
        has_dot = has_comma and pc.any(pc.match_substring_regex(cells, r"^\s*-?\d*\.\d+\s*$")).as_py()
        decimal = "," if has_comma and not has_dot else "."
    if decimal == ",":
        thousands = t.str.match(_THOUSANDS, na=False)
        t = t.where(~thousands, t.str.replace(".", "", regex=False)).str.replace(",", ".", regex=False)
    try:  # the fast path: every cell is a number
        arr = pc.cast(pa.array(t), pa.float64()).to_numpy(zero_copy_only=False)
        values = pd.Series(arr, index=s.index)
    except pa.ArrowInvalid:
        if not find_bad:
            return None
        values = pd.to_numeric(t.astype(object), errors="coerce").astype("float64")
        arr = values.to_numpy()
    bad = ~empty & ~np.isfinite(arr)
    return values.where(np.isfinite(arr)), bad


def _type_extra(s: pd.Series, decimal: str | None) -> pd.Series:
    """Extra columns: numbers when every filled cell is one, text otherwise."""
    if s.dtype.kind == "b":
        return s
    parsed = _numbers(s, decimal, find_bad=False)
    if parsed is None or parsed[1].any() or parsed[0].notna().sum() == 0:
        return _text(s).astype("str")
    return _whole(parsed[0])


def _whole(values: pd.Series) -> pd.Series:
    """Float values as nullable integers when all of them are whole numbers."""
    arr = values.to_numpy(dtype=np.float64)
    filled = arr[~np.isnan(arr)]
    if len(filled) and np.all(filled == np.floor(filled)) and np.abs(filled).max() < 2**53:
        return values.astype("Int64")
    return values


def _check_nodes(table: RawTable, problems: ProblemCollector):
    c = _Checker(table, problems)
    frame = _rename(table, NODE_ALIASES, c)
    if not len(frame):
        c.file_problem("the file has no rows of data (an empty nodes table)")
        return None
    if not _required(frame, ("id", "kind"), c, NODE_ALIASES):
        return None
    out = pd.DataFrame(index=frame.index)
    ids = _text(frame["id"])
    c.rows(ids.isna(), "id", "empty id")
    dup = ids.duplicated(keep="first") & ids.notna()
    if dup.any():
        first_line = dict(zip(ids[~ids.duplicated(keep="first")], table.lines))
        c.rows(dup, "id", lambda i: f"duplicate id {ids.iloc[i]!r} (first at line "
                                    f"{first_line[ids.iloc[i]]})")
    out["id"] = ids.astype("str")
    names = _text(frame["name"]) if "name" in frame else ids
    out["name"] = names.fillna(ids).astype("str")

    kind_raw = _text(frame["kind"])
    kind = fold_series(kind_raw).map(KIND_ALIASES)
    bad_kind = kind.isna().to_numpy()
    c.rows(bad_kind, "kind", lambda i: (
        "empty kind (must be 'firm' or 'institution')" if pd.isna(kind_raw.iloc[i]) else
        f"unknown kind {kind_raw.iloc[i]!r}; must be 'firm' or 'institution'"
        + suggestion(kind_raw.iloc[i], KINDS)))
    out["kind"] = pd.Categorical(kind, categories=list(KINDS))
    out["subtype"] = (fold_series(frame["subtype"]).str.replace(" ", "_") if "subtype" in frame
                      else pd.Series(pd.NA, index=frame.index)).astype("str")

    country_raw = _text(frame["country"]) if "country" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    folded = fold_series(country_raw)
    country = folded.map(COUNTRY_ALIASES).fillna(country_raw.str.upper())
    bad_country = country_raw.notna() & ~country.str.fullmatch(r"[A-Z]{2}", na=False)
    c.rows(bad_country, "country", lambda i: f"{country_raw.iloc[i]!r} is not an ISO 3166 "
           "alpha-2 country code (such as TR, DE, IQ)")
    out["country"] = country.fillna("TR").astype("str")

    if "province" in frame:
        prov_raw = _text(frame["province"])
        prov = normalize_province(prov_raw)
        turkish = (out["country"] == "TR").to_numpy()
        bad = (prov_raw.notna() & prov.isna()).to_numpy() & turkish
        c.rows(bad, "province", lambda i: f"unknown province {prov_raw.iloc[i]!r}"
               + suggestion(prov_raw.iloc[i], province_names()))
        # Foreign actors may name their own region here; it is kept as given.
        out["province"] = prov.where(turkish, prov_raw.astype(object)).astype("str")
    else:
        out["province"] = pd.Series(np.nan, index=frame.index).astype("str")
    region = _text(frame["region"]) if "region" in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
    derived = province_attribute(out["province"], "nuts2")
    out["region"] = region.astype(object).where(region.notna(), derived).astype("str")
    if "sector" in frame:
        sector = _text(frame["sector"])
        # NACE divisions have two digits; a spreadsheet that stored "01" as a number shows 1.
        out["sector"] = sector.where(~sector.str.match(_NACE_ONE_DIGIT, na=False),
                                     "0" + sector).astype("str")
    else:
        out["sector"] = pd.Series(np.nan, index=frame.index).astype("str")
    for col in NUMERIC_NODE_COLUMNS:
        if col not in frame:
            empty = pd.Series(np.nan, index=frame.index, dtype="float64")
            out[col] = empty if col == "exports_usd" else empty.astype("Int64")
            continue
        values, bad = _numbers(frame[col], table.decimal)
        c.rows(bad, col, lambda i, col=col: f"{col} must be a number, not "
               f"{_show(frame[col].iloc[i])}")
        neg = (values < 0).to_numpy(dtype=bool)
        c.rows(neg, col, lambda i, col=col, values=values: f"{col} cannot be negative "
               f"({_show(values.iloc[i])})")
        if col == "founded":
            frac = (values.notna() & (values != np.floor(values))).to_numpy(dtype=bool)
            c.rows(frac, col, lambda i: f"founded must be a whole year, not {_show(frame[col].iloc[i])}")
            out[col] = values.where(~frac).round().astype("Int64")
        elif col == "employees":
            out[col] = _whole(values) if values.notna().any() else values.astype("Int64")
        else:
            out[col] = values
    for col in frame.columns:
        if col not in out.columns:
            out[col] = _type_extra(frame[col], table.decimal)
    return out


def _check_edges(table: RawTable, node_ids: pd.Index | None, problems: ProblemCollector):
    c = _Checker(table, problems)
    frame = _rename(table, EDGE_ALIASES, c)
    if not len(frame):
        c.file_problem("the file has no rows of data (an empty edges table)")
        return None
    if not _required(frame, ("source", "target", "layer"), c, EDGE_ALIASES):
        return None
    out = pd.DataFrame(index=frame.index)
    ends, texts = {}, {}
    for end in ("source", "target"):
        ids = _text(frame[end])
        texts[end] = ids
        c.rows(ids.isna(), end, f"empty {end}")
        if node_ids is not None:
            # Look up each distinct id once: millions of edges name far fewer nodes.
            codes, uniques = pd.factorize(ids, use_na_sentinel=True)
            found = np.append(node_ids.get_indexer(pd.Index(np.asarray(uniques, dtype=object))), -1)
            codes = found[codes]
            unknown = (codes < 0) & ids.notna().to_numpy()
            big = len(node_ids) > 50_000  # suggestions compare against every id
            c.rows(unknown, end, lambda i, ids=ids: f"{ids.iloc[i]!r} is not a node id in the "
                   "nodes table" + ("" if big else suggestion(ids.iloc[i], node_ids)))
            ends[end] = codes
    if node_ids is not None:
        loop = (ends["source"] == ends["target"]) & (ends["source"] >= 0)
        c.rows(loop, "target", lambda i: f"self-loop: {texts['source'].iloc[i]!r} is tied to itself")
    layer_raw = _text(frame["layer"])
    c.rows(layer_raw.isna(), "layer", "empty layer")
    out["layer"] = map_distinct(layer_raw, _layer_name, categorical=True)
    if "weight" in frame:
        w, bad = _numbers(frame["weight"], table.decimal)
        c.rows(bad, "weight", lambda i: f"weight must be a positive number, not "
               f"{_show(frame['weight'].iloc[i])}")
        nonpos = (w <= 0).to_numpy(dtype=bool)
        c.rows(nonpos, "weight", lambda i: f"weight must be positive, not {_show(w.iloc[i])}")
        out["weight"] = w.fillna(1.0)
    else:
        out["weight"] = 1.0
    if "year" in frame:
        y, bad = _numbers(frame["year"], table.decimal)
        frac = (y.notna() & (y != np.floor(y))).to_numpy(dtype=bool)
        c.rows(bad | frac, "year", lambda i: f"year must be a whole number, not "
               f"{_show(frame['year'].iloc[i])}")
        out["year"] = y.where(~frac).astype("Int32")
    else:
        out["year"] = pd.Series(pd.NA, index=frame.index, dtype="Int32")
    for col in frame.columns:
        if col not in out.columns and col not in ("source", "target"):
            out[col] = _type_extra(frame[col], table.decimal)
    return out, ends


def build_network(nodes: RawTable, edges: RawTable,
                  directed_layers=None, source: str | None = None) -> Network:
    """Validate raw node and edge tables and assemble a :class:`Network`.

    Raises
    ------
    InputDataError
        Listing every problem (the message shows 20) with file, line and column.
    """
    problems = ProblemCollector()
    node_table = _check_nodes(nodes, problems)
    node_ids = pd.Index(node_table["id"].astype(object)) if node_table is not None else None
    if node_ids is not None and not node_ids.is_unique:
        node_ids = None  # duplicates are reported already; edge checks would mislead
    checked = _check_edges(edges, node_ids, problems)
    problems.raise_if_any()
    edge_table, ends = checked

    directed = frozenset(DEFAULT_DIRECTED if directed_layers is None else directed_layers)
    categories = node_table["id"].astype(object)
    src = pd.Categorical.from_codes(ends["source"].astype(np.int32), categories=categories)
    tgt = pd.Categorical.from_codes(ends["target"].astype(np.int32), categories=categories)
    edge_table["source"] = src
    edge_table["target"] = tgt
    first = ["source", "target", "layer", "weight", "year"]
    edge_table = edge_table[first + [c for c in edge_table.columns if c not in first]]
    edge_table = _merge_duplicates(edge_table, ends, directed, edges)
    _warn_isolated(node_table, edge_table)
    return Network(node_table.reset_index(drop=True), edge_table.reset_index(drop=True),
                   directed, source=source)


def _merge_duplicates(edges: pd.DataFrame, ends, directed, raw: RawTable) -> pd.DataFrame:
    u = ends["source"].astype(np.int64)
    v = ends["target"].astype(np.int64)
    undirected = ~edges["layer"].isin(list(directed)).to_numpy()
    a = np.where(undirected, np.minimum(u, v), u)
    b = np.where(undirected, np.maximum(u, v), v)
    n = int(max(u.max(initial=0), v.max(initial=0))) + 1
    year = edges["year"].astype("float64").to_numpy()
    low = np.nanmin(year) if np.isfinite(year).any() else 0
    year = np.nan_to_num(year - low + 1, nan=0).astype(np.int64)  # 0: no year
    span = int(year.max(initial=0)) + 1
    layer_year = edges["layer"].cat.codes.to_numpy(np.int64) * span + year
    width = len(edges["layer"].cat.categories) * span
    if float(n) * n * width < 2**62:  # one integer key hashes fastest
        keys = pd.Series((a * n + b) * width + layer_year)
    else:
        keys = pd.DataFrame({"pair": a * n + b, "ly": layer_year})
    dup = keys.duplicated(keep="first").to_numpy()
    if not dup.any():
        return edges
    first = int(np.flatnonzero(dup)[0])
    warnings.warn(f"{raw.file}: {int(dup.sum())} duplicate ties (same pair, layer and year) "
                  f"were merged and their weights summed; the first is at line "
                  f"{int(raw.lines[first])}", stacklevel=3)
    group = keys.groupby(list(keys.columns) if keys.ndim == 2 else keys,
                         sort=False).ngroup().to_numpy()
    weight = pd.Series(edges["weight"].to_numpy()).groupby(group).sum()
    kept = edges.loc[~dup].copy()
    kept["weight"] = weight.loc[group[~dup]].to_numpy()
    return kept


def _warn_isolated(nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    n = len(nodes)
    deg = np.bincount(edges["source"].cat.codes.to_numpy(), minlength=n) + \
        np.bincount(edges["target"].cat.codes.to_numpy(), minlength=n)
    isolated = np.flatnonzero(deg == 0)
    if len(isolated):
        sample = ", ".join(nodes["id"].iloc[isolated[:5]].astype(str))
        more = f" and {len(isolated) - 5} more" if len(isolated) > 5 else ""
        warnings.warn(f"{len(isolated)} node(s) have no ties: {sample}{more}", stacklevel=3)
