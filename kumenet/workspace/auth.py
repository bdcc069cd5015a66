"""Accounts, roles, centres and sessions.

Roles: ``admin`` (national: users, centres, the lists of reasons; reads and writes
everything), ``staff`` (writes in their own centre, reads other centres' records that are not
private), ``researcher`` (read-only: aggregates and the SQL page; no notes, no personal data).

Passwords are hashed with Argon2id (argon2-cffi). A session is a random token in an HttpOnly
cookie; only its SHA-256 is stored, with an idle and an absolute expiry, a CSRF token of its
own, and a new token at every login (a token planted before the login is worth nothing after
it). Failed logins are throttled per account and per address.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from kumenet.errors import KumenetError, NotAllowed, NotLoggedIn, TooManyAttempts
from kumenet.text import fold
from kumenet.workspace.db import Workspace, now
from kumenet.workspace.schema import centres, login_attempts, sessions, users

__all__ = ["User", "hash_password", "check_password", "username_key", "ensure_centres",
           "add_centre", "centre_id", "add_user", "list_users", "set_active", "reset_password",
           "Session", "login", "session_user", "logout", "require_writer"]


ROLES = ("admin", "staff", "researcher")
#: The programme's Cluster Knowledge Centres, preset in a new workspace (code, name, province).
PILOT_CENTRES = (
    ("samsun", "Samsun Kümelenme Bilgi Merkezi", "Samsun"),
    ("trabzon", "Trabzon Kümelenme Bilgi Merkezi", "Trabzon"),
    ("corum", "Çorum Kümelenme Bilgi Merkezi", "Çorum"),
    ("kahramanmaras", "Kahramanmaraş Kümelenme Bilgi Merkezi", "Kahramanmaraş"),
    ("gaziantep", "Gaziantep Kümelenme Bilgi Merkezi", "Gaziantep"),
)
IDLE = timedelta(minutes=60)
ABSOLUTE = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILS_ACCOUNT = 5
MAX_FAILS_ADDRESS = 30
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # Argon2 hashes anything, but a megabyte password is an attack


@dataclass(frozen=True)
class User:
    """Who is asking: a logged-in account (``id`` None: the command line or nobody)."""

    id: str | None
    username: str
    display_name: str
    role: str
    centre_id: str | None = None
    centre_code: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def writes(self) -> bool:
        return self.role in ("admin", "staff")


#: What the command line acts as (audited under this name).
COMMAND_LINE = User(None, "command-line", "command line", "admin")


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id with the library's (RFC 9106 low-memory) parameters


def hash_password(password: str) -> str:
    """The argon2 hash of a password that passes :func:`check_password`.

    >>> h = hash_password('uzun-bir-parola')
    >>> h.startswith('$argon2'), h == hash_password('uzun-bir-parola')
    (True, False)
    """
    check_password(password)
    return _hasher().hash(password)


def check_password(password: str) -> None:
    """Refuse a password that is too short or too long.

    >>> check_password('uzun-bir-parola')
    >>> check_password('kısa')
    Traceback (most recent call last):
        ...
    kumenet.errors.KumenetError: a password needs at least 10 characters
    """
    if len(password) < MIN_PASSWORD:
        raise KumenetError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise KumenetError(f"a password has at most {MAX_PASSWORD} characters")


def username_key(name: str) -> str:
    """An account name as kept: stripped and folded Turkish-aware (``Ayşe`` = ``AYŞE``).

    >>> username_key('  AYŞE  Yılmaz '), username_key('ayşe yılmaz')
    ('ayse.yilmaz', 'ayse.yilmaz')
    """
    key = " ".join(str(name).split())
    if not key or len(key) > 80:
        raise KumenetError("a user name has 1 to 80 characters")
    return fold(key).replace(" ", ".")


def ensure_centres(conn, names=PILOT_CENTRES) -> None:
    """The pilot centres, added where missing.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.schema import centres
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> with ws.write() as conn:
    ...     ensure_centres(conn)
    ...     codes = sorted(r.code for r in conn.execute(sa.select(centres.c.code)))
    >>> codes
    ['corum', 'gaziantep', 'kahramanmaras', 'samsun', 'trabzon']
    """
    have = {r.code for r in conn.execute(sa.select(centres.c.code))}
    rows = [{"id": str(uuid.uuid4()), "code": code, "name": name, "province": province,
             "created_at": now()} for code, name, province in names if code not in have]
    if rows:
        conn.execute(centres.insert(), rows)


def add_centre(ws: Workspace, code: str, name: str, province: str | None = None,
               by: User = COMMAND_LINE) -> dict:
    """A new centre (an admin's work).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> add_centre(ws, 'bursa', 'Bursa Kümelenme Bilgi Merkezi', 'Bursa')['code']
    'bursa'
    """
    from kumenet.workspace.records import audit

    key = fold(str(code)).strip()
    if not key or not key.replace("_", "").replace("-", "").isalnum() or len(key) > 40:
        raise KumenetError("a centre's code is one word of letters and digits (ankara, izmir)")
    row = {"id": str(uuid.uuid4()), "code": key, "name": str(name)[:200],
           "province": province, "created_at": now()}
    with ws.write() as conn:
        if conn.execute(sa.select(centres.c.id).where(centres.c.code == key)).first():
            raise KumenetError(f"there is already a centre {key!r}")
        conn.execute(centres.insert(), row)
        audit(conn, by, "create", "centre", row["id"], None, row)
    return row


def centre_id(conn, code: str) -> str:
    """The id of the centre ``code`` (folded), or an error naming the centres.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> with ws.read() as conn:
    ...     found = centre_id(conn, 'ÇORUM')
    >>> len(found)
    36
    """
    row = conn.execute(sa.select(centres.c.id).where(centres.c.code == fold(code))).first()
    if row is None:
        known = [r.code for r in conn.execute(sa.select(centres.c.code).order_by(centres.c.code))]
        raise KumenetError(f"no centre {code!r}; the centres are {', '.join(known)}")
    return row.id


def add_user(ws: Workspace, name: str, role: str, password: str, *, centre: str | None = None,
             display_name: str | None = None, by: User = COMMAND_LINE) -> dict:
    """A new account; staff need a centre, admins and researchers may have one.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> u = add_user(ws, 'Mehmet', 'researcher', 'bir-baska-parola')
    >>> u['username'], u['role'], u['active']
    ('mehmet', 'researcher', True)
    """
    from kumenet.workspace.records import audit

    if role not in ROLES:
        raise KumenetError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if role == "staff" and not centre:
        raise KumenetError("a staff account belongs to a centre: give --centre")
    key = username_key(name)
    hashed = hash_password(password)
    with ws.write() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.username == key)).first():
            raise KumenetError(f"there is already a user {key!r}")
        row = {"id": str(uuid.uuid4()), "username": key, "display_name": display_name or name,
               "role": role, "centre_id": centre_id(conn, centre) if centre else None,
               "password_hash": hashed, "active": True, "created_at": now(),
               "password_changed_at": now()}
        conn.execute(users.insert(), row)
        shown = {k: v for k, v in row.items() if k != "password_hash"}
        audit(conn, by, "create", "user", row["id"], None, shown)
    return shown


def list_users(ws: Workspace) -> list[dict]:
    """Every account: ``username``, ``display_name``, ``role``, ``centre``, ``active``.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> [(u['username'], u['role'], u['centre']) for u in list_users(ws)]
    [('ayse', 'staff', 'samsun')]
    """
    with ws.read() as conn:
        rows = conn.execute(sa.select(users.c.username, users.c.display_name, users.c.role,
                                      centres.c.code.label("centre"), users.c.active,
                                      users.c.created_at)
                            .select_from(users.outerjoin(centres))
                            .order_by(users.c.username)).mappings().all()
    return [dict(r) for r in rows]


def set_active(ws: Workspace, name: str, active: bool, by: User = COMMAND_LINE) -> None:
    """Disable (or enable) an account; a disabled account's sessions end at once.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> set_active(ws, 'ayse', False)
    >>> login(ws, 'ayse', 'uzun-bir-parola')
    Traceback (most recent call last):
        ...
    kumenet.errors.NotLoggedIn: wrong user name or password
    """
    from kumenet.workspace.records import audit

    key = username_key(name)
    with ws.write() as conn:
        row = conn.execute(sa.select(users.c.id, users.c.active)
                           .where(users.c.username == key)).first()
        if row is None:
            raise KumenetError(f"no user {key!r}")
        conn.execute(users.update().where(users.c.id == row.id).values(active=active))
        if not active:
            conn.execute(sessions.update().where(sessions.c.user_id == row.id)
                         .values(revoked=True))
        audit(conn, by, "enable" if active else "disable", "user", row.id,
              {"active": row.active}, {"active": active})


def reset_password(ws: Workspace, name: str, password: str, by: User = COMMAND_LINE) -> None:
    """A new password; every session of the account ends.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> reset_password(ws, 'ayse', 'yepyeni-bir-parola')
    >>> login(ws, 'ayse', 'yepyeni-bir-parola').user.username
    'ayse'
    """
    from kumenet.workspace.records import audit

    key = username_key(name)
    hashed = hash_password(password)
    with ws.write() as conn:
        row = conn.execute(sa.select(users.c.id).where(users.c.username == key)).first()
        if row is None:
            raise KumenetError(f"no user {key!r}")
        conn.execute(users.update().where(users.c.id == row.id)
                     .values(password_hash=hashed, password_changed_at=now()))
        conn.execute(sessions.update().where(sessions.c.user_id == row.id).values(revoked=True))
        audit(conn, by, "reset_password", "user", row.id, None, None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class Session:
    token: str  # only the browser keeps it; the workspace keeps its hash
    csrf: str
    user: User
    expires_at: object


def login(ws: Workspace, name: str, password: str, address: str = "") -> Session:
    """A new session for the account, or :class:`NotLoggedIn` (the same message whether the
    account or the password is wrong) / :class:`TooManyAttempts`.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> session = login(ws, 'AYŞE', 'uzun-bir-parola')
    >>> session.user.centre_code, len(session.csrf) > 20
    ('samsun', True)
    """
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    from kumenet.workspace.records import audit

    try:
        key = username_key(name)
    except KumenetError:
        key = "?"
    password = str(password)[:MAX_PASSWORD + 1]
    address = str(address)[:64]
    since = now() - THROTTLE_WINDOW
    with ws.read() as conn:
        fails = conn.execute(
            sa.select(sa.func.count()).select_from(login_attempts).where(
                login_attempts.c.username == key, login_attempts.c.at >= since,
                ~login_attempts.c.success)).scalar()
        from_address = conn.execute(
            sa.select(sa.func.count()).select_from(login_attempts).where(
                login_attempts.c.address == address, login_attempts.c.at >= since,
                ~login_attempts.c.success)).scalar()
        row = conn.execute(sa.select(users, centres.c.code.label("centre_code"))
                           .select_from(users.outerjoin(centres))
                           .where(users.c.username == key)).mappings().first()
    if fails >= MAX_FAILS_ACCOUNT or from_address >= MAX_FAILS_ADDRESS:
        raise TooManyAttempts("too many failed logins; wait 15 minutes and try again")
    good = False
    if row is not None and row["active"] and len(password) <= MAX_PASSWORD:
        try:
            good = _hasher().verify(row["password_hash"], password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            good = False
    with ws.write() as conn:  # the attempt is kept whatever it gave
        conn.execute(login_attempts.insert(), {"username": key, "address": address,
                                               "at": now(), "success": good})
        if good:
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            started = now()
            conn.execute(sessions.insert(), {
                "id": str(uuid.uuid4()), "token_hash": _token_hash(token),
                "user_id": row["id"], "csrf_token": csrf, "created_at": started,
                "last_seen_at": started, "expires_at": started + ABSOLUTE,
                "address": address, "revoked": False})
            user = _user(row)
            audit(conn, user, "login", "session", None, None, None, address)
    if not good:
        raise NotLoggedIn("wrong user name or password")
    return Session(token, csrf, user, started + ABSOLUTE)


def _user(row) -> User:
    return User(row["id"], row["username"], row["display_name"], row["role"],
                row["centre_id"], row.get("centre_code"))


def session_user(ws: Workspace, token: str | None) -> tuple[User, str] | None:
    """(user, CSRF token) of a live session token, its idle time renewed; None otherwise.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> session = login(ws, 'ayse', 'uzun-bir-parola')
    >>> user, csrf = session_user(ws, session.token)
    >>> user.username, csrf == session.csrf, session_user(ws, 'not-a-token')
    ('ayse', True, None)
    """
    if not token or len(token) > 200:
        return None
    at = now()
    with ws.read() as conn:
        row = conn.execute(
            sa.select(sessions.c.id.label("session_id"), sessions.c.csrf_token,
                      sessions.c.last_seen_at,
                      sessions.c.expires_at, sessions.c.revoked, users,
                      centres.c.code.label("centre_code"))
            .select_from(sessions.join(users, sessions.c.user_id == users.c.id)
                         .outerjoin(centres, users.c.centre_id == centres.c.id))
            .where(sessions.c.token_hash == _token_hash(token))).mappings().first()
    if row is None or row["revoked"] or not row["active"] or row["expires_at"] <= at or \
            row["last_seen_at"] + IDLE <= at:
        return None
    if at - row["last_seen_at"] > timedelta(minutes=1):  # renewed once a minute, not per click
        with ws.write() as conn:
            conn.execute(sessions.update().where(sessions.c.id == row["session_id"])
                         .values(last_seen_at=at))
    return _user(row), row["csrf_token"]


def logout(ws: Workspace, token: str | None, everywhere: bool = False) -> None:
    """End this session (or every session of its account).

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> session = login(ws, 'ayse', 'uzun-bir-parola')
    >>> logout(ws, session.token)
    >>> session_user(ws, session.token) is None
    True
    """
    from kumenet.workspace.records import audit

    found = session_user(ws, token)
    if found is None:
        return
    user = found[0]
    with ws.write() as conn:
        where = sessions.c.user_id == user.id if everywhere else \
            sessions.c.token_hash == _token_hash(token)
        conn.execute(sessions.update().where(where).values(revoked=True))
        audit(conn, user, "logout_everywhere" if everywhere else "logout", "session", None,
              None, None)


def require_writer(user: User | None) -> User:
    """``user``, when it may write; :class:`NotLoggedIn` or :class:`NotAllowed` otherwise.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from kumenet.workspace.lists import init_workspace
    >>> from kumenet.workspace.auth import add_user, login
    >>> ws, _, _ = init_workspace(Path(tempfile.mkdtemp()) / 'ws.db')
    >>> _ = add_user(ws, 'ayse', 'staff', 'uzun-bir-parola', centre='samsun')
    >>> me = login(ws, 'ayse', 'uzun-bir-parola').user
    >>> require_writer(me).username
    'ayse'
    >>> require_writer(None)
    Traceback (most recent call last):
        ...
    kumenet.errors.NotLoggedIn: log in to write
    """
    if user is None:
        raise NotLoggedIn("log in to write")
    if not user.writes:
        raise NotAllowed(f"a {user.role} account reads only")
    return user
