"""The SQLite store: tables (SQLModel), migrations (Alembic), and the functions that read and
write them. Nothing outside this package imports SQLModel or SQLAlchemy.

SQLAlchemy and SQLModel (most of a second to import) load when a store is first opened, not
when the CLI starts: `litwatch import` starts its parsing processes before that, so they work
while the store is loading, and `litwatch.store.rows` (what those processes need) comes
without SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litwatch.errors import NoDatabaseError

if TYPE_CHECKING:
    from litwatch.store.repository import Store

__all__ = ["NoDatabaseError", "Store", "open_existing_store", "open_store"]


@contextmanager
def open_store(path: Path) -> Iterator[Store]:
    """Open (creating and migrating as needed) the database at `path`."""
    from litwatch.store.database import open_store as open_database

    with open_database(path) as store:
        yield store


@contextmanager
def open_existing_store(path: Path) -> Iterator[Store]:
    """Open a database that must already hold records: commands that only read never create
    one, so a mistyped --db is an error, not a report of "no evidence" from an empty store."""
    from litwatch.store.database import open_store as open_database

    if not path.exists():
        raise NoDatabaseError(f"no database at {path}: {_what_to_run(path)}")
    with open_database(path, create=False) as store:
        if store.count_articles() == 0:
            raise NoDatabaseError(f"{path} holds no records yet: {_what_to_run(path)}")
        yield store


def _what_to_run(path: Path) -> str:
    from litwatch.config import DEFAULT_DB, SAMPLE_DB

    if path == DEFAULT_DB and SAMPLE_DB.exists():
        return f"the sample run wrote {SAMPLE_DB} (use --db {SAMPLE_DB})"
    return "run `litwatch run` (or `litwatch run --sample`, or `litwatch import FILE`) first"


def __getattr__(name: str) -> Any:
    if name == "Store":
        from litwatch.store.repository import Store

        return Store
    raise AttributeError(name)
