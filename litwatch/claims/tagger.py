"""Tag a record with the claims it addresses: supports / contradicts / mentions, with the
sentence that decides and where it stands. Pure: text in, tags out (docs/claims.md).

Rules, following ../shared/corpus/LABELING.md:
- a record that never involves kratom or its alkaloids addresses no claim;
- a sentence addresses a claim when it names the claim's subject (catalogue `subject`);
- it *mentions* the claim when it reports no evidence: background and aims, marketing and
  vendor claims, reasons for use, calls for research, "whether ... is unknown";
- otherwise it is a finding: it *contradicts* the claim when negated or null ("did not
  reduce", "no difference", "rather than"), else it *supports* it; for `benefit` claims the
  sentence must also say the subject improved (catalogue `outcome`);
- a finding about another drug, in a clause without kratom, says nothing about kratom;
- per record and claim, findings beat mentions; conclusions beat results beat the title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from litwatch.claims.catalogue import Catalogue, Claim
from litwatch.claims.cues import (
    BENEFIT_VERB,
    CLAUSE_SPLIT,
    CUE_TRIGGERS,
    KRATOM,
    LIKE_OTHER,
    LOW,
    NEGATION,
    PURPOSE,
    RELIEF,
    SENTENCE_WORDS,
    NarrowedUnions,
    Screen,
    forget_cues,
    has_agent_drug,
    has_benefit_report,
    has_finding,
    has_kratom,
    has_mention,
    has_methods,
    has_null,
    has_other_drug,
    has_purpose,
    has_rebuttal,
    has_result,
    has_reversal,
    is_topic_title,
    leading_words,
    lower_regex,
    match_at,
    requirement_of,
    union,
)
from litwatch.models import Tag

_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|vs|et al|approx|ca|Fig|No|Dr|St)\.$", re.I)
_INITIAL = re.compile(r"\b[A-Z]\.$")  # "J. Smith", "Mitragyna speciosa (M. speciosa)"
# The end of a sentence: its full stop (kept) and the space after it (dropped). Written to
# start with the punctuation so that `re` skips ahead to it rather than trying every space.
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z0-9\"'(\[])")

OPINION_TYPES = frozenset({"Editorial", "Letter", "Comment", "News", "Newspaper Article"})
DATA_TYPES = frozenset({
    "Case Reports", "Clinical Trial", "Randomized Controlled Trial", "Controlled Clinical Trial",
    "Observational Study", "Meta-Analysis", "Systematic Review", "Multicenter Study",
})  # fmt: skip
SECTION_RANK = {"conclusions": 4, "results": 3, "title": 2, "methods": 1, "background": 0}
_SECTION_OF_LABEL = {
    "background": "background", "introduction": "background", "objective": "background",
    "objectives": "background", "aims": "background", "aim": "background", "purpose": "background",
    "context": "background", "rationale": "background", "methods": "methods",
    "design": "methods", "setting": "methods", "participants": "methods",
    "materials and methods": "methods", "results": "results", "findings": "results",
    "case": "results", "case presentation": "results", "case report": "results",
    "observations": "results", "main outcome measures": "methods",
    "conclusions": "conclusions", "conclusion": "conclusions", "discussion": "conclusions",
    "interpretation": "conclusions", "implications": "conclusions",
}  # fmt: skip


class Sentence(NamedTuple):
    """A sentence of a record, where it stands, and its lower-cased text, which every rule
    reads (cues.lower_regex); the tag quotes `text`. (A tuple: a record makes dozens, and a
    frozen dataclass costs a call per field to build.)"""

    text: str
    section: str  # title, background, methods, results, conclusions
    lower: str
    motives: bool = False  # a list of reasons for use, as the sentence before it says


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
        tail = max(0, len(out[-1]) - 10) if out else 0  # abbreviations end a piece: look there
        if out and (_ABBREVIATIONS.search(out[-1], tail) or _INITIAL.search(out[-1], tail)):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return [s.strip() for s in out if s.strip()]


def _section_of(label: str | None, category: str | None) -> str | None:
    for key in (category, label):
        if key and key.strip().lower() in _SECTION_OF_LABEL:
            return _SECTION_OF_LABEL[key.strip().lower()]
    return None


def record_sentences(
    title: str, sections: Sequence[tuple[str | None, str | None, str]]
) -> list[Sentence]:
    """Title and abstract as sentences with their section. Unlabelled abstracts: the first
    sentence is background, the last one or two conclusions, the rest results."""
    out = [Sentence(title, "title", title.lower())] if title else []
    labelled = [(_section_of(label, cat), text) for label, cat, text in sections]
    if len(labelled) > 1 or (labelled and labelled[0][0] is not None):
        for section, text in labelled:
            out += [Sentence(s, section or "results", s.lower()) for s in split_sentences(text)]
        return out
    sentences = [s for _, text in labelled for s in split_sentences(text)]
    n = len(sentences)
    tail = 2 if n >= 7 else 1
    for i, s in enumerate(sentences):
        section = (
            "background" if i == 0 and n > 2 else "conclusions" if i >= n - tail else "results"
        )
        out.append(Sentence(s, section, s.lower()))
    return out


@dataclass(frozen=True)
class _Compiled:
    claim: Claim
    patterns: NarrowedUnions  # subject, outcome, exclude


_MOTIVE_LEAD = lower_regex(r"\b(reasons?|motives?|motivations?|claims?|advertis\w*|marketed)\b")
_LIST_START = lower_regex(r"^(the )?(most (common|frequent|often cited)|main|commonest|leading)\b")
_CASE_REPORT = lower_regex(r"case (report|series)")
_HARM_WORD = lower_regex(r"associated|impair|deteriorat|harm|affect")


def _with_motive_context(sentences: list[Sentence]) -> list[Sentence]:
    """'Reasons for use were recorded. The most common were pain (72%), ...': the list is a
    list of motives, as its lead sentence says."""
    out = list(sentences)
    for i in range(1, len(out)):
        if _LIST_START.search(out[i].lower) and _MOTIVE_LEAD.search(out[i - 1].lower):
            out[i] = out[i]._replace(motives=True)
    return out


# A claim's subject patterns filed under one word: the claim's index, the other words all of
# those patterns require (None: none), the patterns as one, and whether every match of them
# starts with that word (then they are only tried where it occurs).
_Filed = tuple[int, frozenset[str] | None, re.Pattern[str], bool]


class _SubjectIndex:
    """Each claim's subject patterns, filed under their trigger words. Most sentences name no
    claim's subject: only the patterns filed under the sentence's trigger words, and only when
    it holds all the other words one of them requires, are searched; and a pattern that starts
    with its word is only tried where that word starts a word of the sentence."""

    def __init__(self, claims: Sequence[Claim]) -> None:
        self.always: list[_Filed] = []  # patterns with no distinctive word
        self.by_word: dict[str, list[_Filed]] = {}
        words: set[str] = set()
        for i, claim in enumerate(claims):
            filed: dict[tuple[str, bool, frozenset[str]] | None, list[str]] = {}
            for source in claim.subject:
                requirement = requirement_of(source)
                if requirement is None:
                    filed.setdefault(None, []).append(source)
                    continue
                # A pattern starting with its word (or one of a group's) is tried only where
                # a word of the sentence starts with it; others wherever their key word is.
                leads = leading_words(source)
                keys = leads if leads is not None else requirement.keys
                words |= requirement.words | keys
                for key in keys:
                    rest = requirement.words - {key} if requirement.every else frozenset()
                    filed.setdefault((key, leads is not None, rest), []).append(source)
            for filed_under, sources in filed.items():
                pattern = union(sources)
                assert pattern is not None
                if filed_under is None:
                    self.always.append((i, None, pattern, False))
                else:
                    key, anchored, rest = filed_under
                    entry = (i, rest or None, pattern, anchored)
                    self.by_word.setdefault(key, []).append(entry)
        self.words = frozenset(words)
        self.keys = frozenset(self.by_word)

    def claims_in(
        self, text: str, words: frozenset[str], settled: set[int], anchored: bool = True
    ) -> list[int]:
        """The claims (indexes) whose subject the text names, in catalogue order, leaving out
        those already `settled`."""
        found = set(settled)
        for i, _, pattern, _ in self.always:
            if i not in found and pattern.search(text):
                found.add(i)
        for word in words & self.keys:
            for i, rest, pattern, at_word in self.by_word[word]:
                if i in found or (rest is not None and not rest <= words):
                    continue
                if match_at(pattern, text, word) if anchored and at_word else pattern.search(text):
                    found.add(i)
        return sorted(found - settled)


class Tagger:
    """Compiled once per catalogue; `tag_record` is then cheap per record."""

    def __init__(self, catalogue: Catalogue, screened: bool = True) -> None:
        """`screened=False` runs every pattern on every sentence: the same tags, slowly (the
        tests check that the screening never changes a tag)."""
        self.catalogue = catalogue
        self.screened = screened
        self.compiled = []
        for claim in catalogue.claims:
            if claim.inverse_of:
                continue
            patterns = NarrowedUnions(claim.subject, claim.outcome, claim.exclude)
            self.compiled.append(_Compiled(claim, patterns))
        self.inverses = [c for c in catalogue.claims if c.inverse_of]
        self.subjects = _SubjectIndex([c.claim for c in self.compiled])
        narrowing = {w for c in self.compiled for w in c.patterns.triggers}
        self.screen = Screen(CUE_TRIGGERS | self.subjects.words | narrowing)

    def tag_record(
        self,
        title: str,
        sections: Sequence[tuple[str | None, str | None, str]],
        extra_terms: str = "",
        publication_types: Sequence[str] = (),
    ) -> list[Tag]:
        forget_cues()
        _spans_cached.cache_clear()
        body = " ".join(t for _, _, t in sections)
        text = f"{title} {body} {extra_terms}".lower()
        if " kratom" not in text and not KRATOM.search(text):  # the usual case first
            return []  # about opioids or withdrawal, but not about kratom
        best: dict[int, tuple[tuple[int, int, int], Tag]] = {}  # by claim index
        sentences = _with_motive_context(record_sentences(title, sections))
        # Sentences in order of precedence: findings beat mentions, then the best section,
        # then the first statement there (abstracts state the main finding before its
        # qualifications). In this order a claim's first finding is its best, so once it has
        # one no later sentence is read for it, and its patterns are no longer tried.
        order = sorted(
            range(len(sentences)), key=lambda i: (-SECTION_RANK[sentences[i].section], i)
        )
        settled: set[int] = set()  # claims with a finding
        for index in order:
            sentence = sentences[index]
            lower = sentence.lower
            words = self.screen.words(lower) if self.screened else self.screen.triggers
            SENTENCE_WORDS[:] = [words] if self.screened else []
            for i in self.subjects.claims_in(lower, words, settled, anchored=self.screened):
                compiled = self.compiled[i]
                stance = _stance(compiled, sentence, lower)
                if stance is None:
                    continue
                if stance != "mentions":
                    settled.add(i)
                rank = (0 if stance == "mentions" else 1, SECTION_RANK[sentence.section], -index)
                held = best.get(i)
                if held is None or rank > held[0]:
                    best[i] = (
                        rank,
                        Tag(compiled.claim.id, stance, sentence.text, sentence.section),
                    )
        SENTENCE_WORDS.clear()
        tags = [best[i][1] for i in sorted(best)]  # in catalogue order
        types = set(publication_types)
        if types & OPINION_TYPES and not types & DATA_TYPES:
            # Editorials, letters and comments carry no data: what they assert is a mention.
            tags = [Tag(t.claim_id, "mentions", t.sentence, t.section) for t in tags]
        return tags + self._inverse_tags(tags)

    def _inverse_tags(self, tags: list[Tag]) -> list[Tag]:
        swap = {"supports": "contradicts", "contradicts": "supports", "mentions": "mentions"}
        out = []
        for inverse in self.inverses:
            for tag in tags:
                if tag.claim_id == inverse.inverse_of:
                    out.append(Tag(inverse.id, swap[tag.stance], tag.sentence, tag.section))
        return out


def _may_split(text: str) -> bool:
    # Most sentences have one clause: a few substring tests spare the clause pattern.
    return (
        ";" in text
        or " but" in text
        or " wh" in text  # whereas, while
        or "though" in text  # although, though
        or " yet" in text
        or " however" in text
    )


def _relevant_clause(text: str, subject: re.Pattern[str]) -> str:
    """The clause that carries the claim's subject (and kratom, when a clause names it)."""
    pieces = CLAUSE_SPLIT.split(text) if _may_split(text) else [text]
    if len(pieces) == 1:
        return text  # one clause, and the caller found the claim's words in it
    clauses = [c for c in pieces if c and subject.search(c)]
    if len(clauses) <= 1:
        return clauses[0] if clauses else text
    with_kratom = [c for c in clauses if has_kratom(c)]
    return (with_kratom or clauses)[0]


