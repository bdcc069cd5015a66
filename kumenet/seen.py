"""Warnings about a file that a user has seen already, so that the next command on the same
file does not repeat them.

Staff run many commands on one workbook; the same three notes about its decimal marks and
dates before every answer teach them to stop reading warnings. A warning printed while a
command read ``DATA`` is remembered with the file's state (its path, size and time of last
change, for a folder those of the files in it); the next command on the same, unchanged file
folds the warnings shown before into one line. ``kumenet validate`` always shows them all,
and so does every command when ``KUMENET_REPEAT_WARNINGS=1``. The memory is a small file in
kumenet's cache folder (``KUMENET_CACHE_DIR``, else the user's cache).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

KEEP = 5_000  # warnings remembered (the oldest forgotten first)
MAX_FILES = 2_000  # files of a folder looked at for its state (Parquet parts included)


def memory_file() -> Path:
    given = os.environ.get("KUMENET_CACHE_DIR")
    if given:
        return Path(given) / "seen_warnings.json"
    import platformdirs

    return Path(platformdirs.user_cache_dir("kumenet")) / "seen_warnings.json"


def file_state(path: Path) -> str | None:
    """The path, sizes and change times of ``path`` (a file, or the files of a folder), or
    None when it cannot be looked at."""
    try:
        path = Path(path).resolve()
        if path.is_file():
            st = path.stat()
            return f"{path}|{st.st_size}|{st.st_mtime_ns}"
        if not path.is_dir():
            return None
        parts = []
        for i, item in enumerate(sorted(path.rglob("*"))):
            if i >= MAX_FILES:
                break
            if item.is_file():
                st = item.stat()
                parts.append(f"{item.relative_to(path)}|{st.st_size}|{st.st_mtime_ns}")
        return f"{path}|" + "|".join(parts)
    except OSError:
        return None


class SeenWarnings:
    """The warnings shown before about one state of one file.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); memory = folder / "seen.json"
    >>> (folder / "a.csv").write_text("x")
    1
    >>> seen = SeenWarnings(folder / "a.csv", memory)
    >>> seen.first_time("column 'x' read as dates"), seen.first_time("column 'x' read as dates")
    (True, True)
    >>> seen.save(); SeenWarnings(folder / "a.csv", memory).first_time("column 'x' read as dates")
    False
    >>> (folder / "a.csv").write_text("xy"); SeenWarnings(folder / "a.csv", memory).first_time(
    ...     "column 'x' read as dates")  # the file changed: shown again
    2
    True
    """

    def __init__(self, path: Path, memory: Path | None = None):
        self.memory = memory or memory_file()
        self.state = file_state(path)
        self.new: list[str] = []
        self.known: dict[str, float] = {}
        if self.state is None:
            return
        try:
            self.known = json.loads(self.memory.read_text(encoding="utf-8"))
            if not isinstance(self.known, dict):
                self.known = {}
        except (OSError, ValueError):
            self.known = {}

    def _key(self, message: str) -> str:
        return hashlib.blake2b(f"{self.state}\0{message}".encode("utf-8", "replace"),
                               digest_size=12).hexdigest()

    def first_time(self, message: str) -> bool:
        """Whether ``message`` was not shown before for this state of the file (a message
        shown in this command counts as new until it is saved)."""
        if self.state is None:
            return True
        key = self._key(message)
        if key in self.known:
            return False
        self.new.append(key)
        return True

    def save(self) -> None:
        """Remember this command's new warnings (written atomically; errors ignored: the
        memory only saves lines on screen)."""
        if not self.new or self.state is None:
            return
        import time

        now = time.time()
        known = dict(self.known)
        known.update({key: now for key in self.new})
        if len(known) > KEEP:
            known = dict(sorted(known.items(), key=lambda kv: kv[1])[-KEEP:])
        path = self.memory
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps(known), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
