"""Client roster storage: profiles, pain diaries and plan history — the only I/O in the package.

SQLite by default (a file in the user data folder, ``TRAILBACK_DB_URL`` or ``TRAILBACK_DATA_DIR``
override it, and so does the ``url`` parameter); the same SQLAlchemy Core code runs on PostgreSQL
given a ``postgresql+psycopg://…`` URL. The schema is created on first use and carries a version
number. Every save is one transaction, so a process killed mid-save leaves the previous state; an
existing file that is not a Trailback database, or a damaged one, is refused and never written to.

Several coaches (several servers) on one database: every client has a version number that each save
raises; a save that names the version it started from (``expected_version``) and finds another is
refused with :class:`StoreConflictError`, so nothing is overwritten silently. Each change to a
profile or a diary is kept in the client's history (:meth:`Store.history`): when, by whom (the
store's ``coach``, default the JupyterHub user or ``TRAILBACK_COACH``) and what. Messages name the
database by :func:`shown_url`: never its password.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import sqlalchemy as sa

from planner.adapt import DiaryEntry
from planner.profile import MAX_NAME_CHARACTERS, ClientProfile, PlannerInputError, parse_json, text_field
from planner.safety import LEG_SPREADING, RED_FLAGS_BY_KEY
from planner.status import ClientState, client_state, state_window_start

SCHEMA_VERSION = 2  # 2: client versions, who changed what (profile and diary), diary red-flag column
APP_NAME = "trailback"
DEFAULT_DB_FILE = "trailback.sqlite"
SQLITE_HEADER = b"SQLite format 3\x00"
EXPORT_FORMAT = "trailback-client"
WRITE_OPTION = "trailback_writes"  # execution option marking a writing transaction
SCHEMA_LOCK_ID = 7_140_014  # PostgreSQL advisory lock: one server at a time creates or migrates the schema
BINDER_ENV_VARS = ("BINDER_SERVICE_HOST", "BINDER_REPO_URL", "BINDER_REF_URL", "BINDER_LAUNCH_HOST", "BINDER_REQUEST")
BINDER_DB_FOLDER = "trailback-public-demo"
PUBLIC_DEMO_NOTICE = ("Public demo: do not enter real client data. The roster here is a throwaway file, "
                      "gone when this session ends.")

# Limits of what the store takes in, through the page or the API alike (refused with a StoreError):
DEFAULT_MAX_CLIENT_FILE_BYTES = 2_000_000  # a client file: a profile and years of diary fit well under this (the page's cap)
DEFAULT_MAX_DIARY_ENTRIES = 3_660  # one entry a day for ten years: far past any plan (at most 52 weeks)
DEFAULT_EARLIEST_DIARY_DATE = dt.date(1900, 1, 1)  # the earliest plan start a profile takes (profile.START_DATE_RANGE)
DEFAULT_MAX_DIARY_DAYS_AHEAD = 366  # a diary records days walked: a year's slack covers a wrong clock, not a typo's year 9999

metadata = sa.MetaData()
meta_table = sa.Table(
    "trailback_meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)
clients_table = sa.Table(
    "clients", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(MAX_NAME_CHARACTERS), nullable=False),
    sa.Column("profile_json", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)
diary_table = sa.Table(
    "diary_entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("entry_json", sa.Text, nullable=False),
    # Comma-separated red-flag keys, and LEG_SPREADING's key for spreading leg pain: the entries the
    # roster reads whatever their age (planner.status).
    sa.Column("red_flags", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("client_id", "date", name="one_entry_per_day"),
)
history_table = sa.Table(
    "plan_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.Column("profile_json", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False, server_default="profile"),  # profile | diary
    sa.Column("changed_by", sa.Text, nullable=True),
    sa.Column("entry_json", sa.Text, nullable=True),  # the diary entry logged or deleted
    sa.Column("version", sa.Integer, nullable=True),  # the client's version after the change
)
MIGRATIONS = {  # from version N to N + 1: plain SQL that SQLite and PostgreSQL both run
    1: ["ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE diary_entries ADD COLUMN red_flags TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE plan_history ADD COLUMN kind VARCHAR(16) NOT NULL DEFAULT 'profile'",
        "ALTER TABLE plan_history ADD COLUMN changed_by TEXT",
        "ALTER TABLE plan_history ADD COLUMN entry_json TEXT",
        "ALTER TABLE plan_history ADD COLUMN version INTEGER"],
}


class StoreError(RuntimeError):
    """The database cannot be used: corrupt, foreign, too new, or unreachable."""


class StoreConflictError(StoreError):
    """A client changed since the caller opened it: nothing was saved (reload, then change again)."""

    def __init__(self, message: str, client_id: int, expected_version: int, current_version: int):
        super().__init__(message)
        self.client_id = client_id
        self.expected_version = expected_version
        self.current_version = current_version


@dataclass(frozen=True)
class ClientSummary:
    """One roster line."""

    id: int
    name: str
    updated_at: str


@dataclass(frozen=True)
class ClientRecord:
    """A saved client: the profile and the diary, oldest entry first; ``version`` as loaded (give it
    back as ``expected_version`` when saving, to be told of changes made meanwhile)."""

    id: int
    profile: ClientProfile
    diary: tuple[DiaryEntry, ...]
    version: int = 0


@dataclass(frozen=True)
class HistoryItem:
    """One change to a client: when, by whom (None when unknown), what (``kind`` "profile" or
    "diary", a short note), the profile as it then stood, the diary entry logged or deleted."""

    saved_at: str
    profile: ClientProfile
    note: str
    changed_by: str | None = None
    kind: str = "profile"
    entry: DiaryEntry | None = None
    version: int | None = None


@dataclass(frozen=True)
class RosterLine:
    """One roster line with the client's state today (see :func:`planner.status.client_state`)."""

    id: int
    name: str
    updated_at: str
    state: ClientState


