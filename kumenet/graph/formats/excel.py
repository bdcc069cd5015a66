"""Excel workbooks: the nodes and edges sheets (or one sheet per kind), found by the names
people give them, read as raw tables.

Part of :mod:`kumenet.graph.io`, which chooses the format."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import InputDataError, KumenetError, Problem, clip
from kumenet.files import atomic_path
from kumenet.graph.formats.layers import declared_layers, layer_table
from kumenet.graph.network import Network
from kumenet.graph.textfile import MAX_COLUMNS, check_regular_file, inflate_limit
from kumenet.graph.validate import RawTable
from kumenet.text import suggestion

__all__ = ["read_sheets", "sheet_key", "read_xlsx", "write_xlsx"]


EXCEL_MAX_ROWS = 1_048_575


class _Unsaved:
    """A formula cell whose value was never saved (written by a program, not by Excel)."""

    def __init__(self, formula: str):
        self.formula = formula

    def __str__(self) -> str:
        return self.formula


def read_sheets(path: Path, wanted: Iterable[str] | None = None) -> dict[str, RawTable]:
    """The sheets of a workbook as raw tables, read as a stream of the cells that exist.

    Rows keep their Excel row numbers and columns their letters. Only rows and columns that
    hold values cost memory, so a stray cell at XFD1048576 costs nothing; the header is the
    first row with a value; a value in a column without a header is a problem, and so is a
    formula whose value was never saved (it would read as empty). ``wanted``: the titles of
    the sheets to read, exactly as the workbook has them (:func:`_sheet_roles` matches what
    people type to them); the others are only listed.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / 'kume.xlsx'
    >>> with pd.ExcelWriter(path) as book:
    ...     pd.DataFrame({'id': ['a']}).to_excel(book, sheet_name=' Firmalar ', index=False)
    >>> sheets = read_sheets(path)
    >>> list(sheets), sheets[' Firmalar '].frame['id'].tolist()
    ([' Firmalar '], ['a'])
    """
    import zipfile

    label = str(path)
    size = check_regular_file(path, label)
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable .xlsx workbook ({_reason(err)})")]) from err
    if inflated > inflate_limit(size):
        raise InputDataError([Problem(label, None, None, None,
                                      f"decompresses to {inflated / 2**20:,.0f} MiB; kumenet "
                                      "refuses it as a damaged file or a decompression bomb")])
    import openpyxl
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Cells(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = _Unsaved("=" + (element.findtext(FORMULA_TAG) or ""))
            return cell

    wanted = None if wanted is None else set(wanted)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a file that is not a workbook
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable .xlsx workbook ({_reason(err)})")]) from err
    tables: dict[str, RawTable] = {}
    try:
        for ws in book.worksheets:
            title = str(ws.title)
            if wanted is not None and title not in wanted:
                tables[title] = None
                continue
            with book._archive.open(ws._worksheet_path) as src:
                parser = Cells(src, ws._shared_strings, data_only=True, epoch=book.epoch,
                               date_formats=book._date_formats,
                               timedelta_formats=book._timedelta_formats)
                tables[title] = _sheet_table(parser.parse(), f"{label}, sheet {title}")
    except InputDataError:
        raise
    except Exception as err:  # damaged sheet XML: openpyxl and the XML parser raise many types
        raise InputDataError([Problem(label, None, None, None,
                                      f"is not a readable .xlsx workbook ({_reason(err)})")]) from err
    finally:
        book.close()
    return tables


def _reason(err: Exception) -> str:
    """A reader's exception as one short line (a damaged zip's message quotes raw bytes)."""
    return clip(" ".join(str(err).split()), 200, quote=False)


def _sheet_table(rows, label: str) -> RawTable:
    from openpyxl.utils import get_column_letter

    header: dict[int, str] | None = None
    columns: dict[int, list] = {}
    lines: list[int] = []
    problems: list[Problem] = []
    def filled(rows):
        for number, cells in rows:
            present = [(c["column"], c["value"]) for c in cells
                       if c["value"] is not None and not (isinstance(c["value"], str)
                                                          and not c["value"].strip())]
            if present:
                yield number, present

    # Rows of one value above a row of several are a title (every table of the contract has
    # two columns at least); a sheet of one-value rows only is a one-column table.
    rows = filled(rows)
    pending = []
    for number, present in rows:
        if len(present) > 1:
            if pending:
                titles = [clip(str(p[0][1]).strip(), 40) for _, p in pending]
                warnings.warn(f"{label}: header on row {number}; the row"
                              f"{'s' * (len(titles) > 1)} above it ({', '.join(titles[:3])}) "
                              "skipped as a title", stacklevel=2)
                pending = []
            pending.append((number, present))
            break
        pending.append((number, present))
    for number, present in itertools.chain(pending, rows):
        if header is None:
            if len(present) > MAX_COLUMNS:
                raise InputDataError([Problem(label, number, None, None,
                                              f"has {len(present):,} columns; kumenet reads at "
                                              f"most {MAX_COLUMNS:,}")])
            header = {col: str(value).strip() for col, value in present}
            columns = {col: [] for col in header}
            continue
        row = dict(present)
        stray = [col for col in row if col not in header]
        for col in stray[:1]:
            problems.append(Problem(label, number, get_column_letter(col), None,
                                    "this column has a value but no header; name it or "
                                    "delete it"))
        for col, value in row.items():
            if isinstance(value, _Unsaved):
                problems.append(Problem(label, number, get_column_letter(col),
                                        header.get(col),
                                        f"the formula {clip(value.formula)} has no saved value; "
                                        "open the file in Excel and save it, or paste values"))
        for col, values in columns.items():  # an unsaved formula reads as empty
            value = row.get(col)
            values.append(None if isinstance(value, _Unsaved) else value)
        lines.append(number)
    if header is None:
        return RawTable(pd.DataFrame(), label, np.zeros(0, dtype=np.int64), {},
                        problems=problems[:21])
    frame = pd.DataFrame({i: pd.Series(v, dtype=object) for i, v in enumerate(columns.values())})
    frame.columns = list(header.values())
    letters = {name: get_column_letter(col) for col, name in header.items()}
    # The sheet's own problems travel with it: the checks of its values report theirs too,
    # in the same message.
    return RawTable(frame, label, np.asarray(lines, dtype=np.int64), letters,
                    problems=problems[:21])


#: The names a workbook's sheets of nodes, ties and layers go by, compared Turkish-aware and
#: without case or dots (``Düğümler``, ``FİRMALAR``, ``İlişkiler``).
SHEET_NAMES = {"nodes": ("nodes", "düğümler", "aktörler", "kuruluşlar", "üyeler", "actors"),
               "edges": ("edges", "ilişkiler", "bağlar", "kenarlar", "ilişki", "bağlantılar",
                         "ties"),
               "layers": ("layers", "katmanlar")}
#: Sheets that hold one kind of node: firms and institutions kept apart (``Firmalar`` and
#: ``Kurumlar``) are read together, each row's kind given by its sheet when it has none.
KIND_SHEETS = {"firm": ("firmalar", "firms", "şirketler", "işletmeler"),
               "institution": ("kurumlar", "institutions", "kurum")}


def sheet_key(name) -> str:
    """A sheet's name as people type it: case, surrounding spaces and Turkish letters folded.

    >>> sheet_key(' İLİŞKİLER '), sheet_key('ilişkiler'), sheet_key('Nodes')
    ('iliskiler', 'iliskiler', 'nodes')
    """
    from kumenet.text import fold

    return fold(str(name)).replace(".", "").strip()


def _sheet_roles(titles, chosen: dict) -> tuple[dict, list[str]]:
    """Which sheet holds nodes, edges and layers: the one ``chosen`` names (nodes: one or
    several, comma-separated), else the one whose name is one of :data:`SHEET_NAMES` (for
    nodes, also a sheet of firms and one of institutions, :data:`KIND_SHEETS`); and the
    problems (none, or two candidates)."""
    folded = {t: sheet_key(t) for t in titles}
    roles, problems = {}, []

    def named(name):  # as typed: any case, spaces around; the exact title wins a tie
        want = sheet_key(name)
        match = [t for t in titles if t == name] or [t for t in titles if folded[t] == want]
        if len(match) != 1:
            said = f"no sheet named {name!r}{suggestion(name, list(titles))}" if not match \
                else f"sheets {' and '.join(map(repr, match))} both match {name!r}"
            problems.append(f"{said}; the sheets are {', '.join(map(repr, titles))}")
        return match[0] if len(match) == 1 else None

    for role, names in SHEET_NAMES.items():
        if chosen.get(role) is not None:
            if role == "nodes" and "," in chosen[role]:
                roles[role] = [named(n.strip()) for n in chosen[role].split(",") if n.strip()]
            else:
                roles[role] = named(chosen[role])
            continue
        known = {sheet_key(n) for n in names}
        match = [t for t in titles if folded[t] in known]
        if role == "nodes":
            by_kind = {kind: [t for t in titles if folded[t] in {sheet_key(n) for n in ns}]
                       for kind, ns in KIND_SHEETS.items()}
            split = [t for ts in by_kind.values() for t in ts]
            if not match and split and all(len(ts) <= 1 for ts in by_kind.values()):
                roles[role] = split if len(split) > 1 else split[0]
                continue
            match += split
        if len(match) > 1:
            flag = f"--{role}-sheet" if role != "layers" else "a single layers sheet"
            problems.append(f"sheets {' and '.join(map(repr, match))} could both hold the "
                            f"{role}; choose with {flag}" + (" (several, comma-separated, are "
                                                            "read together)" if role == "nodes"
                                                            else "") +
                            f"; the sheets are {', '.join(map(repr, titles))}")
        elif not match and role != "layers":
            problems.append(f"no sheet of {role} (named {', '.join(names[:4])}, ...; or "
                            f"choose one with --{role}-sheet){suggestion(role, list(titles))}; "
                            f"the sheets are {', '.join(map(repr, titles))}")
        roles[role] = match[0] if len(match) == 1 else None
    return roles, problems


def read_xlsx(path: Path, sep, decimal, encoding, sheets=None):
    """The raw node and edge tables of a workbook (sheets found by name, or one sheet per
    kind) and its declared directed layers.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> path = Path(tempfile.mkdtemp()) / 'pilot.xlsx'
    >>> write_xlsx(read_network('sample_networks/pilot'), path)
    >>> nodes, edges, directed = read_xlsx(path, None, None, None)
    >>> len(nodes.frame), len(edges.frame), sorted(directed)
    (757, 6920, ['membership', 'supply'])
    """
    titles = list(read_sheets(path, wanted=()))  # checked and listed, none read yet
    roles, problems = _sheet_roles(titles, sheets or {})
    if problems:
        raise InputDataError([Problem(str(path), None, None, None, p) for p in problems])
    node_sheets = roles["nodes"] if isinstance(roles["nodes"], list) else [roles["nodes"]]
    wanted = [t for t in [*node_sheets, roles["edges"], roles.get("layers")] if t is not None]
    tables = read_sheets(path, wanted=wanted)
    if len(node_sheets) > 1:
        from kumenet.graph.validate import NODE_ALIASES
        from kumenet.text import fold

        nodes = RawTable.gathered([_kind_from_sheet(tables[t], t) for t in node_sheets],
                                  f"{path}, sheets {' + '.join(node_sheets)}",
                                  key=lambda h: NODE_ALIASES.get(fold(str(h)), str(h).strip()))
    else:
        nodes = tables[node_sheets[0]]
    edges = tables[roles["edges"]]
    nodes.decimal = edges.decimal = decimal
    declared = None
    if roles.get("layers") is not None and tables.get(roles["layers"]) is not None:
        declared = declared_layers(tables[roles["layers"]])
    return nodes, edges, declared


def _kind_from_sheet(raw: RawTable, title: str) -> RawTable:
    """A sheet of firms or institutions (by its name) whose rows lack a kind get it from the
    sheet, with a note saying so."""
    from kumenet.graph.validate import NODE_ALIASES
    from kumenet.text import fold

    kind = next((k for k, names in KIND_SHEETS.items()
                 if sheet_key(title) in {sheet_key(n) for n in names}), None)
    if kind is None or raw.frame.empty:
        return raw
    frame = raw.frame.copy()
    column = next((c for c in frame.columns if NODE_ALIASES.get(fold(str(c))) == "kind"), None)
    if column is None:
        frame["kind"] = kind
        warnings.warn(f"{raw.file}: no kind column; its rows are read as {kind} (the sheet's "
                      "name)", stacklevel=3)
    else:
        blank = frame[column].isna() | (frame[column].astype(str).str.strip() == "")
        if blank.any():
            frame[column] = frame[column].mask(blank, kind)
            warnings.warn(f"{raw.file}: {int(blank.sum()):,} rows without a kind read as "
                          f"{kind} (the sheet's name)", stacklevel=3)
    return RawTable(frame, raw.file, raw.lines, raw.columns, raw.decimal)


def write_xlsx(net: Network, path: Path) -> None:
    """Write ``net`` as a workbook: sheets ``nodes``, ``edges`` and ``layers``.

    >>> import tempfile
    >>> from kumenet.graph.io import read_network
    >>> path = Path(tempfile.mkdtemp()) / 'pilot.xlsx'
    >>> write_xlsx(read_network('sample_networks/pilot'), path)
    >>> list(pd.read_excel(path, sheet_name=None))
    ['nodes', 'edges', 'layers']
    """
    from kumenet.output import style_sheet

    if net.n_edges > EXCEL_MAX_ROWS or net.n_nodes > EXCEL_MAX_ROWS:
        raise KumenetError(f"{net.n_edges:,} edges do not fit in one Excel sheet "
                           f"(at most {EXCEL_MAX_ROWS:,} rows); write csv or parquet instead")
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in (("nodes", net.nodes), ("edges", net.edges),
                                ("layers", layer_table(net))):
                frame = frame.copy()
                for col in frame.columns:
                    if isinstance(frame[col].dtype, pd.CategoricalDtype):
                        frame[col] = frame[col].astype(object)
                frame.to_excel(writer, sheet_name=name, index=False)
                style_sheet(writer.sheets[name], frame)
