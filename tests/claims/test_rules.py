"""Each rule of the tagger, on the example sentence it carries (written for this project), and
each cue of its language on its own example: a rule that stops deciding its example, or a cue
that stops matching its own, fails here by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from litwatch.claims.catalogue import load_catalogue
from litwatch.claims.language import LanguageError, load_language
from litwatch.claims.phrases import PhraseIndex
from litwatch.claims.rules import RULES, Rule
from litwatch.claims.tagger import Tagger
from tests.conftest import REPO

CATALOGUE = load_catalogue(REPO / "data" / "claims.toml")
TAGGER = Tagger(CATALOGUE)
LANGUAGE = load_language()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_each_rule_decides_its_own_example(rule: Rule) -> None:
    section = "title" if rule.name == "topic-title" else "results"
    if rule.name == "background":
        section = "background"
    decisions = {d.claim_id: d for d in TAGGER.explain(rule.example, section)}
    assert rule.claim in decisions, f"{rule.example!r} does not name {rule.claim}"
    decision = decisions[rule.claim]
    assert decision.rule.name == rule.name, (decision.rule.name, rule.example)
    expected = rule.stance_for(CATALOGUE.get(rule.claim).kind)
    assert expected[0] and decision.stance == expected[1]


def test_rules_have_distinct_names_and_known_cues() -> None:
    assert len({r.name for r in RULES}) == len(RULES)
    own = {"outcome", "null", "opposite"}  # a claim's own phrases, from the catalogue
    for rule in RULES:
        assert set(rule.reads) <= set(LANGUAGE.cues) | own, rule.name
    assert RULES[-1].name == "finding"  # the rule that always applies comes last


@pytest.mark.parametrize("name", sorted(LANGUAGE.cues))
def test_each_cue_matches_its_example(name: str) -> None:
    cue = LANGUAGE.cues[name]
    index = PhraseIndex([(name, p) for p in cue.phrases])
    assert index.find(cue.example.lower()), f"cue {name!r} does not match {cue.example!r}"


def test_a_malformed_language_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "language.toml"
    text = (REPO / "litwatch" / "claims" / "language.toml").read_text()
    bad.write_text(text.replace("'worsen\\w*',", "'worsen(\\w*',", 1))
    with pytest.raises(LanguageError, match=r"language.toml: .*bad pattern 'worsen\("):
        load_language(bad)
    bad.write_text(text.replace("[cue.presupposed]", "[cue.unheard-of]", 1))
    with pytest.raises(
        LanguageError, match="cues missing \\['presupposed'\\], unknown \\['unheard-of'\\]"
    ):
        load_language(bad)
