"""Writing result tables: on screen, CSV, JSON, Parquet or Excel, always atomically."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from kumenet.errors import KumenetError
from kumenet.files import atomic_path

#: Output formats of result tables, for the CLI's ``--format``.
TABLE_FORMATS = ("table", "csv", "tsv", "json", "parquet", "xlsx")
#: File suffixes and the format each means.
SUFFIXES = {"csv": "csv", "tsv": "tsv", "tab": "tsv", "json": "json", "parquet": "parquet",
            "xlsx": "xlsx", "txt": "table", "md": "table"}


def format_for(path: str | None, fmt: str | None) -> str:
    """The output format: as asked, else from the file's suffix, else ``table``."""
    if fmt:
        return fmt
    if path and path != "-":
        suffix = Path(path).suffix.lower().lstrip(".")
        if suffix in SUFFIXES:
            return SUFFIXES[suffix]
        if suffix:
            raise KumenetError(f"{path}: kumenet does not write .{suffix} files; name it "
                               ".csv, .tsv, .json, .parquet, .xlsx or .txt, or give --format")
        return "csv"
    return "table"


def csv_options(fmt: str, sep: str | None = None, decimal: str | None = None) -> dict:
    """pandas ``to_csv`` options: tabs for tsv; ``sep`` (``tab`` for a tab) and ``decimal``
    as given, a ``;`` separator when the decimal mark is a comma (as Turkish Excel saves)."""
    if fmt == "tsv":
        sep = "tab"
    if sep is None:
        sep = ";" if decimal == "," else ","
    sep = "\t" if sep == "tab" else sep
    if sep == decimal:
        raise KumenetError(f"the separator and the decimal mark cannot both be {sep!r}")
    return {"sep": sep, "decimal": decimal or "."}


