"""Province maps of Turkey (choropleths) of any province-level figure, as SVG or HTML."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup

from kumenet.errors import KumenetError
from kumenet.graph.network import Network
from kumenet.messages import MESSAGES, text
from kumenet.text import suggestion

__all__ = ["province_values", "write_province_map"]


COUNTED = ("firms", "institutions", "nodes")

def province_values(net: Network, figure: str, groups=None) -> pd.Series:
    """A value per Turkish province: a count (firms, institutions, nodes), the sum of a numeric
    node column, or a column of the province group metrics (``groups()`` gives them:
    :func:`kumenet.app.maps.province_figure` passes them in).

    >>> from kumenet.graph.io import read_network
    >>> net = read_network('sample_networks/pilot')
    >>> firms, employees = province_values(net, 'firms'), province_values(net, 'employees')
    >>> int(firms['Gaziantep']), int(employees['Çorum'])
    (158, 4591)
    """
    nodes = net.nodes[(net.nodes["country"] == "TR").to_numpy() & net.nodes["province"].notna().to_numpy()]
    if figure in COUNTED:
        kind = {"firms": "firm", "institutions": "institution"}.get(figure)
        rows = nodes if kind is None else nodes[nodes["kind"] == kind]
        return rows["province"].value_counts()
    if figure in nodes.columns and pd.api.types.is_numeric_dtype(nodes[figure]):
        return nodes.groupby("province")[figure].sum(min_count=1)
    groups = groups() if groups is not None else pd.DataFrame({"group": []})
    if figure in groups.columns and figure != "group":
        groups = groups[groups["group"].isin(set(nodes["province"]))]
        return groups.set_index("group")[figure].astype(float)
    options = list(COUNTED) + [c for c in nodes.columns if pd.api.types.is_numeric_dtype(nodes[c])] \
        + [c for c in groups.columns if c != "group"]
    options = list(dict.fromkeys(options))
    raise KumenetError(f"no province figure {figure!r}{suggestion(figure, options)}; use "
                       f"{', '.join(options)}")


def write_province_map(values: pd.Series, figure: str, path, lang: str = "tr",
                       title: str | None = None) -> Path:
    """Write a choropleth of ``values`` (one per province, :func:`province_values`), named by
    ``figure``, as ``.svg`` or as a self-contained ``.html`` page.

    >>> from pathlib import Path
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / 'firms.svg'
    >>> write_province_map(pd.Series({'Samsun': 120, 'Çorum': 40}), 'firms', path).read_text()[:38]
    '<?xml version="1.0" encoding="UTF-8"?>'
    """
    from kumenet.files import atomic_path
    from kumenet.viz.charts import province_map
    from kumenet.viz.html import asset, render_page

    path = Path(path)
    if path.suffix.lower() not in (".svg", ".html", ".htm"):
        raise KumenetError(f"{path}: write a province map as .svg or .html")
    title = title or (text(f"chart.{figure}", lang) if f"chart.{figure}" in MESSAGES else figure)
    pattern = "{:.2f}" if values.dtype.kind == "f" and values.abs().max() <= 1 else "{:,.0f}"
    legend = text(f"col.{figure}", lang) if f"col.{figure}" in MESSAGES else figure
    svg = province_map(values, title, legend, pattern, lang=lang)
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".svg":
            tmp.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + svg, encoding="utf-8")
        else:
            tmp.write_text(render_page("chart.html", [], lang=lang, title=title,
                                       css=Markup(asset("kumenet.css")), chart=Markup(svg)),
                           encoding="utf-8")
    return path
