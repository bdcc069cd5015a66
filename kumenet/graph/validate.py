"""Validation of input tables against the data contract, and typing of their columns.

Every reader turns its file into :class:`RawTable` objects (values as text or as the file's
own types, with the line of every row), and :func:`build_network` checks them all at once.
Problems are collected and raised together as one :class:`~kumenet.errors.InputDataError`
naming file, line and column; problems that are not errors (duplicate ties, isolated
nodes) are reported with :func:`warnings.warn`.
"""

from __future__ import annotations

import bisect

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kumenet.arrays import distinct_type
from kumenet.errors import InputDataError, Problem, ProblemCollector, clip, shown
from kumenet.graph.dates import as_date_column, read_dates, shown_date, typed_dates
from kumenet.graph.numbers import Evidence, describe, file_evidence, read_numbers
from kumenet.graph.geography import normalize_province, province_attribute, province_names
from kumenet.graph.network import (COUNTRY_ALIASES, DEFAULT_DIRECTED, KINDS, Network,
                                   layer_name)
from kumenet.text import fold, fold_series, map_distinct, suggestion

__all__ = ["RawTable", "CheckedParts", "check_part", "TableChecker", "rename_columns",
           "require_columns", "as_text", "subtype_names", "build_network"]


# Column headers people use for the contract's columns (Gephi's Id/Label/Source/Target, and
# Turkish spreadsheets), compared on their folded form.
NODE_ALIASES = {
    "id": "id", "kimlik": "id", "kod": "id", "name": "name", "label": "name", "ad": "name",
    "adi": "name", "unvan": "name", "firma adi": "name", "kind": "kind", "tur": "kind",
    "subtype": "subtype", "alt tur": "subtype", "country": "country", "ulke": "country",
    "province": "province", "il": "province", "sehir": "province", "region": "region",
    "bolge": "region", "sector": "sector", "sektor": "sector", "nace": "sector",
    "employees": "employees", "calisan": "employees", "calisan sayisi": "employees",
    "exports usd": "exports_usd", "ihracat": "exports_usd", "ihracat usd": "exports_usd",
    "founded": "founded", "kurulus yili": "founded", "kurulus": "founded",
    "kurulus tarihi": "founded", "firma": "name", "firma unvani": "name", "unvani": "name",
    "kurum adi": "name", "personel": "employees", "personel sayisi": "employees",
    "calisan sayisi kisi": "employees", "nace kodu": "sector", "sektor kodu": "sector",
    "faaliyet kodu": "sector", "ulke kodu": "country", "il adi": "province",
    "ihracat dolar": "exports_usd", "ihracat tutari": "exports_usd",
}
EDGE_ALIASES = {
    "source": "source", "kaynak": "source", "from": "source", "target": "target",
    "hedef": "target", "to": "target", "layer": "layer", "katman": "layer", "weight": "weight",
    "agirlik": "weight", "year": "year", "yil": "year",
}
KIND_ALIASES = {"firm": "firm", "firma": "firm", "company": "firm", "sirket": "firm",
                "institution": "institution", "kurum": "institution",
                "kurulus": "institution"}
#: The subtypes kumenet knows and the names people give them (Turkish, English, the usual
#: abbreviations, with or without Turkish letters): compared without case, letters' marks,
#: spaces, dots or dashes, so ``Kalkınma Ajansı``, ``KALKINMA AJANSI`` and ``K.A.`` are one.
SUBTYPES = {
    "company": ("company", "firma", "şirket", "işletme", "kobi", "sme"),
    "buyer": ("buyer", "foreign buyer", "alıcı", "yabancı alıcı", "müşteri", "customer"),
    "supplier": ("supplier", "foreign supplier", "tedarikçi", "yabancı tedarikçi"),
    "chamber": ("chamber", "chamber of commerce", "chamber of industry", "oda", "ticaret odası",
                "sanayi odası", "ticaret ve sanayi odası", "tso", "ito", "iso", "tb",
                "ticaret borsası", "borsa", "meslek odası", "esnaf odası",
                "esnaf ve sanatkarlar odası", "tobb"),
    "exporters_union": ("exporters union", "exporters' union", "exporters association",
                        "ihracatçı birliği", "ihracatçılar birliği", "ihracatçı birlikleri",
                        "ib", "tim", "türkiye ihracatçılar meclisi"),
    "university": ("university", "üniversite", "uni", "üni", "yüksekokul",
                   "meslek yüksekokulu", "myo", "fakülte"),
    "research_organisation": ("research organisation", "research organization",
                              "research institute", "research centre", "research center",
                              "araştırma kuruluşu", "araştırma kurumu", "araştırma merkezi",
                              "araştırma enstitüsü", "enstitü", "tübitak", "ar-ge merkezi",
                              "arge merkezi", "rto"),
    "development_agency": ("development agency", "regional development agency",
                           "kalkınma ajansı", "ajans", "ka", "bka"),
    "cluster_centre": ("cluster centre", "cluster center", "cluster knowledge centre",
                       "cluster knowledge center", "kümelenme bilgi merkezi",
                       "küme bilgi merkezi", "kbm"),
    "industrial_zone": ("industrial zone", "organised industrial zone",
                        "organized industrial zone", "organize sanayi bölgesi", "osb",
                        "sanayi bölgesi", "küçük sanayi sitesi", "kss", "serbest bölge",
                        "free zone"),
    "technopark": ("technopark", "technology park", "science park", "teknopark",
                   "teknoloji geliştirme bölgesi", "tgb", "teknokent"),
    "public_body": ("public body", "public institution", "kamu kurumu", "kamu", "kosgeb",
                    "belediye", "büyükşehir belediyesi", "municipality", "valilik",
                    "governorate", "kaymakamlık", "bakanlık", "ministry", "il müdürlüğü",
                    "müdürlük", "halk eğitim merkezi"),
    "association": ("association", "business association", "ngo", "dernek", "vakıf",
                    "foundation", "federasyon", "federation", "konfederasyon", "sendika",
                    "kooperatif", "cooperative", "birlik", "sektör derneği", "iş insanları derneği",
                    "müsiad", "tüsiad"),
    "other": ("other", "diğer", "başka", "others"),
}
NUMERIC_NODE_COLUMNS = ("employees", "exports_usd", "founded")
# Whole-number columns and the values they may hold (a year has four digits; no firm
# employs a billion people).
WHOLE_RANGES = {"employees": (0, 999_999_999), "founded": (1000, 9999), "year": (1000, 9999)}
#: Year columns that may be given as dates (a founding date, the date a tie was seen).
DATED = ("founded", "year")
_NACE_ONE_DIGIT = r"^\d(?:\.\d+)?$"
_NACE_COMMA = r"^\d{1,2},\d{1,2}$"


