"""The tagger's matching machinery: lower-cased patterns and the trigger-word screen."""

from __future__ import annotations

import re

import pytest

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.cues import (
    CUE_TRIGGERS,
    CUES,
    SENTENCE_WORDS,
    NarrowedUnions,
    Screen,
    forget_cues,
    has_numbers,
    lower_regex,
    lowered,
    word_searcher,
)
from litwatch.claims.tagger import Tagger, record_sentences
from litwatch.pubmed.parse import iter_articles_from_file
from tests.conftest import REPO, SAMPLE


def test_lowered_keeps_escapes() -> None:
    assert lowered(r"\bCI\W+(MOR|7-OH)\S*\D") == r"\bci\W+(mor|7-oh)\S*\D"
    assert lowered(r"a\\B") == r"a\\b"  # an escaped backslash, then a literal letter


@pytest.mark.parametrize(
    "pattern",
    [r"\bMOR\b", r"(?<![\w-])7-?OH\b", r"[A-Z]{2,}\d", r"mu-?opioid\W+receptors?", r"GAD-7"],
)
@pytest.mark.parametrize(
    "text",
    ["Binding at MOR was weak.", "7-OH and 7OH", "GAD-7 SCORES FELL", "Mu-Opioid  Receptor", "x"],
)
def test_lower_regex_on_lowered_text_matches_as_ignorecase(pattern: str, text: str) -> None:
    expected = [m.span() for m in re.finditer(pattern, text, re.I)]
    assert [m.span() for m in lower_regex(pattern).finditer(text.lower())] == expected


def test_screen_finds_triggers_at_word_starts_only() -> None:
    screen = Screen(["pain", "crav", "sleep", "ab"])
    assert screen.words("painful cravings in spain") == {"pain", "crav"}
    assert screen.words("the sleeplessness was absent") == {"sleep", "ab"}
    assert screen.words("nothing here") == frozenset()
    assert Screen([]).words("pain") == frozenset()


NARROWED_SOURCES = [
    r"(opioid|opiate)[- ]withdrawal",
    r"withdrawal (symptoms?|signs)",
    r"kratom",
    r"kratom use",  # after "kratom": the whole union matches "kratom" alone first
    r"cravings?",
    r"sleep\w* (quality|problems)",
]


@pytest.mark.parametrize(
    "text",
    [
        "kratom use eased opioid withdrawal symptoms and cravings",
        "withdrawal signs fell; sleep quality improved",
        "opiate-withdrawal and sleeplessness problems",
        "no claim words at all",
        "craving",
    ],
)
def test_a_narrowed_union_finds_what_the_whole_union_finds(text: str) -> None:
    patterns = NarrowedUnions(NARROWED_SOURCES)
    SENTENCE_WORDS[:] = [Screen(patterns.triggers).words(text)]
    try:
        (narrowed,) = patterns.here()
    finally:
        SENTENCE_WORDS.clear()
    (full,) = patterns.full
    assert full is not None
    expected = [m.span() for m in full.finditer(text)]
    assert ([m.span() for m in narrowed.finditer(text)] if narrowed else []) == expected


def test_a_narrowed_union_holds_only_what_the_sentence_can_match() -> None:
    patterns = NarrowedUnions(NARROWED_SOURCES, ["sleep", "no such words"])
    SENTENCE_WORDS[:] = [Screen(patterns.triggers).words("cravings fell after kratom")]
    try:
        narrowed, none_here = patterns.here()
    finally:
        SENTENCE_WORDS.clear()
    assert none_here is None
    assert narrowed is not None
    assert "withdrawal" not in narrowed.pattern and "sleep" not in narrowed.pattern
    assert "kratom use" not in narrowed.pattern  # the sentence has no word "use"
    assert "crav" in narrowed.pattern and "(?:kratom)" in narrowed.pattern
    assert patterns.here() is patterns.full  # no sentence being tagged: every pattern


def test_numbers_cue_needs_a_ratio_not_the_word_or() -> None:
    assert has_numbers("risk was higher (or 2.31, 95% ci 1.2-4.4)")
    assert has_numbers("adjusted or = 1.8")
    assert not has_numbers("taken once or twice daily")
    assert not has_numbers("for 24 hr or 2 days")


