"""The tags as they stand at a moment: the tagger's (now, or from the history the triggers
keep) with people's reviews laid over them.

A review wins over the tagger: it sets the stance (and the sentence, when it gives one),
drops the tag (`none`), adds a tag the tagger missed, or sets the whole record aside
(`exclude` on claim "*"). Reviews are stored apart from the tags, so re-tagging after a
catalogue or tagger change never loses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, null, select

from litwatch.models import WHOLE_RECORD, Review
from litwatch.store.tables import ArticleHistoryRow, ClaimTagRow, ReviewRow, TagHistoryRow

TAG = ClaimTagRow.__table__  # type: ignore[attr-defined]
TAG_HISTORY = TagHistoryRow.__table__  # type: ignore[attr-defined]
ARTICLE_HISTORY = ArticleHistoryRow.__table__  # type: ignore[attr-defined]
REVIEW = ReviewRow.__table__  # type: ignore[attr-defined]
_TAG_FIELDS = ("pmid", "claim_id", "stance", "sentence", "section", "rule")


def stamp(when: datetime) -> str:
    """A moment in the form the history columns hold (UTC; compared as text)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def parse_stamp(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _held_at(table: Any, as_of: str) -> Any:
    return (table.c.valid_from <= as_of) & (table.c.valid_to.is_(None) | (table.c.valid_to > as_of))


def tagger_tags(conn: Connection, as_of: str | None) -> list[dict[str, Any]]:
    """The tagger's tags now (`as_of` None) or as they stood at `as_of`."""
    if as_of is None:
        stmt = select(*(TAG.c[n] for n in _TAG_FIELDS), TAG.c.catalogue_version)
    else:  # the history keeps no catalogue version
        cols = (TAG_HISTORY.c[n] for n in _TAG_FIELDS)
        stmt = select(*cols, null().label("catalogue_version")).where(_held_at(TAG_HISTORY, as_of))
    return [dict(r._mapping) for r in conn.execute(stmt)]


def record_states(conn: Connection, as_of: str) -> dict[int, dict[str, Any]]:
    """Retraction, design and population of every record stored by `as_of`, as they were."""
    cols = ("pmid", "retracted", "design", "population")
    stmt = select(*(ARTICLE_HISTORY.c[n] for n in cols)).where(_held_at(ARTICLE_HISTORY, as_of))
    return {int(r.pmid): dict(r._mapping) for r in conn.execute(stmt)}


def latest_reviews(conn: Connection, as_of: str | None = None) -> dict[tuple[int, str], Review]:
    """The review in force for each (record, claim): the latest one made by `as_of`."""
    stmt = select(REVIEW).order_by(REVIEW.c.id)
    if as_of is not None:
        stmt = stmt.where(REVIEW.c.reviewed_at <= as_of)
    latest: dict[tuple[int, str], Review] = {}
    for r in conn.execute(stmt):
        latest[(int(r.pmid), r.claim_id)] = Review(
            pmid=int(r.pmid), claim_id=r.claim_id, stance=r.stance, reviewer=r.reviewer,
            sentence=r.sentence, note=r.note, reviewed_at=parse_stamp(r.reviewed_at),
        )  # fmt: skip
    return latest


def insert_reviews(conn: Connection, reviews: Sequence[Review], when: datetime) -> None:
    at = stamp(when)
    conn.execute(
        insert(REVIEW),
        [
            {
                "pmid": r.pmid,
                "claim_id": r.claim_id,
                "stance": r.stance,
                "sentence": r.sentence,
                "note": r.note,
                "reviewer": r.reviewer,
                "reviewed_at": at,
            }
            for r in reviews
        ],
    )


def overlay_reviews(
    tags: list[dict[str, Any]], reviews: dict[tuple[int, str], Review]
) -> list[dict[str, Any]]:
    """The tags with the reviews in force applied; each gains `reviewed`, `tagger_stance`
    and `note`."""
    excluded = excluded_records(reviews)
    out = []
    seen = set()
    for tag in tags:
        key = (int(tag["pmid"]), tag["claim_id"])
        seen.add(key)
        review = reviews.get(key)
        row = {**tag, "tagger_stance": tag["stance"], "reviewed": review is not None, "note": ""}
        if review is not None:
            if review.stance == "none":
                continue
            row["stance"], row["note"] = review.stance, review.note
            row["sentence"] = review.sentence or tag["sentence"]
        out.append(row)
    for key, review in reviews.items():  # tags a person added
        if key in seen or key[1] == WHOLE_RECORD or review.stance == "none":
            continue
        out.append({
            "pmid": key[0], "claim_id": key[1], "stance": review.stance,
            "sentence": review.sentence, "section": "reviewed", "rule": None,
            "catalogue_version": None,
            "tagger_stance": None, "reviewed": True, "note": review.note,
        })  # fmt: skip
    return [row for row in out if int(row["pmid"]) not in excluded]


def excluded_records(reviews: dict[tuple[int, str], Review]) -> set[int]:
    return {p for (p, c), r in reviews.items() if c == WHOLE_RECORD and r.stance == "exclude"}
