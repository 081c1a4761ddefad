"""Alembic environment, run programmatically by `litwatch.store.database`: the caller passes
an open connection in `config.attributes["connection"]`."""

from alembic import context
from sqlmodel import SQLModel

from litwatch.store import tables  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    include_name=lambda name, type_, parent: not (name or "").startswith("article_fts"),
)
with context.begin_transaction():
    context.run_migrations()