def on_binder() -> bool:
    """True when running on Binder (mybinder.org sets these variables in its containers)."""
    return any(os.environ.get(name) for name in BINDER_ENV_VARS)


def public_demo_notice() -> str | None:
    """The words the page shows on a public demo (Binder), or None elsewhere."""
    return PUBLIC_DEMO_NOTICE if on_binder() else None


def default_url() -> str:
    """``TRAILBACK_DB_URL``, else an SQLite file in ``TRAILBACK_DATA_DIR`` or the user data folder;
    on Binder (without those) a throwaway file in the temporary folder, never kept."""
    if os.environ.get("TRAILBACK_DB_URL"):
        return os.environ["TRAILBACK_DB_URL"]
    folder = os.environ.get("TRAILBACK_DATA_DIR")
    if not folder and on_binder():
        folder = str(Path(tempfile.gettempdir()) / BINDER_DB_FOLDER)
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return sqlite_url(Path(folder) / DEFAULT_DB_FILE)


def default_coach() -> str | None:
    """Who makes the changes when the caller does not say: the JupyterHub user signed in to this
    server (``JUPYTERHUB_USER``, set by the hub's spawner: one coach, one server), else
    ``TRAILBACK_COACH`` (a standalone server's coach or desk), else None."""
    return os.environ.get("JUPYTERHUB_USER") or os.environ.get("TRAILBACK_COACH") or None


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def shown_url(url: str) -> str:
    """A database URL fit for a page or a log line: the password replaced by ``***``."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError, TypeError):
        return _URL_PASSWORD.sub(r"\1***@", str(url))


_URL_PASSWORD = re.compile(r"([\w.%+-]+:)[^@\s/]*@")  # user:password@ in any URL-like text


def _url_password(url: str) -> str | None:
    try:
        return sa.engine.make_url(url).password
    except (sa.exc.ArgumentError, ValueError, TypeError):
        match = _URL_PASSWORD.search(str(url))
        return match.group(0)[len(match.group(1)):-1] if match else None


def scrub(text: Any, url: str) -> str:
    """``text`` (an error message from a driver, say) with ``url``'s password hidden wherever it
    appears, as the password itself or inside any URL."""
    out = _URL_PASSWORD.sub(r"\1***@", str(text))
    password = _url_password(url)
    if password:
        out = out.replace(str(password), "***")
    return out


def _database_errors_as_store_errors(method: Callable) -> Callable:
    """Turn a driver's database error (damaged file, lost server) into a clear StoreError."""

    @functools.wraps(method)
    def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sa.exc.DatabaseError as error:
            raise StoreError(f"the database {self.shown_url} could not be read or written: "
                             f"{scrub(error.orig, self.url)}") from None

    return guarded


