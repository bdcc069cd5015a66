"""Writing files atomically, and the checks every file a user names goes through.

Used by every writer (networks, tables, maps, reports, SQLite, configurations), so a failed
command never leaves a half-written file, and a bad output path is one clear message.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from kumenet.errors import KumenetError, shown


@contextmanager
def atomic_path(path: Path, folder: bool = False):
    """Yield a temporary path beside ``path``; move it into place only on success.

    Raises
    ------
    KumenetError
        When ``path`` is a folder but a file is wanted (or the other way round), or when the
        place cannot be written (no permission, a name too long, a full disk).
    """
    path = Path(path)
    try:
        if path.is_dir() and not folder:
            raise KumenetError(f"{shown(path)} is a folder; give a file name (such as "
                               f"{shown(path / 'out.csv')})")
        if folder and path.exists() and not path.is_dir():
            raise KumenetError(f"{shown(path)} is a file; give a folder name for this output")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name[:100]}.", dir=path.parent))
    except OSError as err:
        raise KumenetError(f"cannot write {shown(path)}: {err.strerror or err}") from err
    target = tmp if folder else tmp / path.name
    try:
        yield target
        try:
            if folder:
                path.mkdir(exist_ok=True)
                for item in tmp.iterdir():
                    os.replace(item, path / item.name)
            else:
                os.replace(target, path)
        except OSError as err:
            raise KumenetError(f"cannot write {shown(path)}: {err.strerror or err}") from err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