def test_tags_do_not_depend_on_letter_case() -> None:
    tagger = Tagger(load_catalogue(REPO / "data" / "claims.toml"))
    sections = [
        (
            "RESULTS",
            "RESULTS",
            "Kratom use reduced opioid withdrawal symptoms in most respondents.",
        ),
        ("CONCLUSIONS", "CONCLUSIONS", "Kratom did not improve sleep quality."),
    ]
    shouting = [(label, cat, text.upper()) for label, cat, text in sections]
    plain = tagger.tag_record("Kratom and withdrawal", sections)
    loud = tagger.tag_record("KRATOM AND WITHDRAWAL", shouting)
    assert {(t.claim_id, t.stance) for t in plain} == {(t.claim_id, t.stance) for t in loud}
    assert ("sleep-improvement", "contradicts") in {(t.claim_id, t.stance) for t in plain}
    # The deciding sentence is quoted as written, not lower-cased.
    assert all(t.sentence.isupper() for t in loud if t.section != "title")


def test_screening_never_changes_a_tag() -> None:
    """The fast path (trigger words, patterns filed under them, matches tried only where
    their word starts) tags exactly as running every pattern on every sentence does."""
    catalogue = load_catalogue(REPO / "data" / "claims.toml")
    fast, slow = Tagger(catalogue), Tagger(catalogue, screened=False)
    records = list(iter_articles_from_file(SAMPLE))
    cases = [
        (a.title, [(s.label, s.category, s.text) for s in a.abstract], a.publication_types)
        for a in records
    ]
    # Each sentence alone as well, in results, under a title naming kratom.
    cases += [
        ("Kratom", [("RESULTS", "RESULTS", s.text)], ())
        for a in records
        for s in record_sentences(a.title, [(x.label, x.category, x.text) for x in a.abstract])
    ]
    tagged = 0
    for title, sections, types in cases:
        expected = slow.tag_record(title, sections, "", types)
        assert fast.tag_record(title, sections, "", types) == expected, (title, sections)
        tagged += bool(expected)
    assert tagged > 500  # the comparison covers many tags, not empty lists


def test_word_searcher_finds_what_search_finds() -> None:
    patterns = [c.pattern for c in CUES] + [
        lower_regex(r"\b(mice|rats?|mouse|guinea pigs)\b"),
        lower_regex(r"\b(chemical (composition|profile)|lc.ms|quantif\w*)\b"),
    ]
    texts = [
        f"{a.title} {' '.join(s.text for s in a.abstract)}".lower()
        for a in iter_articles_from_file(SAMPLE)
    ]
    texts += ["rats", "pirates and rats", "self-quantified", "lc-ms/ms", "the (mice)", ""]
    anchored = 0
    for pattern in patterns:
        searcher = word_searcher(pattern)
        anchored += "words" in (searcher.__code__.co_freevars or ())
        for text in texts:
            assert searcher(text) == (pattern.search(text) is not None), (pattern.pattern, text)
    assert anchored >= 8  # most cues start each alternative with a word


def test_screened_cues_answer_as_their_patterns_do() -> None:
    """A cue tried only at its words' starts, and its alternatives that open with a common
    word ("is unknown") only when the sentence holds their distinctive word, finds exactly
    what a plain search of its pattern finds."""
    screen = Screen(CUE_TRIGGERS)
    texts = [
        s.lower
        for a in iter_articles_from_file(SAMPLE)
        for s in record_sentences(a.title, [(x.label, x.category, x.text) for x in a.abstract])
    ]
    texts += [
        "its safety is unknown.", "this is unknown territory", "trials are needed", "we describe",
        "we describe two cases", "as a potential treatment", "as a remedy for pain", "is",
        "on the advice of a friend", "this (is unknown)", "island unknown", "has been used",
    ]  # fmt: skip
    try:
        for text in texts:
            SENTENCE_WORDS[:] = [screen.words(text)]
            forget_cues()
            for cue in CUES:
                assert cue(text) == (cue.pattern.search(text) is not None), (cue.pattern, text)
    finally:
        SENTENCE_WORDS.clear()
        forget_cues()
