"""Read what a writer's sentence says about the catalogue's claims (`litwatch check`). Pure.

Three questions, in order:

1. Is it a sentence? An empty text or a single word is refused (`CheckTextError`).
2. Is it about kratom? Every claim is, so a sentence that names neither kratom nor one of its
   alkaloids matches nothing ("buprenorphine eases withdrawal" says nothing about kratom).
3. Which claims does it speak of, and does it assert or negate each one?

Which claims: the catalogue speaks the language of abstracts and writers speak plainly, so
the text is first widened by a small thesaurus of plain words (`LAY`: "dope sickness" →
withdrawal, "hooked" → dependence). Each claim is then scored by its own subject patterns (the
tagger's vocabulary, less its exclusions) and by the words it shares with the claim's
statement and quote, each word weighted by how few claims use it. A predicate of the wrong
kind ("treats" said of a harm, "causes" of a benefit) halves a claim's score.

Polarity, per match, is read in the clause that names the claim: a negation ("does not",
"never", "no better than") or, for a benefit, a reversal ("worsens") negates it. A claim that
something is unknown is asserted by a word of uncertainty and negated by its absence ("safe
for years"). A claim that is the inverse of another (`no-hyperpigmentation`) is read through
its partner, polarity reversed, and both are returned.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from litwatch.claims.catalogue import Catalogue, Claim
from litwatch.claims.wording import (
    BENEFIT,
    CLAUSE_SPLIT,
    HARM,
    KRATOM,
    LAY,
    NEGATION,
    REVERSAL,
    UNCERTAIN,
    WORD,
    content_stems,
    lower_regex,
    normalise,
    stem,
)
from litwatch.errors import LitwatchError

Polarity = Literal["asserts", "negates"]
EXAMPLE = "litwatch check 'kratom eases opioid withdrawal'"
MIN_SCORE = 0.9  # a subject pattern, or a distinctive word said with a predicate of its kind
KEEP_RATIO = 0.6  # further claims must score this share of the best one
LIMIT = 3


class CheckTextError(LitwatchError):
    """The text given to `check` is not a sentence that can be read."""

    exit_code = 2


@dataclass(frozen=True)
class ClaimMatch:
    """A claim the text speaks of: whether it asserts or negates it, and the words that tell."""

    claim: Claim
    polarity: Polarity
    score: float
    words: tuple[str, ...]  # what in the text matched the claim
    negation: str | None = None  # the words that negate it, when they do


@dataclass(frozen=True)
class Reading:
    """What a text says about the catalogue: its matches, best first, or a note saying why
    there are none."""

    text: str
    matches: tuple[ClaimMatch, ...]
    note: str | None = None


def match_claims(text: str, catalogue: Catalogue, limit: int = LIMIT) -> Reading:
    """What the text says about the catalogue's claims, best match first."""
    plain = normalise(text)
    words = WORD.findall(plain)
    if not words:
        raise CheckTextError(f"nothing to check: write the claim as a sentence, e.g. {EXAMPLE}")
    if len(words) == 1:
        raise CheckTextError(
            f"“{text.strip()}” is a single word: write the claim as a sentence, e.g. {EXAMPLE}"
        )
    if not KRATOM.search(plain):
        return Reading(text, (), _not_about_kratom(text))
    clauses = _clauses(plain)
    scored = [_score(c, clauses, _vocabulary(catalogue)) for c in catalogue.claims]
    found = [s for s in scored if s is not None and s.score >= MIN_SCORE]
    matches = _pick(found, catalogue, limit)
    if not matches:
        note = f"no claim in the catalogue is about what “{text.strip()}” says"
        return Reading(text, (), note + " (litwatch report lists the claims)")
    return Reading(text, tuple(matches))


def _not_about_kratom(text: str) -> str:
    return (
        f"“{text.strip()}” does not name kratom or one of its alkaloids, and every claim in "
        "the catalogue is about kratom: a finding about another substance says nothing of it"
    )


def _clauses(plain: str) -> list[str]:
    """The text's clauses, each followed by the catalogue's words for its plain words:
    "kratom can darken the skin | discoloration"."""
    bounds = [0, *(m.start() for m in CLAUSE_SPLIT.finditer(plain)), len(plain)]
    spans = list(itertools.pairwise(bounds))
    extra: list[list[str]] = [[] for _ in spans]
    for pattern, words in LAY:
        for m in pattern.finditer(plain):
            i = next(i for i, (a, b) in enumerate(spans) if a <= m.start() < b)
            extra[i].append(words)
    return [" | ".join([plain[a:b], *more]) for (a, b), more in zip(spans, extra, strict=True)]


@dataclass(frozen=True)
class _Vocabulary:
    """A claim's patterns, compiled, and the weight of each word of its statement and quote."""

    subject: dict[str, tuple[re.Pattern[str], ...]]
    exclude: dict[str, tuple[re.Pattern[str], ...]]
    outcome: dict[str, tuple[re.Pattern[str], ...]]
    words: dict[str, dict[str, float]]
    negative: dict[str, bool]  # the statement itself denies something


