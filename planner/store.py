"""Client roster storage: profiles, pain diaries and plan history — the only I/O in the package.

SQLite by default (a file in the user data folder, ``TRAILBACK_DB_URL`` or ``TRAILBACK_DATA_DIR``
override it, and so does the ``url`` parameter); the same SQLAlchemy Core code runs on PostgreSQL
given a ``postgresql+psycopg://…`` URL. The schema is created on first use and carries a version
number. Every save is one transaction, so a process killed mid-save leaves the previous state; an
existing file that is not a Trailback database is refused and never written to.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import sqlalchemy as sa

from planner.adapt import DiaryEntry
from planner.profile import MAX_NAME_CHARACTERS, ClientProfile, PlannerInputError, text_field

SCHEMA_VERSION = 1
APP_NAME = "trailback"
DEFAULT_DB_FILE = "trailback.sqlite"
SQLITE_HEADER = b"SQLite format 3\x00"
EXPORT_FORMAT = "trailback-client"
WRITE_OPTION = "trailback_writes"  # execution option marking a writing transaction

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
)
diary_table = sa.Table(
    "diary_entries", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("date", sa.String(10), nullable=False),
    sa.Column("entry_json", sa.Text, nullable=False),
    sa.UniqueConstraint("client_id", "date", name="one_entry_per_day"),
)
history_table = sa.Table(
    "plan_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("saved_at", sa.String(40), nullable=False),
    sa.Column("profile_json", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
)


class StoreError(RuntimeError):
    """The database cannot be used: corrupt, foreign, too new, or unreachable."""


@dataclass(frozen=True)
class ClientSummary:
    """One roster line."""

    id: int
    name: str
    updated_at: str


@dataclass(frozen=True)
class ClientRecord:
    """A saved client: the profile and the diary, oldest entry first."""

    id: int
    profile: ClientProfile
    diary: tuple[DiaryEntry, ...]


@dataclass(frozen=True)
class HistoryItem:
    """A profile as it was saved at one time, with a short note."""

    saved_at: str
    profile: ClientProfile
    note: str


def default_url() -> str:
    """``TRAILBACK_DB_URL``, else an SQLite file in ``TRAILBACK_DATA_DIR`` or the user data folder."""
    if os.environ.get("TRAILBACK_DB_URL"):
        return os.environ["TRAILBACK_DB_URL"]
    folder = os.environ.get("TRAILBACK_DATA_DIR")
    if not folder:
        import platformdirs

        folder = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return sqlite_url(Path(folder) / DEFAULT_DB_FILE)


def sqlite_url(path: str | Path) -> str:
    """The SQLAlchemy URL of an SQLite file."""
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _database_errors_as_store_errors(method: Callable) -> Callable:
    """Turn a driver's database error (damaged file, lost server) into a clear StoreError."""

    @functools.wraps(method)
    def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sa.exc.DatabaseError as error:
            raise StoreError(f"the database {self.url} could not be read or written: {error.orig}") from None

    return guarded


