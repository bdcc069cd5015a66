"""Numbers as people write them: ``1.200`` and ``1.500,5`` (Turkish) or ``1,200`` and ``1500.5``.

A cell like ``1.200`` means 1200 in a Turkish office and 1.2 in an English one; ``1,200`` the
other way round. kumenet never guesses silently. Each column's decimal mark is decided, in
this order, from

1. the user (``--decimal``);
2. the column itself: a cell that only one mark can explain (``12,5``, ``1.500,5``,
   ``1234,5`` for the comma; ``12.5``, ``1234.567``, ``1e6`` for the dot);
3. for whole-number columns (employees, founded, year), the only reading that gives whole
   numbers (``1.200`` employees are 1200);
4. the rest of the file: another column that only one mark explains, then the separator
   (``;`` is what Turkish Excel writes), then the encoding (Windows-1254);
5. the dot.

Steps 3 to 5 are announced with a warning naming the column and the reading chosen. The
other mark groups thousands (``1.200`` = 1200 when the decimal mark is the comma).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Reading", "Evidence", "unambiguous_mark", "decide", "parse", "read_numbers",
           "file_evidence", "describe"]


# Cell shapes, after stripping (pyarrow's RE2 syntax; every pattern is anchored).
_SIGN = r"[+-]?"
PLAIN = rf"^{_SIGN}\d+$"
DOT_GROUPS = rf"^{_SIGN}\d{{1,3}}\.\d{{3}}$"      # 1.200: thousands (tr) or decimals (en)
COMMA_GROUPS = rf"^{_SIGN}\d{{1,3}},\d{{3}}$"     # 1,200: thousands (en) or decimals (tr)
# Two groups or more can only be thousands: 2.500.000 is Turkish, 2,500,000 English.
DOT_THOUSANDS = rf"^{_SIGN}\d{{1,3}}(?:\.\d{{3}}){{2,}}$"
COMMA_THOUSANDS = rf"^{_SIGN}\d{{1,3}}(?:,\d{{3}}){{2,}}$"
# Readable only one way (with the *_THOUSANDS patterns).
COMMA_DECIMAL = rf"^{_SIGN}(?:\d{{1,3}}(?:\.\d{{3}})+|\d*),\d+$"
DOT_DECIMAL = rf"^{_SIGN}(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d*)\.\d+(?:[eE]{_SIGN}\d+)?|\d+[eE]{_SIGN}\d+)$"
# What a cell may look like under each mark.
GRAMMAR = {
    ",": rf"^{_SIGN}(?:(?:\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:,\d+)?|,\d+)$",
    ".": rf"^{_SIGN}(?:(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|\.\d+)(?:[eE]{_SIGN}\d+)?$",
}
MARK_NAMES = {",": "decimal comma", ".": "decimal point"}


@dataclass(frozen=True)
class Reading:
    """How a column's numbers were read: the decimal mark and why."""

    mark: str
    reason: str
    ambiguous: bool  # the column held cells that the other mark reads differently
    example: str = ""  # one such cell


@dataclass(frozen=True)
class Evidence:
    """What a whole file says about its decimal mark (see the module docstring, step 4)."""

    mark: str | None
    reason: str


