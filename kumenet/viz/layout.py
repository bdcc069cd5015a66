"""Node positions computed in Python: force-directed with igraph, or geographic.

Positions are in screen pixels for vis-network (y grows downwards). The geographic view puts
Turkish actors at their province's administrative centre, spread on a sunflower spiral so they
do not overlap (the best-connected in the middle), and foreign actors on a ring around Turkey
in the direction of their country's capital.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["force_layout", "project", "country_capitals", "province_outlines", "outline_rings",
           "geo_layout"]


#: Projection centre and scale of the geographic view (pixels per degree of latitude).
LON0, LAT0, SCALE = 35.0, 39.0, 120.0
COS0 = float(np.cos(np.radians(LAT0)))
RING_RADIUS = 1350.0
SPREAD = 7.0  # pixels between neighbours on a province's spiral
GOLDEN = np.pi * (3 - np.sqrt(5))


def force_layout(n: int, u: np.ndarray, v: np.ndarray, weight: np.ndarray | None = None,
                 seed: int = 0) -> np.ndarray:
    """Fruchterman-Reingold positions (igraph, grid-accelerated above 1,000 nodes), n x 2.

    Deterministic for a seed: the start positions come from ``numpy``'s generator.

    >>> xy = force_layout(3, np.array([0, 1]), np.array([1, 2]), seed=0)
    >>> again = force_layout(3, np.array([0, 1]), np.array([1, 2]), seed=0)
    >>> xy.shape, bool((again == xy).all())
    ((3, 2), True)
    """
    import igraph as ig

    if n == 0:
        return np.zeros((0, 2))
    g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist() if len(u) else [], directed=False)
    g.es["weight"] = np.ones(len(u)) if weight is None else np.asarray(weight, float)
    g.simplify(combine_edges="sum")
    start = np.random.default_rng(seed).uniform(-1, 1, size=(n, 2)) * np.sqrt(n)
    if g.ecount() == 0:
        xy = start
    else:
        from kumenet.graph.seeded import seeded

        weights = np.asarray(g.es["weight"], float)
        with seeded(seed):  # FR draws random numbers too
            xy = np.asarray(g.layout_fruchterman_reingold(
                weights=weights.tolist(), seed=start.tolist(), niter=1000 if n <= 5000 else 300,
                grid="auto").coords)
    # Scale so that the mean distance between neighbours is about 60 pixels.
    xy = xy - xy.mean(axis=0)
    if len(u):
        d = np.linalg.norm(xy[u] - xy[v], axis=1)
        typical = np.median(d[d > 0]) if (d > 0).any() else 1.0
    else:
        typical = np.std(xy) or 1.0
    return xy * (60.0 / typical)


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude to the geographic view's pixels.

    >>> x, y = project([35.3, 39.7], [41.3, 41.0])  # Samsun and Trabzon
    >>> bool(x[1] > x[0]), bool(abs(y[1] - y[0]) < 50)
    (True, True)
    """
    x = (np.asarray(lon, float) - LON0) * COS0 * SCALE
    y = -(np.asarray(lat, float) - LAT0) * SCALE
    return x, y


@cache
def country_capitals() -> pd.DataFrame:
    """ISO code -> capital's lat/lon (GeoNames, see kumenet/data/PROVENANCE.md).

    >>> capitals = country_capitals()
    >>> capitals.loc['DE', ['name', 'lat', 'lon']].tolist()
    ['Germany', np.float64(52.52), np.float64(13.41)]
    """
    with resources.files("kumenet.data").joinpath("country_capitals.csv").open("rb") as fh:
        return pd.read_csv(fh, keep_default_na=False, dtype={"country": str}).set_index("country")


@cache
def province_outlines() -> dict[str, list]:
    """Province name -> list of lon/lat rings (OpenStreetMap via tr-geojson, ODbL).

    >>> outlines = province_outlines()
    >>> len(outlines), 'Samsun' in outlines
    (81, True)
    """
    import json

    text = resources.files("kumenet.data").joinpath("tr_province_outlines.json").read_text("utf-8")
    return json.loads(text)


def outline_rings() -> list[list[list[float]]]:
    """Every province ring projected to the geographic view's pixels (rounded).

    >>> rings = outline_rings()
    >>> len(rings) >= 81, len(rings[0][0])
    (True, 2)
    """
    rings = []
    for polys in province_outlines().values():
        for ring in polys:
            arr = np.asarray(ring)
            x, y = project(arr[:, 0], arr[:, 1])
            rings.append(np.round(np.column_stack([x, y]), 1).tolist())
    return rings


def geo_layout(nodes: pd.DataFrame, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the geographic view and a flag for nodes placed without a location.

    ``order`` ranks the nodes (0 = most central on its spiral), e.g. by degree.

    >>> nodes = pd.DataFrame({'country': ['TR', 'DE', 'TR'],
    ...                       'province': ['Samsun', None, None]})
    >>> xy, unplaced = geo_layout(nodes, np.arange(3))
    >>> xy.shape, unplaced.tolist()
    ((3, 2), [False, False, True])
    """
    from kumenet.graph.geography import province_attribute

    n = len(nodes)
    xy = np.full((n, 2), np.nan)
    country = nodes["country"].astype(object).to_numpy()
    province = nodes["province"].astype(object)
    domestic = (country == "TR")
    lat = province_attribute(province, "lat").to_numpy(dtype=float)
    lon = province_attribute(province, "lon").to_numpy(dtype=float)
    at_home = domestic & ~np.isnan(lat)
    cx, cy = project(lon, lat)
    xy[at_home] = _spiral(np.column_stack([cx, cy])[at_home], province.to_numpy()[at_home],
                          order[at_home])
    caps = country_capitals()
    foreign = ~domestic & pd.notna(country)
    known = foreign & pd.Series(country).isin(caps.index).to_numpy()
    if known.any():
        c_lat = caps["lat"].reindex(country[known]).to_numpy()
        c_lon = caps["lon"].reindex(country[known]).to_numpy()
        angle = np.arctan2(-(c_lat - LAT0), (c_lon - LON0) * COS0)
        centre = np.column_stack([np.cos(angle), np.sin(angle)]) * RING_RADIUS
        xy[known] = _spiral(centre, country[known], order[known])
    unplaced = np.isnan(xy[:, 0])
    if unplaced.any():  # no province or unknown country: a block below the map
        k = np.arange(unplaced.sum())
        xy[unplaced] = np.column_stack([-900 + (k % 40) * 14, 980 + (k // 40) * 14])
    return xy, unplaced


def _spiral(centres: np.ndarray, keys: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Sunflower-spiral offsets around each key's centre, the lowest ``order`` in the middle."""
    frame = pd.DataFrame({"key": pd.Series(keys, dtype=object).fillna(""), "order": order})
    rank = frame.sort_values(["key", "order"], kind="stable").groupby("key").cumcount()
    k = rank.reindex(frame.index).to_numpy(dtype=float)
    r = SPREAD * np.sqrt(k + 0.5)
    theta = k * GOLDEN
    return centres + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
