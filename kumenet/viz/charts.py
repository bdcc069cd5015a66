"""Static charts as inline SVG (no script, no remote font): bars, stacked bars, province maps.

Every label is XML-escaped; numbers are formatted here. The province map (choropleth) is
drawn from the packaged province outlines (© OpenStreetMap contributors, ODbL), credited on
the map itself.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from kumenet.messages import fmt, percent, text
from kumenet.viz.layout import project, province_outlines

__all__ = ["bar_chart", "stacked_bars", "province_map", "line_chart"]


SEQUENTIAL = ["#edf8fb", "#b3cde3", "#8c96c6", "#8856a7", "#810f7c"]  # ColorBrewer BuPu 5
STACK = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f"]
NO_DATA = "#e6e6e6"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
            f'font-family="DejaVu Sans, Arial, sans-serif" font-size="12">'
            f'<title>{escape(title)}</title>' + "".join(body) + "</svg>")


def bar_chart(labels, values, title: str, value_format: str = "{:,.0f}", width: int = 520,
              color: str = "#4e79a7", lang: str = "en") -> str:
    """Horizontal bars, one per label, largest first as given.

    >>> svg = bar_chart(['Gaziantep', 'Samsun'], [158, 120], 'Firmalar', lang='tr')
    >>> svg.startswith('<svg'), '158' in svg, 'Firmalar' in svg
    (True, True, True)
    >>> long = 'Samsun · 28.30 Tarım ve ormancılık makineleri imalatı'
    >>> '>' + long + '<' in bar_chart([long], [145], 'Topluluklar')  # whole, not cut
    True
    """
    labels = [str(x) for x in labels]
    values = np.asarray(values, dtype=float)
    # The labels' column as wide as the longest (up to 60 characters, about 7 px each): the
    # chart grows rather than cut a community's name at the left edge; a longer label ends
    # in "…" and its whole text is the tooltip.
    fits = 60
    row, left, top = 20, 12 + 7 * min(fits, max((len(x) for x in labels), default=4)), 28
    width = max(width, left + 300)
    height = top + row * len(labels) + 10
    span = width - left - 70
    peak = np.nanmax(values) if len(values) and np.nanmax(values) > 0 else 1.0
    body = [f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(zip(labels, values)):
        y = top + i * row
        w = 0 if np.isnan(value) else span * value / peak
        shown = label if len(label) <= fits else label[:fits - 1] + "…"
        tip = f"<title>{escape(label)}</title>" if shown != label else ""
        body.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{tip}'
                    f'{escape(shown)}</text><rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                    f'fill="{color}"/><text x="{left + w + 4:.1f}" y="{y + 13}">'
                    f'{escape("-" if np.isnan(value) else fmt(value_format, lang, value))}</text>')
    return _svg(width, height, body, title)


def stacked_bars(frame: pd.DataFrame, label: str, parts: list[str], names: list[str],
                 title: str, width: int = 560, lang: str = "en") -> str:
    """Horizontal 100 % bars: each row of ``frame`` split into ``parts`` (shares summing to 1).

    >>> frame = pd.DataFrame({'il': ['Samsun'], 'a': [0.7], 'b': [0.3]})
    >>> svg = stacked_bars(frame, 'il', ['a', 'b'], ['aynı il', 'diğer iller'], 'Açıklık',
    ...                    lang='tr')
    >>> '%70' in svg, 'aynı il' in svg
    (True, True)
    """
    row, left, top = 20, 170, 46
    height = top + row * len(frame) + 10
    span = width - left - 10
    body = [f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>']
    x = left
    for i, name in enumerate(names):  # legend
        body.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{STACK[i]}"/>'
                    f'<text x="{x + 14}" y="33">{escape(name)}</text>')
        x += 20 + 7 * len(name)
    shares = frame[parts].fillna(0).to_numpy(dtype=float)
    for r, (lab, share) in enumerate(zip(frame[label].astype(str), shares)):
        y = top + r * row
        body.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{escape(lab)}</text>')
        x = left
        for i, s in enumerate(share):
            w = span * s
            body.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
                        f'fill="{STACK[i]}"><title>{escape(f"{lab}: {names[i]} {percent(s, lang)}")}'
                        f'</title></rect>')
            x += w
    return _svg(width, height, body, title)


def _classes(values: np.ndarray) -> tuple:
    """(colour of a value, [(colour, lowest, highest) of each class]) for a choropleth.

    Five values or fewer: one class each. More: cut at the quintiles (of the distinct values
    when ties leave fewer than five classes), a value equal to a cut going to the class above
    it; classes that hold no value are dropped and the palette is spread over those that
    remain, so that no legend entry names an empty class.

    >>> colour, legend = _classes(np.array([1.0, 1, 1, 2]))
    >>> [(low, high) for _, low, high in legend]
    [(1.0, 1.0), (2.0, 2.0)]
    >>> [(low, high) for _, low, high in _classes(np.array([0.0] * 70 + [1, 2, 3, 5, 8, 13]))[1]]
    [(0.0, 1.0), (2.0, 2.0), (3.0, 3.0), (5.0, 5.0), (8.0, 13.0)]
    >>> colour(2.0) == legend[-1][0]
    True
    """
    distinct = np.unique(values)
    if not len(distinct):
        return (lambda value: NO_DATA), []
    if len(distinct) <= len(SEQUENTIAL):
        breaks = distinct[1:]
    else:
        quintiles = [0.2, 0.4, 0.6, 0.8]
        breaks = np.unique(np.quantile(values, quintiles))
        breaks = breaks[breaks > distinct[0]]
        if len(breaks) < len(quintiles):  # ties (most provinces 0): cut the distinct values
            breaks = np.unique(np.quantile(distinct, quintiles))
    held = np.searchsorted(breaks, values, side="right")
    used = np.unique(held)
    # Five classes take the whole palette; fewer leave out its palest colour, which is hard
    # to tell from the background.
    top = len(SEQUENTIAL) - 1
    spread = np.round(np.linspace(0 if len(used) == len(SEQUENTIAL) else 1, top, len(used)))
    palette = [SEQUENTIAL[int(i)] for i in (spread if len(used) > 1 else [2])]
    colour = dict(zip(used.tolist(), palette))
    legend = [(colour[c], float(values[held == c].min()), float(values[held == c].max()))
              for c in used]
    return (lambda value: colour.get(int(np.searchsorted(breaks, value, side="right")),
                                     NO_DATA)), legend


def province_map(values: pd.Series, title: str, legend_title: str = "",
                 value_format: str = "{:,.0f}", width: int = 760, lang: str = "en") -> str:
    """A choropleth of Turkey's provinces: ``values`` indexed by province name.

    Up to five classes, cut at quantiles (one class per value when there are five values or
    fewer); each class is labelled with the lowest and highest value it holds, and only
    classes that hold a province are shown. Provinces without a value are grey. Hovering a
    province shows its name and value.

    >>> svg = province_map(pd.Series({'Samsun': 120.0, 'Çorum': 40.0}), 'Firmalar', lang='tr')
    >>> svg.count('<path') >= 81, 'Çorum' in svg
    (True, True)
    """
    from kumenet.graph.geography import normalize_province

    values = pd.Series(values, dtype=float)
    values.index = normalize_province(pd.Series(values.index.astype(str))).to_numpy()
    values = values[values.index.notna()]
    valid = values.dropna()
    colour_of, legend = _classes(valid.to_numpy())
    outlines = province_outlines()
    xs, ys = [], []
    for polys in outlines.values():
        for ring in polys:
            x, y = project(np.asarray(ring)[:, 0], np.asarray(ring)[:, 1])
            xs.append(x)
            ys.append(y)
    x0, x1 = min(a.min() for a in xs), max(a.max() for a in xs)
    y0, y1 = min(a.min() for a in ys), max(a.max() for a in ys)
    scale = (width - 20) / (x1 - x0)
    height_map = (y1 - y0) * scale
    height = int(height_map + 110)
    body = [f'<text x="10" y="18" font-weight="bold">{escape(title)}</text>']
    for name, polys in outlines.items():
        value = values.get(name, np.nan)
        fill = NO_DATA if np.isnan(value) else colour_of(value)
        paths = []
        for ring in polys:
            x, y = project(np.asarray(ring)[:, 0], np.asarray(ring)[:, 1])
            px, py = 10 + (x - x0) * scale, 30 + (y - y0) * scale
            paths.append("M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py)) + "Z")
        shown = "-" if np.isnan(value) else fmt(value_format, lang, value)
        body.append(f'<path d="{"".join(paths)}" fill="{fill}" stroke="#ffffff" '
                    f'stroke-width="0.6"><title>{escape(f"{name}: {shown}")}</title></path>')
    y = 30 + height_map + 18
    body.append(f'<text x="10" y="{y:.0f}">{escape(legend_title)}</text>')
    for i, (colour, low, high) in enumerate(legend):
        x = 10 + i * 120
        shown = fmt(value_format, lang, low)
        if fmt(value_format, lang, high) != shown:
            shown += " - " + fmt(value_format, lang, high)
        body.append(f'<rect x="{x}" y="{y + 8:.0f}" width="14" height="14" fill="{colour}"/>'
                    f'<text x="{x + 18}" y="{y + 20:.0f}">{escape(shown)}</text>')
    body.append(f'<rect x="{10 + 5 * 120}" y="{y + 8:.0f}" width="14" height="14" fill="{NO_DATA}"/>'
                f'<text x="{10 + 5 * 120 + 18}" y="{y + 20:.0f}">-</text>')
    body.append(f'<text x="{width - 6}" y="{height - 6}" text-anchor="end" font-size="10" '
                f'fill="#555">{escape(text("map.credit", lang))}</text>')
    return _svg(width, height, body, title)


def line_chart(years, values, title: str, lang: str = "en", shown=None, width: int = 260,
               height: int = 90, color: str = "#4e79a7") -> str:
    """A small line over the years (missing years leave a gap), first and last value
    written at the ends; ``shown`` gives the values' text (default: the numbers).

    >>> svg = line_chart([2020, 2021, 2022], [0.08, float('nan'), 0.11], 'Yoğunluk', 'tr')
    >>> svg.count('<circle'), '2022' in svg, 'Yoğunluk' in svg
    (2, True, True)
    """
    years = [int(y) for y in years]
    values = np.asarray(values, dtype=float)
    shown = list(shown) if shown is not None else [fmt("{:,.0f}", lang, v) if v == v else "-"
                                                   for v in values]
    left, right, top, bottom = 8, width - 8, 22, height - 18
    have = ~np.isnan(values)
    low = float(np.nanmin(values)) if have.any() else 0.0
    high = float(np.nanmax(values)) if have.any() else 1.0
    low, high = min(low, 0.0), high if high > min(low, 0.0) else min(low, 0.0) + 1.0
    step = (right - left) / max(len(years) - 1, 1)
    xs = left + step * np.arange(len(years))
    ys = bottom - (bottom - top) * (np.nan_to_num(values, nan=low) - low) / (high - low)
    body = [f'<text x="{left}" y="14" font-weight="bold">{escape(title)}</text>',
            f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#bbb"/>']
    runs, run = [], []
    for x, y, ok in zip(xs, ys, have):  # one polyline per run of years with values
        if ok:
            run.append(f"{x:.1f},{y:.1f}")
        elif run:
            runs.append(run)
            run = []
    runs.append(run)
    body += [f'<polyline points="{" ".join(r)}" fill="none" stroke="{color}" '
             f'stroke-width="2"/>' for r in runs if len(r) > 1]
    body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}">'
             f'<title>{y_}: {escape(s)}</title></circle>'
             for x, y, ok, y_, s in zip(xs, ys, have, years, shown) if ok]
    if years:
        body.append(f'<text x="{left}" y="{height - 4}" fill="#555">{years[0]}</text>'
                    f'<text x="{right}" y="{height - 4}" text-anchor="end" fill="#555">'
                    f'{years[-1]}</text>')
    return _svg(width, height, body, title)
