"""Claim tags and study-design grades.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(sa.Column("design", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("population", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("tag_version", sa.String(), nullable=True))
        batch_op.create_index(batch_op.f("ix_article_tag_version"), ["tag_version"], unique=False)
    op.create_table(
        "claim_tag",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("stance", sa.String(), nullable=False),
        sa.Column("sentence", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("catalogue_version", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["pmid"], ["article.pmid"]),
        sa.PrimaryKeyConstraint("pmid", "claim_id"),
    )
    with op.batch_alter_table("claim_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_tag_claim_id"), ["claim_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_tag_claim_id"))
    op.drop_table("claim_tag")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_tag_version"))
        batch_op.drop_column("tag_version")
        batch_op.drop_column("population")
        batch_op.drop_column("design")
