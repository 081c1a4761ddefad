"""Opening the store: the engine (WAL, foreign keys), migrations on open, and `Store`.

Alembic runs programmatically each time a command opens the database, so a user never runs
a migration by hand; a database written by a newer litwatch is refused rather than damaged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlmodel import create_engine

from litwatch.errors import StoreError
from litwatch.store.repository import Store

MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = threading.Lock()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


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


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision, each migration in a transaction."""
    cfg = _alembic_config()
    script = ScriptDirectory.from_config(cfg)
    # Alembic keeps its running context in module globals: two threads migrating at once
    # (a server and a client in one process) would swap connections. Serialise them.
    with _MIGRATION_LOCK, engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        if current == script.get_current_head():
            return
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise StoreError(
                f"the database is at schema revision {current}, which this litwatch does not "
                "know: it was written by a newer version; upgrade litwatch"
            )
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


@contextmanager
def open_store(path: Path) -> Iterator[Store]:
    """Open (creating and migrating as needed) the database at `path`."""
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        migrate(engine)
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        raise StoreError(f"{path}: cannot open as a litwatch database ({exc.orig})") from None
    try:
        yield Store(engine, path)
    finally:
        engine.dispose()