class Store:
    """The client roster in one database. Open with a URL (or the default); close when done."""

    def __init__(self, url: str | None = None, coach: str | None = None):
        """``coach``: who makes the changes, kept in the history (default :func:`default_coach`)."""
        self.url = url or default_url()
        self.shown_url = shown_url(self.url)  # what messages and logs show: no password
        self.coach = _coach_name(coach if coach is not None else default_coach())
        try:
            parsed = sa.engine.make_url(self.url)
        except sa.exc.ArgumentError as error:
            raise StoreError(f"not a database URL: {self.shown_url!r} ({scrub(error, self.url)})") from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self._check_sqlite_file(parsed.database)
            self.engine = sa.create_engine(self.url, connect_args={"timeout": 30})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            # A writing transaction takes the write lock when it begins: a deferred one that reads
            # and then writes fails at once ("database is locked") if another process wrote meanwhile.
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            try:
                self.engine = sa.create_engine(self.url, pool_pre_ping=True)
            except (sa.exc.ArgumentError, ImportError) as error:  # an unknown driver, a bad option
                raise StoreError(f"cannot open {self.shown_url}: {scrub(error, self.url)}") from None
        self._ensure_schema()

    # --- opening -------------------------------------------------------------------------------

    @staticmethod
    def _check_sqlite_file(database: str | None) -> None:
        """Refuse, before anything is written, a path that is not a healthy SQLite file or a free name."""
        if not database or database == ":memory:":
            return
        path = Path(database)
        try:
            if path.is_dir():
                raise StoreError(f"{path} is a folder, not a database file: give a file path")
            if not path.exists():
                if path.parent.exists() and not path.parent.is_dir():
                    raise StoreError(f"the data folder {path.parent} is a file, not a folder")
                path.parent.mkdir(parents=True, exist_ok=True)
                return
            with open(path, "rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
            if not path.stat().st_size:
                return
        except StoreError:
            raise
        except OSError as error:  # e.g. a file where a folder of the path should be, or no permission
            raise StoreError(f"cannot use {path} for the database: {error.strerror or error}") from None
        if header != SQLITE_HEADER:
            raise StoreError(f"{path} is not an SQLite database (corrupt or another kind of file); "
                             "it was left untouched")
        _check_sqlite_integrity(path)

    def _ensure_schema(self) -> None:
        try:
            with self._write() as connection:
                if not self.is_sqlite:  # two servers starting at once must not both create the tables
                    connection.execute(sa.text(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_ID})"))
                inspector = sa.inspect(connection)
                tables = set(inspector.get_table_names())
                if meta_table.name not in tables:
                    if tables:
                        raise StoreError(f"{self.shown_url} holds another application's tables "
                                         f"({', '.join(sorted(tables)[:5])}); it was left untouched")
                    metadata.create_all(connection)
                    connection.execute(meta_table.insert(), [
                        {"key": "app", "value": APP_NAME},
                        {"key": "schema_version", "value": str(SCHEMA_VERSION)}])
                rows = dict(connection.execute(sa.select(meta_table.c.key, meta_table.c.value)).all())
                if rows.get("app") != APP_NAME:
                    raise StoreError(f"{self.shown_url} is not a Trailback database; it was left untouched")
                try:
                    version = int(rows.get("schema_version", "0"))
                except ValueError:
                    raise StoreError(f"{self.shown_url} has an unreadable schema version; it was left untouched") from None
                if version > SCHEMA_VERSION:
                    raise StoreError(f"{self.shown_url} has schema version {version}, newer than this Trailback "
                                     f"({SCHEMA_VERSION}); update Trailback")
                for step in range(version, SCHEMA_VERSION):
                    self._migrate(connection, step)
        except sa.exc.DatabaseError as error:
            raise StoreError(f"cannot open {self.shown_url}: {scrub(error.orig, self.url)}") from None
        if self.is_sqlite:
            # Only now that the file is known to be ours: WAL (persistent), so readers never block
            # the one writer and a killed writer leaves the last commit intact.
            raw = self.engine.raw_connection()  # outside any transaction, as the pragma needs
            try:
                cursor = raw.cursor()
                if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    cursor.execute("PRAGMA journal_mode=WAL")
                cursor.close()
            except sqlite3.DatabaseError as error:
                raise StoreError(f"cannot open {self.shown_url}: {error}") from None
            finally:
                raw.close()

    @staticmethod
    def _migrate(connection: sa.Connection, from_version: int) -> None:
        """Bring the schema from ``from_version`` to the next, in the opening transaction."""
        for statement in MIGRATIONS[from_version]:
            connection.execute(sa.text(statement))
        if from_version == 1:
            for row in connection.execute(sa.select(diary_table.c.id, diary_table.c.entry_json)).all():
                flags = _entry_red_flags(row.entry_json)
                if flags:
                    connection.execute(diary_table.update().where(diary_table.c.id == row.id).values(red_flags=flags))
        connection.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(
            value=str(from_version + 1)))

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One writing transaction: committed as a whole, or rolled back as a whole."""
        with self.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
            with connection.begin():
                yield connection

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # --- clients -------------------------------------------------------------------------------

    @_database_errors_as_store_errors
    def list_clients(self, search: str = "") -> list[ClientSummary]:
        """Clients whose name contains ``search`` (any case), by name."""
        query = sa.select(clients_table.c.id, clients_table.c.name, clients_table.c.updated_at)
        if search:
            escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(sa.func.lower(clients_table.c.name).like(f"%{escaped}%", escape="\\"))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(sa.func.lower(clients_table.c.name), clients_table.c.id))
            return [ClientSummary(row.id, row.name, row.updated_at) for row in rows]

    @_database_errors_as_store_errors
    def create_client(self, profile: ClientProfile, diary: Iterable[DiaryEntry] = (), coach: str | None = None,
                      note: str = "created") -> int:
        """Save a new client (and diary) in one transaction; returns its id (its version is 1)."""
        _check_profile(profile)
        entries = _check_diary(diary)
        now = _now()
        with self._write() as connection:
            client_id = connection.execute(clients_table.insert().values(
                name=profile.name, profile_json=_profile_json(profile), created_at=now, updated_at=now, version=1
            )).inserted_primary_key[0]
            self._write_diary(connection, client_id, entries)
            self._add_history(connection, client_id, profile, note, now, 1, self._who(coach))
        return int(client_id)

    @_database_errors_as_store_errors
    def save_client(self, client_id: int, profile: ClientProfile, diary: Iterable[DiaryEntry] | None = None,
                    note: str = "saved", expected_version: int | None = None, coach: str | None = None) -> int:
        """Replace a client's profile (and diary, when given) in one transaction; returns the new version.

        With ``expected_version`` (the version loaded), a client changed meanwhile is left as it is and
        :class:`StoreConflictError` says so."""
        _check_profile(profile)
        entries = None if diary is None else _check_diary(diary)
        now = _now()
        with self._write() as connection:
            version = self._bump(connection, client_id, expected_version, now,
                                 name=profile.name, profile_json=_profile_json(profile))
            if entries is not None:
                connection.execute(diary_table.delete().where(diary_table.c.client_id == client_id))
                self._write_diary(connection, client_id, entries)
                note = f"{note} (diary replaced: {len(entries)} entries)"
            self._add_history(connection, client_id, profile, note, now, version, self._who(coach))
        return version

    @_database_errors_as_store_errors
    def load_client(self, client_id: int) -> ClientRecord:
        """A saved client with its diary and version, validated on the way in."""
        with self.engine.connect() as connection:
            row = self._require(connection, client_id)
            diary_rows = connection.execute(sa.select(diary_table.c.entry_json).where(
                diary_table.c.client_id == client_id).order_by(diary_table.c.date)).all()
        profile = _load_profile(row.profile_json, f"client {client_id}")
        diary = tuple(_load_entry(entry.entry_json, f"client {client_id}") for entry in diary_rows)
        return ClientRecord(client_id, profile, diary, row.version)

    @_database_errors_as_store_errors
    def rename_client(self, client_id: int, name: str, expected_version: int | None = None,
                      coach: str | None = None) -> int:
        """Change a client's name (in the profile too), in one transaction; returns the new version."""
        text_field("name", name, MAX_NAME_CHARACTERS)
        with self._write() as connection:
            row = self._require(connection, client_id)
            profile = replace(_load_profile(row.profile_json, f"client {client_id}"), name=name)
            now = _now()
            version = self._bump(connection, client_id, expected_version, now,
                                 name=name, profile_json=_profile_json(profile))
            self._add_history(connection, client_id, profile, f"renamed to {name}", now, version, self._who(coach))
        return version

    @_database_errors_as_store_errors
    def delete_client(self, client_id: int, expected_version: int | None = None) -> None:
        """Remove a client with its diary and history."""
        with self._write() as connection:
            self._bump(connection, client_id, expected_version, _now())
            connection.execute(diary_table.delete().where(diary_table.c.client_id == client_id))
            connection.execute(history_table.delete().where(history_table.c.client_id == client_id))
            connection.execute(clients_table.delete().where(clients_table.c.id == client_id))

    # --- diary and history ---------------------------------------------------------------------

    @_database_errors_as_store_errors
    def log_entry(self, client_id: int, entry: DiaryEntry, expected_version: int | None = None,
                  coach: str | None = None) -> int:
        """Add a diary entry, replacing any entry of the same day, in one transaction; returns the new version."""
        (entry,) = _check_diary([entry])
        day = entry.date.isoformat()
        with self._write() as connection:
            now = _now()
            version = self._bump(connection, client_id, expected_version, now)
            replaced = connection.execute(diary_table.delete().where(
                (diary_table.c.client_id == client_id) & (diary_table.c.date == day))).rowcount
            if not replaced and connection.execute(sa.select(sa.func.count()).where(
                    diary_table.c.client_id == client_id)).scalar_one() >= DEFAULT_MAX_DIARY_ENTRIES:
                raise StoreError(f"this client's diary is full ({DEFAULT_MAX_DIARY_ENTRIES:,} entries); "
                                 "nothing was saved")
            self._write_diary(connection, client_id, [entry])
            self._add_history(connection, client_id, None, f"{'replaced the' if replaced else 'logged an'} entry of {day}",
                              now, version, self._who(coach), entry)
        return version

    @_database_errors_as_store_errors
    def delete_entry(self, client_id: int, date: dt.date, expected_version: int | None = None,
                     coach: str | None = None) -> int:
        """Remove the diary entry of one day (nothing changes when there is none); returns the version."""
        day = date.isoformat()
        with self._write() as connection:
            self._require(connection, client_id)
            old = connection.execute(sa.select(diary_table.c.entry_json).where(
                (diary_table.c.client_id == client_id) & (diary_table.c.date == day))).first()
            now = _now()
            version = self._bump(connection, client_id, expected_version, now, changes=old is not None)
            if old is not None:
                connection.execute(diary_table.delete().where(
                    (diary_table.c.client_id == client_id) & (diary_table.c.date == day)))
                self._add_history(connection, client_id, None, f"deleted the entry of {day}", now, version,
                                  self._who(coach), _load_entry(old.entry_json, f"client {client_id}"))
        return version

    @_database_errors_as_store_errors
    def client_version(self, client_id: int) -> int | None:
        """The client's version now (None when there is no such client): one small query, for a page
        that checks now and then whether its client was changed elsewhere."""
        with self.engine.connect() as connection:
            return connection.execute(sa.select(clients_table.c.version).where(
                clients_table.c.id == client_id)).scalar()

    @_database_errors_as_store_errors
    def history(self, client_id: int, after_version: int | None = None) -> list[HistoryItem]:
        """Every change to a client's profile and diary, oldest first: when, by whom, what (with
        ``after_version``: only the changes that made a later version)."""
        condition = history_table.c.client_id == client_id
        if after_version is not None:
            condition &= history_table.c.version > after_version
        with self.engine.connect() as connection:
            self._require(connection, client_id)
            rows = connection.execute(sa.select(history_table).where(condition).order_by(history_table.c.id)).all()
        return [HistoryItem(row.saved_at, _load_profile(row.profile_json, "history"), row.note, row.changed_by,
                            row.kind, None if row.entry_json is None else _load_entry(row.entry_json, "history"),
                            row.version) for row in rows]

    @_database_errors_as_store_errors
    def load_all(self) -> list[ClientRecord]:
        """Every client with its diary, in two queries (for re-planning a whole roster)."""
        with self.engine.connect() as connection:
            clients = connection.execute(sa.select(clients_table.c.id, clients_table.c.profile_json,
                                                   clients_table.c.version).order_by(clients_table.c.id)).all()
            diaries: dict[int, list[DiaryEntry]] = {}
            for row in connection.execute(sa.select(diary_table.c.client_id, diary_table.c.entry_json)
                                          .order_by(diary_table.c.client_id, diary_table.c.date)):
                diaries.setdefault(row.client_id, []).append(_load_entry(row.entry_json, f"client {row.client_id}"))
        return [ClientRecord(row.id, _load_profile(row.profile_json, f"client {row.id}"),
                             tuple(diaries.get(row.id, ())), row.version) for row in clients]

    @_database_errors_as_store_errors
    def roster(self, today: dt.date, search: str = "") -> list[RosterLine]:
        """Every client (whose name contains ``search``) with their state today, by name: on track,
        hold, step back, stopped by a red flag, or nothing logged lately (:mod:`planner.status`).

        Reads only what the states need: profiles, each client's last entry date, the entries of the
        last weeks and the entries that carry red flags."""
        if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
            raise PlannerInputError("today", "a date", today)
        summaries = self.list_clients(search)
        window_start = state_window_start(today).isoformat()
        with self.engine.connect() as connection:
            profiles = dict(connection.execute(sa.select(clients_table.c.id, clients_table.c.profile_json)).all())
            last_logged = dict(connection.execute(
                sa.select(diary_table.c.client_id, sa.func.max(diary_table.c.date))
                .where(diary_table.c.date <= today.isoformat()).group_by(diary_table.c.client_id)).all())
            recent: dict[int, list[DiaryEntry]] = {}
            for row in connection.execute(
                    sa.select(diary_table.c.client_id, diary_table.c.entry_json)
                    .where(((diary_table.c.date >= window_start) & (diary_table.c.date <= today.isoformat()))
                           | (diary_table.c.red_flags != ""))
                    .order_by(diary_table.c.client_id, diary_table.c.date)):
                recent.setdefault(row.client_id, []).append(_load_entry(row.entry_json, f"client {row.client_id}"))
        lines = []
        for summary in summaries:
            profile = _load_profile(profiles[summary.id], f"client {summary.id}")
            last = last_logged.get(summary.id)
            state = client_state(profile, recent.get(summary.id, ()), today,
                                 last_logged=None if last is None else dt.date.fromisoformat(last))
            lines.append(RosterLine(summary.id, summary.name, summary.updated_at, state))
        return lines

    # --- JSON, one client ------------------------------------------------------------------------

    @_database_errors_as_store_errors
    def export_client(self, client_id: int) -> str:
        """One client (profile and diary) as JSON text."""
        return client_to_json(self.load_client(client_id))

    @_database_errors_as_store_errors
    def import_client(self, text: str | bytes, coach: str | None = None) -> int:
        """Validate a client exported as JSON and save it as a new client; returns its id."""
        profile, diary = client_from_json(text)
        return self.create_client(profile, diary, coach=coach, note="imported from a client file")

    # --- helpers -------------------------------------------------------------------------------

    def _who(self, coach: str | None) -> str | None:
        return self.coach if coach is None else _coach_name(coach)

    @staticmethod
    def _require(connection: sa.Connection, client_id: int) -> Any:
        if isinstance(client_id, bool) or not isinstance(client_id, int):
            raise PlannerInputError("client_id", "the id of a saved client", client_id)
        row = connection.execute(sa.select(clients_table).where(clients_table.c.id == client_id)).first()
        if row is None:
            raise PlannerInputError("client_id", "the id of a saved client", client_id)
        return row

    def _bump(self, connection: sa.Connection, client_id: int, expected_version: int | None, now: str,
              changes: bool = True, **values: Any) -> int:
        """Check the client's version (when ``expected_version`` is given) and, when ``changes``,
        raise it by one with ``values``, atomically; returns the version after."""
        row = self._require(connection, client_id)
        if expected_version is not None and (isinstance(expected_version, bool) or not isinstance(expected_version, int)):
            raise PlannerInputError("expected_version", "the version number the client was loaded with",
                                    expected_version)
        if not changes:
            if expected_version is not None and row.version != expected_version:
                self._conflict(connection, client_id, expected_version, row.version)
            return row.version
        condition = clients_table.c.id == client_id
        if expected_version is not None:
            condition &= clients_table.c.version == expected_version
        # One conditional UPDATE: on PostgreSQL a concurrent save waits for the row lock and then
        # finds the new version; on SQLite writers are serialised (BEGIN IMMEDIATE).
        updated = connection.execute(clients_table.update().where(condition).values(
            version=clients_table.c.version + 1, updated_at=now, **values).returning(clients_table.c.version)).first()
        if updated is None:
            current = connection.execute(sa.select(clients_table.c.version).where(clients_table.c.id == client_id)).scalar()
            if current is None:
                raise PlannerInputError("client_id", "the id of a saved client", client_id)
            self._conflict(connection, client_id, expected_version, current)
        return int(updated.version)

    @staticmethod
    def _conflict(connection: sa.Connection, client_id: int, expected: int, current: int) -> None:
        last = connection.execute(sa.select(history_table.c.saved_at, history_table.c.changed_by, history_table.c.note)
                                  .where(history_table.c.client_id == client_id)
                                  .order_by(history_table.c.id.desc()).limit(1)).first()
        what = "" if last is None else f" (last: {last.note}, by {last.changed_by or 'someone'} at {last.saved_at[:16]} UTC)"
        raise StoreConflictError(f"client {client_id} changed since you opened it{what}; nothing was saved: "
                                 "reload the client and make your change again", client_id, expected, current)

    @staticmethod
    def _write_diary(connection: sa.Connection, client_id: int, entries: list[DiaryEntry]) -> None:
        if entries:
            connection.execute(diary_table.insert(), [
                {"client_id": client_id, "date": entry.date.isoformat(), "entry_json": json.dumps(entry.to_dict()),
                 "red_flags": _roster_marks(entry.to_dict())}
                for entry in entries])

    @staticmethod
    def _add_history(connection: sa.Connection, client_id: int, profile: ClientProfile | None, note: str,
                     now: str, version: int, changed_by: str | None, entry: DiaryEntry | None = None) -> None:
        if profile is None:  # a diary change: keep the profile as it stands with it
            profile_json = connection.execute(sa.select(clients_table.c.profile_json).where(
                clients_table.c.id == client_id)).scalar_one()
        else:
            profile_json = _profile_json(profile)
        connection.execute(history_table.insert().values(
            client_id=client_id, saved_at=now, profile_json=profile_json, note=note,
            kind="profile" if entry is None else "diary", changed_by=changed_by,
            entry_json=None if entry is None else json.dumps(entry.to_dict()), version=version))


