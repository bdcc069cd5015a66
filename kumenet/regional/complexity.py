"""Relatedness and economic complexity of regions and sectors, and the sectors a region could
grow into.

Definitions (Hidalgo, Klinger, Barabási and Hausmann 2007, "The product space conditions the
development of nations", Science 317: 482-487; Hausmann, Hidalgo et al. 2014, *The Atlas of
Economic Complexity*), computed as the Harvard Growth Lab's ``ecomplexity`` package (0.5.3) and
its Stata original do, so results can be checked against them:

- RCA_rs = (x_rs / x_r) / (x_s / x) (Balassa; the location quotient), presence M_rs = RCA >= 1.
- diversity k_r = sum_s M_rs, ubiquity k_s = sum_r M_rs.
- proximity phi_ss' = min(P(s | s'), P(s' | s)) = sum_r M_rs M_rs' / max(k_s, k_s'); phi_ss = 1.
- density d_rs = sum_s' M_rs' phi_ss' / sum_s' phi_ss' (the share of a sector's relatedness
  that the region already holds).
- ECI / PCI: the eigenvector of the second largest eigenvalue of
  M~_ss' = sum_r M_rs M_rs' / (k_r k_s); ECI_r = sum_s M_rs PCI_s / k_r; signed so that ECI
  grows with diversity; both standardised with ECI's mean and (population) standard deviation.
- complexity outlook COI_r = sum_s d_rs (1 - M_rs) PCI_s (standardised) and outlook gain
  COG_rs = (1 - M_rs) sum_s' (1 - M_rs') phi_ss' PCI_s' / sum_s'' phi_s's'', with the
  eigenvector's PCI before standardisation, as the package does.

Where the package is wrong we do not follow it: its ``knn`` density sums the presences of the
k nearest sectors without weighting them by proximity (``calc_density``: ``num_p`` is computed
and never used); :func:`complexity` with ``knn`` weights them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kumenet.messages import MESSAGES, numbers, pieces, term
from kumenet.messages import text as message
from kumenet.regional.table import RegionTable


__all__ = ["Complexity", "complexity", "proximity", "eci_pci", "potential", "in_language"]


@dataclass
class Complexity:
    """Relatedness and complexity of one year's region x sector table (arrays in row order of
    ``regions`` and column order of ``sectors``)."""

    regions: pd.Index
    sectors: pd.Index
    value: np.ndarray
    rca: np.ndarray
    presence: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    proximity: np.ndarray
    density: np.ndarray
    eci: np.ndarray
    pci: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    region_names: dict
    sector_names: dict
    year: int

    def table(self) -> pd.DataFrame:
        """One row per region and sector: ``region``, ``sector``, ``value``, ``rca``,
        ``present``, ``density``, ``cog``, ``diversity``, ``ubiquity``, ``eci``, ``pci``,
        ``coi``."""
        nr, ns = self.value.shape
        out = pd.DataFrame({
            "year": self.year,
            "region": np.repeat(self.regions.to_numpy(dtype=object), ns),
            "sector": np.tile(self.sectors.to_numpy(dtype=object), nr),
            "value": self.value.ravel(), "rca": self.rca.ravel(),
            "present": self.presence.ravel().astype(bool), "density": self.density.ravel(),
            "cog": self.cog.ravel(),
            "diversity": np.repeat(self.diversity, ns), "ubiquity": np.tile(self.ubiquity, nr),
            "eci": np.repeat(self.eci, ns), "pci": np.tile(self.pci, nr),
            "coi": np.repeat(self.coi, ns),
        })
        out.insert(2, "region_name", out["region"].map(self.region_names))
        out.insert(4, "sector_name", out["sector"].map(self.sector_names))
        return out

    def regions_table(self) -> pd.DataFrame:
        """One row per region: diversity, ECI, COI and ECI rank."""
        out = pd.DataFrame({"region": self.regions.to_numpy(dtype=object),
                            "diversity": self.diversity, "eci": self.eci, "coi": self.coi})
        out.insert(1, "region_name", out["region"].map(self.region_names))
        # Nullable: a region whose ECI cannot be computed has no rank (and comes last).
        out["eci_rank"] = out["eci"].rank(ascending=False, method="min").astype("Int64")
        return out.sort_values(["eci_rank", "region"]).reset_index(drop=True)

    def sectors_table(self) -> pd.DataFrame:
        """One row per sector: ubiquity and PCI."""
        out = pd.DataFrame({"sector": self.sectors.to_numpy(dtype=object),
                            "ubiquity": self.ubiquity, "pci": self.pci})
        out.insert(1, "sector_name", out["sector"].map(self.sector_names))
        out["pci_rank"] = out["pci"].rank(ascending=False, method="min").astype("Int64")
        return out.sort_values(["pci_rank", "sector"]).reset_index(drop=True)

    def proximity_table(self) -> pd.DataFrame:
        """Sector pairs (each once, without the diagonal) and their proximity, highest first."""
        i, j = np.triu_indices(len(self.sectors), k=1)
        out = pd.DataFrame({"sector_a": self.sectors.to_numpy(dtype=object)[i],
                            "sector_b": self.sectors.to_numpy(dtype=object)[j],
                            "proximity": self.proximity[i, j]})
        return out.sort_values(["proximity", "sector_a", "sector_b"],
                               ascending=[False, True, True]).reset_index(drop=True)


def complexity(table: RegionTable, year: int | None = None, threshold: float = 1.0,
               knn: int | None = None) -> Complexity:
    """RCA, presence, proximity, density, ECI, PCI, COI and COG of one year (default: latest).

    Parameters
    ----------
    table : RegionTable
        Region x sector values.
    year : int, optional
        The year (default: the table's latest).
    threshold : float
        The RCA at which a sector counts as present in a region.
    knn : int, optional
        Density over each sector's ``knn`` most related sectors only (weighted by
        proximity); all of them by default.

    >>> from kumenet.regional.table import load_dataset
    >>> cx = complexity(load_dataset('tr-nuts2-employment'), 2019)
    >>> cx.rca.shape, cx.year
    ((26, 10), 2019)
    """
    one = table.year(year)
    x, regions, sectors = one.matrix()
    rca = _rca(x)
    m = (rca >= threshold).astype(float)
    diversity, ubiquity = m.sum(axis=1), m.sum(axis=0)
    phi = proximity(m)
    density = _density(m, phi, knn)
    eci, pci = eci_pci(m, standardise=False)
    coi, cog = _outlook(m, phi, density, pci)
    mean, std = _spread(eci)
    cog = cog / std
    coi_mean, coi_std = _spread(coi)
    coi = (coi - coi_mean) / coi_std
    return Complexity(regions, sectors, x, rca, m, diversity, ubiquity, phi, density,
                      (eci - mean) / std, (pci - mean) / std, coi, cog,
                      one.names("region"), one.names("sector"), int(one.data["year"].iloc[0]))


def _spread(values: np.ndarray) -> tuple[float, float]:
    """Mean and population standard deviation of the values that are not NaN, for
    standardising: a spread of 0 (every region alike, as in a table of two sectors) or none
    (no value) divides by 1, so equal values stay equal instead of becoming NaN.

    >>> _spread(np.array([1.0, 3.0, np.nan])), _spread(np.array([2.0, 2.0]))
    ((2.0, 1.0), (2.0, 1.0))
    >>> _spread(np.array([np.nan]))
    (0.0, 1.0)
    """
    known = values[np.isfinite(values)]
    if not len(known):
        return 0.0, 1.0
    std = float(known.std())
    return float(known.mean()), std if std > 0 else 1.0


def _rca(x: np.ndarray) -> np.ndarray:
    return (x / x.sum(axis=1, keepdims=True)) / (x.sum(axis=0, keepdims=True) / x.sum())


def proximity(presence: np.ndarray) -> np.ndarray:
    """phi_ss' = co-occurrence / max(ubiquity_s, ubiquity_s') from a region x sector 0/1 array.

    >>> presence = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    >>> proximity(presence).round(2).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    co = presence.T @ presence
    ubiquity = np.diag(co)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / np.maximum(ubiquity[:, None], ubiquity[None, :])
    return np.nan_to_num(phi)


