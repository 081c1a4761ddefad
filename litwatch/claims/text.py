"""A record's title and abstract as sentences, each with the section it stands in.

PubMed abstracts come structured (labelled BACKGROUND, METHODS, RESULTS, CONCLUSIONS, with an
NlmCategory) or as one paragraph; the tagger ranks a sentence by its section (a conclusion
settles a claim before a background sentence does), so an unlabelled abstract gets sections
by position.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|vs|et al|approx|ca|Fig|Dr|St|cf|resp)\.$", re.I)
_NUMBER_SIGN = re.compile(r"\bNo\.$")  # "No. 3", but not "most said no."
_INITIAL = re.compile(r"\(?[A-Z]\.")  # "J. Smith", "(M. Speciosa)"
# The end of a sentence: its full stop (kept) and the space after it (dropped).
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z0-9\"'(\[‘“])")

SECTIONS = ("title", "background", "methods", "results", "conclusions")
_SECTION_OF_LABEL = {
    "background": "background", "introduction": "background", "objective": "background",
    "objectives": "background", "aims": "background", "aim": "background", "purpose": "background",
    "context": "background", "rationale": "background", "importance": "background",
    "methods": "methods", "method": "methods", "design": "methods", "setting": "methods",
    "participants": "methods", "materials and methods": "methods", "interventions": "methods",
    "main outcome measures": "methods", "measurements": "methods", "data sources": "methods",
    "study selection": "methods", "data extraction": "methods", "methods and materials": "methods",
    "results": "results", "findings": "results", "case": "results", "case presentation": "results",
    "case report": "results", "case description": "results", "observations": "results",
    "conclusions": "conclusions", "conclusion": "conclusions", "discussion": "conclusions",
    "interpretation": "conclusions", "implications": "conclusions",
    "conclusions and relevance": "conclusions", "significance": "conclusions",
    "case summary": "results", "case history": "results", "data synthesis": "results",
    "ethnopharmacological relevance": "background", "aim of the study": "background",
    "material and method": "methods", "trial registration": "methods",
}  # fmt: skip


class Sentence(NamedTuple):
    """A sentence of a record, where it stands, and its lower-cased text, which every rule
    reads; a tag quotes `text`."""

    text: str
    section: str  # title, background, methods, results, conclusions
    lower: str
    position: int  # its place in the record (the title is 0)


def split_sentences(text: str) -> list[str]:
    """Sentences of an abstract; "P < .001", "vs." and "e.g." do not end one."""
    text = text.strip()
    pieces, last = [], 0
    for end in _SENTENCE_END.finditer(text):
        pieces.append(text[last : end.start() + 1])
        last = end.end()
    pieces.append(text[last:])
    out: list[str] = []
    for piece in pieces:
        if out and _continues(out[-1], piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s.strip() for s in out if s.strip()]


def _continues(before: str, after: str) -> bool:
    """Whether the full stop ending `before` is an abbreviation's, not a sentence's."""
    tail = before[-12:]
    if _ABBREVIATIONS.search(tail):
        return True
    if _NUMBER_SIGN.search(tail):
        return after[:1].isdigit()
    # A capital letter and a full stop is an initial after a capitalised word, another
    # initial or a bracket ("J. K. Smith"), but ends a sentence after a lower-case word
    # ("patients with hepatitis C. Kratom ...").
    words = before.rsplit(None, 2)
    if not words or not _INITIAL.fullmatch(words[-1]):
        return False
    return len(words) == 1 or words[-1][0] == "(" or not words[-2][0].islower()


def _section_of(label: str | None, category: str | None) -> str | None:
    # The label first: PubMed files "CASE PRESENTATION" under the category METHODS.
    for key in (label, category):
        if key and key.strip().lower() in _SECTION_OF_LABEL:
            return _SECTION_OF_LABEL[key.strip().lower()]
    return None


# A case report often opens with its case, not with background.
_CASE_OPENING = re.compile(
    r"^(an?|the|our) (\d+|[a-z]+-)[- ]?(year|month|week|day)s?[- ]old\b|^we (describe|report|present)\b"
)


def _by_position(i: int, n: int, sentence: str) -> str:
    # An unlabelled abstract opens with its background and ends with its conclusions.
    if i == 0 and n > 2:
        return "results" if _CASE_OPENING.search(sentence.lower()) else "background"
    return "conclusions" if i >= n - (2 if n >= 7 else 1) else "results"


def record_sentences(
    title: str, sections: Sequence[tuple[str | None, str | None, str]]
) -> list[Sentence]:
    """Title and abstract as sentences with their section. Unlabelled abstracts: the first
    sentence is background, the last one or two conclusions, the rest results."""
    found: list[tuple[str, str]] = [(title, "title")] if title else []
    labelled = [(_section_of(label, cat), text) for label, cat, text in sections]
    if len(labelled) > 1 or (labelled and labelled[0][0] is not None):
        found += [
            (s, section or "results") for section, text in labelled for s in split_sentences(text)
        ]
    else:
        plain = [s for _, text in labelled for s in split_sentences(text)]
        found += [(s, _by_position(i, len(plain), s)) for i, s in enumerate(plain)]
    return [Sentence(text, section, text.lower(), i) for i, (text, section) in enumerate(found)]
