"""`litwatch digest`: what changed since a run or a date.

New and revised records per saved search (with the claims they touch), and every claim
whose status or certainty moved, with the records that moved it. "Before" is recomputed
from the store's history (tags, records' retraction and design, reviews as they stood just
before the window opened), so a digest can be asked for any run or date, not only the last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litwatch.errors import ConfigError, NoDatabaseError
from litwatch.models import (
    WHOLE_RECORD,
    ClaimChange,
    Digest,
    DigestRecord,
    DigestTag,
    RunRecord,
    SearchDigest,
)
from litwatch.report.verdicts import Verdict
from litwatch.store import open_existing_store
from litwatch.workflows.report import (
    find_rules,
    grade_rows,
    new_pmids,
    stamp_store,
    start_of_day,
    utc,
)
from litwatch.workflows.tagging import load_catalogue_for, tag_store

if TYPE_CHECKING:
    from litwatch.store import Store


def _window(runs: Sequence[RunRecord], since: str | None) -> tuple[datetime, str]:
    """Where the digest starts: the latest run (default), run N, or a day (UTC)."""
    if not runs:
        raise NoDatabaseError("nothing has been run into this database yet (run `litwatch run`)")
    if since is None or since.isdigit():
        invocation = runs[-1].invocation if since is None else int(since)
        started = [utc(r.started) for r in runs if r.invocation == invocation]
        if not started:
            raise ConfigError(
                f"--since {since}: no run {since} (runs are numbered 1 to {runs[-1].invocation})"
            )
        return min(started), f"run {invocation} ({min(started):%Y-%m-%d %H:%M} UTC)"
    start = start_of_day(since)
    return start, start.date().isoformat()


def _reviewed_since(store: Store, moment: datetime) -> set[tuple[int, str]]:
    return {
        key
        for key, review in store.reviews_in_force().items()
        if review.reviewed_at is not None and review.reviewed_at > moment
    }


def _previous_end(runs: Sequence[RunRecord], start: datetime) -> datetime:
    ended = [utc(r.finished or r.started) for r in runs if utc(r.started) < start]
    return min(max(ended), start) if ended else start


def _record(fields: dict[str, Any], pmid: int, tags: list[dict[str, Any]]) -> DigestRecord:
    return DigestRecord(
        pmid=pmid,
        title=fields["title"],
        first_author=fields["first_author"],
        year=fields["pub_year"],
        journal=fields["journal_abbrev"] or fields["journal"],
        design=fields["design"],
        retracted=bool(fields["retracted"]),
        tags=tuple(DigestTag(t["claim_id"], t["stance"], t["sentence"]) for t in tags),
    )


def _searches(
    store: Store, window: Sequence[RunRecord], tags: dict[int, list[dict[str, Any]]]
) -> tuple[SearchDigest, ...]:
    changes = store.changes_in([r.id for r in window])
    fields = store.record_fields(sorted({pmid for _, pmid, _ in changes}))
    found: dict[str, dict[str, list[DigestRecord]]] = {
        r.query: {"new": [], "revised": []} for r in window
    }
    for search, pmid, kind in changes:
        found.setdefault(search, {"new": [], "revised": []})[kind].append(
            _record(fields[pmid], pmid, tags.get(pmid, []))
        )
    return tuple(
        SearchDigest(name, tuple(lists["new"]), tuple(lists["revised"]))
        for name, lists in found.items()
    )


def _state(rows: Sequence[dict[str, Any]]) -> dict[tuple[str, int], tuple[Any, ...]]:
    """What each record contributes to each claim's grade."""
    return {
        (r["claim_id"], int(r["pmid"])): (
            r["stance"],
            bool(r["retracted"]),
            r["design"],
            r["population"],
        )
        for r in rows
    }


def _was_counted(state: dict[tuple[str, int], tuple[Any, ...]], claim_id: str, pmid: int) -> bool:
    held = state.get((claim_id, pmid))
    return held is not None and not held[1]


def _is_retracted(state: dict[tuple[str, int], tuple[Any, ...]], claim_id: str, pmid: int) -> bool:
    held = state.get((claim_id, pmid))
    return held is not None and bool(held[1])


