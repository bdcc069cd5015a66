"""Opening a workspace: one SQLite file by default, PostgreSQL for a national deployment.

SQLite runs in WAL mode with ``synchronous=FULL`` (a commit is on disk before it returns),
foreign keys on and a busy timeout; every write transaction starts with ``BEGIN IMMEDIATE``
so that two writers queue instead of failing half-way. PostgreSQL (psycopg 3) takes the same
tables and migrations. A caller is answered only after :meth:`Workspace.write`'s block has
committed.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from kumenet.errors import KumenetError

__all__ = ["now", "default_path", "url_of", "shown_url", "Workspace", "remove_sqlite"]


BUSY_MS = 15_000  # how long a SQLite writer waits for another
_INSTANCES = itertools.count()
HEAD = "0002"  # the newest schema this kumenet knows


def now() -> datetime:
    """The time now in UTC (stored without a zone: every time in the workspace is UTC).

    >>> now().tzinfo is None
    True
    """
    return datetime.now(timezone.utc).replace(tzinfo=None)


def default_path() -> Path:
    """Where the workspace is kept when no ``--workspace`` is given (``KUMENET_WORKSPACE``,
    else the user's data folder).

    >>> import os
    >>> before = os.environ.get('KUMENET_WORKSPACE')
    >>> os.environ['KUMENET_WORKSPACE'] = '/tmp/merkez.db'
    >>> str(default_path())
    '/tmp/merkez.db'
    >>> _ = os.environ.pop('KUMENET_WORKSPACE')
    >>> os.environ.update({} if before is None else {'KUMENET_WORKSPACE': before})
    """
    given = os.environ.get("KUMENET_WORKSPACE")
    if given:
        return Path(given)
    import platformdirs

    return Path(platformdirs.user_data_dir("kumenet")) / "workspace.db"


def url_of(where: str | Path | None) -> str:
    """A SQLAlchemy URL for a path (SQLite) or a ``postgresql://`` URL (psycopg 3).

    >>> url_of("/tmp/w.db"), url_of("postgresql://u@h:5/db")
    ('sqlite:////tmp/w.db', 'postgresql+psycopg://u@h:5/db')
    """
    where = str(where if where is not None else default_path())
    if where.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + where.split("://", 1)[1]
    if where.startswith("postgresql+psycopg://") or where.startswith("sqlite:"):
        return where
    if "://" in where:
        raise KumenetError(f"a workspace is a SQLite file or a postgresql:// URL, not {where!r}")
    return "sqlite:///" + str(Path(where).expanduser().absolute())


def shown_url(url: str) -> str:
    """A URL without its password, for messages.

    >>> shown_url('postgresql+psycopg://kbm:gizli@localhost/ws')
    'postgresql+psycopg://kbm:***@localhost/ws'
    """
    return sa.engine.make_url(url).render_as_string(hide_password=True)


class Workspace:
    """An open workspace database (see the module text)."""

    def __init__(self, where: str | Path | None = None, *, pool_size: int = 20):
        self.url = url_of(where)
        self._given = str(where) if where is not None and "://" not in str(where) else None
        self.sqlite = self.url.startswith("sqlite")
        options = {"future": True}
        if self.sqlite:
            path = Path(sa.engine.make_url(self.url).database)
            self.path = path
            options["connect_args"] = {"timeout": BUSY_MS / 1000, "check_same_thread": False}
            options["poolclass"] = sa.pool.QueuePool
            options.update(pool_size=pool_size, max_overflow=pool_size)
        else:
            self.path = None
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self.engine = sa.create_engine(self.url, **options)
        # SQLite has one writer at a time: the threads of this process queue here, in turn,
        # instead of in SQLite's busy handler, whose growing sleeps made the slowest writes
        # wait seconds (other processes still meet the busy timeout).
        self._writer = threading.Lock() if self.sqlite else None
        #: Writes this process made; what is computed from the workspace may be kept until
        #: it changes (the funnel), keyed by ``instance`` (unique, unlike ``id``).
        self.generation = 0
        self.instance = next(_INSTANCES)
        if self.sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)

    def __repr__(self) -> str:
        return f"<Workspace {shown_url(self.url)}>"

    @property
    def shown(self) -> str:
        """The workspace as its user named it (a URL without its password)."""
        if self.sqlite:
            return self._given or str(self.path)
        return shown_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self):
        """A connection in one read transaction (a consistent view)."""
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    @contextmanager
    def write(self):
        """A connection in one write transaction, committed when the block ends (SQLite:
        ``BEGIN IMMEDIATE``; the caller answers only after it returns)."""
        if self._writer is not None:
            self._writer.acquire()
        try:
            with self.engine.connect() as conn:
                conn.info["begin"] = "BEGIN IMMEDIATE"
                try:
                    with conn.begin():
                        yield conn
                finally:
                    conn.info.pop("begin", None)
            self.generation += 1
        finally:
            if self._writer is not None:
                self._writer.release()

    # -- schema ------------------------------------------------------------------------------
    def revision(self) -> str | None:
        """The workspace's schema revision (None: an empty database)."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def check(self) -> None:
        """Refuse a workspace that is not set up, or whose schema is newer than this
        kumenet's."""
        try:
            found = self.revision()
        except sa.exc.OperationalError as err:
            raise KumenetError(f"cannot open the workspace {self.shown}: "
                               f"{_said(err)}") from err
        if found is None:
            raise KumenetError(f"{self.shown} is not a kumenet workspace yet: run kumenet "
                               f"workspace init --workspace {self.shown}")
        if found != HEAD:
            if _known(found):
                raise KumenetError(f"the workspace {self.shown} has schema {found}, older than "
                                   f"this kumenet's ({HEAD}): run kumenet workspace init "
                                   f"--workspace {self.shown} to bring it up to date (a "
                                   "SQLite file is copied beside itself first)")
            raise KumenetError(_newer(self.shown, found))

    def upgrade(self, backup: bool = True) -> tuple[str | None, Path | None]:
        """Create the schema or bring it up to this kumenet's (a SQLite file is copied
        beside itself first); refuses a newer schema. Returns the revision found before and
        the backup made."""
        from alembic import command
        from alembic.config import Config

        try:
            found = self.revision()
        except sa.exc.OperationalError as err:
            raise KumenetError(f"cannot open the workspace {self.shown}: "
                               f"{_said(err)}") from err
        if found is not None and found != HEAD and not _known(found):
            raise KumenetError(_newer(self.shown, found))
        copy = None
        if found is not None and found != HEAD and backup and self.sqlite:
            copy = self.path.with_name(f"{self.path.name}.before-{HEAD}-"
                                       f"{time.strftime('%Y%m%d%H%M%S')}")
            self.backup(copy)
        config = Config()
        config.set_main_option("script_location", "kumenet.workspace:migrations")
        with self.engine.connect() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
        return found, copy

    def backup(self, target: Path) -> Path:
        """A consistent copy of a SQLite workspace while it is in use (SQLite's online
        backup), written atomically. PostgreSQL: :func:`kumenet.workspace.transfer.copy`
        into a SQLite file is the portable backup."""
        import sqlite3

        from kumenet.files import atomic_path

        if not self.sqlite:
            raise KumenetError("backup of a PostgreSQL workspace: use kumenet workspace backup")
        target = Path(target)
        with atomic_path(target) as tmp:
            source = sqlite3.connect(str(self.path))
            dest = sqlite3.connect(str(tmp))
            try:
                source.backup(dest)
            finally:
                dest.close()
                source.close()
        return target


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "kumenet.workspace:migrations")
    try:
        ScriptDirectory.from_config(config).get_revision(revision)
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown one
        return False
    return True


def _newer(shown: str, found: str) -> str:
    return (f"the workspace {shown} has schema {found}, newer than this kumenet's ({HEAD}): "
            "upgrade kumenet; the workspace is left as it is")


def _said(err: Exception) -> str:
    return " ".join(str(getattr(err, "orig", err)).split())[:200]


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # kumenet emits BEGIN itself (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    cursor.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql(conn.info.get("begin", "BEGIN"))


def remove_sqlite(path: Path) -> None:
    """Remove a SQLite workspace and its WAL files (tests and the demo).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> path = ws.path
    >>> remove_sqlite(path)
    >>> path.exists()
    False
    """
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()
