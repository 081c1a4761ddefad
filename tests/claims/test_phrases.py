"""The phrase index finds exactly what trying every phrase at every word start finds."""

from __future__ import annotations

import re

import pytest

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.language import load_language
from litwatch.claims.phrases import PhraseIndex, prefixes_of
from litwatch.claims.text import split_sentences
from litwatch.pubmed.parse import iter_articles_from_file
from tests.conftest import REPO, SAMPLE

_WORD_START = re.compile(r"(?<![\w-])\w")


def _brute_force(
    compiled: list[tuple[str, re.Pattern[str]]], text: str
) -> list[tuple[int, str, int]]:
    out = []
    for word in _WORD_START.finditer(text):
        for key, pattern in compiled:
            found = pattern.match(text, word.start())
            if found:
                out.append((word.start(), key, found.end()))
    return sorted(out)


def _compiled(phrases: list[tuple[str, str]]) -> list[tuple[str, re.Pattern[str]]]:
    return [(key, re.compile(p, re.I)) for key, p in phrases]


def _indexed(index: PhraseIndex[str], text: str) -> list[tuple[int, str, int]]:
    return sorted((m.start, m.key, m.end) for m in index.find(text))


@pytest.mark.parametrize(
    "pattern, starts",
    [
        ("craving", {"crav"}),
        (r"(μ|mu)[- ]opioid", {"μ-op", "μ op", "mu-o", "mu o"}),
        (r"no\b", {"no"}),
        (r"rem\b|rem sleep", {"rem"}),
        (r"(was|were) similar", {"was ", "were"}),
        (r"re?lapse", {"rela", "rlap"}),
        (r"\d+ ?%", None),  # a digit may start it: tried at every word
        (r".{0,20}pain", None),
    ],
)
def test_prefixes_of(pattern: str, starts: set[str] | None) -> None:
    found = prefixes_of(pattern)
    if starts is None:
        assert found is None
    else:
        assert (
            found is not None
            and {s for s in found if not any(s.startswith(t) for t in found if t != s)} == starts
        )


def test_the_shipped_vocabulary_finds_what_brute_force_finds() -> None:
    catalogue = load_catalogue(REPO / "data" / "claims.toml")
    phrases = [(f"{c.id}/subject", p) for c in catalogue.claims for p in c.subject]
    phrases += [(f"cue/{n}", p) for n, cue in load_language().cues.items() for p in cue.phrases]
    texts = [
        s.lower()
        for article in list(iter_articles_from_file(SAMPLE))[:40]
        for s in [article.title, *split_sentences(article.abstract_text)]
    ]
    assert len(texts) > 200
    index, compiled = PhraseIndex(phrases), _compiled(phrases)
    for text in texts:
        assert _indexed(index, text) == _brute_force(compiled, text), text


def test_awkward_patterns_and_texts() -> None:
    phrases = [
        ("a", r"(no|not)( significant)? differences?"),
        ("b", r"rem\b|rem sleep"),
        ("c", r"[a-c]at"),
        ("d", r"(?<!pain )tolerance"),
        ("e", r"x?y?z"),
        ("f", r"withdrawal(-\w+)?"),
    ]
    text = "no difference, not significant differences; rem sleep and rem. bat cat dat pain tolerance, tolerance z yz xyz withdrawal-like"
    assert _indexed(PhraseIndex(phrases), text) == _brute_force(_compiled(phrases), text)