def _coach_name(coach: str | None) -> str | None:
    return None if coach is None or coach == "" else text_field("coach", coach, MAX_NAME_CHARACTERS)


def _roster_marks(entry: dict) -> str:
    """What the ``red_flags`` column holds for one diary entry (a dict as ``DiaryEntry.to_dict`` writes)."""
    flags = sorted(str(flag) for flag in entry.get("red_flags", []) if flag in RED_FLAGS_BY_KEY)
    if entry.get("leg_symptoms") == "peripheralising":
        flags.append(LEG_SPREADING.key)
    return ",".join(flags)


def _entry_red_flags(entry_json: str) -> str:
    try:
        return _roster_marks(json.loads(entry_json))
    except (ValueError, AttributeError, TypeError):
        return ""


def _check_sqlite_integrity(path: Path) -> None:
    """``PRAGMA quick_check`` on a read-only connection: a damaged file is refused before any write
    (the WAL switch, the schema, a save) touches it, and nothing is written beside it either.

    A file in WAL mode opened read-only still makes its ``-wal`` and ``-shm`` files: when neither is
    there (no other process has the file open, none crashed mid-write), the file is read as
    ``immutable``, which creates nothing; when they are, they hold commits the check must see."""
    in_use = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm", "-journal"))
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{'' if in_use else '&immutable=1'}",
                                     uri=True, timeout=30)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path}: {error}") from None
    try:
        problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path} is damaged ({error}); it was left untouched") from None
    finally:
        connection.close()
    if problems != ["ok"]:
        raise StoreError(f"{path} is damaged ({'; '.join(problems)[:300]}); it was left untouched")


