"""Dates as people keep them: Excel date cells, ``15.03.2019`` (Turkish ``gg.aa.yyyy``),
``15/03/2019``, ``2019-03-15`` (ISO), with or without a time.

A column of dates is read as dates: a founding date or a tie's date gives its year (the
contract's ``founded`` and ``year`` are years), any other column stays a date column. Day
and month are told apart by the column's own evidence: a first number above 12 can only be a
day (``15/03/2019``), a second above 12 only a day in the American order (``03/15/2019``);
a column where nothing tells is read day first, as Turkish offices write, and that is said.
Everything is decided once per distinct value, never per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["DateReading", "typed_dates", "read_dates", "shown_date", "as_date_column",
           "is_date_column"]


# (name shown to people, pattern of a cell): three numbers, then an optional time.
_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
TEXT_FORMATS = (
    ("gg.aa.yyyy", rf"^(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_TIME}$"),
    ("gg/aa/yyyy", rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}){_TIME}$"),
    ("gg-aa-yyyy", rf"^(\d{{1,2}})-(\d{{1,2}})-(\d{{4}}){_TIME}$"),
    ("yyyy-aa-gg", rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$"),
)
_SHAPED = r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"  # what every format begins with


@dataclass(frozen=True)
class DateReading:
    """A column's dates: ``values`` (datetime64, NaT where a value is not a date) at each
    distinct value looked at, which were written or typed as dates, which of those exist
    (not 31.02.2019), and how they were read."""

    values: pd.Series
    is_date: np.ndarray
    valid: np.ndarray
    how: str  # "date cells", "gg.aa.yyyy", "aa/gg/yyyy, yyyy-aa-gg", ...
    guessed: bool = False  # day and month could be either way round: day first was taken

    def said(self) -> str:
        """The reading in words, for a warning."""
        return self.how + (" (day first: no number above 12 told the order)" if self.guessed
                           else "")

    @property
    def has_time(self) -> bool:
        v = self.values[self.valid]
        return bool(len(v)) and bool((v != v.dt.normalize()).any())


def typed_dates(values: pd.Series) -> np.ndarray:
    """Which values are typed dates (Excel date cells, Parquet dates and timestamps).

    >>> cells = pd.Series([pd.Timestamp('2019-03-15'), '15.03.2019', None], dtype=object)
    >>> typed_dates(cells).tolist()
    [True, False, False]
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype) or values.dtype.kind == "M":
        return values.notna().to_numpy()
    if values.dtype != object:
        return np.zeros(len(values), dtype=bool)
    kind = pd.api.types.infer_dtype(values, skipna=True)  # one pass in C
    if kind in ("date", "datetime", "datetime64"):
        return values.notna().to_numpy()
    if kind in ("string", "empty", "integer", "floating", "mixed-integer-float", "boolean"):
        return np.zeros(len(values), dtype=bool)
    return values.map(lambda v: isinstance(v, (dt.date, np.datetime64))).to_numpy(dtype=bool)


def read_dates(values: pd.Series, every: bool = False) -> DateReading | None:
    """The dates among ``values`` (a column's distinct values: typed, or text stripped with
    missing as NA), or None when none is a date (``every``: when any filled value is not).

    >>> r = read_dates(pd.Series(["15.03.2019", "1998", "01/02/2003"], dtype=object))
    >>> r.how, r.is_date.tolist(), r.values.dt.month.tolist()
    ('gg.aa.yyyy, gg/aa/yyyy', [True, False, True], [3.0, nan, 2.0])
    >>> read_dates(pd.Series(["03/15/2019"], dtype=object)).how
    'aa/gg/yyyy'
    >>> read_dates(pd.Series(["01.02.2003"], dtype=object)).said()
    'gg.aa.yyyy (day first: no number above 12 told the order)'
    """
    filled = values.notna().to_numpy()
    typed = typed_dates(values)
    if typed.any():
        cells = _typed(values, typed)
        rest = filled & ~typed
        if not rest.any():
            return cells
        text = values.where(rest, None).map(lambda v: v if isinstance(v, str) else None)
        written = read_dates(text.astype(object), every=False)
        if written is None:
            return None if every else cells
        if every and not (typed | written.is_date)[filled].all():
            return None
        both = np.where(typed, cells.values.to_numpy(), written.values.to_numpy())
        return DateReading(pd.Series(both, index=values.index), typed | written.is_date,
                           cells.valid | written.valid, f"{cells.how}, {written.how}",
                           written.guessed)
    if values.dtype.kind in "iufbM" or not filled.any():
        return None
    text = values.astype("string[pyarrow]")
    # One cheap look at every value first: most columns hold no date at all.
    shaped = text.str.match(_SHAPED, na=False).to_numpy(dtype=bool)
    if not shaped.any() or (every and not shaped[filled].all()):
        return None
    # Each value in the first format it fits: (a, b, year, hour, minute, second), a and b
    # the day and month in an order decided below (ISO dates have theirs).
    numbers = np.full((len(values), 6), np.nan)
    iso = np.zeros(len(values), dtype=bool)
    found = np.zeros(len(values), dtype=bool)
    names = []
    for name, pattern in TEXT_FORMATS:
        todo = np.flatnonzero(shaped & ~found)
        if not len(todo):
            break
        parts = text.iloc[todo].str.extract(pattern).apply(pd.to_numeric, errors="coerce")
        hit = parts[0].notna().to_numpy()
        if not hit.any():
            continue
        names.append(name)
        rows, cells = todo[hit], parts.to_numpy(dtype=np.float64)[hit]
        if name.startswith("yyyy"):
            cells = cells[:, [2, 1, 0, 3, 4, 5]]
            iso[rows] = True
        numbers[rows] = cells
        found[rows] = True
    if not found.any() or (every and not found[filled].all()):
        return None
    return _from_numbers(numbers, found, iso, names, values.index)