@cache
def _vocabulary(catalogue: Catalogue) -> _Vocabulary:
    def compiled(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(lower_regex(rf"(?<![\w-])(?:{p})") for p in patterns)

    source = {c.id: catalogue.get(c.inverse_of) if c.inverse_of else c for c in catalogue.claims}
    docs = {c.id: (content_stems(c.statement), content_stems(c.quote)) for c in catalogue.claims}
    df = Counter(w for s, q in docs.values() for w in s | q)
    n = max(len(docs), 2)

    def weight(w: str) -> float:
        return max(0.0, 1.0 - math.log(df[w]) / math.log(n))

    return _Vocabulary(
        subject={i: compiled(s.subject) for i, s in source.items()},
        exclude={i: compiled(s.exclude) for i, s in source.items()},
        outcome={i: compiled(s.outcome) for i, s in source.items()},
        words={
            i: {w: weight(w) * 0.5 for w in q} | {w: weight(w) for w in s}
            for i, (s, q) in docs.items()
        },
        negative={
            c.id: not c.inverse_of
            and c.kind != "unknown"
            and bool(NEGATION.search(normalise(c.statement)))
            for c in catalogue.claims
        },
    )


@dataclass(frozen=True)
class _Scored:
    claim: Claim
    score: float
    clause: str
    words: tuple[str, ...]


def _subject_hits(
    clause: str, subject: Sequence[re.Pattern[str]], exclude: Sequence[re.Pattern[str]]
) -> list[str]:
    """The distinct stretches of the clause that a subject pattern matches, outside the
    stretches an exclusion matches ("kratom withdrawal" is not opioid withdrawal)."""
    excluded = [m.span() for p in exclude for m in p.finditer(clause)]
    spans: list[tuple[int, int]] = []
    for p in subject:
        for m in p.finditer(clause):
            a, b = m.span()
            if any(x < b and a < y for x, y in excluded + spans):
                continue
            spans.append((a, b))
    return [clause[a:b] for a, b in sorted(spans)]


def _kind_factor(claim: Claim, clause: str) -> float:
    """A benefit said with a harm's predicate ("causes"), or a harm with a benefit's
    ("treats"), is probably another claim: its score is halved. A predicate of the claim's
    own kind adds a quarter."""
    said = clause.split(" | ")[0]
    benefit, harm = bool(BENEFIT.search(said)), bool(HARM.search(said))
    if claim.kind not in ("benefit", "harm") or benefit == harm:
        return 1.0
    return 1.25 if benefit == (claim.kind == "benefit") else 0.5


def _score(claim: Claim, clauses: Sequence[str], vocab: _Vocabulary) -> _Scored | None:
    best: _Scored | None = None
    for clause in clauses:
        hits = _subject_hits(clause, vocab.subject[claim.id], vocab.exclude[claim.id])
        weights = vocab.words[claim.id]
        shared = content_stems(clause) & weights.keys()
        score = (1.0 + 0.5 * (len(hits) > 1) if hits else 0.0) + sum(weights[w] for w in shared)
        if hits and any(p.search(clause) for p in vocab.outcome[claim.id]):
            score += 0.25
        score *= _kind_factor(claim, clause)
        if score > 0 and (best is None or score > best.score):
            best = _Scored(claim, round(score, 2), clause, _shown(clause, hits, shared))
    return best


def _shown(clause: str, hits: Sequence[str], shared: set[str]) -> tuple[str, ...]:
    """The writer's own words that matched: a hit on a thesaurus word is shown as the words
    it stands for ("darken", not "discoloration")."""
    said = clause.split(" | ")[0]
    words: list[str] = []
    for hit in hits:
        if hit in said:
            words.append(hit)
            continue
        for pattern, meaning in LAY:
            found = pattern.search(said)
            if found and hit in meaning and found.group(0) not in " ".join(words):
                words.append(found.group(0))
    words += [w for w in WORD.findall(said) if stem(w) in shared and w not in " ".join(words)]
    return tuple(dict.fromkeys(words))


def polarity_of(claim: Claim, text: str, catalogue: Catalogue) -> Polarity:
    """Whether a clause asserts or negates a claim it names (normalised text)."""
    source = catalogue.get(claim.inverse_of) if claim.inverse_of else claim
    polarity, _ = _polarity(source, text, _vocabulary(catalogue).negative[source.id])
    if claim.inverse_of:
        return "negates" if polarity == "asserts" else "asserts"
    return polarity


def _polarity(claim: Claim, clause: str, negative: bool) -> tuple[Polarity, str | None]:
    said = clause.split(" | ")[0]
    if claim.kind == "unknown":
        return ("asserts", None) if UNCERTAIN.search(said) else ("negates", None)
    negation = NEGATION.search(said)
    reversal = REVERSAL.search(said) if claim.kind == "benefit" else None
    negated = bool(negation) != bool(reversal)
    cue = negation or reversal
    if negative:
        negated = not negated
    return ("negates", cue.group(0) if cue else None) if negated else ("asserts", None)


def _match(s: _Scored, claim: Claim, catalogue: Catalogue) -> ClaimMatch:
    """The claim read in the clause that scored it; an inverse claim through its partner."""
    if claim.inverse_of:
        return ClaimMatch(claim, polarity_of(claim, s.clause, catalogue), s.score, s.words)
    polarity, cue = _polarity(claim, s.clause, _vocabulary(catalogue).negative[claim.id])
    return ClaimMatch(claim, polarity, s.score, s.words, cue)


def _pick(found: Sequence[_Scored], catalogue: Catalogue, limit: int) -> list[ClaimMatch]:
    """The best claims, each with its inverse partner beside it (the asserted one first)."""
    if not found:
        return []
    ranked = sorted(found, key=lambda s: -s.score)
    kept = [s for s in ranked if s.score >= KEEP_RATIO * ranked[0].score][:limit]
    partners = {c.id: c.inverse_of for c in catalogue.claims if c.inverse_of}
    partners |= {b: a for a, b in partners.items()}
    out: dict[str, ClaimMatch] = {}
    for s in kept:
        if s.claim.id in out:
            continue
        pair = [_match(s, s.claim, catalogue)]
        if s.claim.id in partners:
            pair.append(_match(s, catalogue.get(partners[s.claim.id]), catalogue))
        for m in sorted(pair, key=lambda m: m.polarity != "asserts"):
            out.setdefault(m.claim.id, m)
    return list(out.values())
