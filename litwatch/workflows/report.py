"""`litwatch report` and `litwatch check`: verdicts per claim from the stored, tagged evidence."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litwatch.claims.catalogue import Catalogue, Claim
from litwatch.claims.evaluate import (
    Evaluation,
    Predicted,
    evaluate_tags,
    load_labels,
    load_record_grades,
)
from litwatch.claims.match import ClaimMatch, match_claims
from litwatch.config import find_bundled
from litwatch.errors import ConfigError, InputFileError
from litwatch.models import WHOLE_RECORD, AsOf, Reference, RunRecord, SearchStamp
from litwatch.report.verdicts import (
    DEFAULT_RULES,
    ClaimTerms,
    EvidenceRules,
    RulesError,
    Verdict,
    evidence_from_rows,
    grade_claim,
    load_rules,
)
from litwatch.store import open_existing_store
from litwatch.workflows.tagging import load_catalogue_for, tag_store

if TYPE_CHECKING:
    from litwatch.store import Store


@dataclass(frozen=True)
class Report:
    generated: datetime
    db: Path
    sample: bool
    catalogue_version: str
    verdicts: tuple[Verdict, ...]
    conflicts: tuple[tuple[str, str], ...]
    records: int
    stamp: AsOf


def find_rules(path: Path | None) -> EvidenceRules:
    found = find_bundled(DEFAULT_RULES, path)
    if found is not None:
        return load_rules(found)
    raise RulesError(
        f"no evidence rules at {DEFAULT_RULES}: run from the litwatch checkout or use --rules FILE"
    )


def utc(moment: datetime) -> datetime:
    """The store reads its times back without a zone; they are UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def runs_by(store: Store, moment: datetime | None) -> list[RunRecord]:
    runs = store.runs()
    return runs if moment is None else [r for r in runs if utc(r.started) <= moment]


def new_pmids(store: Store, as_of: datetime | None) -> set[int]:
    runs = runs_by(store, as_of)
    if not runs:
        return set()
    latest = [r.id for r in runs if r.invocation == runs[-1].invocation]
    return set(store.pmids_first_seen_in(latest))


def stamp_store(
    store: Store, catalogue: Catalogue, rules: EvidenceRules, as_of: datetime | None = None
) -> AsOf:
    """The as-of stamp: the latest run of each search by then, the versions, the counts."""
    latest: dict[str, RunRecord] = {}
    for run in runs_by(store, as_of):
        latest[run.query] = run
    return AsOf(
        moment=as_of or datetime.now(UTC),
        searches=tuple(
            SearchStamp(r.query, r.term, r.translation, r.invocation, utc(r.started), r.status)
            for r in latest.values()
        ),
        catalogue_version=catalogue.version,
        rules_version=rules.version,
        records=store.count_articles(as_of),
        reviews=sum(  # tags a person decided on (records set aside are not tags)
            claim != WHOLE_RECORD for _, claim in store.reviews_in_force(as_of)
        ),
        past=as_of is not None,
    )


def grade_store(
    store: Store,
    catalogue: Catalogue,
    rules: EvidenceRules,
    claim_id: str | None = None,
    as_of: datetime | None = None,
) -> list[Verdict]:
    """Grade each claim (or just `claim_id`): now, with tags brought up to date first, or
    from the tags, reviews and records as they stood at `as_of`."""
    if as_of is None:
        tag_store(store, catalogue)
    claims = [catalogue.get(claim_id)] if claim_id else list(catalogue.claims)
    return grade_rows(
        claims, catalogue, rules, store.tag_rows(claim_id, as_of), new_pmids(store, as_of)
    )


def grade_rows(
    claims: Sequence[Claim],
    catalogue: Catalogue,
    rules: EvidenceRules,
    tag_rows: Sequence[dict[str, Any]],
    new: set[int],
) -> list[Verdict]:
    """Grade these claims on these tags (`Store.tag_rows`)."""
    rows = defaultdict(list)
    for row in tag_rows:
        rows[row["claim_id"]].append(row)
    conflicts = dict(catalogue.conflicts) | {b: a for a, b in catalogue.conflicts}
    return [
        grade_claim(
            ClaimTerms(c.id, c.statement, c.category, c.kind, c.rare_event, conflicts.get(c.id)),
            evidence_from_rows(rows[c.id], rules, new),
            rules,
        )
        for c in claims
    ]


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"{option} {text!r}: give a run number, a day YYYY-MM-DD or a moment "
            "YYYY-MM-DDTHH:MM (UTC)"
        ) from None


