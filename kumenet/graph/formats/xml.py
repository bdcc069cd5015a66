"""GraphML and GEXF: written as text blocks (no Python loop over nodes or ties), read with
expat into raw tables.

Part of :mod:`kumenet.graph.io`, which chooses the format."""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import InputDataError, Problem
from kumenet.files import atomic_path
from kumenet.graph.network import Network
from kumenet.graph.textfile import check_regular_file
from kumenet.graph.validate import RawTable


__all__ = ["write_graphml", "write_gexf", "read_xml"]


def _xml_escape(values: pd.Series) -> pd.Series:
    s = values.astype(object).astype(str)
    s = s.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
    s = s.str.replace(">", "&gt;", regex=False).str.replace('"', "&quot;", regex=False)
    # XML 1.0 forbids most control characters; tabs and newlines are kept as references.
    s = s.str.replace("\t", "&#9;", regex=False).str.replace("\n", "&#10;", regex=False)
    s = s.str.replace("\r", "&#13;", regex=False)
    return s.str.replace("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", regex=True)


def _xml_type(s: pd.Series) -> str:
    if s.dtype.kind == "b":
        return "boolean"
    if str(s.dtype) in ("Int64", "Int32") or s.dtype.kind in "iu":
        return "long"
    if s.dtype.kind == "f":
        return "double"
    return "string"


def _value_text(s: pd.Series) -> pd.Series:
    """Cell text for XML: integers without '.0', floats round-trippable, missing as NA."""
    if str(s.dtype) in ("Int64", "Int32") or s.dtype.kind in "iu":
        return s.astype("Int64").astype("string")
    if s.dtype.kind == "f":
        return s.map(lambda x: repr(float(x)), na_action="ignore").astype("string")
    if s.dtype.kind == "b":
        return s.map(lambda x: "true" if x else "false").astype("string")
    return s.astype(object).astype("string")


def _data_elements(frame: pd.DataFrame, keys: dict[str, str], tag: Callable[[str, pd.Series], pd.Series]) -> pd.Series:
    """Concatenated XML data elements per row (vectorised over rows)."""
    out = pd.Series("", index=frame.index, dtype=object)
    for col, key in keys.items():
        text = _value_text(frame[col])
        present = text.notna().to_numpy()
        piece = tag(key, _xml_escape(text.fillna("")))
        out = out + piece.where(present, "")
    return out


def _write_lines(path: Path, head: list[str], blocks: list[pd.Series], tail: list[str]) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(head) + "\n")
        for block in blocks:
            for start in range(0, len(block), 200_000):
                fh.write("\n".join(block.iloc[start:start + 200_000].tolist()))
                fh.write("\n")
        fh.write("\n".join(tail) + "\n")


def write_graphml(net: Network, path: Path) -> None:
    """Write ``net`` as GraphML: node attributes as keys, one edge per tie and year with its
    layer.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> path = Path(tempfile.mkdtemp()) / 'pilot.graphml'
    >>> write_graphml(read_network('sample_networks/pilot'), path)
    >>> import networkx as nx
    >>> g = nx.read_graphml(path)
    >>> g.number_of_nodes(), g.nodes['F000001']['province']
    (757, 'Samsun')
    """
    nodes, edges = net.nodes, net.edges
    node_cols = [c for c in nodes.columns if c != "id"]
    edge_cols = [c for c in edges.columns if c not in ("source", "target")]
    nkeys = {c: f"n{i}" for i, c in enumerate(node_cols)}
    ekeys = {c: f"e{i}" for i, c in enumerate(edge_cols)}
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
            'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
            '<key id="g0" for="graph" attr.name="directed_layers" attr.type="string"/>']
    for cols, keys, frame, what in ((node_cols, nkeys, nodes, "node"), (edge_cols, ekeys, edges, "edge")):
        for c in cols:
            name = _xml_escape(pd.Series([c])).iloc[0]
            head.append(f'<key id="{keys[c]}" for="{what}" attr.name="{name}" '
                        f'attr.type="{_xml_type(frame[c])}"/>')
    directed = ",".join(sorted(net.directed_layers))
    # networkx and igraph refuse GraphML that mixes directed and undirected edges, so the
    # whole graph takes one default and kumenet keeps the per-layer truth in directed_layers.
    default = "directed" if net.directed_layers & set(net.layers) else "undirected"
    head += [f'<graph id="G" edgedefault="{default}">',
             f'<data key="g0">{_xml_escape(pd.Series([directed])).iloc[0]}</data>']

    def tag(key, text):
        return f'<data key="{key}">' + text + "</data>"

    node_lines = ('<node id="' + _xml_escape(nodes["id"]) + '">'
                  + _data_elements(nodes, nkeys, tag) + "</node>")
    edge_lines = ('<edge source="' + _xml_escape(edges["source"]) + '" target="'
                  + _xml_escape(edges["target"]) + '">'
                  + _data_elements(edges, ekeys, tag) + "</edge>")
    _write_lines(path, head, [node_lines, edge_lines], ["</graph>", "</graphml>"])


