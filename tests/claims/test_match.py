"""Reading a writer's sentence: which claims, asserted or negated. Sentences written for these
tests; the larger set, with its measurements, is bench/check_phrasings.csv."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.match import CheckTextError, match_claims
from tests.conftest import REPO

CATALOGUE = load_catalogue(REPO / "data" / "claims.toml")


def read(text: str) -> list[tuple[str, str]]:
    return [(m.claim.id, m.polarity) for m in match_claims(text, CATALOGUE).matches]


@pytest.mark.parametrize(
    "text, first",
    [
        ("kratom does not help with opioid withdrawal", ("withdrawal-relief", "negates")),
        ("kratom takes the edge off heroin withdrawal", ("withdrawal-relief", "asserts")),
        ("Kratom doesn’t ease withdrawal from opioids", ("withdrawal-relief", "negates")),
        ("kratom makes opioid withdrawal worse", ("withdrawal-relief", "negates")),
        ("people can get hooked on kratom", ("dependence-risk", "asserts")),
        ("kratom is not addictive", ("dependence-risk", "negates")),
        ("kratom keeps people awake at night", ("insomnia-risk", "asserts")),
        ("kratom helps people drift off to sleep", ("sleep-improvement", "asserts")),
        ("kratom is no safer than opioids", ("safer-than-opioids", "negates")),
        ("mitragynine binds to mu-opioid receptors", ("opioid-receptor-agonism", "asserts")),
    ],
)
def test_the_first_match_and_its_polarity(text: str, first: tuple[str, str]) -> None:
    assert read(text)[0] == first


def test_a_negative_claim_is_asserted_by_a_negation_and_read_with_its_partner() -> None:
    assert read("kratom is not associated with hyperpigmentation")[:2] == [
        ("no-hyperpigmentation", "asserts"),
        ("hyperpigmentation-risk", "negates"),
    ]
    assert read("kratom can darken the skin")[:2] == [
        ("hyperpigmentation-risk", "asserts"),
        ("no-hyperpigmentation", "negates"),
    ]


def test_a_claim_that_something_is_unknown() -> None:
    assert read("the long-term safety of kratom is unknown")[0] == (
        "long-term-safety-unknown",
        "asserts",
    )
    assert read("nobody knows what decades of kratom use do")[0] == (
        "long-term-safety-unknown",
        "asserts",
    )
    assert read("kratom is safe to take for years")[0] == ("long-term-safety-unknown", "negates")


def test_polarity_is_read_per_clause() -> None:
    found = dict(read("kratom eases withdrawal but does not reduce cravings"))
    assert found["withdrawal-relief"] == "asserts"
    assert found["craving-reduction"] == "negates"


def test_the_words_shown_are_the_writers() -> None:
    match = match_claims("kratom can darken the skin", CATALOGUE).matches[0]
    assert " ".join(match.words) in ("darken skin", "darken the skin")  # the writer's words
    assert match_claims("kratom never helps anxiety", CATALOGUE).matches[0].negation == "never"


@pytest.mark.parametrize(
    "text", ["buprenorphine eases opioid withdrawal", "melatonin improves sleep"]
)
def test_another_substance_is_not_kratom(text: str) -> None:
    reading = match_claims(text, CATALOGUE)
    assert reading.matches == ()
    assert reading.note == (
        f"“{text}” does not name kratom or one of its alkaloids, and every claim in the "
        "catalogue is about kratom: a finding about another substance says nothing of it"
    )


def test_kratom_but_no_claim() -> None:
    reading = match_claims("kratom is sold at petrol stations", CATALOGUE)
    assert reading.matches == ()
    assert reading.note == (
        "no claim in the catalogue is about what “kratom is sold at petrol stations” says "
        "(litwatch report lists the claims)"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "nothing to check: write the claim as a sentence, e.g. "),
        ("  ?! ", "nothing to check: write the claim as a sentence, e.g. "),
        (" kratom ", "“kratom” is a single word: write the claim as a sentence, e.g. "),
    ],
)
def test_no_sentence_is_refused(text: str, message: str) -> None:
    with pytest.raises(CheckTextError) as caught:
        match_claims(text, CATALOGUE)
    assert str(caught.value) == message + "litwatch check 'kratom eases opioid withdrawal'"


def test_a_claim_added_to_the_catalogue_is_matched(tmp_path: Path) -> None:
    edited = tmp_path / "claims.toml"
    shutil.copy(REPO / "data" / "claims.toml", edited)
    with edited.open("a", encoding="utf-8") as f:
        f.write(
            '\n[[claim]]\nid = "no-memory-harm"\ncategory = "safety"\nkind = "harm"\n'
            'statement = "Kratom does not impair memory."\nquote = "leaves memory intact"\n'
            "subject = ['memory', 'recall', 'forgetful\\w*']\n"
        )
    catalogue = load_catalogue(edited)
    assert len(catalogue.claims) == len(CATALOGUE.claims) + 1
    first = match_claims("kratom leaves people forgetful", catalogue).matches[0]
    assert (first.claim.id, first.polarity) == ("no-memory-harm", "negates")
    first = match_claims("kratom does not harm memory", catalogue).matches[0]
    assert (first.claim.id, first.polarity) == ("no-memory-harm", "asserts")


def test_the_bench_phrasings_are_read_well_enough() -> None:
    """Floors under bench/bench_check.py's figures (115/123 right, no false match): a change
    that makes the matcher read writers worse fails here."""
    with (REPO / "bench" / "check_phrasings.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    inverse = {c.id: c.inverse_of for c in CATALOGUE.claims if c.inverse_of}
    inverse |= {b: a for a, b in inverse.items()}
    right = false = 0
    for row in rows:
        got = read(row["text"])
        if not row["expect"]:
            false += bool(got)
            continue
        want = {(c, row["polarity"]) for c in row["expect"].split("|")}
        flip = {"asserts": "negates", "negates": "asserts"}
        want |= {(inverse[c], flip[p]) for c, p in want if c in inverse}
        right += bool(got) and got[0] in want
    assert false == 0
    assert right / sum(bool(r["expect"]) for r in rows) >= 0.9