class Store:
    """The client roster in one database. Open with a URL (or the default); close when done."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        try:
            parsed = sa.engine.make_url(self.url)
        except sa.exc.ArgumentError as error:
            raise StoreError(f"not a database URL: {self.url!r} ({error})") from None
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self._check_sqlite_file(parsed.database)
            self.engine = sa.create_engine(self.url, connect_args={"timeout": 30})
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            # A writing transaction takes the write lock when it begins: a deferred one that reads
            # and then writes fails at once ("database is locked") if another process wrote meanwhile.
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)
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
                inspector = sa.inspect(connection)
                tables = set(inspector.get_table_names())
                if meta_table.name not in tables:
                    if tables:
                        raise StoreError(f"{self.url} holds another application's tables "
                                         f"({', '.join(sorted(tables)[:5])}); it was left untouched")
                    metadata.create_all(connection)
                    connection.execute(meta_table.insert(), [
                        {"key": "app", "value": APP_NAME},
                        {"key": "schema_version", "value": str(SCHEMA_VERSION)}])
                rows = dict(connection.execute(sa.select(meta_table.c.key, meta_table.c.value)).all())
        except sa.exc.DatabaseError as error:
            raise StoreError(f"cannot open {self.url}: {error.orig}") from None
        if rows.get("app") != APP_NAME:
            raise StoreError(f"{self.url} is not a Trailback database; it was left untouched")
        version = int(rows.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.url} has schema version {version}, newer than this Trailback "
                             f"({SCHEMA_VERSION}); update Trailback")
        # Version 1 is the first: later versions add their migrations here.
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
                raise StoreError(f"cannot open {self.url}: {error}") from None
            finally:
                raw.close()

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
    def create_client(self, profile: ClientProfile, diary: Iterable[DiaryEntry] = ()) -> int:
        """Save a new client (and diary) in one transaction; returns its id."""
        _check_profile(profile)
        entries = _check_diary(diary)
        now = _now()
        with self._write() as connection:
            client_id = connection.execute(clients_table.insert().values(
                name=profile.name, profile_json=_profile_json(profile), created_at=now, updated_at=now
            )).inserted_primary_key[0]
            self._write_diary(connection, client_id, entries)
            self._add_history(connection, client_id, profile, "created", now)
        return int(client_id)

    @_database_errors_as_store_errors
    def save_client(self, client_id: int, profile: ClientProfile, diary: Iterable[DiaryEntry] | None = None,
                    note: str = "saved") -> None:
        """Replace a client's profile (and diary, when given) in one transaction."""
        _check_profile(profile)
        entries = None if diary is None else _check_diary(diary)
        now = _now()
        with self._write() as connection:
            self._require(connection, client_id)
            connection.execute(clients_table.update().where(clients_table.c.id == client_id).values(
                name=profile.name, profile_json=_profile_json(profile), updated_at=now))
            if entries is not None:
                connection.execute(diary_table.delete().where(diary_table.c.client_id == client_id))
                self._write_diary(connection, client_id, entries)
            self._add_history(connection, client_id, profile, note, now)

    @_database_errors_as_store_errors
    def load_client(self, client_id: int) -> ClientRecord:
        """A saved client with its diary, validated on the way in."""
        with self.engine.connect() as connection:
            row = self._require(connection, client_id)
            diary_rows = connection.execute(sa.select(diary_table.c.entry_json).where(
                diary_table.c.client_id == client_id).order_by(diary_table.c.date)).all()
        profile = _load_profile(row.profile_json, f"client {client_id}")
        diary = tuple(_load_entry(entry.entry_json, f"client {client_id}") for entry in diary_rows)
        return ClientRecord(client_id, profile, diary)

    @_database_errors_as_store_errors
    def rename_client(self, client_id: int, name: str) -> None:
        """Change a client's name (in the profile too), in one transaction."""
        text_field("name", name, MAX_NAME_CHARACTERS)
        with self._write() as connection:
            row = self._require(connection, client_id)
            profile = replace(_load_profile(row.profile_json, f"client {client_id}"), name=name)
            now = _now()
            connection.execute(clients_table.update().where(clients_table.c.id == client_id).values(
                name=name, profile_json=_profile_json(profile), updated_at=now))
            self._add_history(connection, client_id, profile, f"renamed to {name}", now)

    @_database_errors_as_store_errors
    def delete_client(self, client_id: int) -> None:
        """Remove a client with its diary and history."""
        with self._write() as connection:
            self._require(connection, client_id)
            connection.execute(diary_table.delete().where(diary_table.c.client_id == client_id))
            connection.execute(history_table.delete().where(history_table.c.client_id == client_id))
            connection.execute(clients_table.delete().where(clients_table.c.id == client_id))

    # --- diary and history ---------------------------------------------------------------------

    @_database_errors_as_store_errors
    def log_entry(self, client_id: int, entry: DiaryEntry) -> None:
        """Add a diary entry, replacing any entry of the same day, in one transaction."""
        (entry,) = _check_diary([entry])
        with self._write() as connection:
            self._require(connection, client_id)
            connection.execute(diary_table.delete().where(
                (diary_table.c.client_id == client_id) & (diary_table.c.date == entry.date.isoformat())))
            self._write_diary(connection, client_id, [entry])
            connection.execute(clients_table.update().where(clients_table.c.id == client_id).values(
                updated_at=_now()))

    @_database_errors_as_store_errors
    def delete_entry(self, client_id: int, date: dt.date) -> None:
        """Remove the diary entry of one day (nothing happens when there is none)."""
        with self._write() as connection:
            self._require(connection, client_id)
            connection.execute(diary_table.delete().where(
                (diary_table.c.client_id == client_id) & (diary_table.c.date == date.isoformat())))

    @_database_errors_as_store_errors
    def history(self, client_id: int) -> list[HistoryItem]:
        """Every saved version of a client's profile, oldest first."""
        with self.engine.connect() as connection:
            self._require(connection, client_id)
            rows = connection.execute(sa.select(history_table).where(
                history_table.c.client_id == client_id).order_by(history_table.c.id)).all()
        return [HistoryItem(row.saved_at, _load_profile(row.profile_json, "history"), row.note) for row in rows]

    @_database_errors_as_store_errors
    def load_all(self) -> list[ClientRecord]:
        """Every client with its diary, in two queries (for re-planning a whole roster)."""
        with self.engine.connect() as connection:
            clients = connection.execute(sa.select(clients_table.c.id, clients_table.c.profile_json)
                                         .order_by(clients_table.c.id)).all()
            diaries: dict[int, list[DiaryEntry]] = {}
            for row in connection.execute(sa.select(diary_table.c.client_id, diary_table.c.entry_json)
                                          .order_by(diary_table.c.client_id, diary_table.c.date)):
                diaries.setdefault(row.client_id, []).append(_load_entry(row.entry_json, f"client {row.client_id}"))
        return [ClientRecord(row.id, _load_profile(row.profile_json, f"client {row.id}"),
                             tuple(diaries.get(row.id, ()))) for row in clients]

    # --- JSON, one client ------------------------------------------------------------------------

    @_database_errors_as_store_errors
    def export_client(self, client_id: int) -> str:
        """One client (profile and diary) as JSON text."""
        return client_to_json(self.load_client(client_id))

    @_database_errors_as_store_errors
    def import_client(self, text: str | bytes) -> int:
        """Validate a client exported as JSON and save it as a new client; returns its id."""
        profile, diary = client_from_json(text)
        return self.create_client(profile, diary)

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _require(connection: sa.Connection, client_id: int) -> Any:
        row = connection.execute(sa.select(clients_table).where(clients_table.c.id == client_id)).first()
        if row is None:
            raise PlannerInputError("client_id", "the id of a saved client", client_id)
        return row

    @staticmethod
    def _write_diary(connection: sa.Connection, client_id: int, entries: list[DiaryEntry]) -> None:
        if entries:
            connection.execute(diary_table.insert(), [
                {"client_id": client_id, "date": entry.date.isoformat(), "entry_json": json.dumps(entry.to_dict())}
                for entry in entries])

    @staticmethod
    def _add_history(connection: sa.Connection, client_id: int, profile: ClientProfile, note: str,
                     now: str) -> None:
        connection.execute(history_table.insert().values(
            client_id=client_id, saved_at=now, profile_json=_profile_json(profile), note=note))


