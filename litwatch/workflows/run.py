"""`litwatch run`: each saved search, incrementally, from PubMed or a local file into the store.

A run fetches only PMIDs the store lacks, plus stored records PubMed revised since the
search's last successful run (esearch on `mdat`), so corrections and retractions arrive.
A re-run with nothing new or revised sends no efetch at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from litwatch.config import find_bundled, load_network_settings
from litwatch.errors import InputFileError, LitwatchError
from litwatch.models import RunSummary, SavedSearch, SearchResult
from litwatch.searches import load_saved_searches
from litwatch.store import open_store
from litwatch.workflows.interrupts import interruptible
from litwatch.workflows.progress import RunProgress
from litwatch.workflows.sources import LocalSource, PubMedSource, Source
from litwatch.workflows.tagging import load_catalogue_for, tag_store

if TYPE_CHECKING:
    from litwatch.store import Store


def effective_term(search: SavedSearch) -> str:
    """The term as sent: a `mindate` becomes a publication-date range inside the term, so the
    same filter holds for the revision search (which uses the modification date)."""
    if search.mindate:
        return f"({search.term}) AND ({search.mindate}:3000[dp])"
    return search.term


def _needed(store: Store, source: Source, search: SavedSearch, result: SearchResult) -> list[int]:
    stored = store.stored_pmids(result.pmids)
    needed = [p for p in result.pmids if p not in stored]
    last = store.last_successful_run(search.name)
    if last is not None:
        # A day of overlap: mdat has a resolution of days; unchanged records are not rewritten.
        since = (last.started.date() - timedelta(days=1)).strftime("%Y/%m/%d")
        revised = source.search_revised(effective_term(search), since)
        known = set(needed)
        needed += [p for p in revised.pmids if p in stored and p not in known]
    return needed


def _translation_note(store: Store, search: SavedSearch, translation: str | None) -> str | None:
    """The previous translation, when PubMed now reads the unchanged term differently."""
    previous = [r for r in store.runs(query=search.name, status="ok") if r.term == search.term]
    if previous and translation and previous[-1].translation not in (None, translation):
        return previous[-1].translation
    return None


@dataclass
class _Tally:
    """What a run of one saved search has done so far (kept when it fails midway)."""

    run_id: int
    started: float
    requests_before: int
    new: int = 0
    updated: int = 0


def _fetch_and_store(
    store: Store, source: Source, search: SavedSearch, tally: _Tally, progress: RunProgress
) -> RunSummary:
    """Search, fetch what is needed, store it batch by batch; the summary of a success."""
    result = source.search(effective_term(search))
    changed_from = _translation_note(store, search, result.translation)
    needed = _needed(store, source, search, result)
    progress.start(search.name, len(needed))
    for batch in source.fetch_batches(result, needed):
        counts = store.upsert_articles(batch, tally.run_id, search.name)
        tally.new, tally.updated = tally.new + counts.new, tally.updated + counts.updated
        progress.advance(len(batch))
    store.record_query_hits(search.name, result.pmids, tally.run_id)
    warnings = []
    if len(result.pmids) < result.count:
        warnings.append(f"PubMed reported {result.count} hits but listed {len(result.pmids)}")
    return RunSummary(
        query=search.name, status="ok", found=result.count, new=tally.new,
        updated=tally.updated, retracted=store.count_retracted(result.pmids),
        requests=source.requests - tally.requests_before,
        seconds=time.monotonic() - tally.started, translation=result.translation,
        translation_changed_from=changed_from, warnings=tuple(warnings),
    )  # fmt: skip


def run_saved_search(
    store: Store, source: Source, search: SavedSearch, invocation: int, progress: RunProgress
) -> RunSummary:
    """Run one saved search; a failure is recorded and returned, never half-stored."""
    run_id = store.record_run_start(invocation, search.name, search.term, source.label)
    tally = _Tally(run_id, time.monotonic(), source.requests)
    try:
        summary = _fetch_and_store(store, source, search, tally, progress)
    except LitwatchError as exc:
        summary = RunSummary(
            query=search.name, status="failed", new=tally.new, updated=tally.updated,
            requests=source.requests - tally.requests_before,
            seconds=time.monotonic() - tally.started, error=str(exc),
        )  # fmt: skip
    store.record_run_end(
        run_id, summary.status, found=summary.found, new=summary.new, updated=summary.updated,
        retracted=summary.retracted, requests=summary.requests,
        translation=summary.translation, warnings=summary.warnings, error=summary.error,
    )  # fmt: skip
    progress.finish(summary)
    return summary


def find_sample_file() -> Path:
    """The bundled sample: `data/sample/kratom-dev.xml` in the working folder or the checkout."""
    path = find_bundled(Path("data/sample/kratom-dev.xml"))
    if path is not None:
        return path
    raise InputFileError(
        "the bundled sample (data/sample/kratom-dev.xml) is not here: run from the litwatch "
        "checkout, or give a PubMed XML file with --from FILE"
    )


def run_command(
    db: Path,
    queries: Path,
    names: list[str],
    *,
    sample: bool,
    from_file: Path | None,
    progress: RunProgress,
    claims: Path | None = None,
) -> list[RunSummary]:
    """`litwatch run`: load the saved searches, pick the source, run them into `db`, then tag
    what is new or changed with the claim catalogue."""
    catalogue = load_catalogue_for(claims)  # a broken catalogue fails before any fetching
    searches = load_saved_searches(queries, names or None)
    source: PubMedSource | LocalSource
    if sample or from_file is not None:
        # --sample marks the records as the synthetic sample (its own store, a banner on
        # everything); --from picks the file (with --sample: the bundled one by default).
        path = from_file if from_file is not None else find_sample_file()
        if not path.is_file():
            raise InputFileError(f"{path}: no such file")
        source = LocalSource(path, "sample" if sample else f"file:{path.name}")
        origin = "sample" if sample else "pubmed"
    else:
        source = PubMedSource(load_network_settings(), on_retry=progress.note)
        origin = "pubmed"
    with open_store(db) as store, source:
        store.claim_origin(origin)
        store.mark_killed_runs()
        invocation = store.next_invocation()
        with interruptible(store, invocation, "run `litwatch run` again"):
            summaries = [run_saved_search(store, source, s, invocation, progress) for s in searches]
            tag_store(store, catalogue, progress)
        store.finish_invocation(invocation)
        return summaries
