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

if TYPE_CHECKING:
    from litwatch.store.repository import Store

__all__ = ["Store", "open_store"]


@contextmanager
def open_store(path: Path) -> Iterator[Store]:
    """Open (creating and migrating as needed) the database at `path`."""
    from litwatch.store.database import open_store as open_database

    with open_database(path) as store:
        yield store


def __getattr__(name: str) -> Any:
    if name == "Store":
        from litwatch.store.repository import Store

        return Store
    raise AttributeError(name)
