"""`litwatch explain`: how the tagger reads one sentence, claim by claim, and which rule
decided (for a researcher checking or changing the rules: docs/claims.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from litwatch.claims.tagger import Decision, Tagger
from litwatch.claims.text import SECTIONS
from litwatch.errors import ConfigError
from litwatch.workflows.tagging import load_catalogue_for


@dataclass(frozen=True)
class Explanation:
    text: str
    section: str
    names_kratom: bool  # the sentence itself names kratom or one of its alkaloids
    decisions: tuple[Decision, ...]
    claim_id: str | None


def explain_sentence(
    text: str, claims: Path | None, claim_id: str | None = None, section: str = "results"
) -> Explanation:
    """Every claim the sentence names (or just `claim_id`), with the deciding rule."""
    if not text.strip():
        raise ConfigError("give a sentence to explain, e.g. litwatch explain 'Kratom eased pain.'")
    if section not in SECTIONS:
        raise ConfigError(f"unknown section {section!r}: choose one of {', '.join(SECTIONS)}")
    catalogue = load_catalogue_for(claims)
    if claim_id is not None:
        catalogue.get(claim_id)  # an unknown id is refused, naming the known ones
    tagger = Tagger(catalogue)
    decisions = tagger.explain(text.strip(), section)
    if claim_id is not None:
        target = catalogue.get(claim_id).inverse_of or claim_id
        decisions = [d for d in decisions if d.claim_id == target]
    return Explanation(text.strip(), section, tagger.about_kratom(text), tuple(decisions), claim_id)
