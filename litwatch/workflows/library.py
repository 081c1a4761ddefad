"""Use cases over the stored library: import files, reparse, status, local search, export."""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import re
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litwatch.claims.catalogue import Catalogue
from litwatch.config import load_network_settings
from litwatch.errors import InputFileError, LitwatchError
from litwatch.models import Reference, RunRecord, RunSummary, SearchResult
from litwatch.pubmed.medline import iter_medline_chunks, looks_like_medline
from litwatch.pubmed.parse import (
    MalformedXMLError,
    count_records,
    iter_record_chunks,
    parse_article_xml,
    read_head,
)
from litwatch.pubmed.query import parse_term
from litwatch.store import open_existing_store, open_store
from litwatch.store.rows import EncodedArticles, merge_encoded
from litwatch.workflows.encode import encode_chunk, encode_parsed
from litwatch.workflows.interrupts import interruptible
from litwatch.workflows.progress import RunProgress
from litwatch.workflows.sources import PubMedSource
from litwatch.workflows.tagging import load_catalogue_for, tag_store
from litwatch.workflows.workers import follow_parent

if TYPE_CHECKING:
    from litwatch.store import Store

IMPORT_BATCH = 250  # records a chunk: 500 took ~80 MB more at peak, for no speed
# Records a transaction: SQLite and its full-text index do ~20% less work a record than in
# transactions of one chunk (fewer index segments to flush and merge).
WRITE_BATCH = 1000
PARALLEL_MIN_BYTES = 16 << 20  # below ~2,500 records, starting workers costs more than it saves


def _import_workers() -> int:
    raw = os.environ.get("LITWATCH_WORKERS")
    if raw is not None and raw.strip().isdigit():
        return int(raw)
    return min(os.cpu_count() or 1, 4)


def _worker_context() -> multiprocessing.context.BaseContext:
    # fork starts workers at once (spawn re-imports the CLI: ~1.5 s a worker). It is safe
    # here: the CLI runs no threads (its progress bar refreshes without one) and workers only
    # parse. Where fork is not offered, spawn.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


