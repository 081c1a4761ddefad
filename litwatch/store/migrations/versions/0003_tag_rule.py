"""The tagger rule that decided each claim tag (shown by `litwatch eval` and `explain`).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claim_tag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_tag", schema=None) as batch_op:
        batch_op.drop_column("rule")