def _sqlite_begin(connection: sa.Connection) -> None:
    writes = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by the "begin" listener
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _check_profile(profile: Any) -> None:
    if not isinstance(profile, ClientProfile):
        raise PlannerInputError("profile", "a ClientProfile", type(profile).__name__)


def latest_diary_date() -> dt.date:
    """The latest day a diary entry may have today (``DEFAULT_MAX_DIARY_DAYS_AHEAD`` from now)."""
    return dt.date.today() + dt.timedelta(days=DEFAULT_MAX_DIARY_DAYS_AHEAD)


def _check_diary(diary: Iterable[DiaryEntry]) -> list[DiaryEntry]:
    entries = []
    for entry in diary:
        entries.append(entry)
        if len(entries) > DEFAULT_MAX_DIARY_ENTRIES:
            raise StoreError(f"a diary holds at most {DEFAULT_MAX_DIARY_ENTRIES:,} entries (ten years, one a day); "
                             "nothing was saved")
    latest = latest_diary_date()
    for entry in entries:
        if not isinstance(entry, DiaryEntry):
            raise PlannerInputError("diary", "DiaryEntry items", type(entry).__name__)
        if not DEFAULT_EARLIEST_DIARY_DATE <= entry.date <= latest:
            raise StoreError(f"a diary entry dated {entry.date.isoformat()} is outside "
                             f"{DEFAULT_EARLIEST_DIARY_DATE.isoformat()}–{latest.isoformat()}; nothing was saved")
    dates = [entry.date for entry in entries]
    if len(set(dates)) != len(dates):
        raise PlannerInputError("date", "one diary entry per day", sorted(d.isoformat() for d in dates))
    return entries


