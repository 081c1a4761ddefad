"""Use cases over the stored library: import files, reparse, status, local search, export."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litwatch.errors import LitwatchError
from litwatch.models import Article, RunRecord, RunSummary
from litwatch.pubmed.parse import iter_articles_from_file, parse_article_xml
from litwatch.pubmed.query import parse_term
from litwatch.store import Store, open_store
from litwatch.workflows.run import RunProgress

IMPORT_BATCH = 2000


def _import_one(store: Store, path: Path, invocation: int, progress: RunProgress) -> RunSummary:
    run_id = store.record_run_start(
        invocation, f"import:{path.name}", str(path), f"import:{path.name}"
    )
    started = time.monotonic()
    progress.start(f"import {path.name}", 0)
    new = updated = found = 0
    batch: list[Article] = []

    def flush() -> None:
        nonlocal new, updated
        counts = store.upsert_articles(batch, run_id)
        new, updated = new + counts.new, updated + counts.updated
        progress.advance(len(batch))
        batch.clear()

    try:
        for article in iter_articles_from_file(path):
            batch.append(article)
            found += 1
            if len(batch) >= IMPORT_BATCH:
                flush()
        flush()
    except LitwatchError as exc:
        store.record_run_end(
            run_id, "failed", found=found, new=new, updated=updated, error=str(exc)
        )
        raise
    summary = RunSummary(
        query=f"import:{path.name}",
        status="ok",
        found=found,
        new=new,
        updated=updated,
        seconds=time.monotonic() - started,
    )
    store.record_run_end(run_id, "ok", found=found, new=new, updated=updated)
    progress.finish(summary)
    return summary


def import_files(db: Path, paths: Sequence[Path], progress: RunProgress) -> list[RunSummary]:
    """`litwatch import`: stream PubMed XML exports (.xml, .xml.gz) into the store."""
    with open_store(db) as store:
        store.claim_origin("pubmed")
        invocation = store.next_invocation()
        return [_import_one(store, p, invocation, progress) for p in paths]


def reparse_store(db: Path, progress: RunProgress) -> int:
    """`litwatch reparse`: rebuild every parsed field from the stored raw XML, offline."""
    with open_store(db) as store:
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
    with open_store(db) as store:
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
    with open_store(db) as store:
        pmids = store.search_pmids(node)
        shown = pmids[:limit] if limit else pmids
        return len(pmids), store.article_rows(shown)


def records_for_export(db: Path) -> tuple[list[dict[str, Any]], str | None]:
    with open_store(db) as store:
        return store.article_rows(), store.origin()
