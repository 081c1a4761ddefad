"""Opening the store: the engine (WAL, foreign keys), the schema on open, and `Store`.

A new database gets the newest schema at once (the tables of the models, the full-text
index, stamped with the newest revision), as Alembic's own cookbook does; an older one is
brought up to date by its Alembic migrations, run programmatically, so a user never runs a
migration by hand. A database written by a newer litwatch is refused rather than damaged.
Alembic (a quarter of a second to import) is loaded only when a migration has to run.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import SQLModel, create_engine

from litwatch.errors import StoreError
from litwatch.signals import deferred
from litwatch.store.repository import Store
from litwatch.store.tables import FTS_DDL, HISTORY_DDL

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest revision in migrations/versions (a test checks it against Alembic's head).
SCHEMA_HEAD = "0005"
_MIGRATION_LOCK = threading.Lock()
_VERSION_DDL = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def _on_connect_read_only(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets `status` and `report` read while a run writes; NORMAL is durable in WAL mode
    # except for the very last transactions on power loss, never corrupting.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    # An 8 MB page cache and checkpoints every ~40 MB of WAL: bulk imports spent half their
    # time in checkpoints at the defaults (2 MB, 4 MB).
    cur.execute("PRAGMA cache_size=-8192")
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.close()


def make_engine(path: Path, read_only: bool = False) -> Engine:
    if read_only:
        # immutable: SQLite reads the file as it is, without the -wal and -shm files it could
        # not create here (nothing may write the database meanwhile).
        uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
        event.listen(engine, "connect", _on_connect_read_only)
        return engine
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


def is_writable(path: Path) -> bool:
    """Whether the database and its folder (for the -wal and -shm files) can be written;
    tried rather than asked, since permissions say nothing of read-only mounts or of root."""
    try:
        with path.open("r+b"):
            pass
        probe = path.with_name(f".{path.name}.litwatch-probe")
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return True


def check_schema(engine: Engine) -> None:
    """A read-only database can only be read at the newest revision (nothing can migrate)."""
    with engine.connect() as conn:
        current = _current_revision(conn)
    if current != SCHEMA_HEAD:
        raise StoreError(
            f"it is read-only and at schema revision {current}, not {SCHEMA_HEAD}: open it "
            "once where it can be written, so it can be upgraded"
        )


def migrate(engine: Engine, path: Path | None = None) -> None:
    """Bring the schema to the newest revision: created whole when the database is new,
    else each pending migration in a transaction, after a copy of the database as it was
    is saved beside it (`path`)."""
    if path is not None:
        backup_before_upgrade(engine, path)
    # Alembic keeps its running context in module globals: two threads migrating at once
    # (a server and a client in one process) would swap connections. Serialise them.
    with _MIGRATION_LOCK, deferred(), engine.begin() as conn:
        if not conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
            _create_schema(conn)
            return
        current = _current_revision(conn)
        if current is None:
            # Tables but no schema revision: another program's database. Leave it untouched.
            raise StoreError(
                "it holds tables but no litwatch schema revision (not a litwatch database)"
            )
        if current != SCHEMA_HEAD:
            _upgrade(conn, current)


def backup_before_upgrade(engine: Engine, path: Path) -> Path | None:
    """A whole, consistent copy (SQLite's VACUUM INTO) of a database an upgrade will change:
    `NAME.rev0003.bak` beside it. None when no upgrade is due."""
    with engine.connect() as conn:
        has_tables = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        current = _current_revision(conn) if has_tables else None
        if current is None or current == SCHEMA_HEAD or not _known(current):
            return None  # new, up to date, or refused as too new: nothing will change
        backup = path.with_name(f"{path.name}.rev{current}.bak")
        n = 1
        while backup.exists():
            backup, n = path.with_name(f"{path.name}.rev{current}.{n}.bak"), n + 1
        conn.exec_driver_sql("VACUUM INTO ?", (str(backup),))
    return backup


def _known(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return revision in {r.revision for r in script.walk_revisions()}


def _create_schema(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn)
    conn.exec_driver_sql(FTS_DDL)
    for ddl in HISTORY_DDL:
        conn.exec_driver_sql(ddl)
    conn.exec_driver_sql(_VERSION_DDL)
    conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES (?)", (SCHEMA_HEAD,))


def _current_revision(conn: Connection) -> str | None:
    try:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except OperationalError:  # no alembic_version table: not (yet) a litwatch database
        return None


def _upgrade(conn: Connection, current: str) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    if current not in {r.revision for r in script.walk_revisions()}:
        raise StoreError(
            f"the database is at schema revision {current}, which this litwatch does not "
            "know: it was written by a newer version; upgrade litwatch"
        )
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


@contextmanager
def open_store(path: Path, create: bool = True) -> Iterator[Store]:
    """Open (creating, unless `create` is False, and migrating as needed) the database."""
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    if not create and not path.exists():
        raise StoreError(f"no database at {path}")
    read_only = not create and not is_writable(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path, read_only)
    try:
        if read_only:
            check_schema(engine)
        else:
            migrate(engine, path)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise StoreError(f"{path}: cannot open as a litwatch database ({exc.orig})") from None
    except StoreError as exc:
        engine.dispose()
        raise StoreError(f"{path}: {exc}") from None
    store = Store(engine, path, read_only)
    try:
        yield store
    finally:
        store.close()
        engine.dispose()
