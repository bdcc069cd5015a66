"""Reading CSV files safely: what kumenet refuses, and how it decodes what it accepts.

Every input file costs time and memory in proportion to its size, whatever it holds:

- only regular files are read (a FIFO, ``/dev/zero`` or a socket named ``nodes.csv`` is
  refused instead of blocking or filling memory);
- a ``.gz`` file may decompress to at most :data:`INFLATE_FLOOR` plus :data:`INFLATE_RATIO`
  times its own size (real CSV compresses 5-20 times; a "gzip bomb" far more);
- a table has at most :data:`MAX_COLUMNS` columns;
- bytes are decoded as the user says (``--encoding``), else as UTF-8 (with or without BOM)
  when they are UTF-8, else as Windows-1254; bytes that fit neither are reported with their
  line, and a file that mixes UTF-8 with another encoding is refused rather than misread.

Line numbers for messages are found only when a message needs them, in chunks, so a file of
blank lines costs no memory for them.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import mmap
import os
import stat
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from kumenet.errors import InputDataError, Problem, clip

__all__ = ["check_regular_file", "inflate_limit", "file_bytes", "position", "decode", "header",
           "data_lines", "LazyLines", "parse_error", "read_csv_frame"]


#: Most columns a table may have (a wrong separator or a damaged file gives thousands).
MAX_COLUMNS = 1_000
#: A ``.gz`` file may decompress to INFLATE_FLOOR + INFLATE_RATIO x its size, no more.
INFLATE_RATIO = 100
INFLATE_FLOOR = 64 << 20
#: The header must end within this many bytes.
MAX_HEADER_BYTES = 1 << 20
SEPARATORS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
_CHUNK = 8 << 20


def _fail(label: str, message: str, line: int | None = None) -> InputDataError:
    return InputDataError([Problem(label, line, None, None, message)])


def check_regular_file(path: Path, label: str | None = None) -> int:
    """The size of ``path``; refuses what is missing, unreadable or not a regular file.

    >>> check_regular_file(Path('sample_networks/pilot/edges.csv')) > 0
    True
    """
    label = label or str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError as err:
        raise _fail(label, "no such file") from err
    except OSError as err:  # a name too long, a loop of links, no permission, ...
        raise _fail(label, f"cannot be read: {err.strerror or err}") from err
    if not stat.S_ISREG(info.st_mode):
        what = ("a named pipe" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else
                "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file")
        raise _fail(label, f"is {what}, not a regular file; kumenet reads regular files only")
    return info.st_size


def inflate_limit(compressed: int) -> int:
    """How many bytes a compressed file of ``compressed`` bytes may decompress to.

    >>> extra = inflate_limit(1000) - inflate_limit(0)
    >>> inflate_limit(0) == INFLATE_FLOOR, extra == 1000 * INFLATE_RATIO
    (True, True)
    """
    return INFLATE_FLOOR + INFLATE_RATIO * compressed


def file_bytes(path: Path, label: str | None = None):
    r"""The bytes of a file (memory-mapped), decompressed when its name ends in ``.gz``.

    >>> data = file_bytes(Path('sample_networks/pilot/edges.csv'))
    >>> bytes(data[:12])
    b'\xef\xbb\xbf"source",'
    """
    label = label or str(path)
    size = check_regular_file(path, label)
    try:
        with open(path, "rb") as fh:
            if path.name.lower().endswith(".gz"):
                return _gunzip(fh, size, label)
            if size == 0:
                return b""
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except InputDataError:
        raise
    except (OSError, EOFError, zlib.error) as err:
        if path.name.lower().endswith(".gz"):
            raise _fail(label, f"is not a readable gzip file ({err})") from err
        raise _fail(label, f"cannot be read: {getattr(err, 'strerror', None) or err}") from err


def _gunzip(fh, size: int, label: str) -> bytes:
    limit = inflate_limit(size)
    out = bytearray()
    with gzip.GzipFile(fileobj=fh) as gz:
        while True:
            chunk = gz.read(_CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > limit:
                raise _fail(label, f"decompresses to more than {limit / 2**20:,.0f} MiB "
                                   f"({INFLATE_RATIO} times its size and more); kumenet refuses "
                                   "it as a damaged file or a decompression bomb")
    return bytes(out)


def position(data, offset: int) -> tuple[int, int]:
    r"""The 1-based line and byte-in-line of ``offset`` in ``data``.

    >>> position(b'id,name\nF1,Isik\n', 10)
    (2, 3)
    """
    arr = np.frombuffer(data, dtype=np.uint8, count=offset)
    newlines = np.flatnonzero(arr == 10)
    line = len(newlines) + 1
    start = int(newlines[-1]) + 1 if len(newlines) else 0
    return line, offset - start + 1


def _is_ascii(data) -> bool:
    arr = np.frombuffer(data, dtype=np.uint8)
    return not len(arr) or int(arr.max()) < 0x80


def _utf8_error(data) -> UnicodeDecodeError | None:
    """The first UTF-8 error of ``data``, or None (checked in C by Arrow, then located)."""
    import pyarrow as pa

    if _is_ascii(data):
        return None
    buf = pa.py_buffer(data)
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    try:
        pa.LargeStringArray.from_buffers(1, offsets, buf).validate(full=True)
        return None
    except pa.ArrowInvalid:
        pass
    try:
        bytes(data).decode("utf-8")
    except UnicodeDecodeError as err:
        return err
    return None


def decode(data, label: str, encoding: str | None) -> tuple[bytes, str]:
    r"""``data`` as UTF-8 bytes and the name of the encoding it was read in.

    >>> decode('ad;il\nIşık;Çorum\n'.encode('cp1254'), 'x.csv', None)[1]
    'cp1254'
    >>> decode('ad;il\n'.encode('utf-8'), 'x.csv', None)[1]
    'utf-8'
    """
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except LookupError as err:
            raise _fail(label, f"unknown encoding {clip(encoding)}; use utf-8 or cp1254 "
                               "(Windows Turkish)") from err
        if not getattr(info, "_is_text_encoding", True):
            raise _fail(label, f"{clip(encoding)} is not a text encoding; use utf-8 or cp1254")
        name = info.name
    else:
        name = None
    if name in (None, "utf-8", "utf-8-sig"):
        err = _utf8_error(data)
        if err is None:
            return data, "utf-8"
        if name is not None or not _is_ascii(memoryview(data)[:err.start]):
            line, col = position(data, err.start)
            what = ("is not valid UTF-8" if name is not None else
                    "mixes encodings: it starts as UTF-8 but this byte is not UTF-8")
            raise _fail(label, f"byte {data[err.start]:#04x} at character {col} {what}; save "
                               "the file as UTF-8 (or give --encoding)", line)
        name = "cp1254"
    try:
        text = bytes(data).decode(name)
    except UnicodeError as err:
        start = getattr(err, "start", None)
        where = None
        hint = f"cannot be decoded as {name}"
        if start is not None:
            where, col = position(data, start)
            hint = f"byte {data[start]:#04x} at character {col} is neither UTF-8 nor " \
                   "Windows-1254" if encoding is None else \
                   f"byte {data[start]:#04x} at character {col} is not {name}"
        raise _fail(label, f"{hint}; save the file as UTF-8 or give the right --encoding",
                    where) from err
    _check_text(text, data, label, name)
    return text.lstrip("\ufeff").encode("utf-8"), name


def _check_text(text: str, data, label: str, name: str) -> None:
    """Refuse a decoding that gives no text: UTF-16 read from a one-byte file decodes without
    error, but into one line of unrelated characters."""
    import unicodedata

    lost_lines = b"\n" in bytes(memoryview(data)[:1 << 16]) and "\n" not in text[:1 << 16]
    sample = text[:4096]
    odd = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
              and ch not in "\t\r\n")
    if lost_lines or (sample and odd > max(2, len(sample) // 100)):
        raise _fail(label, f"read as {name}, the file does not look like text (no line breaks, "
                           "or unreadable characters); check --encoding")


def header(data, label: str, sep: str | None) -> tuple[str, list[str]]:
    r"""The separator and the header fields (the first record) of UTF-8 CSV ``data``.

    >>> header(b'id;ad;il\nF1;a;Samsun\n', 'x.csv', None)
    (';', ['id', 'ad', 'il'])
    """
    head = bytes(memoryview(data)[:MAX_HEADER_BYTES]).decode("utf-8", "replace").lstrip("\ufeff")
    lines = head.lstrip("\r\n").split("\n", 1)
    first = lines[0].rstrip("\r")
    if not first.strip():
        raise _fail(label, "the file is empty (no header line)")
    if len(lines) == 1 and len(data) > MAX_HEADER_BYTES:
        raise _fail(label, f"the header line is longer than {MAX_HEADER_BYTES >> 20} MiB", 1)
    if sep is None:
        counts = {s: first.count(s) for s in (";", ",", "\t")}
        sep = max(counts, key=counts.get) if max(counts.values()) else ","
    else:
        sep = SEPARATORS.get(sep, sep)
    csv.field_size_limit(max(csv.field_size_limit(), len(head) + 1))
    try:
        fields = next(csv.reader(io.StringIO(head, newline=""), delimiter=sep), [])
    except csv.Error as err:
        raise _fail(label, f"the header line is not valid CSV ({err})", 1) from err
    if len(fields) > MAX_COLUMNS:
        raise _fail(label, f"has {len(fields):,} columns; kumenet reads at most {MAX_COLUMNS:,} "
                           f"(is the separator {sep!r} right?)", 1)
    return sep, fields


def _given_sep(data, label: str, sep: str | None, look: int = 50) -> str | None:
    """``sep``, unless it splits none of the file's first lines while another separator
    does: then None (detect), said in a warning. ``--sep ';'`` asks for a Turkish Excel CSV
    to be written; a comma file read with it would be one column."""
    if sep is None:
        return None
    given = SEPARATORS.get(sep, sep)
    head = bytes(memoryview(data)[:MAX_HEADER_BYTES]).decode("utf-8", "replace")
    lines = [line.rstrip("\r").lstrip("\ufeff") for line in head.split("\n")[:look]]

    def splits(s):
        return any(sum(1 for f in _fields(line, s) if f.strip()) >= 2 for line in lines)

    if splits(given):
        return sep
    other = next((s for s in (";", ",", "\t") if s != given and splits(s)), None)
    if other is None:
        return sep
    import warnings

    shown_other = "tab" if other == "\t" else other
    warnings.warn(f"{label}: the separator {sep!r} given splits none of its lines; read with "
                  f"{shown_other!r}, as the file shows (--sep still shapes the CSV written)",
                  stacklevel=4)
    return None


def _skip_title(data, label: str, sep: str | None, look: int = 50) -> tuple[object, int]:
    """``data`` from its header on, and how many lines came before it.

    A spreadsheet saved as CSV often starts with a title ("Firma Listesi;;;") and blank
    rows; every table of the contract has two columns at least, so lines of one value at
    most above the first line of two are a title, skipped with a note naming the header's
    line. Nothing is copied when the file starts with its header.
    """
    head = bytes(memoryview(data)[:MAX_HEADER_BYTES]).decode("utf-8", "replace")
    seps = [SEPARATORS.get(sep, sep)] if sep else [";", ",", "\t"]
    offset, titles = 0, []
    for number, line in enumerate(head.split("\n")[:look]):
        text = line.rstrip("\r").lstrip("\ufeff")
        filled = max(sum(1 for f in _fields(text, s) if f.strip()) for s in seps)
        if filled >= 2:
            if number == 0:
                return data, 0
            if titles:
                warnings.warn(f"{label}: header on line {number + 1}; the line"
                              f"{'s' * (len(titles) > 1)} above it ({', '.join(titles[:3])}) "
                              "skipped as a title", stacklevel=4)
            return bytes(memoryview(data)[offset:]), number
        if text.strip(" ;,\t"):
            titles.append(clip(text.strip(" ;,\t"), 40))
        offset += len(line.encode("utf-8", "replace")) + 1
    return data, 0  # no line of two values near the top: read as it is


def _fields(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep), [])
    except csv.Error:
        return line.split(sep)


def _has_rows(data) -> bool:
    """Whether anything but blank space follows the header line (scanned in chunks)."""
    view, blank = memoryview(data), b" \t\r\n"

    def first_filled(start: int) -> int:
        for at in range(start, len(data), _CHUNK):
            chunk = bytes(view[at:at + _CHUNK])
            rest = chunk.lstrip(blank)
            if rest:
                return at + len(chunk) - len(rest)
        return -1

    head = first_filled(0)
    end = data.find(b"\n", head) if head >= 0 else -1
    return end >= 0 and first_filled(end + 1) >= 0


def data_lines(data) -> np.ndarray:
    r"""Line numbers of the non-blank lines after the header, found chunk by chunk.

    >>> data_lines(b'id,name\nF1,a\n\nF2,b\n').tolist()
    [2, 4]
    """
    found, line, carry = [], 0, 0  # carry: length so far of the line that spans chunks
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        arr = np.frombuffer(view[start:start + _CHUNK], dtype=np.uint8)
        ends = np.flatnonzero(arr == 10)
        if not len(ends):
            carry += len(arr)
            continue
        starts = np.concatenate([[0], ends[:-1] + 1])
        length = ends - starts
        length[0] += carry
        cr = np.zeros(len(ends), dtype=bool)
        nz = ends > 0
        cr[nz] = arr[ends[nz] - 1] == 13
        if not nz[0] and carry:  # a '\r' at the end of the previous chunk
            cr[0] = view[start - 1] == 13
        blank = (length - cr) == 0
        found.append(np.flatnonzero(~blank) + line + 1)
        line += len(ends)
        carry = len(arr) - int(ends[-1]) - 1
    if carry:
        found.append(np.array([line + 1]))
    numbers = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return numbers[1:]  # the first non-blank line is the header


class LazyLines:
    """Row -> line numbers, computed from the file only when a message needs them.

    ``rows`` maps the rows kept to the file's data rows (rows left out, such as empty ones,
    keep their line numbers out of the way).
    """

    def __init__(self, compute: Callable[[], np.ndarray], n_file_rows: int,
                 rows: np.ndarray | None = None):
        self._compute, self._n, self._rows, self._lines = compute, n_file_rows, rows, None

    def __getitem__(self, i):
        if self._lines is None:
            lines = self._compute()
            lines = lines if len(lines) == self._n else np.arange(2, self._n + 2)
            self._lines = lines if self._rows is None else lines[self._rows]
        return self._lines[i]

    def __len__(self):
        return self._n if self._rows is None else len(self._rows)


def parse_error(data, label: str, sep: str, expected: int, err) -> InputDataError:
    r"""Find the line of a CSV syntax error (only on the error path).

    >>> data = b'id,name\nF1,"unclosed\nF2,b\n'
    >>> print(parse_error(data, 'x.csv', ',', 2, ValueError('EOF inside string')))
    1 problem in the input:
      x.csv: is not valid CSV: EOF inside string
    """
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    text = io.TextIOWrapper(io.BytesIO(bytes(data)), encoding="utf-8", errors="replace",
                            newline="")
    reader = csv.reader(text, delimiter=sep)
    try:
        next(reader, None)
        for row in reader:
            if row and len(row) != expected:
                return InputDataError([Problem(
                    label, reader.line_num, None, None,
                    f"has {len(row)} fields where the header has {expected}; check the "
                    f"separator ({sep!r}) and quotes")])
    except csv.Error as csv_err:
        return InputDataError([Problem(label, reader.line_num, None, None,
                                       f"is not valid CSV: {csv_err}")])
    return InputDataError([Problem(label, None, None, None,
                                   f"is not valid CSV: {clip(str(err), 200, quote=False)}")])


def read_csv_frame(path: Path, label: str, sep: str | None, encoding: str | None):
    """A CSV file as a DataFrame of text cells with its line numbers, sep and encoding.

    Rows whose cells are all empty (what spreadsheets export below the data) are left out.

    >>> path = Path('sample_networks/pilot/nodes.csv')
    >>> frame, lines, sep, encoding = read_csv_frame(path, 'nodes.csv', None, None)
    >>> len(frame), int(lines[0]), sep, encoding
    (757, 2, ',', 'utf-8')
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    raw = file_bytes(path, label)
    data, enc = decode(raw, label, encoding)
    sep = _given_sep(data, label, sep)
    data, above = _skip_title(data, label, sep)
    sep, names = header(data, label, sep)
    if not names or not any(n.strip() for n in names):
        raise _fail(label, "the file is empty (no header line)")
    generated = [f"f{i}" for i in range(len(names))]
    if not _has_rows(data):
        # A header and nothing else (Arrow cannot skip the only row).
        import pandas as pd

        frame = pd.DataFrame({g: pd.Series([], dtype="str") for g in generated})
        frame.columns = names
        return frame, LazyLines(lambda: np.zeros(0, dtype=np.int64), 0), sep, enc
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pacsv.ReadOptions(column_names=generated, skip_rows=1,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={g: pa.string() for g in generated}, strings_can_be_null=True,
                quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
        raise parse_error(data, label, sep, len(names), err) from err
    n_rows = table.num_rows
    empty = None
    for col in table.columns:
        null = pc.is_null(col)
        empty = null if empty is None else pc.and_(empty, null)
    rows = None
    if empty is not None and n_rows and pc.any(empty).as_py():
        keep = ~empty.to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(keep)
        table = table.filter(pa.array(keep))
    frame = table.to_pandas()
    frame.columns = names
    return frame, LazyLines(lambda: data_lines(data) + above, n_rows, rows), sep, enc