def _profile_json(profile: ClientProfile) -> str:
    return json.dumps(profile.to_dict(), sort_keys=True)


def _load_profile(text: str, where: str) -> ClientProfile:
    try:
        return ClientProfile.from_dict(json.loads(text))
    except (json.JSONDecodeError, PlannerInputError) as error:
        raise StoreError(f"the saved profile of {where} is damaged: {error}") from None


def _load_entry(text: str, where: str) -> DiaryEntry:
    try:
        return DiaryEntry.from_dict(json.loads(text))
    except (json.JSONDecodeError, PlannerInputError) as error:
        raise StoreError(f"a saved diary entry of {where} is damaged: {error}") from None


def client_to_json(record: ClientRecord) -> str:
    """A client as JSON text: ``{"format", "version", "profile", "diary"}``."""
    return json.dumps({"format": EXPORT_FORMAT, "version": SCHEMA_VERSION, "profile": record.profile.to_dict(),
                       "diary": [entry.to_dict() for entry in record.diary]}, indent=2)


def profile_from_json(text: str | bytes) -> ClientProfile:
    """A profile saved as JSON ("Save profile"), validated: only :class:`PlannerInputError` on bad input."""
    return ClientProfile.from_dict(parse_json(text, "profile file"))


def client_from_json(text: str | bytes) -> tuple[ClientProfile, list[DiaryEntry]]:
    """Parse and validate a client exported by :func:`client_to_json` (or a bare profile); a file
    over ``DEFAULT_MAX_CLIENT_FILE_BYTES`` or a diary past the store's limits is a StoreError."""
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else \
        len(text) if isinstance(text, (bytes, bytearray)) else 0
    if size > DEFAULT_MAX_CLIENT_FILE_BYTES:
        raise StoreError(f"the client file is {size / 1e6:.1f} MB; the limit is "
                         f"{DEFAULT_MAX_CLIENT_FILE_BYTES / 1e6:g} MB: nothing was imported")
    data = parse_json(text, "client file")
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        diary_data = data.get("diary", [])
        if not isinstance(diary_data, list):
            raise PlannerInputError("diary", "a list", type(diary_data).__name__)
        if len(diary_data) > DEFAULT_MAX_DIARY_ENTRIES:
            raise StoreError(f"the client file's diary has {len(diary_data):,} entries; a diary holds at most "
                             f"{DEFAULT_MAX_DIARY_ENTRIES:,}: nothing was imported")
        return ClientProfile.from_dict(data.get("profile")), _check_diary(DiaryEntry.from_dict(item) for item in diary_data)
    return ClientProfile.from_dict(data), []