def _check_sqlite_integrity(path: Path) -> None:
    """``PRAGMA quick_check`` on a read-only connection: a damaged file is refused before any write
    (the WAL switch, the schema, a save) touches it."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
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


def _check_diary(diary: Iterable[DiaryEntry]) -> list[DiaryEntry]:
    entries = list(diary)
    for entry in entries:
        if not isinstance(entry, DiaryEntry):
            raise PlannerInputError("diary", "DiaryEntry items", type(entry).__name__)
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


def parse_json(text: str | bytes, what: str) -> Any:
    """JSON text (or UTF-8 bytes) parsed; anything unreadable is a :class:`PlannerInputError`."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise PlannerInputError(what, "JSON text", type(text).__name__)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PlannerInputError(what, "JSON text", f"unreadable ({error.msg}, line {error.lineno})") from None
    except UnicodeDecodeError:
        raise PlannerInputError(what, "JSON text in UTF-8", "bytes that are not UTF-8") from None
    except ValueError as error:  # e.g. a number of more than 4,300 digits
        raise PlannerInputError(what, "JSON text", f"unreadable ({str(error)[:80]})") from None
    except RecursionError:
        raise PlannerInputError(what, "JSON text", "nesting too deep to read") from None


def profile_from_json(text: str | bytes) -> ClientProfile:
    """A profile saved as JSON ("Save profile"), validated: only :class:`PlannerInputError` on bad input."""
    return ClientProfile.from_dict(parse_json(text, "profile file"))


def client_from_json(text: str | bytes) -> tuple[ClientProfile, list[DiaryEntry]]:
    """Parse and validate a client exported by :func:`client_to_json` (or a bare profile)."""
    data = parse_json(text, "client file")
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        diary_data = data.get("diary", [])
        if not isinstance(diary_data, list):
            raise PlannerInputError("diary", "a list", type(diary_data).__name__)
        return ClientProfile.from_dict(data.get("profile")), _check_diary(DiaryEntry.from_dict(item) for item in diary_data)
    return ClientProfile.from_dict(data), []
