"""The language the tagger reads: cue patterns (negation, null results, mentions, methods,
statistics, other drugs...) and the word screening that keeps them cheap.

Each pattern is tried only when the sentence holds one of its distinctive words (its
"triggers"): most sentences of most abstracts name no claim at all, and the cue patterns are
large alternations that would otherwise be scanned over every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any


def lowered(source: str) -> str:
    """A pattern's source with its literal letters in lower case (escapes such as `\\W` kept)."""
    out, escaped = [], False
    for ch in source:
        out.append(ch if escaped else ch.lower())
        escaped = not escaped and ch == "\\"
    return "".join(out)


def lower_regex(source: str) -> re.Pattern[str]:
    """A pattern for lower-cased text. The tagger lower-cases each sentence once and matches
    case-sensitively: Python's `re` cannot skip ahead on a case-insensitive alternation and
    tries every branch at every position, which made IGNORECASE cues 3-5x slower."""
    return re.compile(lowered(source))


KRATOM = lower_regex(
    r"\b(kratom|ketum|kratum|krathom|biak|thom|mitragyn\w*|mitragyna|7-?OH\b|7-hydroxymitragynine"
    r"|speciogynine|speciociliatine|paynantheine|corynantheidine|mitraphylline|speciofoline)"
)
OTHER_DRUG = lower_regex(
    r"\b(buprenorphine|methadone|clonidine|lofexidine|naltrexone|tramadol|gabapentin|"
    r"morphine|oxycodone|fentanyl|heroin|codeine|placebo|control group|non-users|"
    r"cannabis|marijuana|alcohol|benzodiazepines?|nicotine|tobacco|caffeine|"
    r"methamphetamine|amphetamines?|cocaine|ketamine|antidepressants?|SSRIs?)\b(?!-)"
)
# Negation words count only shortly before the claim's own words (`_negated`); null-result
# phrases and explicit rebuttals count anywhere in the clause.
NEGATION = lower_regex(
    r"\b(not|no|nor|never|neither|without|fail\w* to|cannot|lack(ed)? of|absence of|"
    r"rather than|instead of|far from|little or no|only \d+(\.\d+)?%|no longer|unlikely|rarely|seldom)\b"
)
# Words that reverse a benefit ("worsened sleep") but confirm a harm ("insomnia worsened").
REVERSAL = lower_regex(
    r"\b(worsen\w*|perpetuat\w*|disrupt\w*|ineffective|inadequate\w*|insufficient|"
    r"resumed|relapsed|returned to (regular )?(opioid|heroin|fentanyl)|poor(er|ly)?)\b"
)
RELIEF = lower_regex(r"\b(relief of|reliev\w*|reduc\w*|attenuat\w*|eas(ed|ing)|treatment of|for)\b")
LIKE_OTHER = lower_regex(r"\blike (other|all|most)\b")
# Words that deny a harm: "low reinforcing efficacy", "negligible tolerance".
LOW = lower_regex(r"\b(low|minimal|negligible|little|weak)\b")
# A benefit verb after a negation: "rather than relieve insomnia" affirms the insomnia.
BENEFIT_VERB = lower_regex(r"\b(reliev|improv|reduc|promot|eas|treat|prevent|help)\w*")
# Purpose and motive: a mention of a benefit claim ("used kratom to ease withdrawal") unless
# the clause also reports the benefit itself ("... and most described relief").
PURPOSE = lower_regex(
    r"\b(to self-(treat|manage|medicate)|self-(treat|manag|medicat)\w*|used (it |kratom |ketum )?(to|for)|"
    r"using (it |kratom |ketum )?(to|for)|use (it |kratom )?(to|for)|taken? .{0,40}\b(to|for)\b|"
    r"attempted to|tried to|reasons? for|motives?|(most common|main|primary) (reasons?|motives?|uses?)|"
    r"in order to|as a (remedy|substitute|sleep aid)|to (help|manage|ease|relieve|treat|control))\b"
)
BENEFIT_REPORT = lower_regex(
    r"\b((described|reported|experienced|noted|found|attributed) .{0,30}(relief|improvement|benefit|relieving)|"
    r"(relieved|helped|eased|improved|reduced|controlled|lowered|attenuated) (their|the|his|her|its|withdrawal|craving|pain|symptoms)|"
    r"rated .{0,40}(effective|helpful)|perceived (it|kratom) as (beneficial|helpful|effective)|"
    r"(it|kratom|ketum)( had)? (relieved|helped|eased|improved|reduced|controlled)|"
    r"reported (that )?(it|kratom|ketum) (relieved|helped|reduced|eased|improved|controlled))"
)
NULL_RESULT = lower_regex(
    r"\b(did not differ|do not differ|does not differ|no( significant| meaningful)? differences?|"
    r"(was|were) similar|did not (change|improve|reduce|relieve|attenuate|alter|produce|affect)|"
    r"not( significantly)? associated with|unchanged|not superior|no better than)\b"
)
REBUTTAL = lower_regex(
    r"\b(challenge[sd]? the (view|perception|belief|claim|notion|idea)|argue[sd]? against|"
    r"contrary to|do(es)? not support|against describing|rather than (improving|relieving|"
    r"promoting|reducing)|far from (improving|relieving|helping))\b"
)
METHODS = lower_regex(
    r"\b(received|were (randomi[sz]ed|randomly assigned|assigned|recruited|enrolled|given|"
    r"administered|treated|injected|surveyed|interviewed|asked|included)|"
    r"we (conducted|recruited|surveyed|analy[sz]ed|searched|interviewed|measured|assessed|"
    r"examined|compared|tested|studied|evaluated|investigated|aimed|sought|used)|"
    r"(was|were) (measured|assessed|recorded|scored|quantified|evaluated) (using|with|by|for)|"
    r"this (study|review|trial|survey) (aimed|examined|assessed|investigated|evaluated))\b"
)
MENTION = lower_regex(
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
    r"on the advice)\b"
)
# Statistics: the surest sign of a result.
# (On lower-cased text: odds, hazard and risk ratios need their number, or "or" would count.)
# (One word boundary for all the lettered alternatives: `re` checks it once a position.)
NUMBERS = lower_regex(r"\d(\.\d+)?\s?%|\b(?:p\s*[<=>]|ci\b|(a?or|hr|rr)\s*[=:,]?\s*\d+\.\d|β\s*=)")
FINDING = lower_regex(
    r"\b(perceived (it|kratom) as (beneficial|helpful|effective)|beneficial|"
    r"reported (that|relief|improv\w*|reduc\w*|benefit\w*|it)|rated|showed|produced|"
    r"attenuated|reduced|relieved|increased|decreased|lowered|improved|suppressed|"
    r"was associated|were associated|significant\w*|suggest\w*|indicat\w*|demonstrat\w*|"
    r"observed|found|resolved|ceased|developed|experienced|described (relief|difficulty)|"
    r"reported|controlled|helped|effective|consistent with|confirm\w*|evidence that|"
    r"can cause|can produce|may cause|led to|common\w*|prevalen\w*|occurred|"
    r"than|versus|compared)\b"
)
# Results words that "We compared X with Y" (a methods sentence) does not have.
RESULT = lower_regex(
    r"\b(showed|found|reduced|relieved|increased|decreased|attenuated|improved|produced|"
    r"resolved|developed|did not|was associated|were associated|significant\w*)\b"
)
# A title naming its design ("...: a systematic review") states a topic, not a finding.
TOPIC_TITLE = lower_regex(
    r"\b(review|meta-analys[ie]s|trial|survey|study|analysis|protocol|cohort|overview|"
    r"perspective|commentary|consensus|guidelines?)\b"
)
AGENT_DRUG = lower_regex(
    r"^\W*(?:\w+\W+){0,2}?\b(buprenorphine|methadone|clonidine|lofexidine|naltrexone|tramadol|"
    r"gabapentin|morphine|oxycodone|fentanyl|heroin|codeine|cannabis|alcohol|benzodiazepines?|"
    r"antidepressants?)\b"
)
# Each alternative starts with a plain character, so that `re` skips ahead to one.
_CONJUNCTION = r"(?:but|whereas|while|although|though|yet|however)\b"
CLAUSE_SPLIT = lower_regex(rf";|, {_CONJUNCTION}| {_CONJUNCTION}|\. However,")