def parse_moment(text: str, option: str) -> datetime:
    """`report --as-of`: a day (the report as it stood when that day ended, UTC) or a moment
    (YYYY-MM-DDTHH:MM[:SS], UTC unless it names a zone)."""
    if len(text) == 10:
        return datetime.combine(parse_day(text, option), time.max, UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"{option} {text!r}: give a run number, a day YYYY-MM-DD or a moment "
            "YYYY-MM-DDTHH:MM (UTC)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _moment(store: Store, as_of: str) -> datetime:
    """`--as-of`: when run N ended, a day's end or a moment; never later than now, never
    before the store held anything (a report of nothing would read as "no evidence")."""
    runs = store.runs()
    if as_of.isdigit():
        ended = [utc(r.finished or r.started) for r in runs if r.invocation == int(as_of)]
        if not ended:
            raise ConfigError(f"--as-of {as_of}: no run {as_of} (see litwatch status)")
        return max(ended)
    moment, now = parse_moment(as_of, "--as-of"), datetime.now(UTC)
    if moment > now:
        if moment.date() > now.date():
            raise ConfigError(f"--as-of {as_of} is in the future")
        moment = now  # today: as it stands now
    first = min((utc(r.started) for r in runs), default=None)
    if first is None or moment < first:
        since = f" (its first run started {first:%Y-%m-%d %H:%M} UTC)" if first else ""
        raise ConfigError(f"--as-of {as_of}: the store held no records yet then{since}")
    return moment


def build_report(
    db: Path,
    claims: Path | None,
    rules_path: Path | None,
    claim_id: str | None = None,
    as_of: str | None = None,
) -> Report:
    """The evidence report now, or (`as_of`) as it stood then: the records stored by then,
    their tags and reviews then current, graded by today's rules."""
    catalogue = load_catalogue_for(claims)
    rules = find_rules(rules_path)
    if claim_id is not None:
        catalogue.get(claim_id)  # an unknown id is refused, naming the known ones
    with open_existing_store(db) as store:
        moment = None if as_of is None else _moment(store, as_of)
        verdicts = grade_store(store, catalogue, rules, claim_id, moment)
        stamp = stamp_store(store, catalogue, rules, moment)
        return Report(
            generated=datetime.now(UTC),
            db=db,
            sample=store.origin() == "sample",
            catalogue_version=catalogue.version,
            verdicts=tuple(verdicts),
            conflicts=tuple(catalogue.conflicts),
            records=stamp.records,
            stamp=stamp,
        )


CITED_PER_SIDE = 3


@dataclass(frozen=True)
class Citation:
    """A reference ready to paste, with the stance its record takes on the claim."""

    pmid: int
    stance: str  # supports | contradicts
    citation: str
    sentence: str  # the record's deciding sentence
    reviewed: bool = False  # a person confirmed or set this stance


@dataclass(frozen=True)
class CheckedClaim:
    match: ClaimMatch
    verdict: Verdict
    citations: tuple[Citation, ...]  # the strongest supporting, then contradicting


@dataclass(frozen=True)
class CheckResult:
    text: str
    matches: tuple[CheckedClaim, ...]
    note: str | None  # why nothing matched
    sample: bool

    def as_json(self) -> str:
        """The result for tools and editors (`litwatch check --format json`)."""
        return json.dumps(
            {
                "text": self.text,
                "matches": [_checked_json(c) for c in self.matches],
                "note": self.note,
                "sample_data": self.sample,
            },
            ensure_ascii=False,
            indent=2,
        )


def _checked_json(c: CheckedClaim) -> dict[str, Any]:
    return {
        "claim_id": c.verdict.claim_id,
        "statement": c.verdict.statement,
        "polarity": c.match.polarity,
        "status": c.verdict.status,
        "certainty": c.verdict.certainty,
        "reason": c.verdict.reason,
        "reviewed": c.verdict.reviewed,
        "tagged": c.verdict.tagged,
        "citations": [
            {"pmid": x.pmid, "stance": x.stance, "citation": x.citation, "reviewed": x.reviewed}
            for x in c.citations
        ],
    }


def _citations(verdict: Verdict, style: str) -> tuple[Citation, ...]:
    from litwatch.report.citations import format_citations  # citeproc: loaded by check only

    cited = [
        e
        for stance in ("supports", "contradicts")
        for e in verdict.strongest(stance, CITED_PER_SIDE)
    ]
    texts = format_citations(cited, style)
    return tuple(
        Citation(e.pmid, e.stance, t, e.sentence, e.reviewed)
        for e, t in zip(cited, texts, strict=True)
    )


def check_text(
    db: Path, text: str, claims: Path | None, rules_path: Path | None, style: str = "vancouver"
) -> CheckResult:
    """`litwatch check`: which claims the text asserts or negates, what the literature says
    of each as stated, and the strongest records on each side, formatted to cite."""
    from litwatch.report.citations import check_style

    check_style(style)  # before any grading
    catalogue = load_catalogue_for(claims)
    rules = find_rules(rules_path)
    reading = match_claims(text, catalogue)
    with open_existing_store(db) as store:
        graded = grade_store(store, catalogue, rules) if reading.matches else []
        sample = store.origin() == "sample"
    verdicts = {v.claim_id: v for v in graded}
    checked = tuple(
        CheckedClaim(m, verdicts[m.claim.id], _citations(verdicts[m.claim.id], style))
        for m in reading.matches
    )
    return CheckResult(text, checked, reading.note, sample)


def evaluate_store(
    db: Path, labels: Path, claims: Path | None, records: Path | None = None
) -> Evaluation:
    """`litwatch eval`: stored tags (brought up to date) against a labels file; with a
    records file, over every record it lists, design and population included."""
    gold = load_labels(labels)
    expected = load_record_grades(records) if records is not None else None
    catalogue = load_catalogue_for(claims)
    unknown = sorted({c for _, c, _ in gold} - {c.id for c in catalogue.claims})
    if unknown:  # scored, they would count as misses forever
        raise InputFileError(
            f"{labels}: claim(s) not in {catalogue.path}: {', '.join(unknown)} "
            "(fix the labels, or add the claims to the catalogue)"
        )
    wanted = set(expected) if expected is not None else {pmid for pmid, _, _ in gold}
    with open_existing_store(db) as store:
        tag_store(store, catalogue)
        predicted = [
            Predicted(int(r["pmid"]), r["claim_id"], r["stance"], r["rule"] or "", r["sentence"])
            for r in store.tag_rows()
        ]
        stored = store.stored_pmids(wanted)
        grades = store.grades(stored) if expected is not None else None
    if not stored:
        source = records if records is not None else labels
        raise InputFileError(f"{source}: none of its records is in {db} (import them first)")
    return evaluate_tags(gold, predicted, stored, grades, expected)


def tags_for_export(db: Path, claims: Path | None) -> tuple[list[dict[str, Any]], bool]:
    catalogue = load_catalogue_for(claims)
    with open_existing_store(db) as store:
        tag_store(store, catalogue)
        return store.tag_rows(), store.origin() == "sample"


STANCES = ("supports", "contradicts", "mentions")


@dataclass(frozen=True)
class CitationFilter:
    """Which records `export citations` writes: every stored one, unless narrowed."""

    claim_id: str | None = None
    stance: str | None = None
    design: str | None = None
    since: str | None = None  # a run number (first stored by it or later) or a day YYYY-MM-DD


def references_for_export(
    db: Path, claims: Path | None, wanted: CitationFilter
) -> tuple[list[Reference], bool, int]:
    """`litwatch export citations`: the stored records the filter keeps, as references, and
    how many retracted records a claim or stance filter left out (they are not evidence)."""
    from litwatch.claims.design import DESIGNS

    if wanted.stance is not None and wanted.stance not in STANCES:
        raise ConfigError(f"unknown stance {wanted.stance!r}: choose one of {', '.join(STANCES)}")
    if wanted.design is not None and wanted.design not in DESIGNS:
        raise ConfigError(f"unknown design {wanted.design!r}: choose one of {', '.join(DESIGNS)}")
    catalogue = load_catalogue_for(claims)
    if wanted.claim_id is not None:
        catalogue.get(wanted.claim_id)  # an unknown id is refused, naming the known ones
    with open_existing_store(db) as store:
        keep: list[set[int]] = []
        left_out: set[int] = set()
        if wanted.claim_id or wanted.stance or wanted.design:
            tag_store(store, catalogue)  # tags and designs up to date before filtering on them
        if wanted.claim_id or wanted.stance:
            rows = [
                r for r in store.tag_rows(wanted.claim_id) if wanted.stance in (None, r["stance"])
            ]
            keep.append({int(r["pmid"]) for r in rows if not r["retracted"]})
            left_out = {int(r["pmid"]) for r in rows if r["retracted"]}
        if wanted.design is not None:
            keep.append(store.pmids_with_design(wanted.design))
        if wanted.since is not None:
            keep.append(_first_stored_since(store, wanted.since))
        pmids = set.intersection(*keep) if keep else None
        refs = store.references(None if pmids is None else sorted(pmids))
        return refs, store.origin() == "sample", len(left_out - (pmids or set()))


def _first_stored_since(store: Store, since: str) -> set[int]:
    if since.isdigit():
        if int(since) not in {r.invocation for r in store.runs()}:
            raise ConfigError(f"--since {since}: no run {since} (see litwatch status)")
        return store.pmids_first_seen_from_invocation(int(since))
    return store.pmids_first_seen_since(start_of_day(since))


def start_of_day(since: str) -> datetime:
    """`--since DAY` (where a run number could stand too): that day's start, UTC."""
    try:
        day = date.fromisoformat(since)
    except ValueError:
        raise ConfigError(
            f"--since {since!r}: give a run number (see litwatch status) or a day YYYY-MM-DD"
        ) from None
    return datetime.combine(day, time(), UTC)
