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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from litwatch.claims.catalogue import Catalogue, Claim
from litwatch.models import Tag

KRATOM = re.compile(
    r"\b(kratom|ketum|kratum|krathom|biak|thom|mitragyn\w*|mitragyna|7-?OH\b|7-hydroxymitragynine"
    r"|speciogynine|speciociliatine|paynantheine|corynantheidine|mitraphylline|speciofoline)",
    re.I,
)
OTHER_DRUG = re.compile(
    r"\b(buprenorphine|methadone|clonidine|lofexidine|naltrexone|tramadol|gabapentin|"
    r"morphine|oxycodone|fentanyl|heroin|codeine|placebo|control group|non-users|"
    r"cannabis|marijuana|alcohol|benzodiazepines?|nicotine|tobacco|caffeine|"
    r"methamphetamine|amphetamines?|cocaine|ketamine|antidepressants?|SSRIs?)\b(?!-)",
    re.I,
)
# Negation words count only shortly before the claim's own words (`_negated`); null-result
# phrases and explicit rebuttals count anywhere in the clause.
NEGATION = re.compile(
    r"\b(not|no|nor|never|neither|without|fail\w* to|cannot|lack(ed)? of|absence of|"
    r"rather than|instead of|far from|little or no|only \d+(\.\d+)?%|no longer|unlikely|rarely|seldom)\b",
    re.I,
)
# Words that reverse a benefit ("worsened sleep") but confirm a harm ("insomnia worsened").
REVERSAL = re.compile(
    r"\b(worsen\w*|perpetuat\w*|disrupt\w*|ineffective|inadequate\w*|insufficient|"
    r"resumed|relapsed|returned to (regular )?(opioid|heroin|fentanyl)|poor(er|ly)?)\b",
    re.I,
)
RELIEF = re.compile(
    r"\b(relief of|reliev\w*|reduc\w*|attenuat\w*|eas(ed|ing)|treatment of|for)\b", re.I
)
LIKE_OTHER = re.compile(r"\blike (other|all|most)\b", re.I)
# Words that deny a harm: "low reinforcing efficacy", "negligible tolerance".
LOW = re.compile(r"\b(low|minimal|negligible|little|weak)\b", re.I)
# A benefit verb after a negation: "rather than relieve insomnia" affirms the insomnia.
BENEFIT_VERB = re.compile(r"\b(reliev|improv|reduc|promot|eas|treat|prevent|help)\w*", re.I)
# Purpose and motive: a mention of a benefit claim ("used kratom to ease withdrawal") unless
# the clause also reports the benefit itself ("... and most described relief").
PURPOSE = re.compile(
    r"\b(to self-(treat|manage|medicate)|self-(treat|manag|medicat)\w*|used (it |kratom |ketum )?(to|for)|"
    r"using (it |kratom |ketum )?(to|for)|use (it |kratom )?(to|for)|taken? .{0,40}\b(to|for)\b|"
    r"attempted to|tried to|reasons? for|motives?|(most common|main|primary) (reasons?|motives?|uses?)|"
    r"in order to|as a (remedy|substitute|sleep aid)|to (help|manage|ease|relieve|treat|control))\b",
    re.I,
)
BENEFIT_REPORT = re.compile(
    r"\b((described|reported|experienced|noted|found|attributed) .{0,30}(relief|improvement|benefit|relieving)|"
    r"(relieved|helped|eased|improved|reduced|controlled|lowered|attenuated) (their|the|his|her|its|withdrawal|craving|pain|symptoms)|"
    r"rated .{0,40}(effective|helpful)|perceived (it|kratom) as (beneficial|helpful|effective)|"
    r"(it|kratom|ketum) (had )?(relieved|helped|eased|improved|reduced|controlled)|"
    r"reported (that )?(it|kratom|ketum) (relieved|helped|reduced|eased|improved|controlled))",
    re.I,
)
NULL_RESULT = re.compile(
    r"\b(did not differ|do not differ|does not differ|no (significant |meaningful )?differences?|"
    r"(was|were) similar|did not (change|improve|reduce|relieve|attenuate|alter|produce|affect)|"
    r"not (significantly )?associated with|unchanged|not superior|no better than)\b",
    re.I,
)
REBUTTAL = re.compile(
    r"\b(challenge[sd]? the (view|perception|belief|claim|notion|idea)|argue[sd]? against|"
    r"contrary to|do(es)? not support|against describing|rather than (improving|relieving|"
    r"promoting|reducing)|far from (improving|relieving|helping))\b",
    re.I,
)
METHODS = re.compile(
    r"\b(received|were (randomi[sz]ed|randomly assigned|assigned|recruited|enrolled|given|"
    r"administered|treated|injected|surveyed|interviewed|asked|included)|"
    r"we (conducted|recruited|surveyed|analy[sz]ed|searched|interviewed|measured|assessed|"
    r"examined|compared|tested|studied|evaluated|investigated|aimed|sought|used)|"
    r"(was|were) (measured|assessed|recorded|scored|quantified|evaluated) (using|with|by|for)|"
    r"this (study|review|trial|survey) (aimed|examined|assessed|investigated|evaluated))\b",
    re.I,
)
MENTION = re.compile(
    r"\b(marketed|marketing|promoted|promote[sd]?|advertis\w*|vendors?|claims? (of|that)|"
    r"touted|purported|reputed|anecdotal\w*|traditional(ly)?|folk|"
    r"attention as|as a (possible|potential) (aid|alternative|treatment)|"
    r"whether|is unknown|are unknown|remains? (unknown|uncertain|unclear|unproven)|"
    r"uncertain|insufficient to (determine|establish|assess)|not (yet )?been (evaluated|studied|tested|established)|"
    r"(are|is|were) needed|needs? to be|should be (studied|evaluated)|advocates?|"
    r"increasingly used|widely used|commonly used|"
    r"has been used|have been used|"
    r"we (describe|report|measured|assessed|examined|investigated|aimed|sought)|"
    r"aim(ed)? (was|of|to)|objective|perceived as|perception|believ\w*|belief|"
    r"regulators?|cite|often to|as a remedy|as a substitute|hope|"
    r"low certainty|inconsistent and|assessed only|websites?|sites|mentioned|statements? that|"
    r"claims included|(most common|main|primary) (reasons?|motives?|uses?)|"
    r"on the advice)\b",
    re.I,
)
# Statistics: the surest sign of a result.
NUMBERS = re.compile(r"\d(\.\d+)?\s?%|\bP\s*[<=>]|\bCI\b|\bOR\b|\bHR\b|\bβ\s*=")
FINDING = re.compile(
    r"\b(perceived (it|kratom) as (beneficial|helpful|effective)|beneficial|"
    r"reported (that|relief|improv\w*|reduc\w*|benefit\w*|it)|rated|showed|produced|"
    r"attenuated|reduced|relieved|increased|decreased|lowered|improved|suppressed|"
    r"was associated|were associated|significant\w*|suggest\w*|indicat\w*|demonstrat\w*|"
    r"observed|found|resolved|ceased|developed|experienced|described (relief|difficulty)|"
    r"reported|controlled|helped|effective|consistent with|confirm\w*|evidence that|"
    r"can cause|can produce|may cause|led to|common\w*|prevalen\w*|occurred|"
    r"than|versus|compared)\b",
    re.I,
)
# Results words that "We compared X with Y" (a methods sentence) does not have.
RESULT = re.compile(
    r"\b(showed|found|reduced|relieved|increased|decreased|attenuated|improved|produced|"
    r"resolved|developed|did not|was associated|were associated|significant\w*)\b",
    re.I,
)
# A title naming its design ("...: a systematic review") states a topic, not a finding.
TOPIC_TITLE = re.compile(
    r"\b(review|meta-analys[ie]s|trial|survey|study|analysis|protocol|cohort|overview|"
    r"perspective|commentary|consensus|guidelines?)\b",
    re.I,
)
AGENT_DRUG = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(buprenorphine|methadone|clonidine|lofexidine|naltrexone|tramadol|"
    r"gabapentin|morphine|oxycodone|fentanyl|heroin|codeine|cannabis|alcohol|benzodiazepines?|"
    r"antidepressants?)\b",
    re.I,
)
CLAUSE_SPLIT = re.compile(
    r";|,? (?:but|whereas|while|although|though|yet|however)\b|\. However,", re.I
)
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|vs|et al|approx|ca|Fig|No|Dr|St)\.$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")

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