# A literal word of a pattern that starts a word of the text: not after a letter, an escape,
# a quantifier or a group (in "(re)?lapse", "lapse" starts no word).
_LITERAL = re.compile(r"(?<![\\\w?*+})])[^\W\d_]{2,}")
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
        "that",
        "this",
        "was",
        "were",
        "are",
        "has",
        "have",
        "had",
        "not",
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
    quantified); empty when the pattern has a top-level alternation. Groups become spaces,
    character classes a digit (a letter may follow one inside a word: "randomi[sz]ed")."""
    depth, out, escaped, in_class = 0, [], False, False
    members: list[str] = []
    for ch in pattern:
        if escaped:
            escaped = False
            # A word boundary separates words; other escapes (\w, \d, \S...) may be letters.
            out.append(" " if depth or ch == "b" else f"\\{ch}")
        elif ch == "\\":
            escaped = True
        elif in_class:
            if ch != "]":
                members.append(ch)
                continue
            in_class = False
            # A class of spaces and dashes separates words; one that may hold a letter may not.
            if not depth:
                out.append("0" if any(c.isalnum() or c in "^\\" for c in members) else " ")
        elif ch == "[":
            in_class, members = True, []
        elif ch in "()":
            depth += 1 if ch == "(" else -1
            out.append(" ")
        elif depth == 0:
            if ch == "|":
                return ""
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Requirement:
    """The trigger words a match of a pattern starts words with: all of them (the pattern's
    mandatory words) or, when it has none, at least one (any of its words)."""

    words: frozenset[str]
    every: bool

    @property
    def keys(self) -> frozenset[str]:
        """Words to file the pattern under: any one of them is in every sentence it matches
        (of all words needed, the longest; ties broken by the word, so every run files alike)."""
        return frozenset([max(self.words, key=lambda w: (len(w), w))]) if self.every else self.words

    def held_in(self, words: frozenset[str]) -> bool:
        """Whether a sentence with these trigger words may hold a match."""
        return self.words <= words if self.every else not self.words.isdisjoint(words)


def _trigger_at(pattern: str, word: re.Match[str], common: bool = False) -> str | None:
    """The trigger a literal word of a pattern gives (its first 5 letters), if any."""
    text = word.group().lower()
    if pattern[word.end() : word.end() + 1] in ("?", "*", "{"):
        text = text[:-1]  # "receptors?": the quantifier takes the last letter only
    return text[:_TRIGGER] if len(text) >= 2 and (common or text not in _COMMON) else None


def _mandatory_words(top: str) -> set[str]:
    return {t for m in _LITERAL.finditer(top) if (t := _trigger_at(top, m)) is not None}


def requirement_of(pattern: str) -> Requirement | None:
    """What a sentence must hold for the pattern to match; None when the pattern has no
    distinctive word, and so cannot be screened (docs/claims.md)."""
    top = _top_level(pattern)
    mandatory = _mandatory_words(top)
    if mandatory:
        return Requirement(frozenset(mandatory), every=True)
    # No mandatory word: then one alternative of a group that must match ("(a|b) c"), or of
    # the whole pattern ("a|b"), must, and each alternative needs its own words.
    groups = [inner for _, inner in _required_groups(pattern)] if top else [pattern]
    for group in groups:
        found = [requirement_of(alternative) for alternative in alternatives(group)]
        if found and all(r is not None for r in found):
            words = {w for r in found if r is not None for w in r.keys}
            return Requirement(frozenset(words), every=False)
    return None


def _required_groups(pattern: str) -> list[tuple[int, str]]:
    """The top-level groups of a pattern that must match, starting a word, with where each
    opens: not optional, not lookarounds, not glued to a letter before them."""
    out, start = [], 0
    for i, depth in _paren_depths(pattern):
        if depth == 1 and pattern[i] == "(":
            start = i
        elif depth == 0:
            before, after = pattern[max(0, start - 2) : start], pattern[i + 1 : i + 3]
            inner = pattern[start + 1 : i]
            if (
                (not inner.startswith("?") or inner.startswith("?:"))
                and (before in ("", "\\b") or not (before[-1].isalnum() or before[-1] in "?*+})\\"))
                and not (after[:1] in ("?", "*") or after.startswith("{0"))
            ):
                out.append((start, inner.removeprefix("?:")))
    return out


_LEADING = re.compile(r"[^\W\d_]{2,}")


def leading_word(pattern: str, common: bool = False) -> str | None:
    """The trigger word (first 5 letters) every match of the pattern starts with, when the
    pattern begins with a literal word and has no alternation at its top level (and, unless
    `common`, that word is not one too common to screen with)."""
    first = _LEADING.match(pattern)
    if first is None or not _top_level(pattern):
        return None
    return _trigger_at(pattern, first, common)


def leading_words(pattern: str, common: bool = False) -> frozenset[str] | None:
    """Trigger words one of which every match of the pattern starts with: its leading word,
    or each alternative's leading word when it opens with a group that must match
    ("(opioid|heroin)[- ]withdrawal")."""
    lead = leading_word(pattern, common)
    if lead is not None:
        return frozenset([lead])
    first = next(iter(_required_groups(pattern)), None)
    if first is None or first[0] != 0:
        return None
    leads = [leading_word(alternative, common) for alternative in alternatives(first[1])]
    return frozenset(w for w in leads if w is not None) if all(leads) else None


def _paren_depths(pattern: str) -> Iterator[tuple[int, int]]:
    """(position, nesting depth after it) of each unescaped parenthesis."""
    depth, escaped = 0, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
            yield i, depth


def triggers_of(patterns: Sequence[str]) -> frozenset[str] | None:
    """Words one of which any match of these patterns must contain at a word start: each
    pattern's longest mandatory word (else all its words), cut to 5 letters. A pattern
    without a distinctive word makes the claim impossible to pre-screen (docs/claims.md)."""
    out: set[str] = set()
    for pattern in patterns:
        found = requirement_of(pattern)
        if found is None:
            return None
        out.update(found.keys)
    return frozenset(out)


def _trie(words: Iterable[str]) -> str:
    """One pattern matching where any of the words starts: a trie, so that `re` tries one
    branch per letter instead of every word at every word start."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, Any]) -> str:
        if "" in node:
            return ""  # a word ends here: where it matches is all that is asked
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items())]
        return alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"

    return branch(root)


