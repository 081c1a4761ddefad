"""Frozen dataclasses that carry data between the subsystems (fetch → parse → store → render).

No subsystem hands another a library object (an lxml element, an ORM row): only these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
SAMPLE_NOTE = "SAMPLE DATA — synthetic records, not real publications"


def count_of(n: int, noun: str) -> str:
    """`1 record`, `2 records`: the counts users read."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def pubmed_url(pmid: int) -> str:
    return PUBMED_URL.format(pmid=pmid)


@dataclass(frozen=True)
class Author:
    last_name: str | None = None
    fore_name: str | None = None
    initials: str | None = None
    collective_name: str | None = None
    affiliations: tuple[str, ...] = ()

    @property
    def display(self) -> str:
        if self.collective_name:
            return self.collective_name
        return " ".join(p for p in (self.last_name, self.initials) if p)


@dataclass(frozen=True)
class AbstractSection:
    text: str
    label: str | None = None
    category: str | None = None  # NlmCategory: BACKGROUND, METHODS, RESULTS, CONCLUSIONS...


@dataclass(frozen=True)
class MeshHeading:
    descriptor: str
    major: bool = False
    qualifiers: tuple[tuple[str, bool], ...] = ()  # (name, major topic)
    ui: str | None = None


@dataclass(frozen=True)
class Article:
    """One PubMed record, parsed; `raw_xml` is kept so a better parser can redo the rest."""

    pmid: int
    title: str
    raw_xml: bytes
    title_markup: str = ""
    abstract: tuple[AbstractSection, ...] = ()
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    journal_abbrev: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    pub_year: int | None = None
    pub_date: str | None = None  # as PubMed gives it: "2019 Jan 5" or MedlineDate "2019 Jan-Feb"
    pub_date_sort: str | None = None  # "YYYY-MM-DD" with missing parts as 01, for ranges
    entrez_date: date | None = None
    revised_date: date | None = None
    doi: str | None = None
    pmc: str | None = None
    languages: tuple[str, ...] = ()
    vernacular_title: str | None = None
    publication_types: tuple[str, ...] = ()
    mesh: tuple[MeshHeading, ...] = ()
    keywords: tuple[str, ...] = ()
    chemicals: tuple[str, ...] = ()
    retracted: bool = False
    retraction_notices: tuple[str, ...] = ()

    @property
    def abstract_text(self) -> str:
        return "\n".join(f"{s.label}: {s.text}" if s.label else s.text for s in self.abstract)


@dataclass(frozen=True)
class Reference:
    """What a reference manager or a citation style needs of one record."""

    pmid: int
    title: str
    authors: tuple[Author, ...] = ()
    journal: str | None = None  # in full
    journal_abbrev: str | None = None  # NLM's abbreviation
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    abstract: str = ""
    retracted: bool = False

    @property
    def url(self) -> str:
        return pubmed_url(self.pmid)


@dataclass(frozen=True)
class SearchResult:
    """What one esearch (or a local evaluation of the same term) answered."""

    count: int
    pmids: tuple[int, ...]
    translation: str | None = None
    webenv: str | None = None
    query_key: str | None = None


@dataclass(frozen=True)
class SavedSearch:
    """A saved search as read from `queries/<slug>.toml`."""

    name: str
    term: str
    description: str | None = None
    mindate: str | None = None


@dataclass(frozen=True)
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class RunSummary:
    """What one saved search's run did; the CLI renders a list of these."""

    query: str
    status: str
    found: int = 0
    new: int = 0
    updated: int = 0
    retracted: int = 0
    requests: int = 0
    seconds: float = 0.0
    translation: str | None = None
    translation_changed_from: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    error: str | None = None


@dataclass(frozen=True)
class RunRecord:
    """A row of the runs table, for `status`."""

    id: int
    invocation: int
    query: str
    term: str
    source: str
    started: datetime
    finished: datetime | None
    status: str
    found: int
    new: int
    updated: int
    translation: str | None
    error: str | None


@dataclass(frozen=True)
class Tag:
    """A record's stance on one claim and the sentence that decides it."""

    claim_id: str
    stance: str  # supports | contradicts | mentions
    sentence: str
    section: str  # title | background | methods | results | conclusions
    rule: str = ""  # the tagger rule that decided (litwatch/claims/rules.py)


