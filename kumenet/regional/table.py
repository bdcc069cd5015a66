"""Region x sector tables: read, validate, package, and derive from a firm network.

A :class:`RegionTable` holds one value (employment, firms, exports...) per region, sector and
year in long format. Every indicator of :mod:`kumenet.regional` starts from one. Tables come
from a file (:func:`read_region_table`), from a packaged dataset (:func:`load_dataset`), or from
the firms of a network (:func:`from_network`).

Input columns (headers in English or Turkish, any case): ``region``, ``sector``, ``value``
required; ``year``, ``establishments``, ``region_name``, ``sector_name`` optional. Values must be
numbers >= 0. An empty value is a missing cell: it is counted as 0 with a warning (as Eurostat's
``:`` cells, and as the Growth Lab's ``ecomplexity`` does). A region or a sector whose values are
all 0 in a year carries no information for that year and is left out of it, with a warning.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError, ProblemCollector, clip
from kumenet.graph.validate import RawTable, TableChecker, as_text, rename_columns, require_columns
from kumenet.data.sectors import SECTIONS, sector_codes, sector_titles  # noqa: F401 (here too)
from kumenet.text import fold, sort_key, suggestion

__all__ = ["RegionTable", "validate_table", "read_region_table", "load_dataset", "from_network"]


COLUMN_ALIASES = {fold(k): v for k, v in {
    "region": "region", "bolge": "region", "il": "region", "province": "region",
    "nuts2": "region", "nuts3": "region", "nuts1": "region", "geo": "region", "loc": "region",
    "location": "region",
    "sector": "sector", "sektor": "sector", "nace": "sector", "nace_r2": "sector",
    "industry": "sector", "activity": "sector", "prod": "sector", "faaliyet": "sector",
    "value": "value", "deger": "value", "employment": "value", "employment_thousand": "value",
    "istihdam": "value", "employees": "value", "val": "value", "exports": "value",
    "ihracat": "value",
    "year": "year", "yil": "year", "time": "year", "period": "year", "donem": "year",
    "establishments": "establishments", "isyeri": "establishments",
    "isyeri_sayisi": "establishments", "firm_count": "establishments",
    "firma_sayisi": "establishments", "plants": "establishments",
    "region_name": "region_name", "nuts2_name": "region_name", "bolge_adi": "region_name",
    "il_adi": "region_name", "sector_name": "sector_name", "nace_label": "sector_name",
    "sektor_adi": "sector_name",
}.items()}
REQUIRED = ("region", "sector", "value")

#: Packaged datasets: name -> (file in kumenet/data, what the value measures, source).
DATASETS = {
    "tr-nuts2-employment": (
        "tr_nuts2_employment.csv", "employment (thousands)",
        "Eurostat lfst_r_lfe2en2, employment by NUTS-2 region and NACE Rev.2 section group, "
        "Turkey 2009-2019"),
}


@dataclass
class RegionTable:
    """Values per region, sector (and year), long format.

    ``data`` has columns ``region``, ``sector``, ``year`` (0 when the input has none),
    ``value``, ``establishments`` (NaN when not given), ``region_name``, ``sector_name``.
    ``measure`` says what the value is ("employment (thousands)", "employees", ...).
    """

    data: pd.DataFrame
    measure: str = "value"
    source: str = ""

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.data["year"].unique())

    @property
    def has_establishments(self) -> bool:
        return bool(self.data["establishments"].notna().any())

    def year(self, year: int | None = None) -> "RegionTable":
        """The rows of one year (default: the latest), with empty regions and sectors left out."""
        years = self.years
        if year is None:
            year = years[-1]
        if year not in years:
            raise KumenetError(f"no data for year {year}; the table has "
                               f"{_span(years)}")
        rows = _drop_empty(self.data[self.data["year"] == year], year)
        if rows.empty:
            when = f" of {year}" if year else ""
            raise KumenetError(f"every value{when} is 0 ({self.measure}): there is nothing to "
                               "compare")
        return RegionTable(rows, self.measure, self.source)

    def matrix(self, column: str = "value") -> tuple[np.ndarray, pd.Index, pd.Index]:
        """A region x sector array of one year's ``column`` (0 where a pair has no row)."""
        if self.data["year"].nunique() > 1:
            raise KumenetError("matrix() needs one year: call .year(Y) first")
        regions = _sorted_index(self.data["region"])
        sectors = _sorted_index(self.data["sector"])
        out = np.zeros((len(regions), len(sectors)))
        r = regions.get_indexer(self.data["region"])
        s = sectors.get_indexer(self.data["sector"])
        np.add.at(out, (r, s), self.data[column].fillna(0).to_numpy(dtype=float))
        return out, regions, sectors

    def names(self, column: str) -> dict[str, str]:
        """Code -> display name for ``region`` or ``sector``."""
        pairs = self.data[[column, f"{column}_name"]].drop_duplicates(column)
        return dict(zip(pairs[column], pairs[f"{column}_name"].fillna(pairs[column])))