def _match(cells, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    if not len(cells):
        return np.zeros(0, dtype=bool)
    hits = pc.fill_null(pc.match_substring_regex(cells, pattern), False)
    return hits.to_numpy(zero_copy_only=False)


def _with_marks(cells, weights=None):
    """Only the cells that hold a '.' or ',' (the others read the same under either mark),
    with their weights (how many cells each stands for; None: one each)."""
    import pyarrow.compute as pc

    if not len(cells):
        return cells, weights
    keep = pc.fill_null(pc.match_substring_regex(cells, r"[.,]"), False)
    kept = None if weights is None else weights[keep.to_numpy(zero_copy_only=False)]
    return cells.filter(keep), kept


def _counts(marked, weights=None) -> dict[str, int]:
    """How many cells only the comma, only the dot, or either mark (as groups) explains."""
    dot_groups = _match(marked, DOT_GROUPS)
    comma_groups = _match(marked, COMMA_GROUPS)

    def total(mask):
        return int(mask.sum() if weights is None else weights[mask].sum())
    return {
        ",": total((_match(marked, COMMA_DECIMAL) & ~comma_groups)
                   | _match(marked, DOT_THOUSANDS)),
        ".": total((_match(marked, DOT_DECIMAL) & ~dot_groups)
                   | _match(marked, COMMA_THOUSANDS)),
        "dot_groups": total(dot_groups),
        "comma_groups": total(comma_groups),
    }


def unambiguous_mark(cells) -> str | None:
    """The decimal mark that the cells of a text column need, if only one mark explains them.

    ``cells`` is a pyarrow string array (nulls allowed). Returns ``","``, ``"."`` or None
    (no decimals, ambiguous cells only, or both marks used).

    >>> import pyarrow as pa
    >>> unambiguous_mark(pa.array(["1.500,5", "12"])), unambiguous_mark(pa.array(["1.200"]))
    (',', None)
    >>> unambiguous_mark(pa.array(["2.500.000"])), unambiguous_mark(pa.array(["2,500,000"]))
    (',', '.')
    """
    marked, _ = _with_marks(cells)
    if not len(marked):
        return None
    n = _counts(marked)
    if n[","] and not n["."]:
        return ","
    if n["."] and not n[","]:
        return "."
    return None


def decide(cells, given: str | None, whole: bool, evidence, weights=None) -> Reading:
    """The decimal mark of one column of text cells (pyarrow string array).

    ``evidence`` is a callable returning the file's :class:`Evidence` (computed only when a
    column is ambiguous). ``weights`` says how many cells each one stands for when
    ``cells`` are a column's distinct values.

    >>> import pyarrow as pa
    >>> no_evidence = lambda: Evidence(None, '')
    >>> decide(pa.array(['1,5', '2,25']), None, False, no_evidence).mark  # 1 or 2 digits after
    ','
    >>> semicolons = lambda: Evidence(',', "the file is separated by ';'")
    >>> reading = decide(pa.array(['1.200', '2.500']), None, False, semicolons)
    >>> reading.mark, reading.ambiguous
    (',', True)
    """
    if given is not None:
        return Reading(given, "as given", False)
    marked, weights = _with_marks(cells, weights)
    if not len(marked):
        return Reading(".", "no decimals", False)
    n = _counts(marked, weights)
    if n[","] and n["."]:
        # Both kinds of unambiguous cells: the more frequent one wins and the others are
        # reported as not numbers of that kind.
        return Reading("," if n[","] >= n["."] else ".", "the column's most frequent mark", False)
    if n[","] or n["."]:
        return Reading("," if n[","] else ".", "the column's own cells", False)
    if not n["dot_groups"] and not n["comma_groups"]:
        return Reading(".", "no decimals", False)
    hits = _match(marked, DOT_GROUPS) | _match(marked, COMMA_GROUPS)
    example = str(marked[int(np.flatnonzero(hits)[0])].as_py())
    if whole and bool(n["dot_groups"]) != bool(n["comma_groups"]):
        # A whole-number column: only the thousands reading gives whole numbers.
        return Reading("," if n["dot_groups"] else ".", "the column holds whole numbers", True,
                       example)
    found = evidence()
    if found.mark is not None:
        return Reading(found.mark, found.reason, True, example)
    return Reading(".", "nothing else in the file says otherwise", True, example)


def _plain_cast(cells, empty: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The common case, whole columns of plain numbers (no '.' or ','), in one cast; None
    when some cell is not one (the grammar then says which)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(cells, r"[.,]")).as_py():
        return None
    try:
        values = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    finite = np.isfinite(values)
    return np.where(finite, values, np.nan), ~empty & ~finite


def parse(cells, mark: str) -> tuple[np.ndarray, np.ndarray]:
    """Values (float64, NaN where empty or bad) and a mask of bad cells, under ``mark``.

    The other mark groups thousands and is dropped; ``mark`` becomes the decimal point.

    >>> import pyarrow as pa
    >>> values, bad = parse(pa.array(['1.200,50', '3', 'x', None]), ',')
    >>> values.tolist(), bad.tolist()
    ([1200.5, 3.0, nan, nan], [False, False, True, False])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pc.is_null(cells).to_numpy(zero_copy_only=False)
    plain = _plain_cast(cells, empty)
    if plain is not None:
        return plain
    ok = _match(cells, GRAMMAR[mark]) & ~empty
    # "", "+" and "-" pass the grammar's optional parts; a number needs a digit.
    ok &= _match(cells, r"\d")
    thousands = "." if mark == "," else ","
    text = pc.replace_substring(cells, thousands, "")
    if mark == ",":
        text = pc.replace_substring(text, ",", ".")
    text = pc.if_else(pa.array(ok), text, pa.scalar(None, pa.string()))
    try:
        values = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # the grammar let through what Arrow does not parse
        values = pd.to_numeric(pd.Series(text.to_pylist(), dtype=object),
                               errors="coerce").to_numpy(dtype=np.float64)
    values = np.where(np.isfinite(values), values, np.nan)
    bad = ~empty & ~(ok & np.isfinite(values))
    return values, bad


def read_numbers(s: pd.Series, given: str | None = None, whole: bool = False,
                 evidence=None) -> tuple[pd.Series, np.ndarray, Reading]:
    """Parse a column of text cells; returns (float values, bad-cell mask, reading).

    >>> values, bad, reading = read_numbers(pd.Series(['2.500.000', '120.000,50']))
    >>> values.tolist(), reading.mark
    ([2500000.0, 120000.5], ',')
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    cells = pa.array(s.astype("string[pyarrow]"), type=pa.string()) if len(s) else pa.array([], pa.string())
    evidence = evidence or (lambda: Evidence(None, ""))
    # Millions of cells (years, weights) hold few distinct values: each is read once, the
    # decision weighing it by how many cells hold it.
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    encoded = pc.dictionary_encode(cells)
    distinct = encoded.dictionary
    if len(distinct) > len(cells) // 4:
        reading = decide(cells, given, whole, evidence)
        values, bad = parse(cells, reading.mark)
        return pd.Series(values, index=s.index), bad, reading
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    weights = np.bincount(codes[codes >= 0], minlength=len(distinct))
    reading = decide(distinct, given, whole, evidence, weights)
    values, bad = parse(distinct, reading.mark)
    return (pd.Series(np.append(values, np.nan)[codes], index=s.index),
            np.append(bad, False)[codes], reading)


def file_evidence(frame: pd.DataFrame, sep: str | None, encoding: str | None) -> Evidence:
    """The decimal mark a file's other columns, separator or encoding point to.

    >>> frame = pd.DataFrame({'a': ['1,5', '2,25'], 'b': ['x', 'y']})
    >>> file_evidence(frame, ';', None).mark
    ','
    """
    import pyarrow as pa

    votes: dict[str, str] = {}
    for col in frame.columns:
        s = frame[col]
        if s.dtype.kind in "iufb" or isinstance(s.dtype, pd.CategoricalDtype):
            continue
        cells = pa.array(s.astype("string[pyarrow]").str.strip(), type=pa.string())
        mark = unambiguous_mark(cells)
        if mark is not None:
            votes.setdefault(mark, str(col))
    if len(votes) == 1:
        mark, col = next(iter(votes.items()))
        return Evidence(mark, f"column {col!r} of the same file writes decimals with a "
                              f"{'comma' if mark == ',' else 'point'}")
    if sep == ";":
        return Evidence(",", "the file is separated by ';', as Turkish Excel writes it")
    if encoding == "cp1254":
        return Evidence(",", "the file is in Windows-1254, a Turkish Excel export")
    return Evidence(None, "")


def describe(column: str, reading: Reading) -> str:
    """A warning that says how an ambiguous column was read.

    >>> describe("ihracat", Reading(",", "the file is separated by ';'", True, "250.000"))
    "column 'ihracat': '250.000' could mean 250000 or 250; read as 250000 ('.' groups thousands) because the file is separated by ';'; give --decimal to choose"
    """
    cell = reading.example
    as_thousands = float(cell.replace(".", "").replace(",", ""))
    as_decimal = float(cell.replace(",", "."))
    value = {",": as_thousands if "." in cell else as_decimal,
             ".": as_decimal if "." in cell else as_thousands}[reading.mark]
    other = as_decimal if value == as_thousands else as_thousands
    grouping = f"'{'.' if reading.mark == ',' else ','}' groups thousands"
    return (f"column {column!r}: {cell!r} could mean {value:g} or {other:g}; read as {value:g} "
            f"({grouping}) because {reading.reason}; give --decimal to choose")