@dataclass(frozen=True)
class Sentence:
    text: str
    section: str  # title, background, methods, results, conclusions
    motives: bool = False  # a list of reasons for use, as the sentence before it says


def split_sentences(text: str) -> list[str]:
    """Sentences of an abstract; "P < .001", "vs." and "e.g." do not end one."""
    pieces = _SENTENCE_END.split(text.strip())
    out: list[str] = []
    for piece in pieces:
        if out and (_ABBREVIATIONS.search(out[-1]) or re.search(r"\b[A-Z]\.$", out[-1])):
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
    out = [Sentence(title, "title")] if title else []
    labelled = [(_section_of(label, cat), text) for label, cat, text in sections]
    if len(labelled) > 1 or (labelled and labelled[0][0] is not None):
        for section, text in labelled:
            out += [Sentence(s, section or "results") for s in split_sentences(text)]
        return out
    sentences = [s for _, text in labelled for s in split_sentences(text)]
    n = len(sentences)
    tail = 2 if n >= 7 else 1
    for i, s in enumerate(sentences):
        section = (
            "background" if i == 0 and n > 2 else "conclusions" if i >= n - tail else "results"
        )
        out.append(Sentence(s, section))
    return out


@dataclass(frozen=True)
class _Compiled:
    claim: Claim
    subject: re.Pattern[str]
    outcome: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    triggers: frozenset[str] | None  # None: the claim cannot be pre-screened
    parts: tuple[tuple[frozenset[str] | None, str], ...] = ()  # each subject pattern, screened


