"""Turkish provinces, their NUTS regions, and the scope of a pair of actors.

The province table is packaged with kumenet (see ``kumenet/data/PROVENANCE.md``). Province
names are matched on their Turkish-folded form, so ``KAHRAMANMARAŞ``, ``Kahramanmaras``,
``K.Maraş`` and ``Maraş`` all resolve to ``Kahramanmaraş``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from kumenet.text import fold, fold_series

__all__ = ["provinces", "normalize_province", "province_names", "province_attribute",
           "region_codes", "scope", "scope_codes", "scope_of_codes"]


#: The scope labels, in the order reports show them.
SCOPES = ("intra_regional", "interregional", "international")
#: Levels at which "the same region" can be judged.
LEVELS = ("province", "nuts3", "nuts2", "nuts1")
#: The programme's pilot provinces.
PILOT_PROVINCES = ("Samsun", "Trabzon", "Çorum", "Kahramanmaraş", "Gaziantep")


@lru_cache(maxsize=1)
def provinces() -> pd.DataFrame:
    """The 81 provinces of Turkey, one row each.

    Returns
    -------
    DataFrame
        Columns ``plate`` (licence-plate code), ``name``, ``name_eng``, ``nuts1``,
        ``nuts1_name_tr``, ``nuts1_name_en``, ``nuts2``, ``nuts2_name``, ``nuts3``, ``lat``,
        ``lon``, ``population`` (end of 2023), ``area_km2``, ``is_coastal``, ``is_metropolitan``,
        ``geographic_region_en``, ``geographic_region_tr``, ``pilot_province``.

    >>> t = provinces()
    >>> len(t), t.set_index('name').loc['Samsun', 'nuts2']
    (81, 'TR83')
    """
    with resources.files("kumenet.data").joinpath("provinces.csv").open("rb") as fh:
        table = pd.read_csv(fh, encoding="utf-8")
    return table


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Folded spelling -> canonical province name."""
    table = provinces()
    keys: dict[str, str] = {}
    for col in ("name", "name_eng"):
        keys.update(zip(table[col].map(fold), table["name"]))
    with resources.files("kumenet.data").joinpath("province_aliases.csv").open("rb") as fh:
        aliases = pd.read_csv(fh, encoding="utf-8")
    keys.update(zip(aliases["alias"].map(fold), aliases["province"]))
    # "Kahramanmaraş İli", "Samsun ili" and "Gaziantep Province" name the province too.
    for suffix in (" ili", " province", " il"):
        keys.update({k + suffix: v for k, v in list(keys.items())})
    return keys


def normalize_province(values: pd.Series) -> pd.Series:
    """Canonical province names for ``values``; unknown names become ``NA``.

    >>> normalize_province(pd.Series(["KAHRAMANMARAŞ", "antep", "Afyon", "Nowhere"])).tolist()
    ['Kahramanmaraş', 'Gaziantep', 'Afyonkarahisar', nan]
    """
    folded = fold_series(values)
    return folded.map(_lookup()).astype(object).where(folded.notna(), np.nan)


def province_names() -> list[str]:
    """The 81 canonical province names.

    >>> names = province_names()
    >>> len(names), 'Kahramanmaraş' in names
    (81, True)
    """
    return provinces()["name"].tolist()


def province_attribute(names: pd.Series, column: str) -> pd.Series:
    """A column of the province table (``nuts2``, ``lat``, ...) for each canonical name.

    >>> province_attribute(pd.Series(['Samsun', 'Çorum', None]), 'nuts2').tolist()
    ['TR83', 'TR83', nan]
    """
    table = provinces().set_index("name")[column]
    return names.map(table)


