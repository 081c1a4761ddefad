"""The language the tagger reads: cue patterns (negation, null results, mentions, methods,
statistics, other drugs...) and the word screening that keeps them cheap.

Each pattern is tried only when the sentence holds one of its distinctive words (its
"triggers"): most sentences of most abstracts name no claim at all, and the cue patterns are
large alternations that would otherwise be scanned over every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

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


def pattern_trigger_set(pattern: str) -> frozenset[str] | None:
    found = _pattern_triggers(pattern)
    return frozenset(found) if found is not None else None


@lru_cache(maxsize=1024)
def union_of(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    # The few combinations of a claim's patterns that sentences call for, compiled once.
    return union(patterns)


def triggers_of(patterns: Sequence[str]) -> frozenset[str] | None:
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


def prefixes(text: str) -> set[str]:
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
SENTENCE_WORDS: list[frozenset[str]] = []


@lru_cache(maxsize=4096)
def words_of(text: str) -> frozenset[str]:
    return frozenset(prefixes(text))


def _cue(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether a cue occurs in a text, remembered per record: one sentence is asked about by
    each of its candidate claims. Screened first by the cue's distinctive words, like claims."""
    triggers = triggers_of(_alternatives(pattern.pattern))

    @lru_cache(maxsize=4096)
    def found(text: str) -> bool:
        # Screen with the words of the sentence being tagged: a clause of it has no others.
        words = SENTENCE_WORDS[0] if SENTENCE_WORDS else words_of(text)
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


def forget_cues() -> None:
    # Remember cues within one record only: memory stays small and timings stay honest.
    for cue in _CUES:
        cue.cache_clear()  # type: ignore[attr-defined]
    words_of.cache_clear()


def union(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.I)