_LITERAL = re.compile(r"(?<![\\\w])[^\W\d_]{2,}")
_WORDS = re.compile(r"[^\W_]+")
_TRIGGER = 5  # triggers are the first 5 letters of a literal word (or the whole, if shorter)
# Words too common to screen with: a pattern's other words must carry the screening.
_COMMON = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "after",
        "when",
        "whenever",
        "during",
        "than",
        "that",
        "this",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "not",
        "use",
        "used",
        "using",
        "users",
        "some",
        "other",
        "between",
        "among",
        "into",
        "over",
        "more",
        "less",
        "per",
        "its",
        "their",
        "them",
        "they",
        "her",
        "his",
        "who",
        "which",
        "what",
        "same",
        "such",
        "of",
        "on",
        "to",
        "in",
        "at",
        "by",
        "as",
        "or",
        "an",
        "is",
        "be",
        "it",
        "no",
        "not",
        "he",
        "she",
        "we",
    ]
)


def _top_level(pattern: str) -> str:
    """The part of a pattern outside parentheses (words there are mandatory, unless
    quantified); empty when the pattern has a top-level alternation."""
    depth, out, escaped = 0, [], False
    for ch in pattern:
        if escaped:
            escaped = False
            out.append(" " if depth else f"\\{ch}")
            continue
        if ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
            out.append(" ")
        elif ch == ")":
            depth -= 1
            out.append(" ")
        elif depth == 0:
            if ch == "|":
                return ""
            out.append(ch)
    return "".join(out)


def _pattern_triggers(pattern: str) -> set[str] | None:
    top = _top_level(pattern)
    mandatory = [
        m.group().lower()
        for m in _LITERAL.finditer(top)
        if top[m.end() : m.end() + 1] not in ("?", "*", "{") and m.group().lower() not in _COMMON
    ]
    if mandatory:
        return {max(mandatory, key=len)[:_TRIGGER]}
    literals = [w.lower() for w in _LITERAL.findall(pattern) if w.lower() not in _COMMON]
    return {w[:_TRIGGER] for w in literals} if literals else None


def _pattern_trigger_set(pattern: str) -> frozenset[str] | None:
    found = _pattern_triggers(pattern)
    return frozenset(found) if found is not None else None


@lru_cache(maxsize=1024)
def _union_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    # The few combinations of a claim's patterns that sentences call for, compiled once.
    return _union(patterns)