class Screen:
    """Which trigger words a (lower-cased) text holds: a trigger is present when a word of
    the text starts with it. One combined pattern finds the word starts that can hold one;
    only those words are cut to their 2-5 letter prefixes."""

    def __init__(self, triggers: Iterable[str]) -> None:
        self.triggers = frozenset(triggers)
        # The start of each word that begins with a trigger, up to the trigger length.
        trie = _trie(self.triggers) if self.triggers else "(?!)"
        self._heads = re.compile(rf"\b(?:{trie})[^\W_]{{0,{_TRIGGER - 1}}}")
        self._known = _HeadTriggers(self.triggers)

    def words(self, text: str) -> frozenset[str]:
        # Loops in C: each distinct head's triggers (remembered), united.
        heads = set(self._heads.findall(text))
        return frozenset().union(*map(self._known.__getitem__, heads))


class _HeadTriggers(dict[str, frozenset[str]]):
    """Word head -> the triggers it starts with. Heads repeat across abstracts as words do:
    a vocabulary, not a cache of records."""

    def __init__(self, triggers: frozenset[str]) -> None:
        super().__init__()
        self.triggers = triggers

    def __missing__(self, head: str) -> frozenset[str]:
        if len(self) > 100_000:
            self.clear()
        found = frozenset(head[:n] for n in range(2, _TRIGGER + 1) if head[:n] in self.triggers)
        self[head] = found
        return found


