"""The SQLite store: tables (SQLModel), migrations (Alembic), and the functions that read and
write them. Nothing outside this package imports SQLModel or SQLAlchemy."""

from litwatch.store.database import Store, open_store

__all__ = ["Store", "open_store"]
