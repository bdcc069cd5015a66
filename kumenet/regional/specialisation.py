"""Specialisation of regions: location quotients, strong clusters, cluster stars, shift-share.

Sources of the rules:

- Location quotient: LQ_rs = (x_rs / x_r) / (x_s / x), the sector's share of the region's
  value over its share of the whole table.
- "Strong cluster" (US Cluster Mapping Project, Delgado, Porter and Stern 2016, "Defining
  clusters of related industries", Journal of Economic Geography 16: 1-38; clustermapping.us,
  "Cluster Strength"): a region-sector is strong when its LQ is at or above the 75th percentile
  of the regions in that sector and at least 1, and its employment and its establishments are
  above the 25th percentile of the regions in that sector.
- Stars (European Cluster Observatory; Sölvell, Ketels and Lindqvist 2009, "The European
  Cluster Observatory: EU Cluster Mapping and Strengthening Clusters in Europe", Europe INNOVA
  Paper 12): one star each for **size** (employment in the top 10 % of all region-sectors),
  **specialisation** (LQ >= 2) and **focus** (the sector's share of the region's employment in
  the top 10 % of all region-sectors).
- Shift-share (Dunn 1960): the change of each region-sector between two years split into a
  national share (x_rs0 g), an industry mix (x_rs0 (g_s - g)) and a regional shift
  (x_rs0 (g_rs - g_s)), g being growth rates; the three add up to the change.

Percentiles are numpy's linear interpolation over the regions in the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.regional.table import RegionTable


__all__ = ["StrongRule", "StarRule", "location_quotients", "strong_clusters", "cluster_stars",
           "specialisation", "shift_share"]


@dataclass(frozen=True)
class StrongRule:
    """Thresholds of the US Cluster Mapping Project's strong-cluster rule."""

    lq_percentile: float = 75.0
    min_lq: float = 1.0
    size_percentile: float = 25.0


@dataclass(frozen=True)
class StarRule:
    """Thresholds of the European Cluster Observatory's stars."""

    size_quantile: float = 0.90
    min_lq: float = 2.0
    focus_quantile: float = 0.90


def location_quotients(table: RegionTable, year: int | None = None) -> pd.DataFrame:
    """One row per region and sector of one year (default: the latest).

    Columns: ``year``, ``region``, ``region_name``, ``sector``, ``sector_name``, ``value``,
    ``establishments``, ``share_of_region`` (x_rs / x_r), ``share_of_sector`` (x_rs / x_s),
    ``lq``. Regions and sectors with a total of 0 are left out (with a warning).

    >>> from kumenet.regional.table import load_dataset
    >>> lq = location_quotients(load_dataset('tr-nuts2-employment'), 2019)
    >>> row = lq[(lq['region'] == 'TR83') & (lq['sector'] == 'A')]
    >>> round(float(row['lq'].iloc[0]), 2)
    2.11
    """
    one = table.year(year)
    x, regions, sectors = one.matrix()
    est = one.matrix("establishments")[0] if one.has_establishments else None
    return _long(one, x, regions, sectors, est, _lq(x))


def _lq(x: np.ndarray) -> np.ndarray:
    region = x.sum(axis=1, keepdims=True)
    sector = x.sum(axis=0, keepdims=True)
    return (x / region) / (sector / x.sum())


def _long(one: RegionTable, x, regions, sectors, est, lq) -> pd.DataFrame:
    nr, ns = x.shape
    region_names, sector_names = one.names("region"), one.names("sector")
    out = pd.DataFrame({
        "year": int(one.data["year"].iloc[0]),
        "region": np.repeat(regions.to_numpy(dtype=object), ns),
        "sector": np.tile(sectors.to_numpy(dtype=object), nr),
        "value": x.ravel(),
        "establishments": est.ravel() if est is not None else np.nan,
        "share_of_region": (x / x.sum(axis=1, keepdims=True)).ravel(),
        "share_of_sector": (x / x.sum(axis=0, keepdims=True)).ravel(),
        "lq": lq.ravel(),
    })
    out.insert(2, "region_name", out["region"].map(region_names))
    out.insert(4, "sector_name", out["sector"].map(sector_names))
    return out


def strong_clusters(lq: pd.DataFrame, rule: StrongRule = StrongRule()) -> pd.Series:
    """The US Cluster Mapping Project's rule applied to a :func:`location_quotients` table.

    Without establishments in the table only LQ and employment are tested (said in the
    ``strong_rule`` attribute of the result).

    >>> from kumenet.regional.table import load_dataset
    >>> lq = location_quotients(load_dataset('tr-nuts2-employment'), 2019)
    >>> strong = strong_clusters(lq)
    >>> bool(strong.any()), bool((lq.loc[strong, 'lq'] >= 1).all())
    (True, True)
    """
    by = lq.groupby("sector", sort=False)
    lq_cut = by["lq"].transform("quantile", rule.lq_percentile / 100)
    size_cut = by["value"].transform("quantile", rule.size_percentile / 100)
    strong = (lq["lq"] >= lq_cut) & (lq["lq"] >= rule.min_lq) & (lq["value"] > size_cut)
    if lq["establishments"].notna().any():
        est = lq["establishments"].fillna(0)
        est_cut = est.groupby(lq["sector"], sort=False).transform(
            "quantile", rule.size_percentile / 100)
        strong &= est > est_cut
    return strong.rename("strong")