@dataclass
class RawTable:
    """A table as read from a file, before validation.

    ``lines[i]`` is the line (or record number) of row ``i`` in ``file``; ``columns`` maps
    each header to what problems call its column (a number, or a letter for spreadsheets).
    """

    frame: pd.DataFrame
    file: str
    lines: np.ndarray
    columns: dict = field(default_factory=dict)
    decimal: str | None = None  # None: detect per column
    sep: str | None = None  # the CSV separator, or None: evidence for the decimal mark
    encoding: str | None = None
    _evidence: Evidence | None = field(default=None, repr=False)
    # A table gathered from several sheets: (first row, file label, columns) of each part.
    parts: list | None = None
    # Only some parts of the file were read (ties up to a year): nodes may lack ties here.
    subset: bool = False
    # Problems the reader found (a formula without a saved value), reported with the others.
    problems: list = field(default_factory=list)

    def place(self, row: int, header=None) -> tuple[str, int, object]:
        """(file, line, column) of ``row`` (``column`` None without ``header``)."""
        file, columns = self.file, self.columns
        if self.parts:
            starts = [start for start, _, _ in self.parts]
            _, file, columns = self.parts[bisect.bisect_right(starts, row) - 1]
        return file, int(self.lines[row]), (columns.get(header) if header is not None else None)

    def at(self, row: int) -> str:
        """'line 7', or 'sheet Kurumlar, line 7' in a table gathered from several sheets."""
        file, line, _ = self.place(row)
        return f"{file.rpartition(', ')[2]}, line {line}" if self.parts else f"line {line}"

    @classmethod
    def gathered(cls, tables: list["RawTable"], file: str, key=lambda h: h) -> "RawTable":
        """One table of the rows of several: columns matched by ``key`` of their headers
        (the first table's header names them; columns only some have are added), each row
        still placed in its own sheet, line and column."""
        names: dict = {}  # key -> header shown
        twice = []
        for t in tables:
            seen: dict = {}
            for h in t.frame.columns:
                names.setdefault(key(h), h)
                if key(h) in seen:
                    twice.append(Problem(t.file, int(t.lines[0]) - 1 if len(t.lines) else 1,
                                         t.columns.get(h), str(h),
                                         f"the column {clip(str(h))} is given twice (also "
                                         f"{clip(str(seen[key(h)]))}); keep one"))
                seen.setdefault(key(h), h)
        if twice:
            raise InputDataError(twice)
        frames, parts, lines, start = [], [], [], 0
        for t in tables:
            own = {key(h): h for h in t.frame.columns}
            frame = pd.DataFrame({names[k]: (t.frame[own[k]] if k in own else None)
                                  for k in names}, index=t.frame.index)
            frames.append(frame)
            parts.append((start, t.file, {names[key(h)]: c for h, c in t.columns.items()}))
            lines.append(t.lines)
            start += len(t.frame)
        frame = pd.concat(frames, ignore_index=True)
        return cls(frame, file, np.concatenate(lines), parts[0][2], tables[0].decimal,
                   parts=parts, problems=[p for t in tables for p in t.problems])

    def evidence(self) -> Evidence:
        """What the whole file says about its decimal mark (computed once, when needed)."""
        if self._evidence is None:
            self._evidence = file_evidence(self.frame, self.sep, self.encoding)
        return self._evidence

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, file: str, first_line: int = 2,
                   decimal: str | None = None, letters: bool = False) -> "RawTable":
        frame = frame.reset_index(drop=True)
        cols = {c: (_letter(i) if letters else i + 1) for i, c in enumerate(frame.columns)}
        lines = np.arange(first_line, first_line + len(frame))
        return cls(frame, file, lines, cols, decimal)


@dataclass
class CheckedParts:
    """Ties whose parts are read and checked apart (on Dask workers) against the node ids:
    ``check(node_ids)`` gives, per part, the problems found, the checked part (what
    :func:`_check_edges` gives for one table) or None, and its number of rows. ``file`` and
    ``subset`` are a :class:`RawTable`'s; ``lines`` (each row's line in its part) are filled
    in once checked."""

    check: object
    file: str
    subset: bool = False
    lines: np.ndarray | None = None

    def checked(self, node_ids, problems: ProblemCollector):
        """The parts' checks joined, as :func:`_check_edges` gives them for one table."""
        parts = self.check(node_ids)
        for found, _, _ in parts:
            problems.problems.extend(found)
        if not parts or any(part is None for _, part, _ in parts):
            return None
        self.lines = np.concatenate([np.arange(2, 2 + n) for _, _, n in parts])
        tables = [part[0] for _, part, _ in parts]
        table = pd.concat(tables, ignore_index=True)
        # The layers in the order one table of every part would give them.
        table["layer"] = pd.api.types.union_categoricals([t["layer"] for t in tables])
        ends = {end: np.concatenate([part[1][end] for _, part, _ in parts])
                for end in parts[0][1][1]}
        return table, ends


def check_part(raw: RawTable, node_ids) -> tuple[list, tuple | None, int]:
    """The checks of the ties of one part: (problems, checked part or None, rows).

    >>> ties = pd.DataFrame({'source': ['a', 'x'], 'target': ['b', 'a'],
    ...                      'layer': ['supply', 'supply']})
    >>> raw = RawTable.from_frame(ties, 'part')
    >>> problems, checked, rows = check_part(raw, pd.Index(['a', 'b']))
    >>> rows, [p.message for p in problems]
    (2, ["'x' is not a node id in the nodes table"])
    """
    problems = ProblemCollector()
    return problems.problems, _check_edges(raw, node_ids, problems), len(raw.frame)


