"""`Store`: every read and write of the database, each write in one transaction.

A batch of records is stored all or nothing: its rows, its full-text index entries and its
provenance commit together, so a failure never leaves a half-stored record.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, case, func, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError

from litwatch.errors import StoreError
from litwatch.models import (
    Article,
    Author,
    Reference,
    Review,
    RunRecord,
    TaggedRecord,
    UpsertCounts,
)
from litwatch.pubmed.query import Node
from litwatch.signals import deferred
from litwatch.store import history
from litwatch.store.checkpoint import BackgroundCheckpointer
from litwatch.store.rows import (
    EXISTING_HASHES_SQL,
    FTS_DELETE_SQL,
    FTS_INSERT_SQL,
    HASH_INDEX,
    INSERT_NEW_SQL,
    REVISED_INDEX,
    ROW_COLUMNS,
    TAG_INSERT_SQL,
    UPSERT_CHANGED_SQL,
    EncodedArticles,
    encode_articles,
    json_text,
)
from litwatch.store.search import compile_search
from litwatch.store.tables import ArticleQueryRow, ArticleRow, ClaimTagRow, RunRow, StoreInfoRow

_CHUNK = 900  # stay well under SQLite's bound-parameter limit
ARTICLE = ArticleRow.__table__  # type: ignore[attr-defined]
RUN = RunRow.__table__  # type: ignore[attr-defined]
PROVENANCE = ArticleQueryRow.__table__  # type: ignore[attr-defined]
INFO = StoreInfoRow.__table__  # type: ignore[attr-defined]
TAG = ClaimTagRow.__table__  # type: ignore[attr-defined]


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _author_names(stored: str) -> tuple[Author, ...]:
    return tuple(
        Author(a["last_name"], a["fore_name"], a["initials"], a["collective_name"])
        for a in json.loads(stored)
    )


_CITATION_FIELDS = (
    "pmid",
    "title",
    "first_author",
    "journal",
    "journal_abbrev",
    "pub_year",
    "doi",
    "design",
    "population",
    "retracted",
    "first_seen_run",
    "entrez_date",
    "authors",
    "volume",
    "issue",
    "pages",
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, run by another user
        return True
    return True


def _older(revised: str | None, stored: str | None) -> bool:
    """A copy revised before the stored one: never let it undo a correction or retraction."""
    return revised is not None and stored is not None and revised < stored


def _tag_order(row: dict[str, Any]) -> tuple[str, int, int]:
    """By claim, newest year first (no year last), then highest PMID."""
    year = row["pub_year"]
    return (row["claim_id"], -year if year is not None else 1, -int(row["pmid"]))


def _tag_rows(results: Sequence[TaggedRecord], version: str) -> list[tuple[Any, ...]]:
    return [
        (r.pmid, t.claim_id, t.stance, t.sentence, t.section, version, t.rule)
        for r in results
        for t in r.tags
    ]


class Store:
    """The litwatch database. Open it with `open_store(path)`."""

    def __init__(self, engine: Engine, path: Path, read_only: bool = False) -> None:
        self.engine = engine
        self.path = path
        self.read_only = read_only  # a shared store this user cannot write: read as it is
        self._checkpointer = BackgroundCheckpointer(engine)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction that Ctrl-C and SIGTERM wait for (litwatch/signals.py)."""
        if self.read_only:
            raise StoreError(f"{self.path} is read-only here: this command would change it")
        try:
            with deferred(), self.engine.begin() as conn:
                # Take the write lock first: Python's sqlite3 begins a transaction only at
                # the first INSERT or UPDATE, so the reads before it (which records are new?)
                # ran outside it, and two imports at once both inserted the same PMIDs. A
                # write statement matching no row begins the transaction and takes the lock.
                conn.exec_driver_sql("UPDATE store_info SET value = value WHERE 0")
                yield conn
        except OperationalError as exc:
            if "locked" not in str(exc.orig):
                raise
            # Another litwatch kept the write lock longer than SQLite's busy timeout (30 s).
            raise StoreError(
                f"{self.path} is busy: another litwatch has been writing to it for 30 s; "
                "run this again when it has finished"
            ) from None

    def close(self) -> None:
        """Finish background work (called by `open_store` before the engine goes)."""
        self._checkpointer.close()

    # -- what kind of store this is ------------------------------------------------------
    def claim_origin(self, origin: str) -> None:
        """Mark the store as holding `origin` records (pubmed | sample); refuse to mix."""
        with self._writing() as conn:
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
        with self._writing() as conn:
            result = conn.execute(
                insert(RUN).values(
                    invocation=invocation,
                    query=query,
                    term=term,
                    source=source,
                    started=_now(),
                    status="running",
                    pid=os.getpid(),
                    host=socket.gethostname(),
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def record_run_end(self, run_id: int, status: str, **counts: Any) -> None:
        if "warnings" in counts:
            counts["warnings"] = json_text(list(counts["warnings"]))
        with self._writing() as conn:
            conn.execute(
                update(RUN)
                .where(RUN.c.id == run_id)
                .values(finished=_now(), status=status, **counts)
            )

    def mark_killed_runs(self) -> int:
        """Runs left `running` by a process of this machine that no longer exists (killed
        outright) become `interrupted`; a run still going, or on another machine, is kept."""
        with self.engine.connect() as conn:
            running = conn.execute(
                select(RUN.c.id, RUN.c.pid).where(
                    RUN.c.status == "running", RUN.c.host == socket.gethostname()
                )
            ).all()
        gone = [run_id for run_id, pid in running if pid is not None and not _alive(pid)]
        if gone and not self.read_only:
            with self._writing() as conn:
                conn.execute(
                    update(RUN)
                    .where(RUN.c.id.in_(gone), RUN.c.status == "running")
                    .values(status="interrupted", error="the process ended without finishing")
                )
        return len(gone)

    def interrupt_invocation(self, invocation: int) -> int:
        """Mark the invocation's unfinished runs `interrupted`; the records it first stored."""
        with self._writing() as conn:
            conn.execute(
                update(RUN)
                .where(RUN.c.invocation == invocation, RUN.c.status == "running")
                .values(status="interrupted", finished=_now())
            )
            runs = select(RUN.c.id).where(RUN.c.invocation == invocation)
            stmt = select(func.count()).where(ARTICLE.c.first_seen_run.in_(runs))
            return int(conn.execute(stmt).scalar_one())

    def finish_invocation(self, invocation: int) -> None:
        """A run ends when its records are tagged too: its searches' end is moved there, so
        the next digest starts from the state this run left."""
        with self._writing() as conn:
            conn.execute(
                update(RUN)
                .where(RUN.c.invocation == invocation, RUN.c.finished.is_not(None))
                .values(finished=_now())
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

    def grades(self, pmids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """The stored design and population of these records (those graded)."""
        out: dict[int, tuple[str, str]] = {}
        cols = (ARTICLE.c.pmid, ARTICLE.c.design, ARTICLE.c.population)
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(pmids))):
                for pmid, design, population in conn.execute(
                    select(*cols).where(ARTICLE.c.pmid.in_(chunk))
                ):
                    if design is not None:
                        out[pmid] = (design, population or "none")
        return out

    def count_articles(self, as_of: datetime | None = None) -> int:
        if as_of is not None:
            with self.engine.connect() as conn:
                return len(history.record_states(conn, history.stamp(as_of)))
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
        return self.write_encoded(encode_articles(articles), run_id, query)

    def write_encoded(
        self, batch: EncodedArticles, run_id: int | None, query: str | None = None
    ) -> UpsertCounts:
        """Store a batch made by `encode_articles` (possibly in another process), all or nothing."""
        with self._writing() as conn:
            counts, new, changed = self._write_rows(conn, batch, run_id)
            if batch.tag_version is not None:
                # Tags of the records written now (new ones have their grades already);
                # unchanged records keep theirs.
                version = batch.tag_version
                rows = _tag_rows([t for t in batch.tagged if t.pmid in new], version)
                if rows:
                    conn.exec_driver_sql(TAG_INSERT_SQL, rows)
                self._write_tags(conn, [t for t in batch.tagged if t.pmid in changed], version)
            if query is not None and run_id is not None:
                self._link(conn, query, [row[0] for row in batch.rows], run_id)
        self._checkpointer.request()
        return counts

    def _existing_hashes(
        self, conn: Connection, pmids: list[int]
    ) -> dict[int, tuple[str, str | None]]:
        rows = conn.exec_driver_sql(EXISTING_HASHES_SQL, (json_text(pmids),))
        return {int(p): (str(h), r) for p, h, r in rows}

    def _write_rows(
        self, conn: Connection, batch: EncodedArticles, run_id: int | None
    ) -> tuple[UpsertCounts, set[int], set[int]]:
        # The import's hot path: plain DB-API executemany with tuples (SQLAlchemy's per-row
        # parameter processing cost more than SQLite itself). Values are stored exactly as
        # SQLAlchemy would store them (ISO dates, 0/1 booleans), so the ORM reads them back.
        existing = self._existing_hashes(conn, [row[0] for row in batch.rows])
        grades = {t.pmid: t for t in batch.tagged}  # new records get their grades in the INSERT
        stamp = _now().strftime("%Y-%m-%d %H:%M:%S.%f")
        new_rows, changed_rows, fts = [], [], []
        for row, fts_row in zip(batch.rows, batch.fts, strict=True):
            old = existing.get(row[0])
            if old is None:
                grade = grades.get(row[0])
                new_rows.append((
                    *row, run_id, run_id, stamp,
                    grade.design if grade else None, grade.population if grade else None,
                    batch.tag_version if grade else None,
                ))  # fmt: skip
            elif old[0] != row[HASH_INDEX] and not _older(row[REVISED_INDEX], old[1]):
                changed_rows.append((*row, run_id, stamp))
            else:  # unchanged, or an older revision than the one stored (a stale file)
                continue
            fts.append(fts_row)
        if new_rows:
            conn.exec_driver_sql(INSERT_NEW_SQL, new_rows)
        if changed_rows:
            conn.exec_driver_sql(UPSERT_CHANGED_SQL, changed_rows)
            conn.exec_driver_sql(FTS_DELETE_SQL, [(r[0],) for r in changed_rows])
        if fts:
            conn.exec_driver_sql(FTS_INSERT_SQL, fts)
        counts = UpsertCounts(
            new=len(new_rows),
            updated=len(changed_rows),
            unchanged=len(batch.rows) - len(new_rows) - len(changed_rows),
        )
        return counts, {r[0] for r in new_rows}, {r[0] for r in changed_rows}

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
            with self._writing() as conn:
                self._link(conn, query, stored, run_id)

    def replace_parsed(self, articles: Sequence[Article]) -> int:
        """Rewrite the parsed columns of stored records (reparse); raw XML and runs untouched."""
        if not articles:
            return 0
        batch = encode_articles(articles)
        keep = [
            i for i, c in enumerate(ROW_COLUMNS) if c not in ("pmid", "raw_xml", "content_hash")
        ]
        sql = (
            "UPDATE article SET "
            + ", ".join(f"{ROW_COLUMNS[i]} = ?" for i in keep)
            + ", tag_version = NULL WHERE pmid = ?"
        )
        with self._writing() as conn:
            conn.exec_driver_sql(sql, [(*(row[i] for i in keep), row[0]) for row in batch.rows])
            conn.exec_driver_sql(FTS_DELETE_SQL, [(row[0],) for row in batch.rows])
            conn.exec_driver_sql(FTS_INSERT_SQL, list(batch.fts))
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

    def references(self, pmids: Sequence[int] | None = None) -> list[Reference]:
        """Stored records as references (for citation exports), newest PMID first."""
        cols = [ARTICLE.c[n] for n in ("pmid", "title", "authors", "journal", "journal_abbrev",
                "pub_year", "volume", "issue", "pages", "doi", "abstract", "retracted")]  # fmt: skip
        stmt = select(*cols).order_by(ARTICLE.c.pmid.desc())
        with self.engine.connect() as conn:
            if pmids is None:
                rows = list(conn.execute(stmt))
            else:
                rows = []
                for chunk in _chunks(list(pmids)):
                    rows += conn.execute(stmt.where(ARTICLE.c.pmid.in_(chunk)))
        return [
            Reference(
                int(r.pmid),
                r.title,
                _author_names(r.authors),
                r.journal,
                r.journal_abbrev,
                r.pub_year,
                r.volume,
                r.issue,
                r.pages,
                r.doi,
                r.abstract,
                bool(r.retracted),
            )
            for r in sorted(rows, key=lambda r: -int(r.pmid))
        ]

    def pmids_with_design(self, design: str) -> set[int]:
        with self.engine.connect() as conn:
            stmt = select(ARTICLE.c.pmid).where(ARTICLE.c.design == design)
            return {int(p) for p in conn.execute(stmt).scalars()}

    def pmids_first_seen_since(self, since: datetime) -> set[int]:
        """Records whose first run started at or after `since`."""
        stmt = (
            select(ARTICLE.c.pmid)
            .join(RUN, RUN.c.id == ARTICLE.c.first_seen_run)
            .where(RUN.c.started >= since)
        )
        with self.engine.connect() as conn:
            return {int(p) for p in conn.execute(stmt).scalars()}

    def changes_in(self, run_ids: Sequence[int]) -> list[tuple[str, int, str]]:
        """(search, PMID, "new" | "revised") for the records these runs stored first or
        rewrote: under each saved search that found them in these runs, else (an import)
        under the run that wrote them."""
        runs = list(run_ids)
        new = ARTICLE.c.first_seen_run.in_(runs)
        kind = case((new, "new"), else_="revised").label("kind")
        changed = (
            select(ARTICLE.c.pmid, kind, RUN.c.query)
            .join(RUN, RUN.c.id == ARTICLE.c.last_changed_run)
            .where(new | ARTICLE.c.last_changed_run.in_(runs))
        )
        found = select(PROVENANCE.c.pmid, PROVENANCE.c.query).where(PROVENANCE.c.last_run.in_(runs))
        with self.engine.connect() as conn:
            searches: dict[int, list[str]] = {}
            for pmid, query in conn.execute(found):
                searches.setdefault(int(pmid), []).append(str(query))
            out = [
                (search, int(pmid), str(k))
                for pmid, k, writer in conn.execute(changed)
                for search in searches.get(int(pmid), [str(writer)])
            ]
        return sorted(out, key=lambda c: (c[0], -c[1]))

    def record_texts(self, pmids: Iterable[int]) -> dict[int, str]:
        """Title and abstract of each stored record, for checking that a quote is in it."""
        out: dict[int, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(sorted(set(pmids))):
                stmt = select(ARTICLE.c.pmid, ARTICLE.c.title, ARTICLE.c.abstract)
                for pmid, title, abstract in conn.execute(stmt.where(ARTICLE.c.pmid.in_(chunk))):
                    out[int(pmid)] = f"{title}\n{abstract}"
        return out

    def record_fields(self, pmids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """What a citation needs of each record (as in `tag_rows`)."""
        with self.engine.connect() as conn:
            return self._citation_fields(conn, list(pmids))

    def pmids_first_seen_from_invocation(self, invocation: int) -> set[int]:
        """Records first stored by run `invocation` or a later one."""
        stmt = (
            select(ARTICLE.c.pmid)
            .join(RUN, RUN.c.id == ARTICLE.c.first_seen_run)
            .where(RUN.c.invocation >= invocation)
        )
        with self.engine.connect() as conn:
            return {int(p) for p in conn.execute(stmt).scalars()}

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

    # -- claim tags and design grades -----------------------------------------------------
    def records_to_tag(self, version: str, batch: int = 2000) -> Iterator[list[dict[str, Any]]]:
        """Records never tagged, changed since, or tagged under another catalogue version."""
        cols = [
            ARTICLE.c[n]
            for n in (
                "pmid",
                "title",
                "abstract_sections",
                "mesh",
                "keywords",
                "chemicals",
                "publication_types",
            )
        ]
        last = -1
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(*cols)
                    .where(ARTICLE.c.pmid > last)
                    .where((ARTICLE.c.tag_version.is_(None)) | (ARTICLE.c.tag_version != version))
                    .order_by(ARTICLE.c.pmid)
                    .limit(batch)
                ).all()
            if not rows:
                return
            yield [
                {
                    "pmid": int(r.pmid),
                    "title": r.title,
                    "sections": json.loads(r.abstract_sections),
                    "mesh": json.loads(r.mesh),
                    "keywords": json.loads(r.keywords),
                    "chemicals": json.loads(r.chemicals),
                    "publication_types": json.loads(r.publication_types),
                }
                for r in rows
            ]
            last = int(rows[-1].pmid)

    def replace_tags(self, results: Sequence[TaggedRecord], version: str) -> None:
        """A batch of records' tags and grades, replacing what they had, in one transaction."""
        with self._writing() as conn:
            self._write_tags(conn, results, version)

    def _write_tags(self, conn: Connection, results: Sequence[TaggedRecord], version: str) -> None:
        if not results:
            return
        for chunk in _chunks([r.pmid for r in results]):
            conn.execute(TAG.delete().where(TAG.c.pmid.in_(chunk)))
        rows = _tag_rows(results, version)
        if rows:
            conn.exec_driver_sql(TAG_INSERT_SQL, rows)
        conn.exec_driver_sql(
            "UPDATE article SET design = ?, population = ?, tag_version = ? WHERE pmid = ?",
            [(r.design, r.population, version, r.pmid) for r in results],
        )

    def tag_rows(
        self, claim_id: str | None = None, as_of: datetime | None = None, reviews: bool = True
    ) -> list[dict[str, Any]]:
        """Every tag with what a citation needs about its record; `authors` as a tuple of
        `Author` (names only). People's reviews win over the tagger (`reviews=False`: the
        tagger's own). With `as_of`, the tags, reviews, records and their retraction and
        design as they stood then (citation fields are today's)."""
        at = None if as_of is None else history.stamp(as_of)
        with self.engine.connect() as conn:
            tags = history.tagger_tags(conn, at)
            if reviews:
                tags = history.overlay_reviews(tags, history.latest_reviews(conn, at))
            else:
                tags = [
                    {**t, "tagger_stance": t["stance"], "reviewed": False, "note": ""} for t in tags
                ]
            if claim_id is not None:
                tags = [t for t in tags if t["claim_id"] == claim_id]
            records = self._citation_fields(conn, sorted({int(t["pmid"]) for t in tags}))
            if at is not None:
                states = history.record_states(conn, at)
                records = {p: {**r, **states[p]} for p, r in records.items() if p in states}
        rows = [{**t, **records[int(t["pmid"])]} for t in tags if int(t["pmid"]) in records]
        rows.sort(key=_tag_order)
        return rows

    def _citation_fields(self, conn: Connection, pmids: list[int]) -> dict[int, dict[str, Any]]:
        cols = [ARTICLE.c[n] for n in _CITATION_FIELDS]
        out: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(pmids):
            for r in conn.execute(select(*cols).where(ARTICLE.c.pmid.in_(chunk))):
                row = dict(r._mapping)
                row["authors"] = _author_names(row["authors"])
                out[int(row.pop("pmid"))] = row
        return out

    # -- people's reviews (litwatch/store/history.py) ---------------------------------------
    def add_reviews(self, reviews: Sequence[Review]) -> int:
        """Store reviews, all or none; a review of a record not stored is refused."""
        if not reviews:
            return 0
        missing = {r.pmid for r in reviews} - self.stored_pmids(r.pmid for r in reviews)
        if missing:
            raise StoreError(f"no stored record with PMID {', '.join(map(str, sorted(missing)))}")
        with self._writing() as conn:
            history.insert_reviews(conn, reviews, _now())
        return len(reviews)

    def reviews_in_force(self, as_of: datetime | None = None) -> dict[tuple[int, str], Review]:
        with self.engine.connect() as conn:
            return history.latest_reviews(conn, None if as_of is None else history.stamp(as_of))

    def count_untagged(self, version: str) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(ARTICLE)
                    .where((ARTICLE.c.tag_version.is_(None)) | (ARTICLE.c.tag_version != version))
                ).scalar_one()
            )
