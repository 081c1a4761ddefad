"""`Store`: every read and write of the database, each write in one transaction.

A batch of records is stored all or nothing: its rows, its full-text index entries and its
provenance commit together, so a failure never leaves a half-stored record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from litwatch.errors import StoreError
from litwatch.models import Article, RunRecord, UpsertCounts
from litwatch.pubmed.query import Node
from litwatch.store.search import compile_search
from litwatch.store.tables import ArticleQueryRow, ArticleRow, RunRow, StoreInfoRow

_CHUNK = 900  # stay well under SQLite's bound-parameter limit
ARTICLE = ArticleRow.__table__  # type: ignore[attr-defined]
RUN = RunRow.__table__  # type: ignore[attr-defined]
PROVENANCE = ArticleQueryRow.__table__  # type: ignore[attr-defined]
INFO = StoreInfoRow.__table__  # type: ignore[attr-defined]


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def article_row(a: Article) -> dict[str, Any]:
    """The column values of one record (without run bookkeeping)."""
    return {
        "pmid": a.pmid,
        "title": a.title,
        "title_markup": a.title_markup,
        "abstract": a.abstract_text,
        "abstract_sections": _json([asdict(s) for s in a.abstract]),
        "authors": _json([asdict(x) for x in a.authors]),
        "first_author": a.authors[0].display if a.authors else None,
        "journal": a.journal,
        "journal_abbrev": a.journal_abbrev,
        "volume": a.volume,
        "issue": a.issue,
        "pages": a.pages,
        "pub_year": a.pub_year,
        "pub_date": a.pub_date,
        "pub_date_sort": a.pub_date_sort,
        "entrez_date": a.entrez_date,
        "revised_date": a.revised_date,
        "doi": a.doi,
        "pmc": a.pmc,
        "languages": _json(list(a.languages)),
        "vernacular_title": a.vernacular_title,
        "publication_types": _json(list(a.publication_types)),
        "mesh": _json([asdict(m) for m in a.mesh]),
        "keywords": _json(list(a.keywords)),
        "chemicals": _json(list(a.chemicals)),
        "retracted": a.retracted,
        "retraction_notices": _json(list(a.retraction_notices)),
        "raw_xml": a.raw_xml,
        "content_hash": hashlib.sha1(a.raw_xml).hexdigest(),
    }


def _fts_row(a: Article) -> dict[str, Any]:
    extra = [m.descriptor for m in a.mesh] + list(a.keywords) + list(a.chemicals)
    if a.vernacular_title:
        extra.append(a.vernacular_title)
    return {
        "rowid": a.pmid,
        "title": a.title,
        "abstract": a.abstract_text,
        "extra": " ; ".join(extra),
    }


_FTS_INSERT = text(
    "INSERT INTO article_fts (rowid, title, abstract, extra) "
    "VALUES (:rowid, :title, :abstract, :extra)"
)
_FTS_DELETE = text("DELETE FROM article_fts WHERE rowid = :rowid")


class Store:
    """The litwatch database. Open it with `open_store(path)`."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path

    # -- what kind of store this is ------------------------------------------------------
    def claim_origin(self, origin: str) -> None:
        """Mark the store as holding `origin` records (pubmed | sample); refuse to mix."""
        with self.engine.begin() as conn:
            current = conn.execute(select(INFO.c.value).where(INFO.c.key == "origin")).scalar()
            if current is None:
                conn.execute(insert(INFO).values(key="origin", value=origin))
            elif current != origin:
                raise StoreError(
                    f"{self.path} holds {current} records; it will not mix in {origin} records "
                    "(use another --db)"
                )

    def origin(self) -> str | None:
        with self.engine.connect() as conn:
            value: str | None = conn.execute(
                select(INFO.c.value).where(INFO.c.key == "origin")
            ).scalar()
            return value

    # -- runs -------------------------------------------------------------------------
    def next_invocation(self) -> int:
        with self.engine.connect() as conn:
            return (
                int(conn.execute(select(func.coalesce(func.max(RUN.c.invocation), 0))).scalar_one())
                + 1
            )

    def record_run_start(self, invocation: int, query: str, term: str, source: str) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(RUN).values(
                    invocation=invocation,
                    query=query,
                    term=term,
                    source=source,
                    started=_now(),
                    status="running",
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def record_run_end(self, run_id: int, status: str, **counts: Any) -> None:
        if "warnings" in counts:
            counts["warnings"] = _json(list(counts["warnings"]))
        with self.engine.begin() as conn:
            conn.execute(
                update(RUN)
                .where(RUN.c.id == run_id)
                .values(finished=_now(), status=status, **counts)
            )

    def runs(self, query: str | None = None, status: str | None = None) -> list[RunRecord]:
        stmt = select(RUN).order_by(RUN.c.id)
        if query is not None:
            stmt = stmt.where(RUN.c.query == query)
        if status is not None:
            stmt = stmt.where(RUN.c.status == status)
        with self.engine.connect() as conn:
            return [
                RunRecord(
                    id=r.id,
                    invocation=r.invocation,
                    query=r.query,
                    term=r.term,
                    source=r.source,
                    started=r.started,
                    finished=r.finished,
                    status=r.status,
                    found=r.found,
                    new=r.new,
                    updated=r.updated,
                    translation=r.translation,
                    error=r.error,
                )
                for r in conn.execute(stmt)
            ]

    def last_successful_run(self, query: str) -> RunRecord | None:
        runs = self.runs(query=query, status="ok")
        return runs[-1] if runs else None

    # -- records ------------------------------------------------------------------------
    def stored_pmids(self, pmids: Iterable[int]) -> set[int]:
        wanted = sorted(set(pmids))
        found: set[int] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                found.update(
                    conn.execute(select(ARTICLE.c.pmid).where(ARTICLE.c.pmid.in_(chunk))).scalars()
                )
        return found

    def count_articles(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ARTICLE)).scalar_one())

    def count_retracted(self, pmids: Iterable[int]) -> int:
        wanted = sorted(set(pmids))
        total = 0
        with self.engine.connect() as conn:
            for chunk in _chunks(wanted):
                total += int(
                    conn.execute(
                        select(func.count())
                        .select_from(ARTICLE)
                        .where(ARTICLE.c.pmid.in_(chunk), ARTICLE.c.retracted.is_(True))
                    ).scalar_one()
                )
        return total

    def upsert_articles(
        self, articles: Sequence[Article], run_id: int | None, query: str | None = None
    ) -> UpsertCounts:
        """Insert new records, update changed ones, in one transaction with their index."""
        latest = {a.pmid: a for a in articles}  # a file may hold a record twice: last wins
        with self.engine.begin() as conn:
            counts = self._write_articles(conn, list(latest.values()), run_id)
            if query is not None and run_id is not None:
                self._link(conn, query, list(latest), run_id)
        return counts

    def _existing_hashes(self, conn: Connection, pmids: list[int]) -> dict[int, str]:
        hashes: dict[int, str] = {}
        for chunk in _chunks(pmids):
            rows = conn.execute(
                select(ARTICLE.c.pmid, ARTICLE.c.content_hash).where(ARTICLE.c.pmid.in_(chunk))
            )
            hashes.update((int(p), str(h)) for p, h in rows)
        return hashes

    def _write_articles(
        self, conn: Connection, articles: list[Article], run_id: int | None
    ) -> UpsertCounts:
        existing = self._existing_hashes(conn, [a.pmid for a in articles])
        now = _now()
        new_rows, changed_rows, touched = [], [], []
        for a in articles:
            row = article_row(a)
            if a.pmid not in existing:
                new_rows.append(
                    {**row, "first_seen_run": run_id, "last_changed_run": run_id, "stored_at": now}
                )
                touched.append(a)
            elif existing[a.pmid] != row["content_hash"]:
                changed_rows.append({**row, "last_changed_run": run_id, "stored_at": now})
                touched.append(a)
        if new_rows:
            conn.execute(insert(ARTICLE), new_rows)
        if changed_rows:
            stmt = sqlite_insert(ARTICLE)
            keep = {"pmid", "first_seen_run"}
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[ARTICLE.c.pmid],
                    set_={c: stmt.excluded[c] for c in changed_rows[0] if c not in keep},
                ),
                changed_rows,
            )
            conn.execute(_FTS_DELETE, [{"rowid": r["pmid"]} for r in changed_rows])
        if touched:
            conn.execute(_FTS_INSERT, [_fts_row(a) for a in touched])
        return UpsertCounts(
            new=len(new_rows),
            updated=len(changed_rows),
            unchanged=len(articles) - len(new_rows) - len(changed_rows),
        )

    def _link(self, conn: Connection, query: str, pmids: list[int], run_id: int) -> None:
        rows = [{"pmid": p, "query": query, "first_run": run_id, "last_run": run_id} for p in pmids]
        for chunk in _chunks(rows, 5000):
            stmt = sqlite_insert(PROVENANCE)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[PROVENANCE.c.pmid, PROVENANCE.c.query],
                    set_={"last_run": stmt.excluded.last_run},
                ),
                list(chunk),
            )

    def record_query_hits(self, query: str, pmids: Iterable[int], run_id: int) -> None:
        """Provenance for records a search found that are already stored."""
        stored = sorted(self.stored_pmids(pmids))
        if stored:
            with self.engine.begin() as conn:
                self._link(conn, query, stored, run_id)

    def replace_parsed(self, articles: Sequence[Article]) -> int:
        """Rewrite the parsed columns of stored records (reparse); raw XML and runs untouched."""
        if not articles:
            return 0
        rows = [{f"b_{k}": v for k, v in article_row(a).items()} for a in articles]
        keys = [k[2:] for k in rows[0] if k not in ("b_pmid", "b_raw_xml", "b_content_hash")]
        # Bind names differ from column names: SQLAlchemy reserves those for the SET clause.
        stmt = (
            update(ARTICLE)
            .where(ARTICLE.c.pmid == bindparam("b_pmid"))
            .values({k: bindparam(f"b_{k}") for k in keys})
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, rows)
            conn.execute(_FTS_DELETE, [{"rowid": a.pmid} for a in articles])
            conn.execute(_FTS_INSERT, [_fts_row(a) for a in articles])
        return len(articles)

    def iter_raw_xml(self, batch: int = 1000) -> Iterator[list[tuple[int, bytes]]]:
        """Stored raw XML in PMID order, a batch at a time (memory stays flat)."""
        last = -1
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(ARTICLE.c.pmid, ARTICLE.c.raw_xml)
                    .where(ARTICLE.c.pmid > last)
                    .order_by(ARTICLE.c.pmid)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield [(int(p), bytes(x)) for p, x in rows]
            last = int(rows[-1][0])

    def search_pmids(
        self,
        node: Node,
        datetype: str | None = None,
        mindate: str | None = None,
        maxdate: str | None = None,
    ) -> list[int]:
        sql, params = compile_search(node, datetype, mindate, maxdate)
        with self.engine.connect() as conn:
            return [int(p) for p in conn.execute(text(sql), params).scalars()]

    def fetch_raw_xml(self, pmids: Sequence[int]) -> list[bytes]:
        """Raw XML of the given records, in the order asked (for offline sources)."""
        found: dict[int, bytes] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(list(pmids)):
                rows = conn.execute(
                    select(ARTICLE.c.pmid, ARTICLE.c.raw_xml).where(ARTICLE.c.pmid.in_(chunk))
                )
                found.update((int(p), bytes(x)) for p, x in rows)
        return [found[p] for p in pmids if p in found]

    def article_rows(self, pmids: Sequence[int] | None = None) -> list[dict[str, Any]]:
        """Stored records as plain dicts with their saved searches, for listings and export."""
        prov = (
            select(PROVENANCE.c.pmid, func.group_concat(PROVENANCE.c.query, ";").label("queries"))
            .group_by(PROVENANCE.c.pmid)
            .subquery()
        )
        cols = [c for c in ARTICLE.c if c.name != "raw_xml"]
        stmt = select(*cols, prov.c.queries).outerjoin(prov, prov.c.pmid == ARTICLE.c.pmid)
        stmt = stmt.order_by(ARTICLE.c.pmid.desc())
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            if pmids is None:
                out = [dict(r._mapping) for r in conn.execute(stmt)]
            else:
                for chunk in _chunks(list(pmids)):
                    out += [
                        dict(r._mapping)
                        for r in conn.execute(stmt.where(ARTICLE.c.pmid.in_(chunk)))
                    ]
        return out

    def pmids_first_seen_in(self, run_ids: Sequence[int]) -> list[int]:
        with self.engine.connect() as conn:
            return [
                int(p)
                for p in conn.execute(
                    select(ARTICLE.c.pmid)
                    .where(ARTICLE.c.first_seen_run.in_(list(run_ids)))
                    .order_by(ARTICLE.c.pmid.desc())
                ).scalars()
            ]

    def pmids_changed_in(self, run_ids: Sequence[int]) -> list[int]:
        with self.engine.connect() as conn:
            return [
                int(p)
                for p in conn.execute(
                    select(ARTICLE.c.pmid).where(
                        ARTICLE.c.last_changed_run.in_(list(run_ids)),
                        ARTICLE.c.first_seen_run.not_in(list(run_ids)),
                    )
                ).scalars()
            ]
