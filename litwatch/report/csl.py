"""A record as CSL-JSON, the Citation Style Language's data format: the input of every CSL
processor (`citations.py`) and a format reference managers import (`export citations`)."""

from __future__ import annotations

import re
from typing import Any

from litwatch.models import Author, Reference


def csl_item(r: Reference) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": str(r.pmid),
        "type": "article-journal",
        "title": r.title.rstrip(".").strip(),  # PubMed ends titles with a full stop
        "author": [_name(a) for a in r.authors],
        "container-title": r.journal or r.journal_abbrev,
        "container-title-short": r.journal_abbrev or r.journal,
        "volume": r.volume,
        "issue": r.issue,
        "page": full_range(r.pages),
        "DOI": r.doi,
        "PMID": str(r.pmid),
    }
    if r.year:
        item["issued"] = {"date-parts": [[r.year]]}
    return {key: value for key, value in item.items() if value not in (None, [], "")}


def full_range(pages: str | None) -> str | None:
    """PubMed abbreviates page ranges ("145-52"); CSL styles expect them whole ("145-152"),
    and a style that wants them short (Vancouver) shortens them again."""
    found = re.fullmatch(r"(\d+)-(\d+)", pages or "")
    if found is None or len(found[2]) >= len(found[1]):
        return pages
    first, last = found[1], found[2]
    return f"{first}-{first[: len(first) - len(last)]}{last}"


def _name(a: Author) -> dict[str, str]:
    if a.collective_name:
        return {"literal": a.collective_name}
    given = a.fore_name or " ".join(a.initials or "")
    return {"family": a.last_name or "", "given": given}
