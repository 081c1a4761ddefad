"""History (tags, record states, replaced raw XML) and people's reviews.

Kept so that `report --as-of` and `digest` can recompute any past verdict, and so that a
record PubMed revises keeps its earlier XML. Existing records and tags are entered into the
history as holding since the record was first stored (the best date such a database has).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

# The triggers as this revision made them. A later change to them needs its own migration
# (drop and re-create), which must then freeze a copy of these statements here.
from litwatch.store.tables import HISTORY_DDL

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_SINCE = (
    "substr(coalesce((SELECT started FROM run WHERE run.id = article.first_seen_run), "
    "article.stored_at), 1, 23)"
)


def _history_tables() -> None:
    op.create_table(
        "claim_tag_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("stance", sa.String(), nullable=False),
        sa.Column("sentence", sa.String(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("rule", sa.String(), nullable=True),
        sa.Column("valid_from", sa.String(), nullable=False),
        sa.Column("valid_to", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_claim_tag_history_pmid", "claim_tag_history", ["pmid"])
    op.create_index("ix_claim_tag_history_valid_from", "claim_tag_history", ["valid_from"])
    op.create_table(
        "article_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("retracted", sa.Boolean(), nullable=False),
        sa.Column("design", sa.String(), nullable=True),
        sa.Column("population", sa.String(), nullable=True),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("valid_from", sa.String(), nullable=False),
        sa.Column("valid_to", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_article_history_pmid", "article_history", ["pmid"])
    op.create_index("ix_article_history_valid_from", "article_history", ["valid_from"])
    op.create_table(
        "article_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("raw_xml", sa.LargeBinary(), nullable=False),
        sa.Column("replaced_at", sa.String(), nullable=False),
        sa.Column("replaced_by_run", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_article_revision_pmid", "article_revision", ["pmid"])


def _review_table() -> None:
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(), nullable=False),
        sa.Column("stance", sa.String(), nullable=False),
        sa.Column("sentence", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("reviewed_at", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["pmid"], ["article.pmid"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_review_pmid", "review", ["pmid"])
    op.create_index("ix_review_reviewed_at", "review", ["reviewed_at"])


def upgrade() -> None:
    _history_tables()
    _review_table()
    op.execute(
        "INSERT INTO article_history "
        "(pmid, retracted, design, population, content_hash, valid_from) "
        f"SELECT pmid, retracted, design, population, content_hash, {_SINCE} FROM article"
    )
    op.execute(
        "INSERT INTO claim_tag_history "
        "(pmid, claim_id, stance, sentence, section, rule, valid_from) "
        "SELECT t.pmid, t.claim_id, t.stance, t.sentence, t.section, t.rule, "
        f"{_SINCE} FROM claim_tag AS t JOIN article ON article.pmid = t.pmid"
    )
    for ddl in HISTORY_DDL:
        op.execute(ddl)


def downgrade() -> None:
    for name in (
        "claim_tag_history_insert", "claim_tag_history_update", "claim_tag_history_delete",
        "article_history_insert", "article_history_update", "article_revision_keep",
    ):  # fmt: skip
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("review", "article_revision", "article_history", "claim_tag_history"):
        op.drop_table(table)
