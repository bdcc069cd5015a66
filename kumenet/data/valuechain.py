"""Value-chain links between sectors, from Turkey's input-output table (WIOD 2013, 2011 flows).

A firm's NACE Rev.2 code is mapped to one of the 35 WIOD sectors with the concordance in
``kumenet/data/nace2_to_wiod2013.csv`` (class 32.50 first, then the division). Two sectors
are linked when one supplies the other: the strength of the link is the larger of the two
input shares (the share of the buying sector's domestic intermediate inputs that come from
the selling sector).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd


__all__ = ["io_table", "sector_names", "wiod_divisions", "wiod_sector", "link_strength",
           "complementarity", "value_chain_link"]


TRADE = ["c19", "c20", "c21"]  # WIOD's trade sectors
#: The weakest link kumenet calls a value-chain link (5 % of the buying sector's domestic
#: inputs): weaker shares of a 35-sector table join sectors that hardly trade (medical devices
#: and agricultural machinery at 3.7 %).
MIN_LINK = 0.05


def _read(name: str, **kwargs) -> pd.DataFrame:
    with resources.files("kumenet.data").joinpath(name).open("rb") as fh:
        return pd.read_csv(fh, encoding="utf-8", **kwargs)


@lru_cache(maxsize=1)
def io_table() -> pd.DataFrame:
    """Domestic intermediate flows, Turkey 2011: ``supplier``, ``buyer`` (WIOD codes),
    ``flow_musd``, ``input_share``, ``sales_share``.

    >>> t = io_table()
    >>> list(t.columns), len(t) > 100
    (['supplier', 'buyer', 'flow_musd', 'input_share', 'sales_share'], True)
    """
    return _read("wiod2013_tur_2011_io.csv")


@lru_cache(maxsize=1)
def sector_names() -> dict[str, str]:
    """WIOD 2013 sector code -> its English name.

    >>> sector_names()['c12']
    'Basic Metals and Fabricated Metal'
    """
    table = _read("wiod2013_sectors.csv")
    return dict(zip(table["sector"], table["name"]))


@lru_cache(maxsize=1)
def _concordance() -> dict[str, str]:
    table = _read("nace2_to_wiod2013.csv", dtype=str)
    return dict(zip(table["nace2"], table["wiod"]))


def wiod_divisions() -> dict[str, list[str]]:
    """WIOD 2013 sector -> the NACE Rev.2 divisions it holds (from the same concordance).

    >>> wiod_divisions()['c4']
    ['13', '14']
    """
    out: dict[str, list[str]] = {}
    for code, wiod in _concordance().items():
        if len(code) == 2:
            out.setdefault(wiod, []).append(code)
    return {k: sorted(v) for k, v in out.items()}


def wiod_sector(sectors: pd.Series) -> pd.Series:
    """The WIOD 2013 sector of each NACE Rev.2 code (``NA`` for other labels).

    >>> wiod_sector(pd.Series(["13.10", "32.50", "32.12", "SC1", None])).tolist()
    ['c4', 'c14', 'c16', nan, nan]
    """
    conc = _concordance()
    text = sectors.astype(object)
    klass = text.where(text.isna(), text.astype(str).str[:5]).map(conc)
    division = text.where(text.isna(), text.astype(str).str[:2]).map(conc)
    return klass.where(klass.notna(), division).astype(object)


@lru_cache(maxsize=1)
def _matrix() -> tuple[pd.Index, np.ndarray]:
    table = io_table()
    codes = pd.Index([f"c{i}" for i in range(1, 36)])
    M = np.zeros((35, 35))
    M[codes.get_indexer(table["supplier"]), codes.get_indexer(table["buyer"])] = table["input_share"]
    return codes, M


def link_strength() -> tuple[pd.Index, np.ndarray]:
    """WIOD sector codes and the symmetric value-chain link strength between them: the larger
    of the two input shares, 0 on the diagonal and for trade sectors (c19-c21), whose input
    shares are trade margins rather than value-chain steps.

    >>> codes, strength = link_strength()
    >>> len(codes), bool((strength == strength.T).all()), float(strength.diagonal().max())
    (35, True, 0.0)
    """
    codes, M = _matrix()
    strength = np.maximum(M, M.T)
    trade = codes.get_indexer(TRADE)
    strength[trade, :] = 0
    strength[:, trade] = 0
    np.fill_diagonal(strength, 0)
    return codes, strength


def complementarity(sector_u: pd.Series, sector_v: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Value-chain link strength for pairs of sectors, and which way it runs.

    Returns
    -------
    (strength, u_supplies) : arrays
        ``strength`` is max(input share u -> v, input share v -> u) (0 when either sector is
        unknown or a trade sector, whose input shares are trade margins); ``u_supplies`` is
        True when the stronger direction is u -> v.

    >>> strength, u_supplies = complementarity(pd.Series(['24.10']), pd.Series(['28.30']))
    >>> round(float(strength[0]), 3), bool(u_supplies[0])
    (0.171, True)
    """
    codes, M = _matrix()
    a = codes.get_indexer(wiod_sector(pd.Series(sector_u).reset_index(drop=True)))
    b = codes.get_indexer(wiod_sector(pd.Series(sector_v).reset_index(drop=True)))
    # Trade sectors (c19-c21) sell margins to every industry: not a value-chain step.
    trade = codes.get_indexer(TRADE)
    known = (a >= 0) & (b >= 0) & ~np.isin(a, trade) & ~np.isin(b, trade)
    forward = np.where(known, M[np.maximum(a, 0), np.maximum(b, 0)], 0.0)
    backward = np.where(known, M[np.maximum(b, 0), np.maximum(a, 0)], 0.0)
    return np.maximum(forward, backward), forward >= backward


