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


TRADE = ["c19", "c20", "c21"]  # WIOD's trade sectors


def _read(name: str, **kwargs) -> pd.DataFrame:
    with resources.files("kumenet.data").joinpath(name).open("rb") as fh:
        return pd.read_csv(fh, encoding="utf-8", **kwargs)


@lru_cache(maxsize=1)
def io_table() -> pd.DataFrame:
    """Domestic intermediate flows, Turkey 2011: ``supplier``, ``buyer`` (WIOD codes),
    ``flow_musd``, ``input_share``, ``sales_share``."""
    return _read("wiod2013_tur_2011_io.csv")


@lru_cache(maxsize=1)
def sector_names() -> dict[str, str]:
    table = _read("wiod2013_sectors.csv")
    return dict(zip(table["sector"], table["name"]))


@lru_cache(maxsize=1)
def _concordance() -> dict[str, str]:
    table = _read("nace2_to_wiod2013.csv", dtype=str)
    return dict(zip(table["nace2"], table["wiod"]))


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
    shares are trade margins rather than value-chain steps."""
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
