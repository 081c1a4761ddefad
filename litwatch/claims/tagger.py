"""Tag a record with the claims it addresses: supports / contradicts / mentions, with the
sentence that decides and the rule that decided it. Pure: text in, tags out.

Following ../shared/corpus/LABELING.md (docs/claims.md):
- a record that never involves kratom or its alkaloids addresses no claim;
- a sentence addresses a claim when it names the claim's subject (catalogue `subject`), and
  the rules (`rules.py`) decide its stance;
- per record and claim, a finding beats a mention; among findings, conclusions beat results
  beat the title, and an earlier sentence a later one (abstracts state the main finding
  first); editorials and letters only mention.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from litwatch.claims.catalogue import Catalogue, Claim
from litwatch.claims.conditions import motives
from litwatch.claims.language import Language, load_language
from litwatch.claims.phrases import Match, PhraseIndex
from litwatch.claims.reading import Reading
from litwatch.claims.rules import Rule, decide
from litwatch.claims.text import Sentence, record_sentences
from litwatch.models import Tag

OPINION_TYPES = frozenset({"Editorial", "Letter", "Comment", "News", "Newspaper Article"})
DATA_TYPES = frozenset({
    "Case Reports", "Clinical Trial", "Randomized Controlled Trial", "Controlled Clinical Trial",
    "Observational Study", "Meta-Analysis", "Systematic Review", "Multicenter Study",
})  # fmt: skip
SECTION_RANK = {"conclusions": 4, "results": 3, "title": 2, "methods": 1, "background": 0}
_CLAUSE_END = re.compile(
    r";|,? (?:but|whereas|while|although|though|yet)\b|, however\b|\bhowever,|: "
    r"|, and (?!(?:\w+ ){0,2}\w+,)"  # ", and" before a new clause, not the end of a list
)
REVIEW_TYPES = frozenset({"Review", "Systematic Review", "Meta-Analysis", "Scoping Review"})
_REVIEW_TITLE = re.compile(r"\b(review|meta-analys[ie]s|overview)\b")
_LEADS = (
    ("motive", re.compile(r"\b(reasons?|motives?|motivations?|purposes?|uses)\b")),
    ("attribution", re.compile(r"\b(claims?|claimed|advertis\w+|marketed|promoted|statements?)\b")),
)


def _lead_of(previous: str) -> str | None:
    """What a list that follows this sentence lists: motives, or others' claims."""
    return next((cue for cue, pattern in _LEADS if pattern.search(previous)), None)


_LIST_START = re.compile(
    r"(the )?(most (common|frequent|often cited|commonly cited)|main|commonest|leading|top)\b"
)
_SWAP = {"supports": "contradicts", "contradicts": "supports", "mentions": "mentions"}
_CLAIM_PHRASES = ("subject", "outcome", "exclude", "null", "opposite")


class _Context(NamedTuple):
    """What the whole record tells the rules about each of its sentences."""

    other_drug_record: str  # "drug", "treatment" or "" (see Reading)
    review: bool


@dataclass(frozen=True)
class Decision:
    """What one sentence says about one claim, and why (for `litwatch explain`)."""

    claim_id: str
    stance: str | None
    rule: Rule
    sentence: Sentence
    subject: str  # the words that named the claim
    reading: Reading = field(repr=False, compare=False)

    def cues_read(self) -> list[tuple[str, str]]:
        """(cue, words) for each cue the deciding rule read that the sentence holds."""
        text = self.sentence.text
        return [
            (cue, text[m.start : m.end])
            for cue in self.rule.reads
            for m in self.reading.found.get(cue, ())
            if m.end > m.start
        ]


