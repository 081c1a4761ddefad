"""The process that runs each run, so one killed outright is recognised as interrupted.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch (copy-and-swap) of `run` would drop a table that records
    # reference.
    op.add_column("run", sa.Column("pid", sa.Integer(), nullable=True))
    op.add_column("run", sa.Column("host", sa.String(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE run DROP COLUMN host")  # SQLite 3.35+, no copy of the table
    op.execute("ALTER TABLE run DROP COLUMN pid")