def _sorted_index(values: pd.Series) -> pd.Index:
    return pd.Index(sorted(values.unique(), key=sort_key))


def _span(years: list[int]) -> str:
    if not years:
        return "no years"
    return f"{years[0]}" if len(years) == 1 else f"{len(years)} years, {years[0]}-{years[-1]}"


def _drop_empty(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    for column, what in (("region", "region"), ("sector", "sector")):
        total = rows.groupby(column, sort=False)["value"].sum()
        empty = total.index[total <= 0]
        if len(empty):
            label = ", ".join(map(str, sorted(empty, key=sort_key)[:8]))
            when = f"{year}: " if year else ""
            warnings.warn(f"{when}{len(empty)} {what}(s) with a total of 0 left out "
                          f"(no information): {label}", stacklevel=3)
            rows = rows[~rows[column].isin(empty)]
    return rows


def validate_table(raw: RawTable, measure: str | None = None) -> RegionTable:
    """Check a table read from a file and type its columns (see the module text).

    >>> from kumenet.graph.validate import RawTable
    >>> frame = pd.DataFrame({'il': ['Samsun', 'Samsun'], 'sektör': ['28', '10'],
    ...                       'istihdam': [120, 80]})
    >>> raw = RawTable.from_frame(frame, 'tablo')
    >>> t = validate_table(raw)
    >>> t.data[['region', 'sector', 'value']].values.tolist()
    [['Samsun', '28', 120.0], ['Samsun', '10', 80.0]]
    """
    problems = ProblemCollector()
    check = TableChecker(raw, problems)
    frame = rename_columns(raw, COLUMN_ALIASES, check)
    if frame is None or not require_columns(frame, REQUIRED, check, COLUMN_ALIASES):
        problems.raise_if_any()
    out = pd.DataFrame(index=frame.index)
    for col in ("region", "sector"):
        out[col] = as_text(frame[col]).astype(object)
        check.rows(out[col].isna(), col, f"empty {col}")
    value, bad = check.numbers(frame["value"], "value")
    check.rows(bad, "value", lambda i: f"not a number: {clip(str(frame['value'].iloc[i]))}")
    check.rows(value.to_numpy() < 0, "value",
               lambda i: f"negative value {value.iloc[i]:g}; values are counts or amounts >= 0")
    out["value"] = value
    if "year" in frame:
        year, bad = check.numbers(frame["year"], "year", whole=True)
        whole = year.notna() & (year == np.floor(year.fillna(0))) & year.between(1000, 9999)
        check.rows(bad | (year.notna() & ~whole).to_numpy(), "year",
                   lambda i: f"not a year: {clip(str(frame['year'].iloc[i]))}")
        check.rows(year.isna().to_numpy() & ~bad, "year", "empty year")
        out["year"] = year.where(whole, 0).fillna(0).astype("int64")
    else:
        out["year"] = 0
    if "establishments" in frame:
        est, bad = check.numbers(frame["establishments"], "establishments", whole=True)
        check.rows(bad | (est.to_numpy() < 0), "establishments",
                   lambda i: f"not a count >= 0: {clip(str(frame['establishments'].iloc[i]))}")
        out["establishments"] = est
    else:
        out["establishments"] = np.nan
    for col in ("region_name", "sector_name"):
        out[col] = as_text(frame[col]).astype(object) if col in frame else None
    keyed = out["region"].notna() & out["sector"].notna()
    keys = out.loc[keyed, ["region", "sector", "year"]]
    repeated = np.zeros(len(out), bool)
    repeated[np.flatnonzero(keyed.to_numpy())] = keys.duplicated().to_numpy()
    if repeated.any():
        lines = pd.Series(np.asarray(raw.lines[np.arange(len(out))]), index=out.index)
        first = lines[keyed].groupby([keys["region"], keys["sector"], keys["year"]],
                                     sort=False).transform("first")

        def message(i):
            r, sec, y = out.iloc[i][["region", "sector", "year"]]
            return (f"{r} x {sec}" + (f" in {y}" if y else "") +
                    f" appears again (first on line {first.loc[out.index[i]]}); give one row "
                    "each, or a year column")
        check.rows(repeated, "region", message)
    problems.raise_if_any()
    missing = out["value"].isna()
    if missing.any():
        first = int(np.flatnonzero(missing.to_numpy())[0])
        warnings.warn(f"{raw.file}: {int(missing.sum())} empty value(s) counted as 0 (first on "
                      f"line {raw.lines[first]}: {out['region'].iloc[first]} x "
                      f"{out['sector'].iloc[first]})", stacklevel=2)
        out["value"] = out["value"].fillna(0.0)
    for year, rows in out.groupby("year"):
        if rows["value"].sum() <= 0:
            raise KumenetError(f"{raw.file}: every value" + (f" of {year}" if year else "") +
                               " is 0; nothing to compute")
    return RegionTable(out.reset_index(drop=True), measure or _measure(raw), raw.file)


def _measure(raw: RawTable) -> str:
    for col in raw.frame.columns:
        if COLUMN_ALIASES.get(fold(str(col).strip())) == "value":
            return str(col).strip()
    return "value"


def read_region_table(path, *, sep=None, decimal=None, encoding=None, sheet=None,
                      measure: str | None = None) -> RegionTable:
    """Read and validate a region x sector table from a CSV, Excel or Parquet file.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / 'istihdam.csv'
    >>> rows = ['bölge;sektör;istihdam', 'TR83;C;1.200', 'TR83;G;800', 'TR90;C;300',
    ...         'TR90;G;900']
    >>> _ = path.write_text(chr(10).join(rows), encoding='utf-8')
    >>> t = read_region_table(path)
    >>> t.data[['region', 'sector', 'value']].values.tolist()[0]
    ['TR83', 'C', 1200.0]
    """
    from kumenet.graph.io import read_table

    return validate_table(read_table(path, sep=sep, decimal=decimal, encoding=encoding,
                                     sheet=sheet), measure)


def load_dataset(name: str) -> RegionTable:
    """A packaged table by name (see :data:`DATASETS`).

    >>> t = load_dataset('tr-nuts2-employment')
    >>> t.years[0], t.years[-1], len(t.names('region'))
    (2009, 2019, 26)
    """
    if name not in DATASETS:
        raise KumenetError(f"no dataset {name!r}{suggestion(name, DATASETS)}; the datasets are "
                           f"{', '.join(DATASETS)}")
    return _load_dataset(name)


@cache
def _load_dataset(name: str) -> RegionTable:
    file, measure, source = DATASETS[name]
    path = resources.files("kumenet.data") / file
    with warnings.catch_warnings():  # the 29 empty Eurostat cells are documented
        warnings.simplefilter("ignore")
        table = read_region_table(path, measure=measure)
    table.source = source
    return table


def from_network(net, region: str = "province", sector: str = "division",
                 value: str = "employees") -> RegionTable:
    """The network's own firms as a region x sector table.

    Parameters
    ----------
    region : str
        ``province``, ``nuts2`` or ``nuts1`` (firms in Turkey only).
    sector : str
        ``class`` (the NACE code as given), ``division`` (2 digits) or ``section`` (letter).
    value : str
        ``employees`` (firms without a head count are left out of the value, with a
        warning), ``firms``, or a numeric node column such as ``exports_usd``.

    Establishments are the number of firms in each cell.

    >>> from kumenet.graph.io import read_network
    >>> t = from_network(read_network('sample_networks/pilot'), 'province', 'division', 'firms')
    >>> sorted(t.names('region'))[:3]
    ['Adana', 'Ankara', 'Bursa']
    """
    from kumenet.graph.geography import region_codes

    nodes = net.nodes
    firms = (nodes["kind"] == "firm").to_numpy() & (nodes["country"] == "TR").to_numpy()
    regions = region_codes(nodes, region)
    sectors = sector_codes(nodes["sector"], sector)
    keep = firms & regions.notna().to_numpy() & sectors.notna().to_numpy()
    if not keep.any():
        raise KumenetError("no firm in Turkey with both a province and a sector: nothing "
                           "to tabulate")
    if value == "firms":
        values = pd.Series(1.0, index=nodes.index)
    elif value in nodes.columns and pd.api.types.is_numeric_dtype(nodes[value]):
        values = nodes[value].astype("float64")
        unknown = keep & values.isna().to_numpy()
        if unknown[keep].all():
            raise KumenetError(f"none of the {int(keep.sum()):,} firms with a province and a "
                               f"sector has {value}: count firms instead (--value firms)")
        if unknown.any():
            warnings.warn(f"{int(unknown.sum())} of {int(keep.sum())} firms have no {value}; "
                          f"they count as establishments but add nothing to the value",
                          stacklevel=2)
    else:
        numeric = [c for c in nodes.columns if pd.api.types.is_numeric_dtype(nodes[c])]
        raise KumenetError(f"cannot tabulate {value!r}: use firms or a numeric node column "
                           f"({', '.join(numeric)})")
    frame = pd.DataFrame({"region": regions[keep].astype(object).to_numpy(),
                          "sector": sectors[keep].to_numpy(),
                          "value": values[keep].fillna(0).to_numpy(),
                          "establishments": 1.0})
    table = frame.groupby(["region", "sector"], as_index=False, sort=False).sum()
    table["year"] = 0
    table["region_name"] = table["region"]
    table["sector_name"] = table["sector"].map(sector_titles(sector))
    measure = {"employees": "employees (network firms)", "firms": "firms"}.get(value, value)
    return RegionTable(table, measure, "the network's firms")
