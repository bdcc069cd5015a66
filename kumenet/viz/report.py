"""The report's drawing: tables and sections it is handed, rendered as one self-contained HTML
page (the content is composed in :mod:`kumenet.app.report`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from markupsafe import Markup

from kumenet.messages import MESSAGES, fmt, text


__all__ = ["Table", "Section", "frame_table", "stars", "render_report"]


@dataclass
class Table:
    headers: list
    rows: list  # of lists of (text, numeric?)
    caption: str = ""


@dataclass
class Section:
    title: str
    intro: str = ""
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    has_map: bool = False


def frame_table(frame: pd.DataFrame, lang: str, formats: dict | None = None) -> Table:
    """Text cells (escaped later by the template), numbers written for the language; headers
    from the catalogue (``col.NAME``).

    >>> frame = pd.DataFrame({'province': ['Samsun'], 'firms': [1200], 'density': [0.125]})
    >>> t = frame_table(frame, 'tr')
    >>> t.headers, t.rows
    (['il', 'firma', 'yoğunluk'], [[('Samsun', False), ('1200', True), ('0,125', True)]])
    """
    formats = formats or {}
    columns = list(frame.columns)
    cells = {}
    for col in columns:
        values = frame[col]
        pattern = formats.get(col)
        if values.dtype.kind == "f":
            pattern = pattern or "{:,.3f}"
            cells[col] = [("-" if pd.isna(x) else fmt(pattern, lang, x), True) for x in values]
        elif values.dtype.kind in "iu":  # years stay 2024; large counts get separators
            cells[col] = [("-" if pd.isna(x) else fmt(pattern or "{}", lang, int(x)), True)
                          for x in values]
        else:  # text, and the mixed columns of kumenet info (numbers and blanks)
            cells[col] = [("", False) if pd.isna(x) else
                          (fmt("{}", lang, x), True) if isinstance(x, (int, np.integer)) else
                          (str(x), False) for x in values.astype(object)]
    rows = [[cells[c][i] for c in columns] for i in range(len(frame))]
    return Table([text(f"col.{c}", lang) if f"col.{c}" in MESSAGES else c for c in columns],
                 rows)


def stars(strength: np.ndarray) -> list[str]:
    """1-5 as ★★★☆☆.

    >>> stars(np.array([5, 2]))
    ['★★★★★', '★★☆☆☆']
    """
    return ["★" * int(s) + "☆" * (5 - int(s)) for s in strength]


def render_report(title: str, sections: list, data, lang: str) -> str:
    """The report page: ``sections`` in order, ``data`` (a :class:`MapData`) as its map.

    >>> from kumenet.graph.io import read_network
    >>> from kumenet.viz.map import build_map
    >>> net = read_network('sample_networks/pilot')
    >>> data = build_map(net, communities=net.nodes['cluster'].astype(object))
    >>> page = render_report('Pilot', [Section('Özet', intro='Bir deneme.')], data, 'tr')
    >>> '<h2>Özet</h2>' in page, 'km-map' in page
    (True, True)
    """
    from kumenet.viz.html import asset, render_page, script_json, vis_network_js
    from kumenet.viz.map import script_words

    return render_page("report.html", [vis_network_js(), asset("map.js")], lang=lang,
                       title=title, css=Markup(asset("kumenet.css")), sections=sections,
                       map_id="km-map", text=script_words(lang), note="", credit=data.credit,
                       height="720px", data=Markup(script_json(data.payload())))
