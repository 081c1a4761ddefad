"""The SQLite store: tables (SQLModel), migrations (Alembic), and the functions that read and
write them. Nothing outside this package imports SQLModel or SQLAlchemy.

`open_store` and `Store` are loaded on first use, so that `litwatch.store.rows` (what an
import's worker processes need) comes without SQLAlchemy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litwatch.store.database import open_store
    from litwatch.store.repository import Store

__all__ = ["Store", "open_store"]


def __getattr__(name: str) -> Any:
    if name == "open_store":
        from litwatch.store.database import open_store

        return open_store
    if name == "Store":
        from litwatch.store.repository import Store

        return Store
    raise AttributeError(name)