def cluster_stars(lq: pd.DataFrame, rule: StarRule = StarRule()) -> pd.DataFrame:
    """The European Cluster Observatory's three stars for each row of ``lq``.

    >>> from kumenet.regional.table import load_dataset
    >>> stars = cluster_stars(location_quotients(load_dataset('tr-nuts2-employment'), 2019))
    >>> list(stars.columns), int(stars['stars'].max())
    (['stars', 'size_star', 'specialisation_star', 'focus_star'], 3)
    """
    size = lq["value"] >= np.quantile(lq["value"], rule.size_quantile)
    specialisation = lq["lq"] >= rule.min_lq
    focus = lq["share_of_region"] >= np.quantile(lq["share_of_region"], rule.focus_quantile)
    out = pd.DataFrame({"size_star": size, "specialisation_star": specialisation,
                        "focus_star": focus})
    out.insert(0, "stars", out.sum(axis=1).astype("int64"))
    return out


def specialisation(table: RegionTable, year: int | None = None,
                   strong: StrongRule = StrongRule(), stars: StarRule = StarRule()) -> pd.DataFrame:
    """Location quotients with the strong-cluster flag and the stars, ranked within regions.

    Parameters
    ----------
    table : RegionTable
        Region x sector values (employment, firms, ...).
    year : int, optional
        The year (default: the table's latest).
    strong : StrongRule
        The US Cluster Mapping Project's rule: LQ at or above a percentile of regions (and
        at least ``min_lq``), size and establishments above a percentile.
    stars : StarRule
        The European Cluster Observatory's stars: size, specialisation, focus.

    Adds ``lq_rank`` (1 = the region's most specialised sector), ``strong``, ``stars``,
    ``size_star``, ``specialisation_star``, ``focus_star``.

    >>> from kumenet.regional.table import load_dataset
    >>> t = specialisation(load_dataset('tr-nuts2-employment'), 2019)
    >>> top = t[t['region'] == 'TR83'].sort_values('lq_rank').iloc[0]
    >>> top['sector'], round(float(top['lq']), 2), int(top['stars'])
    ('A', 2.11, 3)
    """
    out = location_quotients(table, year)
    out["lq_rank"] = out.groupby("region", sort=False)["lq"].rank(
        ascending=False, method="min").astype("int64")
    out["strong"] = strong_clusters(out, strong)
    return pd.concat([out, cluster_stars(out, stars)], axis=1)


def shift_share(table: RegionTable, start: int, end: int) -> pd.DataFrame:
    """Shift-share decomposition of the change between ``start`` and ``end``.

    Columns: ``region``, ``region_name``, ``sector``, ``sector_name``, ``value_start``,
    ``value_end``, ``change``, ``national_share``, ``industry_mix``, ``regional_shift``
    (the three add up to ``change``). Pairs present in only one of the two years are left out.

    >>> from kumenet.regional.table import load_dataset
    >>> t = shift_share(load_dataset('tr-nuts2-employment'), 2009, 2019)
    >>> row = t[(t['region'] == 'TR83') & (t['sector'] == 'A')].iloc[0]
    >>> total = row['national_share'] + row['industry_mix'] + row['regional_shift']
    >>> bool(abs(total - row['change']) < 1e-6)
    True
    """
    if start >= end:
        raise KumenetError(f"shift-share needs a start year before the end year "
                           f"(got {start} and {end})")
    a, b = table.year(start), table.year(end)
    xa, regions_a, sectors_a = a.matrix()
    xb, regions_b, sectors_b = b.matrix()
    regions = regions_a.intersection(regions_b, sort=False)
    sectors = sectors_a.intersection(sectors_b, sort=False)
    xa = pd.DataFrame(xa, index=regions_a, columns=sectors_a).loc[regions, sectors].to_numpy()
    xb = pd.DataFrame(xb, index=regions_b, columns=sectors_b).loc[regions, sectors].to_numpy()
    g = xb.sum() / xa.sum() - 1
    sector_a = xa.sum(axis=0, keepdims=True)
    g_s = np.divide(xb.sum(axis=0, keepdims=True), sector_a, out=np.ones_like(sector_a),
                    where=sector_a > 0) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        g_rs = np.where(xa > 0, xb / xa - 1, 0.0)
    national = xa * g
    mix = xa * (g_s - g)
    # Where the pair started at 0 the whole change is regional (no growth rate exists).
    regional = np.where(xa > 0, xa * (g_rs - g_s), xb)
    nr, ns = xa.shape
    region_names, sector_names = table.names("region"), table.names("sector")
    out = pd.DataFrame({
        "region": np.repeat(regions.to_numpy(dtype=object), ns),
        "sector": np.tile(sectors.to_numpy(dtype=object), nr),
        "value_start": xa.ravel(), "value_end": xb.ravel(), "change": (xb - xa).ravel(),
        "national_share": national.ravel(), "industry_mix": mix.ravel(),
        "regional_shift": regional.ravel(),
    })
    out.insert(1, "region_name", out["region"].map(region_names))
    out.insert(3, "sector_name", out["sector"].map(sector_names))
    out.attrs.update(start=start, end=end, national_growth=g)
    return out
