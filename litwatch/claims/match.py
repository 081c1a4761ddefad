"""Find the catalogue claim(s) a writer's free text means (`litwatch check`). Pure.

Score = the claim's own vocabulary found in the text (its subject patterns) plus word overlap
with its statement and source quote; polarity ("not", "no", "doesn't") must agree with the
claim's for a full score, so "kratom does not cause hyperpigmentation" finds
`no-hyperpigmentation` before `hyperpigmentation-risk`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litwatch.claims.catalogue import Catalogue, Claim

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NEG = re.compile(
    r"\b(not|no|never|doesn't|does not|isn't|without|won't|unrelated|safe from)\b", re.I
)
STOP = set(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "for",
        "with",
        "by",
        "is",
        "are",
        "be",
        "can",
        "may",
        "might",
        "its",
        "it",
        "as",
        "at",
        "from",
        "that",
        "this",
        "which",
        "kratom",
        "kratoms",
        "mitragyna",
        "speciosa",
        "people",
        "person",
        "use",
        "using",
        "used",
        "user",
        "users",
    ]
)
MIN_CONFIDENCE = 0.25


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    confidence: float  # 0..1


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2}


def _stem(word: str) -> str:
    return re.sub(r"(ies|es|s|ing|ed|ly|ment|ness)$", "", word)[:7]


def _overlap(a: set[str], b: set[str]) -> float:
    sa, sb = {_stem(w) for w in a}, {_stem(w) for w in b}
    return len(sa & sb) / len(sa) if sa else 0.0


def match_claims(text: str, catalogue: Catalogue, limit: int = 3) -> list[ClaimMatch]:
    """Claims the text means, most likely first; empty when none is likely enough."""
    words = _words(text)
    negated = bool(_NEG.search(text))
    scores = []
    for claim in catalogue.claims:
        source = catalogue.get(claim.inverse_of) if claim.inverse_of else claim
        vocab = sum(1 for p in source.subject if re.search(p, text, re.I))
        score = (
            min(vocab, 2) * 0.35
            + _overlap(words, _words(claim.statement)) * 0.5
            + _overlap(words, _words(claim.quote)) * 0.15
        )
        claim_negated = bool(_NEG.search(claim.statement))
        if negated != claim_negated:
            score *= 0.6
        scores.append(ClaimMatch(claim, round(min(score, 1.0), 2)))
    scores.sort(key=lambda m: -m.confidence)
    return [m for m in scores[:limit] if m.confidence >= MIN_CONFIDENCE]