def write_gexf(net: Network, path: Path, viz: pd.Series | None = None) -> None:
    """GEXF 1.3 for Gephi, each edge with its own direction (Gephi's mixed graphs).

    ``viz``: per node, ``viz:`` elements (colour, position, size) written after its values.

    >>> import tempfile, xml.etree.ElementTree as ET
    >>> from kumenet.graph.io import read_network
    >>> path = Path(tempfile.mkdtemp()) / 'pilot.gexf'
    >>> write_gexf(read_network('sample_networks/pilot'), path)
    >>> root = ET.parse(path).getroot()
    >>> graph = root.find('{*}graph')
    >>> sum(e.tag.endswith('}node') for e in root.iter()), graph.get('defaultedgetype')
    (757, 'undirected')
    """
    nodes, edges = net.nodes, net.edges
    node_cols = [c for c in nodes.columns if c not in ("id", "name")]
    edge_cols = [c for c in edges.columns if c not in ("source", "target", "weight")]
    nkeys = {c: str(i) for i, c in enumerate(node_cols)}
    ekeys = {c: str(i) for i, c in enumerate(edge_cols)}
    head = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" '
            'version="1.3">',
            '<meta><creator>kumenet</creator></meta>',
            '<graph mode="static" defaultedgetype="undirected">']
    for cols, keys, frame, what in ((node_cols, nkeys, nodes, "node"), (edge_cols, ekeys, edges, "edge")):
        head.append(f'<attributes class="{what}">')
        for c in cols:
            name = _xml_escape(pd.Series([c])).iloc[0]
            head.append(f'<attribute id="{keys[c]}" title="{name}" type="{_xml_type(frame[c])}"/>')
        head.append("</attributes>")
    head.append("<nodes>")

    def tag(key, text):
        return f'<attvalue for="{key}" value="' + text + '"/>'

    node_lines = ('<node id="' + _xml_escape(nodes["id"]) + '" label="'
                  + _xml_escape(nodes["name"]) + '"><attvalues>'
                  + _data_elements(nodes, nkeys, tag) + "</attvalues>"
                  + ("" if viz is None else viz.to_numpy(dtype=object)) + "</node>")
    is_dir = edges["layer"].astype(object).isin(list(net.directed_layers))
    edge_lines = ('<edge id="' + pd.Series(np.arange(len(edges)), index=edges.index).astype(str)
                  + '" source="' + _xml_escape(edges["source"]) + '" target="'
                  + _xml_escape(edges["target"]) + '" type="'
                  + is_dir.map({True: "directed", False: "undirected"}).astype(object)
                  + '" weight="' + _value_text(edges["weight"]).astype(object) + '"><attvalues>'
                  + _data_elements(edges, ekeys, tag) + "</attvalues></edge>")
    _write_lines(path, head, [node_lines, pd.Series(["</nodes>", "<edges>"]), edge_lines],
                 ["</edges>", "</graph>", "</gexf>"])


class _Refused(Exception):
    """An XML construct kumenet does not read (raised inside expat's handlers)."""

    def __init__(self, what: str, line: int, column: int):
        super().__init__(what)
        self.what, self.line, self.column = what, line, column


