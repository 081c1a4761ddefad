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
    # Which process on which machine runs it: a `running` run whose process is gone was
    # killed (kill -9, power loss) and is shown and marked `interrupted`.
    pid: int | None = None
    host: str | None = None


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


class TagHistoryRow(SQLModel, table=True):
    """Every claim tag a record has had, with when it held (`valid_to` NULL: it still does).
    Written by the triggers in `HISTORY_DDL`, never by Python, so no write path can forget."""

    __tablename__ = "claim_tag_history"

    id: int | None = Field(default=None, primary_key=True)
    pmid: int = Field(index=True)
    claim_id: str
    stance: str
    sentence: str
    section: str
    rule: str | None = None
    valid_from: str = Field(index=True)  # UTC, "YYYY-MM-DD HH:MM:SS.SSS" (see STAMP_SQL)
    valid_to: str | None = None


class ArticleHistoryRow(SQLModel, table=True):
    """What a record's verdict depends on besides its tags (retraction, design, population),
    and its content hash, with when each state held. A record absent at a time was not yet
    stored. Written by triggers."""

    __tablename__ = "article_history"

    id: int | None = Field(default=None, primary_key=True)
    pmid: int = Field(index=True)
    retracted: bool
    design: str | None = None
    population: str | None = None
    content_hash: str
    valid_from: str = Field(index=True)
    valid_to: str | None = None


class ArticleRevisionRow(SQLModel, table=True):
    """The raw XML a record had before PubMed revised it: nothing fetched is overwritten."""

    __tablename__ = "article_revision"

    id: int | None = Field(default=None, primary_key=True)
    pmid: int = Field(index=True)
    content_hash: str
    raw_xml: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    replaced_at: str
    replaced_by_run: int | None = None


class ReviewRow(SQLModel, table=True):
    """A person's decision on one tag, appended, never edited: the latest per record and
    claim wins over the tagger. `claim_id` "*" with stance "exclude" sets a record aside."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    pmid: int = Field(index=True, foreign_key="article.pmid")
    claim_id: str
    stance: str  # supports | contradicts | mentions | none (drop the tag) | exclude
    sentence: str = ""
    note: str = ""
    reviewer: str
    reviewed_at: str = Field(index=True)


# SQLite's clock, to the millisecond; Python writes the same form (`history.stamp`).
STAMP_SQL = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

_TAG_COLUMNS = "pmid, claim_id, stance, sentence, section, rule"
_CLOSE_TAG = (
    "UPDATE claim_tag_history SET valid_to = {now} "
    "WHERE pmid = {row}.pmid AND claim_id = {row}.claim_id AND valid_to IS NULL;"
)
_OPEN_TAG = (
    f"INSERT INTO claim_tag_history ({_TAG_COLUMNS}, valid_from) "
    "VALUES (NEW.pmid, NEW.claim_id, NEW.stance, NEW.sentence, NEW.section, NEW.rule, {now});"
)
_OPEN_ARTICLE = (
    "INSERT INTO article_history (pmid, retracted, design, population, content_hash, valid_from) "
    "VALUES (NEW.pmid, NEW.retracted, NEW.design, NEW.population, NEW.content_hash, {now});"
)
_CLOSE_ARTICLE = (
    "UPDATE article_history SET valid_to = {now} WHERE pmid = OLD.pmid AND valid_to IS NULL;"
)
_ARTICLE_CHANGED = (
    "OLD.retracted IS NOT NEW.retracted OR OLD.design IS NOT NEW.design "
    "OR OLD.population IS NOT NEW.population OR OLD.content_hash IS NOT NEW.content_hash"
)


def _trigger(name: str, when: str, body: str) -> str:
    return f"CREATE TRIGGER {name} {when} BEGIN {body.replace('{now}', STAMP_SQL)} END"


# History kept by the database itself: whatever writes a tag or a record (import, run,
# re-tag, reparse), the change is logged in the same transaction.
HISTORY_DDL = (
    _trigger(
        "claim_tag_history_insert",
        "AFTER INSERT ON claim_tag",
        _CLOSE_TAG.replace("{row}", "NEW") + _OPEN_TAG,
    ),
    _trigger(
        "claim_tag_history_update",
        "AFTER UPDATE ON claim_tag",
        _CLOSE_TAG.replace("{row}", "OLD") + _OPEN_TAG,
    ),
    _trigger(
        "claim_tag_history_delete", "AFTER DELETE ON claim_tag", _CLOSE_TAG.replace("{row}", "OLD")
    ),
    _trigger("article_history_insert", "AFTER INSERT ON article", _OPEN_ARTICLE),
    _trigger(
        "article_history_update",
        f"AFTER UPDATE OF retracted, design, population, content_hash ON article "
        f"WHEN {_ARTICLE_CHANGED}",
        _CLOSE_ARTICLE + _OPEN_ARTICLE,
    ),
    _trigger(
        "article_revision_keep",
        "AFTER UPDATE OF content_hash ON article WHEN OLD.content_hash IS NOT NEW.content_hash",
        "INSERT INTO article_revision (pmid, content_hash, raw_xml, replaced_at, replaced_by_run) "
        "VALUES (OLD.pmid, OLD.content_hash, OLD.raw_xml, {now}, NEW.last_changed_run);",
    ),
)