def _negated(
    clause: str,
    spans: list[tuple[int, int]],
    harm: bool = False,
    null_anywhere: bool = True,
    window: int = 40,
) -> bool:
    """A negation word shortly before one of the claim's words, or a null result."""
    if null_anywhere and has_null(clause):
        return True
    for start, _ in spans:
        before = clause[max(0, start - window) : start]
        negation = NEGATION.search(before)
        if negation and not (harm and BENEFIT_VERB.search(before, negation.end())):
            return True
        if harm and LOW.search(clause[max(0, start - 12) : start]):
            return True
    return False


def _purpose_of(clause: str, subject: re.Pattern[str]) -> bool:
    """A purpose ("to self-treat", "used kratom for") shortly before the claim's words."""
    return has_purpose.possible() and any(
        PURPOSE.search(clause, max(0, start - 60), start) for start, _ in _spans(subject, clause)
    )


def _relieved(clause: str, subject: re.Pattern[str]) -> bool:
    """The claim's (harmful) subject is what something relieved or reduced."""
    return any(
        RELIEF.search(clause, max(0, start - 60), start) for start, _ in _spans(subject, clause)
    )


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return _spans_cached(pattern, text) if pattern is not None else []


@lru_cache(maxsize=4096)
def _spans_cached(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    # The same claim's words are located in the same clause by several rules.
    return [m.span() for m in pattern.finditer(text)]


_CONCESSIVE = lower_regex(r"^(although|though|while|whereas|despite|even though)\b[^,]*,\s*")


def _main_clause(text: str, subject: re.Pattern[str]) -> str:
    """'Although users believed kratom helped them sleep, daily use was associated with poorer
    sleep': the finding is in the main clause, when the claim's words are there too."""
    lead = _CONCESSIVE.match(text)
    if lead and subject.search(text, lead.end()):
        return text[lead.end() :]
    return text


def _stance(compiled: _Compiled, sentence: Sentence, lower: str) -> str | None:
    # The claim's patterns narrowed to those whose words this sentence holds.
    subject, outcome_pattern, exclude = compiled.patterns.here()
    assert subject is not None  # the sentence names the claim's subject
    text = _main_clause(lower, subject)  # it keeps the claim's words
    if exclude is not None:
        text, excluded = exclude.subn(" ", text)
        if excluded:
            # Cutting out a phrase that ends inside a word ("painful" in "painfully") leaves
            # a word start the sentence's screen never saw: read on with every pattern.
            subject, outcome_pattern, _ = compiled.patterns.full
            if subject is None or not subject.search(text):
                return None
    if sentence.section == "methods" or (has_methods(text) and not has_result(text)):
        return "mentions" if has_mention(text) and not has_methods(text) else None
    clause = _relevant_clause(text, subject)
    kind = compiled.claim.kind
    if kind == "benefit" and has_other_drug(clause) and not has_kratom(text):
        return None  # "buprenorphine reduced craving": a finding about another drug
    if kind != "unknown" and has_agent_drug(clause):
        return None  # the clause's subject is another drug, whatever else it names
    if sentence.section == "title" and is_topic_title(text) and not _CASE_REPORT.search(text):
        return None  # a topic ("...: a systematic review"), neither finding nor mention
    if has_rebuttal(text) and kind == "benefit" and sentence.section != "background":
        return "contradicts"
    if text.rstrip().endswith("?") or (sentence.section == "title" and "?" in text):
        return "mentions"  # a question, as in many titles, reports nothing yet
    # (A mention, unless the claim's own clause is a finding that mentions nothing.)
    mention = has_mention(text) and not (not has_mention(clause) and has_finding(clause))
    if kind == "unknown":
        return _stance_unknown(outcome_pattern, text, mention)
    if sentence.motives:
        return "mentions" if kind == "benefit" else None
    if "like " in clause and any(
        LIKE_OTHER.search(clause, max(0, a - 30), a) for a, _ in _spans(subject, clause)
    ):
        return "mentions"  # "like other μ-opioid agonists": presupposed, not found
    if kind == "benefit" and has_reversal(clause) and has_result(clause):
        return "contradicts"  # "41 (68%) resumed opioid use": a result, whatever the motive
    if (
        not mention
        and kind == "benefit"
        and not has_benefit_report(text)
        and _purpose_of(clause, subject)
    ):
        mention = True  # "used kratom to self-treat pain": a motive, not a finding
    if kind == "harm" and _relieved(clause, subject):
        return None  # "relief of restlessness and diarrhoea" is no gastrointestinal harm
    if sentence.section == "background" or mention:
        return "mentions"
    if kind == "benefit" and has_reversal(clause):
        return "contradicts"  # "kratom taken as a sleep aid appeared to perpetuate insomnia"
    outcome = _spans(outcome_pattern, clause)
    if compiled.claim.outcome and not outcome:
        if has_null(clause):
            return "contradicts"  # "anxiety ratings did not change after kratom"
        return None if kind == "benefit" else "supports"
    spans = _spans(subject, clause) + outcome
    negated = _negated(clause, spans, harm=kind == "harm", null_anywhere=kind != "property")
    return "contradicts" if negated else "supports"


def _stance_unknown(outcome: re.Pattern[str] | None, text: str, mention: bool) -> str | None:
    # The claim is itself a statement of ignorance: "long-term safety remains unknown"
    # supports it; a finding that long-term use did no harm contradicts it.
    if outcome is not None and outcome.search(text):
        return "supports"
    if NEGATION.search(text) and _HARM_WORD.search(text):
        return "contradicts"
    return "mentions" if mention else None