@dataclass(frozen=True)
class TaggedRecord:
    """What tagging and grading found for one record (written by the store in one go)."""

    pmid: int
    design: str
    population: str
    tags: tuple[Tag, ...]


REVIEW_STANCES = ("supports", "contradicts", "mentions", "none")
RECORD_DECISIONS = ("exclude", "include")  # with claim_id WHOLE_RECORD: the record as a whole
WHOLE_RECORD = "*"


@dataclass(frozen=True)
class Review:
    """A person's decision on a record's tag for one claim (or, with claim_id "*", on the
    record as a whole). `stance` "none" drops the tag; the latest review wins."""

    pmid: int
    claim_id: str
    stance: str  # one of REVIEW_STANCES, or of RECORD_DECISIONS when claim_id is "*"
    reviewer: str
    sentence: str = ""
    note: str = ""
    reviewed_at: datetime | None = None  # set by the store when stored


@dataclass(frozen=True)
class SearchStamp:
    """A saved search (or import) as it last ran by a report's moment."""

    name: str
    term: str
    translation: str | None  # how PubMed read the term
    invocation: int
    started: datetime
    status: str


@dataclass(frozen=True)
class AsOf:
    """What a report or digest was computed from, printed on it so it can be reproduced
    (`litwatch report --as-of`)."""

    moment: datetime
    searches: tuple[SearchStamp, ...]
    catalogue_version: str
    rules_version: str
    records: int
    reviews: int
    past: bool = False  # reproduced for a past moment (`--as-of`), not now

    def as_json(self) -> dict[str, object]:
        return {
            "as_of": self.moment.isoformat(timespec="seconds"),
            "reproduced": self.past,
            "records": self.records,
            "reviews": self.reviews,
            "catalogue_version": self.catalogue_version,
            "rules_version": self.rules_version,
            "runs": [
                {
                    "search": s.name,
                    "run": s.invocation,
                    "started": s.started.isoformat(timespec="seconds"),
                    "status": s.status,
                    "term": s.term,
                    "translation": s.translation,
                }
                for s in self.searches
            ],
        }


@dataclass(frozen=True)
class DigestTag:
    claim_id: str
    stance: str
    sentence: str


@dataclass(frozen=True)
class DigestRecord:
    pmid: int
    title: str
    first_author: str | None
    year: int | None
    journal: str | None
    design: str | None
    retracted: bool
    tags: tuple[DigestTag, ...]
    citation: str = ""  # the formatted reference, when the digest was asked in a style

    @property
    def url(self) -> str:
        return pubmed_url(self.pmid)


@dataclass(frozen=True)
class SearchDigest:
    name: str
    new: tuple[DigestRecord, ...]
    revised: tuple[DigestRecord, ...]


@dataclass(frozen=True)
class ClaimChange:
    """A claim whose status or certainty moved, and the records whose part in it changed."""

    claim_id: str
    statement: str
    status_from: str
    status_to: str
    certainty_from: str | None
    certainty_to: str | None
    because: tuple[int, ...]
    retracted: tuple[int, ...]  # of `because`: records retracted since
    by_review: tuple[int, ...] = ()  # of `because`: moved by a person's review, not a run


@dataclass(frozen=True)
class Digest:
    """What changed since a run or a date: new and revised records per saved search, and
    the claims whose standing moved."""

    stamp: AsOf
    since: datetime
    since_label: str  # "run 12 (2026-11-25 07:00 UTC)" or "2026-11-25"
    searches: tuple[SearchDigest, ...]
    claims_changed: tuple[ClaimChange, ...]
    sample: bool
    through_run: int | None = None  # the latest run in the window

    @property
    def nothing_new(self) -> bool:
        return not self.claims_changed and not any(s.new or s.revised for s in self.searches)

    @property
    def new_records(self) -> int:
        return len({r.pmid for s in self.searches for r in s.new})

    @property
    def revised_records(self) -> int:
        return len({r.pmid for s in self.searches for r in s.revised})
