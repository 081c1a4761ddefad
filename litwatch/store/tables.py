"""The SQLModel tables. The schema changes only through a new migration in `migrations/`;
`tests/store/test_migrations.py` checks that the migrated schema equals these models.

Lists (authors, MeSH, publication types...) are JSON columns: they are read whole with their
record, and SQLite's `json_each` serves the local `[mh]`/`[pt]` searches.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

# Full-text index over title, abstract and the controlled vocabulary (MeSH, keywords,
# substances); rowid is the PMID. Kept in step by the store's upserts. (Migration 0001 made
# it; a new database gets it from here.)
FTS_DDL = (
    "CREATE VIRTUAL TABLE article_fts USING fts5("
    "title, abstract, extra, tokenize = 'unicode61 remove_diacritics 2')"
)


class ArticleRow(SQLModel, table=True):
    __tablename__ = "article"

    pmid: int = Field(primary_key=True)
    title: str
    title_markup: str = ""
    abstract: str = ""
    abstract_sections: str = "[]"
    authors: str = "[]"
    first_author: str | None = None
    journal: str | None = None
    journal_abbrev: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pub_year: int | None = Field(default=None, index=True)
    pub_date: str | None = None
    pub_date_sort: str | None = None
    entrez_date: date | None = None
    revised_date: date | None = None
    doi: str | None = None
    pmc: str | None = None
    languages: str = "[]"
    vernacular_title: str | None = None
    publication_types: str = "[]"
    mesh: str = "[]"
    keywords: str = "[]"
    chemicals: str = "[]"
    retracted: bool = False
    retraction_notices: str = "[]"
    raw_xml: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    content_hash: str
    design: str | None = None
    population: str | None = None
    tag_version: str | None = Field(default=None, index=True)  # catalogue version last tagged with
    first_seen_run: int | None = Field(default=None, foreign_key="run.id", index=True)
    last_changed_run: int | None = Field(default=None, foreign_key="run.id")
    stored_at: datetime


class RunRow(SQLModel, table=True):
    __tablename__ = "run"

    id: int | None = Field(default=None, primary_key=True)
    invocation: int = Field(index=True)
    query: str = Field(index=True)
    term: str
    source: str  # "pubmed", "sample", "file:<name>", "import:<name>"
    started: datetime
    finished: datetime | None = None
    status: str = "running"  # running | ok | failed
    found: int = 0
    new: int = 0
    updated: int = 0
    retracted: int = 0
    requests: int = 0
    translation: str | None = None
    warnings: str = "[]"
    error: str | None = None


class ArticleQueryRow(SQLModel, table=True):
    """Provenance: which saved search found which record, first and most recently."""

    __tablename__ = "article_query"

    pmid: int = Field(primary_key=True, foreign_key="article.pmid")
    query: str = Field(primary_key=True, index=True)
    first_run: int = Field(foreign_key="run.id")
    last_run: int = Field(foreign_key="run.id")


class StoreInfoRow(SQLModel, table=True):
    """Facts about the store itself, e.g. `origin` (pubmed or sample) so the two never mix."""

    __tablename__ = "store_info"

    key: str = Field(primary_key=True)
    value: str


class ClaimTagRow(SQLModel, table=True):
    """A record's stance on one claim, with the sentence that decides it."""

    __tablename__ = "claim_tag"

    pmid: int = Field(primary_key=True, foreign_key="article.pmid")
    claim_id: str = Field(primary_key=True, index=True)
    stance: str  # supports | contradicts | mentions
    sentence: str
    section: str  # title | background | methods | results | conclusions
    catalogue_version: str
    rule: str | None = None  # the tagger rule that decided (litwatch/claims/rules.py)