@contextmanager
def _parsing_pool(paths: Sequence[Path]) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for the import, or None when no file is worth them."""
    workers = _import_workers()
    if workers < 2 or all(p.stat().st_size < PARALLEL_MIN_BYTES for p in paths):
        yield None
        return
    pool = ProcessPoolExecutor(
        workers, mp_context=_worker_context(), initializer=follow_parent, initargs=(os.getpid(),)
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _EncodedBatches:
    """One file's records as encoded batches, in file order.

    With a pool, chunks start parsing in the workers as soon as this is made (an import makes
    the first file's before it opens the store, so they parse while SQLAlchemy loads), and a
    few stay in flight while this process writes, so memory stays flat. An error reading the
    file surfaces where its chunk would have, inside the file's run.
    """

    def __init__(
        self, path: Path, pool: ProcessPoolExecutor | None, catalogue: Catalogue | None
    ) -> None:
        self.path, self._pool, self._catalogue = path, pool, catalogue
        self._chunks = _record_chunks(path)
        self._pending: deque[Future[EncodedArticles]] = deque()
        if pool is not None:
            # While this process writes a transaction, every worker is busy and a
            # transaction's worth more chunks are queued, so the workers keep going; memory
            # stays flat (a few chunks in flight).
            self._depth = _import_workers() + WRITE_BATCH // IMPORT_BATCH
            self._fill(pool)

    @property
    def total(self) -> int | None:
        return _record_count(self.path)

    def _fill(self, pool: ProcessPoolExecutor) -> None:
        while len(self._pending) < self._depth:
            try:
                chunk = next(self._chunks, None)
            except LitwatchError as exc:
                failed: Future[EncodedArticles] = Future()
                failed.set_exception(exc)
                self._pending.append(failed)
                self._chunks = iter(())
                return
            if chunk is None:
                return
            self._pending.append(pool.submit(encode_chunk, chunk, self._catalogue))

    def __iter__(self) -> Iterator[EncodedArticles]:
        if self._pool is None:
            yield from (encode_chunk(c, self._catalogue) for c in self._chunks)
            return
        while self._pending:
            yield self._pending.popleft().result()
            self._fill(self._pool)


_PMID_FIRST = re.compile(rb"\s*\d+(?:[\s,;]|$)")  # a list is checked whole as it is read


def file_kind(path: Path) -> str:
    """ "xml", "medline" or "pmids" (a list of PMIDs to fetch), told from the first bytes."""
    head = read_head(path)
    if looks_like_medline(head):
        return "medline"
    if head.lstrip().startswith(b"<"):
        return "xml"
    if _PMID_FIRST.match(head):
        return "pmids"
    raise InputFileError(
        f"{path}: not a format litwatch reads (PubMed XML .xml/.xml.gz, MEDLINE .nbib, or a "
        "list of PMIDs). On the PubMed website choose Save, Format: PubMed (or PMID); from "
        "E-utilities, efetch with retmode=xml"
    )


def _record_count(path: Path) -> int | None:
    """The records a file holds, counted cheaply for the progress bar (None: unknown)."""
    if file_kind(path) == "medline":
        return count_records(path, b"PMID-")
    return count_records(path)


def _record_chunks(path: Path) -> Iterator[bytes]:
    """The file's records as chunks of PubMed XML, whichever format it is in."""
    if file_kind(path) == "medline":
        return iter_medline_chunks(path, IMPORT_BATCH)
    return iter_record_chunks(path, IMPORT_BATCH)


def read_pmid_list(path: Path) -> list[int]:
    """The PMIDs of a list file, in order, each once; anything else in it is refused."""
    text = path.read_text(encoding="utf-8-sig")
    for n, line in enumerate(text.splitlines(), 1):
        bad = next((t for t in re.split(r"[\s,;]+", line) if t and not t.isdigit()), None)
        if bad is not None:
            raise InputFileError(f"{path}: line {n}: {bad!r} is not a PMID")
    return list(dict.fromkeys(int(t) for t in re.split(r"[\s,;]+", text) if t))


class _FetchedBatches:
    """The records of a PMID list, fetched from PubMed in batches as they are written."""

    def __init__(self, path: Path, catalogue: Catalogue | None) -> None:
        self.path, self._catalogue = path, catalogue
        self.pmids = read_pmid_list(path)

    @property
    def total(self) -> int | None:
        return len(self.pmids)

    def __iter__(self) -> Iterator[EncodedArticles]:
        wanted = SearchResult(count=len(self.pmids), pmids=tuple(self.pmids))
        with PubMedSource(load_network_settings()) as source:
            for articles in source.fetch_batches(wanted, self.pmids):
                yield encode_parsed(articles, self._catalogue)


@dataclass
class _FileNotes:
    """What an import says about its file besides the counts: records left out, and PMIDs
    the file holds more than once (the later copy is stored)."""

    seen: set[int] = field(default_factory=set)
    repeated: dict[int, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)

    def read(self, batch: EncodedArticles) -> None:
        self.rejected += batch.rejected
        for pmid in batch.repeated:
            self.repeated[pmid] = self.repeated.get(pmid, 1) + 1
        for row in batch.rows:
            if row[0] in self.seen:
                self.repeated[row[0]] = self.repeated.get(row[0], 1) + 1
            self.seen.add(row[0])

    def warnings(self) -> tuple[str, ...]:
        out = [f"left out: {reason}" for reason in self.rejected]
        if self.repeated:
            listed = ", ".join(f"{p} ({n} times)" for p, n in list(self.repeated.items())[:10])
            more = f" and {len(self.repeated) - 10} more" if len(self.repeated) > 10 else ""
            out.append(f"PMIDs in the file more than once, the later copy stored: {listed}{more}")
        return tuple(out)


def _transactions(
    batches: Iterable[EncodedArticles], notes: _FileNotes
) -> Iterator[EncodedArticles]:
    """Consecutive batches merged to at least `WRITE_BATCH` records, to write each in one
    transaction. When reading a batch fails (a cut file), those gathered before it are still
    given to be written, then the error is raised."""
    group: list[EncodedArticles] = []
    gathered = 0
    failure: Exception | None = None
    try:
        for batch in batches:
            notes.read(batch)
            group.append(batch)
            gathered += len(batch.rows)
            if gathered >= WRITE_BATCH:
                yield merge_encoded(group)
                group, gathered = [], 0
    except (LitwatchError, MalformedXMLError) as exc:
        failure = exc
    if group:
        yield merge_encoded(group)
    if failure is not None:
        raise failure


_Batches = _EncodedBatches | _FetchedBatches


def _import_one(
    store: Store, batches: _Batches, invocation: int, progress: RunProgress
) -> RunSummary:
    path = batches.path
    run_id = store.record_run_start(
        invocation, f"import:{path.name}", str(path), f"import:{path.name}"
    )
    started = time.monotonic()
    progress.start(f"import {path.name}", batches.total)
    new = updated = found = 0
    notes = _FileNotes()
    gc_was_on = gc.isenabled()
    gc.disable()  # unpickled batches are many small objects and no cycles (as in the workers)
    try:
        for batch in _transactions(batches, notes):
            counts = store.write_encoded(batch, run_id)
            found += len(batch.rows)
            new, updated = new + counts.new, updated + counts.updated
            progress.advance(len(batch.rows))
    except MalformedXMLError as exc:
        error = InputFileError(f"{path}: {exc}")
        store.record_run_end(
            run_id, "failed", found=found, new=new, updated=updated, error=str(error)
        )
        raise error from None
    except LitwatchError as exc:
        store.record_run_end(
            run_id, "failed", found=found, new=new, updated=updated, error=str(exc)
        )
        raise
    finally:
        if gc_was_on:
            gc.enable()
    summary = RunSummary(
        query=f"import:{path.name}",
        status="ok",
        found=found,
        new=new,
        updated=updated,
        seconds=time.monotonic() - started,
        warnings=notes.warnings(),
    )
    store.record_run_end(
        run_id, "ok", found=found, new=new, updated=updated, warnings=summary.warnings
    )
    progress.finish(summary)
    return summary


def import_files(
    db: Path,
    paths: Sequence[Path],
    progress: RunProgress,
    claims: Path | None = None,
    tag: bool = True,
) -> list[RunSummary]:
    """`litwatch import`: stream PubMed exports (XML or MEDLINE) into the store, tagging
    new and changed records with the claim catalogue as they are parsed (unless `tag` is
    off: then the next command that needs tags does it)."""
    catalogue = load_catalogue_for(claims) if tag else None
    for path in paths:  # all checked before anything is stored
        if not path.is_file():
            raise InputFileError(f"{path}: no such file")
    lists = {p: _FetchedBatches(p, catalogue) for p in paths if file_kind(p) == "pmids"}
    if not paths:
        return []

    def batches(path: Path, pool: ProcessPoolExecutor | None) -> _Batches:
        return lists.get(path) or _EncodedBatches(path, pool, catalogue)

    with _parsing_pool([p for p in paths if p not in lists]) as pool:
        first = batches(paths[0], pool)  # parsing while the store opens
        with open_store(db) as store:
            store.claim_origin("pubmed")
            store.mark_killed_runs()
            invocation = store.next_invocation()
            # Each later file starts parsing only when the one before is written: memory
            # stays flat.
            later = (batches(path, pool) for path in paths[1:])
            with interruptible(store, invocation, "import the same files again"):
                summaries = [
                    _import_one(store, b, invocation, progress)
                    for b in itertools.chain([first], later)
                ]
                if catalogue is not None:
                    # Records stored before, tagged under older claims.
                    tag_store(store, catalogue, progress)
            return summaries


def reparse_store(db: Path, progress: RunProgress) -> int:
    """`litwatch reparse`: rebuild every parsed field from the stored raw XML, offline."""
    with open_existing_store(db) as store:
        progress.start("reparse", store.count_articles())
        done = 0
        for batch in store.iter_raw_xml():
            done += store.replace_parsed([parse_article_xml(raw) for _pmid, raw in batch])
            progress.advance(len(batch))
        return done


@dataclass(frozen=True)
class StoreStatus:
    path: Path
    origin: str | None
    records: int
    last_runs: tuple[RunRecord, ...]
    latest_invocation: tuple[RunRecord, ...]
    new_records: tuple[dict[str, Any], ...]
    changed_records: tuple[dict[str, Any], ...]


def status_of_store(db: Path) -> StoreStatus:
    """`litwatch status`: size, the last run of each search, what the latest run brought."""
    with open_existing_store(db) as store:
        store.mark_killed_runs()
        runs = store.runs()
        last: dict[str, RunRecord] = {}
        for r in runs:
            last[r.query] = r
        latest = [r for r in runs if runs and r.invocation == runs[-1].invocation]
        ids = [r.id for r in latest]
        return StoreStatus(
            path=db,
            origin=store.origin(),
            records=store.count_articles(),
            last_runs=tuple(last.values()),
            latest_invocation=tuple(latest),
            new_records=tuple(store.article_rows(store.pmids_first_seen_in(ids))),
            changed_records=tuple(store.article_rows(store.pmids_changed_in(ids))),
        )


def search_store(db: Path, term: str, limit: int | None = None) -> tuple[int, list[dict[str, Any]]]:
    """`litwatch search`: evaluate a PubMed term over the local store (count, newest first)."""
    node = parse_term(term)
    with open_existing_store(db) as store:
        pmids = store.search_pmids(node)
        shown = pmids[:limit] if limit else pmids
        return len(pmids), store.article_rows(shown)


def search_references(db: Path, term: str, limit: int | None = None) -> list[Reference]:
    """`litwatch search --format ris`: the hits, newest first, as references."""
    node = parse_term(term)
    with open_existing_store(db) as store:
        pmids = store.search_pmids(node)
        return store.references(pmids[:limit] if limit else pmids)


def records_for_export(db: Path) -> tuple[list[dict[str, Any]], str | None]:
    with open_existing_store(db) as store:
        return store.article_rows(), store.origin()
