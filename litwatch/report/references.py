"""Citation exports for reference managers (Zotero, EndNote, Mendeley...): RIS through rispy,
BibTeX through bibtexparser, CSL-JSON from `csl.py`. Both libraries live in this module only."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence

import rispy
from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field

from litwatch.errors import ConfigError
from litwatch.models import Author, Reference
from litwatch.report.csl import csl_item, full_range

CITATION_FORMATS = ("ris", "bibtex", "csl-json")


def render_references(references: Sequence[Reference], fmt: str) -> str:
    """The references as one file's text in `fmt`."""
    if fmt == "ris":
        return str(rispy.dumps([_ris(r) for r in references], implementation=_RisWriter))
    if fmt == "bibtex":
        return _bibtex(references)
    if fmt == "csl-json":
        items = [_csl_full(r) for r in references]
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    raise ConfigError(f"unknown format {fmt!r}: choose one of {', '.join(CITATION_FORMATS)}")


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer opens each entry with its number ("1."), which is no RIS tag."""

    def set_header(self, count: int) -> str:
        return ""


RETRACTED_NOTE = "RETRACTED: PubMed lists this record as a retracted publication."


def _csl_full(r: Reference) -> dict[str, object]:
    # What a formatted reference leaves out, a reference manager keeps.
    extra = {"URL": r.url, "abstract": r.abstract, "note": RETRACTED_NOTE if r.retracted else ""}
    return csl_item(r) | {k: v for k, v in extra.items() if v}


def _pages(r: Reference) -> tuple[str | None, str | None]:
    whole = full_range(r.pages)
    if not whole:
        return None, None
    first, _, last = whole.partition("-")
    return first, last or None


def _ris(r: Reference) -> dict[str, object]:
    first, last = _pages(r)
    entry: dict[str, object] = {
        "type_of_reference": "JOUR",
        "authors": [_inverted(a) for a in r.authors],
        "title": r.title,
        "secondary_title": r.journal,  # T2: the journal, as Zotero reads it
        "alternate_title1": r.journal_abbrev,  # J2
        "year": str(r.year) if r.year else None,
        "volume": r.volume,
        "number": r.issue,
        "start_page": first,
        "end_page": last,
        "doi": r.doi,
        "accession_number": str(r.pmid),  # AN: where PubMed's own RIS puts the PMID
        "name_of_database": "PubMed",
        "urls": [r.url],
        "abstract": " ".join(r.abstract.split()) or None,  # a tag's value is one line
        "notes": [RETRACTED_NOTE] if r.retracted else None,  # N1: Zotero makes it a note
    }
    return {k: v for k, v in entry.items() if v not in (None, [], "")}


def _inverted(a: Author) -> str:
    if a.collective_name:
        return a.collective_name
    return ", ".join(p for p in (a.last_name, a.fore_name or a.initials) if p)


def _bibtex(references: Sequence[Reference]) -> str:
    library = Library()
    keys: set[str] = set()
    for r in references:
        key = _key(r, keys)
        keys.add(key)
        library.add(Entry("article", key, [Field(k, v) for k, v in _bibtex_fields(r)]))
    return str(write_string(library))


def _bibtex_fields(r: Reference) -> list[tuple[str, str]]:
    authors = " and ".join(
        f"{{{a.collective_name}}}" if a.collective_name else _inverted(a) for a in r.authors
    )
    fields = [
        ("author", authors),
        ("title", f"{{{r.title.rstrip('.')}}}"),  # braces keep the title's capitals
        ("journal", r.journal or r.journal_abbrev or ""),
        ("year", str(r.year) if r.year else ""),
        ("volume", r.volume or ""),
        ("number", r.issue or ""),
        ("pages", (full_range(r.pages) or "").replace("-", "--")),
        ("doi", r.doi or ""),
        ("pmid", str(r.pmid)),
        ("url", r.url),
        ("abstract", r.abstract),
        ("note", RETRACTED_NOTE if r.retracted else ""),
    ]
    return [(k, v) for k, v in fields if v]


# Latin letters that Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    {"Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss", "Ł": "L",
     "ł": "l", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "ı": "i"}
)  # fmt: skip


def _key(r: Reference, taken: set[str]) -> str:
    """`family` `year`: plain letters and digits, made unique with a, b, c..."""
    first = r.authors[0] if r.authors else None
    name = (first.last_name or first.collective_name or "") if first else ""
    name = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    ascii_name = name.encode("ascii", "ignore").decode()
    base = (re.sub(r"[^A-Za-z0-9]", "", ascii_name) or "anon") + str(r.year or "nd")
    key, n = base, 0
    while key in taken:
        key, n = f"{base}{chr(ord('a') + n % 26)}{n // 26 or ''}", n + 1
    return key