def alternatives(source: str) -> list[str]:
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
    depths = [depth for _, depth in _paren_depths(text)]
    return min(depths, default=0) >= 0 and (not depths or depths[-1] == 0)


# The trigger words of the sentence being tagged (set by Tagger.tag_record, one at a time;
# empty when it tags unscreened).
SENTENCE_WORDS: list[frozenset[str]] = []


def may_hold(triggers: frozenset[str] | None) -> bool:
    """Whether the sentence being tagged holds one of these trigger words (None: no word is
    needed), so that what needs one may match in it, or in any clause or window of it."""
    return triggers is None or not SENTENCE_WORDS or not triggers.isdisjoint(SENTENCE_WORDS[0])


@dataclass(frozen=True)
class _Leads:
    """Where a match of a pattern `\\b(a|b|...)` can start (see `_word_leads`)."""

    screened: frozenset[str]  # first words a screen finds
    # First words too common to screen with ("is unknown", "we describe"), filed under a
    # distinctive word their alternative also needs: tried only when the sentence holds it.
    keyed: dict[str, frozenset[str]]
    common: frozenset[str]  # first words of alternatives with no distinctive word at all

    def in_sentence(self, words: frozenset[str]) -> frozenset[str]:
        """The first words worth trying in a sentence holding these trigger words."""
        keyed = [self.keyed[key] for key in words & self.keyed.keys()]
        return (self.screened & words).union(self.common, *keyed)

    def all(self) -> frozenset[str]:
        return self.screened.union(self.common, *self.keyed.values())