@lru_cache(maxsize=1)
def _class_steps() -> frozenset:
    """(supplier, buyer) NACE classes of the project's class-level table (value_chain.csv)."""
    table = _read("value_chain.csv", dtype=str)
    return frozenset(zip(table["supplier"], table["buyer"]))


def value_chain_link(sector_u: pd.Series, sector_v: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The links kumenet states as value-chain links to people: ``(strength, u_supplies)``.

    Between sectors of different WIOD sectors, :func:`complementarity` where it reaches
    :data:`MIN_LINK`. Two classes of one WIOD sector (steel and machining are both c12; cotton
    yarn and carpets both c4) share that sector's own-input share, which says neither whether
    they trade nor which way: a link between them is stated only when the class-level table
    ``value_chain.csv`` knows the step, in its direction (steel -> machining, yarn ->
    carpets), with the WIOD sector's share as its strength. 0 elsewhere.

    >>> strength, u_supplies = value_chain_link(pd.Series(["25.62", "25.62", "32.50", "13.93"]),
    ...                                         pd.Series(["32.50", "24.10", "28.30", "13.10"]))
    >>> (strength > 0).tolist(), u_supplies.tolist()
    ([True, True, False, True], [True, False, True, False])
    """
    strength, forward = complementarity(sector_u, sector_v)
    u = pd.Series(sector_u).reset_index(drop=True).astype(object)
    v = pd.Series(sector_v).reset_index(drop=True).astype(object)
    a = wiod_sector(u).to_numpy(dtype=object)
    b = wiod_sector(v).to_numpy(dtype=object)
    known = pd.notna(a) & pd.notna(b)
    across = known & (a != b) & (strength >= MIN_LINK)
    steps = _class_steps()
    within = known & (a == b) & (strength >= MIN_LINK)
    ahead = np.zeros(len(u), dtype=bool)
    behind = np.zeros(len(u), dtype=bool)
    if within.any():  # a few distinct class pairs: looked up in the table
        pairs = pd.Series(list(zip(u[within].str[:5], v[within].str[:5])), dtype=object)
        ahead[within] = pairs.map(lambda p: p in steps).to_numpy(dtype=bool)
        behind[within] = pairs.map(lambda p: (p[1], p[0]) in steps).to_numpy(dtype=bool)
    stated = across | ahead | behind
    return np.where(stated, strength, 0.0), np.where(across, forward, ahead | ~behind)
