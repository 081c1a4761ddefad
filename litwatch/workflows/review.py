"""`litwatch review`: a person goes through the tags and corrects them.

Reviews are stored apart from the tags (an append-only table, with who and when) and laid
over them on every read, so they win over the tagger and survive re-tagging. Three ways in:
the interactive loop (the CLI asks, `save_reviews` stores each answer at once), and a CSV
round-trip (`export_review_rows` / `import_review_file`) for people who prefer a spreadsheet.
"""

from __future__ import annotations

import csv
import getpass
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litwatch.claims.catalogue import Catalogue
from litwatch.claims.evaluate import Evaluation, Predicted, evaluate_tags
from litwatch.errors import ConfigError, InputFileError
from litwatch.models import RECORD_DECISIONS, REVIEW_STANCES, WHOLE_RECORD, Review
from litwatch.store import open_existing_store
from litwatch.workflows.tagging import load_catalogue_for, tag_store

# Where `litwatch eval` finds most of the tagger's errors: the rules that tell a mention
# from a finding, and findings read outside an abstract's results and conclusions.
UNCERTAIN_RULES = frozenset({
    "attributed", "motive", "motive-list", "evidence-gap", "background", "opinion",
    "presupposed", "explanation", "limitation", "rebutted", "aim",
})  # fmt: skip
CSV_COLUMNS = (
    "pmid", "claim_id", "stance", "sentence", "reviewed", "note", "tagger_stance", "rule",
    "design", "year", "title", "url",
)  # fmt: skip


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "unknown"


@dataclass(frozen=True)
class ReviewFilter:
    claim_id: str | None = None
    stance: str | None = None
    design: str | None = None
    pmid: int | None = None
    uncertain_first: bool = False
    include_reviewed: bool = False


def is_uncertain(row: dict[str, Any]) -> bool:
    finding_aside = row["rule"] == "finding" and row["section"] not in ("results", "conclusions")
    return bool(row["rule"] in UNCERTAIN_RULES or finding_aside)


def _check_filter(catalogue: Catalogue, wanted: ReviewFilter) -> None:
    if wanted.claim_id is not None:
        catalogue.get(wanted.claim_id)  # an unknown id is refused, naming the known ones
    if wanted.stance is not None and wanted.stance not in REVIEW_STANCES[:3]:
        raise ConfigError(
            f"unknown stance {wanted.stance!r}: choose supports, contradicts or mentions"
        )


def _keep(row: dict[str, Any], wanted: ReviewFilter) -> bool:
    return (
        wanted.claim_id in (None, row["claim_id"])
        and wanted.stance in (None, row["stance"])
        and wanted.design in (None, row["design"])
        and wanted.pmid in (None, int(row["pmid"]))
        and (wanted.include_reviewed or not row["reviewed"])
    )


def tags_to_review(
    db: Path, claims: Path | None, wanted: ReviewFilter
) -> tuple[Catalogue, list[dict[str, Any]]]:
    """The current tags (reviews applied) the filter keeps, uncertain ones first if asked."""
    catalogue = load_catalogue_for(claims)
    _check_filter(catalogue, wanted)
    with open_existing_store(db) as store:
        tag_store(store, catalogue)
        rows = [r for r in store.tag_rows() if _keep(r, wanted)]
    if wanted.uncertain_first:
        rows.sort(key=lambda r: not is_uncertain(r))  # stable: claim order kept within each
    return catalogue, rows


def save_reviews(db: Path, reviews: Sequence[Review]) -> int:
    with open_existing_store(db) as store:
        check_quotes(
            [(r, "the review") for r in reviews], store.record_texts(r.pmid for r in reviews)
        )
        return store.add_reviews(reviews)


# -- the CSV round-trip ------------------------------------------------------------------
def render_review_csv(rows: Iterable[dict[str, Any]]) -> str:
    from litwatch.models import pubmed_url
    from litwatch.report.cells import safe_cell

    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        row = {
            "pmid": r["pmid"], "claim_id": r["claim_id"], "stance": r["stance"],
            "sentence": r["sentence"], "reviewed": "true" if r["reviewed"] else "false",
            "note": r["note"], "tagger_stance": r["tagger_stance"] or "", "rule": r["rule"] or "",
            "design": r["design"] or "", "year": r["pub_year"] or "", "title": r["title"],
            "url": pubmed_url(int(r["pmid"])),
        }  # fmt: skip
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return out.getvalue()


@dataclass(frozen=True)
class ImportedReviews:
    changed: int  # stance or sentence changed
    dropped: int  # stance `none`: the tag should not be there
    accepted: int  # marked reviewed as the tagger had it
    added: int  # a claim the tagger missed
    excluded: int  # records set aside
    included: int  # records taken back


def _cell(row: dict[str, str | None], name: str) -> str:
    from litwatch.report.cells import restore_cell

    return restore_cell((row.get(name) or "").strip())