def _typed(values: pd.Series, typed: np.ndarray) -> DateReading:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        stamps = values.dt.tz_localize(None)  # the local date and time as written
    elif values.dtype.kind == "M":
        stamps = values
    else:
        cells = values.where(typed, None)
        cells = cells.map(lambda v: v.replace(tzinfo=None)
                          if isinstance(v, dt.datetime) and v.tzinfo else v)
        stamps = pd.to_datetime(cells, errors="coerce")
    stamps = pd.Series(stamps.to_numpy(dtype="datetime64[us]"), index=values.index)
    return DateReading(stamps, typed, typed & stamps.notna().to_numpy(), "date cells")


def _from_numbers(numbers: np.ndarray, found: np.ndarray, iso: np.ndarray, names: list,
                  index) -> DateReading:
    a, b, year = numbers[:, 0], numbers[:, 1], numbers[:, 2]
    written = found & ~iso  # day and month in an order the column must tell
    day_first = bool((np.nan_to_num(a[written]) > 12).any())
    month_first = bool((np.nan_to_num(b[written]) > 12).any())
    swap = written & month_first & (not day_first)
    day, month = np.where(swap, b, a), np.where(swap, a, b)
    if swap.any():
        names = [n if n.startswith("yyyy") else
                 n.replace("gg", "§").replace("aa", "gg").replace("§", "aa") for n in names]
    guessed = bool(written.any()) and not day_first and not month_first
    hour, minute, sec = (np.nan_to_num(numbers[:, i]) for i in (3, 4, 5))
    ok = found & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31) & (hour < 24) & \
        (minute < 60) & (sec < 60)
    frame = pd.DataFrame({"year": np.where(ok, year, 2000), "month": np.where(ok, month, 1),
                          "day": np.where(ok, day, 1), "hour": np.where(ok, hour, 0),
                          "minute": np.where(ok, minute, 0), "second": np.where(ok, sec, 0)})
    stamps = pd.to_datetime(frame, errors="coerce")  # 31.02.2019 does not exist: NaT
    stamps = pd.Series(stamps.to_numpy(dtype="datetime64[us]"), index=index).where(ok)
    return DateReading(stamps, found, ok & stamps.notna().to_numpy(), ", ".join(names),
                       guessed)


def shown_date(value) -> str:
    """A date cell as people wrote it: text as it is, a typed date as ``2019-03-15`` (with
    its time only when it has one).

    >>> [shown_date(v) for v in (pd.Timestamp('2019-03-15'), pd.Timestamp('2019-03-15 10:30'),
    ...                         '15.03.2019')]
    ['2019-03-15', '2019-03-15 10:30:00', '15.03.2019']
    """
    if isinstance(value, str):
        return value
    stamp = pd.Timestamp(value)
    return str(stamp.date()) if stamp == stamp.normalize() else str(stamp)


def as_date_column(stamps: pd.Series, has_time: bool) -> pd.Series:
    """Dates as a column kumenet keeps: Arrow ``date32`` (Parquet and SQL type ``date``)
    when no value has a time of day, timestamps otherwise.

    >>> stamps = pd.Series(pd.to_datetime(['2019-03-15', '2020-01-02']))
    >>> str(as_date_column(stamps, False).dtype)
    'date32[day][pyarrow]'
    """
    import pyarrow as pa

    if has_time:
        return stamps.astype("datetime64[us]")
    days = pa.array(stamps.to_numpy(dtype="datetime64[D]"), type=pa.date32(), from_pandas=True)
    return pd.Series(pd.arrays.ArrowExtensionArray(days), index=stamps.index)


def is_date_column(s: pd.Series) -> bool:
    """Whether a table column holds dates (Arrow dates, or timestamps).

    >>> days = as_date_column(pd.Series(pd.to_datetime(['2019-03-15'])), False)
    >>> is_date_column(days), is_date_column(pd.Series(['2019-03-15']))
    (True, False)
    """
    import pyarrow as pa

    dtype = s.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return pa.types.is_date(dtype.pyarrow_dtype) or pa.types.is_timestamp(dtype.pyarrow_dtype)
    return isinstance(dtype, pd.DatetimeTZDtype) or dtype.kind == "M"