def _triggers(patterns: Sequence[str]) -> frozenset[str] | None:
    """Words one of which any match of these patterns must contain at a word start: each
    pattern's longest mandatory word (else all its words), cut to 5 letters. A pattern
    without a distinctive word makes the claim impossible to pre-screen (docs/claims.md)."""
    out: set[str] = set()
    for pattern in patterns:
        found = _pattern_triggers(pattern)
        if found is None:
            return None
        out.update(found)
    return frozenset(out)


def _prefixes(text: str) -> set[str]:
    """Every word of the text cut to 2 to 5 letters, to meet the claims' triggers."""
    return {w[:n] for w in _WORDS.findall(text.lower()) for n in (2, 3, 4, _TRIGGER)}


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern written as `\\b(a|b|...)\\b` (or `(a|b)`)."""
    body = source
    for lead, tail in ((r"\b(", r")\b"), ("(", ")"), (r"\b(", ")")):
        if body.startswith(lead) and body.endswith(tail):
            inner = body[len(lead) : len(body) - len(tail)]
            if _balanced(inner):
                body = inner
                break
    parts: list[str] = []
    current: list[str] = []
    depth, escaped = 0, False
    for ch in body:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


def _balanced(text: str) -> bool:
    depth, escaped = 0, False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# The word prefixes of the sentence being tagged (set by Tagger.tag_record, one at a time).
_SENTENCE_WORDS: list[frozenset[str]] = []


@lru_cache(maxsize=4096)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(_prefixes(text))


def _cue(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether a cue occurs in a text, remembered per record: one sentence is asked about by
    each of its candidate claims. Screened first by the cue's distinctive words, like claims."""
    triggers = _triggers(_alternatives(pattern.pattern))

    @lru_cache(maxsize=4096)
    def found(text: str) -> bool:
        # Screen with the words of the sentence being tagged: a clause of it has no others.
        words = _SENTENCE_WORDS[0] if _SENTENCE_WORDS else _words_of(text)
        if triggers is not None and triggers.isdisjoint(words):
            return False
        return pattern.search(text) is not None

    return found


has_kratom, has_other_drug, has_agent_drug = _cue(KRATOM), _cue(OTHER_DRUG), _cue(AGENT_DRUG)
has_numbers = _cue(NUMBERS)
_has_finding_words, _has_result_words = _cue(FINDING), _cue(RESULT)


def has_finding(text: str) -> bool:
    return has_numbers(text) or _has_finding_words(text)


def has_result(text: str) -> bool:
    return has_numbers(text) or _has_result_words(text)


has_mention = _cue(MENTION)
has_methods, has_rebuttal, has_null = _cue(METHODS), _cue(REBUTTAL), _cue(NULL_RESULT)
is_topic_title = _cue(TOPIC_TITLE)
has_purpose, has_benefit_report, has_reversal = _cue(PURPOSE), _cue(BENEFIT_REPORT), _cue(REVERSAL)
_CUES = (has_numbers, _has_finding_words, _has_result_words, has_kratom, has_other_drug,
         has_agent_drug, has_mention, has_methods, has_rebuttal, has_null, is_topic_title,
         has_purpose, has_benefit_report, has_reversal)  # fmt: skip


def _forget_cues() -> None:
    # Remember cues within one record only: memory stays small and timings stay honest.
    for cue in _CUES:
        cue.cache_clear()  # type: ignore[attr-defined]
    _words_of.cache_clear()
    _spans_cached.cache_clear()


_MOTIVE_LEAD = re.compile(
    r"\b(reasons?|motives?|motivations?|claims?|advertis\w*|marketed)\b", re.I
)
_LIST_START = re.compile(
    r"^(the )?(most (common|frequent|often cited)|main|commonest|leading)\b", re.I
)


def _with_motive_context(sentences: list[Sentence]) -> list[Sentence]:
    """'Reasons for use were recorded. The most common were pain (72%), ...': the list is a
    list of motives, as its lead sentence says."""
    out = list(sentences)
    for i in range(1, len(out)):
        if _LIST_START.search(out[i].text) and _MOTIVE_LEAD.search(out[i - 1].text):
            out[i] = Sentence(out[i].text, out[i].section, motives=True)
    return out