def region_codes(nodes: pd.DataFrame, level: str = "province") -> pd.Series:
    """The region of every node at ``level``, for deciding scope.

    Foreign actors are their country's region at every level; a Turkish actor without a
    province has no region (``NA``). At level ``nuts2`` a ``region`` column given by the user
    is used where the province is missing.

    >>> nodes = pd.DataFrame({"country": ["TR", "TR", "DE"],
    ...                       "province": ["Samsun", "Trabzon", "Bayern"]})
    >>> region_codes(nodes, 'nuts2').tolist(), region_codes(nodes, 'nuts1').tolist()
    (['TR83', 'TR90', 'DE'], ['TR8', 'TR9', 'DE'])
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    country = nodes["country"].astype(object).fillna("TR")
    province = nodes["province"] if "province" in nodes else pd.Series(np.nan, index=nodes.index)
    if level == "province":
        region = province.astype(object)
    else:
        region = province_attribute(province, level).astype(object)
        if level == "nuts2" and "region" in nodes:
            region = region.where(region.notna(), nodes["region"].astype(object))
    foreign = country != "TR"
    return region.where(~foreign, country)


def scope(nodes: pd.DataFrame, u, v, level: str = "province") -> np.ndarray:
    """The scope of each pair ``(u[i], v[i])``: intra_regional, interregional or international.

    Parameters
    ----------
    nodes : DataFrame
        A node table with ``country`` and ``province`` (a :attr:`Network.nodes`).
    u, v : array-like
        Positions of the two ends in ``nodes`` (integers), vectorised over many pairs.
    level : {"province", "nuts3", "nuts2", "nuts1"}
        What "the same region" means for two Turkish actors.

    Returns
    -------
    numpy.ndarray of str
        ``international`` when the countries differ, ``intra_regional`` when the regions at
        ``level`` are equal, ``interregional`` when they differ, and ``unknown`` when a
        Turkish actor has no province (so the question has no answer).

    Examples
    --------
    >>> nodes = pd.DataFrame({"country": ["TR", "TR", "TR", "DE"],
    ...                       "province": ["Samsun", "Çorum", "Trabzon", None]})
    >>> scope(nodes, [0, 0, 0], [1, 2, 3]).tolist()
    ['interregional', 'interregional', 'international']
    >>> scope(nodes, [0, 0], [1, 2], level="nuts2").tolist()
    ['intra_regional', 'interregional']
    """
    return scope_of_codes(scope_codes(nodes, level), u, v)


def scope_codes(nodes: pd.DataFrame, level: str = "province") -> tuple[np.ndarray, np.ndarray]:
    """Integer country and region codes of every node, for :func:`scope_of_codes` (compute
    once, then classify many blocks of pairs).

    >>> nodes = pd.DataFrame({"country": ["TR", "TR", "DE"],
    ...                       "province": ["Samsun", "Trabzon", None]})
    >>> codes = scope_codes(nodes)
    >>> scope_of_codes(codes, [0, 0], [1, 2]).tolist()
    ['interregional', 'international']
    """
    country_name = nodes["country"].fillna("TR")
    country, _ = pd.factorize(country_name)
    if level != "province":
        region, _ = pd.factorize(region_codes(nodes, level), use_na_sentinel=True)
        return country, region
    # Provinces at home, countries abroad: codes of the columns as read (a million values
    # turned into Python objects first cost 0.2 s a column).
    if "province" in nodes:
        province, _ = pd.factorize(nodes["province"], use_na_sentinel=True)
    else:
        province = np.full(len(nodes), -1, dtype=np.int64)
    foreign = (country_name != "TR").to_numpy(dtype=bool)
    region = np.where(foreign, province.max(initial=-1) + 1 + country, province)
    return country, region


_SCOPE_LABELS = np.array(["intra_regional", "interregional", "international", "unknown"])


def scope_of_codes(codes: tuple[np.ndarray, np.ndarray], u, v, as_labels: bool = True) -> np.ndarray:
    """:func:`scope` from precomputed :func:`scope_codes`; with ``as_labels=False`` the
    position of each label in ``SCOPES + ("unknown",)``.

    >>> nodes = pd.DataFrame({'country': ['TR', 'TR', 'TR', 'IQ'],
    ...                       'province': ['Samsun', 'Samsun', 'Çorum', None]})
    >>> scope_of_codes(scope_codes(nodes), [0, 0, 0], [1, 2, 3]).tolist()
    ['intra_regional', 'interregional', 'international']
    >>> scope_of_codes(scope_codes(nodes, 'nuts2'), [0], [2]).tolist()
    ['intra_regional']
    """
    country, region = codes
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    ru, rv = region[u], region[v]
    label = np.where(ru == rv, 0, 1)
    label = np.where((ru < 0) | (rv < 0), 3, label)
    label = np.where(country[u] != country[v], 2, label)
    return _SCOPE_LABELS[label] if as_labels else label

