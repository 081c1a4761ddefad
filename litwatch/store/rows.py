"""Records as database values: the column layout of `article` and its full-text index.

Kept free of SQLAlchemy so an import's worker processes can encode records cheaply while
one process writes them (see `litwatch.workflows.encode`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from litwatch.models import Article, TaggedRecord


def json_text(value: Any) -> str:
    """JSON for a column. orjson writes frozen dataclasses directly, several times faster than
    the standard library: this runs eight times per record on the import's hot path."""
    return orjson.dumps(value).decode()


def article_row(a: Article) -> dict[str, Any]:
    """The column values of one record (without run bookkeeping)."""
    return {
        "pmid": a.pmid,
        "title": a.title,
        "title_markup": a.title_markup,
        "abstract": a.abstract_text,
        "abstract_sections": json_text(a.abstract),
        "authors": json_text(a.authors),
        "first_author": a.authors[0].display if a.authors else None,
        "journal": a.journal,
        "journal_abbrev": a.journal_abbrev,
        "volume": a.volume,
        "issue": a.issue,
        "pages": a.pages,
        "pub_year": a.pub_year,
        "pub_date": a.pub_date,
        "pub_date_sort": a.pub_date_sort,
        "entrez_date": a.entrez_date.isoformat() if a.entrez_date else None,
        "revised_date": a.revised_date.isoformat() if a.revised_date else None,
        "doi": a.doi,
        "pmc": a.pmc,
        "languages": json_text(a.languages),
        "vernacular_title": a.vernacular_title,
        "publication_types": json_text(a.publication_types),
        "mesh": json_text(a.mesh),
        "keywords": json_text(a.keywords),
        "chemicals": json_text(a.chemicals),
        "retracted": int(a.retracted),
        "retraction_notices": json_text(a.retraction_notices),
        "raw_xml": a.raw_xml,
        "content_hash": hashlib.sha1(a.raw_xml).hexdigest(),
    }


def _fts_extra(a: Article) -> str:
    extra = [m.descriptor for m in a.mesh] + list(a.keywords) + list(a.chemicals)
    if a.vernacular_title:
        extra.append(a.vernacular_title)
    return " ; ".join(extra)


def _encoded(a: Article) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """A record's `article` row and its full-text index row (rowid, title, abstract, extra)."""
    row = article_row(a)
    return tuple(row.values()), (a.pmid, a.title, row["abstract"], _fts_extra(a))


@dataclass(frozen=True)
class EncodedArticles:
    """Records as database values, ready to write: made by `encode_articles`, which needs no
    database, so an import can encode in worker processes while one process writes."""

    rows: tuple[tuple[Any, ...], ...]
    fts: tuple[tuple[Any, ...], ...]
    # Claim tags and grades made alongside (an import tags in its workers), with the
    # catalogue version they were made under; empty when tagging is left for later.
    tagged: tuple[TaggedRecord, ...] = ()
    tag_version: str | None = None
    rejected: tuple[str, ...] = ()  # records left out, with why (no PMID, too large)
    repeated: tuple[int, ...] = ()  # a PMID once for each extra copy the chunk held


def encode_articles(
    articles: Iterable[Article],
    tag: Callable[[Article], TaggedRecord] | None = None,
    tag_version: str | None = None,
) -> EncodedArticles:
    latest = {a.pmid: a for a in articles}  # a file may hold a record twice: the last wins
    encoded = [_encoded(a) for a in latest.values()]
    return EncodedArticles(
        rows=tuple(row for row, _ in encoded),
        fts=tuple(fts for _, fts in encoded),
        tagged=tuple(tag(a) for a in latest.values()) if tag is not None else (),
        tag_version=tag_version if tag is not None else None,
    )


def merge_encoded(batches: Sequence[EncodedArticles]) -> EncodedArticles:
    """Consecutive batches as one, to write in one transaction: a record in two of them (a
    file may hold one twice) is kept once, from the later batch, as `encode_articles` does."""
    if len(batches) == 1:
        return batches[0]
    rows = {row[0]: row for b in batches for row in b.rows}
    fts = {row[0]: row for b in batches for row in b.fts}
    tagged = {t.pmid: t for b in batches for t in b.tagged}
    versions = {b.tag_version for b in batches}
    if len(versions) > 1:
        raise ValueError(f"batches tagged under different catalogue versions: {versions}")
    return EncodedArticles(
        rows=tuple(rows.values()),
        fts=tuple(fts.values()),
        tagged=tuple(tagged.values()),
        tag_version=versions.pop(),
        rejected=tuple(r for b in batches for r in b.rejected),
        repeated=tuple(p for b in batches for p in b.repeated),
    )


ROW_COLUMNS = list(article_row(Article(pmid=0, title="", raw_xml=b"")))
HASH_INDEX = ROW_COLUMNS.index("content_hash")
REVISED_INDEX = ROW_COLUMNS.index("revised_date")
INSERT_NEW_SQL = (
    f"INSERT INTO article ({', '.join(ROW_COLUMNS)}, first_seen_run, last_changed_run, stored_at, "
    "design, population, tag_version) "
    f"VALUES ({', '.join('?' * (len(ROW_COLUMNS) + 6))})"
)
TAG_INSERT_SQL = (
    "INSERT INTO claim_tag (pmid, claim_id, stance, sentence, section, catalogue_version, rule) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
UPSERT_CHANGED_SQL = (
    f"INSERT INTO article ({', '.join(ROW_COLUMNS)}, last_changed_run, stored_at) "
    f"VALUES ({', '.join('?' * (len(ROW_COLUMNS) + 2))}) ON CONFLICT (pmid) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in [*ROW_COLUMNS[1:], "last_changed_run", "stored_at"])
    + ", tag_version = NULL"  # a changed record is tagged again
)
# The ids as one JSON array: one fixed statement, where an IN list of a thousand parameters
# cost SQLAlchemy more to compile, every batch, than SQLite took to answer it.
EXISTING_HASHES_SQL = (
    "SELECT pmid, content_hash, revised_date FROM article "
    "WHERE pmid IN (SELECT value FROM json_each(?))"
)
FTS_INSERT_SQL = "INSERT INTO article_fts (rowid, title, abstract, extra) VALUES (?, ?, ?, ?)"
FTS_DELETE_SQL = "DELETE FROM article_fts WHERE rowid = ?"
