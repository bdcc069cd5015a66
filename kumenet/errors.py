"""Exceptions raised by kumenet.

Every error a user can cause is a :class:`KumenetError`; the command line turns it into
``Error: ...`` and exit code 1. Problems in input files are collected into one
:class:`InputDataError` that points at the file, line and column of each problem.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS = 20
#: Characters of a cell quoted in a message; the rest is summarised.
MAX_QUOTE = 80


def clip(text: str, limit: int = MAX_QUOTE, quote: bool = True) -> str:
    """``text`` for a message: quoted (``repr``) and cut to about ``limit`` characters.

    >>> clip("x" * 1000)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1,000 characters)"
    """
    text = str(text)
    short = text if len(text) <= limit else text[:limit] + "…"
    shown = repr(short) if quote else short
    return shown if len(text) <= limit else f"{shown} ({len(text):,} characters)"


def shown(path) -> str:
    """A path as text that any terminal can print.

    File names that are not valid UTF-8 reach Python as lone surrogates, which cannot be
    written to a UTF-8 stream; they are shown as the replacement character.
    """
    text = str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class KumenetError(Exception):
    """Base class of every error kumenet raises on purpose."""


class InputDataError(KumenetError):
    """The input data break the contract; ``problems`` says where and how.

    Parameters
    ----------
    problems : list of Problem
        Every problem found (the message shows the first 20).
    """

    def __init__(self, problems: list["Problem"]):
        order = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in problems))}
        self.problems = sorted(problems, key=lambda p: (order[p.file], p.line or 0))
        super().__init__(self._message())

    def __reduce__(self):  # rebuilt from its problems (raised on a Dask worker)
        return type(self), (self.problems,)

    def _message(self) -> str:
        n = len(self.problems)
        head = "1 problem in the input:" if n == 1 else f"{n} problems in the input:"
        lines = [head] + [f"  {p}" for p in self.problems[:MAX_PROBLEMS]]
        if n > MAX_PROBLEMS:
            lines.append(f"  ... and {n - MAX_PROBLEMS} more")
        return "\n".join(lines)


class UnknownNodeError(KumenetError, KeyError):
    """A firm or institution named by the user is not in the network."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class Problem:
    """One problem in an input file.

    ``line`` is the 1-based line of the file (the header is line 1) or, for formats without
    lines, the 1-based position of the record; ``column`` is the 1-based column number and
    ``column_name`` its header. Either may be ``None`` when the problem concerns a whole file.
    """

    file: str
    line: int | None
    column: int | None
    column_name: str | None
    message: str

    def __str__(self) -> str:
        where = [shown(self.file)]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            col = f"column {self.column}"
            if self.column_name:
                col += f" ({self.column_name})"
            where.append(col)
        elif self.column_name:
            where.append(f"column {self.column_name}")
        return ", ".join(where) + ": " + self.message


class ProblemCollector:
    """Gathers problems while validating and raises them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file, line, column, column_name, message) -> None:
        self.problems.append(Problem(str(file), line, column, column_name, message))

    def __len__(self) -> int:
        return len(self.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputDataError(self.problems)


class NotAllowed(KumenetError):
    """The user may not do this (its role or centre does not allow it)."""


class NotLoggedIn(KumenetError):
    """The action needs a login."""


class Conflict(KumenetError):
    """Someone changed the record since the user read it; nothing was written."""


class RecordNotFound(KumenetError, KeyError):
    """No such record (or none the user may see)."""

    def __str__(self) -> str:
        return str(self.args[0])


class TooManyAttempts(KumenetError):
    """Too many failed logins for an account or from an address; try again later."""