class _XmlCollector:
    """Collects node and edge records (attribute dicts and line numbers) with expat."""

    def __init__(self, path: Path):
        self.path = path
        self.keys: dict[tuple[str, str], str] = {}  # (class, key id) -> attribute name
        self._what = ""
        self.nodes: list[dict] = []
        self.edges: list[dict] = []
        self.node_lines: list[int] = []
        self.edge_lines: list[int] = []
        self.graph: dict[str, str] = {}
        self.default_directed = False
        self._current: dict | None = None
        self._data_key: str | None = None
        self._text: list[str] = []
        self._class = None
        self.problems: list[Problem] = []

    def parse(self) -> None:
        """Parse the file with expat; entity declarations and external references are refused.

        What defusedxml refuses is refused here too: an entity declared in the document
        (billion laughs, quadratic blow-up) or an external entity or DTD (a file or URL read
        into a value). Expat would otherwise expand the first and silently drop the second.
        """
        label = str(self.path)
        check_regular_file(self.path, label)
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        self.parser = parser
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = lambda data: self._text.append(data)
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def refuse(what):
            def handler(*args):
                raise _Refused(what, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            return handler

        parser.EntityDeclHandler = refuse("declares an entity (<!ENTITY ...>)")
        parser.UnparsedEntityDeclHandler = refuse("declares an entity (<!ENTITY ...>)")
        parser.ExternalEntityRefHandler = refuse("refers to an external entity")
        try:
            with open(self.path, "rb") as fh:
                parser.ParseFile(fh)
        except _Refused as err:
            raise InputDataError([Problem(label, err.line, err.column, None,
                                          f"{err.what}; kumenet refuses entities in GraphML "
                                          "and GEXF, which can read other files or blow up in "
                                          "memory")]) from None
        except xml.parsers.expat.ExpatError as err:
            raise InputDataError([Problem(label, err.lineno, err.offset + 1, None,
                                          f"is not well-formed XML: "
                                          f"{xml.parsers.expat.ErrorString(err.code)}")]) from err
        except (LookupError, ValueError) as err:  # <?xml encoding="..."?> Python does not know
            raise InputDataError([Problem(label, 1, None, None,
                                          f"declares an encoding kumenet cannot read ({err}); "
                                          "save it as UTF-8")]) from err
        except OSError as err:
            raise InputDataError([Problem(label, None, None, None,
                                          f"cannot be read: {err}")]) from err
        if self.problems:
            raise InputDataError(self.problems)

    def start(self, name: str, attrs: dict) -> None:
        tag = name.rsplit(" ", 1)[-1]
        line = self.parser.CurrentLineNumber
        if tag in ("key", "attribute"):
            ident = attrs.get("id", "")
            what = attrs.get("for", self._class or "")
            name = attrs.get("attr.name" if tag == "key" else "title", ident)
            self.keys[(what, ident)] = name
            if tag == "key":  # GraphML key ids are unique across classes
                self.keys[("", ident)] = name
        elif tag == "attributes":
            self._class = attrs.get("class")
        elif tag == "graph":
            default = attrs.get("edgedefault", attrs.get("defaultedgetype", "undirected"))
            self.default_directed = default == "directed"
            self._current = self.graph
        elif tag == "node":
            self._what = "node"
            self._current = {"id": attrs.get("id")}
            if "label" in attrs:
                self._current["name"] = attrs["label"]
            self.nodes.append(self._current)
            self.node_lines.append(line)
        elif tag == "edge":
            rec = {"source": attrs.get("source"), "target": attrs.get("target")}
            if "weight" in attrs:
                rec["weight"] = attrs["weight"]
            kind = attrs.get("directed", attrs.get("type"))
            rec["__directed"] = (kind in ("true", "directed")) if kind is not None \
                else self.default_directed
            self._what = "edge"
            self._current = rec
            self.edges.append(rec)
            self.edge_lines.append(line)
        elif tag == "attvalue" and self._current is not None:
            key = attrs.get("for", attrs.get("id"))
            name = self.keys.get((self._what, key), key)
            if "value" not in attrs or key is None:
                self.problems.append(Problem(str(self.path), line, None, name,
                                             "<attvalue> needs 'for' and 'value' attributes"))
            else:
                self._current[name] = attrs["value"]
        elif tag == "data":
            self._data_key = attrs.get("key")
            self._text = []

    def end(self, name: str) -> None:
        tag = name.rsplit(" ", 1)[-1]
        if tag == "data" and self._current is not None and self._data_key is not None:
            key = self._data_key
            self._current[self.keys.get(("", key), key)] = "".join(self._text)
            self._data_key = None

    def tables(self, decimal):
        label = str(self.path)
        nodes = pd.DataFrame(self.nodes, dtype=object)
        edges = pd.DataFrame(self.edges, dtype=object)
        if not len(nodes):
            raise InputDataError([Problem(label, None, None, None, "has no nodes")])
        directed_edges = edges.pop("__directed") if "__directed" in edges else pd.Series(dtype=bool)
        raw_nodes = RawTable(nodes, label, np.asarray(self.node_lines),
                             {c: None for c in nodes.columns}, decimal)
        raw_edges = RawTable(edges, label, np.asarray(self.edge_lines),
                             {c: None for c in edges.columns}, decimal)
        declared = None
        if "directed_layers" in self.graph:
            declared = {s for s in self.graph["directed_layers"].split(",") if s}
        elif "layer" in edges and len(edges):
            # A layer is directed when its ties are (GEXF and Gephi's GraphML say per edge).
            by_layer = directed_edges.astype(bool).groupby(edges["layer"].astype(str)).all()
            declared = set(by_layer[by_layer].index)
        return raw_nodes, raw_edges, declared


def read_xml(path: Path, sep, decimal, encoding):
    """GraphML and GEXF alike: both name attributes in keys and nodes and edges in elements.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> path = Path(tempfile.mkdtemp()) / 'pilot.gexf'
    >>> write_gexf(read_network('sample_networks/pilot'), path)
    >>> nodes, edges, directed = read_xml(path, None, None, None)
    >>> len(nodes.frame), len(edges.frame)
    (757, 6920)
    """
    collector = _XmlCollector(path)
    collector.parse()
    return collector.tables(decimal)
