"""The SQLite store: tables (SQLModel), migrations (Alembic), and the functions that read and
write them. Nothing outside this package imports SQLModel or SQLAlchemy."""

from litwatch.store.database import open_store
from litwatch.store.repository import Store

__all__ = ["Store", "open_store"]
