"""The ``kumenet`` command line: parse, call the library, write the result.

Exit codes: 0 success, 1 bad input (a :class:`~kumenet.errors.KumenetError`), 2 usage,
3 an internal error (a bug: one line by default, the traceback with ``--debug``).
Data go to standard output or ``-o``; messages and warnings go to standard error.

One module per family of commands: :mod:`.tables`, :mod:`.analysis`, :mod:`.matching`,
:mod:`.regional`, :mod:`.pages`, :mod:`.workspace`; :mod:`.base` holds the group and the
options they share. Importing this package registers them all (and imports no pandas,
numpy, scipy or igraph: ``kumenet --help`` answers at once).
"""

from kumenet.cli import analysis, matching, pages, regional, tables, workspace  # noqa: F401,E402
from kumenet.cli import initiatives  # noqa: F401,E402
from kumenet.cli.base import (
                              AS_OF,
                              DATA,
                              LANG,
                              LAYERS,
                              PILOT_FIRMS,
                              PILOT_SEED,
                              SEED,
                              cli,
                              data_options,
                              main,
                              note,
                              progress,
)

__all__ = ["AS_OF", "DATA", "LANG", "LAYERS", "PILOT_FIRMS", "PILOT_SEED", "SEED", "cli",
           "data_options", "main", "note", "progress"]