def _clauses(text: str) -> list[tuple[int, int]]:
    cuts = [m.start() for m in _CLAUSE_END.finditer(text)]
    bounds = [0, *cuts, len(text)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


class Tagger:
    """Compiled once per catalogue; `tag_record` is then cheap per record."""

    def __init__(self, catalogue: Catalogue, language: Language | None = None) -> None:
        self.catalogue = catalogue
        self.language = language or load_language()
        self.claims = [c for c in catalogue.claims if not c.inverse_of]
        self.inverses = [c for c in catalogue.claims if c.inverse_of]
        phrases: list[tuple[tuple[str, str], str]] = []
        for name, cue in self.language.cues.items():
            phrases += [(("cue", name), p) for p in cue.phrases]
        for claim in self.claims:
            for part in _CLAIM_PHRASES:
                phrases += [((claim.id, part), p) for p in getattr(claim, part)]
        self.index: PhraseIndex[tuple[str, str]] = PhraseIndex(phrases)
        self._kratom_cue = PhraseIndex(
            [(("cue", "kratom"), p) for p in self.language.cues["kratom"].phrases]
        )

    def about_kratom(self, text: str) -> bool:
        return bool(self._kratom_cue.find(text.lower()))

    def read_record(
        self,
        title: str,
        sections: Sequence[tuple[str | None, str | None, str]],
        extra_terms: str = "",
        review: bool = False,
    ) -> list[Decision]:
        """Every (sentence, claim) decision of a record, in sentence order."""
        body = " ".join(t for _, _, t in sections)
        if not self.about_kratom(f"{title} {body} {extra_terms}"):
            return []  # about opioids or withdrawal, but not about kratom
        sentences = record_sentences(title, sections)
        context = _Context(self._about_other_drug(title), review)
        out: list[Decision] = []
        lead: str | None = None
        for sentence in sentences:
            out += self._read_sentence(sentence, context, lead)
            lead = _lead_of(sentence.lower)
        return out

    def explain(self, text: str, section: str = "results") -> list[Decision]:
        """How the tagger reads one sentence, as if it stood in the given section of an
        abstract about kratom (`litwatch explain`)."""
        sentence = Sentence(text, section, text.lower(), 1)
        return self._read_sentence(sentence, _Context("", False), None)

    def _about_other_drug(self, title: str) -> str:
        # A record whose title names another drug and not kratom is about that drug: its
        # sentences that do not name kratom are findings about that drug ...
        found = self.index.find(title.lower())
        drugs = [m.start for m in found if m.key == ("cue", "other-drug")]
        kratom = [m.start for m in found if m.key == ("cue", "kratom")]
        # ... or whose title opens with another drug ("Buprenorphine induction in patients
        # with prior kratom use"): its benefits are that drug's.
        if not drugs:
            return ""
        if not kratom:
            return "drug"
        return "treatment" if drugs[0] < min(kratom) and drugs[0] <= 40 else ""

    def _read_sentence(
        self, sentence: Sentence, context: _Context, lead: str | None
    ) -> list[Decision]:
        matches = self.index.find(sentence.lower)
        if lead is not None and _LIST_START.match(sentence.lower):
            # "Reasons for use were recorded. The most common were pain (72%), ...": a list
            # of motives (or of vendors' claims), as the sentence before says.
            matches.append(Match(("cue", lead), 0, 0))
        found: dict[str, dict[str, list[Match]]] = {}
        for m in matches:
            owner, part = m.key
            found.setdefault(owner, {}).setdefault(part, []).append(m)
        cues = found.get("cue", {})
        if "motive" in cues:
            cues["motive"] = motives(sentence.lower, cues["motive"])
        out = []
        for claim in self.claims:
            own = found.get(claim.id)
            if not own or not any(part in own for part in ("subject", "null", "opposite")):
                continue
            reading = self._reading(claim, sentence, cues, own, context)
            if reading is None:
                continue
            stance, rule = decide(reading)
            words = sentence.text[reading.subject[0].start : reading.subject[0].end]
            out.append(Decision(claim.id, stance, rule, sentence, words, reading))
        return out

    def _reading(
        self,
        claim: Claim,
        sentence: Sentence,
        cues: dict[str, list[Match]],
        own: dict[str, list[Match]],
        context: _Context,
    ) -> Reading | None:
        excluded = own.get("exclude", [])
        # A claim's own null or opposite phrases name its subject too ("slept normally").
        named = sorted(
            own.get("subject", []) + own.get("null", []) + own.get("opposite", []),
            key=lambda m: m.start,
        )
        subject = [s for s in named if not any(e.start <= s.start < e.end for e in excluded)]
        if not subject:
            return None
        clause = _subject_clause(sentence.lower, subject, cues.get("kratom", []))
        in_clause = tuple(s for s in subject if clause[0] <= s.start < clause[1])
        found = dict(cues)
        for part in ("outcome", "null", "opposite"):
            found[part] = own.get(part, [])
        return Reading(claim, sentence, clause, in_clause, found, *context)

    def tag_record(
        self,
        title: str,
        sections: Sequence[tuple[str | None, str | None, str]],
        extra_terms: str = "",
        publication_types: Sequence[str] = (),
    ) -> list[Tag]:
        types = set(publication_types)
        review = bool(types & REVIEW_TYPES) or _REVIEW_TITLE.search(title.lower()) is not None
        decisions = self.read_record(title, sections, extra_terms, review)
        best: dict[str, tuple[tuple[int, int, int, int], Decision]] = {}
        for d in decisions:
            if d.stance is None:
                continue
            rank = _rank(d, review)
            if d.claim_id not in best or rank > best[d.claim_id][0]:
                best[d.claim_id] = (rank, d)
        order = {c.id: i for i, c in enumerate(self.claims)}
        chosen = [best[c][1] for c in sorted(best, key=order.__getitem__)]
        opinion = bool(types & OPINION_TYPES) and not types & DATA_TYPES
        # A letter or editorial reporting its own data ("12 of 19 patients") has findings.
        opinion = opinion and not _DATA.search(" ".join(t for _, _, t in sections))
        tags = [
            Tag(d.claim_id, "mentions" if opinion else str(d.stance), d.sentence.text,
                d.sentence.section, "opinion" if opinion else d.rule.name)
            for d in chosen
        ]  # fmt: skip
        return tags + self._inverse_tags(tags)

    def _inverse_tags(self, tags: list[Tag]) -> list[Tag]:
        out = []
        for inverse in self.inverses:
            for tag in tags:
                if tag.claim_id == inverse.inverse_of:
                    swapped = _SWAP[tag.stance]
                    out.append(Tag(inverse.id, swapped, tag.sentence, tag.section, tag.rule))
        return out


_DATA = re.compile(r"\d+(\.\d+)? ?%|\bp ?[<=>]|\bn ?= ?\d|\b\d+ of (the )?\d+\b")


def _rank(d: Decision, review: bool) -> tuple[bool, bool, int, int]:
    """Which decision stands for the record: a review's conclusion that the evidence is
    insufficient first (LABELING.md: such a review mentions the claim), then findings over
    mentions, then conclusions over results over the title, then the earlier sentence."""
    gap = review and d.rule.name == "evidence-gap" and d.sentence.section == "conclusions"
    finding = d.stance != "mentions"
    return (gap, finding, SECTION_RANK[d.sentence.section], -d.sentence.position)


def _subject_clause(text: str, subject: list[Match], kratom: list[Match]) -> tuple[int, int]:
    """The clause that carries the claim's subject: the first one that also names kratom,
    else the first one with the subject."""
    clauses = _clauses(text)
    with_subject = [c for c in clauses if any(c[0] <= s.start < c[1] for s in subject)]
    with_kratom = [c for c in with_subject if any(c[0] <= k.start < c[1] for k in kratom)]
    return (with_kratom or with_subject or [(0, len(text))])[0]