def _union(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.I)


class Tagger:
    """Compiled once per catalogue; `tag_record` is then cheap per record."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.compiled = []
        for claim in catalogue.claims:
            if claim.inverse_of:
                continue
            subject = _union(claim.subject)
            assert subject is not None
            self.compiled.append(
                _Compiled(
                    claim,
                    subject,
                    _union(claim.outcome),
                    _union(claim.exclude),
                    _triggers(claim.subject),
                    tuple((_pattern_trigger_set(p), p) for p in claim.subject),
                )
            )
        self.inverses = [c for c in catalogue.claims if c.inverse_of]

    def tag_record(
        self,
        title: str,
        sections: Sequence[tuple[str | None, str | None, str]],
        extra_terms: str = "",
        publication_types: Sequence[str] = (),
    ) -> list[Tag]:
        _forget_cues()
        body = " ".join(t for _, _, t in sections)
        if not KRATOM.search(f"{title} {body} {extra_terms}"):
            return []  # about opioids or withdrawal, but not about kratom
        best: dict[str, tuple[tuple[int, int, int], Tag]] = {}
        sentences = _with_motive_context(record_sentences(title, sections))
        for index, sentence in enumerate(sentences):
            _SENTENCE_WORDS[:] = [_words_of(sentence.text)]
            for compiled in self._candidates(sentence.text):
                stance = _stance(compiled, sentence)
                if stance is None:
                    continue
                tag = Tag(compiled.claim.id, stance, sentence.text, sentence.section)
                # Findings over mentions, the best section, then the first statement there
                # (abstracts state the main finding before its qualifications).
                rank = (0 if stance == "mentions" else 1, SECTION_RANK[sentence.section], -index)
                if compiled.claim.id not in best or rank > best[compiled.claim.id][0]:
                    best[compiled.claim.id] = (rank, tag)
        _SENTENCE_WORDS.clear()
        tags = [tag for _, tag in best.values()]
        types = set(publication_types)
        if types & OPINION_TYPES and not types & DATA_TYPES:
            # Editorials, letters and comments carry no data: what they assert is a mention.
            tags = [Tag(t.claim_id, "mentions", t.sentence, t.section) for t in tags]
        return tags + self._inverse_tags(tags)

    def _candidates(self, text: str) -> list[_Compiled]:
        """Claims whose subject occurs in the text. Most sentences name no claim's subject: a
        set intersection of word prefixes rules claims (and each of their patterns) out
        before any regex runs; the rest search only the patterns their words allow."""
        words = _words_of(text)
        found = []
        for c in self.compiled:
            if c.triggers is not None and c.triggers.isdisjoint(words):
                continue
            active = tuple(p for t, p in c.parts if t is None or not t.isdisjoint(words))
            subject = _union_of(active)
            if subject is not None and subject.search(text):
                found.append(replace(c, subject=subject))
        return found

    def _inverse_tags(self, tags: list[Tag]) -> list[Tag]:
        swap = {"supports": "contradicts", "contradicts": "supports", "mentions": "mentions"}
        out = []
        for inverse in self.inverses:
            for tag in tags:
                if tag.claim_id == inverse.inverse_of:
                    out.append(Tag(inverse.id, swap[tag.stance], tag.sentence, tag.section))
        return out


def _relevant_clause(text: str, compiled: _Compiled) -> str:
    """The clause that carries the claim's subject (and kratom, when a clause names it)."""
    clauses = [c for c in CLAUSE_SPLIT.split(text) if c and compiled.subject.search(c)]
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


def _purpose_of(clause: str, compiled: _Compiled) -> bool:
    """A purpose ("to self-treat", "used kratom for") shortly before the claim's words."""
    return any(
        PURPOSE.search(clause, max(0, start - 60), start)
        for start, _ in _spans(compiled.subject, clause)
    )