def _show(value) -> str:
    """A cell's value as the user would recognise it in a message (at most ~80 characters)."""
    if isinstance(value, str):
        return clip(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer() \
            and abs(float(value)) < 2**63:
        return str(int(value))
    return clip(str(value.item() if hasattr(value, "item") else value), quote=False)


def _letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class TableChecker:
    """Reports problems in one table, pointing at rows by their lines."""

    def __init__(self, table: RawTable, problems: ProblemCollector):
        self.t = table
        self.p = problems
        self.original = {}  # contract name -> header in the file

    def file_problem(self, message: str, line: int | None = None) -> None:
        self.p.add(self.t.file, line, None, None, message)

    def numbers(self, s: pd.Series, column: str, whole: bool = False
                ) -> tuple[pd.Series, np.ndarray]:
        """A column's numbers (float, NaN where empty or bad) and the mask of bad cells.

        Text cells are read with the decimal mark :mod:`kumenet.graph.numbers` decides; an
        ambiguous column is announced with a warning. Typed cells (spreadsheet numbers)
        are taken as they are.
        """
        if s.dtype.kind in "iufb":
            values = s.astype("float64")
            arr = values.to_numpy()
            return values.where(np.isfinite(arr)), ~np.isfinite(arr) & values.notna().to_numpy()
        typed = None
        if s.dtype == object:  # a spreadsheet column may mix typed numbers and text
            kind = pd.api.types.infer_dtype(s, skipna=True)  # one pass in C
            if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
                return self.numbers(pd.to_numeric(s, errors="coerce").astype("float64"), column)
            if kind not in ("string", "empty"):  # mixed: only these columns are looked at cell by cell
                is_num = s.map(lambda v: isinstance(v, (int, float, np.integer, np.floating))
                               and not isinstance(v, bool)).to_numpy(dtype=bool)
                if is_num.any():
                    typed = pd.to_numeric(s.where(is_num), errors="coerce").astype("float64")
                    s = s.where(~is_num, None)
        text = as_text(s)
        if isinstance(text.dtype, pd.CategoricalDtype):
            text = text.astype("string[pyarrow]")
        values, bad, reading = read_numbers(text, self.t.decimal, whole, self.t.evidence)
        if self.t.decimal and bad.any():
            header = self.original.get(column, column)
            # --decimal shapes the CSV a command writes too: a column it cannot read at all
            # while the file's own evidence reads every cell is read as the file shows, and
            # said; a column only partly read with it is a problem.
            found = read_numbers(text, None, whole, self.t.evidence)
            if not found[1].any():
                failed = int(bad.sum())
                values, bad, reading = found
                warnings.warn(f"{shown(self.t.file)}: column {header!r}: the decimal mark "
                              f"{self.t.decimal!r} given does not read {failed:,} of its "
                              "numbers; read as the file shows (--decimal still shapes the CSV "
                              "written)", stacklevel=4)
            else:
                self.file_problem(f"column {header!r}: {int(bad.sum()):,} cells are not numbers "
                                  f"with the decimal mark {self.t.decimal!r} that --decimal "
                                  "gave; without --decimal kumenet decides from the file", 1)
        if reading.ambiguous:
            header = self.original.get(column, column)
            warnings.warn(f"{shown(self.t.file)}: {describe(str(header), reading)}", stacklevel=4)
        if typed is not None:
            have = typed.notna().to_numpy()
            arr = typed.to_numpy()
            values = values.where(~have, typed)
            bad = bad | (have & ~np.isfinite(arr))
        return values, bad

    def whole(self, s: pd.Series, column: str, dtype: str = "Int64") -> pd.Series:
        """A whole-number column (employees, founded, year) as ``dtype`` (Int64 or, for
        years, Int32), problems reported.

        A fraction is never rounded silently, and values outside :data:`WHOLE_RANGES` (a
        year of 2147483648, 1e19 employees) are reported instead of overflowing.
        """
        low, high = WHOLE_RANGES[column]
        if column in DATED:
            s = self.years_of_dates(s, column)
        elif typed_dates(s).any():  # a number Excel shows as a date: not read as one
            is_date = typed_dates(s)
            self.rows(is_date, column, lambda i: f"{column} must be a whole number, not the "
                      f"date {shown_date(s.iloc[i])} (the cell is formatted as a date in Excel?)")
            s = s.where(~is_date, None)
        if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu" and len(s) and \
                low <= s.min() and s.max() <= high:
            # Typed whole numbers (a Parquet column of years), all in range: nothing to read.
            ints = s.to_numpy(dtype=np.int32 if dtype == "Int32" else np.int64)
            return pd.Series(pd.arrays.IntegerArray(ints, np.zeros(len(ints), dtype=bool)),
                             index=s.index)
        values, bad = self.numbers(s, column, whole=True)
        self.rows(bad, column, lambda i: f"{column} must be a whole number, not "
                  f"{_show(s.iloc[i])}")
        arr = values.to_numpy()
        frac = ~np.isnan(arr) & (arr != np.floor(arr))
        self.rows(frac, column, lambda i: f"{column} must be a whole number, not "
                  f"{_show(s.iloc[i])} (read as {arr[i]:g})")
        out = ~np.isnan(arr) & ~frac & ((arr < low) | (arr > high))
        what = "a four-digit year" if column in ("year", "founded") else \
            f"between {low:,} and {high:,}"
        self.rows(out, column, lambda i: f"{column} must be {what}, not {_show(s.iloc[i])}")
        keep = ~np.isnan(arr) & ~frac & ~out
        # Built from the values and a mask (converting a float column with NaN to Int64
        # checks every value again: 0.9 s for 9.6 million years).
        ints = np.where(keep, arr, 0).astype(np.int32 if dtype == "Int32" else np.int64)
        return pd.Series(pd.arrays.IntegerArray(ints, ~keep), index=s.index)

    def years_of_dates(self, s: pd.Series, column: str) -> pd.Series:
        """``s`` with its dates (Excel date cells, ``15.03.2019``, ``2019-03-15``) as their
        years, said once for the column; a date that does not exist is reported."""
        at, values = _raw_distinct(s)
        reading = read_dates(values)
        if reading is None:
            return s
        header = self.original.get(column, column)
        bad = reading.is_date & ~reading.valid
        self.rows(_at(bad, at, False), column, lambda i: f"{clip(shown_date(values.iloc[at[i]]))}"
                  f" is not a date that exists (read as {reading.how})")
        years = reading.values.dt.year.to_numpy(dtype=np.float64, na_value=np.nan)
        dated = _at(reading.is_date, at, False)
        first = values[reading.valid].iloc[0] if reading.valid.any() else None
        if first is not None:
            year = int(reading.values[reading.valid].iloc[0].year)
            n = int(dated.sum())
            warnings.warn(f"{shown(self.t.file)}: column {clip(str(header))}: {n:,} "
                          f"date{'s' * (n != 1)} ({reading.said()}) read as "
                          f"{'their years' if n != 1 else 'its year'} "
                          f"({clip(shown_date(first))} -> {year})", stacklevel=4)
        if dated.all():
            return pd.Series(_at(years, at, np.nan), index=s.index)
        cells = s.astype(object).where(~dated, pd.Series(_at(years, at, np.nan), index=s.index))
        return cells.where(~dated | pd.notna(cells), None)

    def dates(self, s: pd.Series, column: str) -> pd.Series | None:
        """An extra column every filled cell of which is a date, as dates (said once);
        None for any other column."""
        at, values = _raw_distinct(s)
        filled = values.notna().to_numpy()
        if not filled.any():
            return None
        reading = read_dates(values, every=True)
        if reading is None:
            return None
        header = self.original.get(column, column)
        bad = reading.is_date & ~reading.valid
        if bad.any():
            row = int(np.flatnonzero(_at(bad, at, False))[0])
            warnings.warn(f"{shown(self.t.file)}: column {clip(str(header))} holds dates but "
                          f"{self.t.at(row)} ({clip(shown_date(s.iloc[row]))}) is not a date "
                          "that exists; "
                          "the column is kept as text", stacklevel=4)
            return None
        if reading.how not in ("date cells", "yyyy-aa-gg"):  # the others are read one way
            warnings.warn(f"{shown(self.t.file)}: column {clip(str(header))} read as dates "
                          f"({reading.said()})", stacklevel=4)
        column_values = as_date_column(reading.values, reading.has_time)
        return pd.Series(column_values.array.take(at, allow_fill=True), index=s.index)

    def extra(self, s: pd.Series, column: str) -> pd.Series:
        """An extra column: dates when every filled cell is one, numbers when every filled
        cell is one, text otherwise."""
        if s.dtype.kind == "b":
            return s
        if s.dtype.kind not in "iuf":
            dated = self.dates(s, column)
            if dated is not None:
                return dated
        if s.dtype.kind not in "iuf":
            at, distinct = _distinct_values(s)  # looked at once per distinct value
            # Only columns that could be numbers are parsed (nothing but digits and marks).
            if not distinct.notna().any() or \
                    distinct.str.contains(r"[^0-9.,eE+\-]", na=False).any():
                return _rows(distinct, at, s.index)
            if s.dtype != object:
                s = as_text(s)  # clean text: numbers() need not clean it again
                if isinstance(s.dtype, pd.CategoricalDtype):
                    s = s.astype("string[pyarrow]")
        values, bad = self.numbers(s, column)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            header = self.original.get(column, column)
            warnings.warn(f"{shown(self.t.file)}: column {clip(str(header))} looks numeric but "
                          f"{self.t.at(first)} ({_show(s.iloc[first])}) does not "
                          "read like its other numbers (mixed decimal marks?); the column is "
                          "kept as text", stacklevel=4)
        if bad.any() or values.notna().sum() == 0:
            return as_text(s).astype("str")
        return _whole(values)

    def rows(self, mask, column: str | None, message) -> None:
        """Report the rows where ``mask`` is true; ``message`` is a str or row -> str."""
        idx = np.flatnonzero(np.asarray(mask, dtype=bool))
        header = self.original.get(column, column)
        col = self.t.columns.get(header) if column else None
        for i in idx[:21]:
            text = message(int(i)) if callable(message) else message
            file, line, col = self.t.place(int(i), header) if column else \
                (*self.t.place(int(i))[:2], None)
            self.p.add(file, line, col, header, text)


def rename_columns(table: RawTable, aliases: dict, checker: TableChecker) -> pd.DataFrame | None:
    """The table with contract names for its columns, or None when two columns clash.

    Columns without a header are dropped when they are empty (spreadsheets export trailing
    separators) and reported when they hold values.

    >>> typed = pd.DataFrame({'Kimlik': ['a'], 'Firma Adı': ['A'], 'Tür': ['firma']})
    >>> raw = RawTable.from_frame(typed, 'nodes')
    >>> list(rename_columns(raw, NODE_ALIASES, TableChecker(raw, ProblemCollector())).columns)
    ['id', 'name', 'kind']
    """
    frame = table.frame
    keep, names, seen = [], [], {}
    clash = False
    for pos, col in enumerate(frame.columns):
        header = str(col).strip()
        if not header:
            filled = frame.iloc[:, pos].notna() & (frame.iloc[:, pos].astype("string").str.strip() != "")
            if filled.any():
                row = int(np.flatnonzero(filled.to_numpy(dtype=bool))[0])
                checker.p.add(*table.place(row)[:2], _column_label(table, pos), None,
                              "this column has values but no header; name it or delete it")
                clash = True
            continue
        name = aliases.get(fold(header), header)
        if name in seen:
            same = seen[name] == header
            checker.file_problem(
                f"the column {clip(header)} is given twice; keep one" if same else
                f"columns {clip(seen[name])} and {clip(header)} both mean {name!r}; keep one",
                line=1)
            clash = True
        seen[name] = header
        keep.append(pos)
        names.append(name)
        checker.original[name] = col
    if clash:
        return None
    out = frame.iloc[:, keep]
    out.columns = names
    return out


def _column_label(table: RawTable, pos: int):
    """What a problem calls the column at position ``pos`` (a number, or a letter)."""
    labels = list(table.columns.values())
    return labels[pos] if pos < len(labels) else pos + 1


def require_columns(frame, required, checker: TableChecker, aliases: dict) -> bool:
    """Whether ``frame`` has every ``required`` column; each missing one is a problem of the
    file (with the names it may go by).

    >>> raw = RawTable.from_frame(pd.DataFrame({'id': ['a']}), 'nodes')
    >>> problems = ProblemCollector()
    >>> require_columns(raw.frame, ('id', 'kind'), TableChecker(raw, problems), NODE_ALIASES)
    False
    >>> problems.problems[0].message[:22]
    'missing required colum'
    """
    ok = True
    for col in required:
        if col not in frame.columns:
            hint = suggestion(col, [c for c in frame.columns if c not in aliases.values()])
            found = ", ".join(repr(str(c)) for c in checker.t.frame.columns) or "none"
            checker.file_problem(f"missing required column {col!r}{hint}; the columns are "
                                 f"{found}", line=1)
            ok = False
    return ok


def as_text(s: pd.Series) -> pd.Series:
    """Values as stripped text (Arrow-backed, so string work runs in C), empty as missing.

    A categorical (as Parquet files hold ids) stays categorical: only its categories are
    cleaned, so millions of rows cost no more than their distinct values.

    >>> as_text(pd.Series([' Samsun ', '', None, 12])).tolist()
    ['Samsun', <NA>, <NA>, '12']
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        categories = s.cat.categories
        cleaned = as_text(pd.Series(categories.array if categories.dtype == "string"
                                    else np.asarray(categories, dtype=object)))
        if categories.dtype == "string" and not cleaned.isna().any() and \
                bool((cleaned.array == categories.array).all()):
            return s  # clean already (ids written by a program)
        codes, uniques = pd.factorize(cleaned, use_na_sentinel=True)
        new = np.append(codes, -1)[s.cat.codes.to_numpy()]
        return pd.Series(pd.Categorical.from_codes(new, dtype=pd.CategoricalDtype(pd.Index(uniques))),
                         index=s.index)
    if s.dtype.kind == "f":  # a numeric id column from a spreadsheet: 12.0 -> "12"
        arr = s.to_numpy(dtype=np.float64)
        whole = np.isfinite(arr) & (arr == np.floor(arr)) & (np.abs(arr) < 2**53)
        ints = pd.Series(np.where(whole, arr, 0).astype(np.int64), index=s.index)
        s = s.astype(object).where(~whole, ints.astype(object))
    t = s.astype("string[pyarrow]").str.strip()
    return t.mask(t == "")


def _whole(values: pd.Series) -> pd.Series:
    """Float values as nullable integers when all of them are whole numbers."""
    arr = values.to_numpy(dtype=np.float64)
    filled = arr[~np.isnan(arr)]
    if len(filled) and np.all(filled == np.floor(filled)) and np.abs(filled).max() < 2**53:
        return values.astype("Int64")
    return values


def _distinct(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, pd.Series]:
    """:func:`_distinct_values` of ``frame[name]``; a column the table lacks is missing in
    every row."""
    if name not in frame:
        return np.full(len(frame), -1, dtype=np.int64), pd.Series([], dtype="string")
    return _distinct_values(frame[name])


def _distinct_values(column: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(at, values): a column's distinct values as a small Series of stripped text (empty as
    missing) and each row's position among them (-1: missing)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        at, values = column.cat.codes.to_numpy(), pd.Series(column.cat.categories.array)
    else:
        at, uniques = pd.factorize(column, use_na_sentinel=True)
        values = pd.Series(uniques)
    return at.astype(np.int64), as_text(values)


def _subtype_key(text: str) -> str:
    """A subtype's name without case, letters' marks, spaces, dots, dashes or apostrophes."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


_SUBTYPE_KEYS = {_subtype_key(alias): name for name, aliases in SUBTYPES.items()
                 for alias in (name, *aliases)}


def subtype_names(values: pd.Series) -> tuple[pd.Series, list[int]]:
    """Subtypes as kumenet names them (:data:`SUBTYPES`) and the positions of those it does
    not know, which are kept folded (lower case, ``_`` for spaces).

    >>> names, unknown = subtype_names(pd.Series(["Üniversite", "OSB", "T.S.O.", "İç Alıcı"]))
    >>> names.tolist(), unknown
    (['university', 'industrial_zone', 'chamber', 'ic_alici'], [3])
    """
    cells = values.astype(object).where(values.notna(), None).to_numpy()
    known = np.array([_SUBTYPE_KEYS.get(_subtype_key(v)) if isinstance(v, str) else None
                      for v in cells], dtype=object)  # distinct values: a few dozen
    folded = fold_series(values).str.replace(" ", "_").astype(object).to_numpy()
    unknown = np.flatnonzero(pd.isna(known) & pd.notna(cells)).tolist()
    names = np.where(pd.isna(known), folded, known)
    return pd.Series(np.where(pd.isna(cells), None, names), dtype=object), unknown


def _raw_distinct(column: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(at, values) as :func:`_distinct_values`, the values as typed (dates stay dates),
    text stripped and empty text missing."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        at, values = column.cat.codes.to_numpy(), pd.Series(column.cat.categories.array)
    else:
        at, uniques = pd.factorize(column, use_na_sentinel=True)
        values = pd.Series(uniques)
    if values.dtype == object:
        values = values.map(lambda v: (v.strip() or None) if isinstance(v, str) else v)
    elif not (values.dtype.kind in "iufbM" or isinstance(values.dtype, pd.DatetimeTZDtype)):
        values = as_text(values)
    return at.astype(np.int64), values.reset_index(drop=True)


def _at(per_value, at: np.ndarray, missing) -> np.ndarray:
    """A per-distinct-value array at each row (``missing`` where ``at`` is -1)."""
    return np.append(np.asarray(per_value), missing)[at]


def _rows(per_value: pd.Series, at: np.ndarray, index, missing=None) -> pd.Series:
    """A per-distinct-value text column at each row, as text (missing where ``at`` is -1,
    or ``missing``)."""
    values = per_value.astype("str")
    if missing is not None:
        values = pd.concat([values, pd.Series([missing], dtype="str")], ignore_index=True)
    return pd.Series(values.array.take(at, allow_fill=missing is None), index=index)


def _check_nodes(table: RawTable, problems: ProblemCollector
                 ) -> tuple[pd.DataFrame | None, bool]:
    """The checked node table (None when it cannot be read) and whether its ids are distinct
    (missing ones counted as equal)."""
    c = TableChecker(table, problems)
    frame = rename_columns(table, NODE_ALIASES, c)
    if frame is None:
        return None, False
    if not len(frame):
        c.file_problem("the file has no rows of data (an empty nodes table)")
        return None, False
    if not require_columns(frame, ("id", "kind"), c, NODE_ALIASES):
        return None, False
    out = pd.DataFrame(index=frame.index)
    out["id"], out["name"], repeated = _node_ids(frame, c, table)
    # Kind, subtype, country, province, region and sector hold a few hundred distinct values
    # in millions of rows: each is checked and normalised once per distinct value.
    out["kind"] = _node_kinds(frame, c)
    out["subtype"] = _node_subtypes(frame, c, table)
    out["country"], turkish = _node_countries(frame, c)
    out["province"], out["region"] = _node_places(frame, c, turkish)
    out["sector"] = _node_sectors(frame, c, table)
    for col, values in _node_numbers(frame, c).items():
        out[col] = values
    extra = {col: c.extra(frame[col], col) for col in frame.columns if col not in out.columns}
    out = pd.concat([out, pd.DataFrame(extra, index=frame.index)], axis=1) if extra else out
    return out, not repeated.any()


def _node_ids(frame, c, table):
    """The ids (empty and repeated ones named), the names (the id where none) and which rows
    repeat an id."""
    ids = as_text(frame["id"])
    c.rows(ids.isna(), "id", "empty id")
    repeated = ids.duplicated(keep="first")
    dup = repeated & ids.notna()
    if dup.any():
        first_row = dict(zip(ids[~repeated], np.flatnonzero(~repeated.to_numpy())))
        c.rows(dup, "id", lambda i: f"duplicate id {clip(ids.iloc[i])} (first at "
                                    f"{table.at(int(first_row[ids.iloc[i]]))})")
    names = as_text(frame["name"]) if "name" in frame else ids
    # as text first: a dictionary-encoded (categorical) column cannot take an id it lacks
    return ids.astype("str"), names.astype("str").fillna(ids.astype("str")), repeated


def _node_kinds(frame, c) -> pd.Series:
    """firm or institution, as people write them."""
    kind_at, kind_raw = _distinct(frame, "kind")
    kind = fold_series(kind_raw).map(KIND_ALIASES)
    c.rows(_at(kind.isna(), kind_at, True), "kind", lambda i: (
        "empty kind (must be 'firm' or 'institution')"
        if kind_at[i] < 0 or pd.isna(kind_raw.iloc[kind_at[i]]) else
        f"unknown kind {clip(kind_raw.iloc[kind_at[i]])}; must be 'firm' or 'institution'"
        + suggestion(kind_raw.iloc[kind_at[i]], KINDS)))
    kind_codes = pd.Categorical(kind, categories=list(KINDS)).codes
    return pd.Series(pd.Categorical.from_codes(_at(kind_codes, kind_at, -1),
                                               dtype=pd.CategoricalDtype(list(KINDS))),
                     index=frame.index)


def _node_subtypes(frame, c, table) -> pd.Series:
    """Subtypes as kumenet names them (Turkish spellings too); unknown ones kept and named
    once in a warning."""
    if "subtype" in frame:
        subtype_at, subtype = _distinct(frame, "subtype")  # stripped, empty as missing
        known, unknown = subtype_names(subtype)
        if unknown:
            counts = np.bincount(subtype_at[subtype_at >= 0], minlength=len(subtype))
            listed = sorted(unknown, key=lambda i: -counts[i])
            named = ", ".join(f"{clip(subtype.iloc[i])} ({counts[i]:,})" for i in listed[:5])
            more = f" and {len(listed) - 5} more" if len(listed) > 5 else ""
            header = c.original.get("subtype", "subtype")
            warnings.warn(f"{shown(table.file)}: column {clip(str(header))}: subtypes kumenet "
                          f"does not know, kept as written: {named}{more}; the known ones are "
                          f"{', '.join(SUBTYPES)}", stacklevel=4)
        return _rows(known, subtype_at, frame.index)
    return pd.Series(pd.NA, index=frame.index).astype("str")


def _node_countries(frame, c):
    """ISO codes (Turkey where none is given) and which rows are Turkish."""
    country_at, country_raw = _distinct(frame, "country")
    country = fold_series(country_raw).map(COUNTRY_ALIASES).fillna(country_raw.str.upper())
    bad_country = country_raw.notna() & ~country.str.fullmatch(r"[A-Z]{2}", na=False)
    c.rows(_at(bad_country, country_at, False), "country", lambda i: (
        f"{clip(country_raw.iloc[country_at[i]])} is not an ISO 3166 alpha-2 country code "
        "(such as TR, DE, IQ)"))
    country = country.fillna("TR")
    return (_rows(country, country_at, frame.index, missing="TR"),
            _at(country == "TR", country_at, True))


def _node_places(frame, c, turkish):
    """A province per distinct value and Turkishness: the normalised name for Turkish actors,
    as given for foreign ones (they may name their own region here); the region as given, or
    the NUTS-2 region of the province."""
    if "province" in frame:
        prov_at, prov_raw = _distinct(frame, "province")
        prov = normalize_province(prov_raw)
        bad = _at(prov_raw.notna() & prov.isna(), prov_at, False) & turkish
        c.rows(bad, "province", lambda i: f"unknown province {clip(prov_raw.iloc[prov_at[i]])}"
               + suggestion(prov_raw.iloc[prov_at[i]], province_names()))
        choices = pd.Series(np.concatenate([prov.to_numpy(dtype=object),
                                            prov_raw.to_numpy(dtype=object)]))
        province_at = np.where(prov_at < 0, -1, prov_at + np.where(turkish, 0, len(prov)))
    else:
        choices = pd.Series([], dtype=object)
        province_at = np.full(len(frame), -1, dtype=np.int64)
    province = _rows(choices, province_at, frame.index)
    region_at, region = _distinct(frame, "region")
    given = _at(region.notna(), region_at, False)
    derived = province_attribute(choices, "nuts2")
    return province, _rows(
        pd.Series(np.concatenate([region.to_numpy(dtype=object), derived.to_numpy(dtype=object)])),
        np.where(given, region_at, np.where(province_at < 0, -1, len(region) + province_at)),
        frame.index)


def _node_sectors(frame, c, table) -> pd.Series:
    """NACE codes as written, with the decimal comma and the lost leading zero of a Turkish
    spreadsheet put right (and said)."""
    if "sector" in frame:
        sector_at, sector = _distinct(frame, "sector")
        # A NACE code a Turkish spreadsheet stored as a number is written with a decimal
        # comma ("10,82"): it can only be the code 10.82.
        comma = sector.str.match(_NACE_COMMA, na=False)
        if comma.any():
            header = c.original.get("sector", "sector")
            first = sector[comma].iloc[0]
            warnings.warn(f"{shown(table.file)}: column {clip(str(header))}: "
                          f"{int(comma.sum()):,} NACE code(s) written with a decimal comma "
                          f"({clip(first)}) read as {first.replace(',', '.')}", stacklevel=5)
            sector = sector.where(~comma, sector.str.replace(",", ".", regex=False))
        # NACE divisions have two digits; a spreadsheet that stored "01" as a number shows 1.
        sector = sector.where(~sector.str.match(_NACE_ONE_DIGIT, na=False), "0" + sector)
        return _rows(sector, sector_at, frame.index)
    return pd.Series(np.nan, index=frame.index).astype("str")


def _node_numbers(frame, c) -> dict:
    """employees, exports, founding year...: checked numbers (empty when the column is
    absent)."""
    out = {}
    for col in NUMERIC_NODE_COLUMNS:
        if col not in frame:
            empty = pd.Series(np.nan, index=frame.index, dtype="float64")
            out[col] = empty if col == "exports_usd" else empty.astype("Int64")
        elif col in WHOLE_RANGES:
            out[col] = c.whole(frame[col], col)
        else:
            values, bad = c.numbers(frame[col], col)
            c.rows(bad, col, lambda i, col=col: f"{col} must be a number, not "
                   f"{_show(frame[col].iloc[i])}")
            neg = (values < 0).to_numpy(dtype=bool)
            c.rows(neg, col, lambda i, col=col, values=values: f"{col} cannot be negative "
                   f"({_show(values.iloc[i])})")
            out[col] = values
    return out


def _check_edges(table: RawTable, node_ids: pd.Index | None, problems: ProblemCollector):
    c = TableChecker(table, problems)
    frame = rename_columns(table, EDGE_ALIASES, c)
    if frame is None:
        return None
    if not len(frame):
        c.file_problem("the file has no rows of data (an empty edges table)")
        return None
    if not require_columns(frame, ("source", "target", "layer"), c, EDGE_ALIASES):
        return None
    out = pd.DataFrame(index=frame.index)
    ends, texts = {}, {}
    if node_ids is not None:
        lookup = _id_lookup(node_ids)
    for end in ("source", "target"):
        ids = as_text(frame[end])
        texts[end] = ids
        c.rows(ids.isna(), end, f"empty {end}")
        if node_ids is not None:
            codes = _positions(ids, lookup)
            unknown = codes < 0
            if unknown.any():  # not empty (reported above) and not found
                unknown &= ids.notna().to_numpy()
            big = len(node_ids) > 50_000  # suggestions compare against every id
            c.rows(unknown, end, lambda i, ids=ids: f"{clip(ids.iloc[i])} is not a node id in the "
                   "nodes table" + ("" if big else suggestion(ids.iloc[i], node_ids)))
            ends[end] = codes
    if node_ids is not None:
        loop = (ends["source"] == ends["target"]) & (ends["source"] >= 0)
        c.rows(loop, "target", lambda i: f"self-loop: {clip(texts['source'].iloc[i])} is tied to itself")
    layer_raw = as_text(frame["layer"])
    c.rows(layer_raw.isna(), "layer", "empty layer")
    out["layer"] = map_distinct(layer_raw, layer_name, categorical=True)
    if "weight" in frame:
        w, bad = c.numbers(frame["weight"], "weight")
        c.rows(bad, "weight", lambda i: f"weight must be a positive number, not "
               f"{_show(frame['weight'].iloc[i])}")
        nonpos = (w <= 0).to_numpy(dtype=bool)
        c.rows(nonpos, "weight", lambda i: f"weight must be positive, not {_show(w.iloc[i])}")
        out["weight"] = w.fillna(1.0)
    else:
        out["weight"] = 1.0
    if "year" in frame:
        out["year"] = c.whole(frame["year"], "year", dtype="Int32")
    else:
        out["year"] = pd.Series(pd.NA, index=frame.index, dtype="Int32")
    extra = {col: c.extra(frame[col], col) for col in frame.columns
             if col not in out.columns and col not in ("source", "target")}
    if extra:
        out = pd.concat([out, pd.DataFrame(extra, index=frame.index)], axis=1)
    return out, ends


def _id_lookup(node_ids: pd.Index):
    """A function from id values to node positions (-1 where not a node id), hashing the
    node ids once; ``range(n)`` when the values are the node ids in order."""
    value_set = pa.array(node_ids.array if isinstance(node_ids.dtype, pd.StringDtype)
                         else np.asarray(node_ids, dtype=object), type=pa.large_string(),
                         from_pandas=True)
    if isinstance(value_set, pa.ChunkedArray):
        value_set = value_set.combine_chunks()
    options = pc.SetLookupOptions(value_set)

    def lookup(values) -> np.ndarray | range:
        arr = pa.array(values, type=pa.large_string(), from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if len(arr) == len(value_set) and arr.equals(value_set):
            # The ties' dictionary is the node ids in order (as kumenet writes Parquet):
            # compared byte for byte instead of hashed.
            return range(len(arr))
        return pc.index_in(arr, options=options).fill_null(-1).to_numpy(zero_copy_only=False)
    return lookup


def _positions(ids: pd.Series, lookup) -> np.ndarray:
    """Each id's node position (-1: empty or unknown), as int32 (half the memory traffic of
    the checks that follow); each distinct id is looked up once (millions of ties name far
    fewer nodes)."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes, uniques = ids.cat.codes.to_numpy(), ids.cat.categories.array
    else:
        codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    found = lookup(uniques)
    if isinstance(found, range):  # the categories are the node ids in order
        return codes.astype(np.int32, copy=False)
    return np.append(found, -1).astype(np.int32)[codes]


def build_network(nodes: RawTable, edges: RawTable,
                  directed_layers=None, source: str | None = None) -> Network:
    """Validate raw node and edge tables and assemble a :class:`Network`.

    Raises
    ------
    InputDataError
        Listing every problem (the message shows 20) with file, line and column.

    >>> nodes = RawTable.from_frame(pd.DataFrame({'id': ['a', 'b'], 'kind': ['firma', 'kurum']}),
    ...                            'nodes')
    >>> ties = pd.DataFrame({'source': ['a'], 'target': ['b'], 'layer': ['Üyelik']})
    >>> edges = RawTable.from_frame(ties, 'edges')
    >>> net = build_network(nodes, edges)
    >>> net.nodes['kind'].tolist(), net.layers
    (['firm', 'institution'], ['membership'])
    """
    problems = ProblemCollector()
    for table in (nodes, edges):
        problems.problems.extend(getattr(table, "problems", None) or [])
    node_table, distinct = _check_nodes(nodes, problems)
    # Every problem in one pass: with repeated ids (reported already) the ties are still
    # checked against the ids there are, so that an unknown end or a self-loop is reported
    # now, not after the ids are mended.
    node_ids = None
    if node_table is not None:
        node_ids = pd.Index(node_table["id"].array)  # Arrow text
        if not distinct:
            node_ids = node_ids[node_ids.notna()].unique()
    checked = edges.checked(node_ids, problems) if isinstance(edges, CheckedParts) \
        else _check_edges(edges, node_ids, problems)
    problems.raise_if_any()
    edge_table, ends = checked

    directed = frozenset(DEFAULT_DIRECTED if directed_layers is None else directed_layers)
    ids = distinct_type(node_ids.astype(object))  # one type for both ends
    src = pd.Categorical.from_codes(ends["source"], dtype=ids)
    tgt = pd.Categorical.from_codes(ends["target"], dtype=ids)
    edge_table["source"] = src
    edge_table["target"] = tgt
    first = ["source", "target", "layer", "weight", "year"]
    edge_table = edge_table[first + [c for c in edge_table.columns if c not in first]]
    edge_table = _merge_duplicates(edge_table, ends, directed, edges)
    if not edges.subset:
        _warn_isolated(node_table, ends)
    return Network(node_table.reset_index(drop=True), edge_table.reset_index(drop=True),
                   directed, source=source)


def _merge_duplicates(edges: pd.DataFrame, ends, directed, raw: RawTable) -> pd.DataFrame:
    u, v = ends["source"], ends["target"]
    layer = edges["layer"].cat.codes.to_numpy()
    undirected = ~edges["layer"].cat.categories.isin(list(directed))
    if undirected.all():
        a, b = np.minimum(u, v), np.maximum(u, v)
    elif not undirected.any():
        a, b = u, v
    else:  # each end pair in order where its layer is undirected, written in place
        directed_rows = ~undirected[layer]
        a, b = np.minimum(u, v), np.maximum(u, v)
        np.copyto(a, u, where=directed_rows)
        np.copyto(b, v, where=directed_rows)
        del directed_rows
    n = int(max(u.max(initial=0), v.max(initial=0))) + 1
    low = edges["year"].min()
    low = 0 if pd.isna(low) else int(low)
    # A copy (an int32 column would otherwise be a view of the table's years), shifted so
    # that 0 means no year.
    year = edges["year"].to_numpy(dtype=np.int32, na_value=low - 1, copy=True)
    year -= low - 1
    span = int(year.max(initial=0)) + 1
    layer_year = layer.astype(np.int32)  # at most 127 layers times 9,000 years
    layer_year *= span
    layer_year += year
    del year
    width = len(edges["layer"].cat.categories) * span
    if float(n) * n * width < 2**62:  # one integer key, made in place (9.6 M ties)
        key = a.astype(np.int64)  # ends are int32
        key *= n
        key += b
        key *= width
        key += layer_year
        ordered = np.sort(key)  # a vectorised sort: far cheaper than hashing millions of keys
        if not (ordered[1:] == ordered[:-1]).any():
            return edges
        keys = pd.Series(key)
    else:
        keys = pd.DataFrame({"pair": a.astype(np.int64) * n + b, "ly": layer_year})
    dup = keys.duplicated(keep="first").to_numpy()
    if not dup.any():
        return edges
    first = int(np.flatnonzero(dup)[0])
    warnings.warn(f"{raw.file}: {int(dup.sum())} duplicate ties (same pair, layer and year) "
                  f"were merged and their weights summed; the first is at line "
                  f"{int(raw.lines[first])}", stacklevel=3)
    group = keys.groupby(list(keys.columns) if keys.ndim == 2 else keys,
                         sort=False).ngroup().to_numpy()
    weight = pd.Series(edges["weight"].to_numpy()).groupby(group).sum()
    kept = edges.loc[~dup].copy()
    kept["weight"] = weight.loc[group[~dup]].to_numpy()
    return kept


def _warn_isolated(nodes: pd.DataFrame, ends: dict) -> None:
    tied = np.zeros(len(nodes), dtype=bool)  # marked, not counted: a third of the time
    tied[ends["source"]] = True
    tied[ends["target"]] = True
    isolated = np.flatnonzero(~tied)
    if len(isolated):
        sample = ", ".join(nodes["id"].iloc[isolated[:5]].astype(str))
        more = f" and {len(isolated) - 5} more" if len(isolated) > 5 else ""
        warnings.warn(f"{len(isolated)} node(s) have no ties: {sample}{more}", stacklevel=3)