def _moved(
    then: dict[tuple[str, int], tuple[Any, ...]], now: dict[tuple[str, int], tuple[Any, ...]]
) -> dict[str, set[int]]:
    """Per claim, the records whose part in it changed; findings (supports, contradicts)
    rather than mentions where a claim has both, since findings decide a status."""
    moved: dict[str, set[int]] = defaultdict(set)
    findings: dict[str, set[int]] = defaultdict(set)
    for key in then.keys() | now.keys():
        if then.get(key) != now.get(key):
            moved[key[0]].add(key[1])
            stances = {state[key][0] for state in (then, now) if key in state}
            if stances & {"supports", "contradicts"}:
                findings[key[0]].add(key[1])
    return {claim: findings[claim] or pmids for claim, pmids in moved.items()}


def _changes(
    before: Sequence[Verdict],
    after: Sequence[Verdict],
    rows_before: Sequence[dict[str, Any]],
    rows_after: Sequence[dict[str, Any]],
    reviewed: set[tuple[int, str]],
) -> tuple[ClaimChange, ...]:
    then, now = _state(rows_before), _state(rows_after)
    moved = _moved(then, now)
    out = []
    for old, new in zip(before, after, strict=True):
        if (old.status, old.certainty) == (new.status, new.certainty):
            continue
        claim = new.claim_id
        because = sorted(moved.get(claim, ()), reverse=True)
        retracted = [  # counted before, retracted now
            p for p in because if _was_counted(then, claim, p) and _is_retracted(now, claim, p)
        ]
        by_review = [  # a person reviewed the record's tag (or the record) in the window
            p for p in because if (p, claim) in reviewed or (p, WHOLE_RECORD) in reviewed
        ]
        out.append(
            ClaimChange(
                claim,
                new.statement,
                old.status,
                new.status,
                old.certainty,
                new.certainty,
                tuple(because),
                tuple(retracted),
                tuple(by_review),
            )
        )
    return tuple(out)


def _cite(store: Store, searches: tuple[SearchDigest, ...], style: str) -> tuple[SearchDigest, ...]:
    """The searches' records with their references formatted in `style`."""
    from litwatch.report.citations import format_references  # citeproc: only when asked

    pmids = sorted({r.pmid for s in searches for r in (*s.new, *s.revised)})
    refs = store.references(pmids)
    cited = dict(zip([r.pmid for r in refs], format_references(refs, style), strict=True))

    def with_citations(records: tuple[DigestRecord, ...]) -> tuple[DigestRecord, ...]:
        return tuple(replace(r, citation=cited.get(r.pmid, "")) for r in records)

    return tuple(
        SearchDigest(s.name, with_citations(s.new), with_citations(s.revised)) for s in searches
    )


def build_digest(
    db: Path,
    since: str | None,
    claims: Path | None = None,
    rules_path: Path | None = None,
    style: str | None = None,
) -> Digest:
    """The digest of what the runs since `since` (default: the latest run) brought; with a
    `style`, each record's reference formatted in it."""
    if style is not None:
        from litwatch.report.citations import check_style

        check_style(style)
    catalogue = load_catalogue_for(claims)
    rules = find_rules(rules_path)
    with open_existing_store(db) as store:
        runs = store.runs()
        start, label = _window(runs, since)
        window = [r for r in runs if utc(r.started) >= start]
        # "Before" is when the previous run ended, so a review or re-tag made between runs
        # reaches the next digest; history stamps are to the millisecond.
        before = _previous_end(runs, start) - timedelta(milliseconds=1)
        tag_store(store, catalogue)
        rows_after, rows_before = store.tag_rows(), store.tag_rows(as_of=before)
        claim_list = list(catalogue.claims)
        after = grade_rows(claim_list, catalogue, rules, rows_after, new_pmids(store, None))
        prior = grade_rows(claim_list, catalogue, rules, rows_before, new_pmids(store, before))
        tags: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in rows_after:
            tags[int(row["pmid"])].append(row)
        searches = _searches(store, window, tags)
        if style is not None:
            searches = _cite(store, searches, style)
        return Digest(
            stamp=stamp_store(store, catalogue, rules),
            since=start,
            since_label=label,
            searches=searches,
            claims_changed=_changes(
                prior, after, rows_before, rows_after, _reviewed_since(store, before)
            ),
            sample=store.origin() == "sample",
            through_run=max((r.invocation for r in window), default=None),
        )
