"""Initial schema: records, runs, provenance, store facts, and the FTS5 index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:44:10.612694
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invocation", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("new", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("retracted", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("translation", sa.String(), nullable=True),
        sa.Column("warnings", sa.String(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_invocation"), ["invocation"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_query"), ["query"], unique=False)

    op.create_table(
        "store_info",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "article",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("title_markup", sa.String(), nullable=False),
        sa.Column("abstract", sa.String(), nullable=False),
        sa.Column("abstract_sections", sa.String(), nullable=False),
        sa.Column("authors", sa.String(), nullable=False),
        sa.Column("first_author", sa.String(), nullable=True),
        sa.Column("journal", sa.String(), nullable=True),
        sa.Column("journal_abbrev", sa.String(), nullable=True),
        sa.Column("volume", sa.String(), nullable=True),
        sa.Column("issue", sa.String(), nullable=True),
        sa.Column("pages", sa.String(), nullable=True),
        sa.Column("pub_year", sa.Integer(), nullable=True),
        sa.Column("pub_date", sa.String(), nullable=True),
        sa.Column("pub_date_sort", sa.String(), nullable=True),
        sa.Column("entrez_date", sa.Date(), nullable=True),
        sa.Column("revised_date", sa.Date(), nullable=True),
        sa.Column("doi", sa.String(), nullable=True),
        sa.Column("pmc", sa.String(), nullable=True),
        sa.Column("languages", sa.String(), nullable=False),
        sa.Column("vernacular_title", sa.String(), nullable=True),
        sa.Column("publication_types", sa.String(), nullable=False),
        sa.Column("mesh", sa.String(), nullable=False),
        sa.Column("keywords", sa.String(), nullable=False),
        sa.Column("chemicals", sa.String(), nullable=False),
        sa.Column("retracted", sa.Boolean(), nullable=False),
        sa.Column("retraction_notices", sa.String(), nullable=False),
        sa.Column("raw_xml", sa.LargeBinary(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("first_seen_run", sa.Integer(), nullable=True),
        sa.Column("last_changed_run", sa.Integer(), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_seen_run"],
            ["run.id"],
        ),
        sa.ForeignKeyConstraint(
            ["last_changed_run"],
            ["run.id"],
        ),
        sa.PrimaryKeyConstraint("pmid"),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_first_seen_run"), ["first_seen_run"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_article_pub_year"), ["pub_year"], unique=False)

    op.create_table(
        "article_query",
        sa.Column("pmid", sa.Integer(), nullable=False),
        sa.Column("query", sa.String(), nullable=False),
        sa.Column("first_run", sa.Integer(), nullable=False),
        sa.Column("last_run", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_run"],
            ["run.id"],
        ),
        sa.ForeignKeyConstraint(
            ["last_run"],
            ["run.id"],
        ),
        sa.ForeignKeyConstraint(
            ["pmid"],
            ["article.pmid"],
        ),
        sa.PrimaryKeyConstraint("pmid", "query"),
    )
    with op.batch_alter_table("article_query", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_query_query"), ["query"], unique=False)

    # Full-text index over title, abstract and the controlled vocabulary (MeSH, keywords,
    # substances); rowid is the PMID. Kept in step by the store's upserts.
    op.execute(
        "CREATE VIRTUAL TABLE article_fts USING fts5("
        "title, abstract, extra, tokenize = 'unicode61 remove_diacritics 2')"
    )


def downgrade() -> None:
    op.execute("DROP TABLE article_fts")

    with op.batch_alter_table("article_query", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_query_query"))

    op.drop_table("article_query")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_pub_year"))
        batch_op.drop_index(batch_op.f("ix_article_first_seen_run"))

    op.drop_table("article")
    op.drop_table("store_info")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_query"))
        batch_op.drop_index(batch_op.f("ix_run_invocation"))

    op.drop_table("run")