def _word_leads(pattern: re.Pattern[str]) -> _Leads | None:
    """For a pattern `\\b(a|b|...)` each of whose alternatives starts with a word: those
    first words' triggers. None: a match may start anywhere."""
    parts = alternatives(pattern.pattern)
    if not pattern.pattern.startswith("\\b(") or parts == [pattern.pattern]:
        return None
    screened = [leading_words(part) for part in parts]
    common = [
        lead or leading_words(part, common=True) for lead, part in zip(screened, parts, strict=True)
    ]
    if not all(common):
        return None
    keyed: dict[str, set[str]] = {}
    unkeyed: set[str] = set()
    for lead, first, part in zip(screened, common, parts, strict=True):
        if lead or not first:
            continue
        requirement = requirement_of(part)
        if requirement is None:
            unkeyed.update(first)
            continue
        for key in requirement.keys:
            keyed.setdefault(key, set()).update(first)
    return _Leads(
        screened=frozenset(w for lead in screened if lead for w in lead),
        keyed={key: frozenset(words) for key, words in keyed.items()},
        common=frozenset(unkeyed),
    )


class Cue:
    """Whether a cue occurs in a text, remembered per record: one sentence is asked about by
    each of its candidate claims. Screened first by the cue's distinctive words, like claims."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        parts = alternatives(pattern.pattern)
        self.triggers = triggers_of(parts)
        self._seen: dict[str, bool] = {}
        # Where a match can start: a word starting with one of these (see `_Leads`).
        # None: anywhere.
        self._leads = _word_leads(pattern)
        self.leads = self._leads.screened if self._leads is not None else None

    def __call__(self, text: str) -> bool:
        found = self._seen.get(text)
        if found is None:
            # The words of the sentence being tagged screen its clauses too: a clause has no
            # others.
            if not may_hold(self.triggers):
                found = False
            elif SENTENCE_WORDS and self._leads is not None:
                found = any(
                    match_at(self.pattern, text, lead)
                    for lead in self._leads.in_sentence(SENTENCE_WORDS[0])
                )
            else:
                found = self.pattern.search(text) is not None
            self._seen[text] = found
        return found

    def possible(self) -> bool:
        """Whether the sentence being tagged holds a word the cue needs (anywhere in it: so
        also in any window of it searched for the cue)."""
        return may_hold(self.triggers)

    def forget(self) -> None:
        self._seen.clear()


has_kratom, has_other_drug, has_agent_drug = Cue(KRATOM), Cue(OTHER_DRUG), Cue(AGENT_DRUG)
has_numbers = Cue(NUMBERS)
_has_finding_words, _has_result_words = Cue(FINDING), Cue(RESULT)


def has_finding(text: str) -> bool:
    return has_numbers(text) or _has_finding_words(text)


def has_result(text: str) -> bool:
    return has_numbers(text) or _has_result_words(text)


has_mention = Cue(MENTION)
has_methods, has_rebuttal, has_null = Cue(METHODS), Cue(REBUTTAL), Cue(NULL_RESULT)
is_topic_title = Cue(TOPIC_TITLE)
has_purpose, has_benefit_report, has_reversal = Cue(PURPOSE), Cue(BENEFIT_REPORT), Cue(REVERSAL)
CUES = (has_numbers, _has_finding_words, _has_result_words, has_kratom, has_other_drug,
         has_agent_drug, has_mention, has_methods, has_rebuttal, has_null, is_topic_title,
         has_purpose, has_benefit_report, has_reversal)  # fmt: skip
CUE_TRIGGERS = frozenset(
    t for cue in CUES for words in (cue.triggers, cue.leads) for t in words or ()
)


def word_searcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """`pattern.search(text) is not None`, for a pattern `\\b(a|b|...)`: tried only where a
    word starts with the first word of an alternative (found with `str.find`, far cheaper
    than `re` trying every branch at every position of a long text)."""
    leads = _word_leads(pattern)
    if leads is None:
        return lambda text: pattern.search(text) is not None
    words = leads.all()
    return lambda text: any(match_at(pattern, text, word) for word in words)


def match_at(pattern: re.Pattern[str], text: str, word: str) -> bool:
    """Whether the pattern matches where a word of the text starts with `word`."""
    at = text.find(word)
    while at >= 0:
        if (at == 0 or not text[at - 1].isalnum()) and pattern.match(text, at):
            return True
        at = text.find(word, at + 1)
    return False


def forget_cues() -> None:
    # Remember cues within one record only: memory stays small and timings stay honest.
    for cue in CUES:
        cue.forget()


Unions = tuple[re.Pattern[str] | None, ...]


class NarrowedUnions:
    """Groups of patterns, each as one (`union`), narrowed in each sentence to the patterns
    whose words the sentence holds: a claim's union of twenty patterns costs `re` twenty
    tries at every word of a clause, though a sentence can hold the words of one or two of
    them. The patterns keep their order, so what matches first still wins: spans are
    unchanged. A claim's subject, outcome and exclude patterns are narrowed together."""

    def __init__(self, *groups: Sequence[str]) -> None:
        self.groups = [[(source, requirement_of(source)) for source in g] for g in groups]
        self.full: Unions = tuple(union(g) for g in groups)
        # The words that decide which patterns may match (every trigger of every pattern).
        self.triggers = frozenset(
            w for group in self.groups for _, r in group if r is not None for w in r.words
        )
        # Narrowed unions by the triggers a sentence holds: combinations of one claim's
        # words, a small vocabulary (as `_HeadTriggers`), not a cache of texts.
        self._narrowed: dict[frozenset[str], Unions] = {}

    def here(self) -> Unions:
        """The unions for the sentence being tagged (None: none of a group's patterns can
        match there)."""
        if not SENTENCE_WORDS:
            return self.full
        held = SENTENCE_WORDS[0] & self.triggers
        found = self._narrowed.get(held)
        if found is None:
            if len(self._narrowed) > 1_000:  # a few KB each
                self._narrowed.clear()
            found = self._narrowed[held] = tuple(
                union([s for s, need in group if need is None or need.held_in(held)])
                for group in self.groups
            )
        return found


def union(patterns: Sequence[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return lower_regex(r"(?<![\w-])(?:" + "|".join(f"(?:{p})" for p in patterns) + ")")