def _density(m: np.ndarray, phi: np.ndarray, knn: int | None) -> np.ndarray:
    weights = phi
    if knn is not None and knn < phi.shape[0]:
        # Keep each sector's knn most related sectors (itself included, as phi_ss = 1).
        order = np.argsort(-phi, axis=1, kind="stable")[:, :knn]
        weights = np.zeros_like(phi)
        rows = np.arange(phi.shape[0])[:, None]
        weights[rows, order] = phi[rows, order]
    total = weights.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (m @ weights.T) / total[None, :]


def eci_pci(m: np.ndarray, standardise: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """ECI of the rows and PCI of the columns of a 0/1 presence array (NaN for empty ones).

    Standardised with ECI's mean and population standard deviation (``standardise=False``:
    the eigenvector as found, signed so that ECI grows with diversity).

    >>> eci, pci = eci_pci(np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]]))
    >>> np.round(eci, 4).tolist(), np.round(pci, 4).tolist()
    ([1.2247, 0.0, -1.2247], [-1.2247, 1.2247, 3.6742])
    """
    m = np.asarray(m, dtype=float)
    diversity, ubiquity = m.sum(axis=1), m.sum(axis=0)
    rows, cols = diversity > 0, ubiquity > 0
    eci = np.full(len(diversity), np.nan)
    pci = np.full(len(ubiquity), np.nan)
    if rows.sum() < 2 or cols.sum() < 2:
        warnings.warn("fewer than two regions or sectors are present anywhere: ECI and PCI "
                      "cannot be computed", stacklevel=3)
        return eci, pci
    mv = m[rows][:, cols]
    m1 = mv / diversity[rows, None]
    m2 = mv / ubiquity[None, cols]
    mpp = m2.T @ m1
    values, vectors = np.linalg.eig(mpp)
    kp = np.real(vectors[:, np.argsort(np.real(values))[-2]])
    kc = m1 @ kp
    with np.errstate(divide="ignore", invalid="ignore"):  # constant diversity: no sign
        agreement = np.corrcoef(diversity[rows], kc)[0, 1]
    sign = np.sign(agreement) if np.isfinite(agreement) and agreement != 0 else 1.0
    eci[rows], pci[cols] = sign * kc, sign * kp
    if standardise:
        mean, std = _spread(eci)
        return (eci - mean) / std, (pci - mean) / std
    return eci, pci


def _outlook(m, phi, density, pci) -> tuple[np.ndarray, np.ndarray]:
    p = np.nan_to_num(pci)
    absent = 1 - m
    coi = (density * absent * p).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = phi * (p / phi.sum(axis=1))[:, None]
    cog = absent * (absent @ np.nan_to_num(scaled))
    return coi, cog


def potential(cx: Complexity, regions=None, top: int = 5, related: int = 3,
              lang: str = "en") -> pd.DataFrame:
    """Sectors each region could grow into: absent sectors (RCA < threshold) ranked by density.

    Parameters
    ----------
    cx : Complexity
        What :func:`complexity` computed.
    regions : list of str, optional
        Only these regions (codes); all by default.
    top : int
        Sectors suggested per region.
    related : int
        Present sectors the reason names for each suggestion.
    lang : {"en", "tr"}
        The language of the reasons and of the packaged sectors' names.

    Ties in density are broken by outlook gain (COG), then by sector code. The ``reason``
    names the region's present sectors most related to each suggestion, in ``lang`` (sector
    names too, for the packaged Eurostat section groups).

    Columns: ``region``, ``region_name``, ``rank``, ``sector``, ``sector_name``, ``density``,
    ``cog``, ``pci``, ``rca``, ``reason``.

    >>> from kumenet.regional.table import load_dataset
    >>> cx = complexity(load_dataset('tr-nuts2-employment'), 2019)
    >>> t = potential(cx, ['TR83'], top=2)
    >>> t[['region', 'rank', 'sector']].values.tolist()
    [['TR83', 1, 'O-Q'], ['TR83', 2, 'R-U']]
    """
    nr, ns = cx.presence.shape
    pick = np.arange(nr) if regions is None else _region_rows(cx, regions)
    m = cx.presence[pick]
    # related[r, s, k]: proximity of sector s to the k-th sector present in region r
    weight = cx.proximity[None, :, :] * m[:, None, :]
    np.einsum("rss->rs", weight)[:] = 0  # a sector is not its own reason
    order = np.argsort(-weight, axis=2, kind="stable")[:, :, :related]
    strength = np.take_along_axis(weight, order, axis=2)
    r_idx, s_idx = np.nonzero(m == 0)
    if len(r_idx) == 0:
        return pd.DataFrame(columns=["region", "region_name", "rank", "sector", "sector_name",
                                     "density", "cog", "pci", "rca", "reason"])
    rows = pick[r_idx]
    sectors = cx.sectors.to_numpy(dtype=object)
    out = pd.DataFrame({
        "region": cx.regions.to_numpy(dtype=object)[rows], "sector": sectors[s_idx],
        "density": cx.density[rows, s_idx], "cog": cx.cog[rows, s_idx],
        "pci": cx.pci[s_idx], "rca": cx.rca[rows, s_idx],
    })
    names = {c: _sector_name(c, cx.sector_names.get(c, c), lang) for c in sectors}
    display = np.array([c if names[c] == c else f"{c} {names[c]}" for c in sectors], dtype=object)
    labels = display[order[r_idx, s_idx]]
    shown = strength[r_idx, s_idx]
    reason = np.full(len(out), "", dtype=object)
    # the message's words around the sector and the number
    item = [piece for is_field, piece in pieces("potential.item", lang) if not is_field]
    for k in range(order.shape[2]):  # up to `related` columns, each a vectorised join
        part = labels[:, k] + item[0] + numbers(shown[:, k], lang, 2) + item[1]
        part = np.where(shown[:, k] > 0, part, "")
        sep = np.where((reason != "") & (part != ""), "; ", "")
        reason = reason + sep + part
    head, tail = message("potential.related", lang, items="\0").split("\0")
    out["reason"] = np.where(reason != "", head + reason + tail, message("potential.none", lang))
    out = out.sort_values(["region", "density", "cog", "sector"],
                          ascending=[True, False, False, True], kind="stable")
    out["rank"] = out.groupby("region", sort=False).cumcount() + 1
    out = out[out["rank"] <= top]
    out.insert(1, "region_name", out["region"].map(cx.region_names))
    out.insert(4, "sector_name", out["sector"].map(names))
    cols = ["region", "region_name", "rank", "sector", "sector_name", "density", "cog", "pci",
            "rca", "reason"]
    return out[cols].reset_index(drop=True)


def in_language(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its ``sector_name`` column in ``lang`` (the names :func:`potential`
    gives: packaged NACE and Eurostat groups by their name in each language, other tables'
    own names kept); each distinct sector looked up once.

    >>> t = pd.DataFrame({"sector": ["28", "X1"], "sector_name": ["Manufacture of machinery "
    ...                   "and equipment n.e.c.", "Our own sector"]})
    >>> in_language(t, "tr")["sector_name"].tolist()
    ['Başka yerde sınıflandırılmamış makine ve ekipman imalatı', 'Our own sector']
    """
    if lang == "en" or "sector_name" not in frame:
        return frame
    names = frame[["sector", "sector_name"]].drop_duplicates("sector")
    named = {c: _sector_name(str(c), g, lang) for c, g in names.itertuples(index=False)}
    return frame.assign(sector_name=frame["sector"].map(named))


def _sector_name(code: str, given: str, lang: str) -> str:
    """A sector's name in ``lang``: the packaged Eurostat groups and NACE sections and
    divisions have one in each language; other tables' own names are kept."""
    if lang == "en":
        return given
    if f"nace_group.{code}" in MESSAGES:
        return term("nace_group", code, lang)
    from kumenet.data.sectors import sector_titles

    for level in ("division", "section", "class"):
        title = sector_titles(level, lang).get(code)
        if title:
            return title
    return given


def _region_rows(cx: Complexity, regions) -> np.ndarray:
    from kumenet.errors import KumenetError
    from kumenet.text import fold, suggestion

    wanted = [regions] if isinstance(regions, str) else list(regions)
    by_fold = {fold(str(r)): i for i, r in enumerate(cx.regions)}
    by_fold.update({fold(str(n)): cx.regions.get_loc(r) for r, n in cx.region_names.items()
                    if r in cx.regions and n})
    rows = []
    for name in wanted:
        if fold(name) not in by_fold:
            raise KumenetError(f"no region {name!r} in the table"
                               f"{suggestion(name, list(cx.regions) + list(cx.region_names.values()))}")
        rows.append(by_fold[fold(name)])
    return np.asarray(rows)