def render(tables: dict[str, pd.DataFrame], fmt: str, sep: str | None = None,
           decimal: str | None = None, width: int | None = None,
           lang: str | None = None, headers: bool = True) -> str | bytes:
    """Tables as text (table, csv, tsv, json) or bytes (parquet, xlsx); a screen table
    fits in ``width`` characters when given and, with ``lang``, is written for people in that
    language (headers, known values, the number format: see :func:`screen_values` and :func:`header`; only the
    numbers with ``headers=False``). Files keep their column names and plain numbers:
    scripts read them."""
    if fmt == "table":
        parts = []
        for name, frame in tables.items():
            if lang is not None and headers:
                name = header(name, lang)
            title = "" if len(tables) == 1 else f"== {name} ==\n"
            parts.append(title + _text_table(frame, width, lang or "en", headers))
        return "\n\n".join(parts) + "\n"
    if fmt in ("csv", "tsv"):
        return _long(tables).to_csv(index=False, **csv_options(fmt, sep, decimal))
    if fmt == "json":
        data = {name: json.loads(frame.to_json(orient="records", force_ascii=False))
                for name, frame in tables.items()}
        if len(tables) == 1:
            data = next(iter(data.values()))
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    buffer = io.BytesIO()
    if fmt == "parquet":
        _long(tables).to_parquet(buffer, index=False)
    elif fmt == "xlsx":
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            for name, frame in tables.items():
                frame.to_excel(writer, sheet_name=name[:31], index=False)
                style_sheet(writer.sheets[name[:31]], frame)
    else:
        raise KumenetError(f"unknown output format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    return buffer.getvalue()


YEAR_COLUMNS = ("year", "founded", "first_year", "last_year", "as_of", "split_year")


def style_sheet(ws, frame: pd.DataFrame) -> None:
    """A sheet staff can read at once: a bold, shaded header row that stays in view, columns
    as wide as their contents (up to 60 characters), thousands separators on whole numbers
    (not on years) and two to four decimals on the others."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    bold, shade = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
    for cell in ws[1]:
        cell.font, cell.fill = bold, shade
    for j, col in enumerate(frame.columns, start=1):
        s = frame[col]
        letter = get_column_letter(j)
        longest = s.head(1000).astype(object).map(lambda v: 0 if pd.isna(v) else len(str(v)))
        ws.column_dimensions[letter].width = min(60, max(len(str(col)),
                                                         int(longest.max() if len(s) else 0)) + 2)
        if str(col) in YEAR_COLUMNS and s.dtype.kind in "iuf":
            number_format = "0"
        elif s.dtype.kind in "iu" or (s.dtype.kind == "f" and
                                      bool((s.dropna() % 1 == 0).all()) and s.notna().any()):
            number_format = "#,##0"
        elif s.dtype.kind == "f":
            number_format = "#,##0.00##"
        else:
            continue
        for (cell,) in ws.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=j, max_col=j):
            cell.number_format = number_format


def _long(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Several tables as one: a ``table`` column first when there is more than one."""
    if len(tables) == 1:
        return next(iter(tables.values()))
    return pd.concat([f.assign(table=name)[["table", *f.columns]] for name, f in tables.items()],
                     ignore_index=True)


#: Columns of the screen table whose values are codes or years, not quantities: never grouped.
CODE_COLUMNS = (*YEAR_COLUMNS, "id", "source", "target", "node", "community", "cluster_id")
#: Columns whose values have a name in each language, and the group of
#: :func:`kumenet.messages.term` that names them.
TERM_COLUMNS = {"layer": "layer", "kind": "kind", "target_kind": "kind", "source_kind": "kind",
                "subtype": "subtype", "scope": "scope", "label": "label",
                "label_before": "label", "measure": "measure"}


def screen_values(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame``'s values as people read them in ``lang``: in Turkish layers, kinds,
    subtypes, scopes, labels, yes/no and the overview's measures by their Turkish names;
    other values as they are, the column names unchanged. English is returned as it is.

    >>> t = pd.DataFrame({"layer": ["supply"], "directed": [True], "density": [0.0039]})
    >>> screen_values(t, "tr").to_dict("records")
    [{'layer': 'tedarik', 'directed': 'evet', 'density': 0.0039}]
    """
    from kumenet.messages import terms

    if lang == "en":
        return frame
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype.kind == "b":
            out[col] = terms("bool", s.map(str), lang)
        elif col in TERM_COLUMNS:
            out[col] = terms(TERM_COLUMNS[col], s, lang)
    if "section" in out.columns and "value" in out.columns and out["section"].nunique() == 1:
        section = out["section"].iloc[0]
        if section in TERM_COLUMNS:
            out["value"] = terms(TERM_COLUMNS[section], out["value"], lang)
        out["section"] = header(section, lang)
    return out


def header(column, lang: str) -> str:
    """A column's header on the screen in ``lang``: the catalogue's ``screen.*``, ``col.*``,
    ``criterion.*`` or ``indicator.*`` name in Turkish, the column's own name otherwise (and
    always in English).

    >>> header("first_year", "tr"), header("measure", "tr"), header("first_year", "en")
    ('ilk yıl', 'ölçü', 'first_year')
    """
    from kumenet.messages import MESSAGES, text

    if lang == "en" or not isinstance(column, str):
        return column
    for key in (f"screen.{column}", f"col.{column}", f"criterion.{column}",
                f"indicator.{column}"):
        if MESSAGES.get(key, ("", ""))[0]:
            return text(key, lang)
    return column


def _text_table(frame: pd.DataFrame, width: int | None = None, lang: str = "en",
                headers: bool = True) -> str:
    """A table for the screen: text left-aligned, numbers right-aligned and written the
    ``lang`` way (``20.038`` and ``0,716`` in Turkish; years and ids ungrouped), the headers
    in ``lang`` unless ``headers=False`` and, given a ``width`` (the terminal's), the widest
    text columns cut with an ellipsis to fit it."""
    if frame.empty:
        return "(satır yok)" if lang == "tr" else "(no rows)"
    years = None  # rows whose value is a year: the overview's first and last, info's years
    if "value" in frame and "measure" in frame:
        years = frame["measure"].astype(str).str.contains(r"(?:^|\s)(?:year|yıl)$")
    elif "value" in frame and "section" in frame:
        years = frame["section"].astype(str).eq("year")
    if headers:
        frame = screen_values(frame, lang)
    columns, numeric = [], []
    for col in frame.columns:
        s = frame[col]
        is_number = s.dtype.kind in "iuf"
        if is_number and (col in CODE_COLUMNS or str(col).endswith("_id")):
            cells = s.astype(object).where(s.notna(), "").map(str)
        elif is_number:
            cells = _numbers(s, lang)
            if years is not None and col == "value":
                cells = cells.where(~years, s.astype(object).map(str))
        else:
            cells = s.astype(object).where(s.notna(), "").map(str)
        columns.append([str(header(col, lang) if headers else col), *cells.tolist()])
        numeric.append(is_number)
    widths = [max(len(c) for c in cells) for cells in columns]
    if width:
        room = width - 2 * (len(widths) - 1)
        while sum(widths) > room:
            text = [j for j, w in enumerate(widths) if not numeric[j] and w > 12]
            if not text:
                break
            j = max(text, key=lambda k: widths[k])
            widths[j] = max(12, widths[j] - (sum(widths) - room))
    lines = []
    for i in range(len(columns[0])):
        row = []
        for cells, w, is_number in zip(columns, widths, numeric):
            cell = cells[i]
            if len(cell) > w:
                cell = cell[: w - 1] + "\u2026"
            row.append(cell.rjust(w) if is_number else cell.ljust(w))
        lines.append("  ".join(row).rstrip())
    return "\n".join(lines)


def _numbers(s: pd.Series, lang: str) -> pd.Series:
    """Numbers for the screen (see :func:`_number`), each distinct value written once."""
    from kumenet.text import map_distinct

    return map_distinct(s.astype(object), lambda x: _number(x, lang)).fillna("")


def _number(x, lang: str = "en") -> str:
    """A number for the screen: whole numbers with thousands separators, others with four
    significant digits, and never fewer decimals than a fraction needs to show (1,250.5;
    ``1.250,5`` in Turkish).

    >>> _number(20038, "tr"), _number(0.71634, "tr"), _number(1250.5, "en"), _number(2e-05, "tr")
    ('20.038', '0,7163', '1,250.5', '2e-05')
    """
    if pd.isna(x):
        return ""
    if float(x).is_integer():
        out = f"{x:,.0f}"
    elif abs(x) >= 1000:
        out = f"{x:,.2f}".rstrip("0").rstrip(".")
    else:
        out = f"{x:.4g}"
    if lang == "tr":
        out = out.translate(_TURKISH_MARKS)
    return out


_TURKISH_MARKS = str.maketrans({",": ".", ".": ","})


#: Rows written at a time to Parquet and CSV files (one step of the progress bar).
WRITE_CHUNK = 500_000


def _used_values(table):
    """The slice with each dictionary column holding only the values its rows use: Parquet
    stores a row group's dictionary with it, and a categorical of a million firm names would
    be written whole into every row group (10 million suggestions: 21.8 s)."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            column = table.column(i).combine_chunks()
            if len(column.dictionary) > len(column):
                # The codes the rows use, marked in a table of the dictionary's size (no
                # string is hashed, nothing sorted), and their new numbers.
                known = ~np.asarray(column.indices.is_null())
                codes = column.indices.fill_null(0).to_numpy(zero_copy_only=False)
                mark = np.zeros(len(column.dictionary), dtype=bool)
                mark[codes[known]] = True
                used = np.flatnonzero(mark)
                renumber = np.cumsum(mark, dtype=np.int64) - 1
                indices = pa.array(renumber[codes], mask=~known).cast(field.type.index_type)
                compact = pa.DictionaryArray.from_arrays(indices, column.dictionary.take(used))
                table = table.set_column(i, field, compact)
    return table


def write_tables(tables: dict[str, pd.DataFrame] | pd.DataFrame, output: str | None,
                 fmt: str | None = None, progress=None, sep: str | None = None,
                 decimal: str | None = None, lang: str | None = None,
                 headers: bool = True) -> None:
    """Write result tables to ``output`` (a file, atomically) or to standard output.

    Parquet and CSV files are written ``WRITE_CHUNK`` rows at a time, through ``progress``
    (a wrapper of an iterable, such as a progress bar) when given. ``sep`` (``,``, ``;`` or
    ``tab``) and ``decimal`` shape CSV output (see :func:`csv_options`); ``lang`` writes a
    screen table for people in that language (see :func:`render`; ``headers=False`` keeps the
    column names).
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"result": tables}
    fmt = format_for(output, fmt)
    if fmt not in TABLE_FORMATS:
        raise KumenetError(f"unknown output format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    if fmt in ("parquet", "csv", "tsv") and output not in (None, "-"):  # straight to the file
        frame = _long(tables)
        options = csv_options(fmt, sep, decimal) if fmt != "parquet" else {}
        starts = range(0, max(len(frame), 1), WRITE_CHUNK)
        with atomic_path(Path(output)) as tmp:
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                # zstd: smaller than snappy for the reasons' text. Parquet's own dictionaries
                # only for the categorical columns (tried on mostly distinct reasons and
                # scores they cost time and bytes) and no min/max of free text: 10 million
                # suggestions took 9.4 s and 396 MB, now 6.6 s and 289 MB.
                text = [f.name for f in table.schema
                        if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
                with pq.ParquetWriter(
                        tmp, table.schema, compression="zstd",
                        use_dictionary=[f.name for f in table.schema
                                        if pa.types.is_dictionary(f.type)],
                        write_statistics=[c for c in table.column_names if c not in text]
                ) as writer:
                    for start in (progress(starts) if progress else starts):
                        writer.write_table(_used_values(table.slice(start, WRITE_CHUNK)))
            else:  # a BOM, so that Excel shows Turkish letters in CSV files right
                with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                    for start in (progress(starts) if progress else starts):
                        frame.iloc[start:start + WRITE_CHUNK].to_csv(fh, index=False,
                                                                      header=start == 0,
                                                                      **options)
        return
    width = None
    if fmt == "table" and output in (None, "-") and sys.stdout.isatty():
        import shutil

        width = shutil.get_terminal_size().columns
    body = render(tables, fmt, sep, decimal, width, lang, headers)
    if output in (None, "-"):
        if isinstance(body, bytes):
            raise KumenetError(f"{fmt} output is binary; give a file with -o")
        sys.stdout.write(body)
        return
    path = Path(output)
    with atomic_path(path) as tmp:
        if isinstance(body, bytes):
            tmp.write_bytes(body)
        else:  # a BOM, so that Excel shows Turkish letters in CSV files right
            tmp.write_text(body, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