def _read_rows(path: Path) -> list[tuple[int, dict[str, str | None]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may add a BOM
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not UTF-8 text (save the sheet as CSV UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"pmid", "claim_id", "stance"} - set(reader.fieldnames or ())
    if missing:
        raise InputFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    return [(i, row) for i, row in enumerate(reader, start=2)]


def _parse_review(
    path: Path, line: int, row: dict[str, str | None], catalogue: Catalogue, reviewer: str
) -> Review:
    where = f"{path} line {line}"
    pmid_text, claim, stance = _cell(row, "pmid"), _cell(row, "claim_id"), _cell(row, "stance")
    if not pmid_text.isdigit():
        raise InputFileError(f"{where}: pmid {pmid_text!r} is not a PMID")
    if stance in RECORD_DECISIONS:
        return Review(int(pmid_text), WHOLE_RECORD, stance, reviewer, note=_cell(row, "note"))
    if stance not in REVIEW_STANCES:
        choices = ", ".join((*REVIEW_STANCES, *RECORD_DECISIONS))
        raise InputFileError(f"{where}: unknown stance {stance!r} (choose {choices})")
    if claim not in {c.id for c in catalogue.claims}:
        raise InputFileError(f"{where}: no claim {claim!r} in the catalogue")
    return Review(
        int(pmid_text), claim, stance, reviewer, _cell(row, "sentence"), _cell(row, "note")
    )


def _is_news(review: Review, current: dict[str, Any] | None, marked: bool) -> str | None:
    """What a row says that the store does not already hold, or None."""
    if current is None:
        return None if review.stance == "none" else "added"
    if review.stance == "none":
        return "dropped"
    if review.stance != current["stance"] or (
        review.sentence and _words(review.sentence) != _words(current["sentence"])
    ):
        return "changed"
    return "accepted" if marked and not current["reviewed"] else None


def _words(text: str) -> str:
    return " ".join(text.split())


def check_quotes(reviews: Sequence[tuple[Review, str]], texts: dict[int, str]) -> None:
    """Every review names a stored record, and a sentence it gives stands in that record's
    title or abstract: litwatch quotes it as the record's words."""
    for review, where in reviews:
        if review.pmid not in texts:
            raise InputFileError(f"{where}: no stored record with PMID {review.pmid}")
        if review.sentence and _words(review.sentence) not in _words(texts[review.pmid]):
            raise InputFileError(
                f"{where}: the sentence is not in the title or abstract of PMID {review.pmid} "
                "(copy it from the record)"
            )


def _news(
    parsed: list[tuple[Review, dict[str, str | None]]],
    current: dict[tuple[int, str], dict[str, Any]],
    in_force: dict[tuple[int, str], Review],
    counts: dict[str, int],
) -> list[Review]:
    news = []
    for review, row in parsed:
        if review.claim_id == WHOLE_RECORD:
            held = in_force.get((review.pmid, WHOLE_RECORD))
            if review.stance != (held.stance if held else "include"):
                news.append(review)
                counts["excluded" if review.stance == "exclude" else "included"] += 1
            continue
        marked = _cell(row, "reviewed").lower() in ("true", "yes", "1", "y")
        kind = _is_news(review, current.get((review.pmid, review.claim_id)), marked)
        if kind is not None:
            news.append(review)
            counts[kind] += 1
    return news


def import_review_file(
    db: Path, path: Path, claims: Path | None, reviewer: str | None
) -> ImportedReviews:
    """Store every row of an edited review CSV that changes, adds, drops or accepts a tag;
    all rows or none (an error names the line)."""
    catalogue = load_catalogue_for(claims)
    who = reviewer or default_reviewer()
    rows = _read_rows(path)
    parsed = [(_parse_review(path, n, row, catalogue, who), row) for n, row in rows]
    counts = dict.fromkeys(("changed", "dropped", "accepted", "added", "excluded", "included"), 0)
    with open_existing_store(db) as store:
        texts = store.record_texts(r.pmid for r, _ in parsed)
        check_quotes(
            [(r, f"{path} line {n}") for (r, _), (n, _) in zip(parsed, rows, strict=True)], texts
        )
        tag_store(store, catalogue)
        current = {(int(r["pmid"]), r["claim_id"]): r for r in store.tag_rows()}
        store.add_reviews(_news(parsed, current, store.reviews_in_force(), counts))
    return ImportedReviews(**counts)


def evaluate_reviews(db: Path, claims: Path | None) -> Evaluation:
    """`eval --reviews`: the tagger's own tags against what people decided, on the
    (record, claim) pairs they reviewed."""
    catalogue = load_catalogue_for(claims)
    with open_existing_store(db) as store:
        tag_store(store, catalogue)
        reviews = {k: r for k, r in store.reviews_in_force().items() if k[1] != WHOLE_RECORD}
        tagger = store.tag_rows(reviews=False)
    if not reviews:
        raise InputFileError(f"{db}: no reviewed tags yet (litwatch review)")
    gold = [(p, c, r.stance) for (p, c), r in reviews.items() if r.stance != "none"]
    # Accepting a tag is a review with the tagger's stance; the sentence does not score.
    predicted = [
        Predicted(int(t["pmid"]), t["claim_id"], t["stance"], t["rule"] or "", t["sentence"])
        for t in tagger
        if (int(t["pmid"]), t["claim_id"]) in reviews
    ]
    claims_reviewed = {c for _, c in reviews}  # a dropped tag's claim counts as covered too
    return evaluate_tags(
        gold, predicted, {p for p, _ in reviews}, covered=claims_reviewed, against="reviews"
    )