def _relieved(clause: str, compiled: _Compiled) -> bool:
    """The claim's (harmful) subject is what something relieved or reduced."""
    return any(
        RELIEF.search(clause, max(0, start - 60), start)
        for start, _ in _spans(compiled.subject, clause)
    )


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return _spans_cached(pattern, text) if pattern is not None else []


@lru_cache(maxsize=4096)
def _spans_cached(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    # The same claim's words are located in the same clause by several rules.
    return [m.span() for m in pattern.finditer(text)]


_CONCESSIVE = re.compile(r"^(although|though|while|whereas|despite|even though)\b[^,]*,\s*", re.I)


def _main_clause(text: str, compiled: _Compiled) -> str:
    """'Although users believed kratom helped them sleep, daily use was associated with poorer
    sleep': the finding is in the main clause, when the claim's words are there too."""
    lead = _CONCESSIVE.match(text)
    if lead and compiled.subject.search(text, lead.end()):
        return text[lead.end() :]
    return text


def _stance(compiled: _Compiled, sentence: Sentence) -> str | None:
    text = _main_clause(sentence.text, compiled)
    if compiled.exclude is not None:
        text = compiled.exclude.sub(" ", text)
    if not compiled.subject.search(text):
        return None
    if sentence.section == "methods" or (has_methods(text) and not has_result(text)):
        return "mentions" if has_mention(text) and not has_methods(text) else None
    clause = _relevant_clause(text, compiled)
    kind = compiled.claim.kind
    if kind == "benefit" and has_other_drug(clause) and not has_kratom(text):
        return None  # "buprenorphine reduced craving": a finding about another drug
    if kind != "unknown" and has_agent_drug(clause):
        return None  # the clause's subject is another drug, whatever else it names
    if (
        sentence.section == "title"
        and is_topic_title(text)
        and not re.search(r"case (report|series)", text, re.I)
    ):
        return None  # a topic ("...: a systematic review"), neither finding nor mention
    if has_rebuttal(text) and kind == "benefit" and sentence.section != "background":
        return "contradicts"
    if text.rstrip().endswith("?") or (sentence.section == "title" and "?" in text):
        return "mentions"  # a question, as in many titles, reports nothing yet
    mention = bool(has_mention(text)) and not (has_finding(clause) and not has_mention(clause))
    if kind == "unknown":
        return _stance_unknown(compiled, text, mention)
    if sentence.motives:
        return "mentions" if kind == "benefit" else None
    if any(
        LIKE_OTHER.search(clause, max(0, a - 30), a) for a, _ in _spans(compiled.subject, clause)
    ):
        return "mentions"  # "like other μ-opioid agonists": presupposed, not found
    if kind == "benefit" and has_reversal(clause) and has_result(clause):
        return "contradicts"  # "41 (68%) resumed opioid use": a result, whatever the motive
    if kind == "benefit" and _purpose_of(clause, compiled) and not has_benefit_report(text):
        mention = True  # "used kratom to self-treat pain": a motive, not a finding
    if kind == "harm" and _relieved(clause, compiled):
        return None  # "relief of restlessness and diarrhoea" is no gastrointestinal harm
    if sentence.section == "background" or mention:
        return "mentions"
    if kind == "benefit" and has_reversal(clause):
        return "contradicts"  # "kratom taken as a sleep aid appeared to perpetuate insomnia"
    outcome = _spans(compiled.outcome, clause) if compiled.outcome is not None else []
    if compiled.outcome is not None and not outcome:
        if has_null(clause):
            return "contradicts"  # "anxiety ratings did not change after kratom"
        return None if kind == "benefit" else "supports"
    spans = _spans(compiled.subject, clause) + outcome
    negated = _negated(clause, spans, harm=kind == "harm", null_anywhere=kind != "property")
    return "contradicts" if negated else "supports"


def _stance_unknown(compiled: _Compiled, text: str, mention: bool) -> str | None:
    # The claim is itself a statement of ignorance: "long-term safety remains unknown"
    # supports it; a finding that long-term use did no harm contradicts it.
    if compiled.outcome is not None and compiled.outcome.search(text):
        return "supports"
    if NEGATION.search(text) and re.search(r"associated|impair|deteriorat|harm|affect", text, re.I):
        return "contradicts"
    return "mentions" if mention else None
